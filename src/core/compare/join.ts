/**
 * Joins the rows of two predictions files (pure): by a key column, or by row order. File A is
 * read first and kept; file B is then streamed and each of its rows is paired with A's and handed
 * on (`emit`) as [target, A's predictions…, B's predictions…], in B's order.
 *
 * Stored per row of A: its line and its values (8 bytes × (2 + A's models)); with a key, 4 bytes
 * for its row by key id and 8 for the line of its partner in B, plus one string per distinct key
 * value (KeyIds). Nothing per row of B. The changed rows are bounded (`top` per pair of models).
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

function grownInt32(a: Int32Array, need: number, fill: number): Int32Array {
  if (need < a.length) return a;
  const b = new Int32Array(Math.max(need + 1, a.length * 2)).fill(fill);
  b.set(a);
  return b;
}

const none = (): LeftOut => ({ count: 0, lines: [] });
function add(l: LeftOut, line: number): void {
  l.count++;
  if (l.lines.length < FIRST_LINES) l.lines.push(line);
}

export interface JoinSetup {
  files: [string, string];
  /** The key column's name, or null: rows joined by order. */
  key: string | null;
  /** Models (prediction columns) of A and of B. */
  models: [number, number];
  /** The report's names of the models, A's then B's (for the changed rows). */
  names: string[];
  /** A key id's value (KeyIds.labels). */
  label(id: number): string;
  /** The changed rows kept per pair of models. */
  top: number;
  emit(lineA: number, lineB: number, values: Float64Array): void;
}

/** The K rows with the largest |change| (ties: the earlier row), kept in a small array. */
class TopChanged {
  readonly rows: (ChangedRow & { keyId: number })[] = [];
  private min = -1;
  constructor(private readonly k: number) {}
  push(r: Omit<ChangedRow, 'key'> & { keyId: number }): void {
    if (this.k === 0 || !(Math.abs(r.change) > 0)) return;
    if (this.rows.length < this.k) {
      this.rows.push({ ...r, key: null });
      if (this.rows.length === this.k) this.findMin();
      return;
    }
    if (Math.abs(r.change) <= Math.abs(this.rows[this.min].change)) return;
    this.rows[this.min] = { ...r, key: null };
    this.findMin();
  }
  private findMin(): void {
    let m = 0;
    for (let i = 1; i < this.rows.length; i++) {
      const a = Math.abs(this.rows[i].change);
      const b = Math.abs(this.rows[m].change);
      // The smallest, and of equal ones the latest: the earlier row stays.
      if (a < b || (a === b && this.rows[i].lineB > this.rows[m].lineB)) m = i;
    }
    this.min = m;
  }
}

export class Joiner {
  private readonly kA: number;
  private readonly kB: number;
  private readonly lines = new Floats();
  private readonly vals = new Floats();
  /** Key join: A's row by key id (−1: none), the line of each A row's partner in B (0: none yet). */
  private rowOfKey: Int32Array = new Int32Array(1024).fill(-1);
  private partner = new Floats();
  /** Key ids of B's rows that are not A's (a second one is a duplicate key in B). */
  private readonly onlyB = new Map<number, number>();
  private bRecords = 0;
  private readonly out: Float64Array;
  private readonly top: TopChanged[];
  readonly rows: CompareRows = { a: 0, b: 0, joined: 0, onlyInA: none(), onlyInB: none(), noKey: { a: none(), b: none() }, unusableA: none(), unusableB: none() };

  constructor(private readonly s: JoinSetup) {
    [this.kA, this.kB] = s.models;
    this.out = new Float64Array(1 + this.kA + this.kB);
    this.top = Array.from({ length: Math.min(this.kA, this.kB) }, () => new TopChanged(s.top));
  }

  // ---- file A ----
  rowA(line: number, values: Float64Array, key: number): void {
    this.rows.a++;
    if (this.s.key !== null) {
      if (this.s.label(key) === '') return add(this.rows.noKey.a, line);
      this.rowOfKey = grownInt32(this.rowOfKey, key, -1);
      const had = this.rowOfKey[key];
      if (had >= 0) throw new LossInspectorError('filesDiffer', duplicateKey(this.s.key, this.s.label(key), this.s.files[0], this.lines.a[had], line), { file: this.s.files[0], line });
      this.rowOfKey[key] = this.lines.n;
      this.partner.push(0);
    }
    this.lines.push(line);
    for (let i = 0; i <= this.kA; i++) this.vals.push(values[i]);
  }

