/**
 * Records: `[{"y_true":1,"y_pred":0.9}, …]`, or JSON Lines (one object per line). Both share the
 * per-record parser; they differ only in what lies between records.
 */
import { LossInspectorError } from '../errors';
import type { ArraySlots } from '../family';
import { GroupKeys } from '../groups';
import { ByteScanner, RowSink } from '../scanTypes';
import { BACKSLASH, COLON, COMMA, CR, D0, D9, LBRACE, LBRACKET, LF, MINUS, QUOTE, RBRACE, RBRACKET, SP, TAB } from './bytes';
import { R_INF, R_LENGTH, R_MISSING, R_NA, R_OK, R_TEXT, REASON_OF_CODE } from './fields';
import { describeValueStart, JsonCursor, NEED, printable, slowNumber } from './jsonCursor';
import { parseDecimalInto } from './numbers';

/** How many key positions per record are remembered for the byte-compare key cache. */
const KEY_CACHE_MAX = 1024;

const ST_BOM = 0;
const ST_START = 1;
const ST_FIRST = 2;
const ST_NEXT = 3;
const ST_AFTER = 4;
const ST_DONE = 5;
const ST_STOPPED = 6;
const ST_LINES = 7;
/** pandas' orients around the records (JsonRecordsOptions.wrap): the top-level object. */
const ST_OBJ_START = 8;
const ST_OBJ_FIRST = 9;
const ST_OBJ_KEY = 10;
const ST_OBJ_AFTER = 11;
const ST_OBJ_DONE = 12;
/** Inside an array-valued property that is not the data (split's "index"): its elements are skipped one by one. */
const ST_SKIP_FIRST = 13;
const ST_SKIP_NEXT = 14;
const ST_SKIP_AFTER = 15;

export interface JsonRecordsOptions {
  /** JSON Lines: one object per line. */
  lines: boolean;
  /** The range begins at (or in the whitespace before) a record inside the top-level array. */
  startInsideArray?: boolean;
  /** Absolute file offset: stop at the first record (JSON Lines: line) starting at or after it. */
  stopAt?: number;
  /** Group-by: the key whose value names each record's group, and the interner for its values. */
  group?: { key: string; keys: GroupKeys };
  /** A categorical slot (a class label): its key's value is interned and the id put in the slot. */
  label?: { slot: number; keys: GroupKeys };
  /**
   * pandas `to_json` orients (JsonShape): `index`, records as the values of the top-level object;
   * `table` and `split`, records (split: rows, arrays whose positions are `positions`) in the array
   * of its "data" property. Read on one thread (no `startInsideArray` / `stopAt`).
   */
  wrap?: 'index' | 'table' | 'split';
  /** split: the column name of each position of a row. */
  positions?: readonly string[];
  /** Keys whose value is an array read into a run of slots (ReadSpec.arrays). */
  arrays?: readonly ArraySlots[];
  /** table: the property holding the records (default "data"; Hugging Face's trainer_state.json: "log_history"). */
  dataKey?: string;
  /**
   * Sparse records (training logs, #17): each slot's field code (fields.ts) is written here and
   * every record is handed over, whatever its values; the sink reads the codes.
   */
  codes?: Uint8Array;
}

/** slotOf value of the group-by key. */
const GROUP_SLOT = -2;
/** slotOf value of the categorical (label) key. */
const LABEL_SLOT = -4;
/** gId of a record whose group-by key has not been seen (yet). */
const NO_GROUP_YET = -3;
/** slotOf value of the array key number a (ReadSpec.arrays): ARRAY_SLOT − a. */
const ARRAY_SLOT = -8;

/**
 * Scans an array of objects (or JSON Lines) and hands one row per record to the sink. The
 * `values` array passed to `sink.row` is reused between records.
 */
