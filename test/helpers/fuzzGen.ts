/**
 * Random tables and their files for the fuzz tests: fast-check arbitraries for tables (numbers in
 * many textual forms, skip markers, hostile column names, text with delimiters, quotes and
 * newlines), writers for CSV dialects, JSON (records and columns) and JSON Lines that also return
 * what the engine must read back (values, skip reasons, line numbers), and byte mutations.
 */
import fc from 'fast-check';
import type { SkipReason } from '../../src/core/scanTypes';
import type { RefRecord } from './fuzzRef';
import { rng } from './run';

// ------------------------------------------------------------------------------------------------
// Numbers
// ------------------------------------------------------------------------------------------------

/** How a number is written. `x` is the generated double; the value read back is Number(text). */
export interface NumSpec {
  x: number;
  /** 0 String(x), 1 toPrecision, 2 toExponential, 3 toFixed. */
  style: number;
  digits: number;
  plus: boolean;
  /** `.5` instead of `0.5`. */
  bareDot: boolean;
  /** Leading zero (`007`), trailing dot (`5.`). */
  zero: boolean;
  trailingDot: boolean;
  upperE: boolean;
  /** Surrounding spaces (CSV fields, JSON strings). */
  pad: boolean;
  /** `,` as the decimal separator (only in `;` CSV files). */
  comma: boolean;
  /** JSON: written as a numeric string. */
  asString: boolean;
  /** JSON string: a digit written as a \u escape. */
  escape: boolean;
}

function baseText(n: NumSpec): string {
  const x = n.x;
  switch (n.style) {
    case 1:
      return x.toPrecision(1 + (n.digits % 21));
    case 2:
      return x.toExponential(n.digits % 21);
    case 3:
      return Math.abs(x) < 1e15 ? x.toFixed(n.digits % 12) : String(x);
    default:
      return Object.is(x, -0) ? '-0' : String(x);
  }
}

/** The number as JSON allows it (bare token). */
export function jsonNumberToken(n: NumSpec): string {
  const s = baseText(n);
  return n.upperE ? s.replace('e', 'E') : s;
}

/** The number in the free forms of CSV fields and numeric strings. */
export function looseNumberText(n: NumSpec, decimalComma: boolean): string {
  let s = jsonNumberToken(n);
  if (n.zero && /^[+-]?\d/.test(s)) s = s.replace(/^([+-]?)/, '$10');
  if (n.trailingDot && /^[+-]?\d+$/.test(s)) s += '.';
  if (n.bareDot) s = s.replace(/^([+-]?)0\.(\d)/, '$1.$2');
  if (n.plus && !s.startsWith('-')) s = '+' + s;
  if (decimalComma && n.comma) s = s.replace('.', ',');
  if (n.pad) s = ` ${s}  `;
  return s;
}

/** The value the engine must read from a number's text (`,` read as `.`). */
export function valueOf(text: string): number {
  return Number(text.replace(',', '.'));
}

const specialValues = [0, -0, 5e-324, 2.2250738585072014e-308, 1e-300, 1e300, 1.7976931348623157e308, -1.7976931348623157e308, 1e12 + 0.001, 0.1, 2 ** 53 + 2, 123456789.123456789];

