import * as vscode from 'vscode';
import { groupableColumns } from '../core/tasks/regression/view/groups';
import { chooseColumns, ColumnChoice } from '../core/columns';
import { formatBytes } from '../core/format';
import { isLossInspectorError, LossInspectorError, quoteName, toUserError } from '../core/errors';
import type { Report } from '../core/report';
import type { FileInfo } from '../engine/inspect';
import type { SourceSpec } from '../shared/workerProtocol';
import { pickColumns } from './columnPicker';
import { readSettings, SECTION, Settings } from './config';
import { baseName, PanelHost, PersistedState, ReportPanel, VIEW_TYPE, webviewOptions } from './reportPanel';
import { analyzeInWorker, inspectInWorker, WorkerJob } from './workerClient';

const DATA_FILE = /\.(csv|tsv|json|jsonl|ndjson)$/i;

interface Run {
  job: WorkerJob<Report> | undefined;
  cancelled: boolean;
}

/**
 * Owns the report panels (one per file), the runs (one at a time per panel; the latest wins),
 * the remembered column choices, and the live updates on settings and file changes.
 */
export class Controller implements PanelHost, vscode.Disposable {
  private readonly panels = new Map<string, ReportPanel>();
  private readonly runs = new Map<string, Run>();
  private readonly watchers = new Map<string, vscode.Disposable>();
  private readonly rememberedColumns = new Map<string, ColumnChoice>();
  /** The report's "Group by" choice per file (null: none), over the groupBy setting. */
  private readonly groupByChoice = new Map<string, string | null>();
  /** The settings each panel's latest run used (see settingsKey). */
  private readonly settingsUsed = new Map<string, string>();
  private readonly disposables: vscode.Disposable[] = [];
  private configTimer: NodeJS.Timeout | undefined;
  private readonly fileTimers = new Map<string, NodeJS.Timeout>();
  /** The file's version (mtime and size) each panel's latest run read, and the timers that recheck it. */
  private readonly versionUsed = new Map<string, string>();
  private readonly recheckTimers = new Set<NodeJS.Timeout>();

