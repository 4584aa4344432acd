import type { Host, UiState } from './host';

/** The UI state (β being tried, loss and model picked), persisted through the host. */
export class UiStore {
  private s: UiState;

  constructor(private readonly host: Host) {
    this.s = host.getState() ?? {};
  }

  get state(): Readonly<UiState> {
    return this.s;
  }

  update(patch: Partial<UiState>): void {
    this.s = { ...this.s, ...patch };
    this.host.setState(this.s);
  }

  /**
   * Records the file shown (its URI is what the host's serializer needs to restore the panel) and
   * forgets the choices made for another file.
   */
  forFile(file: string, uri: string, comparison = false, runs?: readonly string[]): void {
    const known = this.s.uri !== undefined || this.s.file !== undefined;
    const same = uri && this.s.uri ? this.s.uri === uri : this.s.file === file;
    if (known && !same) {
      this.s = { lossKey: this.s.lossKey, rowLog: this.s.rowLog };
    }
    this.s = { ...this.s, file, uri: uri || this.s.uri, comparison: comparison || undefined, runs: runs?.length ? [...runs] : undefined };
    this.host.setState(this.s);
  }
}
