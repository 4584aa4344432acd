/**
 * One Compare Loss report (#15 item 3): two or more files, the first deciding the rows (and
 * holding the baseline by default), joined and computed in a worker (engine/compare.ts), shown in
 * a report panel whose models are `PREFIX:COLUMN`. Every file is watched; a change to any, or to
 * the settings, computes the report again. Lines open in the file they belong to (the worst
 * rows' are the first file's; a changed row has one in each of its two models' files).
 */
import * as vscode from 'vscode';
import { compareFailure, compareTitle, groupSettingUnused, keyCandidates } from '../core/compare/plan';
import { toUserError } from '../core/errors';
import { SCORE_NAMES } from '../core/tasks/classification/index';
import { planColumns } from '../core/tasks/multiclass/index';
import { chooseColumns } from '../core/tasks/regression/columns';
import type { CompareSettings, SourceSpec } from '../shared/workerProtocol';
import { pickKey } from './comparePicker';
import { readCompareKey, readSettings, Settings } from './config';
import { Disposable, MutableDisposable } from './dispose';
import { FileWatcher } from './fileWatcher';
import { baseName, PanelHost, ReportPanel } from './reportPanel';
import { byteProgress, sourceFor } from './reportSession';
import { compareInWorker, inspectInWorker } from './workerClient';

export class CompareSession extends Disposable implements PanelHost {
  readonly panel: ReportPanel;
  private run: vscode.CancellationTokenSource | undefined;
  /** The key the latest run used (null: row order); undefined until asked or read from the setting. */
  private key: string | null | undefined;
  /** Whether the key came from the setting (then a change of the setting changes it). */
  private keyFromSetting = false;
  private baselineChoice: string | undefined;
  private settingsUsed: string | undefined;
  private readonly watchers: MutableDisposable<FileWatcher>[];
  private readonly _onDidDispose = new vscode.EventEmitter<void>();
  readonly onDidDispose = this._onDidDispose.event;

  constructor(
    webviewPanel: vscode.WebviewPanel,
    readonly files: readonly vscode.Uri[],
    extensionUri: vscode.Uri,
    private readonly workerScript: string,
  ) {
    super();
    this.watchers = files.map(() => this._register(new MutableDisposable<FileWatcher>()));
    this.panel = this._register(new ReportPanel(webviewPanel, files[0], extensionUri, this));
    webviewPanel.title = `Loss: ${this.title}`;
    this._register(this.panel.onDidDispose(() => this.dispose()));
    this.syncWatchers();
  }

  get title(): string {
    return compareTitle(this.files.map(baseName));
  }

  reveal(): void {
    this.panel.reveal();
  }

  rerun(): void {
    void this.recompute(true);
  }

  async setBeta(beta: number): Promise<void> {
    await vscode.workspace.getConfiguration('lossInspector', this.files[0]).update('smoothL1.beta', beta, vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global);
    void vscode.window.showInformationMessage(`Loss Inspector: smooth L1 β set to ${beta}.`);
  }

  /** A binary comparison's threshold and γ controls: the settings, which every file's comparison then uses (the change recomputes it). */
  async setThreshold(threshold: number): Promise<void> {
    await this.save('classification.threshold', threshold, `classification threshold set to ${threshold}`);
  }

  async setGamma(gamma: number): Promise<void> {
    await this.save('focal.gamma', gamma, `focal γ set to ${gamma}`);
  }

  private async save(setting: string, value: number, said: string): Promise<void> {
    await vscode.workspace.getConfiguration('lossInspector', this.files[0]).update(setting, value, vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global);
    void vscode.window.showInformationMessage(`Loss Inspector: ${said}.`);
  }

  // A comparison is grouped by the setting only, has one task for every file, and no trial γ (the
  // γ slider's "Use as the setting" recomputes it): these controls do not apply to it.
  tryGamma(): void {}
  setGroupBy(): void {}
  setTask(): void {}
  setScores(): void {}

