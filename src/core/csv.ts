import { LossInspectorError } from './errors';
import { GroupKeys } from './groups';
import { classifyField, parseDecimalInto, parseFieldInto } from './numbers';
import { ByteScanner, RowSink, SkipReason } from './scanTypes';

const LF = 10;
const CR = 13;
const QUOTE = 34;
const TAB = 9;
const COMMA = 44;
const SEMICOLON = 59;
const PIPE = 124;

export interface CsvDialect {
  /** Byte value of the delimiter: `,` `;` tab or `|`. */
  delimiter: number;
  /** Accept `,` as the decimal separator (semicolon files from spreadsheets in many locales). */
  decimalComma: boolean;
}

const decoder = new TextDecoder('utf-8');

export function delimiterName(d: number): string {
  return d === TAB ? 'tab' : String.fromCharCode(d);
}

/**
 * Picks the delimiter among `,` `;` tab `|` from the first lines: the candidate that splits the
 * most lines into the same (> 1) number of fields, counting only delimiters outside quotes.
 * A `.tsv` file is always tab-separated.
 */
export function detectDialect(buf: Uint8Array, end: number, tsv: boolean): CsvDialect {
  if (tsv) return { delimiter: TAB, decimalComma: false };
  const candidates = [COMMA, SEMICOLON, TAB, PIPE];
  const counts = candidates.map(() => [] as number[]);
  let inQuote = false;
  const line = candidates.map(() => 0);
  let lines = 0;
  // Blank lines (empty, or a lone CR before the LF) are ignored by the parser: skip them here too,
  // or a blank first line would count 0 delimiters of every kind and always pick ','.
  let blank = true;
  for (let i = 0; i < end && lines < 50; i++) {
    const c = buf[i];
    if (c !== LF && c !== CR) blank = false;
    if (c === QUOTE) inQuote = !inQuote;
    else if (!inQuote) {
      if (c === LF) {
        if (blank) continue;
        blank = true;
        candidates.forEach((_, k) => {
          counts[k].push(line[k]);
          line[k] = 0;
        });
        lines++;
      } else {
        const k = candidates.indexOf(c);
        if (k >= 0) line[k]++;
      }
    }
  }
  if (lines < 50) candidates.forEach((_, k) => line[k] > 0 && counts[k].push(line[k]));
  let best = COMMA;
  let bestScore = 0;
  candidates.forEach((cand, k) => {
    const cs = counts[k];
    if (cs.length === 0 || cs[0] === 0) return;
    const first = cs[0];
    const consistent = cs.filter((x) => x === first).length;
    // Consistency first, then the number of fields, so `;` beats the decimal commas inside fields.
    const score = consistent * 1000 + first;
    if (score > bestScore) {
      bestScore = score;
      best = cand;
    }
  });
  // A headerless `;` file with decimal commas (`-6,1171;-6,0955`) splits as consistently on the
  // commas inside its numbers, into more fields: when every `;`-separated field of the sampled
  // lines is a number (one at least with a decimal comma) or a missing value, it is `;`.
  const semi = counts[candidates.indexOf(SEMICOLON)];
  if (best === COMMA && semi.length > 0 && semi[0] > 0 && semi.every((x) => x === semi[0]) && decimalCommaLines(buf, end)) {
    best = SEMICOLON;
  }
  return { delimiter: best, decimalComma: best === SEMICOLON };
}

const DECIMAL_COMMA_FIELD = /^\s*[+-]?(?:\d+(?:,\d*)?|,\d+)(?:[eE][+-]?\d+)?\s*$/;
const MISSING_FIELD = /^\s*(?:|na|n\/a|nan|null|none)\s*$/i;

/** Whether the first lines (up to 50) are `;`-separated numbers, some with a decimal comma. */
function decimalCommaLines(buf: Uint8Array, end: number): boolean {
  const lines = new TextDecoder()
    .decode(buf.subarray(0, Math.min(end, 1 << 16)))
    .split('\n')
    .filter((l) => l.trim() !== '')
    .slice(0, 51);
  if (lines.length > 1) lines.pop(); // may be cut short by the end of the head
  let comma = false;
  for (const line of lines) {
    for (const f of line.split(';')) {
      if (DECIMAL_COMMA_FIELD.test(f)) comma ||= f.includes(',');
      else if (!MISSING_FIELD.test(f)) return false;
    }
  }
  return comma;
}

export interface ParsedRecords {
  records: string[][];
  /** Lines of each record (1-based). */
  lines: number[];
  /** Offset just after the last complete record parsed. */
  end: number;
  /** Physical lines consumed up to `end`. */
  newlines: number;
}

/**
 * Parses up to `max` records into strings (the header, and previews of the first values). Slow
 * and general: only for the first few records. Stops before an incomplete record unless `eof`.
 */
