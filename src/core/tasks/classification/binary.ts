/**
 * Every metric of one binary model from its rows: the mean losses (Σw·ℓ / Σw), the confusion
 * counts at the threshold and what follows from them, ROC AUC, average precision and the
 * calibration error; and for the report, each class's share of the log loss, the share carried by
 * the worst rows and the histogram of the probability given to the true class. The per-row sums
 * come from rowPass.ts (summed in the file's blocks, so the result does not depend on how the file
 * was split, nor on which thread ran the pass).
 *
 * The rows come as segments (the scan's chunks, in file order), not one array: at 1e7 rows a
 * concatenated copy of the scores, or a per-row loss array, would each add 80 MB to a report
 * whose scores already take 80 MB. The ranking metrics sort each segment's scores in place
 * (see ranking.ts).
 */
import { BINARY_TERMS, BinaryParams, logitTerms, probabilityTerms, T_LOG } from './losses';
import type { MarginHistogram } from './margins';
import { radixSort, ranking, rankingOfSegments } from './ranking';
import type { BinaryMetricKey, BinaryMetrics, LossShare } from './report';
import { BinaryPass, LOSS_BUCKETS, passOfSegments } from './rowPass';
import { countMetrics, type ThresholdTable } from './thresholds';
import type { MeanSums } from '../../intervals/mean';
import type { ConfusionSums, EceSums } from '../../intervals/confusion';

export type { BinaryMetricKey, BinaryMetrics };
export { LOSS_BUCKETS, lossBucketOf } from './rowPass';

/** Confusion counts (weighted) at the threshold: true classes as rows, [negative, positive]. */
export interface BinaryConfusion {
  /** [[tn, fp], [fn, tp]] */
  counts: [[number, number], [number, number]];
}

export interface BinaryModelStats {
  metrics: BinaryMetrics;
  confusion: BinaryConfusion;
  roc: { fpr: number[]; tpr: number[] };
  pr: { recall: number[]; precision: number[] };
  reliability: { lo: number; hi: number; rows: number; confidence: number; accuracy: number }[];
  /** Σ w·log loss over the rows of each class, [negative, positive], and over all rows (file order). */
  logLossOfClass: [number, number];
  logLossTotal: number;
  /** The share of the log loss carried by the worst 1% and 10% of rows. */
  robustness: { worst1: LossShare; worst10: LossShare };
  /** Probability given to the true class: counts in 20 equal bins over [0, 1]. */
  trueClassHistogram: number[];
  /** Rows by margin (log-odds of the true class): margins.ts. */
  marginHistogram: MarginHistogram;
  /** The confusion counts at every threshold of the grid and at q.threshold (`grid`), else at q.threshold alone. */
  thresholds: ThresholdTable;
  /** The sums behind each mean (Σw, Σw², Σwℓ, Σwℓ²), for the intervals; accuracy's ℓ is 1 for a right decision. */
  moments: Record<MeanKey, MeanSums>;
  /** DeLong's placement sums of ROC AUC (ranking.ts). */
  delong: { pos: MeanSums; neg: MeanSums };
  /** The confusion cells at the threshold, [tn, fp, fn, tp]: Σw and Σw² (the intervals of precision … MCC). */
  cells: ConfusionSums;
  /** The calibration bins' sums for ECE's interval. */
  eceSums: EceSums;
}

/** The binary metrics that are a mean of a per-row value. */
export const MEAN_KEYS = ['logLoss', 'bce', 'focal', 'brier', 'hinge', 'accuracy'] as const;
export type MeanKey = (typeof MEAN_KEYS)[number];

/**
 * One segment of a model's rows, in file order: y[i] is 1 for the positive class (a Uint16Array
 * when it is the scan's label chunk, mapped to 0/1 in place), s[i] the score, w the weights or null.
 */
export interface RowSegment {
  y: Uint8Array | Uint16Array;
  s: Float64Array;
  w: Float64Array | null;
}


/**
 * Where the per-row pass comes from (rowPass.ts): run by the scan threads (`pass`, with each
 * row's loss bucket in chunks aligned with the segments), or run here over the segments, summed
 * in the blocks of `blockRows` (the rows of each of the file's blocks, in order; absent: one block).
 */
