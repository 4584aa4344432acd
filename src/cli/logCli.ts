/**
 * The CLI's training-log path (issue #17): `loss-inspector LOG [LOG…]` prints each series'
 * summary, `--json` the report (`kind: "trainingLog"`, or `"trainingLogRuns"` for several files).
 * cli.ts hands a file here first unless `--kind predictions`.
 */
import * as path from 'node:path';
import { LossInspectorError } from '../core/errors';
import type { FileKind } from '../core/trainingLog/plan';
import type { AnyLogReport } from '../core/trainingLog/report';
import { logTextReport } from '../core/trainingLog/text';
import { analyzeLog, analyzeLogFiles, logPlanOf } from '../engine/trainingLog';
import { ByteSource, openFileSource } from '../engine/source';
import { inspectFile } from '../engine/inspect';

/** What the log path needs of the command line. */
export interface LogArgs {
  files: string[];
  kind: FileKind;
  smoothing: number;
  spikeK: number;
  json: boolean;
  /** Options that only predictions files have: refused for a log, named. */
  predictionOnly: string[];
}

/** The log of `src` (the only file) or of every file, printed; undefined when the file is not a log (kind auto). */
export function runLog(args: LogArgs, src: ByteSource | undefined, write: (s: string) => void): AnyLogReport | undefined {
  if (args.kind === 'predictions') return undefined;
  const opts = { kind: args.kind, smoothing: args.smoothing, spikeK: args.spikeK };
  const report: AnyLogReport | undefined = args.files.length > 1 || !src ? analyzeLogFiles(args.files.map((f) => ({ path: path.resolve(f), name: f })), opts) : analyzeLog(src, opts);
  if (!report) return undefined;
  if (args.predictionOnly.length) {
    throw new LossInspectorError('badParameter', `${args.predictionOnly.join(', ')} ${args.predictionOnly.length === 1 ? 'applies' : 'apply'} to predictions files, and '${args.files[0]}' is a training log; leave ${args.predictionOnly.length === 1 ? 'it' : 'them'} out, or read the file as predictions with --kind predictions.`);
  }
  write(args.json ? JSON.stringify(report) + '\n' : logTextReport(report));
  return report;
}

/** Several files are runs of training logs: whether the first one is a log (else the command line is wrong). */
export function firstIsLog(args: Pick<LogArgs, 'files' | 'kind'>): boolean {
  const src = openFileSource(path.resolve(args.files[0]), args.files[0]);
  try {
    return logPlanOf(src, inspectFile(src), args.kind) !== undefined;
  } finally {
    src.close();
  }
}