export function parseRecords(buf: Uint8Array, start: number, end: number, eof: boolean, dialect: CsvDialect, max: number, file: string): ParsedRecords {
  const records: string[][] = [];
  const lines: number[] = [];
  let pos = start;
  let line = 1;
  while (records.length < max && pos < end) {
    const recStart = pos;
    const recLine = line;
    if (buf[pos] === LF || (buf[pos] === CR && buf[pos + 1] === LF)) {
      pos += buf[pos] === LF ? 1 : 2;
      line++;
      continue;
    }
    const fields: string[] = [];
    let complete = false;
    for (;;) {
      if (buf[pos] === QUOTE) {
        let q = pos + 1;
        let closed = -1;
        while (q < end) {
          if (buf[q] === QUOTE) {
            if (q + 1 < end && buf[q + 1] === QUOTE) {
              q += 2;
              continue;
            }
            if (q + 1 >= end && !eof) break;
            closed = q;
            break;
          }
          if (buf[q] === LF) line++;
          q++;
        }
        if (closed < 0) {
          if (!eof) return { records, lines, end: recStart, newlines: recLine - 1 };
          throw new LossInspectorError('unterminatedQuote', `'${file}' has a quote opened on line ${recLine} that is never closed.`, { file, line: recLine });
        }
        let text = decoder.decode(buf.subarray(pos + 1, closed)).replace(/""/g, '"');
        pos = closed + 1;
        const junkStart = pos;
        while (pos < end && buf[pos] !== dialect.delimiter && buf[pos] !== LF) pos++;
        let junkEnd = pos;
        if (junkEnd > junkStart && buf[junkEnd - 1] === CR) junkEnd--;
        if (junkEnd > junkStart) text += decoder.decode(buf.subarray(junkStart, junkEnd));
        fields.push(text);
      } else {
        const fs = pos;
        while (pos < end && buf[pos] !== dialect.delimiter && buf[pos] !== LF) pos++;
        let fe = pos;
        if (fe > fs && buf[fe - 1] === CR) fe--;
        fields.push(decoder.decode(buf.subarray(fs, fe)));
      }
      if (pos >= end) {
        if (!eof) return { records, lines, end: recStart, newlines: recLine - 1 };
        complete = true;
        break;
      }
      if (buf[pos] === dialect.delimiter) {
        pos++;
        continue;
      }
      pos++; // LF
      line++;
      complete = true;
      break;
    }
    if (complete) {
      records.push(fields);
      lines.push(recLine);
    }
  }
  return { records, lines, end: pos, newlines: line - 1 };
}

/** True when every field of the record is a number (a headerless file). */
export function isNumericRecord(fields: string[], decimalComma: boolean): boolean {
  return fields.length > 0 && fields.every((f) => classifyField(f, decimalComma).kind === 'number');
}

const REASON_CODE: SkipReason[] = ['empty', 'empty', 'na', 'nonNumeric', 'infinite', 'missingField'];
const R_EMPTY = 1;
const R_NA = 2;
const R_TEXT = 3;
const R_INF = 4;

/**
 * The fast CSV scanner: one pass over bytes, numbers parsed straight from the buffer, no string
 * per numeric field (strings only on the rare slow path: quotes with doubled quotes, NA markers,
 * text). Implements RFC 4180 quoting; LF or CRLF; blank lines are ignored.
 */
export class CsvScanner implements ByteScanner {
  line = 1;
  bufferOffset = 0;
  /** Set when the scanner reached `stopAt`: the absolute offset of the first record not consumed. */
  stoppedAt = -1;
  private readonly delim: number;
  private readonly decimalComma: boolean;
  /** Column index → slot (or −1). */
  private readonly slotOf: Int32Array;
  private readonly colOfSlot: number[];
  private readonly values: Float64Array;
  /** Group-by column index (−1: none) and its interner. */
  private readonly gcol: number;
  private readonly gkeys: GroupKeys | undefined;

  constructor(
    dialect: CsvDialect,
    columnOfSlot: number[],
    private readonly sink: RowSink,
    private readonly file: string,
    private readonly stopAt = Infinity,
    group?: { column: number; keys: GroupKeys },
  ) {
    this.gcol = group ? group.column : -1;
    this.gkeys = group?.keys;
    this.delim = dialect.delimiter;
    this.decimalComma = dialect.decimalComma;
    this.colOfSlot = columnOfSlot;
    const maxCol = Math.max(...columnOfSlot);
    this.slotOf = new Int32Array(maxCol + 1).fill(-1);
    columnOfSlot.forEach((c, s) => (this.slotOf[c] = s));
    this.values = new Float64Array(columnOfSlot.length);
  }

  get done(): boolean {
    return this.stoppedAt >= 0;
  }

