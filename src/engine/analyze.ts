import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { BLOCK_BYTES, RangeResult } from '../core/accumulate';
import { ColumnChoice, ColumnRequest, chooseColumns } from '../core/columns';
import { LossInspectorError, fromSerialized } from '../core/errors';
import { checkParams, LossParams } from '../core/losses';
import { buildReport, Report } from '../core/report';
import type { FromWorker, ScanRangeRequest } from '../shared/workerProtocol';
import { FileInfo, inspectFile } from './inspect';
import { scanRange, ScanJob } from './scan';
import { ByteSource } from './source';

export interface AnalyzeOptions {
  columns?: ColumnRequest;
  params: LossParams;
  /** Worst rows kept per model. */
  topK: number;
  /** Residual histogram bins. */
  bins: number;
  /** Scan threads; 0 or undefined = automatic (one per core above the size threshold). */
  threads?: number;
  /** Files smaller than this are scanned on the calling thread. */
  parallelThreshold?: number;
  /** Read buffer size (tests use tiny ones to exercise record boundaries). */
  chunkSize?: number;
  /** The worker bundle (defaults to worker.js beside this bundle). */
  workerScript?: string;
  workerExecArgv?: string[];
  onProgress?(done: number, total: number): void;
}

export const DEFAULT_PARALLEL_THRESHOLD = 32 << 20;

/** Inspects, scans (in parallel for large local files) and builds the report. */
export async function analyze(src: ByteSource, opts: AnalyzeOptions, known?: FileInfo): Promise<Report> {
  const bad = checkParams(opts.params);
  if (bad) throw new LossInspectorError('badParameter', bad);
  const info = known ?? inspectFile(src);
  const choice = chooseColumns(info.columns, opts.columns ?? {}, src.name);
  const job: ScanJob = {
    info,
    choice,
    params: opts.params,
    topK: opts.topK,
    start: info.dataStart,
    stopAt: Infinity,
    chunkSize: opts.chunkSize,
  };
  const threads = decideThreads(src, info, opts);
  let parts: RangeResult[] | undefined;
  if (threads > 1 && src.path) parts = await scanParallel(src, job, threads, opts);
  if (!parts) {
    const { result } = scanRange(src, job, (off) => opts.onProgress?.(off, src.size));
    parts = [result];
  }
  // A file that grew, shrank or was rewritten during the scan gives numbers of no file at all.
  src.verifyUnchanged?.();
  return buildReport(parts, {
    file: src.name,
    format: info.format,
    columns: info.columns,
    target: choice.target,
    predictions: choice.predictions,
    weight: choice.weight,
    groupBy: choice.groupBy,
    params: opts.params,
    topK: opts.topK,
    bins: opts.bins,
    firstLine: info.dataStartLine,
  });
}

function decideThreads(src: ByteSource, info: FileInfo, opts: AnalyzeOptions): number {
  if (info.format === 'json' && info.jsonShape === 'columns') return 1;
  if (opts.threads && opts.threads > 0) return opts.threads;
  if (src.size < (opts.parallelThreshold ?? DEFAULT_PARALLEL_THRESHOLD)) return 1;
  return Math.max(1, Math.min(os.availableParallelism(), 8));
}

/**
 * Splits [dataStart, size) into `n` ranges aligned to record starts, scans range 0 on this thread
 * and the others in workers, and checks every split: range k must stop exactly where range k+1
 * began. If a split landed inside a record (a newline inside quotes, say), returns undefined and
 * the caller scans the file on one thread.
 */