export const valueArb: fc.Arbitrary<number> = fc.oneof(
  { weight: 6, arbitrary: fc.double({ min: -1e4, max: 1e4, noNaN: true }) },
  { weight: 2, arbitrary: fc.integer({ min: -1e6, max: 1e6 }) },
  { weight: 1, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
  { weight: 1, arbitrary: fc.constantFrom(...specialValues) },
);

const noiseArb = fc.oneof(fc.double({ min: -10, max: 10, noNaN: true }), fc.double({ min: -1e-6, max: 1e-6, noNaN: true }), fc.constant(0));

function numSpecArb(x: fc.Arbitrary<number>): fc.Arbitrary<NumSpec> {
  return fc.record({
    x,
    style: fc.nat(7).map((s) => (s > 3 ? 0 : s)),
    digits: fc.nat(40),
    plus: fc.nat(3).map((k) => k === 0),
    bareDot: fc.boolean(),
    zero: fc.nat(7).map((k) => k === 0),
    trailingDot: fc.nat(7).map((k) => k === 0),
    upperE: fc.nat(3).map((k) => k === 0),
    pad: fc.nat(7).map((k) => k === 0),
    comma: fc.boolean(),
    asString: fc.nat(4).map((k) => k === 0),
    escape: fc.nat(3).map((k) => k === 0),
  });
}

// ------------------------------------------------------------------------------------------------
// Skip markers
// ------------------------------------------------------------------------------------------------

/** [reason, CSV text, JSON token]. */
export const BAD: readonly [SkipReason, string, string][] = [
  ['empty', '', '""'],
  ['empty', '  ', '"  "'],
  ['na', 'NA', 'null'],
  ['na', 'N/A', '"N/A"'],
  ['na', 'NaN', '"NaN"'],
  ['na', 'null', '"null"'],
  ['na', 'None', '"None"'],
  ['na', '#N/A', '"#N/A"'],
  ['nonNumeric', 'abc', '"abc"'],
  ['nonNumeric', '1.2.3', 'true'],
  ['nonNumeric', '0x1A', '{"a":[1,{"b":null}]}'],
  ['nonNumeric', '12abc', '[1,2]'],
  ['nonNumeric', '1_000', '"1_000"'],
  ['nonNumeric', '--1', 'false'],
  ['infinite', 'inf', '1e999'],
  ['infinite', '-Infinity', '"-Infinity"'],
  ['infinite', '1e999', '"inf"'],
  ['infinite', '-1e400', '-1E400'],
];

// ------------------------------------------------------------------------------------------------
// Tables
// ------------------------------------------------------------------------------------------------

export type CellSpec = { t: 'num'; n: NumSpec } | { t: 'bad'; b: number } | { t: 'text'; s: string };

export interface RowSpec {
  cells: CellSpec[];
  /** CSV: fields written (fewer than the columns: a ragged row; one more: an extra field, `extra`). */
  keep: number;
  /** CSV: the text of the field after the last column, when `keep` is one more than the columns. */
  extra: string;
  /** JSON records: keys left out (bit per column). */
  omit: number;
  /** Blank lines before the row (CSV, JSON Lines). */
  blank: number;
  /** JSON records: rotate the key order. */
  rotate: number;
  /** Per-field quoting bits for "random" CSV quoting. */
  quote: number;
  /** Whitespace choices for JSON. */
  ws: number;
}

export interface TableSpec {
  /** Column names in file order. */
  names: string[];
  target: number;
  preds: number[];
  /** Pass the columns explicitly (hostile names) or let the engine detect them (standard names). */
  explicit: boolean;
  rows: RowSpec[];
}

const HOSTILE_NAMES = [
  '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'prototype', 'a"b', '"', "it's", 'a,b', 'x;y', 'tab\there', 'pipe|x',
  'multi\nline', 'cr\r\nlf', 'é', '数据', '🎯 target', '<img src=x onerror=alert(1)>', '</script><b>', '${x}', '\\', 'NaN', 'null',
  'undefined', ' padded ', 'y_true', 'y_pred', 'col1', '{"k":1}', '[0]', '-', '=1+1', 'Ǆ\u0301',
];
/** Names that may also be column names of text columns (not used as target/prediction). */
const TEXT_ONLY_NAMES = ['', '1e3', '0', '  ', 'x'.repeat(80)];

const textUnit: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.string({ unit: 'binary-ascii', minLength: 1, maxLength: 1 }).filter((c) => c !== '\0') },
  { weight: 2, arbitrary: fc.constantFrom(',', ';', '\t', '|', '"', '""', '\n', '\r\n', '\r', ' ', 'é', '数', '🎯', '\\', "'", '{', '}', '[', ']', ':') },
);
export const textArb = fc.oneof(
  { weight: 8, arbitrary: fc.string({ unit: textUnit, maxLength: 12 }) },
  { weight: 1, arbitrary: fc.constantFrom('NA', '1.5', '', 'null', '<img src=x onerror=alert(1)>', '"quoted", with comma') },
  { weight: 1, arbitrary: fc.string({ unit: textUnit, minLength: 60, maxLength: 200 }) },
);

const slotNameOk = (s: string) => s.trim() !== '' && !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s.trim());

export interface TableOptions {
  maxRows: number;
  maxPreds?: number;
  maxText?: number;
  /** Probability-like weight of bad (skipped) values among target/prediction cells, out of 20. */
  badWeight?: number;
  /** Allow ragged rows / omitted keys. */
  ragged?: boolean;
  /** Weight (out of 4) of tables with hostile names passed explicitly; the others use standard names, detected. Default 3. */
  explicit?: number;
  /** The doubles written (default `valueArb`: all magnitudes). */
  values?: fc.Arbitrary<number>;
}

/** Moderate values only: no residual can overflow. */
export const moderateValueArb: fc.Arbitrary<number> = fc.oneof(
  fc.double({ min: -1e4, max: 1e4, noNaN: true }),
  fc.integer({ min: -1e6, max: 1e6 }),
  fc.constantFrom(0, -0, 0.1, 1e-300, 5e-324, 1e100),
);