  /** The baseline control: a model of the report shown (null: the first file's first model). */
  setBaseline(baseline: string | null): void {
    if (baseline !== null && !this.panel.report?.models.some((m) => m.prediction === baseline)) return;
    this.baselineChoice = baseline ?? undefined;
    void this.recompute(true);
  }

  /** A changed row's line: run i is the i-th file compared (an index, never a path from the webview). */
  openRunLine(run: number, line: number): void {
    const target = this.files[run];
    if (target) void this.panel.openLine(line, target);
  }

  onSettingsChanged(): void {
    const keySetting = readCompareKey(this.files[0]);
    if (this.keyFromSetting || keySetting !== '') {
      // The setting now decides the key (or, cleared, the next interactive run asks again).
      this.key = keySetting !== '' ? keySetting : undefined;
      this.keyFromSetting = keySetting !== '';
    }
    if (this.settingsUsed !== settingsKey(readSettings(this.files[0]), this.key)) void this.recompute(false);
    this.syncWatchers();
  }

  cancel(): void {
    this.run?.cancel();
  }

  async recompute(interactive: boolean): Promise<void> {
    if (this.isDisposed) return;
    this.run?.cancel();
    const cts = new vscode.CancellationTokenSource();
    this.run = cts;
    const current = () => this.run === cts;
    const token = cts.token;
    const name = this.title;
    // No single file for the serializer (it would restore as a report of A alone): the state says
    // it is a comparison, so a reloaded window tells the user to run Compare Loss again.
    const uri = '';
    const panel = this.panel;
    panel.setState({ status: 'running', file: name, uri, comparison: true, done: 0, total: 0 });
    const settings = readSettings(this.files[0]);
    try {
      const sources = await Promise.all(this.files.map(async (f) => ({ ...(await sourceFor(f)), name: prefixName(f) })));
      const key = await this.keyFor(sources, settings, interactive, token);
      if (key === undefined || token.isCancellationRequested) {
        if (current()) panel.setState({ status: 'cancelled', file: name, uri, comparison: true });
        return;
      }
      this.settingsUsed = settingsKey(settings, key);
      const request: CompareSettings = {
        ...(key !== null ? { key } : {}),
        task: settings.task,
        classification: { scores: settings.scores, positive: settings.positive || undefined, threshold: settings.threshold, gamma: settings.gamma, alpha: settings.alpha },
        target: settings.target || undefined,
        predictions: settings.predictions,
        weight: settings.weight || undefined,
        groupBy: settings.groupBy || undefined,
        beta: settings.beta,
        delta: settings.delta,
        quantile: settings.quantile,
        power: settings.power,
        topK: settings.topRows,
        bins: settings.histogramBins,
        confidence: settings.confidence,
        baseline: this.baselineChoice,
      };
      const report = await vscode.window.withProgress(
        { location: interactive ? vscode.ProgressLocation.Notification : vscode.ProgressLocation.Window, title: `Comparing the losses of ${name}`, cancellable: interactive },
        async (progress, progressToken) => {
          const forward = progressToken.onCancellationRequested(() => cts.cancel());
          try {
            return await compareInWorker(
              this.workerScript,
              sources,
              request,
              byteProgress(progress, (done, total) => current() && panel.progress(done, total)),
              token,
            ).result;
          } finally {
            forward.dispose();
          }
        },
      );
      if (!current()) return;
      report.warnings.push(...groupSettingUnused(settings, report.groups !== null, report.compare.files[0]));
      panel.setState({
        status: 'done',
        file: name,
        uri,
        comparison: true,
        report,
        // No task: every file's task is detected (or the setting's), so the report offers no Task control.
        settings: { beta: settings.beta, delta: settings.delta, topRows: settings.topRows, histogramBins: settings.histogramBins, threshold: settings.threshold, gamma: settings.gamma, alpha: settings.alpha },
        computedAt: new Date().toISOString(),
      });
    } catch (e) {
      if (!current()) return;
      const err = toUserError(e, name);
      if (err.code === 'cancelled' || token.isCancellationRequested) {
        panel.setState({ status: 'cancelled', file: name, uri, comparison: true });
        return;
      }
      const message = compareFailure(err.message, err.code, { name: this.key ?? null, fromSetting: this.keyFromSetting });
      // Rows in another order: the next Recompute asks for the key again instead of failing the same way.
      if (err.code === 'filesDiffer' && this.key === null && !this.keyFromSetting) this.key = undefined;
      panel.setState({ status: 'error', file: name, uri, comparison: true, message });
      void vscode.window.showErrorMessage(`Loss Inspector: ${message}`);
    } finally {
      if (current()) this.run = undefined;
      cts.dispose();
    }
  }

