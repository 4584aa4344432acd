/**
 * The worker thread entry (dist/worker.js). Thin: it turns messages into engine calls and
 * results (or LossInspectorErrors) into messages. See src/shared/workerProtocol.ts.
 */
import { DEFAULT_CONFIDENCE } from '../core/intervals/report';
import { parentPort } from 'node:worker_threads';
import { toUserError } from '../core/errors';
import { familyOf } from '../core/families';
import { analyzeFile, detectTask } from '../engine/analyze';
import { compareFiles, type CompareOptions } from '../engine/compare';
import { FileInfo, inspectFile } from '../engine/inspect';
import { isColumnar } from '../engine/columnar';
import { scanRange } from '../engine/scan';
import { zstdReady } from '../engine/zstdPages';
import { ByteSource, memorySource, openFileSource } from '../engine/source';
import type { FromScanWorker, ToScanWorker } from '../shared/scanProtocol';
import type { AnyFamily, FamilyPart, FamilyPassPlan } from '../core/families';
import type { CompareSettings, FromWorker, InspectRequest, SourceSpec, ToWorker } from '../shared/workerProtocol';
import type { FollowLogRequest, FromLogWorker } from '../shared/logProtocol';
import type { DecompressAheadRequest } from '../shared/aheadProtocol';
import { decompressAhead } from '../engine/aheadProducer';
import { followLog } from './followLog';

const port = parentPort;
if (!port) throw new Error('worker.js must run in a worker thread');

function post(m: FromWorker | FromScanWorker | FromLogWorker, transfer: ArrayBuffer[] = []): void {
  port?.postMessage(m, transfer);
}

function open(spec: SourceSpec): ByteSource {
  return spec.kind === 'path' ? openFileSource(spec.path, spec.name) : memorySource(spec.bytes, spec.name);
}

/** The scan's second pass, when it arrives (a scan worker waits for it after its last range). */
let passArrived: ((plan: FamilyPassPlan) => void) | undefined;

port.on('message', (msg: ToWorker | ToScanWorker | FollowLogRequest | DecompressAheadRequest) => {
  // A compressed file's text for a reading thread (engine/aheadSource.ts): it reports through
  // shared memory, never by message (the reader is blocked in Atomics.wait).
  if (msg.type === 'decompressAhead') return void decompressAhead(msg);
  if (msg.type === 'runPass') {
    passArrived?.(msg.plan);
    passArrived = undefined;
    return;
  }
  void handle(msg).catch((e: unknown) => {
    const name = msg.type === 'scanRanges' ? msg.name : msg.type === 'followLog' ? (msg.files[0]?.name ?? '') : msg.type === 'compare' ? (msg.sources[msg.sources.length - 1]?.name ?? '') : msg.source.name;
    post({ type: 'error', error: toUserError(e, name).toJSON() });
  });
});

/** After the scan: the plan (posted by the calling thread once every range is scanned), then each part with the pass run over it. */
async function passAndPost(family: AnyFamily, done: { index: number; result: FamilyPart; stoppedAt: number }[]): Promise<void> {
  const plan = await new Promise<FamilyPassPlan>((resolve) => (passArrived = resolve));
  for (const d of done) {
    const result = plan !== null && family.passRange ? family.passRange(plan, d.result, d.index) : d.result;
    post({ type: 'rangeDone', index: d.index, result, stoppedAt: d.stoppedAt }, family.transferables(result));
  }
  post({ type: 'rangesDone' });
}

