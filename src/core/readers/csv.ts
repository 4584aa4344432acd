import { LossInspectorError } from '../errors';
import { GroupKeys } from '../groups';
import { ByteScanner, RowSink } from '../scanTypes';
import { CR, decoder, LF, QUOTE, SP } from './bytes';
import { crToLf, type CsvDialect } from './csvHead';
import { codeOf, mayBeNaMarker, R_EMPTY, R_EXTRA, R_MISSING, R_NA, R_TEXT, REASON_OF_CODE } from './fields';
import { classifyField, EMPTY_FIELD, parseDecimalInto, parseFieldInto } from './numbers';

/** What the scanner knows of the file beyond its dialect (from its FileInfo). */
export interface CsvLayout {
  /** Fields of a full record: the header's (its column count). Records with more are skipped. */
  fields?: number;
  /** File line of the range's first line (FileInfo.dataStartLine for the first range), for errors. */
  firstLine?: number;
  /**
   * A categorical slot (a class label): its column's text is interned by `keys` and the id put in
   * the slot's value, instead of a number. An empty or missing-value label skips the row.
   */
  label?: { slot: number; keys: GroupKeys };
  /**
   * Sparse records (training logs, #17): each slot's field code (fields.ts: R_OK, R_EMPTY, R_NA,
   * R_INF, R_TEXT, R_MISSING) is written here and every record is handed over, whatever its
   * values; the sink reads the codes (a slot's value is meaningful only where its code is R_OK).
   * Records with more fields than the header are still skipped.
   */
  codes?: Uint8Array;
}

/**
 * The fast CSV scanner: one pass over bytes, numbers parsed straight from the buffer, no string
 * per numeric field (strings only on the rare slow path: quotes with doubled quotes, NA markers,
 * text). Implements RFC 4180 quoting; LF or CRLF; blank lines are ignored. `scan` is one long
 * loop on purpose: V8 optimizes it as a whole, with the field state in registers; split into
 * per-field calls it would pass that state through memory on every field.
 */
export class CsvScanner implements ByteScanner {
  line = 1;
  bufferOffset = 0;
  /** Set when the scanner reached `stopAt`: the absolute offset of the first record not consumed. */
  stoppedAt = -1;
  private readonly delim: number;
  private readonly decimalComma: boolean;
  private readonly crOnly: boolean;
  /** Whitespace-delimited (CsvDialect.spaces): runs of spaces are one delimiter, leading and trailing ones no field. */
  private readonly spaces: boolean;
  /** Column index → slot (or −1). */
  private readonly slotOf: Int32Array;
  private readonly colOfSlot: number[];
  private readonly values: Float64Array;
  /** Group-by column index (−1: none) and its interner. */
  private readonly gcol: number;
  private readonly gkeys: GroupKeys | undefined;
  /** Fields of a full record (the header's); a record with more is skipped (extraField). */
  private readonly nFields: number;
  /** The categorical slot's column (−1: none), slot and interner (see CsvLayout.label). */
  private readonly lcol: number;
  private readonly lslot: number;
  private readonly lkeys: GroupKeys | undefined;
  /** Added to the range-relative line in error messages: the file line of the range's first line, − 1. */
  private readonly lineBase: number;
  /** CsvLayout.codes (sparse records), or undefined. */
  private readonly codes: Uint8Array | undefined;

  constructor(
    dialect: CsvDialect,
    columnOfSlot: number[],
    private readonly sink: RowSink,
    private readonly file: string,
    private readonly stopAt = Infinity,
    group?: { column: number; keys: GroupKeys },
    layout?: CsvLayout,
  ) {
    this.nFields = layout?.fields ?? 0x7fffffff;
    this.lineBase = (layout?.firstLine ?? 1) - 1;
    this.gcol = group ? group.column : -1;
    this.gkeys = group?.keys;
    this.delim = dialect.delimiter;
    this.decimalComma = dialect.decimalComma;
    this.crOnly = dialect.crOnly === true;
    this.spaces = dialect.spaces === true;
    this.colOfSlot = columnOfSlot;
    const maxCol = Math.max(...columnOfSlot);
    this.slotOf = new Int32Array(maxCol + 1).fill(-1);
    columnOfSlot.forEach((c, s) => (this.slotOf[c] = s));
    this.lslot = layout?.label ? layout.label.slot : -1;
    this.lcol = layout?.label ? columnOfSlot[layout.label.slot] : -1;
    this.lkeys = layout?.label?.keys;
    if (this.lcol >= 0) this.slotOf[this.lcol] = -1; // its text is interned, not parsed
    this.values = new Float64Array(columnOfSlot.length);
    this.codes = layout?.codes;
  }

  get done(): boolean {
    return this.stoppedAt >= 0;
  }

