/**
 * `compare --group-by COL` with a key join: the readers have one group channel per record, and a
 * key join uses it for the key; so the first file is read twice: first with its group-by column
 * in that channel (and the same numbers as the main pass, so that the same records are rows and
 * the same are skipped), its group id kept per record in file order, then with the key, the main
 * pass taking the groups back one record at a time. The readers hand over one row or one skip per
 * record, which the line of every record checks. Stored: 12 bytes per record of the first file.
 */
import { LossInspectorError } from '../core/errors';
import type { FileInfo } from '../core/fileInfo';
import type { ReadSpec } from '../core/family';
import { GroupKeys } from '../core/groups';
import type { RowSink } from '../core/scanTypes';
import { DEFAULT_CHUNK, pump } from './pump';
import { makeScanner } from './scan';
import type { ByteSource } from './source';

/** The group id of every record of a file, in file order, handed back by `next` in the same order. */
export class RecordGroups {
  private lines = new Float64Array(1024);
  private ids = new Int32Array(1024);
  private n = 0;
  private at = 0;

  constructor(private readonly file: string) {}

  push(line: number, id: number): void {
    if (this.n === this.ids.length) {
      const l = new Float64Array(this.n * 2);
      l.set(this.lines);
      this.lines = l;
      const g = new Int32Array(this.n * 2);
      g.set(this.ids);
      this.ids = g;
    }
    this.lines[this.n] = line;
    this.ids[this.n++] = id;
  }

  /** The group id of the next record, which starts on `line` (as the reader counts lines). */
  next(line: number): number {
    const i = this.at++;
    if (i >= this.n || this.lines[i] !== line) {
      throw new LossInspectorError('internal', `The group-by column of '${this.file}' was read for other records than its values (record ${i + 1}, line ${line}): please report this with the file.`, { file: this.file });
    }
    return this.ids[i];
  }
}

/**
 * Reads `src` as `spec` says (its groupBy the group-by column), keeping each record's group id
 * (interned by `keys`; −1 for a record skipped, which has no loss to group).
 */
export function readRecordGroups(src: ByteSource, info: FileInfo, spec: ReadSpec & { groupBy: string }, keys: GroupKeys, onProgress?: (offset: number) => void): RecordGroups {
  const out = new RecordGroups(src.name);
  const rows: RowSink = { row: (line, _off, _values, group) => out.push(line, group), skip: (line) => out.push(line, -1) };
  // A class label's slot is interned apart: its ids are not kept, and the main pass interns them again.
  const labels = spec.categorical !== undefined ? { labels: new GroupKeys() } : {};
  const { scanner, columnar } = makeScanner(src, info, spec, { groups: keys, ...labels }, rows, info.dataStart, Infinity);
  pump(src, scanner, info.dataStart, DEFAULT_CHUNK, (off) => onProgress?.(off));
  if (columnar) columnar.emit(spec.numbers, rows);
  return out;
}