export function tableArb(o: TableOptions): fc.Arbitrary<TableSpec> {
  const maxPreds = o.maxPreds ?? 3;
  const maxText = o.maxText ?? 2;
  const badWeight = o.badWeight ?? 1;
  const values = o.values ?? valueArb;
  return fc
    .record({
      nPreds: fc.integer({ min: 1, max: maxPreds }),
      nText: fc.integer({ min: 0, max: maxText }),
      explicit: fc.nat(3).map((k) => k < (o.explicit ?? 3)),
      hostile: fc.uniqueArray(fc.oneof(fc.constantFrom(...HOSTILE_NAMES), fc.string({ unit: textUnit, minLength: 1, maxLength: 6 })), {
        minLength: 8,
        maxLength: 8,
        selector: (s) => s.trim(),
      }),
      textNames: fc.uniqueArray(fc.oneof(fc.constantFrom(...HOSTILE_NAMES, ...TEXT_ONLY_NAMES), fc.string({ unit: textUnit, maxLength: 6 })), {
        minLength: 2,
        maxLength: 2,
        selector: (s) => s.trim(),
      }),
      order: fc.array(fc.nat(), { minLength: 6, maxLength: 6 }),
      seed: fc.nat(),
    })
    .chain(({ nPreds, nText, explicit, hostile, textNames, order, seed }) => {
      // Names: standard ones for detection, hostile ones (passed explicitly) otherwise.
      let slotNames: string[];
      let texts: string[];
      if (!explicit) {
        slotNames = ['y_true', ...(nPreds === 1 ? ['y_pred'] : ['pred_a', 'pred_b', 'pred_c'].slice(0, nPreds))];
        texts = ['id', 'note'].slice(0, nText);
      } else {
        const ok = hostile.filter(slotNameOk);
        while (ok.length < 1 + nPreds) ok.push(`col_${seed}_${ok.length}`);
        slotNames = ok.slice(0, 1 + nPreds);
        const used = new Set(slotNames.map((s) => s.trim()));
        texts = [...hostile.filter((s) => !used.has(s.trim()) && !slotNames.includes(s)), ...textNames].filter((s, i, a) => {
          const t = s.trim();
          return !used.has(t) && a.findIndex((u) => u.trim() === t) === i;
        });
        texts = texts.slice(0, nText);
      }
      // Column order: a permutation from `order`.
      const cols = [...slotNames.map((_, i) => ({ slot: i })), ...texts.map((_, i) => ({ text: i }))];
      const keyed = cols.map((c, i) => ({ c, k: order[i % order.length] * 31 + i }));
      keyed.sort((a, b) => a.k - b.k);
      const names: string[] = [];
      let target = -1;
      const preds: number[] = new Array(nPreds);
      keyed.forEach(({ c }, idx) => {
        if ('slot' in c) {
          names.push(slotNames[c.slot]);
          if (c.slot === 0) target = idx;
          else preds[c.slot - 1] = idx;
        } else names.push(texts[c.text]);
      });
      const nCols = names.length;
      const num = (x: fc.Arbitrary<number>) => numSpecArb(x).map((n): CellSpec => ({ t: 'num', n }));
      const bad = fc.nat(BAD.length - 1).map((b): CellSpec => ({ t: 'bad', b }));
      const slotCell = (x: fc.Arbitrary<number>) => fc.oneof({ weight: 20 - badWeight, arbitrary: num(x) }, { weight: badWeight, arbitrary: bad });
      const rowArb = values.chain((t) => {
        const predArb = fc.oneof(values, noiseArb.map((e) => t + e));
        return fc.record({
          t: slotCell(fc.constant(t)),
          p: fc.array(slotCell(predArb), { minLength: nPreds, maxLength: nPreds }),
          text: fc.array(textArb, { minLength: nCols, maxLength: nCols }),
          keep: o.ragged ? fc.oneof({ weight: 12, arbitrary: fc.constant(nCols) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: nCols + 1 }) }) : fc.constant(nCols),
          omit: o.ragged ? fc.oneof({ weight: 12, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.nat((1 << nCols) - 1) }) : fc.constant(0),
          blank: fc.oneof({ weight: 8, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 2 }) }),
          rotate: fc.nat(nCols - 1),
          quote: fc.nat(),
          ws: fc.nat(),
        });
      });
      return fc.array(rowArb, { minLength: 1, maxLength: o.maxRows }).map((rows): TableSpec => ({
        names,
        target,
        preds,
        explicit,
        rows: rows.map((r) => {
          const cells: CellSpec[] = r.text.map((s) => ({ t: 'text', s }));
          cells[target] = r.t;
          preds.forEach((c, i) => (cells[c] = r.p[i]));
          // The text drawn for the target's column is otherwise unused: it is the extra field's.
          return { cells, keep: r.keep, extra: r.text[target], omit: r.omit, blank: r.blank, rotate: r.rotate, quote: r.quote, ws: r.ws };
        }),
      }));
    });
}

// ------------------------------------------------------------------------------------------------
// Writers
// ------------------------------------------------------------------------------------------------

/**
 * In a file with decimal commas, `.` is only a thousands separator: between groups of three
 * digits after a first group of 1–3 digits not starting with 0 (README, "Files it reads").
 */
const THOUSANDS = /^[+-]?[1-9]\d{0,2}(?:\.\d{3})+(?:,\d*)?(?:[eE][+-]?\d+)?$/;
const NUM_DOT = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const NUM_COMMA = /^[+-]?(?:\d+(?:,\d*)?|,\d+)(?:[eE][+-]?\d+)?$/;
const NA_TEXT = ['na', 'n/a', 'nan', '-nan', 'null', 'none', '#n/a'];
const INF_TEXT = ['inf', '+inf', '-inf', 'infinity', '+infinity', '-infinity'];
const asciiTrim = (s: string) => s.replace(/^[ \t\n\v\f\r]+|[ \t\n\v\f\r]+$/g, '');

