/**
 * The engine's own messages between the thread that runs an analysis and its scan workers (the
 * same dist/worker.js, see workerProtocol.ts for the host's messages). Every thread claims the
 * next byte range with an atomic counter, scans it with the job's family, and posts its part.
 */
import type { SerializedError } from '../core/errors';
import type { FamilyJob, FamilyPart, FamilyThreadState } from '../core/families';
import type { FileIdentity, FileInfo } from '../core/fileInfo';

/** One byte range to scan. Structured-clone friendly (sent to scan workers). */
export interface ScanJob {
  info: FileInfo;
  /** The family's planned analysis (LossFamily.plan), passed to the family unchanged. */
  task: FamilyJob;
  /** Absolute offset of the first record of the range. */
  start: number;
  /** Absolute offset at which to stop (the next range's start); Infinity for the last range. */
  stopAt: number;
  chunkSize?: number;
}

// ---- analysing thread → scan worker ---------------------------------------------------------
/**
 * Scan ranges of a file until none is left: range k runs from starts[k] to starts[k + 1] (the
 * last to the end). Every thread of the analysis claims the next range with an atomic increment
 * of Int32Array(next)[0], so a thread that started late or runs slower simply takes fewer.
 */
export interface ScanRangesRequest {
  type: 'scanRanges';
  path: string;
  name: string;
  /** The file the analysing thread opened: a worker that finds another one at `path` fails with fileChanged. */
  identity: FileIdentity;
  /** The job; `start` and `stopAt` are set per range. */
  job: ScanJob;
  starts: number[];
  next: SharedArrayBuffer;
  /** Float64Array over this buffer: slot k receives the bytes done of range k. */
  progress: SharedArrayBuffer;
}
export type ToScanWorker = ScanRangesRequest;

// ---- scan worker → analysing thread ---------------------------------------------------------
export interface RangeDoneMessage {
  type: 'rangeDone';
  index: number;
  result: FamilyPart;
  stoppedAt: number;
}
/** No range is left to claim (sent after the last rangeDone of this worker). */
export interface RangesDoneMessage {
  type: 'rangesDone';
  /** The worker's family state over all its ranges (LossFamily.serializeThread). */
  thread: FamilyThreadState;
}
export interface ScanErrorMessage {
  type: 'error';
  error: SerializedError;
}
export type FromScanWorker = RangeDoneMessage | RangesDoneMessage | ScanErrorMessage;