export class JsonRecordsScanner extends JsonCursor implements ByteScanner {
  /** Absolute offset of the record (line) where the scanner stopped because of `stopAt`, or −1. */
  stoppedAt = -1;
  private recordCount = 0;
  private state: number;
  private readonly stopAt: number;
  private readonly slotOf = new Map<string, number>();
  /** For repeated slot names: alias[s] = the first slot with the same name. */
  private readonly alias: Int32Array;
  private readonly hasAlias: boolean;
  private readonly vals: Float64Array;
  private readonly codes: Uint8Array;
  private readonly nSlots: number;
  private readonly keyBytes: Uint8Array[] = [];
  private readonly keySlot = new Int32Array(KEY_CACHE_MAX);
  private arrayLine = 0;
  private arrayColumn = 0;
  private readonly gkeys: GroupKeys | undefined;
  private readonly lkeys: GroupKeys | undefined;
  private readonly lslot: number;
  private readonly wrap: 'index' | 'table' | 'split' | undefined;
  /** split: the slot (or GROUP_SLOT, LABEL_SLOT, −1) of each position of a row. */
  private readonly posSlot: Int32Array;
  /** The state after the records' array closes: ST_DONE, or back in the wrapping object. */
  private readonly afterArray: number;
  /** Per array key (ReadSpec.arrays): its first slot and its length. */
  private readonly arrAt: Int32Array;
  private readonly arrLen: Int32Array;
  /** JsonRecordsOptions.codes was given: records are never skipped for their values. */
  private readonly sparse: boolean;
  /** The records' property of a `table` wrap, as bytes (see JsonRecordsOptions.dataKey). */
  private readonly dataKey: Uint8Array;

  constructor(
    slots: string[],
    private readonly sink: RowSink,
    fileLabel: string,
    opts: JsonRecordsOptions,
  ) {
    super(fileLabel, opts.lines);
    this.nSlots = slots.length;
    this.vals = new Float64Array(slots.length);
    this.sparse = opts.codes !== undefined && opts.codes.length === slots.length;
    this.codes = this.sparse ? (opts.codes as Uint8Array) : new Uint8Array(slots.length);
    this.dataKey = new TextEncoder().encode(opts.dataKey ?? 'data');
    this.alias = new Int32Array(slots.length);
    let hasAlias = false;
    const arrays = opts.arrays ?? [];
    const inArray = new Uint8Array(slots.length);
    for (const a of arrays) inArray.fill(1, a.at, a.at + a.length);
    slots.forEach((name, s) => {
      // An array's slots are filled by position, not by key: their names are only display names.
      const first = inArray[s] ? s : this.slotOf.get(name);
      if (first === undefined || first === s) {
        if (!inArray[s]) this.slotOf.set(name, s);
        this.alias[s] = s;
      } else {
        this.alias[s] = first;
        hasAlias = true;
      }
    });
    this.hasAlias = hasAlias;
    this.lslot = opts.label ? opts.label.slot : -1;
    this.lkeys = opts.label?.keys;
    if (opts.label) this.slotOf.set(slots[opts.label.slot], LABEL_SLOT);
    if (opts.group && !this.slotOf.has(opts.group.key)) {
      this.slotOf.set(opts.group.key, GROUP_SLOT);
      this.gkeys = opts.group.keys;
    }
    this.stopAt = opts.stopAt ?? Infinity;
    this.state = opts.lines ? ST_BOM : opts.startInsideArray ? ST_NEXT : ST_BOM;
    this.wrap = opts.lines ? undefined : opts.wrap;
    this.afterArray = this.wrap ? ST_OBJ_AFTER : ST_DONE;
    this.arrAt = Int32Array.from(arrays, (a) => a.at);
    this.arrLen = Int32Array.from(arrays, (a) => a.length);
    arrays.forEach((a, k) => this.slotOf.set(a.key, ARRAY_SLOT - k));
    this.posSlot = Int32Array.from(opts.positions ?? [], (name) => this.slotOf.get(name) ?? -1);
  }

  /** 1-based line (relative to the range start) of the next unconsumed byte. */
  get line(): number {
    return this.curLine;
  }

  /** Records seen (rows and skipped records). */
  get records(): number {
    return this.recordCount;
  }

  /** True once the scanner stopped at `stopAt`. */
  get done(): boolean {
    return this.stoppedAt >= 0;
  }

  scan(buf: Uint8Array, pos: number, end: number, eof: boolean): number {
    if (end > buf.length) end = buf.length;
    if (this.state === ST_STOPPED) return pos;
    if (this.lineStart < 0) this.lineStart = this.bufferOffset + pos;
    if (this.state === ST_BOM) {
      if (this.bufferOffset + pos === 0) {
        const b = this.bomLength(buf, pos, end, eof);
        if (b < 0) return pos;
        pos += b;
        this.lineStart = this.bufferOffset + pos;
      }
      this.state = this.lineMode ? ST_LINES : this.wrap ? ST_OBJ_START : ST_START;
    }
    return this.lineMode ? this.scanLines(buf, pos, end, eof) : this.scanArray(buf, pos, end, eof);
  }

