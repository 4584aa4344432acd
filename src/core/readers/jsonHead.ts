/**
 * The head of a JSON or JSON Lines file: its shape (records or columns) and its column names, from
 * the first bytes, before any scan.
 */
import { LossInspectorError } from '../errors';
import { COLON, COMMA, CR, LBRACE, LBRACKET, LF, QUOTE, RBRACE, RBRACKET, SP, TAB } from './bytes';
import { describeValueStart, JsonCursor, printable } from './jsonCursor';

/**
 * `records`: an array of objects (or JSON Lines). `columns`: an object of arrays. `objects`: an
 * object of objects keyed by the row labels (pandas `to_json`'s default orient, 'columns'), read
 * by the same scanner. pandas' other orients: `index`
 * (`{"0":{"y_true":…},…}`: records keyed by the index), `table` (`{"schema":…,"data":[records]}`)
 * and `split` (`{"columns":[names],"index":[…],"data":[[row],…]}`).
 */
export type JsonShape = 'records' | 'columns' | 'objects' | 'index' | 'table' | 'split';

/**
 * A key of JSON records whose value is an array in some of the head's records: the number of
 * elements in each of them, in file order, and the line where each array starts (what a
 * multiclass file's `"probs":[…]` needs to know its k before the scan).
 */
export interface ArrayField {
  key: string;
  lengths: number[];
  lines: number[];
}

/** Records after the first whose keys the head adds to the columns (see Peeker.laterKeys). */
const LATER_RECORDS = 100;

class Peeker extends JsonCursor {
  /** Array-valued keys of the records (ArrayField), filled by objectKeys while `collect` is set. */
  readonly arrays = new Map<string, ArrayField>();
  private collect = false;

  peek(buf: Uint8Array, end: number): { shape: JsonShape; columns: string[] } {
    this.collect = true;
    try {
      return this.peekAny(buf, end);
    } finally {
      this.collect = false;
    }
  }

  private peekAny(buf: Uint8Array, end: number): { shape: JsonShape; columns: string[] } {
    let i = 0;
    if (this.bomLength(buf, 0, end, true) === 3) i = 3;
    this.tLineStart = i;
    // Blank lines and whitespace (line breaks allowed here in both modes).
    while (i < end) {
      const c = buf[i];
      if (c === SP || c === TAB || c === CR) i++;
      else if (c === LF) {
        i++;
        this.tLine++;
        this.tLineStart = i;
      } else break;
    }
    if (i >= end) {
      throw new LossInspectorError('emptyFile', `'${this.file}' is empty (it holds no JSON).`, { file: this.file });
    }
    const c = buf[i];
    if (this.lineMode) {
      if (c !== LBRACE) {
        const what = describeValueStart(c);
        throw this.syntax(buf, i, `each line of a JSON Lines file must hold one object like {"y_true":1,"y_pred":0.9}, but this line starts with ${what || printable(c)}`);
      }
      const cols = this.objectKeys(buf, i, end, false);
      if (this.closed) this.laterKeys(buf, this.after, end, cols);
      return { shape: 'records', columns: cols };
    }
    if (c === LBRACKET) {
      i++;
      if (i < end && buf[i] <= SP) i = this.ws(buf, i, end);
      if (i >= end) return { shape: 'records', columns: [] };
      const d = buf[i];
      if (d === RBRACKET) {
        throw new LossInspectorError('noUsableRows', `'${this.file}' holds an empty array, so there are no rows to score.`, { file: this.file });
      }
      if (d === LBRACE) {
        const cols = this.objectKeys(buf, i, end, false);
        if (this.closed) this.laterKeys(buf, this.after, end, cols);
        return { shape: 'records', columns: cols };
      }
      if (d === LBRACKET) {
        throw this.shapeError(
          buf,
          i,
          "an array of arrays (what pandas to_json(orient='values') writes), which has no column names: write it with orient='records' (or lines=True) instead",
        );
      }
      const what = describeValueStart(d);
      if (what) throw this.shapeError(buf, i, `an array whose first element is ${what}, not an object`);
      throw this.syntax(buf, i, `expected a value after '[' but found ${printable(d)}`);
    }
    if (c === LBRACE) return this.peekObject(buf, i, end);
    const what = describeValueStart(c);
    if (what) throw this.shapeError(buf, i, `a single value (${what}) instead of an array or an object`);
    throw this.syntax(buf, i, `expected '[' or '{' at the start of the file but found ${printable(c)}`);
  }

