import type { FileIdentity } from '../core/fileInfo';

/**
 * Where the bytes come from: a file on disk (streamed) or bytes handed over (virtual files); for a
 * compressed file (`x.csv.gz`, compressed.ts), the decompressed text.
 */
export interface ByteSource {
  readonly name: string;
  /** The size in bytes; Infinity when not known up front (a compressed file's text): reads return 0 at its end. */
  readonly size: number;
  /** Reads up to `length` bytes at absolute `position` into `buf[offset…]`; returns the count. */
  read(buf: Uint8Array, offset: number, length: number, position: number): number;
  close(): void;
  /** The path, when the source is a local file (parallel workers reopen it). */
  readonly path?: string;
  /** What identifies the opened file (local files): scan workers check that they open the same one. */
  readonly identity?: FileIdentity;
  /** Throws when the file changed (size, modification or change time, inode) since it was opened. */
  verifyUnchanged?(): void;
  /** How much of the file has been read, when that is not the offset read (a compressed file). */
  progress?(): { done: number; total: number };
  /**
   * A compressed local file: a new source of the same text, decompressed ahead by a worker thread
   * started from `script` (dist/worker.js) while the caller reads it (aheadSource.ts).
   */
  ahead?(script: string, execArgv?: string[]): ByteSource;
}
