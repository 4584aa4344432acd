/**
 * Every metric of one binary model from its rows, in file order: the mean losses (Σw·ℓ / Σw,
 * Neumaier-summed in file order, so the result does not depend on how the file was split), the
 * confusion counts at the threshold and what follows from them, ROC AUC, average precision and
 * the calibration error; and for the report, each class's share of the log loss, the share
 * carried by the worst rows and the histogram of the probability given to the true class.
 *
 * The rows come as segments (the scan's chunks, in file order), not one array: at 1e7 rows a
 * concatenated copy of the scores, or a per-row loss array, would each add 80 MB to a report
 * whose scores already take 80 MB. Everything that needs the file order is done in one pass;
 * the ranking metrics then sort each segment's scores in place (see ranking.ts).
 */
import { neumaier } from '../../exactSum';
import { CalibrationBins } from './calibration';
import { BINARY_TERMS, BinaryParams, logitTerms, probabilityTerms, scoreThreshold, sigmoid, T_LOG } from './losses';
import { MarginCounts, marginOf, type MarginHistogram } from './margins';
import { radixSort, ranking, rankingOfSegments } from './ranking';
import type { BinaryMetricKey, BinaryMetrics, LossShare } from './report';
import { countMetrics, ThresholdBuckets, thresholdGrid, type ThresholdTable } from './thresholds';
import type { MeanSums } from '../../intervals/mean';
import type { ConfusionSums, EceSums } from '../../intervals/confusion';

export type { BinaryMetricKey, BinaryMetrics };

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
export function binaryStatsOfSegments(segments: RowSegment[], logits: boolean, q: BinaryParams, grid = false): BinaryModelStats {
  let n = 0;
  for (const g of segments) n += g.y.length;
  const weighted = segments.some((g) => g.w !== null);
  const nt = BINARY_TERMS.length;
  const sums = new Float64Array(2 * (nt + 1));
  // Σw·ℓ² per term and Σw² (Neumaier, file order), Σw² of each class (for DeLong's effective sizes).
  const squares = new Float64Array(2 * (nt + 1));
  const classW2 = [0, 0];
  // Σw² per confusion cell at the threshold ([tn, fp, fn, tp]): a row is predicted positive when s ≥ cut, as the buckets decide.
  const cellW2 = [0, 0, 0, 0];
  const cut = scoreThreshold(q.threshold, logits);
  const terms = new Float64Array(nt);
  // The confusion counts at q.threshold come from the same buckets as the grid's (thresholds.ts).
  const buckets = new ThresholdBuckets(grid ? thresholdGrid(q.threshold) : [q.threshold], logits, weighted);
  const margins = new MarginCounts();
  let all = 0;
  let mine0 = 0;
  let mine1 = 0;
  const cal = new CalibrationBins();
  const hist = new Array<number>(20).fill(0);
  // Per row, a coarse bucket of its log loss (for the worst rows' shares, below).
  const lossBucket = new Uint8Array(n);
  const bucketRows = new Float64Array(LOSS_BUCKETS);
  let i = 0;
  for (const { y, s, w } of segments) {
    for (let r = 0; r < y.length; r++, i++) {
      const yi = y[r];
      const si = s[r];
      const wi = w ? w[r] : 1;
      if (logits) logitTerms(si, yi, q, terms);
      else probabilityTerms(si, yi, q, terms);
      for (let k = 0; k < nt; k++) {
        neumaier(sums, 2 * k, wi * terms[k]);
        neumaier(squares, 2 * k, wi * terms[k] * terms[k]);
      }
      neumaier(sums, 2 * nt, wi);
      neumaier(squares, 2 * nt, wi * wi);
      classW2[yi ? 1 : 0] += wi * wi;
      cellW2[(yi ? 2 : 0) + (si >= cut ? 1 : 0)] += wi * wi;
      const loss = terms[T_LOG];
      const l = wi * loss;
      all += l;
      if (yi) mine1 += l;
      else mine0 += l;
      const b = lossBucketOf(loss);
      lossBucket[i] = b;
      bucketRows[b]++;
      const p1 = logits ? sigmoid(si) : si;
      buckets.add(si, p1, yi, wi);
      margins.add(marginOf(si, yi, logits));
      cal.add(p1, yi, wi);
      const pt = yi ? p1 : 1 - p1;
      hist[Math.min(19, Math.max(0, Math.floor(pt * 20)))]++;
    }
  }
  const W2 = squares[2 * nt] + squares[2 * nt + 1];
  const moment = (s1: number, s2: number): MeanSums => ({ rows: n, w: sums[2 * nt] + sums[2 * nt + 1], w2: W2, s1, s2 });
  const robustness = worstShares(segments, logits, q, weighted, n, all, lossBucket, bucketRows);
  const W = sums[2 * nt] + sums[2 * nt + 1];
  const mean = (k: number) => (sums[2 * k] + sums[2 * k + 1]) / W;
  // Last: it reorders the scores.
  const rank = weighted ? ranking(...concatenated(segments, n)) : rankingOfSegments(segments, lossBucket);
  const thresholds = buckets.table(W);
  const at = thresholds.values.indexOf(q.threshold);
  const [tn, fp, fn, tp] = [thresholds.tn[at], thresholds.fp[at], thresholds.fn[at], thresholds.tp[at]];
  const counted = countMetrics(tn, fp, fn, tp, W);
  if (weighted) {
    rank.delong.pos.w2 = classW2[1];
    rank.delong.neg.w2 = classW2[0];
  }
  const moments = {} as Record<MeanKey, MeanSums>;
  BINARY_TERMS.forEach((k, j) => (moments[k] = moment(sums[2 * j] + sums[2 * j + 1], squares[2 * j] + squares[2 * j + 1])));
  moments.accuracy = moment(tp + tn, tp + tn);
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
    ece: cal.result().ece,
  };
  return {
    metrics,
    confusion: { counts: [[tn, fp], [fn, tp]] },
    roc: rank.roc,
    pr: rank.pr,
    reliability: cal.result().bins,
    logLossOfClass: [mine0, mine1],
    logLossTotal: all,
    robustness,
    trueClassHistogram: hist,
    marginHistogram: margins.result(),
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

/*
 * The worst rows' shares need the largest 10% of the row losses in descending order (the sums
 * are taken in that order), without keeping 8 bytes of loss per row or sorting all of them.
 * The file-order pass puts each row's loss in one of LOSS_BUCKETS buckets, monotone in the loss
 * (a quarter octave each, from its float64 exponent and top two fraction bits); the rows of the
 * buckets that hold the largest k losses are then gathered (their loss computed again, the same
 * way) and only those are sorted. Ties cannot be split wrongly: a bucket is taken whole.
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

function worstShares(
  segments: RowSegment[],
  logits: boolean,
  q: BinaryParams,
  weighted: boolean,
  n: number,
  total: number,
  lossBucket: Uint8Array,
  bucketRows: Float64Array,
): { worst1: LossShare; worst10: LossShare } {
  const { from, above } = worstBuckets(bucketRows, n);
  const loss = new Float64Array(above);
  const weight = weighted ? new Float64Array(above) : null;
  const terms = new Float64Array(BINARY_TERMS.length);
  let m = 0;
  let i = 0;
  for (const { y, s, w } of segments) {
    for (let r = 0; r < y.length; r++, i++) {
      if (lossBucket[i] < from) continue;
      if (logits) logitTerms(s[r], y[r], q, terms);
      else probabilityTerms(s[r], y[r], q, terms);
      loss[m] = terms[T_LOG];
      if (weight) weight[m] = w ? w[r] : 1;
      m++;
    }
  }
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