/** What a CSV field's text holds, as the README documents it: a value or a skip reason. */
export function csvFieldValue(text: string, decimalComma: boolean): number | SkipReason {
  const t = asciiTrim(text);
  if (t === '') return 'empty';
  let v: number | undefined;
  if (decimalComma) {
    if (NUM_COMMA.test(t)) v = Number(t.replace(',', '.'));
    else if (THOUSANDS.test(t)) v = Number(t.replace(/\./g, '').replace(',', '.'));
  } else if (NUM_DOT.test(t)) v = Number(t);
  if (v !== undefined) return Number.isFinite(v) ? v : 'infinite';
  if (NA_TEXT.includes(t.toLowerCase())) return 'na';
  if (INF_TEXT.includes(t.toLowerCase())) return 'infinite';
  return 'nonNumeric';
}

/** What a field of a `;` file says of its decimal separator (the engine looks at its first 51 records). */
function decimalEvidence(field: string): 'comma' | 'dot' | undefined {
  const t = field.trim();
  if (t.includes(',')) return NUM_COMMA.test(t) || THOUSANDS.test(t) ? 'comma' : undefined;
  if (t.includes('.')) return NUM_DOT.test(t) && !THOUSANDS.test(t) ? 'dot' : undefined;
  return undefined;
}

export interface Written {
  name: string;
  text: string;
  /** What the engine must read: one entry per record, in file order. */
  records: RefRecord[];
  /** Expected report.columns. */
  columns: string[];
  /** Columns to request (undefined: let the engine detect them). */
  request?: { target: string; predictions: string[] };
  target: string;
  predictions: string[];
}

const countLF = (s: string) => {
  let n = 0;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) === 10) n++;
  return n;
};

/** The record of a row: values of the slots, or the reason of the first bad slot (slot order). */
function recordOf(slots: number[], line: number, present: (col: number) => boolean, valueAt: (col: number) => number | SkipReason): RefRecord {
  const values: number[] = [];
  for (const col of slots) {
    if (!present(col)) return { line, skip: 'missingField' };
    const v = valueAt(col);
    if (typeof v === 'string') return { line, skip: v };
    if (!Number.isFinite(v)) return { line, skip: 'infinite' };
    values.push(v);
  }
  return { line, values };
}

export interface CsvDialectSpec {
  delim: ',' | ';' | '\t' | '|';
  /** 0 every field quoted, 1 only where needed, 2 needed ones and random others. */
  quoting: number;
  eol: '\n' | '\r\n';
  bom: boolean;
  finalEol: boolean;
  leadingBlank: number;
  ext: '.csv' | '.txt' | '.tsv';
  /** No header line: the first row is all numbers, the columns are col1, col2, … (requested explicitly). */
  headerless: boolean;
}

export const csvDialectArb: fc.Arbitrary<CsvDialectSpec> = fc
  .record({
    delim: fc.constantFrom(',' as const, ';' as const, '\t' as const, '|' as const),
    quoting: fc.nat(2),
    eol: fc.constantFrom('\n' as const, '\r\n' as const),
    bom: fc.boolean(),
    finalEol: fc.nat(4).map((k) => k !== 0),
    leadingBlank: fc.oneof({ weight: 6, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 2 }) }),
    ext: fc.constantFrom('.csv' as const, '.txt' as const, '.tsv' as const),
    headerless: fc.nat(7).map((k) => k === 0),
  })
  .map((d) => ({ ...d, ext: d.ext === '.tsv' && d.delim !== '\t' ? '.csv' : d.ext }));

/**
 * The columns in slot order: the target, then the predictions, which the engine orders as they
 * appear in the file's columns when it detects them (`pos`: a column's place in those).
 */
function slotsOf(t: TableSpec, pos: (col: number) => number): number[] {
  return [t.target, ...(t.explicit ? t.preds : [...t.preds].sort((a, b) => pos(a) - pos(b)))];
}

function outNames(t: TableSpec, slots: number[], trim: boolean) {
  const fix = (s: string) => (trim ? s.trim() : s);
  const target = fix(t.names[t.target]);
  const predictions = slots.slice(1).map((c) => fix(t.names[c]));
  return { target, predictions, request: t.explicit ? { target, predictions } : undefined };
}

/**
 * The table as a headerless file: columns col1, col2, … requested explicitly; the first row all
 * finite numbers (else the engine rightly takes it for a header). No decimal commas: the engine
 * recognises a headerless `;` file with decimal commas only when its first 50 lines hold nothing
 * but numbers and missing values (csv.ts, decimalCommaLines), and these rows hold text too; a
 * unit test in csv.test.ts covers the case. Nor text that looks like a number with a decimal
 * comma: in a `;` file it would make the engine read the first row's `2.5` as text (a header).
 */
