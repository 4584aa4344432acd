/**
 * Columns: `{"y_true":[…],"y_pred":[…]}` (an object of equal-length arrays), or of objects keyed by
 * the row labels, `{"y_true":{"0":1.5,"1":2.0},…}` (pandas `to_json`'s default orient), paired by
 * position once their labels are checked to be the same in the same order.
 */
import { LossInspectorError, quoteName, quoteNames } from '../errors';
import { GroupKeys } from '../groups';
import { ByteScanner, RowSink } from '../scanTypes';
import { COLON, COMMA, D0, D9, LBRACE, LBRACKET, MINUS, QUOTE, RBRACE, RBRACKET, SP } from './bytes';
import { R_INF, R_OK, REASON_OF_CODE } from './fields';
import { describeValueStart, JsonCursor, printable, SHAPES, slowNumber } from './jsonCursor';
import { parseDecimalBytes } from './numbers';

// Shared empty arrays: a column allocates its own at its first element (most arrays of a file
// with many are never stored).
const NO_F64 = new Float64Array(0);
const NO_I32 = new Int32Array(0);
const NO_U8 = new Uint8Array(0);

/** One array-valued property: its elements' values, lines, skip codes and offsets (only once pushed to). */
class Column {
  n = 0;
  /** Object-valued (pandas orient 'columns'): a hash of its keys in order, and whether it is one. */
  keyHash = 0x811c9dc5;
  keyed = false;
  values = NO_F64;
  lines = NO_I32;
  codes = NO_U8;
  offsets = NO_F64;
  constructor(
    readonly name: string,
    readonly line: number,
    /** Whether its elements are kept (a wanted column of the scan). */
    readonly stored: boolean,
  ) {}

  push(v: number, code: number, line: number, offset: number): void {
    const n = this.n;
    if (n === this.values.length) this.grow();
    this.values[n] = v;
    this.codes[n] = code;
    this.lines[n] = line;
    this.offsets[n] = offset;
    this.n = n + 1;
  }

  private grow(): void {
    const cap = Math.max(64, this.values.length * 2);
    const v = new Float64Array(cap);
    v.set(this.values);
    this.values = v;
    const l = new Int32Array(cap);
    l.set(this.lines);
    this.lines = l;
    const c = new Uint8Array(cap);
    c.set(this.codes);
    this.codes = c;
    const o = new Float64Array(cap);
    o.set(this.offsets);
    this.offsets = o;
  }
}

const C_BOM = 0;
const C_START = 1;
const C_FIRSTKEY = 2;
const C_KEY = 3;
const C_ARR_FIRST = 4;
const C_ARR_NEXT = 5;
const C_ARR_AFTER = 6;
const C_AFTER_PROP = 7;
const C_DONE = 8;
/** Inside an object-valued property (pandas orient 'columns': `{"0":1.5,"1":2.0}`). */
const C_OBJ_FIRST = 9;
const C_OBJ_NEXT = 10;
const C_OBJ_AFTER = 11;

/** How many array names a scan with `wanted` columns keeps for its messages. */
const NAMES_KEPT = 30;

/**
 * Scans an object of arrays, storing the wanted array-valued properties (values, line, offset and
 * skip code per element) until `emit` pairs them up. The other arrays are parsed (validated) but
 * not stored; non-array properties are skipped.
 */
export class JsonColumnsScanner extends JsonCursor implements ByteScanner {
  private state = C_BOM;
  /** The stored columns (all array names with `keysOnly`, else the wanted ones that were found). */
  private readonly byName = new Map<string, Column>();
  /** With `keysOnly`: every array name, in order of first appearance, '' where one was removed. */
  private readonly order: string[] = [];
  /** With `keysOnly`: each name's index in `order`. */
  private readonly indexOf = new Map<string, number>();
  /** With `keysOnly`: whether a name was removed (a later non-array value of the same key). */
  private removed = false;
  /** Without `keysOnly`: array-valued properties met, and the first NAMES_KEPT names (for messages). */
  private arrays = 0;
  private readonly someNames: string[] = [];
  private readonly wanted: Set<string> | undefined;
  private cur: Column | null = null;

