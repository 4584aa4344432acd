/**
 * zstd's streaming decompression (ZSTD_decompressStream) in zstddec's WebAssembly (the
 * `zstddec/stream` build, instantiated by zstdPages.ts), for `.zst` text: 3–4 × fzstd (pure
 * JavaScript) on the zstd tool's files (docs/performance.md).
 *
 * zstddec's own generator (`decodeStreaming`) is not used: it checks no return code (a damaged
 * frame would loop forever on an error), and it stops when the input is consumed even if output
 * is still buffered. Here every call's return is checked, output is drained until zstd leaves the
 * output buffer part empty, a call that makes no progress is an error, and every allocation in
 * the WebAssembly heap is checked. compressed.ts still walks the frames, so their sizes and
 * XXH64 checksums are checked there as for fzstd; zstd checks the checksum as well.
 */

/** The exports of zstddec's streaming build that this uses. */
export interface ZstdWasm {
  memory: { readonly buffer: ArrayBuffer };
  malloc(size: number): number;
  free(ptr: number): void;
  ZSTD_createDCtx(): number;
  ZSTD_freeDCtx(dctx: number): number;
  ZSTD_DStreamOutSize(): number;
  ZSTD_decompressStream(dctx: number, output: number, input: number): number;
}

/** zstd's error codes (zstd_errors.h) that a damaged or unusual file gives, as words. */
const ERRORS: Record<number, string> = {
  10: 'unknown frame prefix',
  12: 'unsupported zstd version',
  14: 'unsupported frame parameter',
  16: 'its window is larger than zstd decoders accept by default',
  20: 'corrupted data',
  22: 'checksum mismatch',
  30: 'a dictionary is needed',
  32: 'wrong dictionary',
  64: 'out of memory',
};

/**
 * One frame's decompression. `push` takes the frame's bytes in order (header first) and hands the
 * text to `emit`; `end` throws unless the frame ended exactly there; `free` releases the heap
 * (always called, also after an error).
 */
export class ZstdWasmFrame {
  private readonly dctx: number;
  /** input and output descriptors ({ptr, size, pos}, 3 × 4 bytes each), then the output buffer. */
  private readonly desc: number;
  private readonly out: number;
  private readonly outSize: number;
  private inPtr = 0;
  private inSize = 0;
  private last = -1;
  private freed = false;

  constructor(private readonly z: ZstdWasm) {
    this.outSize = z.ZSTD_DStreamOutSize();
    this.dctx = z.ZSTD_createDCtx();
    this.desc = z.malloc(24);
    this.out = z.malloc(this.outSize);
    if (!this.dctx || !this.desc || !this.out) {
      this.free();
      throw new Error('out of memory');
    }
  }

  push(chunk: Uint8Array, emit: (text: Uint8Array) => void): void {
    const z = this.z;
    if (chunk.length > this.inSize) {
      if (this.inPtr) z.free(this.inPtr);
      this.inSize = 0;
      this.inPtr = z.malloc(chunk.length);
      if (!this.inPtr) throw new Error('out of memory');
      this.inSize = chunk.length;
    }
    new Uint8Array(z.memory.buffer).set(chunk, this.inPtr);
    const inDesc = this.desc;
    const outDesc = this.desc + 12;
    let view = new DataView(z.memory.buffer);
    view.setUint32(inDesc, this.inPtr, true);
    view.setUint32(inDesc + 4, chunk.length, true);
    view.setUint32(inDesc + 8, 0, true);
    let inPos = 0;
    for (let stuck = 0; ; ) {
      view.setUint32(outDesc, this.out, true);
      view.setUint32(outDesc + 4, this.outSize, true);
      view.setUint32(outDesc + 8, 0, true);
      const ret = z.ZSTD_decompressStream(this.dctx, outDesc, inDesc) | 0;
      // The heap may have grown (a larger window): views of the old buffer are detached.
      view = new DataView(z.memory.buffer);
      if (ret < 0) throw new Error(ERRORS[-ret] ?? `zstd error ${-ret}`);
      this.last = ret;
      const outPos = view.getUint32(outDesc + 8, true);
      const nowIn = view.getUint32(inDesc + 8, true);
      if (outPos > 0) emit(new Uint8Array(z.memory.buffer).slice(this.out, this.out + outPos));
      // 0: the frame is decoded and flushed (another call would start a next frame). The frame
      // walker pushes one frame's bytes, so none may be left.
      if (ret === 0) {
        if (nowIn < chunk.length) throw new Error('bytes after the end of a frame');
        return;
      }
      // Otherwise done with this push when the input is consumed and zstd did not fill the
      // output (it flushed everything it could).
      if (nowIn >= chunk.length && outPos < this.outSize) return;
      if (outPos === 0 && nowIn === inPos) {
        if (++stuck > 2) throw new Error('no progress (corrupted data)');
      } else stuck = 0;
      inPos = nowIn;
    }
  }

  /** Throws unless the bytes pushed ended the frame (zstd returned 0: decoded and flushed). */
  end(): void {
    if (this.last !== 0) throw new Error('the frame is incomplete');
  }

  free(): void {
    if (this.freed) return;
    this.freed = true;
    const z = this.z;
    if (this.inPtr) z.free(this.inPtr);
    if (this.out) z.free(this.out);
    if (this.desc) z.free(this.desc);
    if (this.dctx) z.ZSTD_freeDCtx(this.dctx);
  }
}
