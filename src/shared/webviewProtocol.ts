/**
 * Every message between the extension host and the report webview. The webview is untrusted
 * input too: the host validates each message with `parseFromWebview` before acting on it.
 */
import type { ClassificationReport } from '../core/tasks/classification/report';
import type { MulticlassReport } from '../core/tasks/multiclass/report';
import type { Report } from '../core/tasks/regression/report';
import type { AnyLogReport } from '../core/trainingLog/report';

/**
 * A report the webview shows: regression, binary or multiclass classification (named here from
 * the report types alone so the webview does not type-check the engine's families; the same
 * union as core/families.ts's FamilyReport).
 */
export type FamilyReport = Report | ClassificationReport | MulticlassReport;

/** The lossInspector.task setting: which family of losses (auto: see the engine's detectTask). */
export type TaskSetting = 'auto' | 'regression' | 'binary' | 'multiclass';
export const TASK_SETTINGS: readonly TaskSetting[] = ['auto', 'regression', 'binary', 'multiclass'];
/** The lossInspector.classification.scores setting: how a classifier's scores are read. */
export type ScoresSetting = 'auto' | 'probabilities' | 'logits';
export const SCORES_SETTINGS: readonly ScoresSetting[] = ['auto', 'probabilities', 'logits'];

/** Settings in force, shown in the report and used to draw the curves. */
export interface ViewSettings {
  beta: number;
  delta: number;
  topRows: number;
  histogramBins: number;
  /** The task asked for (the setting, or the report's own choice); absent in older states. */
  task?: TaskSetting;
  /** How scores are read, as asked; absent in older states. */
  scores?: ScoresSetting;
  /** The classification threshold and focal γ, α now in the settings (absent in older states). */
  threshold?: number;
  gamma?: number;
  alpha?: number;
  /** The focal γ this report was computed with at the γ slider's request, instead of the setting's `gamma`. */
  gammaTrial?: number;
}

/**
 * The settings a report was computed with, for a report shown without its host (a saved HTML
 * page, a bare report): what the report says of them. β and δ mean nothing to a classifier's
 * report: they keep their defaults there.
 */
export function settingsOfReport(r: FamilyReport): ViewSettings {
  if ('task' in r && r.task === 'multiclass') {
    return { beta: 1, delta: 1, topRows: r.models[0]?.worst.length ?? 10, histogramBins: 20, task: 'multiclass', gamma: r.params.gamma };
  }
  if ('task' in r) {
    const p = r.params;
    return { beta: 1, delta: 1, topRows: r.models[0]?.worst.length ?? 10, histogramBins: 20, task: 'binary', threshold: p.threshold, gamma: p.gamma, alpha: p.alpha };
  }
  return { beta: r.params.beta, delta: r.params.delta, topRows: r.models[0]?.worst.length ?? 10, histogramBins: r.models[0]?.histogram.counts.length ?? 50 };
}

/**
 * Wall-clock marks of one run in the extension host (Date.now(), ms since the epoch), kept with
 * the report so that `npm run bench:vscode` can tell where a user's wait goes; the webview adds
 * its own marks (see webview/timings.ts).
 */
export interface RunTimings {
  /** The run started: the command, or a settings or file change. */
  started: number;
  /** The report's panel was created, and its webview first said it was ready (if it has yet). */
  panelCreated: number;
  webviewReady?: number;
  /** A worker read the file's columns (the first run of a panel only, then they are remembered). */
  inspected: number;
  /** A worker computed the report. */
  analysed: number;
  /** The report was handed to the webview. */
  posted: number;
}

/**
 * What the panel shows. `file` is the display name; `uri` identifies the data file (the webview
 * keeps it with setState so the serializer can restore the panel after a reload).
 */
/**
 * `comparison`: the panel shows a Compare Loss report (several files, no single `uri`); the webview
 * keeps the flag in its saved state, so a reloaded window gives a comparison's advice, not Compute Loss's.
 * `runs`: the URIs of the other files of a report of several training logs (#17 item 3), kept the
 * same way, so that a reloaded window restores every run, not the first file alone.
 */
export type ViewState = { comparison?: boolean; runs?: string[] } & (
  | { status: 'running'; file: string; uri: string; done: number; total: number }
  | { status: 'done'; file: string; uri: string; report: FamilyReport; settings: ViewSettings; computedAt: string; timings?: RunTimings }
  | ({ status: 'error'; file: string; uri: string; message: string } & ChosenReading)
  | ({ status: 'cancelled'; file: string; uri: string } & ChosenReading)
  /** A training log (#17): its runs' report; `live` while the files are followed as they grow. */
  | { status: 'log'; file: string; uri: string; report: AnyLogReport; live: boolean; computedAt: string }
);

/**
 * What the report's Task and Scores controls chose for this file, on an error or a cancelled run:
 * that choice may be what failed (a three-class label read as binary, a column pick dismissed),
 * so the banner offers the controls again.
 */
export interface ChosenReading {
  task?: TaskSetting;
  scores?: ScoresSetting;
}

// ---- host → webview ------------------------------------------------------------------------
export interface StateMessage {
  type: 'state';
  state: ViewState;
}
export interface ProgressUpdate {
  type: 'progress';
  done: number;
  total: number;
}
export type ToWebview = StateMessage | ProgressUpdate;

