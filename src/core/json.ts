/**
 * JSON and JSON Lines byte scanners.
 *
 * Two file shapes are supported:
 *  - records: `[{"y_true":1,"y_pred":0.9}, …]`, or JSON Lines (one object per line);
 *  - columns: `{"y_true":[…],"y_pred":[…]}` (an object of equal-length arrays).
 *
 * The scanners work on bytes in a caller-owned buffer, are resumable (they consume whole records,
 * or for the columnar shape whole array elements / property values, and return the position of the
 * first byte they did not consume), validate JSON syntax strictly (errors name file, line and
 * column), and never build a string per number or per key on the common path: numbers are parsed
 * straight from the bytes and keys are compared against the bytes of the previous record's key at
 * the same position, so a key is decoded only when it differs.
 */
import { LossInspectorError, quoteName, quoteNames } from './errors';
import { classifyField, parseDecimalBytes, parseDecimalInto } from './numbers';
import { GroupKeys } from './groups';
import { ByteScanner, RowSink, SkipReason } from './scanTypes';

const TAB = 9;
const LF = 10;
const CR = 13;
const SP = 32;
const QUOTE = 34;
const COMMA = 44;
const MINUS = 45;
const DOT = 46;
const D0 = 48;
const D9 = 57;
const COLON = 58;
const LBRACKET = 91;
const BACKSLASH = 92;
const RBRACKET = 93;
const LBRACE = 123;
const RBRACE = 125;
const LOWER_U = 117;

/** Returned by the parsing helpers when the bytes end before the value does. */
const NEED = -1;

/** Per-value classification codes; 0 = a finite number. Same coding as the CSV scanner. */
const R_OK = 0;
const R_EMPTY = 1;
const R_NA = 2;
const R_TEXT = 3;
const R_INF = 4;
const R_MISSING = 5;
const REASONS: SkipReason[] = ['empty', 'empty', 'na', 'nonNumeric', 'infinite', 'missingField'];

/** How many key positions per record are remembered for the byte-compare key cache. */
const KEY_CACHE_MAX = 1024;

const SHAPES =
  'an array of objects like [{"y_true":1,"y_pred":0.9}], or an object of equal-length arrays like {"y_true":[1,2],"y_pred":[0.9,2.1]}';

const decoder = new TextDecoder('utf-8');

const WORD_TRUE = [116, 114, 117, 101];
const WORD_FALSE = [102, 97, 108, 115, 101];
const WORD_NULL = [110, 117, 108, 108];

function isDigit(c: number): boolean {
  return c >= D0 && c <= D9;
}

function hexValue(c: number): number {
  if (c >= D0 && c <= D9) return c - D0;
  const l = c | 32;
  if (l >= 97 && l <= 102) return l - 87;
  return -1;
}

/** Decodes UTF-8 bytes; short ASCII runs without TextDecoder. */
function utf8(buf: Uint8Array, s: number, e: number): string {
  if (e - s <= 32) {
    let out = '';
    for (let k = s; k < e; k++) {
      const b = buf[k];
      if (b >= 0x80) return decoder.decode(buf.subarray(s, e));
      out += String.fromCharCode(b);
    }
    return out;
  }
  return decoder.decode(buf.subarray(s, e));
}

/** `Number()` of an ASCII number token (the rare case `parseDecimalBytes` declines). */
function slowNumber(buf: Uint8Array, s: number, e: number): number {
  let t = '';
  for (let k = s; k < e; k++) t += String.fromCharCode(buf[k]);
  return Number(t);
}

function codeOf(kind: 'number' | 'empty' | 'na' | 'infinite' | 'nonNumeric'): number {
  return kind === 'number' ? R_OK : kind === 'empty' ? R_EMPTY : kind === 'na' ? R_NA : kind === 'infinite' ? R_INF : R_TEXT;
}

/** What a JSON value starting with byte c is, for messages; '' if c cannot start a value. */
function describeValueStart(c: number): string {
  if (c === MINUS || isDigit(c)) return 'a number';
  if (c === QUOTE) return 'a string';
  if (c === 116 || c === 102) return 'a boolean';
  if (c === 110) return 'null';
  if (c === LBRACKET) return 'an array';
  if (c === LBRACE) return 'an object';
  return '';
}

function printable(c: number): string {
  if (c >= 0x21 && c < 0x7f) return `'${String.fromCharCode(c)}'`;
  if (c === SP) return 'a space';
  return `the byte 0x${c.toString(16).padStart(2, '0')}`;
}

