/**
 * The confusion counts of a binary model at a grid of thresholds, for the report's threshold
 * slider: T = 0.001, 0.002, …, 0.999 and the report's own threshold. A row is predicted positive
 * at T when its score s ≥ cut(T) (T on probabilities, log(T / (1 − T)) on logits: losses.ts'
 * scoreThreshold), so the counts at a grid T are those the CLI gives with `--threshold T`, ties at
 * the threshold included (positive).
 *
 * The file-order pass puts each row in the bucket of the cuts it reaches (b = how many cuts are
 * ≤ s); the counts at a cut are then sums of buckets. Unweighted, these are whole numbers, exact.
 * Weighted, each bucket is an exact sum (ExactSum) and so are the sums of buckets, so every count
 * is the correctly rounded sum of its rows' weights whatever the buckets: the report's confusion
 * matrix (at its threshold, one of the cuts) is read off the same table, and equals the CLI's
 * with `--threshold T` for any other cut set.
 *
 * ROC points cannot give these counts: ranking.ts keeps at most 500 of them, without their scores.
 */
import { ExactSum, type SerializedSum } from '../../exactSum';
import { scoreThreshold } from './losses';

/** The slider's grid: T = k / THRESHOLD_STEPS for k = 1 … THRESHOLD_STEPS − 1. */
export const THRESHOLD_STEPS = 1000;

/** Confusion counts (weighted: sums of weights) at each threshold of `values`, ascending. */
export interface ThresholdTable {
  values: number[];
  tn: number[];
  fp: number[];
  fn: number[];
  tp: number[];
  /** Σ weights (rows, unweighted): the accuracy's denominator. */
  total: number;
}

/** The grid and the report's threshold, ascending, without duplicates. */
export function thresholdGrid(threshold: number): number[] {
  const out: number[] = [];
  for (let k = 1; k < THRESHOLD_STEPS; k++) out.push(k / THRESHOLD_STEPS);
  if (!out.includes(threshold)) out.push(threshold);
  return out.sort((a, b) => a - b);
}

/** ThresholdBuckets as plain data: the counts (unweighted), or the non-empty buckets' exact sums. */
export interface ThresholdState {
  counts: number[] | null;
  sums: [number, SerializedSum][] | null;
}

/** Per-row bucket counts of the file-order pass, and the table they make. */
export class ThresholdBuckets {
  readonly values: number[];
  private readonly cuts: Float64Array;
  /** Unweighted: rows per bucket and class ([negative, positive] interleaved). */
  private readonly counts: Float64Array | null;
  /** Weighted: exact Σ w per bucket and class, allocated as rows arrive. */
  private readonly sums: (ExactSum | undefined)[] | null;

  /** `values`: the thresholds, ascending (thresholdGrid, or the report's threshold alone). */
  constructor(values: number[], logits: boolean, weighted: boolean) {
    this.values = values;
    this.cuts = Float64Array.from(this.values, (t) => scoreThreshold(t, logits));
    const slots = 2 * (this.values.length + 1);
    this.counts = weighted ? null : new Float64Array(slots);
    this.sums = weighted ? new Array<ExactSum | undefined>(slots) : null;
  }

  /**
   * Adds a row: its score s, its probability of the positive class p1 (s itself on
   * probabilities, σ(s) on logits: only a first guess of the bucket), its class and weight.
   */
  add(s: number, p1: number, y: number, w: number): void {
    const cuts = this.cuts;
    const k = cuts.length;
    let b = Math.floor(p1 * THRESHOLD_STEPS);
    if (!(b >= 0)) b = 0;
    else if (b > k) b = k;
    while (b < k && s >= cuts[b]) b++;
    while (b > 0 && s < cuts[b - 1]) b--;
    const slot = 2 * b + (y ? 1 : 0);
    if (this.counts) this.counts[slot]++;
    else if (this.sums) (this.sums[slot] ??= new ExactSum()).add(w);
  }

  /** The buckets as plain data (to post to another thread): exact, so merging them in any order gives the same table. */
  state(): ThresholdState {
    if (this.counts) return { counts: Array.from(this.counts), sums: null };
    const sums: [number, SerializedSum][] = [];
    (this.sums ?? []).forEach((x, i) => x && sums.push([i, x.serialize()]));
    return { counts: null, sums };
  }

  /** Adds the rows of another range's buckets (same thresholds and weighting). */
  merge(o: ThresholdState): void {
    if (this.counts && o.counts) for (let i = 0; i < o.counts.length; i++) this.counts[i] += o.counts[i];
    if (this.sums && o.sums) for (const [i, x] of o.sums) (this.sums[i] ??= new ExactSum()).merge(x);
  }

