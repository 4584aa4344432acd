import * as vscode from 'vscode';
import { groupableColumns } from '../core/tasks/regression/view/groups';
import { chooseColumns, ColumnChoice } from '../core/tasks/regression/columns';
import { formatBytes } from '../core/format';
import { isLossInspectorError, LossInspectorError, quoteName, toUserError } from '../core/errors';
import type { FamilyReport } from '../shared/webviewProtocol';
import { SCORE_NAMES } from '../core/tasks/classification';
import { labelColumn } from '../core/tasks/multiclass/columns';
import type { SourceSpec } from '../shared/workerProtocol';
import type { ChosenReading, ScoresSetting, TaskSetting, ViewState } from '../shared/webviewProtocol';
import { pickColumns } from './columnPicker';
import { readSettings, SECTION, Settings } from './config';
import { Disposable, MutableDisposable, timeout } from './dispose';
import { FileWatcher } from './fileWatcher';
import { baseName, PanelHost, ReportPanel } from './reportPanel';
import { analyzeInWorker, inspectInWorker } from './workerClient';
import { LogFollower, readLogSettings } from './logFollower';

/** How long after a run its file is checked again (longer than a watcher takes to start). */
const RECHECK_MS = 1500;

/** One computation; cancelling its token terminates whichever worker job it is waiting for. */
interface Run {
  readonly cts: vscode.CancellationTokenSource;
}

/**
 * One open report: its panel, its run (one at a time; the latest wins), its file watcher and
 * recheck timer, and what it remembers between runs (the columns, the "Group by" choice, the
 * settings and file version its latest run used). Disposed when its panel closes.
 */
export class ReportSession extends Disposable implements PanelHost {
  readonly panel: ReportPanel;
  private run: Run | undefined;
  private rememberedColumns: ColumnChoice | undefined;
  /** The report's "Group by" choice (null: none; undefined: the groupBy setting decides). */
  private groupByChoice: string | null | undefined;
  /** The report's own task and score kind (the Task / Scores controls); undefined: the settings decide. */
  private taskChoice: TaskSetting | undefined;
  private scoresChoice: ScoresSetting | undefined;
  /** The baseline of the report's comparisons (undefined: the first model). */
  private baselineChoice: string | undefined;
  /** The focal γ tried with the report's γ slider (undefined: the setting decides). */
  private gammaChoice: number | undefined;
  /** The settings the latest run used (see settingsKey). */
  private settingsUsed: string | undefined;
  /** The file's version (mtime and size) the latest run read. */
  private versionUsed: string | undefined;
  private readonly watcher = this._register(new MutableDisposable<FileWatcher>());
  private readonly recheck = this._register(new MutableDisposable());
  /** Training logs (#17): the worker that reads and follows this report's logs. */
  private readonly logs: LogFollower;
  private runFiles: vscode.Uri[] = [];

  /** The other files selected with this one (training logs: several runs in one report). */
  get runs(): vscode.Uri[] {
    return this.runFiles;
  }

  set runs(files: vscode.Uri[]) {
    this.runFiles = files;
    this.panel.runs = files.map((f) => f.toString());
  }
  private readonly _onDidDispose = new vscode.EventEmitter<void>();
  readonly onDidDispose = this._onDidDispose.event;

  constructor(
    webviewPanel: vscode.WebviewPanel,
    readonly uri: vscode.Uri,
    extensionUri: vscode.Uri,
    private readonly workerScript: string,
  ) {
    super();
    this.logs = this._register(new LogFollower(workerScript));
    this.panel = this._register(new ReportPanel(webviewPanel, uri, extensionUri, this));
    this._register(this.panel.onDidDispose(() => this.dispose()));
    this.syncWatcher();
  }

  get report(): FamilyReport | undefined {
    return this.panel.report;
  }

  get viewState(): ViewState | undefined {
    return this.panel.viewState;
  }

  reveal(): void {
    this.panel.reveal();
  }

  rerun(): void {
    void this.recompute(true);
  }

  async setBeta(beta: number): Promise<void> {
    await this.saveSetting('smoothL1.beta', beta, `smooth L1 β set to ${beta}`);
  }

  /** A binary report's threshold slider: saves the threshold tried (the report then recomputes with it). */
  async setThreshold(threshold: number): Promise<void> {
    await this.saveSetting('classification.threshold', threshold, `classification threshold set to ${threshold}`);
  }