  /**
   * A top-level object: an object of arrays, or one of pandas' orients (see JsonShape), told apart
   * by the properties that lie within the bytes.
   */
  private peekObject(buf: Uint8Array, start: number, end: number): { shape: JsonShape; columns: string[] } {
    // Only records' arrays are scores per row: "data" of orient='table' below, not these properties.
    this.collect = false;
    const line = this.tLine;
    const lineStart = this.tLineStart;
    const fail = (what: string) => {
      // Point at the object's '{', not at the line the look stopped on.
      this.tLine = line;
      this.tLineStart = lineStart;
      return this.shapeError(buf, start, what);
    };
    const arrays: string[] = [];
    const objects: string[] = [];
    /** Keys of the first object-valued properties (closed within the bytes), and whether their values are all scalars. */
    const inner: string[][] = [];
    let innerScalars = true;
    let firstInnerOpen = false;
    let schema = false;
    let dataKind = 0; // the first byte of the first element of "data" (0: none seen)
    let dataKeys: string[] | undefined;
    let dataClosed = false;
    let splitNames: string[] | undefined;
    let whole = false;
    let i = start + 1;
    const ws = () => {
      if (i < end && buf[i] <= SP) i = this.ws(buf, i, end);
      return i < end;
    };
    walk: {
      if (!ws()) break walk;
      if (buf[i] === RBRACE) {
        whole = true;
        break walk;
      }
      for (;;) {
        if (buf[i] !== QUOTE) throw this.syntax(buf, i, 'expected a property name in double quotes');
        const j = this.skipString(buf, i, end);
        if (j < 0) break walk;
        const name = this.decodeString(buf, i + 1, j - 1, this.strEsc);
        i = j;
        if (!ws()) break walk;
        if (buf[i] !== COLON) throw this.syntax(buf, i, "expected ':' after a property name");
        i++;
        if (!ws()) break walk;
        const v = buf[i];
        // The looks inside the value below move the line count; skipValue counts its lines again.
        const tl = this.tLine;
        const tls = this.tLineStart;
        if (v === LBRACKET) {
          if (!arrays.includes(name)) arrays.push(name);
          if (name === 'data' || name === 'columns') {
            let k = i + 1;
            if (k < end && buf[k] <= SP) k = this.ws(buf, k, end);
            if (k >= end) break walk;
            this.tLine = tl;
            this.tLineStart = tls;
            if (name === 'data') {
              dataKind = buf[k];
              if (dataKind === LBRACE) {
                this.closed = false;
                this.collect = true;
                dataKeys = this.objectKeys(buf, k, end, false);
                if (this.closed) this.laterKeys(buf, this.after, end, dataKeys);
                this.collect = false;
                dataClosed = this.closed;
              }
            } else splitNames = this.stringArray(buf, i, end);
          }
        } else if (v === LBRACE) {
          if (name === 'schema') schema = true;
          if (!objects.includes(name)) objects.push(name);
          if (inner.length <= LATER_RECORDS) {
            this.closed = false;
            this.scalars = true;
            const keys = this.objectKeys(buf, i, end, false);
            if (this.closed) {
              inner.push(keys);
              innerScalars &&= this.scalars;
            } else if (inner.length === 0) firstInnerOpen = true;
          }
        }
        this.tLine = tl;
        this.tLineStart = tls;
        i = this.skipValue(buf, i, end);
        if (i < 0) break walk;
        if (!ws()) break walk;
        if (buf[i] === RBRACE) {
          whole = true;
          break walk;
        }
        if (buf[i] !== COMMA) throw this.syntax(buf, i, "expected ',' or '}' after a property value");
        i++;
        if (!ws()) break walk;
      }
    }
    this.closed = whole;
    if (schema && dataKind !== 0) {
      if (dataKind !== LBRACE) throw fail(`a pandas orient='table' object whose "data" is not an array of records`);
      this.closed = dataClosed;
      return { shape: 'table', columns: dataKeys ?? [] };
    }
    // pandas writes "columns", "index", "data" in this order: a long index may put "data" past the bytes.
    const splitSoFar = !whole && dataKind === 0 && arrays.every((a) => a === 'columns' || a === 'index');
    if (splitNames && ((dataKind !== 0 && dataKind !== RBRACKET) || splitSoFar)) {
      if (dataKind !== LBRACKET && dataKind !== 0) throw fail(`a pandas orient='split' object whose "data" is not an array of rows (arrays)`);
      this.closed = true;
      return { shape: 'split', columns: splitNames };
    }
    if (arrays.length > 0) return { shape: 'columns', columns: arrays };
    if (objects.length > 0 && !schema) {
      if (!innerScalars) throw fail("an object of objects whose values are not all numbers or strings (neither of pandas orient columns nor index; a column of lists, such as one array of class scores per row, is read from orient='records' or lines=True)");
      // pandas' 'columns' ({"y_true":{"0":1.5,…},…}) or 'index' ({"0":{"y_true":1.5,…},…})? The
      // row labels are the keys that look like numbers (a RangeIndex, timestamps); else a row
      // count far above the column count shows on which side the rows are.
      const numeric = (keys: string[]) => keys.length > 0 && keys.every((k) => /^-?\d+(\.\d+)?$/.test(k));
      const outerRows = numeric(objects);
      const innerRows = !firstInnerOpen && inner.length > 0 && numeric(inner[0]);
      let index: boolean;
      if (firstInnerOpen) index = false;
      else if (outerRows !== innerRows) index = outerRows;
      else index = objects.length > (inner[0]?.length ?? 0);
      if (index) {
        const seen = new Set<string>();
        const cols: string[] = [];
        for (const keys of inner) {
          for (const k of keys) {
            if (!seen.has(k)) {
              seen.add(k);
              cols.push(k);
            }
          }
        }
        this.closed = inner.length > 0;
        return { shape: 'index', columns: cols };
      }
      return { shape: 'objects', columns: objects };
    }
    if (whole) throw fail(schema ? `a pandas orient='table' object without "data"` : 'an object without any array-valued property');
    return { shape: 'columns', columns: [] };
  }