/**
 * The shared byte-level JSON machinery: whitespace (with line tracking), strings, numbers,
 * literals, skipping any value, and error messages with line and column.
 */
class JsonCursor {
  bufferOffset = 0;
  /** Tentative position bookkeeping: 1-based line and absolute offset of that line's start. */
  protected tLine = 1;
  protected tLineStart = 0;
  /** Line of the next unconsumed byte, and the absolute offset where that line starts (−1 until the first scan). */
  protected curLine = 1;
  protected lineStart = -1;
  /** Absolute offset of the opening quote when the bytes ended inside a string, else −1. */
  protected needString = -1;
  /** Set by `skipString`: the string just skipped contained backslash escapes. */
  protected strEsc = false;
  /** Set by `parseValue`: classification code and value. */
  protected vCode = 0;
  protected vNum = 0;
  private stack = new Uint8Array(64);

  constructor(
    protected readonly file: string,
    /** JSON Lines: a line break inside a value is an error. */
    protected readonly lineMode: boolean,
  ) {}

  // --- errors ----------------------------------------------------------------------------------

  /** 1-based column (in characters when the line start is still in `buf`, else in bytes). */
  protected columnAt(buf: Uint8Array, i: number, lineStart: number): number {
    const ls = lineStart - this.bufferOffset;
    if (ls >= 0 && ls <= i) {
      let col = 1;
      for (let k = ls; k < i; k++) if ((buf[k] & 0xc0) !== 0x80) col++;
      return col;
    }
    return this.bufferOffset + i - lineStart + 1;
  }

  /** A jsonSyntax error at buf[i] on the tentative line. */
  protected syntax(buf: Uint8Array, i: number, detail: string): LossInspectorError {
    const line = this.tLine;
    const column = this.columnAt(buf, i, this.tLineStart);
    return new LossInspectorError('jsonSyntax', `Line ${line}, column ${column} of '${this.file}' is not valid JSON: ${detail}.`, {
      file: this.file,
      line,
      column,
    });
  }

  protected shapeError(buf: Uint8Array, i: number, what: string): LossInspectorError {
    const line = this.tLine;
    const column = this.columnAt(buf, i, this.tLineStart);
    return new LossInspectorError(
      'jsonShape',
      `Line ${line}, column ${column} of '${this.file}' holds ${what}; Loss Inspector reads ${SHAPES}.`,
      { file: this.file, line, column },
    );
  }

  protected unclosedString(buf: Uint8Array): LossInspectorError {
    const i = this.needString - this.bufferOffset;
    const line = this.tLine;
    const column = this.columnAt(buf, i, this.tLineStart);
    return new LossInspectorError('jsonSyntax', `Line ${line}, column ${column} of '${this.file}' starts a string that is never closed.`, {
      file: this.file,
      line,
      column,
    });
  }

  private controlChar(buf: Uint8Array, start: number, j: number): LossInspectorError {
    const b = buf[j];
    if (b === LF || b === CR) {
      return this.syntax(buf, j, `the string that starts at column ${this.columnAt(buf, start, this.tLineStart)} is not closed before the end of the line`);
    }
    return this.syntax(buf, j, `a string holds a raw control character (U+${b.toString(16).toUpperCase().padStart(4, '0')}), which must be written as an escape such as \\t`);
  }

  // --- tokens ----------------------------------------------------------------------------------

  /** Skips JSON whitespace from i; counts line breaks (JSON Lines: a line break is an error). */
  /**
   * Skips whitespace between top-level units (records, array elements), counting lines into
   * curLine/lineStart and the token position tLine/tLineStart.
   */
  protected skipBetween(buf: Uint8Array, i: number, end: number): number {
    let line = this.curLine;
    let ls = this.lineStart;
    while (i < end) {
      const c = buf[i];
      if (c === SP || c === TAB || c === CR) i++;
      else if (c === LF) {
        i++;
        line++;
        ls = this.bufferOffset + i;
      } else break;
    }
    this.curLine = this.tLine = line;
    this.lineStart = this.tLineStart = ls;
    return i;
  }

  protected ws(buf: Uint8Array, i: number, end: number): number {
    while (i < end) {
      const c = buf[i];
      if (c === SP || c === TAB || c === CR) i++;
      else if (c === LF) {
        if (this.lineMode) throw this.syntax(buf, i, 'the line ends before the value is complete (each line must hold one whole object)');
        i++;
        this.tLine++;
        this.tLineStart = this.bufferOffset + i;
      } else break;
    }
    return i;
  }

