/**
 * Compressed text files (`x.csv.gz`, `x.jsonl.zst`, …): a ByteSource over the decompressed bytes
 * of another ByteSource, decompressed as it is read (never the whole file in memory).
 *
 * Reads go forward: each read continues where the last one ended, and the decompressed bytes
 * before it are dropped. A read before that point (the scan starting again at the data after the
 * head was inspected) starts the decompression again from the first compressed byte. The
 * decompressed size is not known up front: `size` is Infinity, reads say the end by returning 0,
 * and `progress()` tells how much of the compressed file has been read.
 *
 * gzip: fflate's streaming Gunzip (multi-member files too), with each member's CRC-32 and length
 * (its 8-byte trailer) checked here, since fflate skips them. zstd: fzstd's streaming
 * Decompress, fed whole blocks found by walking the frames' headers here, so that one push never
 * produces more than a few blocks of output (a zip bomb is decompressed as slowly, and in as
 * little memory, as any file); each frame's content size and checksum (XXH64, which fzstd skips)
 * are checked when its header has them. Why these libraries: docs/performance.md.
 */
import * as zlib from 'node:zlib';
import { Gunzip } from 'fflate';
import { Decompress } from 'fzstd';
import { LossInspectorError } from '../core/errors';
import type { FileIdentity } from '../core/fileInfo';
import { aheadSource } from './aheadSource';
import type { ByteSource } from './byteSource';
import { Xxh64 } from './xxh64';
import { zstdWasm } from './zstdPages';
import { ZstdWasmFrame, type ZstdWasm } from './zstdStream';

export type Compression = 'gzip' | 'zstd';

const SUFFIX = /\.(gz|gzip|zst|zstd)$/i;

/** The compression a file name calls for (`.gz`, `.gzip`: gzip; `.zst`, `.zstd`: zstd). */
export function compressionOf(name: string): Compression | undefined {
  const m = SUFFIX.exec(name);
  if (!m) return undefined;
  return m[1].toLowerCase().startsWith('g') ? 'gzip' : 'zstd';
}

/** The name without its compression suffix (`x.csv.gz` → `x.csv`): what tells the format. */
export function withoutCompression(name: string): string {
  return name.replace(SUFFIX, '');
}

/** Wraps `raw` in a decompressing source when its name ends in a compression suffix. */
export function maybeDecompress(raw: ByteSource): ByteSource {
  const kind = compressionOf(raw.name);
  return kind ? decompressingSource(raw, kind) : raw;
}

/** Compressed bytes fed to gzip per push: deflate expands at most 1032:1, so ≤ 33 MiB out. */
const GZIP_STEP = 32 << 10;
/** zstd: blocks are pushed together until this many compressed bytes… */
const ZSTD_STEP = 64 << 10;
/** …or this many blocks (each decompresses to at most 128 KiB): ≤ 1 MiB out per push. */
const ZSTD_BLOCKS = 8;

export interface Decoder {
  /** Feeds the next compressed bytes; false at the end of the compressed file. */
  feed(): boolean;
  /** Frees what the decoder holds outside JavaScript's heap (zstd's WebAssembly decoder). */
  close?(): void;
  /** Compressed bytes read so far. */
  readonly rawPos: number;
}