  /**
   * With `keysOnly`, values are validated but not stored (for collecting the column names). With
   * `wanted` (the names `emit` will be given, and the group key), only those arrays' elements
   * are stored: the memory of a file of 10⁶ small arrays is that of the few it needs. Without
   * either, every array is stored. With `group`, the elements of the array named `group.key` are
   * stored as group ids (in `values`).
   */
  constructor(
    fileLabel: string,
    private readonly keysOnly = false,
    private readonly group?: { key: string; keys: GroupKeys },
    wanted?: readonly string[],
    /** A categorical array (a class label): its elements are interned and stored as ids. */
    private readonly label?: { key: string; keys: GroupKeys },
    /** pandas orient 'columns': object-valued properties are the columns (else they are skipped, as scalars are). */
    private readonly objects = false,
  ) {
    super(fileLabel, false);
    this.wanted = wanted && !keysOnly ? new Set(group ? [...wanted, group.key] : wanted) : undefined;
  }

  get line(): number {
    return this.curLine;
  }

  /** Array-valued keys, in order of first appearance (all of them with `keysOnly`). */
  columns(): string[] {
    if (!this.keysOnly) return [...this.byName.keys()];
    return this.removed ? this.order.filter((name, i) => this.indexOf.get(name) === i) : this.order.slice();
  }

  scan(buf: Uint8Array, pos: number, end: number, eof: boolean): number {
    if (end > buf.length) end = buf.length;
    const bo = this.bufferOffset;
    if (this.lineStart < 0) this.lineStart = bo + pos;
    if (this.state === C_BOM) {
      if (bo + pos === 0) {
        const b = this.bomLength(buf, pos, end, eof);
        if (b < 0) return pos;
        pos += b;
        this.lineStart = bo + pos;
      }
      this.state = C_START;
    }
    let i = pos;
    let line = this.curLine;
    let ls = this.lineStart;
    for (;;) {
      i = this.skipBetween(buf, i, end);
      line = this.curLine;
      ls = this.lineStart;
      if (i >= end) {
        if (eof) this.finish();
        return i;
      }
      let c = buf[i];
      const st = this.state;
      if (st === C_ARR_NEXT || st === C_ARR_FIRST) {
        if (c === RBRACKET) {
          if (st === C_ARR_NEXT) throw this.syntax(buf, i, "expected an array element after ',' but found ']' (remove the trailing comma)");
          this.state = C_AFTER_PROP;
          this.cur = null;
          i++;
          continue;
        }
        const r = this.element(buf, i, end, line, i);
        if (r < 0) {
          if (eof) throw this.needString >= 0 ? this.unclosedString(buf) : this.unclosed();
          return i;
        }
        line = this.curLine = this.tLine;
        ls = this.lineStart = this.tLineStart;
        i = r;
        this.state = C_ARR_AFTER;
        continue;
      }
      if (st === C_OBJ_FIRST || st === C_OBJ_NEXT) {
        // `"key": value` of an object-valued column: the value is the element, the key its row label.
        if (c === RBRACE && st === C_OBJ_FIRST) {
          this.state = C_AFTER_PROP;
          this.cur = null;
          i++;
          continue;
        }
        if (c !== QUOTE) throw this.syntax(buf, i, `expected a row label in double quotes${st === C_OBJ_NEXT ? " after ','" : " or '}'"} but found ${printable(c)}`);
        this.needString = -1;
        let k = this.skipString(buf, i, end);
        if (k < 0) {
          if (eof) throw this.unclosedString(buf);
          return i;
        }
        const ks = i + 1;
        const ke = k - 1;
        if (k < end && buf[k] <= SP) k = this.ws(buf, k, end);
        if (k < end && buf[k] !== COLON) throw this.syntax(buf, k, `expected ':' after a row label but found ${printable(buf[k])}`);
        if (k < end) k++;
        if (k < end && buf[k] <= SP) k = this.ws(buf, k, end);
        const r = k < end ? this.element(buf, k, end, line, i) : -1;
        if (r < 0) {
          if (eof) throw this.needString >= 0 ? this.unclosedString(buf) : this.unclosed();
          this.tLine = line;
          this.tLineStart = ls;
          return i;
        }
        const col = this.cur as Column;
        if (col.stored) {
          let h = col.keyHash;
          for (let b = ks; b < ke; b++) h = Math.imul(h ^ buf[b], 0x01000193);
          col.keyHash = Math.imul(h ^ 0x2c, 0x01000193);
        }
        line = this.curLine = this.tLine;
        ls = this.lineStart = this.tLineStart;
        i = r;
        this.state = C_OBJ_AFTER;
        continue;
      }
      if (st === C_OBJ_AFTER) {
        if (c === COMMA) this.state = C_OBJ_NEXT;
        else if (c === RBRACE) {
          this.state = C_AFTER_PROP;
          this.cur = null;
        } else throw this.syntax(buf, i, `expected ',' or '}' after a value but found ${printable(c)}`);
        i++;
        continue;
      }
      if (st === C_ARR_AFTER) {
        if (c === COMMA) this.state = C_ARR_NEXT;
        else if (c === RBRACKET) {
          this.state = C_AFTER_PROP;
          this.cur = null;
        } else throw this.syntax(buf, i, `expected ',' or ']' after an array element but found ${printable(c)}`);
        i++;
        continue;
      }
      if (st === C_KEY || st === C_FIRSTKEY) {
        if (c === RBRACE && st === C_FIRSTKEY) {
          this.state = C_DONE;
          i++;
          continue;
        }
        if (c !== QUOTE) {
          throw this.syntax(buf, i, st === C_KEY ? `expected a property name in double quotes after ',' but found ${printable(c)}` : `expected a property name in double quotes or '}' but found ${printable(c)}`);
        }
        this.needString = -1;
        const keyLine = line;
        let k = this.skipString(buf, i, end);
        if (k < 0) {
          if (eof) throw this.unclosedString(buf);
          return i;
        }
        const name = this.decodeString(buf, i + 1, k - 1, this.strEsc);
        if (k < end && buf[k] <= SP) k = this.ws(buf, k, end);
        if (k < end && buf[k] !== COLON) throw this.syntax(buf, k, `expected ':' after a property name but found ${printable(buf[k])}`);
        if (k < end) k++;
        if (k < end && buf[k] <= SP) k = this.ws(buf, k, end);
        if (k >= end) {
          if (eof) throw this.unclosed();
          this.tLine = line;
          this.tLineStart = ls;
          return i;
        }
        c = buf[k];
        if (c === LBRACKET || (c === LBRACE && this.objects)) {
          this.cur = this.arrayStarts(name, keyLine);
          this.cur.keyed = c === LBRACE;
          this.state = c === LBRACE ? C_OBJ_FIRST : C_ARR_FIRST;
          i = k + 1;
        } else {
          const r = this.skipValue(buf, k, end);
          if (r < 0) {
            if (eof) throw this.needString >= 0 ? this.unclosedString(buf) : this.unclosed();
            this.tLine = line;
            this.tLineStart = ls;
            return i;
          }
          this.byName.delete(name);
          if (this.keysOnly && this.indexOf.delete(name)) this.removed = true;
          this.state = C_AFTER_PROP;
          i = r;
        }
        line = this.curLine = this.tLine;
        ls = this.lineStart = this.tLineStart;
        continue;
      }
      if (st === C_AFTER_PROP) {
        if (c === COMMA) this.state = C_KEY;
        else if (c === RBRACE) this.state = C_DONE;
        else throw this.syntax(buf, i, `expected ',' or '}' after a property value but found ${printable(c)}`);
        i++;
        continue;
      }
      if (st === C_START) {
        if (c === LBRACE) {
          this.state = C_FIRSTKEY;
          i++;
          continue;
        }
        const what = describeValueStart(c);
        if (what) throw this.shapeError(buf, i, `${what} at the top level instead of an object of arrays`);
        throw this.syntax(buf, i, `expected '{' at the start of the file but found ${printable(c)}`);
      }
      // C_DONE
      throw this.syntax(buf, i, `unexpected ${printable(c)} after the closing '}' of the top-level object`);
    }
  }