export interface RowsPass {
  pass?: { pass: BinaryPass; lossBuckets: Uint8Array[] };
  blockRows?: readonly number[];
}

/**
 * `y[i]` is 1 for the positive class, `s[i]` the score (a probability, or a logit when `logits`),
 * `w` the weights or null. Sorts `s` in place (see binaryStatsOfSegments).
 */
export function binaryStats(y: Uint8Array, s: Float64Array, w: Float64Array | null, logits: boolean, q: BinaryParams, grid = false): BinaryModelStats {
  return binaryStatsOfSegments([{ y, s, w }], logits, q, grid);
}

/**
 * The stats of the rows of `segments`, taken in order. Consumes the scores: once the file-order
 * pass is done, the ranking metrics sort each segment's `s` in place. `grid`: the confusion counts
 * at the slider's thresholds too (thresholds.ts), not only at q.threshold.
 */
export function binaryStatsOfSegments(segments: RowSegment[], logits: boolean, q: BinaryParams, grid = false, rows: RowsPass = {}): BinaryModelStats {
  let n = 0;
  for (const g of segments) n += g.y.length;
  const weighted = segments.some((g) => g.w !== null);
  let pass: BinaryPass;
  let lossBuckets: Uint8Array[];
  // The ranking's one byte per row: the loss buckets' own bytes, free once the worst rows are gathered.
  let scratch: Uint8Array | Uint8Array[];
  if (rows.pass) {
    pass = rows.pass.pass;
    lossBuckets = rows.pass.lossBuckets;
    scratch = lossBuckets;
  } else {
    const bytes = new Uint8Array(n);
    scratch = bytes;
    pass = passOfSegments(segments, rows.blockRows ?? [n], logits, q, weighted, grid, bytes);
    let at = 0;
    lossBuckets = segments.map((g) => bytes.subarray(at, (at += g.y.length)));
  }
  const sums = pass.sums();
  const cal = pass.calibration();
  const moment = (s1: number, s2: number): MeanSums => ({ rows: n, w: sums.w, w2: sums.w2, s1, s2 });
  const robustness = worstShares(segments, logits, q, weighted, n, sums.all, lossBuckets, pass.bucketRows);
  const W = sums.w;
  const mean = (k: number) => sums.sum[k] / W;
  // Last: it reorders the scores and overwrites the loss buckets.
  const rank = weighted ? ranking(...concatenated(segments, n)) : rankingOfSegments(segments, scratch);
  const thresholds = pass.buckets.table(W);
  const at = thresholds.values.indexOf(q.threshold);
  const [tn, fp, fn, tp] = [thresholds.tn[at], thresholds.fp[at], thresholds.fn[at], thresholds.tp[at]];
  const counted = countMetrics(tn, fp, fn, tp, W);
  if (weighted) {
    rank.delong.pos.w2 = sums.classW2[1];
    rank.delong.neg.w2 = sums.classW2[0];
  }
  const moments = {} as Record<MeanKey, MeanSums>;
  BINARY_TERMS.forEach((k, j) => (moments[k] = moment(sums.sum[j], sums.square[j])));
  moments.accuracy = moment(tp + tn, tp + tn);
  const calibration = cal.result();
  const metrics: BinaryMetrics = {
    logLoss: mean(0),
    bce: mean(1),
    focal: mean(2),
    brier: mean(3),
    hinge: logits ? mean(4) : null,
    accuracy: counted.accuracy,
    balancedAccuracy: counted.balancedAccuracy,
    precision: counted.precision,
    recall: counted.recall,
    f1: counted.f1,
    mcc: counted.mcc,
    rocAuc: rank.rocAuc,
    averagePrecision: rank.averagePrecision,
    ece: calibration.ece,
  };
  const cellW2 = sums.cellW2;
  return {
    metrics,
    confusion: { counts: [[tn, fp], [fn, tp]] },
    roc: rank.roc,
    pr: rank.pr,
    reliability: calibration.bins,
    logLossOfClass: sums.mine,
    logLossTotal: sums.all,
    robustness,
    trueClassHistogram: Array.from(pass.trueClass),
    marginHistogram: pass.margins.result(),
    thresholds,
    moments,
    delong: rank.delong,
    cells: { w: [tn, fp, fn, tp], w2: weighted ? [cellW2[0], cellW2[1], cellW2[2], cellW2[3]] : [tn, fp, fn, tp] },
    eceSums: cal.eceSums(),
  };
}