  /** The γ slider's "Use as the setting": the setting from now on, and no more a γ of this report's own. */
  async setGamma(gamma: number): Promise<void> {
    this.gammaChoice = undefined;
    await this.saveSetting('focal.gamma', gamma, `focal γ set to ${gamma}`);
    // The report may already be at this γ (tried): recomputed, it no longer says it is a trial.
    void this.recompute(false);
  }

  /**
   * The γ slider, released: this report recomputed with focal γ (null: the setting's again), the
   * setting unchanged. Exact: the file is read again, so every focal number is the CLI's --gamma G.
   */
  tryGamma(gamma: number | null): void {
    this.gammaChoice = gamma ?? undefined;
    void this.recompute(false);
  }

  /** Writes a setting in the workspace (the user's settings without a folder), and says so. */
  private async saveSetting(key: string, value: number, said: string): Promise<void> {
    const target = vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
    await vscode.workspace.getConfiguration(SECTION, this.uri).update(key, value, target);
    void vscode.window.showInformationMessage(`Loss Inspector: ${said}.`);
  }

  /** The report's "Group by" control: only a column of the file shown (or null) is accepted. */
  setGroupBy(column: string | null): void {
    const report = this.report;
    if (column !== null && (!report || !groupableColumns(report).includes(column))) return;
    this.groupByChoice = column;
    void this.recompute(true);
  }

  /** The report's Task control: recompute this file as another family (the setting is unchanged). */
  setTask(task: TaskSetting): void {
    this.taskChoice = task;
    this.baselineChoice = undefined; // another task may have other models
    void this.recompute(true);
  }

  /** The report's Scores control: read this file's scores as probabilities or logits (auto: as detected). */
  setScores(scores: ScoresSetting): void {
    this.scoresChoice = scores;
    this.baselineChoice = undefined;
    void this.recompute(true);
  }

  /** The report's baseline control: only a model of the report shown (or null, the first) is accepted. */
  setBaseline(baseline: string | null): void {
    const report = this.report;
    if (baseline !== null && !report?.models.some((m) => m.prediction === baseline)) return;
    this.baselineChoice = baseline ?? undefined;
    void this.recompute(true);
  }

  /** Settings changed: recompute if this report used others, and start or stop its watcher. */
  onSettingsChanged(): void {
    // Only a report computed with other settings: a run started after the change (say, the
    // command run right after changing a setting) already uses the new ones.
    if (this.settingsUsed !== settingsKey(this.effective(readSettings(this.uri))) || this.logs.changed(readLogSettings(this.uri))) void this.recompute(false);
    this.syncWatcher();
  }

  /** Cancels the current run; the panel then says so (a newer run is never affected). */
  cancel(): void {
    this.run?.cts.cancel();
  }