  constructor(private readonly context: vscode.ExtensionContext) {
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!e.affectsConfiguration(SECTION)) return;
        clearTimeout(this.configTimer);
        this.configTimer = setTimeout(() => {
          // Only panels computed with other settings: a run started after the change (say, the
          // command run right after changing a setting) already uses the new ones.
          for (const p of this.panels.values()) {
            if (this.settingsUsed.get(p.key) !== settingsKey(readSettings(p.uri))) void this.recompute(p, false);
          }
          this.syncWatchers();
        }, 300);
      }),
    );
  }

  private get workerScript(): string {
    return vscode.Uri.joinPath(this.context.extensionUri, 'dist', 'worker.js').fsPath;
  }

  /** The `Compute Loss` command: on the Explorer's file, or the active editor's file. */
  async computeLoss(arg?: unknown): Promise<void> {
    const uri = arg instanceof vscode.Uri ? arg : activeFileUri();
    if (!uri) {
      void vscode.window.showErrorMessage('Loss Inspector: open or select a CSV, TSV, JSON or JSON Lines file first, then run Compute Loss.');
      return;
    }
    if (!DATA_FILE.test(uri.path)) {
      void vscode.window.showWarningMessage(`Loss Inspector reads .csv, .tsv, .json, .jsonl and .ndjson files; trying '${baseName(uri)}' as one of them.`);
    }
    const panel = this.panelFor(uri, true);
    panel.reveal();
    await this.recompute(panel, true);
  }

  private panelFor(uri: vscode.Uri, create: boolean, existing?: vscode.WebviewPanel): ReportPanel {
    const key = uri.toString();
    let p = this.panels.get(key);
    if (p && !existing) return p;
    const wp =
      existing ??
      vscode.window.createWebviewPanel(VIEW_TYPE, `Loss: ${baseName(uri)}`, vscode.ViewColumn.Beside, {
        ...webviewOptions(this.context.extensionUri),
        retainContextWhenHidden: false,
      });
    if (!create && !existing) throw new Error('no panel');
    p = new ReportPanel(wp, uri, this.context.extensionUri, this);
    this.panels.set(key, p);
    this.syncWatchers();
    return p;
  }

  /** Restores a panel after a window reload (WebviewPanelSerializer) by recomputing. */
  async restore(webviewPanel: vscode.WebviewPanel, state: PersistedState | undefined): Promise<void> {
    if (!state?.uri) {
      webviewPanel.dispose();
      return;
    }
    const uri = vscode.Uri.parse(state.uri);
    const panel = this.panelFor(uri, true, webviewPanel);
    await this.recompute(panel, false);
  }

  rerun(panel: ReportPanel): void {
    void this.recompute(panel, true);
  }

  async setBeta(beta: number, panel: ReportPanel): Promise<void> {
    const target = vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
    await vscode.workspace.getConfiguration(SECTION, panel.uri).update('smoothL1.beta', beta, target);
    void vscode.window.showInformationMessage(`Loss Inspector: smooth L1 β set to ${beta}.`);
  }

  /** The report's "Group by" control: only a column of the file shown (or null) is accepted. */
  setGroupBy(column: string | null, panel: ReportPanel): void {
    const report = panel.report;
    if (column !== null && (!report || !groupableColumns(report).includes(column))) return;
    this.groupByChoice.set(panel.key, column);
    void this.recompute(panel, true);
  }

  onPanelDisposed(panel: ReportPanel): void {
    if (this.panels.get(panel.key) === panel) {
      this.panels.delete(panel.key);
      this.settingsUsed.delete(panel.key);
      this.cancelRun(panel.key);
      this.syncWatchers();
    }
  }

  /** The report shown for a file (used by the integration tests). */
  reportFor(uri: vscode.Uri): Report | undefined {
    return this.panels.get(uri.toString())?.report;
  }

  panelState(uri: vscode.Uri) {
    return this.panels.get(uri.toString())?.viewState;
  }

  /** Cancels the file's current run; its panel then says so (a newer run is never affected). */
  cancel(uri: vscode.Uri): void {
    const r = this.runs.get(uri.toString());
    if (r) {
      r.cancelled = true;
      r.job?.cancel();
    }
  }

  private cancelRun(key: string): void {
    const r = this.runs.get(key);
    if (r) {
      r.cancelled = true;
      r.job?.cancel();
      this.runs.delete(key);
    }
  }

  /**
   * Computes (or recomputes) a panel's report. `interactive`: from a user action, so progress is a
   * cancellable notification and a column choice may be asked; otherwise (settings or file
   * changes) progress shows in the status bar.
   */
  async recompute(panel: ReportPanel, interactive: boolean): Promise<void> {
    const key = panel.key;
    this.cancelRun(key); // the latest run wins
    const run: Run = { job: undefined, cancelled: false };
    this.runs.set(key, run);
    const uri = panel.uri;
    const name = baseName(uri);
    const settings = readSettings(uri);
    this.settingsUsed.set(key, settingsKey(settings));
    const chosenGroup = this.groupByChoice.get(key);
    const groupBy = chosenGroup === undefined ? settings.groupBy || undefined : (chosenGroup ?? undefined);
    panel.setState({ status: 'running', file: name, uri: key, done: 0, total: 0 });
    try {
      const version = await fileVersion(uri);
      this.versionUsed.set(key, version);
      const source = await sourceFor(uri);
      if (run.cancelled) throw new LossInspectorError('cancelled', 'The computation was cancelled.');
      const columns = await this.columnsFor(uri, source, settings, interactive, run);
      if (!columns || run.cancelled) {
        if (this.runs.get(key) === run) panel.setState({ status: 'cancelled', file: name, uri: key });
        return;
      }
      const report = await vscode.window.withProgress(
        {
          location: interactive ? vscode.ProgressLocation.Notification : vscode.ProgressLocation.Window,
          title: `Computing losses of ${name}`,
          cancellable: interactive,
        },
        async (progress, token) => {
          let reported = 0;
          const job = analyzeInWorker(
            this.workerScript,
            source,
            {
              columns: {
                target: columns.target,
                predictions: columns.predictions,
                weight: settings.weight || undefined,
                groupBy,
                groupByOptional: chosenGroup === undefined,
              },
              beta: settings.beta,
              delta: settings.delta,
              quantile: settings.quantile,
              topK: settings.topRows,
              bins: settings.histogramBins,
            },
            (done, total) => {
              const pct = total > 0 ? (100 * done) / total : 0;
              progress.report({ increment: pct - reported, message: `${formatBytes(done)} of ${formatBytes(total)}` });
              reported = pct;
              if (this.runs.get(key) === run) panel.progress(done, total);
            },
          );
          run.job = job;
          token.onCancellationRequested(() => {
            run.cancelled = true;
            job.cancel();
          });
          return job.result;
        },
      );
      if (this.runs.get(key) !== run) return; // a newer run replaced this one
      this.rememberedColumns.set(key, columns);
      if (groupBy !== undefined && report.groups === null) {
        report.warnings.push(
          `The setting lossInspector.columns.groupBy names ${quoteName(groupBy)}, which is not a column of '${name}' other than the target, predictions and weight, so the report is not grouped.`,
        );
      }
      panel.setState({
        status: 'done',
        file: name,
        uri: key,
        report,
        settings: { beta: settings.beta, delta: settings.delta, topRows: settings.topRows, histogramBins: settings.histogramBins },
        computedAt: new Date().toISOString(),
      });
      this.recheckLater(panel, version);
    } catch (e) {
      if (this.runs.get(key) !== run) return;
      const err = toUserError(e, name);
      if (err.code === 'cancelled' || run.cancelled) {
        panel.setState({ status: 'cancelled', file: name, uri: key });
        return;
      }
      panel.setState({ status: 'error', file: name, uri: key, message: err.message });
      void vscode.window.showErrorMessage(`Loss Inspector: ${err.message}`);
    } finally {
      if (this.runs.get(key) === run) this.runs.delete(key);
    }
  }

  /**
   * A file watcher starts asynchronously: a change made just after a report opened (before its
   * watcher runs) would go unnoticed. So a while after each run the file's version is compared
   * with the one the run read, and a changed file is recomputed.
   */
  private recheckLater(panel: ReportPanel, version: string): void {
    const timer = setTimeout(async () => {
      this.recheckTimers.delete(timer);
      const key = panel.key;
      if (this.panels.get(key) !== panel || this.runs.has(key) || this.versionUsed.get(key) !== version) return;
      if (!readSettings(panel.uri).autoRefresh) return;
      if ((await fileVersion(panel.uri)) !== version && this.versionUsed.get(key) === version && !this.runs.has(key)) {
        void this.recompute(panel, false);
      }
    }, RECHECK_MS);
    this.recheckTimers.add(timer);
  }

  private async columnsFor(uri: vscode.Uri, source: SourceSpec, s: Settings, interactive: boolean, run: Run): Promise<ColumnChoice | undefined> {
    const key = uri.toString();
    const explicit = s.target !== '' || s.predictions.length > 0;
    if (!explicit && this.rememberedColumns.has(key)) return this.rememberedColumns.get(key);
    const job = inspectInWorker(this.workerScript, source);
    const cancelInspect = setInterval(() => run.cancelled && job.cancel(), 100);
    let info: FileInfo;
    try {
      info = await job.result;
    } finally {
      clearInterval(cancelInspect);
    }
    try {
      return chooseColumns(info.columns, { target: s.target || undefined, predictions: s.predictions }, baseName(uri));
    } catch (e) {
      if (!isLossInspectorError(e) || !['noTarget', 'noPrediction', 'duplicateColumn'].includes(e.code) || explicit) throw e;
      if (!interactive) throw e;
      const picked = await pickColumns(info, baseName(uri), e.message);
      if (!picked) return undefined;
      return picked;
    }
  }

  /** One file watcher per open report (when autoRefresh is on). */
  private syncWatchers(): void {
    for (const [key, w] of this.watchers) {
      const p = this.panels.get(key);
      if (!p || !readSettings(p.uri).autoRefresh) {
        w.dispose();
        this.watchers.delete(key);
      }
    }
    for (const [key, p] of this.panels) {
      if (this.watchers.has(key) || !readSettings(p.uri).autoRefresh) continue;
      const dir = vscode.Uri.joinPath(p.uri, '..');
      const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(dir, baseName(p.uri)));
      const changed = () => {
        clearTimeout(this.fileTimers.get(key));
        this.fileTimers.set(
          key,
          setTimeout(() => {
            const panel = this.panels.get(key);
            if (panel) void this.recompute(panel, false);
          }, 500),
        );
      };
      this.watchers.set(key, vscode.Disposable.from(watcher, watcher.onDidChange(changed), watcher.onDidCreate(changed), watcher.onDidDelete(changed)));
    }
  }

  dispose(): void {
    clearTimeout(this.configTimer);
    for (const t of this.fileTimers.values()) clearTimeout(t);
    for (const t of this.recheckTimers) clearTimeout(t);
    for (const key of [...this.runs.keys()]) this.cancelRun(key);
    for (const w of this.watchers.values()) w.dispose();
    for (const p of [...this.panels.values()]) p.panel.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

/** What a report depends on among the settings (autoRefresh does not change the numbers). */
function settingsKey(s: Settings): string {
  return JSON.stringify([s.beta, s.delta, s.quantile, s.topRows, s.histogramBins, s.target, s.predictions, s.weight, s.groupBy]);
}

/** How long after a run its file is checked again (longer than a watcher takes to start). */
const RECHECK_MS = 1500;

/** mtime and size of a file, or 'missing'. */
async function fileVersion(uri: vscode.Uri): Promise<string> {
  try {
    const s = await vscode.workspace.fs.stat(uri);
    return `${s.mtime}:${s.size}`;
  } catch {
    return 'missing';
  }
}

function activeFileUri(): vscode.Uri | undefined {
  const editor = vscode.window.activeTextEditor;
  if (editor && editor.document.uri.scheme !== 'output') return editor.document.uri;
  const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
  const input = tab?.input;
  if (input instanceof vscode.TabInputText || input instanceof vscode.TabInputCustom) return input.uri;
  return undefined;
}

/** Local files are streamed by the worker; other schemes are read through vscode.workspace.fs. */
async function sourceFor(uri: vscode.Uri): Promise<SourceSpec> {
  const name = baseName(uri);
  if (uri.scheme === 'file') return { kind: 'path', path: uri.fsPath, name };
  try {
    const bytes = await vscode.workspace.fs.readFile(uri);
    return { kind: 'bytes', bytes, name };
  } catch (e) {
    if (e instanceof vscode.FileSystemError && e.code === 'FileNotFound') {
      throw new LossInspectorError('notFound', `The file '${name}' does not exist.`, { file: name });
    }
    throw toUserError(e, name);
  }
}