  /** The counts at every threshold; `total` is the accuracy's denominator (Σ w as the metrics sum it). */
  table(total: number): ThresholdTable {
    const k = this.values.length;
    const t: ThresholdTable = { values: this.values, tn: new Array(k), fp: new Array(k), fn: new Array(k), tp: new Array(k), total };
    // At cut j the rows of buckets b > j are predicted positive, those of b ≤ j negative.
    if (this.counts) {
      const c = this.counts;
      let neg = 0;
      let pos = 0;
      for (let j = 0; j < k; j++) {
        neg += c[2 * j];
        pos += c[2 * j + 1];
        t.tn[j] = neg;
        t.fn[j] = pos;
      }
      neg = 0;
      pos = 0;
      for (let j = k - 1; j >= 0; j--) {
        neg += c[2 * (j + 1)];
        pos += c[2 * (j + 1) + 1];
        t.fp[j] = neg;
        t.tp[j] = pos;
      }
      return t;
    }
    const s = this.sums ?? [];
    const below = [new ExactSum(), new ExactSum()];
    for (let j = 0; j < k; j++) {
      for (const y of [0, 1]) {
        const x = s[2 * j + y];
        if (x) below[y].merge(x);
      }
      t.tn[j] = below[0].value();
      t.fn[j] = below[1].value();
    }
    const above = [new ExactSum(), new ExactSum()];
    for (let j = k - 1; j >= 0; j--) {
      for (const y of [0, 1]) {
        const x = s[2 * (j + 1) + y];
        if (x) above[y].merge(x);
      }
      t.fp[j] = above[0].value();
      t.tp[j] = above[1].value();
    }
    return t;
  }
}

/** The metrics that follow from the confusion counts (what the threshold sets). */
export interface CountMetrics {
  accuracy: number;
  /** null when no class is present. */
  balancedAccuracy: number | null;
  precision: number;
  recall: number;
  f1: number;
  mcc: number;
}

/**
 * The threshold's metrics from the confusion counts and the Σ weights `total`, as scikit-learn
 * gives them: precision, recall, F1 of the positive class, 0 when undefined (zero_division).
 */
export function countMetrics(tn: number, fp: number, fn: number, tp: number, total: number): CountMetrics {
  const precision = tp + fp > 0 ? tp / (tp + fp) : 0;
  const recall = tp + fn > 0 ? tp / (tp + fn) : 0;
  const specificity = tn + fp > 0 ? tn / (tn + fp) : 0;
  // balanced_accuracy_score: the mean recall of the classes present in y_true.
  const present = (tp + fn > 0 ? 1 : 0) + (tn + fp > 0 ? 1 : 0);
  return {
    accuracy: (tp + tn) / total,
    balancedAccuracy: present > 0 ? ((tp + fn > 0 ? recall : 0) + (tn + fp > 0 ? specificity : 0)) / present : null,
    precision,
    recall,
    f1: precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0,
    mcc: mcc(tn, fp, fn, tp),
  };
}

/** matthews_corrcoef from the binary confusion counts (0 when a marginal is empty, as scikit-learn). */
export function mcc(tn: number, fp: number, fn: number, tp: number): number {
  // scikit-learn's multiclass form: cov(y, ŷ) / sqrt(cov(y, y)·cov(ŷ, ŷ)) from the confusion matrix.
  const s = tn + fp + fn + tp;
  const c = tn + tp;
  const t = [tn + fp, fn + tp]; // true counts per class
  const p = [tn + fn, fp + tp]; // predicted counts per class
  const covYtYp = c * s - (t[0] * p[0] + t[1] * p[1]);
  const covYpYp = s * s - (p[0] * p[0] + p[1] * p[1]);
  const covYtYt = s * s - (t[0] * t[0] + t[1] * t[1]);
  if (covYtYt * covYpYp === 0) return 0;
  return covYtYp / Math.sqrt(covYtYt * covYpYp);
}

/** The counts and metrics at threshold index i of a table. */
export interface ThresholdPoint extends CountMetrics {
  index: number;
  threshold: number;
  /** [[tn, fp], [fn, tp]]: true classes as rows. */
  counts: [[number, number], [number, number]];
}

export function thresholdAt(t: ThresholdTable, i: number): ThresholdPoint {
  const [tn, fp, fn, tp] = [t.tn[i], t.fp[i], t.fn[i], t.tp[i]];
  return { index: i, threshold: t.values[i], counts: [[tn, fp], [fn, tp]], ...countMetrics(tn, fp, fn, tp, t.total) };
}

/** The index of the table's threshold nearest to T (the first of two equally near). */
export function thresholdIndex(t: Pick<ThresholdTable, 'values'>, threshold: number): number {
  const v = t.values;
  let best = 0;
  for (let i = 1; i < v.length; i++) if (Math.abs(v[i] - threshold) < Math.abs(v[best] - threshold)) best = i;
  return best;
}
