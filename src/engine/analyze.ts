import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { LossInspectorError, fromSerialized } from '../core/errors';
import { AnyFamily, familyOf, FamilyPart, FamilyReport } from '../core/families';
import { BLOCK_BYTES } from '../core/family';
import type { ClassificationOptions } from '../core/tasks/classification';
import { labelNumber, orderClasses } from '../core/tasks/classification/classes';
import type { Report } from '../core/tasks/regression/report';
import type { RegressionOptions } from '../core/tasks/regression';
import { defaultTarget } from '../core/tasks/regression/columns';
import type { MulticlassOptions } from '../core/tasks/multiclass';
import { arrayScoreFields } from '../core/tasks/multiclass/arrays';
import { findClassColumns } from '../core/tasks/multiclass/columns';
import type { FromScanWorker, RunPassRequest, ScanRangesRequest } from '../shared/scanProtocol';
import type { FileIdentity } from '../core/fileInfo';
import { COLUMNAR_PARALLEL_ROWS, columnarSplitPoints, isColumnar } from './columnar';
import { FileInfo, inspectFile } from './inspect';
import { sampleLabels } from './sample';
import { zstdReady } from './zstdPages';
import { compressionOf } from './compressed';
import { scanRange, ScanJob } from './scan';
import { ByteSource } from './source';

/** Which family of losses: `auto` tells a binary label from a numeric target (see detectTask). */
export type TaskChoice = 'auto' | 'regression' | 'binary' | 'multiclass';