// ---- webview → host ------------------------------------------------------------------------
export interface ReadyMessage {
  type: 'ready';
}
/** Open the report's own data file at a line (the host never takes a path from the webview). */
export interface OpenLineMessage {
  type: 'openLine';
  line: number;
}
/** Save a β tried in the report as the `lossInspector.smoothL1.beta` setting. */
export interface SetBetaMessage {
  type: 'setBeta';
  beta: number;
}
/** Save a threshold tried in a binary report as the `lossInspector.classification.threshold` setting. */
export interface SetThresholdMessage {
  type: 'setThreshold';
  threshold: number;
}
/** Recompute this report with another focal γ (null: the setting's again); the setting is unchanged. */
export interface TryGammaMessage {
  type: 'tryGamma';
  gamma: number | null;
}
/** Save a focal γ tried in a binary report as the `lossInspector.focal.gamma` setting. */
export interface SetGammaMessage {
  type: 'setGamma';
  gamma: number;
}
export interface CopyMarkdownMessage {
  type: 'copyMarkdown';
}
/** Copy the report's metrics as one DuckDB SQL statement over the file (regression reports). */
export interface CopySqlMessage {
  type: 'copySql';
}
export interface SaveJsonMessage {
  type: 'saveJson';
}
/** Save the report as one self-contained HTML file. */
export interface SaveHtmlMessage {
  type: 'saveHtml';
}
export interface RerunMessage {
  type: 'rerun';
}
/** Recompute the report grouped by a column of the file (null: no groups). The host checks the name. */
export interface SetGroupByMessage {
  type: 'setGroupBy';
  column: string | null;
}
/** Recompute this report as another task (the report's own choice; the setting is unchanged). */
export interface SetTaskMessage {
  type: 'setTask';
  task: TaskSetting;
}
/** Recompute this report reading the scores as probabilities or logits (auto: as detected). */
export interface SetScoresMessage {
  type: 'setScores';
  scores: ScoresSetting;
}
/**
 * Recompute this report's comparisons against another baseline model (#15; null: the first model).
 * The host checks that it names a model of the report. Not done in the webview: a paired test
 * needs the per-row differences against the baseline, which only a scan of the file sums.
 */
export interface SetBaselineMessage {
  type: 'setBaseline';
  baseline: string | null;
}
/** Open a line of run `run`'s file (a training log's report of several runs; run 0 is the panel's file). */
export interface OpenRunLineMessage {
  type: 'openRunLine';
  run: number;
  line: number;
}
export type FromWebview =
  | ReadyMessage
  | OpenRunLineMessage
  | SetTaskMessage
  | SetScoresMessage
  | OpenLineMessage
  | SetBetaMessage
  | SetThresholdMessage
  | TryGammaMessage
  | SetGammaMessage
  | CopyMarkdownMessage
  | CopySqlMessage
  | SaveJsonMessage
  | SaveHtmlMessage
  | RerunMessage
  | SetGroupByMessage
  | SetBaselineMessage;

/** A focal γ the host accepts from the webview: the CLI's range (≥ 0), bounded. */
function isGamma(g: unknown): g is number {
  return typeof g === 'number' && Number.isFinite(g) && g >= 0 && g <= 1e6;
}

/** Longest column name a setGroupBy message may carry (a file's real names are checked too). */
export const MAX_COLUMN_NAME = 100_000;

/** Validates an untrusted message from the webview; undefined when it is not a valid message. */
export function parseFromWebview(m: unknown): FromWebview | undefined {
  if (typeof m !== 'object' || m === null) return undefined;
  const o = m as Record<string, unknown>;
  switch (o.type) {
    case 'ready':
    case 'copyMarkdown':
    case 'copySql':
    case 'saveJson':
    case 'saveHtml':
    case 'rerun':
      return { type: o.type };
    case 'openLine':
      return typeof o.line === 'number' && Number.isSafeInteger(o.line) && o.line >= 1 ? { type: 'openLine', line: o.line } : undefined;
    case 'openRunLine':
      return typeof o.line === 'number' && Number.isSafeInteger(o.line) && o.line >= 1 && typeof o.run === 'number' && Number.isSafeInteger(o.run) && o.run >= 0 && o.run < 1000
        ? { type: 'openRunLine', run: o.run, line: o.line }
        : undefined;
    case 'setBeta':
      return typeof o.beta === 'number' && Number.isFinite(o.beta) && o.beta >= 0 && o.beta <= 1e12 ? { type: 'setBeta', beta: o.beta } : undefined;
    case 'setThreshold':
      return typeof o.threshold === 'number' && o.threshold > 0 && o.threshold < 1 ? { type: 'setThreshold', threshold: o.threshold } : undefined;
    case 'tryGamma':
      if (o.gamma === null) return { type: 'tryGamma', gamma: null };
      return isGamma(o.gamma) ? { type: 'tryGamma', gamma: o.gamma } : undefined;
    case 'setGamma':
      return isGamma(o.gamma) ? { type: 'setGamma', gamma: o.gamma } : undefined;
    case 'setTask':
      return typeof o.task === 'string' && (TASK_SETTINGS as readonly string[]).includes(o.task) ? { type: 'setTask', task: o.task as TaskSetting } : undefined;
    case 'setScores':
      return typeof o.scores === 'string' && (SCORES_SETTINGS as readonly string[]).includes(o.scores) ? { type: 'setScores', scores: o.scores as ScoresSetting } : undefined;
    case 'setBaseline':
      if (o.baseline === null) return { type: 'setBaseline', baseline: null };
      return typeof o.baseline === 'string' && o.baseline.length <= MAX_COLUMN_NAME ? { type: 'setBaseline', baseline: o.baseline } : undefined;
    case 'setGroupBy':
      if (o.column === null) return { type: 'setGroupBy', column: null };
      return typeof o.column === 'string' && o.column.length <= MAX_COLUMN_NAME ? { type: 'setGroupBy', column: o.column } : undefined;
    default:
      return undefined;
  }
}