  private emit(line: number, offset: number): void {
    const codes = this.codes;
    const n = this.nSlots;
    if (this.hasAlias) {
      const alias = this.alias;
      for (let s = 0; s < n; s++) {
        const a = alias[s];
        if (a !== s) {
          codes[s] = codes[a];
          this.vals[s] = this.vals[a];
        }
      }
    }
    this.recordCount++;
    for (let s = 0; s < n && !this.sparse; s++) {
      const c = codes[s];
      if (c !== R_OK) {
        this.sink.skip(line, REASON_OF_CODE[c]);
        return;
      }
    }
    let g = this.gId;
    // A record without the group-by key is in the empty-value group.
    if (g === NO_GROUP_YET && this.gkeys !== undefined) g = this.gkeys.emptyId();
    this.sink.row(line, offset, this.vals, g);
  }

  private scanArray(buf: Uint8Array, pos: number, end: number, eof: boolean): number {
    const bo = this.bufferOffset;
    let i = pos;
    let line = this.curLine;
    let ls = this.lineStart;
    for (;;) {
      i = this.skipBetween(buf, i, end);
      line = this.curLine;
      ls = this.lineStart;
      if (i >= end) {
        if (eof) this.finishArray();
        return i;
      }
      const c = buf[i];
      const st = this.state;
      if (st === ST_AFTER) {
        if (c === COMMA) this.state = ST_NEXT;
        else if (c === RBRACKET) this.state = this.afterArray;
        else throw this.syntax(buf, i, `expected ',' or ']' after a record but found ${printable(c)}`);
        i++;
        continue;
      }
      if (st === ST_NEXT || st === ST_FIRST) {
        if (c === LBRACE || (c === LBRACKET && this.wrap === 'split')) {
          const abs = bo + i;
          if (abs >= this.stopAt) {
            this.state = ST_STOPPED;
            this.stoppedAt = abs;
            return i;
          }
          this.needString = -1;
          const r = c === LBRACE ? this.parseRecord(buf, i, end) : this.parseRow(buf, i, end);
          if (r < 0) {
            if (eof) throw this.needString >= 0 ? this.unclosedString(buf) : this.unclosedRecord(buf, i, line, ls);
            this.tLine = line;
            this.tLineStart = ls;
            return i;
          }
          const recLine = line;
          line = this.curLine = this.tLine;
          ls = this.lineStart = this.tLineStart;
          this.state = ST_AFTER;
          i = r;
          this.emit(recLine, abs);
          continue;
        }
        if (c === RBRACKET) {
          if (st === ST_FIRST) {
            this.state = this.afterArray;
            i++;
            continue;
          }
          throw this.syntax(buf, i, "expected a record after ',' but found ']' (remove the trailing comma)");
        }
        const what = describeValueStart(c);
        if (what) throw this.shapeError(buf, i, `an array element that is ${what}, not ${this.wrap === 'split' ? 'a row (an array)' : 'an object'}`);
        throw this.syntax(buf, i, `expected a record '{' but found ${printable(c)}`);
      }
      if (st >= ST_OBJ_START) {
        const r = this.wrapped(buf, i, end, eof, line, ls);
        if (r < 0) return i;
        i = r;
        continue;
      }
      if (st === ST_START) {
        if (c === LBRACKET) {
          this.state = ST_FIRST;
          this.arrayLine = line;
          this.arrayColumn = this.columnAt(buf, i, ls);
          i++;
          continue;
        }
        const what = describeValueStart(c);
        if (what) throw this.shapeError(buf, i, `${what} at the top level instead of an array of records`);
        throw this.syntax(buf, i, `expected '[' at the start of the file but found ${printable(c)}`);
      }
      // ST_DONE
      throw this.syntax(buf, i, `unexpected ${printable(c)} after the closing ']' of the array`);
    }
  }

