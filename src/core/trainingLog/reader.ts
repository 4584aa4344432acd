/**
 * Reads a training log from bytes handed over in any pieces (the whole file in chunks, then, while
 * the run trains, whatever was appended): the CSV or JSON reader of the file's format, in sparse
 * mode (every record handed over with each value's code), into one SeriesAcc per series. The
 * report can be built at any time without changing the state, so a live report is rebuilt after
 * each append. Memory is bounded: the series are decimated as they grow.
 */
import { LossInspectorError } from '../errors';
import type { FileInfo } from '../fileInfo';
import { CsvScanner } from '../readers/csv';
import { R_INF, R_MISSING, R_NA, R_OK, R_TEXT, REASON_OF_CODE } from '../readers/fields';
import { JsonRecordsScanner } from '../readers/jsonRecords';
import { RowCounts, RowTally } from '../rows';
import type { ByteScanner, RowSink, SkipReason } from '../scanTypes';
import { buildLogReport } from './build';
import type { LogPlan } from './plan';
import type { TrainingLogReport } from './report';
import { GapAcc, SeriesAcc } from './series';
import { DEFAULT_SMOOTHING } from './smoothing';

/** The default spike factor: a value above 3× the median of the 20 before it. */
export const DEFAULT_SPIKE_K = 3;

export interface LogOptions {
  /** TensorBoard's smoothing weight, 0…1 (default 0.6). */
  smoothing?: number;
  /** Spike factor k > 1 (default 3); 0 turns spike detection off. */
  spikeK?: number;
}

export class LogReader implements RowSink {
  readonly series: SeriesAcc[];
  readonly gaps: GapAcc[];
  private readonly tally = new RowTally();
  private readonly codes: Uint8Array;
  private readonly scanner: ByteScanner;
  private readonly hasX: number;
  private readonly lineShift: number;
  private readonly gapOfTrain: Int32Array;
  private readonly gapOfVal: Int32Array;
  private index = 0;
  private buf = new Uint8Array(1 << 16);
  private have = 0;
  /** Absolute file offset of buf[0]. */
  private base: number;
  private ended = false;
  readonly smoothing: number;
  readonly spikeK: number;

  constructor(
    readonly info: FileInfo,
    readonly plan: LogPlan,
    readonly file: string,
    readonly run: string,
    opts: LogOptions = {},
  ) {
    this.smoothing = opts.smoothing ?? DEFAULT_SMOOTHING;
    this.spikeK = opts.spikeK ?? DEFAULT_SPIKE_K;
    const slots = [...(plan.x.column !== null ? [plan.x.column] : []), ...plan.series.map((s) => s.column)];
    this.hasX = plan.x.column !== null ? 1 : 0;
    this.codes = new Uint8Array(slots.length);
    this.series = plan.series.map((s) => new SeriesAcc(this.smoothing, s.role === 'loss' ? this.spikeK : 0));
    this.gaps = plan.gaps.map(() => new GapAcc());
    this.gapOfTrain = new Int32Array(plan.series.length).fill(-1);
    this.gapOfVal = new Int32Array(plan.series.length).fill(-1);
    plan.gaps.forEach((g, k) => {
      this.gapOfTrain[g.train] = k;
      this.gapOfVal[g.val] = k;
    });
    this.lineShift = info.dataStartLine - 1;
    this.base = info.dataStart;
    if (info.format === 'csv' || info.format === 'tsv') {
      const cols = slots.map((s) => info.columns.indexOf(s));
      if (cols.some((c) => c < 0)) throw new LossInspectorError('internal', `A column of the log is not in '${file}'.`, { file });
      this.scanner = new CsvScanner(info.dialect ?? { delimiter: 44, decimalComma: false }, cols, this, file, Infinity, undefined, {
        fields: info.columns.length,
        firstLine: info.dataStartLine,
        codes: this.codes,
      });
    } else {
      this.scanner = new JsonRecordsScanner(slots, this, file, {
        lines: info.format === 'jsonl',
        codes: this.codes,
        ...(plan.dataKey !== undefined ? { wrap: 'table' as const, dataKey: plan.dataKey } : {}),
      });
    }
  }

  /** Absolute offset of the first byte not yet read as a whole record (where appended bytes go). */
  get offset(): number {
    return this.base + this.have;
  }

  /** Bytes of an incomplete last record, waiting for the rest. */
  get pending(): number {
    return this.have;
  }

  /**
   * The next bytes of the file (from `offset`). `eof`: they are the last (a record cut at the end
   * is then read as it is); while a run is still writing, pass false: an incomplete last line
   * waits for the rest.
   */
  push(bytes: Uint8Array, eof = false): void {
    if (this.ended) throw new LossInspectorError('internal', `'${this.file}' was read to its end already.`, { file: this.file });
    if (this.have + bytes.length > this.buf.length) {
      const bigger = new Uint8Array(Math.max(this.buf.length * 2, this.have + bytes.length));
      bigger.set(this.buf.subarray(0, this.have));
      this.buf = bigger;
    }
    this.buf.set(bytes, this.have);
    this.have += bytes.length;
    this.scanner.bufferOffset = this.base;
    const consumed = this.scanner.scan(this.buf, 0, this.have, eof);
    this.buf.copyWithin(0, consumed, this.have);
    this.have -= consumed;
    this.base += consumed;
    if (eof) this.ended = true;
  }

  row(line: number, _offset: number, values: Float64Array): void {
    const codes = this.codes;
    const at = line + this.lineShift;
    let x: number;
    if (this.hasX) {
      const c = codes[0];
      if (c !== R_OK) {
        this.tally.skip(at, c === R_MISSING ? 'missingField' : REASON_OF_CODE[c]);
        return;
      }
      x = values[0];
    } else x = ++this.index;
    const off = this.hasX;
    const series = this.series;
    for (let s = 0; s < series.length; s++) {
      const c = codes[s + off];
      let y: number;
      if (c === R_OK) y = values[s + off];
      else if (c === R_NA) y = NaN;
      else if (c === R_INF) {
        const v = values[s + off];
        y = v === -Infinity ? -Infinity : Infinity;
      } else {
        if (c === R_TEXT) series[s].text(at);
        continue;
      }
      series[s].add(x, y, at);
      const gt = this.gapOfTrain[s];
      if (gt >= 0) this.gaps[gt].train(x, y);
      const gv = this.gapOfVal[s];
      if (gv >= 0) this.gaps[gv].val(x, y, at);
    }
    this.tally.use();
  }

  skip(line: number, reason: SkipReason): void {
    this.tally.skip(line + this.lineShift, reason);
  }

  /** The report of what was read so far (the reader is unchanged: reading may go on). */
  report(format = this.info.format): TrainingLogReport {
    const counts = new RowCounts(1);
    counts.add(this.tally.rows(0));
    return buildLogReport(this, counts.summary(), format);
  }
}
