/**
 * Training logs (issue #17) on Node: whether a file is one (the auto rule, from its head), reading
 * it through the log reader, and several files as one report of runs. Read on one thread: the
 * smoothing, spikes and gaps follow the file's order, and a log is small next to a predictions file
 * (10⁶ steps are tens of MB).
 */
import { LossInspectorError } from '../core/errors';
import type { FileInfo } from '../core/fileInfo';
import { hfRecordKeys } from '../core/trainingLog/hfKeys';
import { FileKind, isHfState, LogPlan, planLog, runName } from '../core/trainingLog/plan';
import { LogOptions, LogReader } from '../core/trainingLog/reader';
import type { AnyLogReport, TrainingLogReport } from '../core/trainingLog/report';
import { inspectFile } from './inspect';
import { ByteSource, openFileSource } from './source';

/** Largest trainer_state.json whose records' keys are all looked at (beyond: the first MiB's). */
const HF_WHOLE_LIMIT = 256 << 20;
/** Read size. */
const CHUNK = 1 << 20;

export interface LogAnalyzeOptions extends LogOptions {
  kind?: FileKind;
}

/** The log's plan when the file is a training log (or `kind` is log), else undefined. */
export function logPlanOf(src: ByteSource, info: FileInfo, kind: FileKind = 'auto'): LogPlan | undefined {
  if (kind === 'predictions') return undefined;
  let keys: string[] | undefined;
  if (isHfState(info)) {
    const size = Number.isFinite(src.size) ? Math.min(src.size, HF_WHOLE_LIMIT) : CHUNK;
    const buf = new Uint8Array(size);
    let n = 0;
    for (let r = 1; n < size && r > 0; n += r) r = src.read(buf, n, size - n, n);
    keys = hfRecordKeys(buf, n, src.name);
  }
  return planLog(info, src.name, kind, keys);
}

/**
 * Reads the whole file through a new LogReader. `eof` false leaves an incomplete last line
 * waiting (a run still writing it); the reader's `offset` is where appended bytes continue.
 */
export function readLog(src: ByteSource, info: FileInfo, plan: LogPlan, opts: LogOptions = {}, eof = true, onProgress?: (done: number, total: number) => void): LogReader {
  const reader = new LogReader(info, plan, src.name, runName(src.path ?? src.name), opts);
  const buf = new Uint8Array(CHUNK);
  let pos = info.dataStart;
  for (;;) {
    const n = src.read(buf, 0, buf.length, pos);
    if (n === 0) break;
    pos += n;
    reader.push(buf.subarray(0, n));
    onProgress?.(pos, src.size);
  }
  if (eof) reader.push(new Uint8Array(0), true);
  return reader;
}

/** A training log's report, or undefined when the file is not one (kind auto) or is read as predictions. */
export function analyzeLog(src: ByteSource, opts: LogAnalyzeOptions, known?: FileInfo, onProgress?: (done: number, total: number) => void): TrainingLogReport | undefined {
  const info = known ?? inspectFile(src);
  const plan = logPlanOf(src, info, opts.kind);
  if (!plan) return undefined;
  const report = readLog(src, info, plan, opts, true, onProgress).report();
  if (info.notes?.length) report.warnings.unshift(...info.notes);
  return report;
}

/** Several logs as one report of runs (a file that is not a training log is refused, naming it). */
export function analyzeLogFiles(files: readonly { path: string; name: string }[], opts: LogAnalyzeOptions): AnyLogReport {
  const runs: TrainingLogReport[] = [];
  for (const f of files) {
    const src = openFileSource(f.path, f.name);
    try {
      const r = analyzeLog(src, { ...opts, kind: opts.kind === 'predictions' ? 'predictions' : opts.kind === 'log' ? 'log' : 'auto' });
      if (!r) {
        throw new LossInspectorError('badParameter', `'${f.name}' is not a training log (no step or epoch column with losses or metrics), so it cannot be one of several runs; give it alone, or read it as a log with --kind log.`, { file: f.name });
      }
      runs.push(r);
    } finally {
      src.close();
    }
  }
  if (runs.length === 1) return runs[0];
  disambiguate(runs);
  return { version: 1, kind: 'trainingLogRuns', runs };
}

/** Two runs with the same folder name get their files' names too. */
export function disambiguate(runs: TrainingLogReport[]): void {
  const count = new Map<string, number>();
  for (const r of runs) count.set(r.run, (count.get(r.run) ?? 0) + 1);
  for (const r of runs) if ((count.get(r.run) ?? 0) > 1) r.run = `${r.run} (${r.file})`;
}