  /**
   * One step in pandas' wrapping object (see JsonRecordsOptions.wrap) at buf[i] (not whitespace):
   * returns the index after what it consumed, or NEED (more bytes needed: nothing consumed).
   */
  private wrapped(buf: Uint8Array, i: number, end: number, eof: boolean, line: number, ls: number): number {
    const c = buf[i];
    const st = this.state;
    const wrap = this.wrap as 'index' | 'table' | 'split';
    if (st === ST_OBJ_START) {
      if (c !== LBRACE) throw this.shapeError(buf, i, `${describeValueStart(c) || printable(c)} at the top level instead of a pandas orient='${wrap}' object`);
      this.state = ST_OBJ_FIRST;
      return i + 1;
    }
    if (st === ST_OBJ_AFTER) {
      if (c === COMMA) this.state = ST_OBJ_KEY;
      else if (c === RBRACE) this.state = ST_OBJ_DONE;
      else throw this.syntax(buf, i, `expected ',' or '}' after a property value but found ${printable(c)}`);
      return i + 1;
    }
    if (st === ST_OBJ_DONE) throw this.syntax(buf, i, `unexpected ${printable(c)} after the closing '}' of the top-level object`);
    if (st === ST_SKIP_AFTER) {
      if (c === COMMA) this.state = ST_SKIP_NEXT;
      else if (c === RBRACKET) this.state = ST_OBJ_AFTER;
      else throw this.syntax(buf, i, `expected ',' or ']' after an array element but found ${printable(c)}`);
      return i + 1;
    }
    if (st === ST_SKIP_FIRST || st === ST_SKIP_NEXT) {
      if (c === RBRACKET && st === ST_SKIP_FIRST) {
        this.state = ST_OBJ_AFTER;
        return i + 1;
      }
      this.needString = -1;
      const r = this.skipValue(buf, i, end);
      if (r < 0) return this.needMore(buf, eof, line, ls);
      this.curLine = this.tLine;
      this.lineStart = this.tLineStart;
      this.state = ST_SKIP_AFTER;
      return r;
    }
    // ST_OBJ_FIRST, ST_OBJ_KEY: a property.
    if (c === RBRACE && st === ST_OBJ_FIRST) {
      this.state = ST_OBJ_DONE;
      return i + 1;
    }
    if (c !== QUOTE) throw this.syntax(buf, i, `expected a property name in double quotes but found ${printable(c)}`);
    this.needString = -1;
    let k = this.skipString(buf, i, end);
    if (k < 0) return this.needMore(buf, eof, line, ls);
    const isData = this.isDataKey(buf, i + 1, k - 1);
    if (k < end && buf[k] <= SP) k = this.ws(buf, k, end);
    if (k < end && buf[k] !== COLON) throw this.syntax(buf, k, `expected ':' after a property name but found ${printable(buf[k])}`);
    if (k < end) k++;
    if (k < end && buf[k] <= SP) k = this.ws(buf, k, end);
    if (k >= end) return this.needMore(buf, eof, line, ls);
    const v = buf[k];
    if (wrap === 'index') {
      if (v !== LBRACE) throw this.shapeError(buf, k, `${describeValueStart(v) || printable(v)} where pandas orient='index' has a record (an object)`);
      this.needString = -1;
      const r = this.parseRecord(buf, k, end);
      if (r < 0) return this.needMore(buf, eof, line, ls);
      this.curLine = this.tLine;
      this.lineStart = this.tLineStart;
      this.state = ST_OBJ_AFTER;
      this.emit(line, this.bufferOffset + k);
      return r;
    }
    if (isData) {
      if (v !== LBRACKET) throw this.shapeError(buf, k, `a "data" property that is ${describeValueStart(v) || printable(v)}, where pandas orient='${wrap}' has an array`);
      this.arrayLine = this.tLine;
      this.arrayColumn = this.columnAt(buf, k, this.tLineStart);
      this.curLine = this.tLine;
      this.lineStart = this.tLineStart;
      this.state = ST_FIRST;
      return k + 1;
    }
    if (v === LBRACKET) {
      this.curLine = this.tLine;
      this.lineStart = this.tLineStart;
      this.state = ST_SKIP_FIRST;
      return k + 1;
    }
    this.needString = -1;
    const r = this.skipValue(buf, k, end);
    if (r < 0) return this.needMore(buf, eof, line, ls);
    this.curLine = this.tLine;
    this.lineStart = this.tLineStart;
    this.state = ST_OBJ_AFTER;
    return r;
  }

  /** Whether the property name buf[s, e) (no escapes) is the records' property (dataKey). */
  private isDataKey(buf: Uint8Array, s: number, e: number): boolean {
    const key = this.dataKey;
    if (e - s !== key.length) return false;
    for (let j = 0; j < key.length; j++) if (buf[s + j] !== key[j]) return false;
    return true;
  }