async function scanParallel(src: ByteSource, job: ScanJob, n: number, opts: AnalyzeOptions): Promise<RangeResult[] | undefined> {
  const starts = splitPoints(src, job.info, n);
  if (starts.length < 2) return undefined;
  const total = src.size;
  const progress = new SharedArrayBuffer(8 * starts.length);
  const done = new Float64Array(progress);
  const report = () => {
    let s = 0;
    for (let i = 0; i < done.length; i++) s += done[i];
    opts.onProgress?.(s, total);
  };
  const script = opts.workerScript ?? path.join(__dirname, 'worker.js');
  const workers: Worker[] = [];
  const pending: Promise<{ result: RangeResult; stoppedAt: number }>[] = [];
  try {
    for (let k = 1; k < starts.length; k++) {
      // A small young generation: scanning allocates little, and each MiB here is RSS.
      const w = new Worker(script, { execArgv: opts.workerExecArgv, resourceLimits: { maxYoungGenerationSizeMb: 4 } });
      workers.push(w);
      const msg: ScanRangeRequest = {
        type: 'scanRange',
        path: src.path as string,
        name: src.name,
        job: { ...job, start: starts[k], stopAt: k + 1 < starts.length ? starts[k + 1] : Infinity },
        progress,
        index: k,
      };
      const p = new Promise<{ result: RangeResult; stoppedAt: number }>((resolve, reject) => {
          w.on('message', (m: FromWorker) => {
            if (m.type === 'rangeDone') resolve({ result: m.result, stoppedAt: m.stoppedAt });
            else if (m.type === 'error') reject(fromSerialized(m.error));
          });
          w.on('error', (e) => reject(new LossInspectorError('internal', `A scan worker failed: ${e.message}`, { file: src.name })));
          w.on('exit', (code) => reject(new LossInspectorError('internal', `A scan worker stopped unexpectedly (exit code ${code}).`, { file: src.name })));
      });
      p.catch(() => undefined); // observed below; avoids an unhandled rejection if range 0 throws first
      pending.push(p);
      w.postMessage(msg);
    }
    const first = scanRange(src, { ...job, start: starts[0], stopAt: starts[1] }, (off) => {
      done[0] = off - starts[0];
      report();
    });
    // A range that began at a false record start (inside a quoted field or a JSON string) may
    // fail to parse: that is a wrong split, not a bad file. Rescan on one thread, which then
    // reports the file's real first error, if any.
    let rest: ScanOutcomeLike[];
    try {
      rest = await Promise.all(pending);
    } catch {
      return undefined;
    }
    const outcomes = [first, ...rest];
    for (let k = 0; k + 1 < outcomes.length; k++) {
      if (outcomes[k].stoppedAt !== starts[k + 1]) return undefined;
    }
    return outcomes.map((o) => o.result);
  } finally {
    // Wait for the workers' isolates to go before the report is built: that is the peak.
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

/**
 * Candidate range starts: the first record starting at or after equally spaced offsets rounded to
 * BLOCK_BYTES, so that each summation block is scanned by one thread (see accumulate.ts).
 */
export function splitPoints(src: ByteSource, info: FileInfo, n: number): number[] {
  const begin = info.dataStart;
  const size = src.size;
  const starts = [begin];
  const probe = new Uint8Array(1 << 16);
  for (let k = 1; k < n; k++) {
    const nominal = Math.round((begin + ((size - begin) * k) / n) / BLOCK_BYTES) * BLOCK_BYTES;
    if (nominal <= begin) continue;
    const s = nextRecordStart(src, info, nominal, probe);
    if (s < 0 || s <= starts[starts.length - 1] || s >= size) continue;
    starts.push(s);
  }
  return starts;
}

/** The offset of the first record that starts at or after `from`, or −1. */
function nextRecordStart(src: ByteSource, info: FileInfo, from: number, probe: Uint8Array): number {
  // CSV / JSON Lines: a record starts after a newline, so look from the byte before `from`.
  // JSON: look back a little for the `}` `,` that precedes a record's `{`.
  let pos = info.format === 'json' ? Math.max(0, from - 4096) : from - 1;
  // JSON records: the `{` after `}` `,` (whitespace allowed); CSV and JSON Lines: after a newline.
  let state = 0; // json: 0 looking for '}', 1 saw '}', 2 saw ','
  for (let reads = 0; reads < 256; reads++) {
    const n = src.read(probe, 0, probe.length, pos);
    if (n === 0) return -1;
    for (let i = 0; i < n; i++) {
      const c = probe[i];
      if (info.format !== 'json') {
        if (c === 10) return pos + i + 1;
        continue;
      }
      if (c === 125) state = 1;
      else if (c === 44 && state === 1) state = 2;
      else if (c === 123 && state === 2 && pos + i >= from) return pos + i;
      else if (c !== 32 && c !== 9 && c !== 10 && c !== 13) state = 0;
    }
    pos += n;
  }
  return -1;
}

export type { ColumnChoice };
type ScanOutcomeLike = { result: RangeResult; stoppedAt: number };
