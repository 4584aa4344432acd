// Packages without type declarations, typed for what the columnar readers use.
declare module 'lz4js' {
  /** Decompresses one LZ4 frame. */
  export function decompress(src: Uint8Array, maxSize?: number): Uint8Array;
  /** Decompresses one LZ4 block src[sIndex, sIndex + sLength) into dst from dIndex; returns the new end in dst. */
  export function decompressBlock(src: Uint8Array, dst: Uint8Array, sIndex: number, sLength: number, dIndex: number): number;
  /** Compresses into one LZ4 frame (tests write LZ4 Arrow files with it). */
  export function compress(src: Uint8Array, maxSize?: number): Uint8Array;
}
declare module 'hyparquet-compressors/src/lz4.js' {
  export function decompressLz4(input: Uint8Array, outputLength: number): Uint8Array;
  export function decompressLz4Raw(input: Uint8Array, outputLength: number): Uint8Array;
}
declare module 'zstddec/stream' {
  /** zstddec's streaming build (its package exports `./stream`, which this project's module resolution does not read). */
  export class ZSTDDecoder {
    init(): Promise<void>;
    /** Receives the instantiated module (zstdPages.ts keeps its exports). */
    _init(result: { instance: { exports: unknown } }): void;
    decode(array: Uint8Array, uncompressedSize?: number): Uint8Array;
  }
}