function headerlessTable(t: TableSpec, decimalComma: boolean): TableSpec {
  const plain = (x: number): CellSpec => ({
    t: 'num',
    n: { x, style: 0, digits: 0, plus: false, bareDot: false, zero: false, trailingDot: false, upperE: false, pad: false, comma: false, asString: false, escape: false },
  });
  const rows = t.rows.map((row, r) => ({
    ...row,
    keep: r === 0 ? row.cells.length : row.keep,
    cells: row.cells.map((c, i): CellSpec => {
      if (r === 0 && (c.t !== 'num' || !Number.isFinite(valueOf(looseNumberText(c.n, decimalComma))))) return plain(i);
      if (c.t === 'text' && decimalComma && decimalEvidence(c.s) === 'comma') return { t: 'text', s: c.s + 'x' };
      return c.t === 'num' ? { t: 'num', n: { ...c.n, comma: false } } : c;
    }),
    extra: decimalComma && decimalEvidence(row.extra) === 'comma' ? row.extra + 'x' : row.extra,
  }));
  return { ...t, names: t.names.map((_, i) => `col${i + 1}`), explicit: true, rows };
}

export function writeCsv(t: TableSpec, d: CsvDialectSpec): Written {
  if (d.headerless) t = headerlessTable(t, d.delim === ';');
  const slots = slotsOf(t, (c) => c);
  const special = /[,;\t|"\r\n]/;
  const q = (s: string, bit: boolean, mustIfSpecial: boolean) =>
    d.quoting === 0 || (mustIfSpecial && special.test(s)) || (d.quoting === 2 && bit) ? `"${s.replace(/"/g, '""')}"` : s;
  // A `;` file with a header writes its numbers with decimal commas, as spreadsheets do, except
  // a few (`zero` and not `comma`: about 1 in 16) that keep their `.`, which then is a thousands
  // separator or text. Headerless ones keep the `.` (see headerlessTable).
  const commaText = d.delim === ';' && !d.headerless;
  const nCols = t.names.length;
  let out = d.bom ? '\ufeff' : '';
  let line = 1;
  for (let k = 0; k < d.leadingBlank; k++) {
    out += d.eol;
    line++;
  }
  if (!d.headerless) {
    const header = t.names.map((s, i) => q(s, ((i * 7) & 3) === 1, true)).join(d.delim);
    out += header + d.eol;
    line += 1 + countLF(header);
  }
  // Each row's fields as the engine parses them back (raw texts) and what each holds.
  const rows: { line: number; raw: string[]; cell: (CellSpec | undefined)[] }[] = [];
  t.rows.forEach((row, r) => {
    for (let k = 0; k < row.blank; k++) {
      out += d.eol;
      line++;
    }
    const texts: string[] = [];
    const raw: string[] = [];
    const cellOf: (CellSpec | undefined)[] = [];
    for (let c = 0; c < row.keep; c++) {
      const cell: CellSpec = c < nCols ? row.cells[c] : { t: 'text', s: row.extra };
      const bit = ((row.quote >>> c) & 1) === 1;
      let s: string;
      if (cell.t === 'num') {
        s = looseNumberText(cell.n, commaText && (cell.n.comma || !cell.n.zero));
        texts.push(q(s, bit, false));
      } else if (cell.t === 'bad') {
        s = BAD[cell.b][1];
        texts.push(q(s, bit, false));
      } else {
        s = cell.s;
        texts.push(q(s, bit, true));
      }
      raw.push(s);
      cellOf.push(cell);
    }
    let text = texts.join(d.delim);
    if (text === '' || text === '\r') text = '""'; // an empty line would be a blank line, not a record
    rows.push({ line, raw, cell: cellOf });
    out += text;
    line += countLF(text);
    if (r < t.rows.length - 1 || d.finalEol) {
      out += d.eol;
      line++;
    }
  });
  // The decimal separator of a `;` file: from the first 51 records (header included).
  let decimalComma = false;
  if (d.delim === ';') {
    const sample = [...(d.headerless ? [] : [t.names]), ...rows.map((r) => r.raw)];
    const ev = sample.slice(0, 51).flatMap((fields) => fields.map(decimalEvidence));
    decimalComma = ev.includes('comma') || !ev.includes('dot');
  }
  // A header one field short of each of the first 50 records: a blank last column (a delimiter
  // ending every line), or R's row names first (at least 2 records, unique first fields).
  let layout: 'plain' | 'trailing' | 'rowNames' = 'plain';
  const sample = rows.slice(0, 50);
  if (!d.headerless && sample.every((r) => r.raw.length === nCols + 1)) {
    if (sample.every((r) => r.raw[nCols].trim() === '')) layout = 'trailing';
    else if (sample.length >= 2 && new Set(sample.map((r) => r.raw[0])).size === sample.length) layout = 'rowNames';
  }
  const fieldOf = (col: number) => (layout === 'rowNames' ? col + 1 : col);
  const nFields = layout === 'plain' ? nCols : nCols + 1;
  const records: RefRecord[] = rows.map((r) => {
    if (r.raw.length > nFields) return { line: r.line, skip: 'extraField' };
    return recordOf(slots, r.line, (c) => fieldOf(c) < r.raw.length, (c) => {
      const f = fieldOf(c);
      const cell = r.cell[f] as CellSpec;
      return cell.t === 'bad' ? BAD[cell.b][0] : csvFieldValue(r.raw[f], decimalComma);
    });
  });
  const names = outNames(t, slots, true);
  const columns = t.names.map((s) => s.trim());
  if (layout === 'rowNames') columns.unshift('');
  if (layout === 'trailing') columns.push('');
  return { name: `fuzz${d.ext}`, text: out, records, columns, ...names };
}

const WS = ['', ' ', '\n', '\r\n', '\t', '  \n  '];
const WS_LINE = ['', ' ', '\t', ' \t '];

function jsonCell(cell: CellSpec): { token: string; value: number | SkipReason } {
  if (cell.t === 'bad') return { token: BAD[cell.b][2], value: BAD[cell.b][0] };
  if (cell.t === 'text') return { token: JSON.stringify(cell.s), value: NaN };
  const n = cell.n;
  if (!n.asString) {
    const s = jsonNumberToken(n);
    return { token: s, value: Number(s) };
  }
  const s = looseNumberText(n, false);
  let body = JSON.stringify(s);
  if (n.escape) body = body.replace(/\d/, (dg) => `\\u003${dg}`);
  return { token: body, value: Number(s) };
}

export interface JsonStyle {
  shape: 'records' | 'columns' | 'lines';
  bom: boolean;
  eol: '\n' | '\r\n';
  finalEol: boolean;
  /** Write without an extension (the engine sniffs the format). */
  noExt: boolean;
  /**
   * Columns shape: arrays that are not columns of the table (0–3 elements of any kind), half
   * before the table's arrays and half after. Default: none for 7 tables in 8, else up to 399.
   */
  extraArrays?: number;
}

/** The arrays of a columns file that no one asks for (`JsonStyle.extraArrays`). */
function extraArrays(n: number, taken: readonly string[]): { name: string; text: string }[] {
  const out: { name: string; text: string }[] = [];
  const kinds = (i: number) => [`${i}`, `"s${i}"`, 'null', `[${i}, []]`, '{"a":[1,"]"]}', `-${i}.5e-3`, 'true'][i % 7];
  for (let i = 0; out.length < n; i++) {
    const name = `~x${i}~`;
    if (taken.includes(name)) continue;
    const elems = Array.from({ length: i % 4 }, (_, k) => kinds(i + k));
    out.push({ name, text: `${JSON.stringify(name)}:[${elems.join(i % 2 ? ',' : ', ')}]` });
  }
  return out;
}

export const jsonStyleArb: fc.Arbitrary<JsonStyle> = fc.record({
  shape: fc.constantFrom('records' as const, 'columns' as const, 'lines' as const),
  bom: fc.nat(4).map((k) => k === 0),
  eol: fc.constantFrom('\n' as const, '\r\n' as const),
  finalEol: fc.boolean(),
  noExt: fc.nat(4).map((k) => k === 0),
});

/**
 * Keys left out of a record. The first record keeps the target and prediction keys: the engine
 * takes the file's columns from the first record (a limitation, see the fuzz test's notes).
 */
function omitBits(t: TableSpec, row: RowSpec, r: number): number {
  if (r > 0) return row.omit;
  let m = row.omit;
  for (const c of [t.target, ...t.preds]) m &= ~(1 << c);
  return m;
}

export function writeJson(t: TableSpec, s: JsonStyle): Written {
  const records: RefRecord[] = [];
  let out = s.bom ? '\ufeff' : '';
  let line = 1;
  const put = (x: string) => {
    out += x;
    line += countLF(x);
  };
  const nCols = t.names.length;
  const rot0 = s.shape === 'columns' ? 0 : t.rows[0].rotate;
  const slots = slotsOf(t, (c) => (c - rot0 + nCols) % nCols);
  const names = outNames(t, slots, false);
  let columns: string[] = t.names;
  // Records: the first record's keys, then new keys of later records (the engine reads those of
  // the 100 records after the first; these tables are smaller).
  const addColumns = (order: number[], r: number) => {
    if (r === 0) columns = [];
    for (const c of order) if (!columns.includes(t.names[c])) columns.push(t.names[c]);
  };
  if (s.shape === 'columns') {
    // {"a":[…],"b":[…]} plus properties that are not arrays (ignored).
    const cellLines: number[][] = t.names.map(() => []);
    const vals = t.rows.map((row) => row.cells.map(jsonCell));
    put('{' + WS[t.rows[0].ws % WS.length] + '"__meta__":{"k":[1,2,{"x":"]"}]},' + WS[2]);
    const ws0 = t.rows[0].ws;
    const extras = extraArrays(s.extraArrays ?? (((ws0 >>> 12) & 7) === 0 ? (ws0 >>> 15) % 400 : 0), t.names);
    const before = extras.slice(0, extras.length >> 1);
    const afterArrays = extras.slice(extras.length >> 1);
    for (const a of before) put(a.text + (ws0 & 1 ? ',\n' : ','));
    columns = [...before.map((a) => a.name), ...t.names, ...afterArrays.map((a) => a.name)];
    t.names.forEach((name, c) => {
      put(`${JSON.stringify(name)}${WS[(t.rows[0].ws >>> 3) % 2]}:${WS[(t.rows[0].ws >>> 5) % 2]}[`);
      t.rows.forEach((row, r) => {
        put(WS[(row.ws >>> (c % 8)) % WS.length]);
        cellLines[c].push(line);
        put(vals[r][c].token + (r < t.rows.length - 1 ? ',' : ''));
      });
      put(']' + (c < nCols - 1 ? ',' + s.eol : ''));
    });
    for (const a of afterArrays) put(',' + a.text);
    put(',' + s.eol + '"__n__":3' + s.eol + '}' + (s.finalEol ? s.eol : ''));
    t.rows.forEach((_, r) => records.push(recordOf(slots, cellLines[t.target][r], () => true, (c) => vals[r][c].value)));
  } else if (s.shape === 'records') {
    put('[' + WS[t.rows[0].ws % WS.length]);
    t.rows.forEach((row, r) => {
      const omit = omitBits(t, row, r);
      const order = t.names.map((_, i) => (i + row.rotate) % nCols).filter((c) => ((omit >>> c) & 1) === 0);
      addColumns(order, r);
      const vals = row.cells.map(jsonCell);
      const w = (k: number) => WS[(row.ws >>> (2 * k)) % WS.length];
      const recLine = line;
      put('{' + order.map((c, k) => `${w(k)}${JSON.stringify(t.names[c])}${w(k + 1)}:${w(k + 2)}${vals[c].token}`).join(',') + w(7) + '}');
      records.push(recordOf(slots, recLine, (c) => ((omit >>> c) & 1) === 0, (c) => vals[c].value));
      if (r < t.rows.length - 1) put(w(8) + ',' + (row.blank ? s.eol : w(9)));
    });
    put(s.eol + ']' + (s.finalEol ? s.eol : ''));
  } else {
    t.rows.forEach((row, r) => {
      for (let k = 0; k < row.blank; k++) put(WS_LINE[(row.ws + k) % WS_LINE.length] + s.eol);
      const omit = omitBits(t, row, r);
      const order = t.names.map((_, i) => (i + row.rotate) % nCols).filter((c) => ((omit >>> c) & 1) === 0);
      addColumns(order, r);
      const vals = row.cells.map(jsonCell);
      const w = (k: number) => WS_LINE[(row.ws >>> (2 * k)) % WS_LINE.length];
      records.push(recordOf(slots, line, (c) => ((omit >>> c) & 1) === 0, (c) => vals[c].value));
      put(w(0) + '{' + order.map((c, k) => `${w(k + 1)}${JSON.stringify(t.names[c])}:${w(k + 2)}${vals[c].token}`).join(',') + '}' + w(9));
      if (r < t.rows.length - 1 || s.finalEol) put(s.eol);
    });
  }
  // Without an extension the engine sniffs: fine for arrays, objects of arrays and JSON Lines of ≥ 2 records.
  const sniffable = s.shape !== 'lines' || t.rows.length >= 2;
  const ext = s.noExt && sniffable ? '' : s.shape === 'lines' ? (t.rows.length % 2 ? '.jsonl' : '.ndjson') : '.json';
  return { name: `fuzz${ext}`, text: out, records, columns, ...names };
}

// ------------------------------------------------------------------------------------------------
// Mutations
// ------------------------------------------------------------------------------------------------

/** A uniform position in [0, 1] (fc.double favours 0 and 1, which would mostly truncate to nothing). */
const unit = fc.noBias(fc.integer({ min: 0, max: 1_000_000 })).map((k) => k / 1_000_000);

export type Mutation =
  | { k: 'flip'; at: number; byte: number }
  | { k: 'truncate'; at: number }
  | { k: 'insert'; at: number; bytes: number[] }
  | { k: 'long'; at: number; byte: number; len: number }
  | { k: 'delete'; at: number; len: number }
  | { k: 'dup'; from: number; len: number; to: number };

const INSERTS: number[][] = [
  [0x22], // "
  [0x22, 0x22],
  [0],
  [0xff, 0xfe],
  [0xfe, 0xff],
  [0x80],
  [0xbf],
  [0xc3],
  [0xe2, 0x82],
  [0xed, 0xa0, 0x80], // a UTF-8-encoded surrogate
  [0xc0, 0xaf], // overlong
  [0xef, 0xbb, 0xbf], // a BOM in the middle
  [0x0a],
  [0x0d],
  [0x2c],
  [0x3b],
  [0x09],
  [0x7b],
  [0x7d],
  [0x5b],
  [0x5d],
  [0x3a],
  [0x5c],
  [0x5c, 0x75],
  ...['NaN', '1e999', '-', '.', 'e', '1e-400', '"\\ud800"', '\\u0000', 'null', ',,', '""""', '{"y_true":', '[[[[', '0x10', '9'.repeat(30)].map((s) =>
    Array.from(Buffer.from(s, 'latin1')),
  ),
];

export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ k: fc.constant('flip' as const), at: unit, byte: fc.nat(255) }),
  fc.record({ k: fc.constant('truncate' as const), at: unit }),
  fc.record({ k: fc.constant('insert' as const), at: unit, bytes: fc.constantFrom(...INSERTS) }),
  fc.record({
    k: fc.constant('long' as const),
    at: unit,
    byte: fc.constantFrom(0x78, 0x39, 0x20, 0x22, 0x5b, 0x7b, 0x2c, 0x30, 0xc3),
    len: fc.constantFrom(100, 3000, 70_000),
  }),
  fc.record({ k: fc.constant('delete' as const), at: unit, len: fc.integer({ min: 1, max: 20 }) }),
  fc.record({
    k: fc.constant('dup' as const),
    from: unit,
    len: fc.integer({ min: 1, max: 200 }),
    to: unit,
  }),
);

