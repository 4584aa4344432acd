/**
 * A compressed file decompressed ahead (#14): the thread that scans a `.gz` or `.zst` file asks a
 * worker (the same dist/worker.js) to decompress it into a ring of shared slots, and reads the
 * text from them while the worker decompresses further (engine/aheadSource.ts reads,
 * engine/aheadProducer.ts writes). The reading thread blocks in Atomics.wait, so nothing goes
 * back as a message: the end, an error and the progress are in the shared buffers too.
 */
import type { FileIdentity } from '../core/fileInfo';

/** Slots in the ring, and the bytes each holds: 8 MiB of text between the two threads at most. */
export const AHEAD_SLOTS = 8;
export const AHEAD_SLOT_BYTES = 1 << 20;
/** Room for the error (a SerializedError as UTF-8 JSON). */
export const AHEAD_ERROR_BYTES = 4096;

/** Int32 words of `control`, after which come AHEAD_SLOTS words: each slot's length. */
export const AheadWord = {
  /** Slots filled by the worker, ever (slot i is index i % AHEAD_SLOTS). */
  Published: 0,
  /** Slots given back by the reader, ever. */
  Consumed: 1,
  /** 0 while decompressing, 1 at the end of the text, 2 after an error (in `error`). */
  State: 2,
  /** Set by the reader: stop (the reader closed or started again). */
  Cancel: 3,
  /** Bumped on every publication and state change: what the reader waits on. */
  Sequence: 4,
  /** Bumped by the worker after each step of decompression: tells a slow worker from a dead one. */
  Beat: 5,
  /** Bytes of UTF-8 JSON in `error`. */
  ErrorLength: 6,
  Count: 8,
} as const;

/** ---- reading thread → worker ---- */
export interface DecompressAheadRequest {
  type: 'decompressAhead';
  path: string;
  name: string;
  /** The file the reading thread opened: another one at `path` fails with fileChanged. */
  identity: FileIdentity;
  kind: 'gzip' | 'zstd';
  /** Int32Array: AheadWord.Count words, then AHEAD_SLOTS slot lengths. */
  control: SharedArrayBuffer;
  /** Float64Array(1): compressed bytes read so far (the progress). */
  position: SharedArrayBuffer;
  /** AHEAD_ERROR_BYTES bytes. */
  error: SharedArrayBuffer;
  /** AHEAD_SLOTS × AHEAD_SLOT_BYTES bytes of text. */
  data: SharedArrayBuffer;
}
