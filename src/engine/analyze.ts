import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { BLOCK_BYTES, RangeResult, ResidualKeys } from '../core/accumulate';
import { ColumnChoice, ColumnRequest, chooseColumns } from '../core/columns';
import { LossInspectorError, fromSerialized } from '../core/errors';
import { checkParams, LossParams } from '../core/losses';
import { buildReport, Report } from '../core/report';
import type { FromWorker, ScanRangesRequest } from '../shared/workerProtocol';
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
  /** Ranges per thread (default 1; tests use more, so that threads claim several in turn). */
  rangesPerThread?: number;
  /**
   * Whether the calling thread scans ranges too (default true). The CLI passes false: it turns off
   * V8's concurrent recompilation before starting the workers (see src/cli/cli.ts), which only
   * pays when every scanning thread is a worker started after that.
   */
  callerScans?: boolean;
  /** The worker bundle (defaults to worker.js beside this bundle). */
  workerScript?: string;
  workerExecArgv?: string[];
  onProgress?(done: number, total: number): void;
  /** Filled in with how the scan went (for tests and diagnostics). */
  stats?: ScanStats;
  /**
   * Tests: called on this thread before it scans range `index` of a parallel scan; `claimed()`
   * reads how many ranges all threads have claimed so far (a test waits in it for a worker).
   */
  onCallerRange?(index: number, claimed: () => number): void;
}

/** How a scan was split (AnalyzeOptions.stats). */
export interface ScanStats {
  /** Ranges of the parallel scan (0 when none was tried). */
  ranges: number;
  /** Of those, ranges scanned by workers. */
  rangesOnWorkers: number;
  /** The parallel scan was abandoned (a split inside a record) and the file read on one thread. */
  fellBack: boolean;
}

/**
 * Below this a second thread costs more than it saves (a worker's start-up and JIT warm-up).
 * Measured here: a 7.6 MB CSV takes 0.21 s on one thread and 0.25 s on two; the 38 MB 1e6-row
 * CSV 0.42 s on one and 0.39 s on two.
 */
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
  let scanned: Scanned | undefined;
  if (opts.stats) Object.assign(opts.stats, { ranges: 0, rangesOnWorkers: 0, fellBack: false });
  if (threads > 1 && src.path) {
    scanned = await scanParallel(src, job, threads, opts);
    if (opts.stats) opts.stats.fellBack = !scanned;
  }
  if (!scanned) {
    const keys = new ResidualKeys(choice.predictions.length);
    const { result } = scanRange(src, job, (off) => opts.onProgress?.(off, src.size), keys);
    scanned = { parts: [result], keys };
  }
  // A file that grew, shrank or was rewritten during the scan gives numbers of no file at all.
  src.verifyUnchanged?.();
  return buildReport(scanned.parts, {
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
  }, scanned.keys);
}

/** Range results in file order, and the |d| key counts of all threads. */
interface Scanned {
  parts: RangeResult[];
  keys: ResidualKeys;
}

function decideThreads(src: ByteSource, info: FileInfo, opts: AnalyzeOptions): number {
  if (info.format === 'json' && info.jsonShape === 'columns') return 1;
  if (opts.threads && opts.threads > 0) return opts.threads;
  if (src.size < (opts.parallelThreshold ?? DEFAULT_PARALLEL_THRESHOLD)) return 1;
  return Math.max(1, Math.min(os.availableParallelism(), 8));
}

/**
 * Splits [dataStart, size) into ranges aligned to record starts and scans them on this thread and
 * `n − 1` workers (or, with `callerScans: false`, on `n` workers while this thread waits), each
 * thread claiming the next range with an atomic counter. One range per thread by default:
 * measured on this 2-core machine, more and smaller ranges (say 15 for the 394 MB benchmark file,
 * shrinking towards the end) cost more than the balance they buy (1e7-row CSV 1.87 s against
 * 1.77 s; JSON Lines 1e6 rows 0.63 s against 0.53 s). Every split is checked:
 * range k must stop exactly where range k + 1 begins. If a split landed inside a record (a
 * newline inside quotes, say), returns undefined and the caller scans the file on one thread.
 */