  /**
   * Computes (or recomputes) the report. `interactive`: from a user action, so progress is a
   * cancellable notification and a column choice may be asked; otherwise (settings or file
   * changes) progress shows in the status bar.
   */
  async recompute(interactive: boolean): Promise<void> {
    if (this.isDisposed) return;
    this.replaceRun(); // the latest run wins
    const run: Run = { cts: new vscode.CancellationTokenSource() };
    this.run = run;
    this.recheck.clear();
    const token = run.cts.token;
    const current = () => this.run === run;
    const panel = this.panel;
    const uri = this.uri;
    const key = uri.toString();
    const name = baseName(uri);
    const setting = readSettings(uri);
    const settings = this.effective(setting);
    const gammaTrial = this.gammaChoice;
    this.settingsUsed = settingsKey(settings);
    const chosenGroup = this.groupByChoice;
    const groupBy = chosenGroup === undefined ? settings.groupBy || undefined : (chosenGroup ?? undefined);
    panel.setState({ status: 'running', file: name, uri: key, done: 0, total: 0 });
    const started = Date.now();
    try {
      const version = await fileVersion(uri);
      this.versionUsed = version;
      const source = await sourceFor(uri);
      if (token.isCancellationRequested) throw new LossInspectorError('cancelled', 'The computation was cancelled.');
      // Training logs (#17): read, and followed while autoRefresh is on, by their own worker.
      if (source.kind === 'path' && (await this.followLog(settings.autoRefresh, token))) return;
      const columns = await this.columnsFor(source, settings, interactive, token);
      const inspected = Date.now();
      if (!columns || token.isCancellationRequested) {
        if (current()) panel.setState({ status: 'cancelled', file: name, uri: key, ...this.chosenReading() });
        return;
      }
      const report = await vscode.window.withProgress(
        {
          location: interactive ? vscode.ProgressLocation.Notification : vscode.ProgressLocation.Window,
          title: `Computing losses of ${name}`,
          cancellable: interactive,
        },
        async (progress, progressToken) => {
          const forward = progressToken.onCancellationRequested(() => run.cts.cancel());
          try {
            return await analyzeInWorker(
              this.workerScript,
              source,
              {
                columns: {
                  target: columns.target,
                  predictions: columns.predictions,
                  // The quantile sets found here (#16 item 3): named predictions turn detection off.
                  ...(columns.quantiles?.length ? { quantiles: columns.quantiles.map((q) => q.columns) } : {}),
                  weight: settings.weight || undefined,
                  groupBy,
                  variance: settings.variance,
                  std: settings.std,
                  groupByOptional: chosenGroup === undefined,
                },
                beta: settings.beta,
                delta: settings.delta,
                quantile: settings.quantile,
                power: settings.power,
                topK: settings.topRows,
                bins: settings.histogramBins,
                task: settings.task,
                classification: {
                  scores: settings.scores,
                  positive: settings.positive || undefined,
                  threshold: settings.threshold,
                  gamma: settings.gamma,
                  alpha: settings.alpha,
                },
                confidence: settings.confidence,
                baseline: this.baselineChoice,
              },
              byteProgress(progress, (done, total) => current() && panel.progress(done, total)),
              token,
            ).result;
          } finally {
            forward.dispose();
          }
        },
      );
      const analysed = Date.now();
      if (!current()) return; // a newer run replaced this one
      // A multiclass file's columns are the engine's pick (columnsFor): not remembered, so that
      // reading it as another task picks (or asks for) that task's columns.
      this.rememberedColumns = 'task' in report && report.task === 'multiclass' ? undefined : columns;
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
        settings: {
          beta: settings.beta,
          delta: settings.delta,
          topRows: settings.topRows,
          histogramBins: settings.histogramBins,
          task: settings.task,
          scores: settings.scores,
          threshold: settings.threshold,
          gamma: setting.gamma,
          alpha: settings.alpha,
          ...(gammaTrial !== undefined ? { gammaTrial } : {}),
        },
        computedAt: new Date().toISOString(),
        timings: { started, panelCreated: panel.createdAt, webviewReady: panel.readyAt, inspected, analysed, posted: Date.now() },
      });
      this.recheckLater(version);
    } catch (e) {
      if (!current()) return;
      const err = toUserError(e, name);
      if (err.code === 'cancelled' || token.isCancellationRequested) {
        panel.setState({ status: 'cancelled', file: name, uri: key, ...this.chosenReading() });
        return;
      }
      panel.setState({ status: 'error', file: name, uri: key, message: err.message, ...this.chosenReading() });
      void vscode.window.showErrorMessage(`Loss Inspector: ${err.message}`);
    } finally {
      if (current()) this.run = undefined;
      run.cts.dispose();
    }
  }

  /** Shows this report's files as training logs when they are (true), following them when `live`. */
  private followLog(live: boolean, token: vscode.CancellationToken): Promise<boolean> {
    const file = baseName(this.uri);
    const uri = this.uri.toString();
    return this.logs.follow(
      [this.uri, ...this.runs],
      readLogSettings(this.uri),
      live,
      (report) => this.panel.setState({ status: 'log', file, uri, report, live, computedAt: new Date().toISOString() }),
      (e) => this.panel.setState({ status: 'error', file, uri, message: toUserError(e, file).message }),
      token,
    );
  }

  /** A line of one run's file (a report of several training logs). */
  openRunLine(run: number, line: number): void {
    const target = run === 0 ? this.uri : this.runs[run - 1];
    if (target) void this.panel.openLine(line, target);
  }

  /** The report's own task and score kind, for an error or cancelled state (its banner offers them again). */
  private chosenReading(): ChosenReading {
    return { ...(this.taskChoice ? { task: this.taskChoice } : {}), ...(this.scoresChoice ? { scores: this.scoresChoice } : {}) };
  }

  /** The settings with this report's own task, score kind and focal γ over them. */
  private effective(s: Settings): Settings {
    return { ...s, task: this.taskChoice ?? s.task, scores: this.scoresChoice ?? s.scores, gamma: this.gammaChoice ?? s.gamma };
  }

  /** Cancels the current run and forgets it, so that it ends without touching the panel. */
  private replaceRun(): void {
    const run = this.run;
    this.run = undefined;
    run?.cts.cancel();
  }

  /**
   * A file watcher starts asynchronously: a change made just after a report opened (before its
   * watcher runs) would go unnoticed. So a while after each run the file's version is compared
   * with the one the run read, and a changed file is recomputed.
   */
  private recheckLater(version: string): void {
    const unchanged = () => !this.isDisposed && !this.run && this.versionUsed === version;
    this.recheck.value = timeout(RECHECK_MS, async () => {
      if (!unchanged() || !readSettings(this.uri).autoRefresh) return;
      if ((await fileVersion(this.uri)) !== version && unchanged()) void this.recompute(false);
    });
  }

  private async columnsFor(source: SourceSpec, s: Settings, interactive: boolean, token: vscode.CancellationToken): Promise<ColumnChoice | undefined> {
    const explicit = s.target !== '' || s.predictions.length > 0;
    if (!explicit && this.rememberedColumns) return this.rememberedColumns;
    const request = { target: s.target || undefined, predictions: s.predictions, variance: s.variance, std: s.std };
    const { info, task } = await inspectInWorker(this.workerScript, source, token, { choice: s.task, columns: request }).result;
    const name = baseName(this.uri);
    try {
      // A multiclass file's score columns (one per class and model) are the engine's to find
      // (multiclass/columns.ts): only the label is chosen here; the predictions asked for, if
      // any, name models by their prefix.
      if (task === 'multiclass') return { target: labelColumn(info.columns, request, name), predictions: request.predictions };
      // The score columns of a classifier (prob, logit, …) as the engine's classification family picks them.
      return chooseColumns(info.columns, request, name, task === 'binary' ? SCORE_NAMES : undefined);
    } catch (e) {
      if (!isLossInspectorError(e) || !['noTarget', 'noPrediction', 'duplicateColumn'].includes(e.code) || explicit) throw e;
      if (!interactive) throw e;
      return pickColumns(info, name, e.message);
    }
  }

  /** A file watcher while autoRefresh is on. */
  private syncWatcher(): void {
    if (!readSettings(this.uri).autoRefresh) this.watcher.clear();
    // A followed training log reads its appended bytes itself (LogFollower): no recompute then.
    else if (!this.watcher.value) this.watcher.value = new FileWatcher(this.uri, () => !this.logs.following && void this.recompute(false));
  }

  override dispose(): void {
    if (this.isDisposed) return;
    this.replaceRun();
    super.dispose();
    this._onDidDispose.fire();
    this._onDidDispose.dispose();
  }
}