/** `progress()` gives the compressed bytes read so far and the compressed file's size. */
export function decompressingSource(raw: ByteSource, kind: Compression): ByteSource {
  const name = raw.name;
  let queue: Uint8Array[] = [];
  /** Offset (decompressed) of queue[0][head]. */
  let outPos = 0;
  let head = 0;
  let ended = false;
  let decoder: Decoder = { rawPos: 0, feed: () => false };
  const emit = (chunk: Uint8Array) => {
    if (chunk.length) queue.push(chunk);
  };
  const restart = () => {
    decoder.close?.();
    queue = [];
    outPos = 0;
    head = 0;
    ended = false;
    decoder = newDecoder(raw, kind, emit);
  };
  restart();
  /** Makes queue[0] hold a byte at or after outPos; false at the end of the stream. */
  const fill = (): boolean => {
    while (queue.length === 0) {
      if (ended) return false;
      try {
        if (!decoder.feed()) ended = true;
      } catch (e) {
        ended = true;
        throw decodeError(e, name, kind, outPos + queued(queue, head));
      }
    }
    return true;
  };
  return {
    name,
    size: Infinity,
    ...(raw.verifyUnchanged ? { verifyUnchanged: () => raw.verifyUnchanged?.() } : {}),
    progress: () => ({ done: decoder.rawPos, total: raw.size }),
    ...(raw.path !== undefined && raw.identity !== undefined
      ? { ahead: (script: string, execArgv?: string[]) => aheadSource({ path: raw.path as string, name, identity: raw.identity as FileIdentity, kind, size: raw.size }, script, execArgv) }
      : {}),
    read(buf, offset, length, position) {
      if (position < outPos) restart();
      // Skip to `position` (it is where the last read ended, except after a restart).
      while (outPos < position) {
        if (!fill()) return 0;
        const c = queue[0];
        const n = Math.min(c.length - head, position - outPos);
        head += n;
        outPos += n;
        if (head === c.length) {
          queue.shift();
          head = 0;
        }
      }
      let done = 0;
      while (done < length && fill()) {
        const c = queue[0];
        const n = Math.min(c.length - head, length - done);
        buf.set(n === c.length && head === 0 ? c : c.subarray(head, head + n), offset + done);
        done += n;
        head += n;
        outPos += n;
        if (head === c.length) {
          queue.shift();
          head = 0;
        }
      }
      return done;
    },
    close() {
      queue = [];
      decoder.close?.();
      raw.close();
    },
  };
}

/** The decoder of `kind` over `raw`, handing each piece of decompressed text to `emit`. */
export function newDecoder(raw: ByteSource, kind: Compression, emit: (chunk: Uint8Array) => void, wasm: ZstdWasm | null = zstdWasm() ?? null): Decoder {
  return kind === 'gzip' ? gzipDecoder(raw, emit) : zstdDecoder(raw, emit, wasm);
}

function queued(queue: Uint8Array[], head: number): number {
  let n = -head;
  for (const c of queue) n += c.length;
  return n;
}

const KIND_NAME: Record<Compression, string> = { gzip: 'gzip', zstd: 'zstd' };

/** A decoder's failure as the sentence users see (`reached`: the decompressed bytes before it). */
export function decodeError(e: unknown, file: string, kind: Compression, reached: number): LossInspectorError {
  if (e instanceof LossInspectorError) return e;
  const what = e instanceof Error ? e.message : String(e);
  const where = reached > 0 ? ` after ${reached} bytes of decompressed text` : '';
  return new LossInspectorError('corrupt', `'${file}' is not a valid ${KIND_NAME[kind]} file (${what}${where}); is it complete, and compressed as its name says?`, { file });
}

export function corrupt(file: string, kind: Compression, problem: string): LossInspectorError {
  return new LossInspectorError('corrupt', `'${file}' is not a valid ${KIND_NAME[kind]} file: ${problem}; is it complete, and compressed as its name says?`, { file });
}

/** Reads exactly up to `length` bytes at `position` (fewer only at the end of the file). */
export function readFully(raw: ByteSource, buf: Uint8Array, length: number, position: number): number {
  let got = 0;
  while (got < length) {
    const n = raw.read(buf, got, length - got, position + got);
    if (n === 0) break;
    got += n;
  }
  return got;
}

const le32 = (b: Uint8Array, i: number) => (b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24)) >>> 0;

/** CRC-32 (gzip's): Node's zlib.crc32 where it exists (Node ≥ 20.15), else a table. */
const crc32: (data: Uint8Array, value: number) => number =
  typeof (zlib as { crc32?: unknown }).crc32 === 'function'
    ? (data, value) => (zlib as unknown as { crc32(d: Uint8Array, v: number): number }).crc32(data, value)
    : tableCrc32();

function tableCrc32(): (data: Uint8Array, value: number) => number {
  const table = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c;
  }
  return (data, value) => {
    let c = ~value;
    for (let i = 0; i < data.length; i++) c = table[(c ^ data[i]) & 0xff] ^ (c >>> 8);
    return ~c >>> 0;
  };
}

