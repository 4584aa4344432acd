/**
 * Joins the rows of N ≥ 2 predictions files (pure; #15 item 3): by a key column, or by row order.
 * The files are read one after another; file 0 (the first given) decides the rows, every other
 * file's rows are paired with file 0's (its target checked against file 0's), and a row is handed
 * on (`emit`) while the last file streams, once every file has its partner, as [target, file 0's
 * models…, file 1's models…, …], in the last file's order.
 *
 * File 0 may hand over `extra` values after its models (the sample weight): they are carried to
 * the end of the joined row, [target, models…, extras…], the layout of one file with a weight.
 *
 * Stored per row of file 0: its line and one line per other file (8 bytes × N), the values of the
 * files but the last (8 bytes × (1 + their models + extra)), and with a key 4 bytes for its row by key
 * id, plus one string per distinct key value (KeyIds); with `grouped`, 4 bytes more for its group
 * id (the group-by column is the first file's, as the target). Nothing per row of the last file.
 * The changed rows are bounded (`top` per model compared with the baseline).
 */
import { LossInspectorError } from '../errors';
import type { ChangedModels, ChangedRow, CompareRows, LeftOut } from './report';
import { duplicateKey, keyTargetsDiffer, orderTargetsDiffer, rowCountsDiffer } from './words';

/** Lines kept per kind of left-out row. */
export const FIRST_LINES = 10;

class Floats {
  a = new Float64Array(1024);
  n = 0;
  push(x: number): void {
    if (this.n === this.a.length) {
      const b = new Float64Array(this.a.length * 2);
      b.set(this.a);
      this.a = b;
    }
    this.a[this.n++] = x;
  }
}

const none = (): LeftOut => ({ count: 0, lines: [] });
function add(l: LeftOut, line: number): void {
  l.count++;
  if (l.lines.length < FIRST_LINES) l.lines.push(line);
}

export interface JoinNSetup {
  files: string[];
  key: string | null;
  /** Models (prediction columns) per file. */
  models: number[];
  /** The report's model names, file by file. */
  names: string[];
  /** Values of file 0 after its models (its sample weight), carried to the end of the joined row (default 0). */
  extra?: number;
  /** The baseline model's index among all models (default 0: file 0's first). */
  baseline?: number;
  label(id: number): string;
  top: number;
  /**
   * Whether file `file`'s target (values[0]) is file 0's `first` (default: the same number). A
   * classifier's targets are label ids, and "1" and "1.0" are one class: the caller says.
   */
  sameTarget?(first: number, other: number, file: number): boolean;
  /** A target as the sentences show it (default: the number): a classifier's label text. */
  targetText?(v: number): string;
  /** The word for the target in sentences (default "target"; a classifier's "label"). */
  targetWord?: string;
  /**
   * Whether the joiner keeps the rows whose absolute error changed most (default true). A
   * classifier's changed rows are by log loss, which needs the report's classes and score kinds:
   * the caller finds them (changedClass.ts) and this returns none.
   */
  changes?: boolean;
  /** Whether file 0's rows carry a group id (`row`'s `group`), handed on with the joined row (default false). */
  grouped?: boolean;
  /** `lines[i]`: the row's line in file i; `key`: the row's key id (−1 without a key); `group`: file 0's group id (−1 unless `grouped`). */
  emit(lines: Float64Array, values: Float64Array, key: number, group: number): void;
}

type Kept = ChangedRow & { keyId: number; order: number };

/**
 * The K rows with the largest |change| (ties: the earlier row: the smaller `order`). The smallest
 * kept is remembered, so a row that does not enter (nearly every row of a long file) costs one comparison.
 */
export class TopChanged<R extends { change: number; order: number } = Kept> {
  readonly rows: R[] = [];
  private min = -1;
  constructor(private readonly k: number) {}
  /** Whether a row of this change would be kept (asked first, so a row that is not costs no object). */
  takes(change: number): boolean {
    const c = Math.abs(change);
    return this.k > 0 && c > 0 && (this.rows.length < this.k || c > Math.abs(this.rows[this.min].change));
  }
  push(r: R): void {
    if (!this.takes(r.change)) return;
    if (this.rows.length < this.k) {
      this.rows.push(r);
      if (this.rows.length === this.k) this.findMin();
      return;
    }
    this.rows[this.min] = r;
    this.findMin();
  }
  private findMin(): void {
    let m = 0;
    for (let i = 1; i < this.rows.length; i++) {
      const a = Math.abs(this.rows[i].change);
      const b = Math.abs(this.rows[m].change);
      // The smallest, and of equal ones the latest: the earlier row stays.
      if (a < b || (a === b && this.rows[i].order > this.rows[m].order)) m = i;
    }
    this.min = m;
  }
}