  scan(buf: Uint8Array, pos: number, end: number, eof: boolean): number {
    const delim = this.delim;
    const slotOf = this.slotOf;
    const maxCol = slotOf.length - 1;
    const vals = this.values;
    const dc = this.decimalComma;
    const gcol = this.gcol;
    const stopRel = this.stopAt - this.bufferOffset;
    let c = 0;
    while (pos < end) {
      if (pos >= stopRel) {
        this.stoppedAt = this.bufferOffset + pos;
        return pos;
      }
      const recStart = pos;
      const line = this.line;
      c = buf[pos];
      if (c === LF) {
        pos++;
        this.line++;
        continue;
      }
      if (c === CR && pos + 1 < end && buf[pos + 1] === LF) {
        pos += 2;
        this.line++;
        continue;
      }
      let nl = 0;
      let field = 0;
      let badSlot = 0x7fffffff;
      let badReason = 0;
      // The group-by field: its text is buf[gs, ge) (with "" for " when gd).
      let gs = 0;
      let ge = 0;
      let gd = false;
      for (;;) {
        const slot = field <= maxCol ? slotOf[field] : -1;
        if (pos < end && buf[pos] === QUOTE) {
          let q = pos + 1;
          let doubled = false;
          let fs = 0;
          let fe = 0;
          for (;;) {
            const idx = buf.indexOf(QUOTE, q);
            if (idx < 0 || idx >= end) {
              if (!eof) return recStart;
              throw new LossInspectorError('unterminatedQuote', `'${this.file}' has a quote opened on line ${line + nl} that is never closed.`, {
                file: this.file,
                line: line + nl,
              });
            }
            for (let k = q; k < idx; k++) if (buf[k] === LF) nl++;
            if (idx + 1 >= end && !eof) return recStart;
            if (idx + 1 < end && buf[idx + 1] === QUOTE) {
              doubled = true;
              q = idx + 2;
              continue;
            }
            fs = pos + 1;
            fe = idx;
            pos = idx + 1;
            break;
          }
          let junk = false;
          while (pos < end && (c = buf[pos]) !== delim && c !== LF) {
            if (c !== CR) junk = true;
            pos++;
          }
          if (pos >= end && !eof) return recStart;
          if (field === gcol) {
            gs = fs;
            ge = fe;
            gd = doubled;
          }
          if (slot >= 0) {
            let r = 0;
            if (junk) r = R_TEXT;
            else if (doubled || !parseDecimalInto(buf, fs, fe, dc, vals, slot)) {
              const text = decoder.decode(buf.subarray(fs, fe));
              const k = classifyField(doubled ? text.replace(/""/g, '"') : text, dc);
              if (k.kind === 'number') vals[slot] = k.value;
              else r = k.kind === 'empty' ? R_EMPTY : k.kind === 'na' ? R_NA : k.kind === 'infinite' ? R_INF : R_TEXT;
            }
            if (r !== 0 && slot < badSlot) {
              badSlot = slot;
              badReason = r;
            }
          }
        } else {
          const fs = pos;
          // Fast path: parse the number in the same pass that finds the end of the field.
          let e = slot >= 0 ? parseFieldInto(buf, fs, end, delim, dc, vals, slot) : -1;
          if (e >= 0) {
            if (e < end) {
              c = buf[e];
              if (c === CR) e = e + 1 < end && buf[e + 1] === LF ? e + 1 : -1;
              else if (c !== delim && c !== LF) e = -1;
            } else if (!eof) e = -1; // the number may go on in the next read
          }
          if (e >= 0) pos = e;
          else {
            while (pos < end && (c = buf[pos]) !== delim && c !== LF) pos++;
            if (pos >= end && !eof) return recStart;
            if (field === gcol) {
              gs = fs;
              ge = pos > fs && buf[pos - 1] === CR ? pos - 1 : pos;
              gd = false;
            }
            if (slot >= 0) {
              let fe = pos;
              if (fe > fs && buf[fe - 1] === CR) fe--;
              const k = classifyField(decoder.decode(buf.subarray(fs, fe)), dc);
              if (k.kind === 'number') vals[slot] = k.value;
              else if (slot < badSlot) {
                badSlot = slot;
                badReason = k.kind === 'empty' ? R_EMPTY : k.kind === 'na' ? R_NA : k.kind === 'infinite' ? R_INF : R_TEXT;
              }
            }
          }
        }
        if (pos < end && buf[pos] === delim) {
          pos++;
          field++;
          continue;
        }
        if (pos < end) {
          pos++; // the LF
          nl++;
        }
        break;
      }
      this.line = line + nl;
      if (field < maxCol) {
        // Ragged row: the slots whose columns are missing.
        for (let s = 0; s < this.colOfSlot.length; s++) {
          if (this.colOfSlot[s] > field && s < badSlot) {
            badSlot = s;
            badReason = 5;
          }
        }
      }
      if (badReason !== 0) this.sink.skip(line, REASON_CODE[badReason]);
      else {
        let g = -1;
        const keys = this.gkeys;
        if (keys !== undefined) {
          // A row too short to have the group field is in the empty-value group.
          if (gd) g = keys.idOfLabel(decoder.decode(buf.subarray(gs, ge)).replace(/""/g, '"'));
          else g = keys.id(buf, gs, ge);
        }
        this.sink.row(line, this.bufferOffset + recStart, vals, g);
      }
    }
    return pos;
  }
}