export function mutate(input: Uint8Array, ms: Mutation[]): Uint8Array {
  let b = Buffer.from(input);
  const pos = (f: number) => Math.min(b.length, Math.floor(f * (b.length + 1)));
  for (const m of ms) {
    switch (m.k) {
      case 'flip': {
        if (b.length === 0) break;
        const i = Math.min(b.length - 1, pos(m.at));
        b = Buffer.from(b);
        b[i] = m.byte;
        break;
      }
      case 'truncate':
        b = b.subarray(0, pos(m.at));
        break;
      case 'insert': {
        const i = pos(m.at);
        b = Buffer.concat([b.subarray(0, i), Buffer.from(m.bytes), b.subarray(i)]);
        break;
      }
      case 'long': {
        const i = pos(m.at);
        b = Buffer.concat([b.subarray(0, i), Buffer.alloc(m.len, m.byte), b.subarray(i)]);
        break;
      }
      case 'delete': {
        const i = pos(m.at);
        b = Buffer.concat([b.subarray(0, i), b.subarray(i + m.len)]);
        break;
      }
      case 'dup': {
        const i = pos(m.from);
        const chunk = Buffer.from(b.subarray(i, i + m.len));
        const j = pos(m.to);
        b = Buffer.concat([b.subarray(0, j), chunk, b.subarray(j)]);
        break;
      }
    }
  }
  return new Uint8Array(b.buffer, b.byteOffset, b.length);
}

