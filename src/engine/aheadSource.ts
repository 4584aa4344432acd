/**
 * A compressed local file's text, decompressed ahead in a worker thread while this thread reads
 * it (#14: decompressing and scanning one after the other on one thread took the time of both).
 * The worker (aheadProducer.ts, in dist/worker.js) runs the same decoders with the same checks as
 * compressed.ts and fills a ring of AHEAD_SLOTS shared slots of AHEAD_SLOT_BYTES; reads copy out
 * of the slots and block in Atomics.wait while the next one is not filled. Memory stays bounded
 * whatever the file (a zip bomb too): the ring, plus what the worker's decoder holds of one push.
 *
 * The reads are synchronous (the engine's scans are), so nothing can arrive as a message while
 * this thread waits: the worker's end, its error (a SerializedError) and its progress are in the
 * shared buffers (shared/aheadProtocol.ts). A worker that never starts or dies gives a sentence
 * after STALL_MS without a sign of life, never a hang.
 *
 * Reads go forward, as compressed.ts's: a read before the last one's end starts a new worker
 * from the first compressed byte.
 */
import { Worker } from 'node:worker_threads';
import { fromSerialized, LossInspectorError, type SerializedError } from '../core/errors';
import type { FileIdentity } from '../core/fileInfo';
import { AHEAD_ERROR_BYTES, AHEAD_SLOT_BYTES, AHEAD_SLOTS, AheadWord, type DecompressAheadRequest } from '../shared/aheadProtocol';
import type { ByteSource } from './byteSource';

/** How long the worker may show no sign of life (start-up included) before the read fails. */
const STALL_MS = 60_000;
/** Each wait's bound, after which the worker's heartbeat is looked at. */
const WAIT_MS = 1000;

export interface AheadFile {
  path: string;
  name: string;
  identity: FileIdentity;
  kind: 'gzip' | 'zstd';
  /** The compressed file's size (the progress's total). */
  size: number;
}

/** The text of `file`, decompressed by a worker started from `script` (dist/worker.js). */
export function aheadSource(file: AheadFile, script: string, execArgv?: string[]): ByteSource {
  let run = start(file, script, execArgv);
  return {
    name: file.name,
    size: Infinity,
    progress: () => ({ done: run.position[0], total: file.size }),
    read(buf, offset, length, position) {
      if (position < run.outPos) {
        stop(run);
        run = start(file, script, execArgv);
      }
      while (run.outPos < position) {
        const n = take(run, null, 0, position - run.outPos);
        if (n === 0) return 0;
      }
      let done = 0;
      while (done < length) {
        const n = take(run, buf, offset + done, length - done);
        if (n === 0) break;
        done += n;
      }
      return done;
    },
    close() {
      stop(run);
    },
  };
}

interface Run {
  name: string;
  worker: Worker;
  control: Int32Array;
  position: Float64Array;
  error: Uint8Array;
  data: Uint8Array;
  /** Offset (decompressed) of the next byte to read. */
  outPos: number;
  /** Slots taken so far; the current one is taken % AHEAD_SLOTS, read up to `head`. */
  taken: number;
  head: number;
  /** The worker's failure, once read (thrown again by later reads). */
  failed?: LossInspectorError;
  /** A 'error' event of the worker (seen only if this thread's event loop runs). */
  crashed?: string;
}

function start(file: AheadFile, script: string, execArgv?: string[]): Run {
  const control = new SharedArrayBuffer(4 * (AheadWord.Count + AHEAD_SLOTS));
  const position = new SharedArrayBuffer(8);
  const error = new SharedArrayBuffer(AHEAD_ERROR_BYTES);
  const data = new SharedArrayBuffer(AHEAD_SLOTS * AHEAD_SLOT_BYTES);
  // A small young generation, as the scan workers': the decoder's output chunks are the garbage.
  const worker = new Worker(script, { execArgv, resourceLimits: { maxYoungGenerationSizeMb: 4 } });
  const run: Run = { name: file.name, worker, control: new Int32Array(control), position: new Float64Array(position), error: new Uint8Array(error), data: new Uint8Array(data), outPos: 0, taken: 0, head: 0 };
  worker.on('error', (e) => (run.crashed = e.message));
  worker.unref();
  const msg: DecompressAheadRequest = { type: 'decompressAhead', path: file.path, name: file.name, identity: file.identity, kind: file.kind, control, position, error, data };
  worker.postMessage(msg);
  return run;
}

function stop(run: Run): void {
  Atomics.store(run.control, AheadWord.Cancel, 1);
  Atomics.notify(run.control, AheadWord.Consumed);
  void run.worker.terminate();
}

/**
 * Copies up to `length` bytes of the text into `buf` at `offset` (or skips them when `buf` is
 * null) from the current slot, waiting for it if need be; 0 at the end of the text.
 */
function take(run: Run, buf: Uint8Array | null, offset: number, length: number): number {
  if (run.failed) throw run.failed;
  const c = run.control;
  let seen = -1;
  let beat = -1;
  let quiet = 0;
  for (;;) {
    const seq = Atomics.load(c, AheadWord.Sequence);
    if (Atomics.load(c, AheadWord.Published) > run.taken) break;
    const state = Atomics.load(c, AheadWord.State);
    if (state === 1) return 0;
    if (state === 2) throw (run.failed = failure(run));
    // Waits for the worker; its heartbeat tells a slow start or a long push from a dead thread.
    const b = Atomics.load(c, AheadWord.Beat);
    if (seq !== seen || b !== beat) {
      seen = seq;
      beat = b;
      quiet = 0;
    } else if ((quiet += WAIT_MS) >= STALL_MS || run.crashed !== undefined) {
      const why = run.crashed !== undefined ? `failed (${run.crashed})` : `gave no sign of life for ${STALL_MS / 1000} s`;
      throw (run.failed = new LossInspectorError('internal', `The thread decompressing '${run.name}' ${why}; the file was not read to its end.`, { file: run.name }));
    }
    Atomics.wait(c, AheadWord.Sequence, seq, WAIT_MS);
  }
  const slot = run.taken % AHEAD_SLOTS;
  const len = Atomics.load(c, AheadWord.Count + slot);
  const n = Math.min(len - run.head, length);
  const from = slot * AHEAD_SLOT_BYTES + run.head;
  if (buf) buf.set(run.data.subarray(from, from + n), offset);
  run.head += n;
  run.outPos += n;
  if (run.head === len) {
    run.head = 0;
    run.taken++;
    Atomics.add(c, AheadWord.Consumed, 1);
    Atomics.notify(c, AheadWord.Consumed);
  }
  return n;
}

function failure(run: Run): LossInspectorError {
  const n = Atomics.load(run.control, AheadWord.ErrorLength);
  // TextDecoder does not take a view of shared memory: copied first.
  const s = JSON.parse(new TextDecoder().decode(run.error.slice(0, n))) as SerializedError;
  return fromSerialized(s);
}
