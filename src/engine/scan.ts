import { LossInspectorError } from '../core/errors';
import { familyOf, FamilyPart } from '../core/families';
import { GroupKeys } from '../core/groups';
import { CsvScanner } from '../core/readers/csv';
import { JsonColumnsScanner } from '../core/readers/jsonColumns';
import { JsonRecordsScanner } from '../core/readers/jsonRecords';
import { ByteScanner, RowSink } from '../core/scanTypes';
import type { RangeKeys, ReadSpec } from '../core/family';
import type { FileInfo } from '../core/fileInfo';
import type { ScanJob } from '../shared/scanProtocol';
import { isColumnar, scanColumnar } from './columnar';
import { DEFAULT_CHUNK, pump } from './pump';
import { ByteSource } from './source';

export type { ScanJob };

export interface ScanOutcome {
  result: FamilyPart;
  /** Where the scan stopped (a record start), or −1 when it reached the end of the file. */
  stoppedAt: number;
}

/**
 * Scans one byte range of a file through one reused buffer and returns its partial result, from
 * the job's family. `onProgress` receives the absolute offset reached, after each read. `thread`
 * is the scanning thread's family state (from the family's newThread), shared by its ranges.
 */
export function scanRange(src: ByteSource, job: ScanJob, thread: unknown, onProgress?: (offset: number) => void): ScanOutcome {
  const family = familyOf(job.task.family);
  const spec = family.readSpec(job.task);
  const keys: RangeKeys = {
    ...(spec.groupBy !== undefined ? { groups: new GroupKeys() } : {}),
    ...(spec.categorical !== undefined ? { labels: new GroupKeys() } : {}),
  };
  const acc = family.newRange(job.task, thread, keys);
  if (isColumnar(job.info.format)) {
    const { rows, stoppedAt } = scanColumnar(src, job.info, spec, keys, acc, job.start, job.stopAt, onProgress);
    return { result: acc.result(rows), stoppedAt };
  }
  const { scanner, columnar } = makeScanner(src, job.info, spec, keys, acc, job.start, job.stopAt);
  pump(src, scanner, job.start, job.chunkSize ?? DEFAULT_CHUNK, onProgress);
  if (columnar) columnar.emit(spec.numbers, acc);
  return { result: acc.result(scanner.line - 1), stoppedAt: scanner.stoppedAt ?? -1 };
}

/** The reader for the file's format, handing `spec`'s values of each record to `sink`. */
export function makeScanner(
  src: ByteSource,
  info: FileInfo,
  spec: ReadSpec,
  keys: RangeKeys,
  sink: RowSink,
  start: number,
  stopAt: number,
): { scanner: ByteScanner & { readonly stoppedAt?: number }; columnar?: JsonColumnsScanner } {
  const slots = spec.numbers;
  const missing = () => new LossInspectorError('internal', `A chosen column is not in '${src.name}'.`, { file: src.name });
  const groupKeys = keys.groups;
  const label = spec.categorical !== undefined && keys.labels ? { slot: spec.categorical, keys: keys.labels } : undefined;
  const records = info.format === 'jsonl' || (info.format === 'json' && (info.jsonShape === 'records' || info.jsonShape === 'table'));
  if (spec.arrays?.length && !records) {
    throw new LossInspectorError('jsonShape', `'${src.name}' holds its scores as arrays where only JSON records and JSON Lines are read that way: write it with pandas to_json(orient='records') or lines=True.`, { file: src.name });
  }
  if (info.format === 'csv' || info.format === 'tsv') {
    const cols = slots.map((s) => info.columns.indexOf(s));
    if (cols.some((c) => c < 0)) throw missing();
    let group: { column: number; keys: GroupKeys } | undefined;
    if (groupKeys && spec.groupBy !== undefined) {
      group = { column: info.columns.indexOf(spec.groupBy), keys: groupKeys };
      if (group.column < 0) throw missing();
    }
    const scanner = new CsvScanner(info.dialect ?? { delimiter: 44, decimalComma: false }, cols, sink, src.name, stopAt, group, {
      fields: info.columns.length,
      firstLine: start === info.dataStart ? info.dataStartLine : 1,
      ...(label ? { label } : {}),
    });
    return { scanner };
  }
  const group = groupKeys && spec.groupBy !== undefined ? { key: spec.groupBy, keys: groupKeys } : undefined;
  if (info.format === 'json' && (info.jsonShape === 'columns' || info.jsonShape === 'objects')) {
    const columnar = new JsonColumnsScanner(src.name, false, group, slots, label ? { key: slots[label.slot], keys: label.keys } : undefined, info.jsonShape === 'objects');
    return { scanner: columnar, columnar };
  }
  const shape = info.format === 'json' ? info.jsonShape : undefined;
  const wrap = shape === 'index' || shape === 'table' || shape === 'split' ? shape : undefined;
  const scanner = new JsonRecordsScanner(slots, sink, src.name, {
    lines: info.format === 'jsonl',
    ...(wrap ? { wrap, positions: info.columns } : {}),
    startInsideArray: start > info.dataStart && info.format === 'json',
    stopAt,
    group,
    ...(label ? { label } : {}),
    ...(spec.arrays?.length ? { arrays: spec.arrays } : {}),
  });
  return { scanner };
}