async function scanParallel(src: ByteSource, job: ScanJob, n: number, opts: AnalyzeOptions): Promise<Scanned | undefined> {
  const starts = splitPoints(src, job.info, n * (opts.rangesPerThread ?? 1));
  if (opts.stats) opts.stats.ranges = starts.length;
  if (starts.length < 2) return undefined;
  const total = src.size;
  const progress = new SharedArrayBuffer(8 * starts.length);
  const done = new Float64Array(progress);
  const nextBuf = new SharedArrayBuffer(4);
  const next = new Int32Array(nextBuf);
  const report = () => {
    let s = 0;
    for (let i = 0; i < done.length; i++) s += done[i];
    opts.onProgress?.(s, total);
  };
  const outcomes: (ScanOutcomeLike | undefined)[] = new Array(starts.length);
  const keys = new ResidualKeys(job.choice.predictions.length);
  const script = opts.workerScript ?? path.join(__dirname, 'worker.js');
  const workers: Worker[] = [];
  const pending: Promise<void>[] = [];
  try {
    const callerScans = opts.callerScans ?? true;
    for (let k = callerScans ? 1 : 0; k < Math.min(n, starts.length); k++) {
      // A small young generation: scanning allocates little, and each MiB here is RSS.
      const w = new Worker(script, { execArgv: opts.workerExecArgv, resourceLimits: { maxYoungGenerationSizeMb: 4 } });
      workers.push(w);
      const msg: ScanRangesRequest = { type: 'scanRanges', path: src.path as string, name: src.name, job, starts, next: nextBuf, progress };
      const p = new Promise<void>((resolve, reject) => {
        w.on('message', (m: FromWorker) => {
          if (m.type === 'rangeDone') {
            outcomes[m.index] = { result: m.result, stoppedAt: m.stoppedAt };
            if (opts.stats) opts.stats.rangesOnWorkers++;
          } else if (m.type === 'rangesDone') {
            keys.merge(m.keys);
            resolve();
          } else if (m.type === 'error') reject(fromSerialized(m.error));
        });
        w.on('error', (e) => reject(new LossInspectorError('internal', `A scan worker failed: ${e.message}`, { file: src.name })));
        w.on('exit', (code) => reject(new LossInspectorError('internal', `A scan worker stopped unexpectedly (exit code ${code}).`, { file: src.name })));
      });
      p.catch(() => undefined); // observed below; avoids an unhandled rejection if this thread throws first
      pending.push(p);
      w.postMessage(msg);
    }
    // This thread takes ranges too (unless told not to), starting at once with range 0 (a wrong
    // split shows in any range but the first: a range that began at a false record start may fail
    // to parse).
    let k = callerScans ? Atomics.add(next, 0, 1) : starts.length;
    try {
      for (; k < starts.length; k = Atomics.add(next, 0, 1)) {
        const start = starts[k];
        const stopAt = k + 1 < starts.length ? starts[k + 1] : Infinity;
        opts.onCallerRange?.(k, () => Atomics.load(next, 0));
        outcomes[k] = scanRange(
          src,
          { ...job, start, stopAt },
          (off) => {
            done[k] = off - start;
            report();
          },
          keys,
        );
      }
    } catch (e) {
      if (k === 0) throw e; // range 0 starts at a real record: its error is the file's
      Atomics.store(next, 0, starts.length); // the workers stop claiming
      return undefined;
    }
    // Progress is reported by the scanning calling thread; otherwise from the shared counters,
    // and what onProgress throws (a cancellation) ends the analysis as it would on this thread.
    let ticker: ReturnType<typeof setInterval> | undefined;
    const tickFailed = new Promise<never>((_, reject) => {
      if (callerScans || !opts.onProgress) return;
      ticker = setInterval(() => {
        try {
          report();
        } catch (e) {
          clearInterval(ticker);
          reject(e);
        }
      }, 100);
    });
    // A range that began at a false record start (inside a quoted field or a JSON string) may
    // fail to parse: that is a wrong split, not a bad file. Rescan on one thread, which then
    // reports the file's real first error, if any.
    let scannedAll: boolean;
    try {
      scannedAll = await Promise.race([Promise.all(pending).then(() => true, () => false), tickFailed]);
    } finally {
      clearInterval(ticker);
    }
    if (!scannedAll) return undefined;
    report();
    const results: RangeResult[] = [];
    for (let k = 0; k < starts.length; k++) {
      const o = outcomes[k];
      if (!o || o.stoppedAt !== (k + 1 < starts.length ? starts[k + 1] : -1)) return undefined;
      results.push(o.result);
    }
    return { parts: results, keys };
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