/** What to compute (the families' options) and how to scan. */
export interface AnalyzeOptions extends RegressionOptions {
  /** For analyzeFile (analyze() is regression only); default auto. */
  task?: TaskChoice;
  /** Classification settings (scores kind, positive class, threshold, focal γ/α, label smoothing). */
  classification?: Omit<ClassificationOptions, 'columns' | 'topK'>;
  /** Scan threads; 0 or undefined = automatic (one per core above the size threshold). 1 also keeps a compressed file's decompression on the scanning thread (aheadOf). */
  threads?: number;
  /** Files smaller than this are scanned on the calling thread. */
  parallelThreshold?: number;
  /** Read buffer size (tests use tiny ones to exercise record boundaries). */
  chunkSize?: number;
  /** Ranges per thread (default 1; tests use more, so that threads claim several in turn). */
  rangesPerThread?: number;
  /**
   * Whether the calling thread scans ranges too (default true). The CLI passes false: it turns off
   * V8's concurrent recompilation before starting the workers (see src/cli/main.ts), which only
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
 * Below this a second thread costs more than it saves (a worker's start-up and JIT warm-up); the
 * measurements that chose it are in docs/performance.md.
 */
export const DEFAULT_PARALLEL_THRESHOLD = 32 << 20;

/** A regression analysis: inspects, scans (in parallel for large local files) and builds the report. */
export async function analyze(src: ByteSource, opts: AnalyzeOptions, known?: FileInfo): Promise<Report> {
  const info = known ?? inspectFile(src);
  return (await run(src, info, familyOf('regression'), opts, opts)) as Report;
}

/**
 * Any family: the task asked for, or (auto) the one the file's columns and first labels call for.
 * What the CLI and the extension run.
 */
export async function analyzeFile(src: ByteSource, opts: AnalyzeOptions, known?: FileInfo): Promise<FamilyReport> {
  const info = known ?? inspectFile(src);
  // Before the first page is read (the label sample): see zstdPages.ts.
  if (isColumnar(info.format)) await zstdReady();
  const asked = opts.task ?? 'auto';
  if (asked === 'regression') return run(src, info, familyOf('regression'), opts, opts);
  const { task, labels } = detectTask(src, info, opts, asked);
  const c = opts.classification ?? {};
  if (task === 'binary') {
    const options: ClassificationOptions = { ...c, columns: opts.columns, topK: opts.topK, intervals: opts.intervals, labels };
    return run(src, info, familyOf('classification'), options, opts);
  }
  if (task === 'multiclass') {
    const options: MulticlassOptions = { columns: opts.columns, labels, scores: c.scores, gamma: c.binary?.gamma, labelSmoothing: c.labelSmoothing, topK: opts.topK, intervals: opts.intervals };
    return run(src, info, familyOf('multiclass'), options, opts);
  }
  return run(src, info, familyOf('regression'), opts, opts);
}

/**
 * The auto rule, from the target's first values (up to SAMPLE_ROWS rows):
 * - exactly two distinct values, 0 and 1, −1 and +1, or two values that are not both numbers
 *   (true/false, yes/no, two names): a binary label, whatever the score columns hold
 *   (probabilities or logits);
 * - three or more values and, per model, one score column per value (named as the value, or a
 *   prefix plus the value: multiclass/columns.ts), or a JSON field holding an array of scores
 *   per row (`probs`, `logits`, …: multiclass/arrays.ts): multiclass;
 * - anything else (two other numbers such as 1 and 2 included): a numeric target, regression.
 * A label that turns out to have another value further on makes the classification report refuse
 * the file (binary) or leave the row out with a warning (multiclass), never a wrong number.
 * With `asked` binary or multiclass, the sample only supplies the labels.
 */
export function detectTask(src: ByteSource, info: FileInfo, opts: Pick<AnalyzeOptions, 'columns'>, asked: TaskChoice = 'auto'): { task: 'regression' | 'binary' | 'multiclass'; labels: string[] } {
  const req = opts.columns ?? {};
  const target = req.target !== undefined ? req.target : defaultTarget(info.columns);
  if (target === undefined || !info.columns.includes(target)) return { task: asked === 'auto' ? 'regression' : asked, labels: [] };
  const comma = info.dialect?.decimalComma ?? false;
  const classes = orderClasses(sampleLabels(src, info, target, SAMPLE_ROWS), comma).classes;
  if (asked !== 'auto') return { task: asked, labels: classes };
  if (isBinaryLabel(classes, comma)) return { task: 'binary', labels: classes };
  const names = req.predictions && req.predictions.length ? req.predictions : undefined;
  // Class columns, or (JSON) an array of scores per row: planning then checks k and the labels.
  if (classes.length >= 3 && (findClassColumns(info.columns, target, classes, names) || arrayScoreFields(info.arrays, target, names).length > 0)) {
    return { task: 'multiclass', labels: classes };
  }
  return { task: 'regression', labels: classes };
}

/** Two classes that name a binary label: 0/1, −1/+1, or two values that are not both numbers (true/false, yes/no, ham/spam). */
export function isBinaryLabel(classes: string[], decimalComma = false): boolean {
  if (classes.length !== 2) return false;
  const [a, b] = classes.map((c) => labelNumber(c, decimalComma));
  if (Number.isNaN(a) || Number.isNaN(b)) return true;
  return (a === 0 && b === 1) || (a === -1 && b === 1);
}

/** Rows of the head whose target values decide the task. */
export const SAMPLE_ROWS = 2000;

async function run(src: ByteSource, info: FileInfo, family: AnyFamily, options: unknown, opts: AnalyzeOptions): Promise<FamilyReport> {
  // zstd's WebAssembly decoder, for pages and for `.zst` text read on this thread (zstdPages.ts).
  if (isColumnar(info.format) || compressionOf(src.name) === 'zstd') await zstdReady();
  const task = family.plan(info, options, src.name);
  const job: ScanJob = { info, task, start: info.dataStart, stopAt: Infinity, chunkSize: opts.chunkSize };
  const threads = decideThreads(src, info, opts);
  let scanned: Scanned | undefined;
  if (opts.stats) Object.assign(opts.stats, { ranges: 0, rangesOnWorkers: 0, fellBack: false });
  if (threads > 1 && src.path && src.identity) {
    scanned = await scanParallel(src, family, job, threads, opts);
    if (opts.stats) opts.stats.fellBack = !scanned;
  }
  if (!scanned) {
    const thread = family.newThread(task);
    const read = aheadOf(src, opts) ?? src;
    try {
      // A compressed file's progress is that of its compressed bytes (its text's size is unknown).
      const progress = read.progress;
      const onProgress = progress
        ? () => {
            const p = progress();
            opts.onProgress?.(p.done, p.total);
          }
        : (off: number) => opts.onProgress?.(off, src.size);
      const { result } = scanRange(read, job, thread, onProgress);
      scanned = { parts: [result], thread };
    } finally {
      if (read !== src) read.close();
    }
  }
  // A file that grew, shrank or was rewritten during the scan gives numbers of no file at all.
  src.verifyUnchanged?.();
  const report = family.buildReport(scanned.parts, scanned.thread, task, { file: src.name, info });
  if (info.notes?.length) report.warnings.unshift(...info.notes);
  return report;
}

/** Compressed files of fewer bytes than this are decompressed on the scanning thread (a worker's start costs more). */
export const AHEAD_THRESHOLD = 4 << 20;

/**
 * A compressed local file is decompressed in a worker while this thread scans its text (the same
 * bytes, so the same report): unless one thread was asked for, or the file is small.
 */
function aheadOf(src: ByteSource, opts: AnalyzeOptions): ByteSource | undefined {
  if (!src.ahead || opts.threads === 1) return undefined;
  if ((src.progress?.().total ?? 0) < (opts.parallelThreshold ?? AHEAD_THRESHOLD)) return undefined;
  const script = opts.workerScript ?? path.join(__dirname, 'worker.js');
  // Without its bundle a worker would never start, and this thread would wait for it: read here.
  if (!fs.existsSync(script)) return undefined;
  return src.ahead(script, opts.workerExecArgv);
}

/** Range results in file order, and the family's state merged over all threads. */
interface Scanned {
  parts: FamilyPart[];
  thread: unknown;
}

function decideThreads(src: ByteSource, info: FileInfo, opts: AnalyzeOptions): number {
  // An object of arrays, and pandas' orients: read on one thread (their records are not split points).
  if (info.format === 'json' && info.jsonShape !== undefined && info.jsonShape !== 'records') return 1;
  // A compressed file is decompressed from its start: one thread (workers could not seek in it).
  if (!Number.isFinite(src.size)) return 1;
  if (opts.threads && opts.threads > 0) return opts.threads;
  if (info.columnar) {
    // Columnar files: by rows (their bytes say little of the work), in parallel only across units.
    if (info.columnar.units.length < 2 || info.columnar.rows < (opts.parallelThreshold ?? COLUMNAR_PARALLEL_ROWS)) return 1;
  } else if (src.size < (opts.parallelThreshold ?? DEFAULT_PARALLEL_THRESHOLD)) return 1;
  return Math.max(1, Math.min(os.availableParallelism(), 8));
}

/**
 * Splits [dataStart, size) into ranges aligned to record starts and scans them on this thread and
 * `n − 1` workers (or, with `callerScans: false`, on `n` workers while this thread waits), each
 * thread claiming the next range with an atomic counter. One range per thread by default: more
 * and smaller ranges measured slower than the balance they buy (docs/performance.md). Every
 * split is checked:
 * range k must stop exactly where range k + 1 begins. If a split landed inside a record (a
 * newline inside quotes, say), returns undefined and the caller scans the file on one thread.
 */
async function scanParallel(src: ByteSource, family: AnyFamily, job: ScanJob, n: number, opts: AnalyzeOptions): Promise<Scanned | undefined> {
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
  // The workers' ranges as their scans end (their parts follow the second pass: family.ts, step 5).
  const scannedRanges: ({ used: number; stoppedAt: number } | undefined)[] = new Array(starts.length);
  const thread = family.newThread(job.task);
  const script = opts.workerScript ?? path.join(__dirname, 'worker.js');
  const workers: Worker[] = [];
  const pending: Promise<void>[] = [];
  const posting: Promise<void>[] = [];
  try {
    // A columnar file is scanned by this thread too, whatever the caller asked: one isolate
    // fewer measured both faster and smaller on the 1e7-row Parquet file (2 threads: 3.17 s and
    // 197 MiB peak RSS against 3.50 s and 217 MiB on workers only; docs/performance.md).
    const callerScans = isColumnar(job.info.format) || (opts.callerScans ?? true);
    for (let k = callerScans ? 1 : 0; k < Math.min(n, starts.length); k++) {
      // A small young generation: scanning allocates little, and each MiB here is RSS.
      const w = new Worker(script, { execArgv: opts.workerExecArgv, resourceLimits: { maxYoungGenerationSizeMb: 4 } });
      workers.push(w);
      const msg: ScanRangesRequest = { type: 'scanRanges', path: src.path as string, name: src.name, identity: src.identity as FileIdentity, job, starts, next: nextBuf, progress };
      // Settled when the worker's ranges are scanned, and when its parts are posted.
      const scanned = deferred();
      const posted = deferred();
      const failed = (e: unknown): void => {
        scanned.reject(e);
        posted.reject(e);
      };
      w.on('message', (m: FromScanWorker) => {
        if (m.type === 'rangesScanned') {
          family.mergeThread(thread, m.thread);
          for (const r of m.ranges) scannedRanges[r.index] = { used: r.used, stoppedAt: r.stoppedAt };
          scanned.resolve();
        } else if (m.type === 'rangeDone') {
          outcomes[m.index] = { result: m.result, stoppedAt: m.stoppedAt };
          if (opts.stats) opts.stats.rangesOnWorkers++;
        } else if (m.type === 'rangesDone') posted.resolve();
        else if (m.type === 'error') failed(fromSerialized(m.error));
      });
      w.on('error', (e) => failed(new LossInspectorError('internal', `A scan worker failed: ${e.message}`, { file: src.name })));
      w.on('exit', (code) => failed(new LossInspectorError('internal', `A scan worker stopped unexpectedly (exit code ${code}).`, { file: src.name })));
      pending.push(scanned.promise);
      posting.push(posted.promise);
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
        outcomes[k] = scanRange(src, { ...job, start, stopAt }, thread, (off) => {
          done[k] = off - start;
          report();
        });
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
    let failure: unknown;
    try {
      scannedAll = await Promise.race([
        Promise.all(pending).then(
          () => true,
          (e: unknown) => {
            failure = e;
            return false;
          },
        ),
        tickFailed,
      ]);
    } finally {
      clearInterval(ticker);
    }
    // A worker that found another file at the path (replaced by a rename): not a wrong split.
    if (failure instanceof LossInspectorError && failure.code === 'fileChanged') throw failure;
    if (!scannedAll) return undefined;
    report();
    const used: number[] = [];
    for (let k = 0; k < starts.length; k++) {
      const o = outcomes[k] ?? scannedRanges[k];
      if (!o || o.stoppedAt !== (k + 1 < starts.length ? starts[k + 1] : -1)) return undefined;
      used.push('used' in o ? o.used : o.result.used);
    }
    // The second pass, over the parts where they were scanned (this thread's: in buildReport).
    const plan = family.passPlan ? family.passPlan(used, thread, job.task) : null;
    const run: RunPassRequest = { type: 'runPass', plan };
    for (const w of workers) w.postMessage(run);
    await Promise.all(posting);
    const results: FamilyPart[] = [];
    for (let k = 0; k < starts.length; k++) {
      const o = outcomes[k];
      if (!o) throw new LossInspectorError('internal', `A scan worker did not return range ${k}.`, { file: src.name });
      results.push(o.result);
    }
    return { parts: results, thread };
  } finally {
    // Wait for the workers' isolates to go before the report is built: that is the peak.
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

/**
 * Candidate range starts: the first record starting at or after equally spaced offsets rounded to
 * BLOCK_BYTES, so that each summation block is scanned by one thread (see family.ts).
 */
export function splitPoints(src: ByteSource, info: FileInfo, n: number): number[] {
  if (isColumnar(info.format)) return columnarSplitPoints(info, src.size, n);
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

type ScanOutcomeLike = { result: FamilyPart; stoppedAt: number };

/** A promise with its settle functions; a rejection nobody awaits yet is not reported as unhandled (it is observed later). */
function deferred(): { promise: Promise<void>; resolve: () => void; reject: (e: unknown) => void } {
  let resolve = (): void => undefined;
  let reject = (e: unknown): void => void e;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}