  scan(buf: Uint8Array, pos: number, end: number, eof: boolean): number {
    if (this.crOnly) crToLf(buf, pos, end); // the reader's buffer: rescanned bytes are LFs already
    const delim = this.delim;
    const slotOf = this.slotOf;
    const maxCol = slotOf.length - 1;
    const vals = this.values;
    const dc = this.decimalComma;
    const gcol = this.gcol;
    const lcol = this.lcol;
    const nFields = this.nFields;
    const spaces = this.spaces;
    const codes = this.codes;
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
      if (c === SP && spaces) {
        // Leading spaces of a whitespace-delimited line (a line of spaces only is blank).
        while (pos < end && buf[pos] === SP) pos++;
        if (pos >= end) {
          if (!eof) return recStart;
          break;
        }
        c = buf[pos];
      }
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
      // The label field, likewise (ls < 0: the row has none).
      let ls = -1;
      let le = 0;
      let ld = false;
      if (codes !== undefined) codes.fill(0);
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
              const at = this.lineBase + line + nl;
              throw new LossInspectorError('unterminatedQuote', `'${this.file}' has a quote opened on line ${at} that is never closed.`, {
                file: this.file,
                line: at,
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
          if (field === lcol) {
            ls = fs;
            le = fe;
            ld = doubled;
          }
          if (slot >= 0) {
            let r = 0;
            if (junk) r = R_TEXT;
            else if (doubled || !parseDecimalInto(buf, fs, fe, dc, vals, slot)) {
              const text = decoder.decode(buf.subarray(fs, fe));
              const k = classifyField(doubled ? text.replace(/""/g, '"') : text, dc);
              if (k.kind === 'number') vals[slot] = k.value;
              else r = codeOf(k.kind);
            }
            if (r !== 0 && codes !== undefined) codes[slot] = r;
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
            if (field === lcol) {
              ls = fs;
              le = pos > fs && buf[pos - 1] === CR ? pos - 1 : pos;
              ld = false;
            }
            if (slot >= 0) {
              let fe = pos;
              if (fe > fs && buf[fe - 1] === CR) fe--;
              // An empty cell (a sparse log's, a missing value) needs no string to be classified.
              const k = fe === fs ? EMPTY_FIELD : classifyField(decoder.decode(buf.subarray(fs, fe)), dc);
              if (k.kind === 'number') vals[slot] = k.value;
              else {
                if (codes !== undefined) codes[slot] = codeOf(k.kind);
                if (slot < badSlot) {
                  badSlot = slot;
                  badReason = codeOf(k.kind);
                }
              }
            }
          }
        }
        if (pos < end && buf[pos] === delim) {
          pos++;
          if (spaces) {
            // A run of spaces is one delimiter; spaces before the end of the line are no field.
            while (pos < end && buf[pos] === SP) pos++;
            if (pos >= end) {
              if (!eof) return recStart;
              break;
            }
            c = buf[pos];
            if (c === CR) {
              if (pos + 1 >= end) {
                if (!eof) return recStart;
                pos++;
                break;
              }
              if (buf[pos + 1] === LF) pos++;
              else {
                field++;
                continue;
              }
            } else if (c !== LF) {
              field++;
              continue;
            }
          } else {
            field++;
            continue;
          }
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
          if (this.colOfSlot[s] > field && codes !== undefined) codes[s] = R_MISSING;
          if (this.colOfSlot[s] > field && s < badSlot) {
            badSlot = s;
            badReason = R_MISSING;
          }
        }
      }
      // More fields than the header: the values may belong to other columns (an unquoted `1,234.5`).
      if (field >= nFields) badReason = R_EXTRA;
      else if (codes !== undefined) badReason = 0; // sparse: the sink reads each slot's code
      if (badReason === 0 && this.lkeys !== undefined && ls >= 0) badReason = this.label(buf, ls, le, ld);
      if (badReason !== 0) this.sink.skip(line, REASON_OF_CODE[badReason]);
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

  /** Interns the label field buf[ls, le) into its slot; the skip code of an empty or NA label, else 0. */
  private label(buf: Uint8Array, ls: number, le: number, doubled: boolean): number {
    const keys = this.lkeys as GroupKeys;
    let a = ls;
    let b = le;
    while (a < b && (buf[a] === 32 || buf[a] === 9)) a++;
    while (b > a && (buf[b - 1] === 32 || buf[b - 1] === 9)) b--;
    if (a === b) return R_EMPTY;
    if (doubled) {
      this.values[this.lslot] = keys.idOfLabel(decoder.decode(buf.subarray(a, b)).replace(/""/g, '"'));
      return 0;
    }
    if (b - a <= 4 && mayBeNaMarker(buf, a, b) && classifyField(decoder.decode(buf.subarray(a, b)), false).kind === 'na') return R_NA;
    this.values[this.lslot] = keys.id(buf, a, b);
    return 0;
  }
}
