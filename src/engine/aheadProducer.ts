/**
 * The worker's side of a compressed file decompressed ahead (aheadSource.ts reads). It fills the
 * shared ring slot by slot and waits while every slot is full, so a zip bomb is decompressed no
 * faster than the scan reads it, in bounded memory. It runs to the end of the file, an error, or
 * the reader's cancel.
 *
 * gzip: Node's zlib, whose streams are asynchronous, which a worker can wait for (the reading
 * thread cannot: compressed.ts's fflate is there for it); zlib checks each member's CRC-32 and
 * length itself and was ~7 × fflate on csv1e7's file (docs/performance.md). zstd: compressed.ts's
 * decoder, checks and sentences, with zstddec's WebAssembly (zstdStream.ts).
 */
import * as zlib from 'node:zlib';
import type { SerializedError } from '../core/errors';
import { AHEAD_ERROR_BYTES, AHEAD_SLOT_BYTES, AHEAD_SLOTS, AheadWord, type DecompressAheadRequest } from '../shared/aheadProtocol';
import type { ByteSource } from './byteSource';
import { corrupt, decodeError, newDecoder, readFully } from './compressed';
import { openRawFile } from './source';
import { zstdReady } from './zstdPages';

/** Thrown out of the decoders' callbacks when the reader cancels. */
class Cancelled {}

/** Compressed bytes per write to zlib, and the size of its output chunks. */
const GZIP_READ = 1 << 18;

export async function decompressAhead(msg: DecompressAheadRequest): Promise<void> {
  const c = new Int32Array(msg.control);
  const position = new Float64Array(msg.position);
  const data = new Uint8Array(msg.data);
  let slot = 0;
  let fill = 0;
  /** Bytes put in the slots, and those of them decoded before the current push (zstd). */
  let emitted = 0;
  let beforePush = 0;
  const signal = () => {
    Atomics.add(c, AheadWord.Sequence, 1);
    Atomics.notify(c, AheadWord.Sequence);
  };
  const publish = () => {
    Atomics.store(c, AheadWord.Count + (slot % AHEAD_SLOTS), fill);
    Atomics.add(c, AheadWord.Published, 1);
    slot++;
    fill = 0;
    signal();
  };
  /** Waits until the reader has given back the slot to fill next. */
  const room = () => {
    for (;;) {
      if (Atomics.load(c, AheadWord.Cancel)) throw new Cancelled();
      const consumed = Atomics.load(c, AheadWord.Consumed);
      if (slot - consumed < AHEAD_SLOTS) return;
      Atomics.wait(c, AheadWord.Consumed, consumed, 1000);
    }
  };
  const emit = (chunk: Uint8Array) => {
    emitted += chunk.length;
    for (let at = 0; at < chunk.length; ) {
      if (fill === 0) room();
      const n = Math.min(AHEAD_SLOT_BYTES - fill, chunk.length - at);
      data.set(chunk.subarray(at, at + n), (slot % AHEAD_SLOTS) * AHEAD_SLOT_BYTES + fill);
      fill += n;
      at += n;
      if (fill === AHEAD_SLOT_BYTES) publish();
    }
  };
  const step = (rawPos: number) => {
    position[0] = rawPos;
    Atomics.add(c, AheadWord.Beat, 1);
  };
  let raw: ByteSource | undefined;
  try {
    raw = openRawFile(msg.path, msg.name, msg.identity);
    if (msg.kind === 'gzip') {
      await gunzip(raw, emit, step);
      beforePush = emitted;
    } else {
      await zstdReady(); // zstd's WebAssembly decoder on this thread (zstdStream.ts)
      const decoder = newDecoder(raw, msg.kind, emit);
      try {
        for (;;) {
          beforePush = emitted;
          if (!decoder.feed()) break;
          step(decoder.rawPos);
        }
        step(decoder.rawPos);
      } finally {
        decoder.close?.();
      }
    }
    if (fill > 0) publish();
    Atomics.store(c, AheadWord.State, 1);
  } catch (e) {
    if (e instanceof Cancelled) return;
    // The reader meets the error where compressed.ts's in-thread source would throw it: after
    // the text of every push before the failing one (a scan may find its own error in it first).
    if (msg.kind === 'gzip') beforePush = emitted;
    const keep = beforePush - (emitted - fill);
    if (keep > 0) {
      fill = keep;
      publish();
    }
    const err = decodeError(e, msg.name, msg.kind, emitted);
    let bytes = encode(err.toJSON());
    if (bytes.length > AHEAD_ERROR_BYTES) bytes = encode({ ...err.toJSON(), message: err.message.slice(0, AHEAD_ERROR_BYTES >> 3) + '…' });
    new Uint8Array(msg.error).set(bytes);
    Atomics.store(c, AheadWord.ErrorLength, bytes.length);
    Atomics.store(c, AheadWord.State, 2);
  } finally {
    raw?.close();
    signal();
  }
}

function encode(e: SerializedError): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(e));
}

/** zlib's words for what it found, as the problem compressed.ts's sentences name. */
const ZLIB_PROBLEM: Record<string, string> = {
  'unexpected end of file': 'it ends inside a member (it was cut short)',
  'incorrect data check': 'the CRC-32 of a member does not match its data, which is damaged',
  'incorrect length check': 'the length of a member does not match its data, which is damaged or cut short',
  'incorrect header check': 'unexpected bytes where a gzip member should start',
};

/** Reads `raw` through zlib's gunzip (every member), handing its output to `emit`. */
function gunzip(raw: ByteSource, emit: (chunk: Uint8Array) => void, step: (rawPos: number) => void): Promise<void> {
  const file = raw.name;
  const head = new Uint8Array(2);
  const n = readFully(raw, head, 2, 0);
  if (n === 0) return Promise.resolve(); // an empty file: empty text
  if (n < 2 || head[0] !== 0x1f || head[1] !== 0x8b) return Promise.reject(corrupt(file, 'gzip', 'it does not start with the gzip signature'));
  return new Promise((resolve, reject) => {
    const g = zlib.createGunzip({ chunkSize: GZIP_READ });
    let failed = false;
    const fail = (e: unknown) => {
      if (failed) return;
      failed = true;
      g.destroy();
      reject(e);
    };
    g.on('data', (chunk: Buffer) => {
      try {
        emit(chunk);
      } catch (e) {
        fail(e);
      }
    });
    g.on('error', (e: Error) => {
      const problem = ZLIB_PROBLEM[e.message];
      fail(problem ? corrupt(file, 'gzip', problem) : e);
    });
    g.on('end', () => {
      if (!failed) resolve();
    });
    let pos = 0;
    const feed = () => {
      try {
        while (!failed) {
          const chunk = Buffer.allocUnsafe(GZIP_READ);
          const got = readFully(raw, chunk, GZIP_READ, pos);
          pos += got;
          step(pos);
          if (got === 0) {
            g.end();
            return;
          }
          if (!g.write(got === GZIP_READ ? chunk : chunk.subarray(0, got))) {
            g.once('drain', feed);
            return;
          }
        }
      } catch (e) {
        fail(e);
      }
    };
    feed();
  });
}
