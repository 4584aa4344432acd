/**
 * The messages between the extension host and a worker that follows training logs (issue #17):
 * the worker reads the files, posts a report, then (live) polls them and reads only what their
 * runs append, posting a report after each change, until the host terminates it.
 */
import type { SerializedError } from '../core/errors';
import type { FileKind } from '../core/trainingLog/plan';
import type { AnyLogReport } from '../core/trainingLog/report';

/** The training-log settings (lossInspector.kind, lossInspector.trainingLog.*). */
export interface LogSettings {
  kind: FileKind;
  smoothing: number;
  spikeK: number;
}

// ---- host → worker -------------------------------------------------------------------------
export interface FollowLogRequest {
  type: 'followLog';
  /** Local files: the first decides whether this is a log (kind auto); several files are several runs. */
  files: { path: string; name: string }[];
  settings: LogSettings;
  /** Keep following the files as they grow. */
  live: boolean;
}

// ---- worker → host -------------------------------------------------------------------------
export interface LogReportMessage {
  type: 'logReport';
  report: AnyLogReport;
}
/** The first file is not a training log (kind auto): the host computes it as predictions. */
export interface NotLogMessage {
  type: 'notLog';
}
export interface LogErrorMessage {
  type: 'error';
  error: SerializedError;
}
export type FromLogWorker = LogReportMessage | NotLogMessage | LogErrorMessage;
