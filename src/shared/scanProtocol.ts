/**
 * The engine's own messages between the thread that runs an analysis and its scan workers (the
 * same dist/worker.js, see workerProtocol.ts for the host's messages). Every thread claims the
 * next byte range with an atomic counter and scans it with the job's family. Once a worker has no
 * range left it posts its state and its ranges' used rows (`rangesScanned`), waits for the
 * family's plan of the second pass (`runPass`, null: none), runs it over its parts and posts them.
 */
import type { SerializedError } from '../core/errors';
import type { FamilyJob, FamilyPart, FamilyPassPlan, FamilyThreadState } from '../core/families';
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
/** Every range is scanned: the family's second pass (LossFamily.passPlan), to run over this worker's parts before posting them. */
export interface RunPassRequest {
  type: 'runPass';
  plan: FamilyPassPlan;
}
export type ToScanWorker = ScanRangesRequest | RunPassRequest;

// ---- scan worker → analysing thread ---------------------------------------------------------
export interface RangeDoneMessage {
  type: 'rangeDone';
  index: number;
  result: FamilyPart;
  stoppedAt: number;
}
/** No range is left to claim: the worker's state and what the calling thread needs of its ranges to plan the second pass. */
export interface RangesScannedMessage {
  type: 'rangesScanned';
  /** The worker's family state over all its ranges (LossFamily.serializeThread). */
  thread: FamilyThreadState;
  /** The worker's ranges: index, used rows, where the scan stopped. */
  ranges: { index: number; used: number; stoppedAt: number }[];
}
/** Every part is posted (after the last rangeDone of this worker). */
export interface RangesDoneMessage {
  type: 'rangesDone';
}
export interface ScanErrorMessage {
  type: 'error';
  error: SerializedError;
}
export type FromScanWorker = RangeDoneMessage | RangesScannedMessage | RangesDoneMessage | ScanErrorMessage;
