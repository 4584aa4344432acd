/**
 * Every message between the extension host and the Loss Inspector worker (dist/worker.js), which
 * runs a whole analysis: the host must never scan on its own thread. The same worker script also
 * scans byte ranges for the engine's parallel scan: those messages are in scanProtocol.ts.
 */
import type { SerializedError } from '../core/errors';
import type { FamilyReport } from './webviewProtocol';
import type { FileInfo } from '../core/fileInfo';
import type { ColumnRequest } from '../core/tasks/regression/columns';
import type { AnyCompareReport } from '../core/compare/report';
import type { ScoresSetting, TaskSetting } from './webviewProtocol';

/** The classification settings (lossInspector.classification.*, lossInspector.focal.*). */
export interface ClassificationSettings {
  scores: ScoresSetting;
  /** The positive class; undefined: 1 / true / yes, else the greater label. */
  positive?: string;
  threshold: number;
  gamma: number;
  alpha: number;
}

export interface AnalyzeSettings {
  columns: ColumnRequest;
  beta: number;
  delta: number;
  quantile: number;
  /** Tweedie power (lossInspector.tweedie.power); absent: 1.5. */
  power?: number;
  topK: number;
  bins: number;
  threads?: number;
  /** Which family of losses (auto: a two-valued label is binary classification). */
  task: TaskSetting;
  classification: ClassificationSettings;
  /** Confidence level of the intervals and comparisons (lossInspector.report.confidence); 0: off; absent: 0.95. */
  confidence?: number;
  /** The model the others are compared with (the report's baseline control); absent: the first. */
  baseline?: string;
}

/** A local file (streamed by the worker) or bytes read by the host (virtual file systems). */
export type SourceSpec = { kind: 'path'; path: string; name: string } | { kind: 'bytes'; bytes: Uint8Array; name: string };

// ---- host → worker -------------------------------------------------------------------------
export interface InspectRequest {
  type: 'inspect';
  source: SourceSpec;
  /**
   * With a task, the worker also says which family the file gets (the engine's auto rule, with
   * these columns), so the host picks the columns that family would.
   */
  task?: { choice: TaskSetting; columns: ColumnRequest };
}
export interface AnalyzeRequest {
  type: 'analyze';
  source: SourceSpec;
  settings: AnalyzeSettings;
}
/**
 * Compare Loss (#15 item 3): two or more files' rows joined (by `key`, or by row order) and
 * computed as one regression or classifier's report whose models are `PREFIX:COLUMN` (engine/compare.ts). The
 * first file decides the rows; its first model is the baseline unless `settings.baseline` says.
 */
export interface CompareRequest {
  type: 'compare';
  /** Two or more; each source's `name` is also what its models' prefix is made from (names.ts). */
  sources: SourceSpec[];
  settings: CompareSettings;
}
/** What a comparison takes of the settings: the regression and classification ones, the task, the key, the columns asked of every file. */
export interface CompareSettings {
  key?: string;
  /** Which family (auto: detected from the first file; every file must have it). */
  task: TaskSetting;
  classification: ClassificationSettings;
  target?: string;
  predictions: string[];
  /** The sample-weight column, of the first file (lossInspector.columns.weight); absent: every row counts once. */
  weight?: string;
  /** The group-by column, of the first file (lossInspector.columns.groupBy): a first file without it is not grouped. */
  groupBy?: string;
  beta: number;
  delta: number;
  quantile: number;
  power?: number;
  topK: number;
  bins: number;
  confidence: number;
  baseline?: string;
}
export type ToWorker = InspectRequest | AnalyzeRequest | CompareRequest;

// ---- worker → host -------------------------------------------------------------------------
export interface ProgressMessage {
  type: 'progress';
  done: number;
  total: number;
}
export interface InspectedMessage {
  type: 'inspected';
  info: FileInfo;
  /** The family the file gets, when the request asked (undefined: the auto rule could not decide, say no target). */
  task?: 'regression' | 'binary' | 'multiclass';
  /** With a task: the label's classes in the file's first rows (a multiclass file's score columns are found by them). */
  labels?: string[];
}
export interface ReportMessage {
  type: 'report';
  report: FamilyReport;
}
export interface ErrorMessage {
  type: 'error';
  error: SerializedError;
}
/** A comparison's report (its own message: a CompareReport carries `compare`, which a FamilyReport has not). */
export interface CompareReportMessage {
  type: 'compareReport';
  report: AnyCompareReport;
}
export type FromWorker = ProgressMessage | InspectedMessage | ReportMessage | CompareReportMessage | ErrorMessage;