  /** Parses the element value at buf[i] into the current column (at `line`, offset of `at`); returns its end or NEED. */
  private element(buf: Uint8Array, i: number, end: number, line: number, at: number): number {
    const bo = this.bufferOffset;
    const c = buf[i];
    const col = this.cur as Column;
    const store = col.stored;
    let r: number;
    if (this.group !== undefined && col.name === this.group.key && store) {
      this.needString = -1;
      r = this.groupValue(this.group.keys, buf, i, end);
      if (r >= 0) col.push(this.gId, R_OK, line, bo + at);
    } else if (this.label !== undefined && col.name === this.label.key && store) {
      this.needString = -1;
      r = this.labelValue(this.label.keys, buf, i, end);
      if (r >= 0) col.push(this.lCode === R_OK ? this.lId : NaN, this.lCode, line, bo + at);
    } else if (c === MINUS || (c >= D0 && c <= D9)) {
      r = this.scanNumber(buf, i, end);
      if (r >= 0 && store) {
        let v = parseDecimalBytes(buf, i, r, false);
        if (v !== v) v = slowNumber(buf, i, r);
        col.push(v, v - v === 0 ? R_OK : R_INF, line, bo + at);
      }
    } else {
      this.needString = -1;
      r = this.parseValue(buf, i, end);
      if (r >= 0 && store) col.push(this.vCode === R_OK ? this.vNum : NaN, this.vCode, line, bo + at);
    }
    return r;
  }

