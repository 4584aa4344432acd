/**
 * Every message between a thread and the Loss Inspector worker (dist/worker.js). The worker
 * serves two roles: a whole analysis (used by the extension host, which must never scan on its
 * own thread) and one byte range of a parallel analysis (used by the engine itself).
 */
import type { RangeResult } from '../core/accumulate';
import type { ColumnRequest } from '../core/columns';
import type { SerializedError } from '../core/errors';
import type { Report } from '../core/report';
import type { FileInfo } from '../engine/inspect';
import type { ScanJob } from '../engine/scan';

export interface AnalyzeSettings {
  columns: ColumnRequest;
  beta: number;
  delta: number;
  quantile: number;
  topK: number;
  bins: number;
  threads?: number;
}

/** A local file (streamed by the worker) or bytes read by the host (virtual file systems). */
export type SourceSpec = { kind: 'path'; path: string; name: string } | { kind: 'bytes'; bytes: Uint8Array; name: string };

// ---- host → worker -------------------------------------------------------------------------
export interface InspectRequest {
  type: 'inspect';
  source: SourceSpec;
}
export interface AnalyzeRequest {
  type: 'analyze';
  source: SourceSpec;
  settings: AnalyzeSettings;
}
export interface ScanRangeRequest {
  type: 'scanRange';
  path: string;
  name: string;
  job: ScanJob;
  /** Float64Array over this buffer: slot `index` receives the bytes done of this range. */
  progress: SharedArrayBuffer;
  index: number;
}
export type ToWorker = InspectRequest | AnalyzeRequest | ScanRangeRequest;

// ---- worker → host -------------------------------------------------------------------------
export interface ProgressMessage {
  type: 'progress';
  done: number;
  total: number;
}
export interface InspectedMessage {
  type: 'inspected';
  info: FileInfo;
}
export interface ReportMessage {
  type: 'report';
  report: Report;
}
export interface RangeDoneMessage {
  type: 'rangeDone';
  result: RangeResult;
  stoppedAt: number;
}
export interface ErrorMessage {
  type: 'error';
  error: SerializedError;
}
export type FromWorker = ProgressMessage | InspectedMessage | ReportMessage | RangeDoneMessage | ErrorMessage;
