import { RangeAccumulator, RangeResult, ResidualKeys } from '../core/accumulate';
import { CsvScanner } from '../core/readers/csv';
import { LossInspectorError } from '../core/errors';
import { GroupKeys } from '../core/groups';
import { JsonColumnsScanner } from '../core/readers/jsonColumns';
import { JsonRecordsScanner } from '../core/readers/jsonRecords';
import { ByteScanner } from '../core/scanTypes';
import type { ScanJob } from '../shared/workerProtocol';
import { ByteSource } from './source';

/** Default size of the one reused read buffer. */
export const DEFAULT_CHUNK = 1 << 20;
/** Size of the first read of a range (see pump). */
const FIRST_READ = 64;
/** A single record may not exceed this (the buffer grows up to it). */
export const MAX_RECORD = 1 << 30;

export type { ScanJob };

export interface ScanOutcome {
  result: RangeResult;
  /** Where the scan stopped (a record start), or −1 when it reached the end of the file. */
  stoppedAt: number;
}

/**
 * Scans one byte range of a file through one reused buffer and returns its partial result.
 * `onProgress` receives the absolute offset reached, after each read. `keys` (the thread's) receives
 * the |d| key counts and extremes of d.
 */
export function scanRange(src: ByteSource, job: ScanJob, onProgress?: (offset: number) => void, keys?: ResidualKeys): ScanOutcome {
  const { info, choice } = job;
  const slots = [choice.target, ...choice.predictions, ...(choice.weight ? [choice.weight] : [])];
  const groupKeys = choice.groupBy !== undefined ? new GroupKeys() : undefined;
  const acc = new RangeAccumulator(choice.predictions.length, job.params, job.topK, choice.weight !== undefined, groupKeys, keys);
  let scanner: ByteScanner & { readonly stoppedAt?: number };
  let columnar: JsonColumnsScanner | undefined;
  const missing = () => new LossInspectorError('internal', `A chosen column is not in '${src.name}'.`, { file: src.name });
  if (info.format === 'csv' || info.format === 'tsv') {
    const cols = slots.map((s) => info.columns.indexOf(s));
    if (cols.some((c) => c < 0)) throw missing();
    let group: { column: number; keys: GroupKeys } | undefined;
    if (groupKeys && choice.groupBy !== undefined) {
      group = { column: info.columns.indexOf(choice.groupBy), keys: groupKeys };
      if (group.column < 0) throw missing();
    }
    scanner = new CsvScanner(info.dialect ?? { delimiter: 44, decimalComma: false }, cols, acc, src.name, job.stopAt, group, {
      fields: info.columns.length,
      firstLine: job.start === info.dataStart ? info.dataStartLine : 1,
    });
  } else {
    const group = groupKeys && choice.groupBy !== undefined ? { key: choice.groupBy, keys: groupKeys } : undefined;
    if (info.format === 'json' && info.jsonShape === 'columns') {
      scanner = columnar = new JsonColumnsScanner(src.name, false, group, slots);
    } else {
      scanner = new JsonRecordsScanner(slots, acc, src.name, {
        lines: info.format === 'jsonl',
        startInsideArray: job.start > info.dataStart && info.format === 'json',
        stopAt: job.stopAt,
        group,
      });
    }
  }

  pump(src, scanner, job.start, job.chunkSize ?? DEFAULT_CHUNK, onProgress);
  if (columnar) columnar.emit(slots, acc);
  return { result: acc.result(scanner.line - 1), stoppedAt: scanner.stoppedAt ?? -1 };
}

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
  // first full buffer) they deoptimized the scan loop. Measured (medians of 5–10 alternating
  // runs): 1e6-row CSV 327 → 318 ms, JSON Lines 406 → 388 ms, 1e7-row CSV 1.60 → 1.53 s, JSON
  // array unchanged.
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
