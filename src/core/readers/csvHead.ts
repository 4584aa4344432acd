/**
 * The head of a CSV/TSV file: its dialect (delimiter, decimal comma), and its first records as
 * strings (the header, previews), before the fast scan.
 */
import { LossInspectorError } from '../errors';
import { COMMA, CR, decoder, LF, PIPE, QUOTE, SEMICOLON, SP, TAB } from './bytes';
import { classifyField, PLAIN_COMMA, PLAIN_DOT, THOUSANDS_DOT } from './numbers';

export interface CsvDialect {
  /** Byte value of the delimiter: `,` `;` tab or `|`, or a space (with `spaces`). */
  delimiter: number;
  /**
   * Whitespace-delimited (numpy's `savetxt` default, fixed-width columns): the delimiter is a
   * space, a run of spaces is one delimiter, and spaces at the start and end of a line are not
   * fields.
   */
  spaces?: boolean;
  /** Accept `,` as the decimal separator (semicolon files from spreadsheets in many locales). */
  decimalComma: boolean;
  /** Old Mac line endings: the head has CRs and no LF, and every CR is read as a LF. */
  crOnly?: boolean;
}

/** Replaces every CR of buf[from, to) by a LF (CR-only files; offsets do not change). */
export function crToLf(buf: Uint8Array, from: number, to: number): void {
  for (let i = buf.indexOf(CR, from); i >= 0 && i < to; i = buf.indexOf(CR, i + 1)) buf[i] = LF;
}

export function delimiterName(d: number): string {
  return d === TAB ? 'tab' : d === SP ? 'space' : String.fromCharCode(d);
}

/**
 * Leading comment lines: lines that start with `#` (numpy's `savetxt` writes its header as
 * `# y_true,y_pred`, after any other header lines, also `# `-prefixed), unless the `#` is followed
 * by a delimiter (`#,y_true,y_pred`: a column named `#`). Returns the offset of the first line
 * that is not one, and the bounds of the last comment line's text after `#` and its spaces (the
 * candidate header; see inspect.ts).
 */
export function leadingComments(buf: Uint8Array, start: number, end: number): { end: number; last?: [number, number] } {
  let pos = start;
  let last: [number, number] | undefined;
  while (pos < end && buf[pos] === 0x23) {
    const c = pos + 1 < end ? buf[pos + 1] : LF;
    if (c === COMMA || c === SEMICOLON || c === TAB || c === PIPE) break;
    const nl = buf.indexOf(LF, pos);
    if (nl < 0 || nl >= end) break; // a comment line cut by the end of the head: not skipped
    let s = pos + 1;
    while (s < nl && (buf[s] === SP || buf[s] === TAB)) s++;
    last = [s, nl > s && buf[nl - 1] === CR ? nl - 1 : nl];
    pos = nl + 1;
  }
  return { end: pos, last };
}

/** Fields of a line split on runs of spaces, outside double quotes (whitespace-delimited files). */
function spaceFields(line: string): number {
  let n = 0;
  let inQuote = false;
  let inField = false;
  for (let k = 0; k < line.length; k++) {
    const c = line.charCodeAt(k);
    if (inQuote) {
      if (c === QUOTE) inQuote = false;
      continue;
    }
    if (c === SP || c === CR) {
      inField = false;
      continue;
    }
    if (!inField) {
      n++;
      inField = true;
    }
    if (c === QUOTE) inQuote = true;
  }
  return n;
}

/**
 * Whether lines with none of `,` `;` tab `|` are whitespace-delimited: every sampled line but the
 * first splits on runs of spaces into the same number k ≥ 2 of fields, and the first (a header)
 * into k, or k − 1 (R's `write.table`, whose header has no field for the row names). A file of
 * one line needs 2 fields at least. Lines starting with `#` are left out.
 */
function spaceDelimited(buf: Uint8Array, end: number, eof: boolean): boolean {
  const text = decoder.decode(buf.subarray(0, Math.min(end, 1 << 16)));
  const lines = text.split('\n');
  if (!(eof && end <= 1 << 16) && lines.length > 1) lines.pop(); // may be cut short by the end of the head
  const counts = lines.filter((l) => l.trim() !== '' && !l.startsWith('#')).slice(0, 50).map(spaceFields);
  if (counts.length === 0) return false;
  if (counts.length === 1) return counts[0] >= 2;
  const k = counts[1];
  if (k < 2 || !counts.slice(1).every((x) => x === k)) return false;
  return counts[0] === k || counts[0] === k - 1;
}

