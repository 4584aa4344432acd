/**
 * The per-row pass of one binary model: the sums behind the mean losses and their intervals, the
 * confusion counts at every threshold of the slider, the calibration bins, the margin and
 * true-class histograms, and each row's loss bucket (for the worst rows' shares).
 *
 * It runs where the rows are: in the scan threads when the classes and the score kind could be
 * known before the scan (the plan's guess from the file's first rows, checked by the report
 * builder), else over the stored rows on the builder's thread. Either way the rows are summed in
 * the engine's blocks (family.ts: the rows of one BLOCK_BYTES block of the file, in file order):
 * within a block with Neumaier's compensation (the mean losses, Σw, Σw²) or plainly (the rest),
 * and the blocks' sums added exactly (ExactSum). So the result is the same to the last bit on any
 * number of threads and whichever thread ran the pass.
 */
import { ExactSum, neumaier, type SerializedSum } from '../../exactSum';
import { CalibrationBins, eceBin, ECE_BINS } from './calibration';
import { BINARY_TERMS, BinaryParams, logitTerms, probabilityTerms, scoreThreshold, sigmoid, T_LOG } from './losses';
import { MARGIN_BINS, MarginCounts, marginOf } from './margins';
import { ThresholdBuckets, thresholdGrid, type ThresholdState } from './thresholds';

const NT = BINARY_TERMS.length;
/** Compensated slots: Σw·ℓ per term (0 … NT−1), Σw·ℓ² per term (NT …), Σw (2NT), Σw² (2NT + 1). */
const N_COMP = 2 * NT + 2;
const C_W = 2 * NT;
const C_W2 = 2 * NT + 1;
/** Plain slots: Σw² per class (2), per confusion cell (4), the log loss of all rows, of each class, then the calibration bins. */
const P_CLASS_W2 = 0;
const P_CELL_W2 = 2;
const P_ALL = 6;
const P_MINE0 = 7;
const P_MINE1 = 8;
const P_CAL = 9;
/** Per calibration bin: Σw, Σw·confidence, Σw·correct, Σw², Σw²·x, Σw²·x² (x = correct − confidence). */
const CAL_SUMS = 6;
const N_PLAIN = P_CAL + CAL_SUMS * ECE_BINS;

/** Bins of the histogram of the probability given to the true class. */
export const TRUE_CLASS_BINS = 20;

/*
 * The worst rows' shares need the largest 10% of the row losses in descending order, without
 * keeping 8 bytes of loss per row or sorting all of them: the pass puts each row's loss in one of
 * LOSS_BUCKETS buckets, monotone in the loss (a quarter octave each, from its float64 exponent and
 * top two fraction bits); binary.ts then gathers the rows of the buckets that hold the largest k.
 */
export const LOSS_BUCKETS = 256;
/** Losses below 2^-40 share bucket 0; 2^23 and above (and −0, ∞, NaN) the last. */
const BUCKET_BASE = (1023 - 40) * 4;
const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;

export function lossBucketOf(loss: number): number {
  f64[0] = loss;
  const b = (u32[HI] >>> 18) - BUCKET_BASE;
  return b < 0 ? 0 : b > LOSS_BUCKETS - 1 ? LOSS_BUCKETS - 1 : b;
}

/** A pass as plain data (structured-clone friendly), to post from a scan thread and merge. */
export interface BinaryPassState {
  rows: number;
  /** N_COMP compensated then N_PLAIN plain slots, each the exact sum of its blocks. */
  totals: SerializedSum[];
  trueClass: number[];
  margins: { counts: number[]; below: number; above: number };
  bucketRows: number[];
  thresholds: ThresholdState;
}

/** The sums of a finished pass, as binary.ts reads them. */
export interface PassSums {
  rows: number;
  /** Σw·ℓ and Σw·ℓ² per term (BINARY_TERMS order). */
  sum: number[];
  square: number[];
  w: number;
  w2: number;
  classW2: [number, number];
  cellW2: [number, number, number, number];
  /** Σw·log loss over all rows, and over each class's. */
  all: number;
  mine: [number, number];
}

export class BinaryPass {
  private readonly comp = new Float64Array(2 * N_COMP);
  private readonly plain = new Float64Array(N_PLAIN);
  private readonly totals: ExactSum[] = Array.from({ length: N_COMP + N_PLAIN }, () => new ExactSum());
  private readonly terms = new Float64Array(NT);
  private readonly cut: number;
  readonly trueClass = new Float64Array(TRUE_CLASS_BINS);
  readonly margins = new MarginCounts();
  readonly bucketRows = new Float64Array(LOSS_BUCKETS);
  readonly buckets: ThresholdBuckets;
  rows = 0;
  private open = false;

  /** `grid`: the confusion counts at the slider's thresholds too, not only at q.threshold. */
  constructor(
    private readonly logits: boolean,
    private readonly q: BinaryParams,
    weighted: boolean,
    grid: boolean,
  ) {
    this.cut = scoreThreshold(q.threshold, logits);
    this.buckets = new ThresholdBuckets(grid ? thresholdGrid(q.threshold) : [q.threshold], logits, weighted);
  }

