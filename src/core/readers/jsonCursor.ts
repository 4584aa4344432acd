/**
 * The byte-level JSON machinery every JSON reader shares (records, JSON Lines, columns, the head
 * peek): whitespace with line tracking, strings, numbers, literals, skipping any value, and error
 * messages that name file, line and column.
 *
 * The readers work on bytes in a caller-owned buffer, are resumable (they consume whole records,
 * or for the columnar shape whole array elements / property values, and return the position of the
 * first byte they did not consume), validate JSON syntax strictly, and never build a string per
 * number or per key on the common path: numbers are parsed straight from the bytes, and keys are
 * compared against bytes seen before, so a key is decoded only when it differs.
 */
import { LossInspectorError } from '../errors';
import { GroupKeys } from '../groups';
import { BACKSLASH, COLON, COMMA, CR, D0, D9, decoder, DOT, isDigit, LBRACE, LBRACKET, LF, LOWER_U, MINUS, QUOTE, RBRACE, RBRACKET, SP, TAB } from './bytes';
import { codeOf, mayBeNaMarker, R_EMPTY, R_INF, R_NA, R_OK, R_TEXT } from './fields';
import { classifyField, parseDecimalBytes } from './numbers';

/** Returned by the parsing helpers when the bytes end before the value does. */
export const NEED = -1;

/** The shapes Loss Inspector reads, for messages. */
export const SHAPES =
  'an array of objects like [{"y_true":1,"y_pred":0.9}], or an object of equal-length arrays like {"y_true":[1,2],"y_pred":[0.9,2.1]}, ' +
  "JSON Lines, and what pandas to_json writes with orient 'columns' (its default), 'index', 'split', 'table' or 'records'";

const WORD_TRUE = [116, 114, 117, 101];
const WORD_FALSE = [102, 97, 108, 115, 101];
const WORD_NULL = [110, 117, 108, 108];
/** Python's json.dump writes NaN and ±Infinity bare (allow_nan=True, its default). */
const WORD_NAN = [78, 97, 78];
const WORD_INFINITY = [73, 110, 102, 105, 110, 105, 116, 121];
/** `N` and `I`: the first bytes of NaN and Infinity. */
const UPPER_N = 78;
const UPPER_I = 73;

export function hexValue(c: number): number {
  if (c >= D0 && c <= D9) return c - D0;
  const l = c | 32;
  if (l >= 97 && l <= 102) return l - 87;
  return -1;
}

/** Decodes UTF-8 bytes; short ASCII runs without TextDecoder. */
export function utf8(buf: Uint8Array, s: number, e: number): string {
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
export function slowNumber(buf: Uint8Array, s: number, e: number): number {
  let t = '';
  for (let k = s; k < e; k++) t += String.fromCharCode(buf[k]);
  return Number(t);
}

/** What a JSON value starting with byte c is, for messages; '' if c cannot start a value. */
export function describeValueStart(c: number): string {
  if (c === MINUS || isDigit(c) || c === UPPER_N || c === UPPER_I) return 'a number';
  if (c === QUOTE) return 'a string';
  if (c === 116 || c === 102) return 'a boolean';
  if (c === 110) return 'null';
  if (c === LBRACKET) return 'an array';
  if (c === LBRACE) return 'an object';
  return '';
}

export function printable(c: number): string {
  if (c >= 0x21 && c < 0x7f) return `'${String.fromCharCode(c)}'`;
  if (c === SP) return 'a space';
  return `the byte 0x${c.toString(16).padStart(2, '0')}`;
}
/**
 * The shared byte-level JSON machinery: whitespace (with line tracking), strings, numbers,
 * literals, skipping any value, and error messages with line and column.
 */
export class JsonCursor {
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

  /** Skips JSON whitespace from i; counts line breaks (JSON Lines: a line break is an error). */
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
    } else if (c === UPPER_I && j === i + 1) return this.literal(buf, j, end); // -Infinity
    else throw this.syntax(buf, j, "a number needs a digit after '-'");
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

  /**
   * buf[i] is t, f, n, N or I: returns the end of `true`/`false`/`null`, or of `NaN`/`Infinity`
   * (not JSON, but what Python's json writes for those floats), or NEED.
   */
  protected literal(buf: Uint8Array, i: number, end: number): number {
    const c = buf[i];
    const w = c === 116 ? WORD_TRUE : c === 102 ? WORD_FALSE : c === 110 ? WORD_NULL : c === UPPER_N ? WORD_NAN : WORD_INFINITY;
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
    if (c === 116 || c === 102 || c === 110 || c === UPPER_N || c === UPPER_I) return this.literal(buf, i, end);
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
        else if (c === 116 || c === 102 || c === 110 || c === UPPER_N || c === UPPER_I) i = this.literal(buf, i, end);
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
    if (c === 110 || c === UPPER_N) {
      this.vCode = R_NA; // null, NaN
      return this.literal(buf, i, end);
    }
    if (c === UPPER_I) {
      this.vCode = R_INF;
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

  /** Set by `labelValue`: the label id of the value just read, and its field code (R_OK or why not). */
  protected lId = -1;
  protected lCode = 0;

  /**
   * Reads a class label at buf[i]: a string's decoded text or a number or literal as written, as
   * groupValue; `""` is an empty value, `null` or a missing-value string ("NA") a missing one, an
   * object or array not a label.
   * Returns its end or NEED.
   */
  protected labelValue(keys: GroupKeys, buf: Uint8Array, i: number, end: number): number {
    const c = buf[i];
    if (c === QUOTE) {
      const j = this.skipString(buf, i, end);
      if (j < 0) return NEED;
      if (j - i === 2) this.lCode = R_EMPTY;
      else if (j - i <= 6 && mayBeNaMarker(buf, i + 1, j - 1) && classifyField(decoder.decode(buf.subarray(i + 1, j - 1)), false).kind === 'na') {
        // "NA", "N/A", "NaN", "null", "None": a missing label, as in a CSV field.
        this.lCode = R_NA;
      } else {
        this.lCode = R_OK;
        this.lId = this.strEsc ? keys.idOfLabel(this.decodeString(buf, i + 1, j - 1, true)) : keys.id(buf, i + 1, j - 1);
      }
      return j;
    }
    const j = c === MINUS || isDigit(c) ? this.scanNumber(buf, i, end) : this.skipValue(buf, i, end);
    if (j < 0) return NEED;
    if (c === LBRACE || c === LBRACKET) this.lCode = R_TEXT;
    else if (c === 110 /* n(ull) */ || c === UPPER_N /* NaN */) this.lCode = R_NA;
    else {
      this.lCode = R_OK;
      this.lId = keys.id(buf, i, j);
    }
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
