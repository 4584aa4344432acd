import * as vscode from 'vscode';
import { Disposable, MutableDisposable, timeout } from './dispose';

/** How long a burst of changes to a file is let settle before its report is recomputed. */
const SETTLE_MS = 500;

/** Watches one file; `onChanged` runs once a burst of changes (edit, create, delete) has settled. */
export class FileWatcher extends Disposable {
  private readonly settle = this._register(new MutableDisposable());

  constructor(uri: vscode.Uri, onChanged: () => void) {
    super();
    const dir = vscode.Uri.joinPath(uri, '..');
    const name = uri.path.slice(uri.path.lastIndexOf('/') + 1);
    const watcher = this._register(vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(dir, name)));
    const changed = () => {
      this.settle.value = timeout(SETTLE_MS, onChanged);
    };
    this._register(watcher.onDidChange(changed));
    this._register(watcher.onDidCreate(changed));
    this._register(watcher.onDidDelete(changed));
  }
}
