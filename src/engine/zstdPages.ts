/**
 * zstd for Parquet pages: zstddec (the reference zstd library compiled to WebAssembly, bundled as
 * base64 inside the JavaScript, so nothing is fetched or loaded from disk) once `zstdReady()` has
 * resolved on this thread, fzstd (pure JavaScript) before that and for the pages below. Both give
 * the same bytes, so which one decoded a page never changes a report; zstddec is the faster (the
 * measurement is in docs/performance.md).
 *
 * zstddec's instantiation is asynchronous while the scans are synchronous, hence the promise that
 * the engine awaits before a columnar scan (analyze.ts, the worker's scanRanges).
 *
 * zstddec checks nothing itself: a failed decompression comes back as an empty array, and an
 * allocation that fails (a size the WebAssembly heap cannot hold) would let it write at address
 * 0 of its heap. So only pages whose declared size is known and bounded go to it, and a page
 * whose output is not exactly its declared size is decoded again by fzstd, whose error (or whose
 * own result, checked by the page reader as before) then stands.
 */
import { decompress as fzstd } from 'fzstd';
// The streaming build: the same decoder plus ZSTD_decompressStream, which `.zst` text uses
// (zstdStream.ts); one WebAssembly module in the bundle for both.
import { ZSTDDecoder } from 'zstddec/stream';
import type { ZstdWasm } from './zstdStream';

/**
 * Larger pages go to fzstd. The WebAssembly heap grows to the largest page it has held and never
 * shrinks; writers cut pages near 1 MiB, so this bound is only met by unusual files.
 */
const WASM_MAX_PAGE = 32 << 20;

let wasm: ZSTDDecoder | undefined;
let exportsOf: ZstdWasm | undefined;
let pending: Promise<void> | undefined;

/** Instantiates the WebAssembly decoder on this thread (once); never rejects (fzstd remains). */
export function zstdReady(): Promise<void> {
  pending ??= (async () => {
    try {
      const d = new ZSTDDecoder();
      // init() hands the instance to _init (declared in zstddec's types), the one way to its
      // exports: the streaming decompression of text calls them directly.
      const keep = d._init.bind(d);
      let instance: { exports: unknown } | undefined;
      d._init = (result) => {
        instance = result.instance;
        keep(result);
      };
      // zstddec 0.3.4 instantiates through fetch(data: URL) wherever fetch exists, which in Node
      // first loads Node's whole HTTP client, several times the cost of the instantiation itself;
      // without fetch it instantiates from a Buffer. init() reads fetch synchronously, so it is
      // hidden only for that call.
      const g = globalThis as { fetch?: unknown };
      const f = g.fetch;
      let ready: Promise<void>;
      try {
        g.fetch = undefined;
        ready = d.init();
      } finally {
        g.fetch = f;
      }
      await ready;
      wasm = d;
      exportsOf = instance?.exports as ZstdWasm | undefined;
    } catch {
      // A runtime without WebAssembly: fzstd decodes every page, as before.
    }
  })();
  return pending;
}

/** The WebAssembly decoder's exports, once zstdReady() has resolved on this thread. */
export function zstdWasm(): ZstdWasm | undefined {
  return exportsOf;
}

/** Decompresses one zstd Parquet page of `outputLength` bytes (hyparquet's codec signature). */
export function zstdPage(input: Uint8Array, outputLength: number): Uint8Array {
  if (wasm && outputLength > 0 && outputLength <= WASM_MAX_PAGE) {
    const out = wasm.decode(input, outputLength);
    if (out.length === outputLength) return out;
  }
  return fzstd(input);
}