  /** One row (y 1 for the positive class, s its score, w its weight): returns its loss bucket. */
  add(yi: number, si: number, wi: number): number {
    const terms = this.terms;
    const comp = this.comp;
    const plain = this.plain;
    if (this.logits) logitTerms(si, yi, this.q, terms);
    else probabilityTerms(si, yi, this.q, terms);
    for (let k = 0; k < NT; k++) {
      const t = wi * terms[k];
      neumaier(comp, 2 * k, t);
      neumaier(comp, 2 * (NT + k), t * terms[k]);
    }
    neumaier(comp, 2 * C_W, wi);
    const ww = wi * wi;
    neumaier(comp, 2 * C_W2, ww);
    plain[P_CLASS_W2 + (yi ? 1 : 0)] += ww;
    plain[P_CELL_W2 + (yi ? 2 : 0) + (si >= this.cut ? 1 : 0)] += ww;
    const loss = terms[T_LOG];
    const l = wi * loss;
    plain[P_ALL] += l;
    plain[yi ? P_MINE1 : P_MINE0] += l;
    const b = lossBucketOf(loss);
    this.bucketRows[b]++;
    const p1 = this.logits ? sigmoid(si) : si;
    this.buckets.add(si, p1, yi, wi);
    const pt = yi ? p1 : 1 - p1;
    if (this.logits) this.margins.add(marginOf(si, yi, true));
    else this.margins.addProbability(pt);
    // The calibration bin of the positive class's probability (CalibrationBins.add's sums).
    const c = P_CAL + CAL_SUMS * eceBin(p1);
    const x = yi - p1;
    plain[c] += wi;
    plain[c + 1] += wi * p1;
    plain[c + 2] += wi * yi;
    plain[c + 3] += ww;
    plain[c + 4] += ww * x;
    plain[c + 5] += ww * x * x;
    this.trueClass[Math.min(TRUE_CLASS_BINS - 1, Math.max(0, Math.floor(pt * TRUE_CLASS_BINS)))]++;
    this.rows++;
    this.open = true;
    return b;
  }

  /** Ends the current block: its sums are added, exactly, into the totals. */
  endBlock(): void {
    if (!this.open) return;
    const { comp, plain, totals } = this;
    for (let i = 0; i < N_COMP; i++) {
      const s = comp[2 * i];
      const c = comp[2 * i + 1];
      if (s !== 0) totals[i].add(s);
      if (c !== 0) totals[i].add(c);
      comp[2 * i] = 0;
      comp[2 * i + 1] = 0;
    }
    for (let j = 0; j < N_PLAIN; j++) {
      if (plain[j] !== 0) totals[N_COMP + j].add(plain[j]);
      plain[j] = 0;
    }
    this.open = false;
  }

  state(): BinaryPassState {
    this.endBlock();
    return {
      rows: this.rows,
      totals: this.totals.map((t) => t.serialize()),
      trueClass: Array.from(this.trueClass),
      margins: { counts: [...this.margins.counts], below: this.margins.below, above: this.margins.above },
      bucketRows: Array.from(this.bucketRows),
      thresholds: this.buckets.state(),
    };
  }

  /** Adds another pass's rows (a range of the same file, any order: every sum is exact). */
  merge(o: BinaryPassState): void {
    this.endBlock();
    this.rows += o.rows;
    o.totals.forEach((t, i) => this.totals[i].merge(t));
    o.trueClass.forEach((v, i) => (this.trueClass[i] += v));
    for (let i = 0; i < MARGIN_BINS; i++) this.margins.counts[i] += o.margins.counts[i];
    this.margins.below += o.margins.below;
    this.margins.above += o.margins.above;
    o.bucketRows.forEach((v, i) => (this.bucketRows[i] += v));
    this.buckets.merge(o.thresholds);
  }

  /** The sums, once every block has ended. */
  sums(): PassSums {
    this.endBlock();
    const v = (i: number) => this.totals[i].value();
    const p = (j: number) => v(N_COMP + j);
    return {
      rows: this.rows,
      sum: BINARY_TERMS.map((_, k) => v(k)),
      square: BINARY_TERMS.map((_, k) => v(NT + k)),
      w: v(C_W),
      w2: v(C_W2),
      classW2: [p(P_CLASS_W2), p(P_CLASS_W2 + 1)],
      cellW2: [p(P_CELL_W2), p(P_CELL_W2 + 1), p(P_CELL_W2 + 2), p(P_CELL_W2 + 3)],
      all: p(P_ALL),
      mine: [p(P_MINE0), p(P_MINE1)],
    };
  }

  /** The calibration bins (the reliability diagram, ECE and its interval's sums). */
  calibration(): CalibrationBins {
    this.endBlock();
    const bins = new CalibrationBins();
    const fields = [bins.weight, bins.confidence, bins.correct, bins.w2, bins.w2x, bins.w2x2];
    for (let b = 0; b < ECE_BINS; b++) fields.forEach((f, j) => (f[b] = this.totals[N_COMP + P_CAL + CAL_SUMS * b + j].value()));
    return bins;
  }
}

/** One segment of stored rows, in file order (y 0/1, s the scores, w the weights or null). */
export interface PassSegment {
  y: ArrayLike<number>;
  s: Float64Array;
  w: Float64Array | null;
}

/**
 * The pass over stored rows: `segments` in file order, `blockRows` the rows of each block in
 * order (they add up to the segments' rows). Each row's loss bucket goes to `lossBucket[i]`.
 */
export function passOfSegments(segments: PassSegment[], blockRows: readonly number[], logits: boolean, q: BinaryParams, weighted: boolean, grid: boolean, lossBucket: Uint8Array): BinaryPass {
  const pass = new BinaryPass(logits, q, weighted, grid);
  let b = 0;
  let left = blockRows[0] ?? Infinity;
  let i = 0;
  for (const { y, s, w } of segments) {
    for (let r = 0; r < y.length; r++, i++) {
      while (left === 0) {
        pass.endBlock();
        left = blockRows[++b] ?? Infinity;
      }
      lossBucket[i] = pass.add(y[r], s[r], w ? w[r] : 1);
      left--;
    }
  }
  pass.endBlock();
  return pass;
}