  skipA(line: number): void {
    this.rows.a++;
    add(this.rows.unusableA, line);
    if (this.s.key !== null) return;
    // By order: the record keeps its place (its partner in B is left out with it).
    this.lines.push(line);
    for (let i = 0; i <= this.kA; i++) this.vals.push(NaN);
  }

  // ---- file B ----
  rowB(line: number, values: Float64Array, key: number): void {
    this.rows.b++;
    const w = 1 + this.kA;
    let r: number;
    if (this.s.key !== null) {
      if (this.s.label(key) === '') return add(this.rows.noKey.b, line);
      r = key < this.rowOfKey.length ? this.rowOfKey[key] : -1;
      if (r < 0) {
        const before = this.onlyB.get(key);
        if (before !== undefined) throw new LossInspectorError('filesDiffer', duplicateKey(this.s.key, this.s.label(key), this.s.files[1], before, line), { file: this.s.files[1], line });
        this.onlyB.set(key, line);
        return add(this.rows.onlyInB, line);
      }
      const seen = this.partner.a[r];
      if (seen > 0) throw new LossInspectorError('filesDiffer', duplicateKey(this.s.key, this.s.label(key), this.s.files[1], seen, line), { file: this.s.files[1], line });
      this.partner.a[r] = line;
      const t = this.vals.a[r * w];
      if (t !== values[0]) {
        throw new LossInspectorError('filesDiffer', keyTargetsDiffer(this.s.label(key), { name: this.s.files[0], line: this.lines.a[r], target: t }, { name: this.s.files[1], line, target: values[0] }), { file: this.s.files[1], line });
      }
    } else {
      r = this.bRecords++;
      if (r >= this.lines.n) return; // more rows in B: said by finish()
      const t = this.vals.a[r * w];
      if (Number.isNaN(t)) return; // unusable in A (counted there)
      if (t !== values[0]) {
        throw new LossInspectorError('filesDiffer', orderTargetsDiffer(r + 1, { name: this.s.files[0], line: this.lines.a[r], target: t }, { name: this.s.files[1], line, target: values[0] }), { file: this.s.files[1], line });
      }
    }
    const o = this.out;
    o[0] = values[0];
    for (let i = 1; i <= this.kA; i++) o[i] = this.vals.a[r * w + i];
    for (let i = 1; i <= this.kB; i++) o[this.kA + i] = values[i];
    const lineA = this.lines.a[r];
    this.rows.joined++;
    this.s.emit(lineA, line, o);
    for (let i = 0; i < this.top.length; i++) {
      const a = o[1 + i];
      const b = o[1 + this.kA + i];
      this.top[i].push({ lineA, lineB: line, keyId: this.s.key !== null ? key : -1, target: o[0], a, b, change: Math.abs(b - o[0]) - Math.abs(a - o[0]) });
    }
  }

  skipB(line: number): void {
    this.rows.b++;
    if (this.s.key === null) this.bRecords++;
    add(this.rows.unusableB, line);
  }

  /** Once both files are read: the rows of A left without a partner, or the sentence when row counts differ. */
  finish(): { rows: CompareRows; changed: ChangedModels[] } {
    if (this.s.key === null) {
      if (this.bRecords !== this.lines.n) {
        throw new LossInspectorError('filesDiffer', rowCountsDiffer({ name: this.s.files[0], rows: this.lines.n }, { name: this.s.files[1], rows: this.bRecords }), { file: this.s.files[1] });
      }
    } else {
      for (let r = 0; r < this.lines.n; r++) if (this.partner.a[r] === 0) add(this.rows.onlyInA, this.lines.a[r]);
    }
    const changed = this.top.map((t, i) => ({
      a: this.s.names[i],
      b: this.s.names[this.kA + i],
      rows: [...t.rows]
        .sort((x, y) => Math.abs(y.change) - Math.abs(x.change) || x.lineB - y.lineB)
        .map(({ keyId, ...row }) => ({ ...row, key: keyId >= 0 ? this.s.label(keyId) : null })),
    }));
    return { rows: this.rows, changed };
  }
}