export class JoinerN {
  private readonly n: number;
  /** Where each file's models start in a joined row (after the target). */
  private readonly first: number[] = [];
  /** Values kept per row of file 0: the target, the models of every file but the last, then file 0's extras. */
  private readonly kept: number;
  /** Where the extras are among the kept values (after the models of every file but the last). */
  private readonly extraAt: number;
  private readonly extra: number;
  private readonly width: number;
  /** Stride n: the row's line in file 0, then its partner's line in each other file (0: none, −1: unusable). */
  private readonly lines = new Floats();
  private readonly vals = new Floats();
  private rowOfKey: Int32Array = new Int32Array(1024).fill(-1);
  /** With `grouped`: the group id of each row of file 0. */
  private groupOfRow: Int32Array = new Int32Array(1024).fill(-1);
  /** Per file: key ids not in file 0, with their line (a second one is a duplicate key). */
  private readonly strays: Map<number, number>[];
  /** Rows read per file (by order: the next row's index). */
  private readonly records: number[];
  private readonly out: Float64Array;
  private readonly outLines: Float64Array;
  private readonly baseline: number;
  private readonly top: TopChanged[];
  private order = 0;
  readonly rows: CompareRows;

  constructor(private readonly s: JoinNSetup) {
    this.n = s.files.length;
    let at = 1;
    for (const k of s.models) {
      this.first.push(at);
      at += k;
    }
    this.width = at;
    this.extra = s.extra ?? 0;
    this.extraAt = this.first[this.n - 1];
    this.kept = this.extraAt + this.extra;
    this.out = new Float64Array(this.width + this.extra);
    this.outLines = new Float64Array(this.n);
    this.strays = s.files.map(() => new Map());
    this.records = s.files.map(() => 0);
    this.baseline = s.baseline ?? 0;
    this.top = Array.from({ length: this.width - 1 }, () => new TopChanged(s.top));
    this.rows = { joined: 0, files: s.files.map(() => ({ read: 0, missing: none(), onlyHere: none(), noKey: none(), unusable: none() })) };
  }

  /** The file a model (index among all) belongs to. */
  private fileOf(model: number): number {
    return fileOfModel(this.s.models, model);
  }

  /** A usable row of `file`; `group` is its group id (file 0, with `grouped`; ignored otherwise). */
  row(file: number, line: number, values: Float64Array, key: number, group = -1): void {
    const fr = this.rows.files[file];
    fr.read++;
    const keyed = this.s.key !== null;
    if (keyed && this.s.label(key) === '') return add(fr.noKey, line);
    if (file === 0) return this.rowOfFirst(line, values, key, group);
    let r: number;
    if (keyed) {
      r = key < this.rowOfKey.length ? this.rowOfKey[key] : -1;
      if (r < 0) {
        const before = this.strays[file].get(key);
        if (before !== undefined) throw this.differ(duplicateKey(this.s.key ?? '', this.s.label(key), this.s.files[file], before, line), file, line);
        this.strays[file].set(key, line);
        return add(fr.onlyHere, line);
      }
      const seen = this.lines.a[r * this.n + file];
      if (seen > 0) throw this.differ(duplicateKey(this.s.key ?? '', this.s.label(key), this.s.files[file], seen, line), file, line);
    } else {
      r = this.records[file]++;
      if (r * this.n >= this.lines.n) return; // more rows than file 0: said by finish()
    }
    const t = this.vals.a[r * this.kept];
    if (Number.isNaN(t)) return; // unusable in file 0 (counted there)
    if (t !== values[0] && !(this.s.sameTarget?.(t, values[0], file) ?? false)) {
      const text = (v: number) => (this.s.targetText ? this.s.targetText(v) : v);
      const first = { name: this.s.files[0], line: this.lines.a[r * this.n], target: text(t) };
      const here = { name: this.s.files[file], line, target: text(values[0]) };
      const word = this.s.targetWord ?? 'target';
      throw this.differ(keyed ? keyTargetsDiffer(this.s.label(key), first, here, word) : orderTargetsDiffer(r + 1, first, here, word), file, line);
    }
    this.lines.a[r * this.n + file] = line;
    const k = this.s.models[file];
    if (file < this.n - 1) {
      for (let i = 0; i < k; i++) this.vals.a[r * this.kept + this.first[file] + i] = values[1 + i];
      return;
    }
    // The last file: the row is complete when every file has a usable partner.
    for (let f = 1; f < this.n - 1; f++) if (!(this.lines.a[r * this.n + f] > 0)) return;
    const o = this.out;
    for (let i = 0; i < this.extraAt; i++) o[i] = this.vals.a[r * this.kept + i];
    for (let i = 0; i < k; i++) o[this.first[file] + i] = values[1 + i];
    for (let e = 0; e < this.extra; e++) o[this.width + e] = this.vals.a[r * this.kept + this.extraAt + e];
    for (let f = 0; f < this.n; f++) this.outLines[f] = this.lines.a[r * this.n + f];
    this.rows.joined++;
    this.s.emit(this.outLines, o, this.s.key !== null ? key : -1, this.s.grouped ? this.groupOfRow[r] : -1);
    if (this.s.changes ?? true) this.pushChanged(key);
  }