/** What a report depends on among the settings (autoRefresh does not change the numbers). */
function settingsKey(s: Settings): string {
  return JSON.stringify([
    s.beta,
    s.delta,
    s.quantile,
    s.power,
    s.confidence,
    s.topRows,
    s.histogramBins,
    s.target,
    s.predictions,
    s.weight,
    s.groupBy,
    s.variance,
    s.std,
    s.task,
    s.scores,
    s.positive,
    s.threshold,
    s.gamma,
    s.alpha,
  ]);
}

/** mtime and size of a file, or 'missing'. */
export async function fileVersion(uri: vscode.Uri): Promise<string> {
  try {
    const s = await vscode.workspace.fs.stat(uri);
    return `${s.mtime}:${s.size}`;
  } catch {
    return 'missing';
  }
}

/** Local files are streamed by the worker; other schemes are read through vscode.workspace.fs. */
export async function sourceFor(uri: vscode.Uri): Promise<SourceSpec> {
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

/**
 * The scan's progress callback: the notification's bar advanced by the share of bytes read since
 * the last call, with "X of Y", and the panel told too (`alsoPanel`, when the run is still current).
 */
export function byteProgress(progress: vscode.Progress<{ increment?: number; message?: string }>, alsoPanel: (done: number, total: number) => void): (done: number, total: number) => void {
  let reported = 0;
  return (done, total) => {
    const pct = total > 0 ? (100 * done) / total : 0;
    progress.report({ increment: pct - reported, message: `${formatBytes(done)} of ${formatBytes(total)}` });
    reported = pct;
    alsoPanel(done, total);
  };
}