  /**
   * The column that receives the elements of the array named `name`: a duplicate key's last array
   * wins (keeping its first position, like JSON.parse); an array that is not stored gets a column
   * of its own that is dropped at its end (for the messages about it).
   */
  private arrayStarts(name: string, keyLine: number): Column {
    if (this.keysOnly) {
      if (!this.indexOf.has(name)) {
        this.indexOf.set(name, this.order.length);
        this.order.push(name);
      }
      return new Column(name, keyLine, false);
    }
    this.arrays++;
    if (this.someNames.length < NAMES_KEPT && !this.someNames.includes(name)) this.someNames.push(name);
    if (this.wanted !== undefined && !this.wanted.has(name)) return new Column(name, keyLine, false);
    let col = this.byName.get(name);
    if (col === undefined) {
      col = new Column(name, keyLine, true);
      this.byName.set(name, col);
    } else {
      col.n = 0;
      col.keyHash = 0x811c9dc5;
    }
    return col;
  }

  private unclosed(): LossInspectorError {
    const cur = this.cur;
    const what = cur ? `']' of the array ${quoteName(cur.name)} that starts on line ${cur.line}` : "'}' of the top-level object";
    return new LossInspectorError('jsonSyntax', `'${this.file}' ends before the closing ${what}.`, { file: this.file, line: cur ? cur.line : this.curLine });
  }

  private finish(): void {
    const st = this.state;
    if (st === C_DONE) return;
    if (st === C_START || st === C_BOM) {
      throw new LossInspectorError('emptyFile', `'${this.file}' is empty (it holds no JSON).`, { file: this.file });
    }
    throw this.unclosed();
  }

  /**
   * Pairs up the arrays named in `slots` (target first) and emits one row per element index, in
   * order, with the line of the target element. The values array passed to `row` is reused.
   */
  emit(slots: string[], sink: RowSink): void {
    if (this.arrays === 0 || (this.wanted === undefined && this.byName.size === 0)) {
      throw new LossInspectorError('jsonShape', `'${this.file}' holds no array-valued property; Loss Inspector reads ${SHAPES}.`, { file: this.file });
    }
    const cols: Column[] = [];
    const named = this.group ? [...slots, this.group.key] : slots;
    for (const name of named) {
      const col = this.byName.get(name);
      if (col === undefined) {
        throw new LossInspectorError(
          'unknownColumn',
          `'${this.file}' has no array named ${quoteName(name)}; its arrays are: ${quoteNames(this.someNames)}${this.arrays > this.someNames.length ? `, … (${this.arrays} array-valued properties in all)` : ''}.`,
          { file: this.file },
        );
      }
      cols.push(col);
    }
    const t = cols[0];
    for (const col of cols) {
      if (col.keyed !== t.keyed || (col.keyed && col.n === t.n && col.keyHash !== t.keyHash)) {
        throw new LossInspectorError(
          'lengthMismatch',
          `In '${this.file}' the ${col.keyed && t.keyed ? 'objects' : 'properties'} ${quoteName(t.name)} and ${quoteName(col.name)} do not hold the same row labels in the same order (pandas to_json writes every column with the same index), so their values cannot be paired.`,
          { file: this.file, line: col.line },
        );
      }
      if (col.n !== t.n) {
        throw new LossInspectorError(
          'lengthMismatch',
          `In '${this.file}' the arrays ${quoteName(t.name)} (${t.n} value${t.n === 1 ? '' : 's'}) and ${quoteName(col.name)} (${col.n} value${col.n === 1 ? '' : 's'}) differ in length.`,
          { file: this.file, line: col.line },
        );
      }
    }
    const n = t.n;
    const gcol = this.group ? cols.pop() : undefined;
    const k = cols.length;
    const vals = new Float64Array(k);
    const codes = cols.map((c) => c.codes);
    const values = cols.map((c) => c.values);
    const lines = t.lines;
    const offsets = t.offsets;
    for (let r = 0; r < n; r++) {
      let bad = R_OK;
      for (let s = 0; s < k; s++) {
        const code = codes[s][r];
        if (code !== R_OK) {
          bad = code;
          break;
        }
        vals[s] = values[s][r];
      }
      if (bad !== R_OK) sink.skip(lines[r], REASON_OF_CODE[bad]);
      else sink.row(lines[r], offsets[r], vals, gcol ? gcol.values[r] : -1);
    }
  }
}
