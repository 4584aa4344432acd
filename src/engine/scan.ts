import { LossInspectorError } from '../core/errors';
import { familyOf, FamilyPart } from '../core/families';
import { GroupKeys } from '../core/groups';
import { CsvScanner } from '../core/readers/csv';
import { JsonColumnsScanner } from '../core/readers/jsonColumns';
import { JsonRecordsScanner } from '../core/readers/jsonRecords';
import { ByteScanner } from '../core/scanTypes';
import type { ScanJob } from '../shared/scanProtocol';
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
  const { info } = job;
  const family = familyOf(job.task.family);
  const spec = family.readSpec(job.task);
  const slots = spec.numbers;
  const groupKeys = spec.groupBy !== undefined ? new GroupKeys() : undefined;
  const acc = family.newRange(job.task, thread, groupKeys);
  let scanner: ByteScanner & { readonly stoppedAt?: number };
  let columnar: JsonColumnsScanner | undefined;
  const missing = () => new LossInspectorError('internal', `A chosen column is not in '${src.name}'.`, { file: src.name });
  if (info.format === 'csv' || info.format === 'tsv') {
    const cols = slots.map((s) => info.columns.indexOf(s));
    if (cols.some((c) => c < 0)) throw missing();
    let group: { column: number; keys: GroupKeys } | undefined;
    if (groupKeys && spec.groupBy !== undefined) {
      group = { column: info.columns.indexOf(spec.groupBy), keys: groupKeys };
      if (group.column < 0) throw missing();
    }
    scanner = new CsvScanner(info.dialect ?? { delimiter: 44, decimalComma: false }, cols, acc, src.name, job.stopAt, group, {
      fields: info.columns.length,
      firstLine: job.start === info.dataStart ? info.dataStartLine : 1,
    });
  } else {
    const group = groupKeys && spec.groupBy !== undefined ? { key: spec.groupBy, keys: groupKeys } : undefined;
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
