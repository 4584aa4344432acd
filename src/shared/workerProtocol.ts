/**
 * Every message between a thread and the Loss Inspector worker (dist/worker.js). The worker
 * serves two roles: a whole analysis (used by the extension host, which must never scan on its
 * own thread) and one byte range of a parallel analysis (used by the engine itself).
 */
import type { RangeResult, SerializedKeys } from '../core/accumulate';
import type { ColumnChoice, ColumnRequest } from '../core/columns';
import type { SerializedError } from '../core/errors';
import type { Report } from '../core/report';
import type { FileInfo } from '../core/fileInfo';
import type { LossParams } from '../core/losses';

/** One byte range to scan. Structured-clone friendly (sent to scan workers). */
export interface ScanJob {
  info: FileInfo;
  choice: ColumnChoice;
  params: LossParams;
  topK: number;
  /** Absolute offset of the first record of the range. */
  start: number;
  /** Absolute offset at which to stop (the next range's start); Infinity for the last range. */
  stopAt: number;
  chunkSize?: number;
}

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
/**
 * Scan ranges of a file until none is left: range k runs from starts[k] to starts[k + 1] (the
 * last to the end). Every thread of the analysis claims the next range with an atomic increment
 * of Int32Array(next)[0], so a thread that started late or runs slower simply takes fewer.
 */
export interface ScanRangesRequest {
  type: 'scanRanges';
  path: string;
  name: string;
  /** The job; `start` and `stopAt` are set per range. */
  job: ScanJob;
  starts: number[];
  next: SharedArrayBuffer;
  /** Float64Array over this buffer: slot k receives the bytes done of range k. */
  progress: SharedArrayBuffer;
}
export type ToWorker = InspectRequest | AnalyzeRequest | ScanRangesRequest;

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
  index: number;
  result: RangeResult;
  stoppedAt: number;
}
/** No range is left to claim (sent after the last rangeDone of this worker). */
export interface RangesDoneMessage {
  type: 'rangesDone';
  /** The worker's |d| key counts and d extremes over all its ranges. */
  keys: SerializedKeys;
}
export interface ErrorMessage {
  type: 'error';
  error: SerializedError;
}
export type FromWorker = ProgressMessage | InspectedMessage | ReportMessage | RangeDoneMessage | RangesDoneMessage | ErrorMessage;