  /** The strings of the array at buf[i] (`[`), or undefined when it holds anything else or is cut by the end. */
  private stringArray(buf: Uint8Array, i: number, end: number): string[] | undefined {
    const out: string[] = [];
    i++;
    for (;;) {
      if (i < end && buf[i] <= SP) i = this.ws(buf, i, end);
      if (i >= end) return undefined;
      if (buf[i] === RBRACKET && out.length === 0) return out;
      if (buf[i] !== QUOTE) return undefined;
      const j = this.skipString(buf, i, end);
      if (j < 0) return undefined;
      out.push(this.decodeString(buf, i + 1, j - 1, this.strEsc));
      i = j;
      if (i < end && buf[i] <= SP) i = this.ws(buf, i, end);
      if (i >= end) return undefined;
      if (buf[i] === RBRACKET) return out;
      if (buf[i] !== COMMA) return undefined;
      i++;
    }
  }

  /** Set by objectKeys: whether every value of the object was a scalar (not an object or array). */
  scalars = true;
  /** Set by objectKeys: the object was closed within the bytes. */
  closed = false;
  /** Set by objectKeys when `closed`: the index after its '}'. */
  after = 0;

  /**
   * Adds to `cols` the keys of the records after the first that lie whole within the bytes (at
   * most LATER_RECORDS of them), in order of first appearance: a key that the first record leaves
   * out (serializers that omit nulls or zeros do) is still a column. Stops quietly at anything
   * unexpected; the scan reports it.
   */
  private laterKeys(buf: Uint8Array, i: number, end: number, cols: string[]): void {
    const seen = new Set(cols);
    try {
      // Whitespace, line breaks included (between records in both modes).
      // Lines are counted (ArrayField.lines); errors here are the scan's to report.
      const blank = (j: number) => {
        while (j < end && (buf[j] === SP || buf[j] === TAB || buf[j] === CR || buf[j] === LF)) {
          if (buf[j] === LF) {
            this.tLine++;
            this.tLineStart = j + 1;
          }
          j++;
        }
        return j;
      };
      for (let n = 0; n < LATER_RECORDS; n++) {
        i = blank(i);
        if (!this.lineMode) {
          if (i >= end || buf[i] !== COMMA) return;
          i = blank(i + 1);
        }
        if (i >= end || buf[i] !== LBRACE) return;
        this.closed = false;
        const keys = this.objectKeys(buf, i, end, false);
        if (!this.closed) return;
        for (const k of keys) {
          if (!seen.has(k)) {
            seen.add(k);
            cols.push(k);
          }
        }
        i = this.after;
      }
    } catch {
      // A syntax error further on: the scan finds it and says where.
    } finally {
      this.closed = true; // the first record was whole
    }
  }