async function handle(msg: ToWorker | ToScanWorker | FollowLogRequest): Promise<void> {
  switch (msg.type) {
    case 'followLog': // training logs (#17)
      followLog(msg, post);
      return;
    case 'scanRanges': {
      // This thread's WebAssembly zstd decoder, before its first page (zstdPages.ts).
      if (isColumnar(msg.job.info.format)) await zstdReady();
      const src = openFileSource(msg.path, msg.name, msg.identity);
      const family = familyOf(msg.job.task.family);
      // The parts stay here until the second pass has run over them (family.ts, step 5).
      const done: { index: number; result: FamilyPart; stoppedAt: number }[] = [];
      try {
        const progress = new Float64Array(msg.progress);
        const next = new Int32Array(msg.next);
        const thread = family.newThread(msg.job.task);
        for (let k = Atomics.add(next, 0, 1); k < msg.starts.length; k = Atomics.add(next, 0, 1)) {
          const start = msg.starts[k];
          const stopAt = k + 1 < msg.starts.length ? msg.starts[k + 1] : Infinity;
          const out = scanRange(src, { ...msg.job, start, stopAt }, thread, (off) => (progress[k] = off - start));
          done.push({ index: k, result: out.result, stoppedAt: out.stoppedAt });
        }
        const { state, transfer } = family.serializeThread(thread);
        post({ type: 'rangesScanned', thread: state, ranges: done.map((d) => ({ index: d.index, used: d.result.used, stoppedAt: d.stoppedAt })) }, transfer);
      } finally {
        src.close();
      }
      await passAndPost(family, done);
      return;
    }
    case 'compare': {
      const opened: ByteSource[] = [];
      try {
        for (const spec of msg.sources) opened.push(open(spec));
        post({ type: 'compareReport', report: compareFiles(opened, compareOptions(msg.settings, throttled())) });
      } finally {
        for (const s of opened) s.close();
      }
      return;
    }
    case 'inspect': {
      const src = open(msg.source);
      try {
        const info = inspectFile(src);
        post({ type: 'inspected', info, ...(msg.task ? taskOf(src, info, msg.task) : {}) });
      } finally {
        src.close();
      }
      return;
    }
    case 'analyze': {
      const src = open(msg.source);
      try {
        const s = msg.settings;
        const c = s.classification;
        const report = await analyzeFile(src, {
          columns: s.columns,
          params: { beta: s.beta, delta: s.delta, quantile: s.quantile, ...(s.power !== undefined ? { power: s.power } : {}) },
          topK: s.topK,
          bins: s.bins,
          threads: s.threads,
          task: s.task,
          classification: { scores: c.scores, positive: c.positive, binary: { threshold: c.threshold, gamma: c.gamma, alpha: c.alpha } },
          intervals: { confidence: s.confidence ?? DEFAULT_CONFIDENCE, baseline: s.baseline },
          onProgress: throttled(),
        });
        post({ type: 'report', report });
      } finally {
        src.close();
      }
      return;
    }
  }
}

/**
 * The family analyzeFile would run: the task asked for, or the auto rule's (undefined when it
 * cannot tell, say without a target), with the label's sampled classes.
 */
function taskOf(src: ByteSource, info: FileInfo, t: NonNullable<InspectRequest['task']>): { task?: 'regression' | 'binary' | 'multiclass'; labels?: string[] } {
  try {
    return detectTask(src, info, { columns: t.columns }, t.choice);
  } catch {
    return t.choice !== 'auto' ? { task: t.choice } : {};
  }
}

/** Progress posted at most every 100 ms (and at the end): the host redraws on each. */
function throttled(): (done: number, total: number) => void {
  let last = 0;
  return (done, total) => {
    const now = Date.now();
    if (now - last < 100 && done < total) return;
    last = now;
    post({ type: 'progress', done, total });
  };
}

/** The engine's options of a comparison, from the host's settings (as the CLI's compare makes them). */
function compareOptions(s: CompareSettings, onProgress: (done: number, total: number) => void): CompareOptions {
  return {
    ...(s.key !== undefined ? { key: s.key } : {}),
    // The group-by column comes from a setting: optional, as for one file.
    columns: { target: s.target, predictions: s.predictions, weight: s.weight, ...(s.groupBy ? { groupBy: s.groupBy, groupByOptional: true } : {}) },
    task: s.task,
    classification: { scores: s.classification.scores, positive: s.classification.positive, binary: { threshold: s.classification.threshold, gamma: s.classification.gamma, alpha: s.classification.alpha } },
    params: { beta: s.beta, delta: s.delta, quantile: s.quantile, ...(s.power !== undefined ? { power: s.power } : {}) },
    topK: s.topK,
    bins: s.bins,
    intervals: { confidence: s.confidence, baseline: s.baseline },
    onProgress,
  };
}
