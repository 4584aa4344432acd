import { LossInspectorError } from '../core/errors';
import { ByteScanner } from '../core/scanTypes';
import { ByteSource } from './source';

/** Default size of the one reused read buffer. */
export const DEFAULT_CHUNK = 1 << 20;
/** Size of the first read of a range (see pump). */
const FIRST_READ = 64;
/** A single record may not exceed this (the buffer grows up to it). */
export const MAX_RECORD = 1 << 30;

/**
 * Feeds a scanner from `start` through one reused buffer until it stops or the file ends. An
 * incomplete record is moved to the front and completed by the next read; a record longer than
 * the buffer doubles it (up to MAX_RECORD), so huge records are rescanned only O(log) times.
 * Returns the offset reached.
 */
export function pump(
  src: ByteSource,
  scanner: ByteScanner & { readonly stoppedAt?: number },
  start: number,
  chunkSize: number,
  onProgress?: (offset: number) => void,
): number {
  let buf = new Uint8Array(Math.min(chunkSize, Math.max(64, src.size - start + 1)));
  let filePos = start;
  let have = 0;
  // The first reads grow from FIRST_READ bytes (64, 128, …, the buffer): the first records then
  // end up cut at many different places, so the scanners' paths for an incomplete record run
  // while V8 is still collecting type feedback. Met first after optimization (at the end of the
  // first full buffer) they deoptimized the scan loop (docs/performance.md).
  let limit = FIRST_READ;
  for (;;) {
    if (limit < have + FIRST_READ) limit = have + FIRST_READ;
    const want = Math.min(buf.length, limit) - have;
    limit *= 2;
    const n = want > 0 ? src.read(buf, have, want, filePos + have) : 0;
    have += n;
    const eof = n === 0 || filePos + have >= src.size;
    scanner.bufferOffset = filePos;
    const consumed = scanner.scan(buf, 0, have, eof);
    if ((scanner.stoppedAt ?? -1) >= 0) {
      filePos = scanner.stoppedAt as number; // the range's end: progress adds up to the file
      break;
    }
    if (eof) {
      if (consumed < have) {
        throw new LossInspectorError('internal', `The reader stopped before the end of '${src.name}' (offset ${filePos + consumed}).`, { file: src.name });
      }
      filePos += have;
      break;
    }
    if (consumed === 0 && have === buf.length) {
      if (buf.length >= MAX_RECORD) {
        throw new LossInspectorError('recordTooLong', `'${src.name}' has a record longer than 1 GiB starting on line ${scanner.line}.`, {
          file: src.name,
          line: scanner.line,
        });
      }
      const bigger = new Uint8Array(Math.min(MAX_RECORD, buf.length * 2));
      bigger.set(buf.subarray(0, have));
      buf = bigger;
    } else {
      buf.copyWithin(0, consumed, have);
      filePos += consumed;
      have -= consumed;
    }
    onProgress?.(filePos);
  }
  onProgress?.(filePos);
  return filePos;
}