// ------------------------------------------------------------------------------------------------
// Big files (parallel tests): the same writers, rows from a seeded PRNG
// ------------------------------------------------------------------------------------------------

/** A table of `rows` rows from a PRNG: varied magnitudes, skip markers, quoted text with newlines. */
export function bigTable(seed: number, rows: number, nPreds: number, newlinesInText: boolean): TableSpec {
  const next = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)];
  const names = ['id', 'y_true', ...(nPreds === 1 ? ['y_pred'] : ['pred_a', 'pred_b', 'pred_c'].slice(0, nPreds)), 'note'];
  const num = (x: number): CellSpec => ({
    t: 'num',
    n: {
      x,
      style: next() < 0.7 ? 0 : Math.floor(next() * 4),
      digits: Math.floor(next() * 40),
      plus: next() < 0.05,
      bareDot: next() < 0.1,
      zero: false,
      trailingDot: false,
      upperE: next() < 0.1,
      pad: next() < 0.02,
      comma: next() < 0.5,
      asString: next() < 0.1,
      escape: false,
    },
  });
  const notes = ['ok', 'a, "b"', 'x;y|z', newlinesInText ? 'line one\nline two' : 'one line', '数据 🎯', ''];
  const out: RowSpec[] = [];
  for (let i = 0; i < rows; i++) {
    const t = (next() - 0.3) * 10 ** Math.floor(next() * 8 - 2);
    const cells: CellSpec[] = [{ t: 'text', s: String(i) }, num(t)];
    for (let p = 0; p < nPreds; p++) cells.push(next() < 0.002 ? { t: 'bad', b: Math.floor(next() * BAD.length) } : num(t + (next() - 0.5) * 3));
    cells.push({ t: 'text', s: pick(notes) });
    out.push({ cells, keep: cells.length, extra: '', omit: 0, blank: next() < 0.01 ? 1 : 0, rotate: 0, quote: Math.floor(next() * 2 ** 30), ws: Math.floor(next() * 2 ** 30) });
  }
  return { names, target: 1, preds: names.map((_, i) => i).slice(2, 2 + nPreds), explicit: false, rows: out };
}
