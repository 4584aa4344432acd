/**
 * What the columnar readers (Parquet, Arrow IPC) share: a column decoded a run of rows at a time
 * into numbers and skip codes (`ColumnRun`), the conversions from their value types to those, and
 * the loop that pairs the runs of the wanted columns up into rows for a RowSink.
 *
 * A columnar file has no lines: a row's "line" is its 1-based row number, and its "offset" (what
 * the families sum per block, see family.ts COLUMNAR_BLOCK_ROWS) is virtual: `rowOffset` of its
 * unit (a Parquet row group, an Arrow record batch) and its row in the unit.
 */
import { BLOCK_BYTES, COLUMNAR_BLOCK_ROWS, COLUMNAR_UNIT_BLOCKS } from '../family';
import { LossInspectorError, quoteName } from '../errors';
import type { GroupKeys } from '../groups';
import type { RowSink } from '../scanTypes';
import { decoder } from './bytes';
import { mayBeNaMarker, R_EMPTY, R_INF, R_NA, R_OK, R_TEXT, REASON_OF_CODE, codeOf } from './fields';
import { classifyField, parseDecimalBytes } from './numbers';

/** What a column is read as: a number slot, the categorical (label) slot, or the group-by column. */
export type ColumnRole = 'number' | 'label' | 'group';

/**
 * A column's current run of rows: `values[pos, end)` (numbers, or interned label/group ids) and
 * their skip codes (`codes` null: every value is usable). `next()` decodes the following run.
 */
export interface ColumnRun {
  values: Float64Array;
  codes: Uint8Array | null;
  pos: number;
  end: number;
  /** Decodes the next run; false at the end of the unit. */
  next(): boolean;
}

/** Random access to the file's bytes (a ByteSource, or bytes in memory). */
export interface RandomAccess {
  readonly name: string;
  readonly size: number;
  read(buf: Uint8Array, offset: number, length: number, position: number): number;
}

/** Reads exactly `length` bytes at `position` into a new array, or throws `short()` when the file ends first. */
export function readExactly(src: RandomAccess, position: number, length: number, short: () => Error): Uint8Array {
  if (position < 0 || length < 0 || position + length > src.size) throw short();
  const buf = new Uint8Array(length);
  let got = 0;
  while (got < length) {
    const n = src.read(buf, got, length - got, position + got);
    if (n === 0) throw short();
    got += n;
  }
  return buf;
}

/**
 * What a decoding library's error says, for a sentence: its own explanation, but not the
 * JavaScript engine's (a TypeError or RangeError on damaged bytes names code, not the file).
 */
export function libraryMessage(e: unknown): string {
  if (e instanceof TypeError || e instanceof RangeError || e instanceof ReferenceError || !(e instanceof Error)) return 'its bytes are inconsistent';
  return e.message.replace(/\.$/, '');
}

/** The virtual offset of row `r` of unit `unit` (see family.ts COLUMNAR_BLOCK_ROWS). */
export function rowOffset(unit: number, r: number): number {
  return (unit * COLUMNAR_UNIT_BLOCKS + Math.floor(r / COLUMNAR_BLOCK_ROWS)) * BLOCK_BYTES + (r % COLUMNAR_BLOCK_ROWS);
}

/** The most rows one unit may have for its virtual offsets to stay apart. */
export const MAX_UNIT_ROWS = COLUMNAR_UNIT_BLOCKS * COLUMNAR_BLOCK_ROWS;

/**
 * Emits the rows of one unit of `rows` rows to `sink`: `cols[s]` feeds slot s of the values (the
 * ReadSpec's numbers, in order), `group` the group id. A row is skipped with the reason of its
 * first bad slot (the label slot last, as the CSV reader does); `line` is the row number of the
 * unit's first row. Returns how many rows the columns held (checked against `rows`).
 */
export function emitUnit(cols: ColumnRun[], labelSlot: number, group: ColumnRun | undefined, sink: RowSink, vals: Float64Array, unit: number, rows: number, line: number, what: () => string): void {
  const all = group ? [...cols, group] : cols;
  const k = cols.length;
  let r = 0;
  while (r < rows) {
    // The rows every column has decoded, within one summation block.
    let n = Math.min(rows - r, COLUMNAR_BLOCK_ROWS - (r % COLUMNAR_BLOCK_ROWS));
    for (const c of all) {
      while (c.pos >= c.end) if (!c.next()) throw new LossInspectorError('corrupt', `${what()} holds fewer values than its ${rows} rows; the file is damaged.`);
      n = Math.min(n, c.end - c.pos);
    }
    let offset = rowOffset(unit, r);
    for (let i = 0; i < n; i++) {
      let bad = R_OK;
      for (let s = 0; s < k; s++) {
        const c = cols[s];
        const p = c.pos + i;
        vals[s] = c.values[p];
        if (bad === R_OK && s !== labelSlot && c.codes !== null) bad = c.codes[p];
      }
      if (bad === R_OK && labelSlot >= 0) {
        const c = cols[labelSlot];
        if (c.codes !== null) bad = c.codes[c.pos + i];
      }
      if (bad !== R_OK) sink.skip(line, REASON_OF_CODE[bad]);
      else sink.row(line, offset, vals, group ? group.values[group.pos + i] : -1);
      line++;
      offset++;
    }
    for (const c of all) c.pos += n;
    r += n;
  }
  for (const c of all) {
    if (c.pos < c.end || c.next()) throw new LossInspectorError('corrupt', `${what()} holds more values than its ${rows} rows; the file is damaged.`);
  }
}