  /** The bytes end inside a wrapping object's property: NEED (line bookkeeping back at its start), or at eof the error. */
  private needMore(buf: Uint8Array, eof: boolean, line: number, ls: number): number {
    if (eof) {
      if (this.needString >= 0) throw this.unclosedString(buf);
      throw new LossInspectorError('jsonSyntax', `'${this.file}' ends before the closing '}' of the top-level object.`, { file: this.file, line });
    }
    this.tLine = line;
    this.tLineStart = ls;
    return NEED;
  }

  /** buf[p] is `[`: parses one row of pandas orient='split' (values by position); returns the index after `]` or NEED. */
  private parseRow(buf: Uint8Array, p: number, end: number): number {
    const codes = this.codes;
    const vals = this.vals;
    for (let s = 0; s < codes.length; s++) codes[s] = R_MISSING;
    this.gId = this.gkeys === undefined ? -1 : NO_GROUP_YET;
    const posSlot = this.posSlot;
    let i = p + 1;
    if (i < end && buf[i] <= SP) i = this.ws(buf, i, end);
    if (i >= end) return NEED;
    if (buf[i] === RBRACKET) return i + 1;
    for (let pos = 0; ; pos++) {
      const slot = pos < posSlot.length ? posSlot[pos] : -1;
      if (slot >= 0) {
        i = this.parseValue(buf, i, end);
        if (i < 0) return NEED;
        codes[slot] = this.vCode;
        vals[slot] = this.vNum;
      } else if (slot === GROUP_SLOT) {
        i = this.groupValue(this.gkeys as GroupKeys, buf, i, end);
        if (i < 0) return NEED;
      } else if (slot === LABEL_SLOT) {
        i = this.labelValue(this.lkeys as GroupKeys, buf, i, end);
        if (i < 0) return NEED;
        codes[this.lslot] = this.lCode;
        vals[this.lslot] = this.lId;
      } else if (slot <= ARRAY_SLOT) {
        i = this.arrayValue(buf, i, end, ARRAY_SLOT - slot);
        if (i < 0) return NEED;
      } else {
        i = this.skipValue(buf, i, end);
        if (i < 0) return NEED;
      }
      if (i < end && buf[i] <= SP) i = this.ws(buf, i, end);
      if (i >= end) return NEED;
      const c = buf[i];
      if (c === RBRACKET) return i + 1;
      if (c !== COMMA) throw this.syntax(buf, i, `expected ',' or ']' after a value of the row but found ${printable(c)}`);
      i++;
      if (i < end && buf[i] <= SP) i = this.ws(buf, i, end);
      if (i >= end) return NEED;
    }
  }

  private unclosedRecord(buf: Uint8Array, i: number, line: number, ls: number): LossInspectorError {
    const column = this.columnAt(buf, i, ls);
    return new LossInspectorError(
      'jsonSyntax',
      `'${this.file}' ends before the closing '}' of the record that starts on line ${line}, column ${column}.`,
      { file: this.file, line, column },
    );
  }

  private finishArray(): void {
    const st = this.state;
    if (st === ST_DONE || st === ST_STOPPED || st === ST_OBJ_DONE) return;
    if (st === ST_OBJ_START) {
      throw new LossInspectorError('emptyFile', `'${this.file}' is empty (it holds no JSON).`, { file: this.file });
    }
    if (st === ST_OBJ_FIRST || st === ST_OBJ_KEY || st === ST_OBJ_AFTER) {
      throw new LossInspectorError('jsonSyntax', `'${this.file}' ends before the closing '}' of the top-level object.`, { file: this.file, line: this.curLine });
    }
    if (st === ST_START) {
      throw new LossInspectorError('emptyFile', `'${this.file}' is empty (it holds no JSON).`, { file: this.file });
    }
    const where = this.arrayLine > 0 ? ` of the array that starts on line ${this.arrayLine}, column ${this.arrayColumn}` : ' of the top-level array';
    throw new LossInspectorError('jsonSyntax', `'${this.file}' ends before the closing ']'${where}.`, {
      file: this.file,
      line: this.curLine,
    });
  }