  /** Records the length of the array at buf[i] (`[`), the value of `name` (skipped when cut by the end). */
  private noteArray(name: string, buf: Uint8Array, i: number, end: number): void {
    const line = this.tLine;
    const tls = this.tLineStart;
    let n: number;
    try {
      n = this.elements(buf, i, end);
    } finally {
      // objectKeys' skipValue counts the array's lines again.
      this.tLine = line;
      this.tLineStart = tls;
    }
    if (n < 0) return;
    let f = this.arrays.get(name);
    if (!f) this.arrays.set(name, (f = { key: name, lengths: [], lines: [] }));
    f.lengths.push(n);
    f.lines.push(line);
  }

  /** The number of elements of the array at buf[i] (`[`), or −1 when the bytes end first or it is not valid (the scan says why). */
  private elements(buf: Uint8Array, i: number, end: number): number {
    let n = 0;
    let j = i + 1;
    if (j < end && buf[j] <= SP) j = this.ws(buf, j, end);
    if (j >= end) return -1;
    if (buf[j] === RBRACKET) return 0;
    for (;;) {
      j = this.skipValue(buf, j, end);
      if (j < 0) return -1;
      n++;
      if (j < end && buf[j] <= SP) j = this.ws(buf, j, end);
      if (j >= end) return -1;
      if (buf[j] === RBRACKET) return n;
      if (buf[j] !== COMMA) return -1;
      j++;
      if (j < end && buf[j] <= SP) j = this.ws(buf, j, end);
      if (j >= end) return -1;
    }
  }

  /** Keys (first occurrence order) of the object at buf[i]; only array-valued ones if `arraysOnly`. */
  private objectKeys(buf: Uint8Array, i: number, end: number, arraysOnly: boolean): string[] {
    const keys: string[] = [];
    const seen = new Set<string>();
    i++;
    if (i < end && buf[i] <= SP) i = this.ws(buf, i, end);
    if (i >= end) return keys;
    if (buf[i] === RBRACE) {
      this.closed = true;
      this.after = i + 1;
      return keys;
    }
    for (;;) {
      if (buf[i] !== QUOTE) throw this.syntax(buf, i, 'expected a property name in double quotes');
      const j = this.skipString(buf, i, end);
      if (j < 0) return keys;
      const name = this.decodeString(buf, i + 1, j - 1, this.strEsc);
      i = j;
      if (i < end && buf[i] <= SP) i = this.ws(buf, i, end);
      if (i >= end) return keys;
      if (buf[i] !== COLON) throw this.syntax(buf, i, "expected ':' after a property name");
      i++;
      if (i < end && buf[i] <= SP) i = this.ws(buf, i, end);
      if (i >= end) return keys;
      if (buf[i] === LBRACKET || buf[i] === LBRACE) this.scalars = false;
      if (buf[i] === LBRACKET && this.collect) this.noteArray(name, buf, i, end);
      if ((!arraysOnly || buf[i] === LBRACKET) && !seen.has(name)) {
        seen.add(name);
        keys.push(name);
      }
      i = this.skipValue(buf, i, end);
      if (i < 0) return keys;
      if (i < end && buf[i] <= SP) i = this.ws(buf, i, end);
      if (i >= end) return keys;
      const c = buf[i];
      if (c === RBRACE) {
        this.closed = true;
        this.after = i + 1;
        return keys;
      }
      if (c !== COMMA) throw this.syntax(buf, i, "expected ',' or '}' after a property value");
      i++;
      if (i < end && buf[i] <= SP) i = this.ws(buf, i, end);
      if (i >= end) return keys;
    }
  }
}

/**
 * Looks at the first chunk of a JSON (lines=false) or JSON Lines (lines=true) file and returns
 * its shape and column names: the keys of the first record and of the whole records after it in
 * the chunk (see laterKeys), or (columnar files) the array-valued keys seen within the chunk.
 * Throws emptyFile / noUsableRows / jsonShape / jsonSyntax.
 */
export function peekJson(buf: Uint8Array, end: number, fileLabel: string, lines: boolean): { shape: JsonShape; columns: string[] } {
  const { shape, columns } = peekJsonWhole(buf, end, fileLabel, lines);
  return { shape, columns };
}

/**
 * `peekJson`, also telling whether the chunk held the whole first record (or, for the columnar
 * shape, the whole top-level object): when not, `columns` may be missing some.
 */
export function peekJsonWhole(buf: Uint8Array, end: number, fileLabel: string, lines: boolean): { shape: JsonShape; columns: string[]; complete: boolean; arrays: ArrayField[] } {
  const peeker = new Peeker(fileLabel, lines);
  const r = peeker.peek(buf, Math.min(end, buf.length));
  return { ...r, complete: peeker.closed, arrays: [...peeker.arrays.values()] };
}
