/**
 * The head of a JSON or JSON Lines file: its shape (records or columns) and its column names, from
 * the first bytes, before any scan.
 */
import { LossInspectorError } from '../errors';
import { COLON, COMMA, CR, LBRACE, LBRACKET, LF, QUOTE, RBRACE, RBRACKET, SP, TAB } from './bytes';
import { describeValueStart, JsonCursor, printable } from './jsonCursor';

export type JsonShape = 'records' | 'columns';

/** Records after the first whose keys the head adds to the columns (see Peeker.laterKeys). */
const LATER_RECORDS = 100;

class Peeker extends JsonCursor {
  peek(buf: Uint8Array, end: number): { shape: JsonShape; columns: string[] } {
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
      const what = describeValueStart(d);
      if (what) throw this.shapeError(buf, i, `an array whose first element is ${what}, not an object`);
      throw this.syntax(buf, i, `expected a value after '[' but found ${printable(d)}`);
    }
    if (c === LBRACE) {
      const line = this.tLine;
      const lineStart = this.tLineStart;
      const cols = this.objectKeys(buf, i, end, true);
      if (cols.length === 0 && this.closed) {
        // Point at the object's '{', not at the line objectKeys stopped on.
        this.tLine = line;
        this.tLineStart = lineStart;
        throw this.shapeError(buf, i, 'an object without any array-valued property');
      }
      return { shape: 'columns', columns: cols };
    }
    const what = describeValueStart(c);
    if (what) throw this.shapeError(buf, i, `a single value (${what}) instead of an array or an object`);
    throw this.syntax(buf, i, `expected '[' or '{' at the start of the file but found ${printable(c)}`);
  }

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
      const blank = (j: number) => {
        while (j < end && (buf[j] === SP || buf[j] === TAB || buf[j] === CR || buf[j] === LF)) j++;
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
export function peekJsonWhole(buf: Uint8Array, end: number, fileLabel: string, lines: boolean): { shape: JsonShape; columns: string[]; complete: boolean } {
  const peeker = new Peeker(fileLabel, lines);
  const r = peeker.peek(buf, Math.min(end, buf.length));
  return { ...r, complete: peeker.closed };
}