/** The weighted ranking's input: the segments as one array each (weights: 1 where a segment has none). */
function concatenated(segments: RowSegment[], n: number): [Float64Array, Uint8Array, Float64Array] {
  const s = new Float64Array(n);
  const y = new Uint8Array(n);
  const w = new Float64Array(n);
  let at = 0;
  for (const g of segments) {
    s.set(g.s, at);
    y.set(g.y, at);
    if (g.w) w.set(g.w, at);
    else w.fill(1, at, at + g.y.length);
    at += g.y.length;
  }
  return [s, y, w];
}

function worstShares(
  segments: RowSegment[],
  logits: boolean,
  q: BinaryParams,
  weighted: boolean,
  n: number,
  total: number,
  lossBuckets: Uint8Array[],
  bucketRows: Float64Array,
): { worst1: LossShare; worst10: LossShare } {
  const { from, above } = worstBuckets(bucketRows, n);
  const loss = new Float64Array(above);
  const weight = weighted ? new Float64Array(above) : null;
  const terms = new Float64Array(BINARY_TERMS.length);
  let m = 0;
  segments.forEach(({ y, s, w }, g) => {
    const lossBucket = lossBuckets[g];
    for (let r = 0; r < y.length; r++) {
      if (lossBucket[r] < from) continue;
      if (logits) logitTerms(s[r], y[r], q, terms);
      else probabilityTerms(s[r], y[r], q, terms);
      loss[m] = terms[T_LOG];
      if (weight) weight[m] = w ? w[r] : 1;
      m++;
    }
  });
  return sharesOfWorst(loss, weight, n, total);
}

/** The lowest loss bucket that, with those above it, holds the worst 10% of the n rows; and how many rows those buckets hold. */
export function worstBuckets(bucketRows: Float64Array, n: number): { from: number; above: number } {
  const k10 = Math.min(n, Math.max(1, Math.ceil(0.1 * n)));
  let from = LOSS_BUCKETS - 1;
  let above = bucketRows[from];
  while (from > 0 && above < k10) above += bucketRows[--from];
  return { from, above };
}

/**
 * The worst 1% and 10% of n rows' shares of `total` from `loss` (the losses of the rows of the
 * worst buckets, in file order; `weight` theirs or null): sums taken worst first, the largest
 * loss first and ties to the earlier row, as a sort of all n rows would order them. Reorders `loss`.
 */
export function sharesOfWorst(loss: Float64Array, weight: Float64Array | null, n: number, total: number): { worst1: LossShare; worst10: LossShare } {
  const m = loss.length;
  const kOf = (f: number) => Math.max(1, Math.ceil(f * n));
  // Worst first: the largest loss, ties to the earlier row (as a full sort of all rows would).
  let top: (j: number) => number;
  let topWeight: (j: number) => number;
  if (weight) {
    const idx = new Uint32Array(m);
    for (let j = 0; j < m; j++) idx[j] = j;
    idx.sort((a, b) => loss[b] - loss[a] || a - b);
    top = (j) => loss[idx[j]];
    topWeight = (j) => weight[idx[j]];
  } else {
    radixSort(loss);
    top = (j) => loss[m - 1 - j];
    topWeight = () => 1;
  }
  const share = (f: number): LossShare => {
    const k = kOf(f);
    let sum = 0;
    let thr = 0;
    for (let j = 0; j < k && j < m; j++) {
      const v = top(j);
      sum += weight ? topWeight(j) * v : v;
      thr = v;
    }
    return { rows: k, share: total > 0 && Number.isFinite(total) ? Math.min(1, sum / total) : null, threshold: thr };
  };
  return { worst1: share(0.01), worst10: share(0.1) };
}
