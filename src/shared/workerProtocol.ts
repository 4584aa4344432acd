/**
 * Every message between the extension host and the Loss Inspector worker (dist/worker.js), which
 * runs a whole analysis: the host must never scan on its own thread. The same worker script also
 * scans byte ranges for the engine's parallel scan: those messages are in scanProtocol.ts.
 */
import type { SerializedError } from '../core/errors';
import type { FamilyReport } from './webviewProtocol';
import type { FileInfo } from '../core/fileInfo';
import type { ColumnRequest } from '../core/tasks/regression/columns';
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
export type ToWorker = InspectRequest | AnalyzeRequest;

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
}
export interface ReportMessage {
  type: 'report';
  report: FamilyReport;
}
export interface ErrorMessage {
  type: 'error';
  error: SerializedError;
}
export type FromWorker = ProgressMessage | InspectedMessage | ReportMessage | ErrorMessage;