  /** buf[i] is `"`: returns the index after the closing quote, or NEED. Validates escapes. */
  protected skipString(buf: Uint8Array, i: number, end: number): number {
    let j = i + 1;
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
        if (j + 1 >= end) {
          this.needString = this.bufferOffset + i;
          return NEED;
        }
        const e = buf[j + 1];
        if (e === LOWER_U) {
          for (let k = j + 2; k < j + 6; k++) {
            if (k >= end) {
              this.needString = this.bufferOffset + i;
              return NEED;
            }
            if (hexValue(buf[k]) < 0) throw this.syntax(buf, j, 'a \\u escape in a string must be followed by four hexadecimal digits');
          }
          j += 6;
        } else if (e === QUOTE || e === BACKSLASH || e === 47 || e === 98 || e === 102 || e === 110 || e === 114 || e === 116) {
          j += 2;
        } else {
          throw this.syntax(buf, j, `a string holds the invalid escape '\\${e >= 0x21 && e < 0x7f ? String.fromCharCode(e) : '?'}'`);
        }
        continue;
      }
      if (b < SP) throw this.controlChar(buf, i, j);
      j++;
    }
    this.strEsc = esc;
    return j + 1;
  }

  /** Decodes the content buf[s, e) of a string (between its quotes), resolving escapes. */
  protected decodeString(buf: Uint8Array, s: number, e: number, esc: boolean): string {
    if (!esc) return utf8(buf, s, e);
    let out = '';
    let run = s;
    let j = s;
    while (j < e) {
      if (buf[j] !== BACKSLASH) {
        j++;
        continue;
      }
      if (j > run) out += utf8(buf, run, j);
      const x = j + 1 < e ? buf[j + 1] : 0;
      switch (x) {
        case QUOTE:
          out += '"';
          break;
        case BACKSLASH:
          out += '\\';
          break;
        case 47:
          out += '/';
          break;
        case 98:
          out += '\b';
          break;
        case 102:
          out += '\f';
          break;
        case 110:
          out += '\n';
          break;
        case 114:
          out += '\r';
          break;
        case 116:
          out += '\t';
          break;
        case LOWER_U: {
          let code = 0;
          for (let k = j + 2; k < j + 6; k++) {
            const h = k < e ? hexValue(buf[k]) : -1;
            if (h < 0) throw this.syntax(buf, j, 'a \\u escape in a string must be followed by four hexadecimal digits');
            code = code * 16 + h;
          }
          out += String.fromCharCode(code);
          j += 4;
          break;
        }
        default:
          throw this.syntax(buf, j, `a string holds the invalid escape '\\${x >= 0x21 && x < 0x7f ? String.fromCharCode(x) : '?'}'`);
      }
      j += 2;
      run = j;
    }
    if (run < e) out += utf8(buf, run, e);
    return out;
  }

  /** buf[i] is `-` or a digit: returns the end of the number token, or NEED. */
  protected scanNumber(buf: Uint8Array, i: number, end: number): number {
    let j = i;
    if (buf[j] === MINUS) {
      if (++j >= end) return NEED;
    }
    let c = buf[j];
    if (c === D0) j++;
    else if (c > D0 && c <= D9) {
      j++;
      while (j < end && isDigit(buf[j])) j++;
    } else throw this.syntax(buf, j, "a number needs a digit after '-'");
    if (j >= end) return NEED;
    c = buf[j];
    if (c === DOT) {
      if (++j >= end) return NEED;
      if (!isDigit(buf[j])) throw this.syntax(buf, j, "a number needs a digit after the decimal point '.'");
      j++;
      while (j < end && isDigit(buf[j])) j++;
      if (j >= end) return NEED;
      c = buf[j];
    }
    if (c === 101 || c === 69) {
      if (++j >= end) return NEED;
      c = buf[j];
      if (c === 43 || c === MINUS) {
        if (++j >= end) return NEED;
      }
      if (!isDigit(buf[j])) throw this.syntax(buf, j, 'a number needs a digit in its exponent');
      j++;
      while (j < end && isDigit(buf[j])) j++;
      if (j >= end) return NEED;
    }
    return j;
  }

  /** buf[i] is t, f or n: returns the end of `true`/`false`/`null`, or NEED. */
  protected literal(buf: Uint8Array, i: number, end: number): number {
    const c = buf[i];
    const w = c === 116 ? WORD_TRUE : c === 102 ? WORD_FALSE : WORD_NULL;
    for (let k = 1; k < w.length; k++) {
      if (i + k >= end) return NEED;
      if (buf[i + k] !== w[k]) throw this.syntax(buf, i, 'expected a value (a number, a string, true, false, null, an object or an array)');
    }
    return i + w.length;
  }

  /** Skips any JSON value starting at buf[i] (validating it); returns its end or NEED. */
  protected skipValue(buf: Uint8Array, i: number, end: number): number {
    let c = buf[i];
    if (c === QUOTE) return this.skipString(buf, i, end);
    if (c === MINUS || isDigit(c)) return this.scanNumber(buf, i, end);
    if (c === 116 || c === 102 || c === 110) return this.literal(buf, i, end);
    if (c !== LBRACE && c !== LBRACKET) throw this.syntax(buf, i, `expected a value (a number, a string, true, false, null, an object or an array) but found ${printable(c)}`);
    let stack = this.stack;
    let depth = 0;
    stack[depth++] = c;
    i++;
    // 0: just opened; 1: expect a key; 2: expect a value; 3: after a value.
    let state = 0;
    for (;;) {
      if (i < end && buf[i] <= SP) i = this.ws(buf, i, end);
      if (i >= end) return NEED;
      c = buf[i];
      const top = stack[depth - 1];
      if (state === 0) {
        if (c === (top === LBRACE ? RBRACE : RBRACKET)) {
          i++;
          if (--depth === 0) return i;
          state = 3;
          continue;
        }
        state = top === LBRACE ? 1 : 2;
      }
      if (state === 1) {
        if (c !== QUOTE) throw this.syntax(buf, i, 'expected a property name in double quotes');
        i = this.skipString(buf, i, end);
        if (i < 0) return NEED;
        if (i < end && buf[i] <= SP) i = this.ws(buf, i, end);
        if (i >= end) return NEED;
        if (buf[i] !== COLON) throw this.syntax(buf, i, "expected ':' after a property name");
        i++;
        state = 2;
        continue;
      }
      if (state === 2) {
        if (c === LBRACE || c === LBRACKET) {
          if (depth === stack.length) {
            const bigger = new Uint8Array(stack.length * 2);
            bigger.set(stack);
            this.stack = stack = bigger;
          }
          stack[depth++] = c;
          i++;
          state = 0;
          continue;
        }
        if (c === QUOTE) i = this.skipString(buf, i, end);
        else if (c === MINUS || isDigit(c)) i = this.scanNumber(buf, i, end);
        else if (c === 116 || c === 102 || c === 110) i = this.literal(buf, i, end);
        else throw this.syntax(buf, i, `expected a value (a number, a string, true, false, null, an object or an array) but found ${printable(c)}`);
        if (i < 0) return NEED;
        state = 3;
        continue;
      }
      // state 3
      if (c === COMMA) {
        i++;
        state = top === LBRACE ? 1 : 2;
        continue;
      }
      if (c === (top === LBRACE ? RBRACE : RBRACKET)) {
        i++;
        if (--depth === 0) return i;
        continue;
      }
      throw this.syntax(buf, i, top === LBRACE ? "expected ',' or '}' after a property value" : "expected ',' or ']' after an array element");
    }
  }

  /** Parses the value at buf[i] as a wanted number: sets vCode / vNum; returns its end or NEED. */
  protected parseValue(buf: Uint8Array, i: number, end: number): number {
    const c = buf[i];
    if (c === MINUS || isDigit(c)) {
      const j = this.scanNumber(buf, i, end);
      if (j < 0) return NEED;
      let v = parseDecimalBytes(buf, i, j, false);
      if (v !== v) v = slowNumber(buf, i, j);
      if (v - v === 0) {
        this.vCode = R_OK;
        this.vNum = v;
      } else this.vCode = R_INF;
      return j;
    }
    if (c === QUOTE) {
      const j = this.skipString(buf, i, end);
      if (j < 0) return NEED;
      if (!this.strEsc) {
        const v = parseDecimalBytes(buf, i + 1, j - 1, false);
        if (v === v) {
          this.vCode = R_OK;
          this.vNum = v;
          return j;
        }
      }
      const k = classifyField(this.decodeString(buf, i + 1, j - 1, this.strEsc), false);
      this.vCode = codeOf(k.kind);
      if (k.kind === 'number') this.vNum = k.value;
      return j;
    }
    if (c === 110) {
      this.vCode = R_NA;
      return this.literal(buf, i, end);
    }
    if (c === 116 || c === 102) {
      this.vCode = R_TEXT;
      return this.literal(buf, i, end);
    }
    if (c === LBRACE || c === LBRACKET) {
      this.vCode = R_TEXT;
      return this.skipValue(buf, i, end);
    }
    throw this.syntax(buf, i, `expected a value (a number, a string, true, false, null, an object or an array) but found ${printable(c)}`);
  }

  /** Set by `groupValue`: the group id of the value just read. */
  protected gId = -1;

  /**
   * Reads the group-by value at buf[i] (any JSON value) and sets gId to its label's id: a string's
   * decoded text, anything else as written (`12`, `true`, `null`). Returns its end or NEED.
   */
  protected groupValue(keys: GroupKeys, buf: Uint8Array, i: number, end: number): number {
    const c = buf[i];
    let j: number;
    if (c === QUOTE) {
      j = this.skipString(buf, i, end);
      if (j < 0) return NEED;
      this.gId = this.strEsc ? keys.idOfLabel(this.decodeString(buf, i + 1, j - 1, true)) : keys.id(buf, i + 1, j - 1);
      return j;
    }
    j = c === MINUS || isDigit(c) ? this.scanNumber(buf, i, end) : this.skipValue(buf, i, end);
    if (j < 0) return NEED;
    this.gId = keys.id(buf, i, j);
    return j;
  }

  /** Whether bytes from `pos` are (a prefix of, when not eof) a UTF-8 BOM: 3 = skip, −1 = need more. */
  protected bomLength(buf: Uint8Array, pos: number, end: number, eof: boolean): number {
    const bom = [0xef, 0xbb, 0xbf];
    for (let k = 0; k < 3; k++) {
      if (pos + k >= end) return eof ? 0 : -1;
      if (buf[pos + k] !== bom[k]) return 0;
    }
    return 3;
  }
}