/**
 * Picks the delimiter among `,` `;` tab `|` from the first lines: the candidate that splits the
 * most lines into the same (> 1) number of fields, counting only delimiters outside quotes.
 * A `.tsv` file is always tab-separated.
 */
export function detectDialect(buf: Uint8Array, end: number, tsv: boolean, eof = false): CsvDialect {
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
  // None of the candidates: whitespace-delimited (numpy's savetxt default) when the lines split
  // consistently on runs of spaces.
  if (bestScore === 0 && spaceDelimited(buf, end, eof)) return { delimiter: SP, decimalComma: false, spaces: true };
  // A headerless `;` file with decimal commas (`-6,1171;-6,0955`) splits as consistently on the
  // commas inside its numbers, into more fields: when every `;`-separated field of the sampled
  // lines is a number (one at least with a decimal comma) or a missing value, it is `;`.
  const semi = counts[candidates.indexOf(SEMICOLON)];
  if (best === COMMA && semi.length > 0 && semi[0] > 0 && semi.every((x) => x === semi[0]) && decimalCommaLines(buf, end)) {
    best = SEMICOLON;
  }
  return { delimiter: best, decimalComma: best === SEMICOLON && semicolonDecimalComma(buf, end, eof) };
}

/** Records of the head whose numbers decide a `;` file's decimal separator. */
export const DECIMAL_SAMPLE = 51;

/**
 * Whether a `;` file writes decimal commas: yes, unless the fields of its first DECIMAL_SAMPLE
 * records (the header included; with `eof`, buf holds the whole file) hold a number with a `.`
 * that cannot be a thousands separator (`2.5`) and none with a decimal comma; such a file is read
 * with `.` as the decimal point, as a `,` file. A file with both reads `,` as the decimal
 * separator and skips `2.5`.
 */
export function semicolonDecimalComma(buf: Uint8Array, end: number, eof = false): boolean {
  const dialect = { delimiter: SEMICOLON, decimalComma: true };
  let records: string[][];
  try {
    records = parseRecords(buf, 0, end, eof, dialect, DECIMAL_SAMPLE, '').records;
  } catch {
    records = parseRecords(buf, 0, end, false, dialect, DECIMAL_SAMPLE, '').records; // an unclosed quote: the records before it
  }
  let dot = false;
  for (const r of records) {
    for (const f of r) {
      const e = decimalEvidence(f);
      if (e === 'comma') return true;
      if (e === 'dot') dot = true;
    }
  }
  return !dot;
}

/** What a field says of the decimal separator: `comma` (`1,5`, `1.234,5`), `dot` (`2.5`, `.5`), or nothing. */
export function decimalEvidence(field: string): 'comma' | 'dot' | undefined {
  const t = field.trim();
  if (t.includes(',')) return PLAIN_COMMA.test(t) || THOUSANDS_DOT.test(t) ? 'comma' : undefined;
  if (t.includes('.')) return PLAIN_DOT.test(t) && !THOUSANDS_DOT.test(t) ? 'dot' : undefined;
  return undefined;
}

const DECIMAL_COMMA_FIELD = /^\s*[+-]?(?:\d+(?:,\d*)?|,\d+|[1-9]\d{0,2}(?:\.\d{3})+(?:,\d*)?)(?:[eE][+-]?\d+)?\s*$/;
const MISSING_FIELD = /^\s*(?:|na|n\/a|nan|null|none)\s*$/i;

/** Whether the first lines (up to 50) are `;`-separated numbers, some with a decimal comma. */
function decimalCommaLines(buf: Uint8Array, end: number): boolean {
  const lines = decoder
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
  const spaces = dialect.spaces === true;
  while (records.length < max && pos < end) {
    const recStart = pos;
    const recLine = line;
    if (spaces) {
      while (pos < end && buf[pos] === SP) pos++;
      if (pos >= end) {
        if (!eof) return { records, lines, end: recStart, newlines: recLine - 1 };
        break;
      }
    }
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
        if (spaces) {
          // A run of spaces is one delimiter; spaces before the end of the line are no field.
          while (pos < end && buf[pos] === SP) pos++;
          if (pos >= end) {
            if (!eof) return { records, lines, end: recStart, newlines: recLine - 1 };
            complete = true;
            break;
          }
          const d = buf[pos];
          if (d !== LF && !(d === CR && (pos + 1 >= end || buf[pos + 1] === LF))) continue;
          if (d === CR) pos++;
          if (pos >= end) {
            if (!eof) return { records, lines, end: recStart, newlines: recLine - 1 };
            complete = true;
            break;
          }
        } else continue;
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