  /**
   * The key: the setting's, else the one chosen before, else asked (interactive runs) among the
   * columns every file has besides the targets and predictions; none such: row order. Undefined:
   * the question was dismissed.
   */
  private async keyFor(sources: SourceSpec[], s: Settings, interactive: boolean, token: vscode.CancellationToken): Promise<string | null | undefined> {
    const setting = readCompareKey(this.files[0]);
    this.keyFromSetting = setting !== '';
    if (setting !== '') return (this.key = setting);
    if (this.key !== undefined) return this.key;
    const request = { target: s.target || undefined, predictions: s.predictions };
    // With the family each file gets, so that a classifier's score columns are its family's.
    const inspected = await Promise.all(sources.map((src) => inspectInWorker(this.workerScript, src, token, { choice: s.task, columns: request }).result));
    const columns = inspected.map((x) => x.info.columns);
    // The weight names no row either (it is the first file's, when set).
    const used = [
      ...columns.flatMap((c, i) => {
        const { info, task, labels } = inspected[i];
        if (task === 'multiclass') {
          const m = planColumns(info, request, labels ?? [], sources[i].name);
          return [m.target, ...m.models.flatMap((x) => (x.array !== undefined ? [x.array] : x.columns))];
        }
        const choice = chooseColumns(c, request, sources[i].name, task === 'binary' ? SCORE_NAMES : undefined);
        return [choice.target, ...choice.predictions];
      }),
      ...(s.weight ? [s.weight] : []),
    ];
    const candidates = keyCandidates(columns, used);
    if (candidates.length === 0 || !interactive) return (this.key = null);
    const picked = await pickKey(candidates, this.files.map(baseName));
    if (!picked) return undefined;
    return (this.key = picked.key);
  }

  private syncWatchers(): void {
    const on = readSettings(this.files[0]).autoRefresh;
    this.files.forEach((f, i) => {
      if (!on) this.watchers[i].clear();
      else if (!this.watchers[i].value) this.watchers[i].value = new FileWatcher(f, () => void this.recompute(false));
    });
  }

  override dispose(): void {
    if (this.isDisposed) return;
    this.run?.cancel();
    this.run = undefined;
    super.dispose();
    this._onDidDispose.fire();
    this._onDidDispose.dispose();
  }
}

/**
 * A compared file's name in the report: its workspace-relative path, from which the models'
 * prefixes are made (names.ts: runs/a/preds.csv and runs/b/preds.csv become a/preds.csv and
 * b/preds.csv, where their base names would be numbered).
 */
function prefixName(uri: vscode.Uri): string {
  return vscode.workspace.asRelativePath(uri, false);
}

/** What a comparison depends on among the settings, and its key. */
function settingsKey(s: Settings, key: string | null | undefined): string {
  return JSON.stringify([s.beta, s.delta, s.quantile, s.power, s.confidence, s.topRows, s.histogramBins, s.target, s.predictions, s.weight, s.groupBy, s.task, s.scores, s.positive, s.threshold, s.gamma, s.alpha, key ?? null]);
}