function gzipDecoder(raw: ByteSource, emit: (chunk: Uint8Array) => void): Decoder {
  const file = raw.name;
  let rawPos = 0;
  let crc = 0;
  let length = 0;
  let members = 0;
  /** Checks the trailer (CRC-32, length mod 2³²) of the member that ends at `end`. */
  const checkMember = (end: number) => {
    const t = new Uint8Array(8);
    if (end < 18 || readFully(raw, t, 8, end - 8) < 8) throw corrupt(file, 'gzip', 'it ends inside a member');
    if (le32(t, 0) !== crc) throw corrupt(file, 'gzip', `the CRC-32 of member ${members + 1} does not match its data, which is damaged`);
    if (le32(t, 4) !== length >>> 0) throw corrupt(file, 'gzip', `the length of member ${members + 1} does not match its data, which is damaged or cut short`);
    members++;
    crc = 0;
    length = 0;
  };
  const g = new Gunzip();
  g.ondata = (chunk: Uint8Array) => {
    if (chunk.length === 0) return;
    crc = crc32(chunk, crc);
    length += chunk.length;
    emit(chunk);
  };
  g.onmember = (offset: number) => checkMember(offset);
  let first = true;
  return {
    get rawPos() {
      return rawPos;
    },
    feed() {
      const chunk = new Uint8Array(GZIP_STEP);
      const n = readFully(raw, chunk, GZIP_STEP, rawPos);
      if (first) {
        first = false;
        if (n === 0) return false; // an empty file: empty text
        if (n < 2 || chunk[0] !== 0x1f || chunk[1] !== 0x8b) throw corrupt(file, 'gzip', 'it does not start with the gzip signature');
      }
      rawPos += n;
      if (n === 0) {
        g.push(new Uint8Array(0), true);
        checkMember(rawPos);
        return false;
      }
      g.push(n === GZIP_STEP ? chunk : chunk.subarray(0, n), false);
      return true;
    },
  };
}

/** One zstd frame's decompression: its bytes in order, then the end of the frame. */
interface FrameDecoder {
  push(chunk: Uint8Array): void;
  /** The frame's last bytes were pushed: throws if it did not end there; frees the decoder. */
  end(): void;
  /** Frees the decoder (after an error). */
  free(): void;
}

function fzstdFrame(onText: (chunk: Uint8Array) => void): FrameDecoder {
  const d = new Decompress(onText);
  return { push: (chunk) => d.push(chunk, false), end: () => d.push(new Uint8Array(0), true), free: () => undefined };
}

function wasmFrame(wasm: ZstdWasm, onText: (chunk: Uint8Array) => void): FrameDecoder {
  const d = new ZstdWasmFrame(wasm);
  const guarded = (f: () => void) => {
    try {
      f();
    } catch (e) {
      d.free();
      throw e;
    }
  };
  return {
    push: (chunk) => guarded(() => d.push(chunk, onText)),
    end: () => {
      guarded(() => d.end());
      d.free();
    },
    free: () => d.free(),
  };
}

/**
 * zstd: walks frames and blocks (RFC 8878 §3.1) to push whole blocks to the decoder: zstddec's
 * WebAssembly (zstdStream.ts) once zstdReady() has resolved on this thread (`wasm`), fzstd
 * otherwise; both give the same bytes. Skippable frames are skipped; a frame's content size,
 * when its header gives it, is checked against its output.
 */