  private scanLines(buf: Uint8Array, pos: number, end: number, eof: boolean): number {
    const bo = this.bufferOffset;
    let i = pos;
    for (;;) {
      // i is at a line start.
      if (i >= end) return i;
      if (bo + i >= this.stopAt) {
        this.state = ST_STOPPED;
        this.stoppedAt = bo + i;
        return i;
      }
      let j = i;
      let c = 0;
      while (j < end && ((c = buf[j]) === SP || c === TAB || c === CR)) j++;
      if (j >= end) return eof ? end : i;
      const line = this.curLine;
      this.tLine = line;
      this.tLineStart = this.lineStart;
      if (c === LF) {
        i = j + 1;
        this.curLine = line + 1;
        this.lineStart = bo + i;
        continue;
      }
      if (c !== LBRACE) {
        const what = describeValueStart(c);
        throw this.syntax(buf, j, `each line of a JSON Lines file must hold one object like {"y_true":1,"y_pred":0.9}, but this line starts with ${what || printable(c)}`);
      }
      this.needString = -1;
      const r = this.parseRecord(buf, j, end);
      if (r < 0) {
        if (!eof) return i;
        if (this.needString >= 0) throw this.unclosedString(buf);
        throw this.syntax(buf, end, "the file ends before the object's closing '}'");
      }
      let k = r;
      while (k < end && ((c = buf[k]) === SP || c === TAB || c === CR)) k++;
      if (k >= end) {
        if (!eof) return i;
      } else if (c !== LF) {
        throw this.syntax(buf, k, `expected the end of the line after the object's closing '}' but found ${printable(c)}`);
      }
      if (k < end) {
        i = k + 1;
        this.curLine = line + 1;
        this.lineStart = bo + i;
      } else i = k;
      this.emit(line, bo + j);
    }
  }

  /** Resolves a key (raw bytes buf[ks, ke)) at position idx of the record to a slot or −1. */
  private lookupKey(buf: Uint8Array, ks: number, ke: number, idx: number, esc: boolean): number {
    const cacheable = idx < KEY_CACHE_MAX;
    if (cacheable && idx < this.keyBytes.length) {
      const ck = this.keyBytes[idx];
      const len = ke - ks;
      if (ck.length === len) {
        let k = 0;
        while (k < len && ck[k] === buf[ks + k]) k++;
        if (k === len) return this.keySlot[idx];
      }
    }
    const name = this.decodeString(buf, ks, ke, esc);
    const s = this.slotOf.get(name);
    const slot = s === undefined ? -1 : s;
    if (cacheable && idx <= this.keyBytes.length) {
      this.keyBytes[idx] = buf.slice(ks, ke);
      this.keySlot[idx] = slot;
    }
    return slot;
  }

  /**
   * The value at buf[i] of array key number a: each element into its slot (as a wanted number),
   * and R_LENGTH in the first slot when the array holds another number of elements. A value that
   * is not an array gives every slot R_NA (null, NaN) or R_TEXT. Returns its end or NEED.
   */
  private arrayValue(buf: Uint8Array, i: number, end: number, a: number): number {
    const codes = this.codes;
    const vals = this.vals;
    const at = this.arrAt[a];
    const len = this.arrLen[a];
    if (buf[i] !== LBRACKET) {
      const j = this.parseValue(buf, i, end);
      if (j < 0) return NEED;
      codes.fill(this.vCode === R_NA ? R_NA : R_TEXT, at, at + len);
      return j;
    }
    i++;
    if (i < end && buf[i] <= SP) i = this.ws(buf, i, end);
    if (i >= end) return NEED;
    let e = 0;
    if (buf[i] !== RBRACKET) {
      for (;;) {
        const c = buf[i];
        if (e >= len) {
          i = this.skipValue(buf, i, end);
        } else if (c === MINUS || (c >= D0 && c <= D9)) {
          const ne = this.scanNumber(buf, i, end);
          if (ne < 0) return NEED;
          const s = at + e;
          if (!parseDecimalInto(buf, i, ne, false, vals, s)) vals[s] = slowNumber(buf, i, ne);
          const v = vals[s];
          codes[s] = v - v === 0 ? R_OK : R_INF;
          i = ne;
        } else {
          i = this.parseValue(buf, i, end);
          codes[at + e] = this.vCode;
          vals[at + e] = this.vNum;
        }
        if (i < 0) return NEED;
        e++;
        if (i < end && buf[i] <= SP) i = this.ws(buf, i, end);
        if (i >= end) return NEED;
        const d = buf[i];
        if (d === RBRACKET) break;
        if (d !== COMMA) throw this.syntax(buf, i, `expected ',' or ']' after an array element but found ${printable(d)}`);
        i++;
        if (i < end && buf[i] <= SP) i = this.ws(buf, i, end);
        if (i >= end) return NEED;
      }
    }
    if (e !== len) codes[at] = R_LENGTH;
    return i + 1;
  }