// =================================================================================================
// peekJson
// =================================================================================================

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

// =================================================================================================
// Records: [ {...}, {...} ] and JSON Lines
// =================================================================================================

const ST_BOM = 0;
const ST_START = 1;
const ST_FIRST = 2;
const ST_NEXT = 3;
const ST_AFTER = 4;
const ST_DONE = 5;
const ST_STOPPED = 6;
const ST_LINES = 7;

export interface JsonRecordsOptions {
  /** JSON Lines: one object per line. */
  lines: boolean;
  /** The range begins at (or in the whitespace before) a record inside the top-level array. */
  startInsideArray?: boolean;
  /** Absolute file offset: stop at the first record (JSON Lines: line) starting at or after it. */
  stopAt?: number;
  /** Group-by: the key whose value names each record's group, and the interner for its values. */
  group?: { key: string; keys: GroupKeys };
}

/** slotOf value of the group-by key. */
const GROUP_SLOT = -2;
/** gId of a record whose group-by key has not been seen (yet). */
const NO_GROUP_YET = -3;

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

  constructor(
    slots: string[],
    private readonly sink: RowSink,
    fileLabel: string,
    opts: JsonRecordsOptions,
  ) {
    super(fileLabel, opts.lines);
    this.nSlots = slots.length;
    this.vals = new Float64Array(slots.length);
    this.codes = new Uint8Array(slots.length);
    this.alias = new Int32Array(slots.length);
    let hasAlias = false;
    slots.forEach((name, s) => {
      const first = this.slotOf.get(name);
      if (first === undefined) {
        this.slotOf.set(name, s);
        this.alias[s] = s;
      } else {
        this.alias[s] = first;
        hasAlias = true;
      }
    });
    this.hasAlias = hasAlias;
    if (opts.group && !this.slotOf.has(opts.group.key)) {
      this.slotOf.set(opts.group.key, GROUP_SLOT);
      this.gkeys = opts.group.keys;
    }
    this.stopAt = opts.stopAt ?? Infinity;
    this.state = opts.lines ? ST_BOM : opts.startInsideArray ? ST_NEXT : ST_BOM;
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
      this.state = this.lineMode ? ST_LINES : ST_START;
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
    for (let s = 0; s < n; s++) {
      const c = codes[s];
      if (c !== R_OK) {
        this.sink.skip(line, REASONS[c]);
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
        else if (c === RBRACKET) this.state = ST_DONE;
        else throw this.syntax(buf, i, `expected ',' or ']' after a record but found ${printable(c)}`);
        i++;
        continue;
      }
      if (st === ST_NEXT || st === ST_FIRST) {
        if (c === LBRACE) {
          const abs = bo + i;
          if (abs >= this.stopAt) {
            this.state = ST_STOPPED;
            this.stoppedAt = abs;
            return i;
          }
          this.needString = -1;
          const r = this.parseRecord(buf, i, end);
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
            this.state = ST_DONE;
            i++;
            continue;
          }
          throw this.syntax(buf, i, "expected a record after ',' but found ']' (remove the trailing comma)");
        }
        const what = describeValueStart(c);
        if (what) throw this.shapeError(buf, i, `an array element that is ${what}, not an object`);
        throw this.syntax(buf, i, `expected a record '{' but found ${printable(c)}`);
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
    if (st === ST_DONE || st === ST_STOPPED) return;
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

// =================================================================================================
// Columns: {"y_true":[…],"y_pred":[…]}
// =================================================================================================

class Column {
  n = 0;
  values = new Float64Array(64);
  lines = new Int32Array(64);
  codes = new Uint8Array(64);
  offsets = new Float64Array(64);
  constructor(
    readonly name: string,
    readonly line: number,
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
    const cap = this.values.length * 2;
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

/**
 * Scans an object of arrays, storing each array-valued property (values, line, offset and skip
 * code per element) until `emit` pairs them up. Non-array properties are skipped.
 */
export class JsonColumnsScanner extends JsonCursor implements ByteScanner {
  private state = C_BOM;
  private readonly byName = new Map<string, Column>();
  private readonly order: string[] = [];
  private cur: Column | null = null;

  /**
   * With `keysOnly`, values are validated but not stored (for collecting the column names). With
   * `group`, the elements of the array named `group.key` are stored as group ids (in `values`).
   */
  constructor(
    fileLabel: string,
    private readonly keysOnly = false,
    private readonly group?: { key: string; keys: GroupKeys },
  ) {
    super(fileLabel, false);
  }

  get line(): number {
    return this.curLine;
  }

  /** Array-valued keys, in order of first appearance. */
  columns(): string[] {
    return this.order.slice();
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
        const col = this.cur as Column;
        let r: number;
        if (this.group !== undefined && col.name === this.group.key && !this.keysOnly) {
          this.needString = -1;
          r = this.groupValue(this.group.keys, buf, i, end);
          if (r >= 0) col.push(this.gId, R_OK, line, bo + i);
        } else if (c === MINUS || (c >= D0 && c <= D9)) {
          r = this.scanNumber(buf, i, end);
          if (r >= 0 && !this.keysOnly) {
            let v = parseDecimalBytes(buf, i, r, false);
            if (v !== v) v = slowNumber(buf, i, r);
            col.push(v, v - v === 0 ? R_OK : R_INF, line, bo + i);
          }
        } else {
          this.needString = -1;
          r = this.parseValue(buf, i, end);
          if (r >= 0 && !this.keysOnly) col.push(this.vCode === R_OK ? this.vNum : NaN, this.vCode, line, bo + i);
        }
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
        if (c === LBRACKET) {
          let col = this.byName.get(name);
          if (col === undefined) {
            col = new Column(name, keyLine);
            this.byName.set(name, col);
            this.order.push(name);
          } else {
            // Duplicate key: the last one wins (keeps its first position, like JSON.parse).
            col.n = 0;
          }
          this.cur = col;
          this.state = C_ARR_FIRST;
          i = k + 1;
        } else {
          const r = this.skipValue(buf, k, end);
          if (r < 0) {
            if (eof) throw this.needString >= 0 ? this.unclosedString(buf) : this.unclosed();
            this.tLine = line;
            this.tLineStart = ls;
            return i;
          }
          if (this.byName.delete(name)) this.order.splice(this.order.indexOf(name), 1);
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
    if (this.order.length === 0) {
      throw new LossInspectorError('jsonShape', `'${this.file}' holds no array-valued property; Loss Inspector reads ${SHAPES}.`, { file: this.file });
    }
    const cols: Column[] = [];
    const named = this.group ? [...slots, this.group.key] : slots;
    for (const name of named) {
      const col = this.byName.get(name);
      if (col === undefined) {
        throw new LossInspectorError(
          'unknownColumn',
          `'${this.file}' has no array named ${quoteName(name)}; its arrays are: ${quoteNames(this.order)}.`,
          { file: this.file },
        );
      }
      cols.push(col);
    }
    const t = cols[0];
    for (const col of cols) {
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
      if (bad !== R_OK) sink.skip(lines[r], REASONS[bad]);
      else sink.row(lines[r], offsets[r], vals, gcol ? gcol.values[r] : -1);
    }
  }
}