function zstdDecoder(raw: ByteSource, emit: (chunk: Uint8Array) => void, wasm: ZstdWasm | null): Decoder {
  const file = raw.name;
  let rawPos = 0;
  let frameOut = 0;
  let frameSize: number | undefined;
  /** The current frame's decompressor (one per frame: its end flushes it). */
  let d: FrameDecoder | undefined;
  let checksum = false;
  let hash: Xxh64 | undefined;
  let frames = 0;
  const probe = new Uint8Array(18);
  const cut = () => corrupt(file, 'zstd', `it ends inside frame ${frames + 1} (it was cut short)`);
  const release = () => {
    d?.free();
    d = undefined;
  };
  return {
    get rawPos() {
      return rawPos;
    },
    feed() {
      try {
        return feedBlocks();
      } catch (e) {
        release();
        throw e;
      }
    },
    close: release,
  };
  function feedBlocks(): boolean {
    const from = rawPos;
    let to = rawPos;
    let blocks = 0;
    let frameEnds = false;
    if (!d) {
      const n = readFully(raw, probe, 18, to);
      if (n === 0) return false; // the end (no frame at all: an empty file, empty text)
      if (n < 4) throw corrupt(file, 'zstd', frames ? `unexpected bytes after frame ${frames} (at byte ${to})` : 'it is too short to be zstd data');
      const magic = le32(probe, 0);
      if (magic >>> 4 === 0x184d2a5) {
        // A skippable frame (metadata): skipped.
        if (n < 8 || to + 8 + le32(probe, 4) > raw.size) throw corrupt(file, 'zstd', 'it ends inside a skippable frame');
        rawPos = to + 8 + le32(probe, 4);
        return true;
      }
      if (magic !== 0xfd2fb528) {
        throw corrupt(file, 'zstd', frames ? `unexpected bytes after frame ${frames} (at byte ${to})` : 'it does not start with the zstd signature');
      }
      if (n < 5) throw cut();
      const fhd = probe[4];
      const single = (fhd >> 5) & 1;
      const dictAt = 5 + (single ? 0 : 1);
      const dictBytes = [0, 1, 2, 4][fhd & 3];
      const fcsFlag = fhd >> 6;
      const fcsBytes = fcsFlag === 0 ? single : 1 << fcsFlag;
      const headerLen = dictAt + dictBytes + fcsBytes;
      if (n < headerLen) throw cut();
      if (fhd & 8) throw corrupt(file, 'zstd', `frame ${frames + 1} sets a reserved header bit`);
      if (probe.subarray(dictAt, dictAt + dictBytes).some((b) => b !== 0)) {
        throw new LossInspectorError('corrupt', `'${file}' was compressed with a zstd dictionary, which Loss Inspector does not have; compress it without a dictionary and try again.`, { file });
      }
      checksum = ((fhd >> 2) & 1) === 1;
      frameSize = undefined;
      if (fcsBytes) {
        let v = 0;
        for (let i = headerLen - 1; i >= headerLen - fcsBytes; i--) v = v * 256 + probe[i];
        frameSize = fcsBytes === 2 ? v + 256 : v;
      }
      frameOut = 0;
      to += headerLen;
      // zstd's own decoder (WebAssembly) checks the checksum itself ("checksum mismatch"):
      // computing it here too took twice its decoding time.
      hash = checksum && !wasm ? new Xxh64() : undefined;
      const onText = (chunk: Uint8Array) => {
        frameOut += chunk.length;
        hash?.update(chunk);
        emit(chunk);
      };
      d = wasm ? wasmFrame(wasm, onText) : fzstdFrame(onText);
    }
    // Whole blocks, up to ZSTD_STEP compressed bytes or ZSTD_BLOCKS blocks; a frame's last
    // block (and its checksum) ends the push.
    while (!frameEnds && to - from < ZSTD_STEP && blocks < ZSTD_BLOCKS) {
      if (readFully(raw, probe, 3, to) < 3) throw cut();
      const h = probe[0] | (probe[1] << 8) | (probe[2] << 16);
      const type = (h >> 1) & 3;
      if (type === 3) throw corrupt(file, 'zstd', `a block of frame ${frames + 1} has the reserved type 3`);
      to += 3 + (type === 1 ? 1 : h >>> 3);
      blocks++;
      if (h & 1) {
        frameEnds = true;
        if (checksum) to += 4;
      }
    }
    const chunk = new Uint8Array(to - from);
    if (readFully(raw, chunk, chunk.length, from) < chunk.length) throw cut();
    rawPos = to;
    d.push(chunk);
    if (frameEnds) {
      d.end();
      d = undefined;
      if (frameSize !== undefined && frameOut !== frameSize) {
        throw corrupt(file, 'zstd', `frame ${frames + 1} decompresses to ${frameOut} bytes, its header says ${frameSize}`);
      }
      if (hash && hash.digest32() !== le32(chunk, chunk.length - 4)) {
        throw corrupt(file, 'zstd', `the checksum of frame ${frames + 1} does not match its data, which is damaged`);
      }
      frames++;
    }
    return true;
  }
}