  /** buf[p] is `{`: parses one record into vals/codes; returns the index after `}` or NEED. */
  private parseRecord(buf: Uint8Array, p: number, end: number): number {
    const codes = this.codes;
    const vals = this.vals;
    for (let s = 0; s < codes.length; s++) codes[s] = R_MISSING;
    this.gId = this.gkeys === undefined ? -1 : NO_GROUP_YET;
    let i = p + 1;
    let idx = 0;
    if (i < end && buf[i] <= SP) i = this.ws(buf, i, end);
    if (i >= end) return NEED;
    let c = buf[i];
    if (c === RBRACE) return i + 1;
    for (;;) {
      if (c !== QUOTE) {
        throw this.syntax(buf, i, idx === 0 ? `expected a property name in double quotes or '}' but found ${printable(c)}` : `expected a property name in double quotes after ',' but found ${printable(c)}`);
      }
      const ks = i + 1;
      let j = ks;
      let esc = false;
      for (;;) {
        if (j >= end) {
          this.needString = this.bufferOffset + i;
          return NEED;
        }
        const b = buf[j];
        if (b === QUOTE) break;
        if (b === BACKSLASH) {
          esc = true;
          j += 2;
          continue;
        }
        if (b < SP) {
          this.skipString(buf, i, end); // throws the precise control-character error
        }
        j++;
      }
      const slot = this.lookupKey(buf, ks, j, idx, esc);
      i = j + 1;
      if (i < end && buf[i] <= SP) i = this.ws(buf, i, end);
      if (i >= end) return NEED;
      if (buf[i] !== COLON) throw this.syntax(buf, i, `expected ':' after a property name but found ${printable(buf[i])}`);
      i++;
      if (i < end && buf[i] <= SP) i = this.ws(buf, i, end);
      if (i >= end) return NEED;
      if (slot >= 0) {
        c = buf[i];
        if (c === MINUS || (c >= D0 && c <= D9)) {
          const ne = this.scanNumber(buf, i, end);
          if (ne < 0) return NEED;
          // parseDecimalInto writes into vals: no boxed double per number on this hot path.
          if (!parseDecimalInto(buf, i, ne, false, vals, slot)) vals[slot] = slowNumber(buf, i, ne);
          const v = vals[slot];
          codes[slot] = v - v === 0 ? R_OK : R_INF;
          i = ne;
        } else {
          i = this.parseValue(buf, i, end);
          if (i < 0) return NEED;
          codes[slot] = this.vCode;
          vals[slot] = this.vNum;
        }
      } else if (slot === GROUP_SLOT) {
        i = this.groupValue(this.gkeys as GroupKeys, buf, i, end);
        if (i < 0) return NEED;
      } else if (slot === LABEL_SLOT) {
        i = this.labelValue(this.lkeys as GroupKeys, buf, i, end);
        if (i < 0) return NEED;
        codes[this.lslot] = this.lCode;
        vals[this.lslot] = this.lId;
      } else if (slot <= ARRAY_SLOT) {
        i = this.arrayValue(buf, i, end, ARRAY_SLOT - slot);
        if (i < 0) return NEED;
      } else {
        c = buf[i];
        if (c === MINUS || (c >= D0 && c <= D9)) i = this.scanNumber(buf, i, end);
        else if (c === QUOTE) i = this.skipString(buf, i, end);
        else i = this.skipValue(buf, i, end);
        if (i < 0) return NEED;
      }
      if (i < end && buf[i] <= SP) i = this.ws(buf, i, end);
      if (i >= end) return NEED;
      c = buf[i];
      if (c === COMMA) {
        i++;
        idx++;
        if (i < end && buf[i] <= SP) i = this.ws(buf, i, end);
        if (i >= end) return NEED;
        c = buf[i];
        continue;
      }
      if (c === RBRACE) return i + 1;
      throw this.syntax(buf, i, `expected ',' or '}' after a property value but found ${printable(c)}`);
    }
  }
}