  private rowOfFirst(line: number, values: Float64Array, key: number, group: number): void {
    const r = this.lines.n / this.n;
    if (this.s.grouped) {
      this.groupOfRow = grown(this.groupOfRow, r);
      this.groupOfRow[r] = group;
    }
    if (this.s.key !== null) {
      this.rowOfKey = grown(this.rowOfKey, key);
      const had = this.rowOfKey[key];
      if (had >= 0) throw this.differ(duplicateKey(this.s.key, this.s.label(key), this.s.files[0], this.lines.a[had * this.n], line), 0, line);
      this.rowOfKey[key] = r;
    }
    this.lines.push(line);
    for (let f = 1; f < this.n; f++) this.lines.push(0);
    const m0 = this.s.models[0];
    for (let i = 0; i < this.extraAt; i++) this.vals.push(i <= m0 ? values[i] : NaN);
    for (let e = 0; e < this.extra; e++) this.vals.push(values[1 + m0 + e]);
  }

  skip(file: number, line: number): void {
    const fr = this.rows.files[file];
    fr.read++;
    add(fr.unusable, line);
    if (this.s.key !== null) return;
    // By order: the record keeps its place, and its partners are left out with it.
    if (file === 0) {
      this.lines.push(line);
      for (let f = 1; f < this.n; f++) this.lines.push(0);
      for (let i = 0; i < this.kept; i++) this.vals.push(NaN);
      return;
    }
    const r = this.records[file]++;
    if (r * this.n < this.lines.n) this.lines.a[r * this.n + file] = -1;
  }

  private pushChanged(keyId: number): void {
    const o = this.out;
    const t = o[0];
    const base = o[1 + this.baseline];
    const order = this.order++;
    const lineA = this.outLines[this.fileOf(this.baseline)];
    for (let m = 0; m < this.width - 1; m++) {
      if (m === this.baseline) continue;
      const change = Math.abs(o[1 + m] - t) - Math.abs(base - t);
      if (!this.top[m].takes(change)) continue;
      const lineB = this.outLines[this.fileOf(m)];
      this.top[m].push({ lineA, lineB, key: null, keyId: this.s.key !== null ? keyId : -1, order, target: t, a: base, b: o[1 + m], change });
    }
  }

  /** Once every file is read: the rows left out, or the sentence when row counts differ. */
  finish(): { rows: CompareRows; changed: ChangedModels[] } {
    const count = this.lines.n / this.n;
    for (let f = 1; f < this.n; f++) {
      if (this.s.key === null) {
        if (this.records[f] !== count) throw new LossInspectorError('filesDiffer', rowCountsDiffer({ name: this.s.files[0], rows: count }, { name: this.s.files[f], rows: this.records[f] }), { file: this.s.files[f] });
      } else {
        for (let r = 0; r < count; r++) if (this.lines.a[r * this.n + f] === 0) add(this.rows.files[f].missing, this.lines.a[r * this.n]);
      }
    }
    const changed: ChangedModels[] = [];
    for (let m = 0; m < this.width - 1 && (this.s.changes ?? true); m++) {
      if (m === this.baseline) continue;
      changed.push({
        a: this.s.names[this.baseline],
        b: this.s.names[m],
        fileA: this.fileOf(this.baseline),
        fileB: this.fileOf(m),
        rows: [...this.top[m].rows]
          .sort((x, y) => Math.abs(y.change) - Math.abs(x.change) || x.order - y.order)
          .map(({ keyId, order: _order, ...row }) => ({ ...row, key: keyId >= 0 ? this.s.label(keyId) : null })),
      });
    }
    return { rows: this.rows, changed };
  }

  private differ(message: string, file: number, line: number): LossInspectorError {
    return new LossInspectorError('filesDiffer', message, { file: this.s.files[file], line });
  }
}

/** The file (index) holding model `model` (index among all models, file by file), given each file's count of models. */
export function fileOfModel(models: readonly number[], model: number): number {
  let at = 0;
  for (let f = 0; f < models.length; f++) {
    at += models[f];
    if (model < at) return f;
  }
  return models.length - 1;
}

function grown(a: Int32Array, need: number): Int32Array {
  if (need < a.length) return a;
  const b = new Int32Array(Math.max(need + 1, a.length * 2)).fill(-1);
  b.set(a);
  return b;
}