/** The skip code of a double: NaN is a missing value, ±∞ infinite. */
export function numberCode(v: number): number {
  return v === v ? (v - v === 0 ? R_OK : R_INF) : R_NA;
}

/** Codes of `values` (null when all are finite), computed only once a value is not. */
export function finiteCodes(values: Float64Array, n: number): Uint8Array | null {
  let codes: Uint8Array | null = null;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v - v !== 0) {
      codes ??= new Uint8Array(n);
      codes[i] = numberCode(v);
    }
  }
  return codes;
}

/** An IEEE half-precision float (Parquet FLOAT16, Arrow Float16) from its 16 bits. */
export function halfFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * 2 ** -14 * (frac / 1024);
  if (exp === 0x1f) return frac ? NaN : sign * Infinity;
  return sign * 2 ** (exp - 15) * (1 + frac / 1024);
}

/** A decimal's value: the unscaled integer divided by 10^scale, correctly rounded. */
export function decimalValue(unscaled: bigint, scale: number): number {
  if (scale === 0) return Number(unscaled);
  const u = Number(unscaled);
  // Both operands exact: one correctly rounded division.
  if (Number.isSafeInteger(u) && scale > 0 && scale <= 22) return u / 10 ** scale;
  return Number(`${unscaled}e${-scale}`);
}

/** A big-endian two's-complement integer of `bytes` (Parquet and Arrow decimals, Parquet's big-endian). */
export function bigEndianSigned(bytes: Uint8Array, from = 0, to = bytes.length): bigint {
  let v = 0n;
  for (let i = from; i < to; i++) v = (v << 8n) | BigInt(bytes[i]);
  const bits = BigInt(8 * (to - from));
  if (to > from && bytes[from] & 0x80) v -= 1n << bits;
  return v;
}

/** A text value in a number slot, parsed as the text readers parse a field: into `out[i]`, returning its code. */
export function textNumber(bytes: Uint8Array, a: number, b: number, out: Float64Array, i: number): number {
  const v = a < b ? parseDecimalBytes(bytes, a, b, false) : NaN;
  if (v === v) {
    out[i] = v;
    return R_OK;
  }
  const k = classifyField(decoder.decode(bytes.subarray(a, b)), false);
  if (k.kind === 'number') {
    out[i] = k.value;
    return R_OK;
  }
  return codeOf(k.kind);
}

/**
 * Interns a label or group value given as UTF-8 bytes `bytes[a, b)`, into `out[i]`; returns its skip
 * code. A label is trimmed of spaces and tabs, and an empty or missing-value label (`NA`, `null`,
 * …) skips the row, as the CSV reader does; a group value is taken as it is.
 */
export function internBytes(role: ColumnRole, keys: GroupKeys, bytes: Uint8Array, a: number, b: number, out: Float64Array, i: number): number {
  if (role === 'label') {
    while (a < b && (bytes[a] === 32 || bytes[a] === 9)) a++;
    while (b > a && (bytes[b - 1] === 32 || bytes[b - 1] === 9)) b--;
    if (a === b) return R_EMPTY;
    if (b - a <= 4 && mayBeNaMarker(bytes, a, b) && classifyField(decoder.decode(bytes.subarray(a, b)), false).kind === 'na') return R_NA;
  }
  out[i] = keys.id(bytes, a, b);
  return R_OK;
}

/** Interns a label or group value given as text (a number or boolean written out); its skip code. */
export function internText(role: ColumnRole, keys: GroupKeys, text: string, out: Float64Array, i: number): number {
  if (role === 'label' && text === '') return R_EMPTY;
  out[i] = keys.idOfLabel(text);
  return R_OK;
}

/** The label or group text of a number: as JavaScript writes it (`1`, `0.5`), NaN a missing value. */
export function internNumber(role: ColumnRole, keys: GroupKeys, v: number | bigint, out: Float64Array, i: number, cache: Map<number | bigint, number>): number {
  if (typeof v === 'number' && v !== v) {
    if (role === 'label') return R_NA;
    out[i] = keys.idOfLabel('NaN');
    return R_OK;
  }
  let id = cache.get(v);
  if (id === undefined) {
    // Past MAX_GROUPS labels the file is refused as a classifier's, from its first label beyond
    // them (already marked), and the task's label sample is full: the rest need no text. Writing
    // a continuous target's numbers out as text cost the label sample of a Parquet page more than
    // decoding it.
    if (role === 'label' && keys.overflow) {
      out[i] = -1;
      return R_OK;
    }
    id = keys.idOfLabel(String(v));
    if (cache.size < 4096) cache.set(v, id);
  }
  out[i] = id;
  return R_OK;
}

/** A null: an empty value in a number or label slot (skipped as `empty`), the group `""`. */
export function nullInto(role: ColumnRole, keys: GroupKeys | undefined, out: Float64Array, i: number): number {
  if (role === 'group' && keys) {
    out[i] = keys.emptyId();
    return R_OK;
  }
  out[i] = 0;
  return R_EMPTY;
}

/** The sentence for a column whose type cannot be read. */
export function unsupportedColumn(file: string, column: string, type: string): LossInspectorError {
  return new LossInspectorError(
    'unsupported',
    `The column ${quoteName(column)} of '${file}' holds ${type}, which Loss Inspector does not read; it reads numbers (integers, floats, decimals), booleans and text.`,
    { file },
  );
}

export { R_TEXT };
