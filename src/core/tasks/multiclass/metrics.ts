/**
 * Every metric of one multiclass model from its rows in file order: scikit-learn 1.2's log_loss
 * (clipped, rows renormalised), PyTorch's cross_entropy (label smoothing; on probabilities the
 * same formula over log p), focal (mean of −(1 − p_t)^γ·log p_t), Brier (Σ_k (p_k − [y = k])²),
 * Crammer–Singer hinge (scikit-learn's hinge_loss, on logits only), accuracy (argmax), macro
 * precision, recall and F1, balanced accuracy, MCC, one-vs-rest macro ROC AUC and average
 * precision, and top-label ECE (torchmetrics).
 */
import { neumaier } from '../../exactSum';
import { CalibrationBins } from '../classification/calibration';
import { LOG_LOSS_EPS } from '../classification/losses';
import { ranking, rankingOfSegments } from '../classification/ranking';
import type { MeanSums } from '../../intervals/mean';
import type { EceSums } from '../../intervals/confusion';
import type { MultiCells } from '../../intervals/multiConfusion';
import { macroRankInfluences } from './influences';
import { influenceSe } from '../../intervals/rankInfluence';

/** The multiclass metrics that are a mean of a per-row value (accuracy's is 1 for a right argmax). */
export const MULTI_MEAN_KEYS = ['logLoss', 'crossEntropy', 'focal', 'brier', 'hinge', 'accuracy'] as const;
export type MultiMeanKey = (typeof MULTI_MEAN_KEYS)[number];

export type MultiMetricKey =
  | 'logLoss'
  | 'crossEntropy'
  | 'focal'
  | 'brier'
  | 'hinge'
  | 'accuracy'
  | 'balancedAccuracy'
  | 'precision'
  | 'recall'
  | 'f1'
  | 'mcc'
  | 'rocAuc'
  | 'averagePrecision'
  | 'ece';

export type MultiMetrics = Record<MultiMetricKey, number | null>;

export interface MultiParams {
  gamma: number;
  labelSmoothing: number;
}

export interface MultiModelStats {
  metrics: MultiMetrics;
  /** Weighted counts, true classes as rows, predicted as columns. */
  confusion: number[][];
  perClass: { support: number; precision: number; recall: number; f1: number; logLossShare: number | null }[];
  rowLoss: Float64Array;
  reliability: ReturnType<CalibrationBins['result']>['bins'];
  /** Rows whose cross-entropy is not finite (a probability of 0 given to the true class). */
  nonFiniteCE: number;
  /** Classes without a row (ROC AUC and average precision undefined). */
  absent: number[];
  /** The sums behind each mean (Σw, Σw², Σwℓ, Σwℓ²), for the intervals. */
  moments: Record<MultiMeanKey, MeanSums>;
  /** With `keepRows`: per row, its values in MULTI_MEAN_KEYS order (6 a row), for the paired comparisons. */
  rows: Float64Array | null;
  /** The confusion cells (Σw, Σw² per cell), for the delta method (intervals/multiConfusion.ts). */
  cells: MultiCells;
  /** The calibration bins' sums, for ECE's interval. */
  eceSums: EceSums;
  /** With `intervals`: the standard errors of macro ROC AUC and AP (null: undefined). */
  rankSe: { auc: number | null; ap: number | null } | null;
  /** With `intervals` and `keepRows`: per row, its influence on macro ROC AUC and AP (intervals/rankInfluence.ts), for the comparisons. */
  influence: { auc: Float64Array; ap: Float64Array } | null;
  /** With `keepRows`: per row, the decision (argmax) and its probability (ECE's confidence). */
  decision: Int32Array | null;
  top: Float64Array | null;
}


/** `y[i]` the class index of row i, `s` its k scores (row-major), `w` the weights or null. */
export function multiStats(y: Int32Array, s: Float64Array, k: number, w: Float64Array | null, logits: boolean, q: MultiParams, keepRows = false, intervals = false): MultiModelStats {
  const n = y.length;
  const sums = new Float64Array(2 * 6); // logLoss, crossEntropy, focal, brier, hinge, weight
  const squares = new Float64Array(2 * 6); // the same of ℓ², and Σw²
  const kept = keepRows ? new Float64Array(6 * n) : null;
  const row = new Float64Array(5);
  const p = new Float64Array(k);
  const lp = new Float64Array(k);
  // Probabilities for AUC/AP: the scores themselves, or the softmax of logits.
  const probs = logits ? new Float64Array(n * k) : s;
  const conf = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  const cellW2 = new Float64Array(k * k);
  const decision = keepRows ? new Int32Array(n) : null;
  const topOf = keepRows ? new Float64Array(n) : null;
  const rowLoss = new Float64Array(n);
  const cal = new CalibrationBins();
  let nonFiniteCE = 0;
  const E = q.labelSmoothing;
  for (let i = 0; i < n; i++) {
    const yi = y[i];
    const wi = w ? w[i] : 1;
    const o = i * k;
    let arg = 0;
    for (let c = 1; c < k; c++) if (s[o + c] > s[o + arg]) arg = c;
    let logLoss: number;
    if (logits) {
      const mx = s[o + arg];
      let se = 0;
      for (let c = 0; c < k; c++) se += Math.exp(s[o + c] - mx);
      const lse = Math.log(se);
      for (let c = 0; c < k; c++) {
        lp[c] = s[o + c] - mx - lse;
        p[c] = Math.exp(lp[c]);
      }
      logLoss = -lp[yi];
    } else {
      let cs = 0;
      for (let c = 0; c < k; c++) {
        const v = s[o + c];
        p[c] = v;
        // Every class's log only for label smoothing's term (k logs a row).
        if (E > 0) lp[c] = Math.log(v);
        cs += v < LOG_LOSS_EPS ? LOG_LOSS_EPS : v > 1 - LOG_LOSS_EPS ? 1 - LOG_LOSS_EPS : v;
      }
      if (E === 0) lp[yi] = Math.log(p[yi]);
      const py = p[yi] < LOG_LOSS_EPS ? LOG_LOSS_EPS : p[yi] > 1 - LOG_LOSS_EPS ? 1 - LOG_LOSS_EPS : p[yi];
      logLoss = -Math.log(py / cs);
    }
    // Without smoothing, PyTorch's cross_entropy is −log p_y: a 0 given to another class is no
    // log 0 (0 · ∞ would make it NaN).
    let ce = -lp[yi];
    if (E > 0) {
      let smooth = 0;
      for (let c = 0; c < k; c++) smooth -= lp[c];
      ce = (1 - E) * -lp[yi] + (E * smooth) / k;
    }
    if (!Number.isFinite(ce)) nonFiniteCE++;
    const pt = p[yi];
    // γ = 2 (the default) as a product: pow's integer-exponent path gives the same bits, slower.
    const miss = 1 - pt;
    const focal = -(q.gamma === 2 ? miss * miss : miss ** q.gamma) * lp[yi];
    let brier = 0;
    for (let c = 0; c < k; c++) {
      const d = p[c] - (c === yi ? 1 : 0);
      brier += d * d;
    }
    let hinge = NaN;
    if (logits) {
      let other = -Infinity;
      for (let c = 0; c < k; c++) if (c !== yi && s[o + c] > other) other = s[o + c];
      const h = 1 - (s[o + yi] - other);
      hinge = h > 0 ? h : 0;
    }
    neumaier(sums, 0, wi * logLoss);
    neumaier(sums, 2, wi * ce);
    neumaier(sums, 4, wi * focal);
    neumaier(sums, 6, wi * brier);
    neumaier(sums, 8, wi * hinge);
    neumaier(sums, 10, wi);
    row[0] = logLoss;
    row[1] = ce;
    row[2] = focal;
    row[3] = brier;
    row[4] = hinge;
    for (let j = 0; j < 5; j++) neumaier(squares, 2 * j, wi * row[j] * row[j]);
    neumaier(squares, 10, wi * wi);
    if (kept) {
      kept.set(row, 6 * i);
      kept[6 * i + 5] = arg === yi ? 1 : 0;
    }
    rowLoss[i] = logLoss;
    conf[yi][arg] += wi;
    cellW2[yi * k + arg] += wi * wi;
    let top = p[0];
    for (let c = 1; c < k; c++) if (p[c] > top) top = p[c];
    if (decision && topOf) {
      decision[i] = arg;
      topOf[i] = top;
    }
    cal.add(top, arg === yi ? 1 : 0, wi);
    if (logits) probs.set(p, o);
  }
  const W = sums[10] + sums[11];
  const mean = (j: number) => (sums[2 * j] + sums[2 * j + 1]) / W;
  // Per class: as scikit-learn's precision/recall/F1 with average=None, over the classes present
  // in y_true or the predictions (its `labels` default).
  const support = conf.map((row) => row.reduce((a, b) => a + b, 0));
  const predicted = conf[0].map((_, c) => conf.reduce((a, row) => a + row[c], 0));
  const perClass = conf.map((row, c) => {
    const tp = row[c];
    const precision = predicted[c] > 0 ? tp / predicted[c] : 0;
    const recall = support[c] > 0 ? tp / support[c] : 0;
    return { support: support[c], precision, recall, f1: precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0, logLossShare: null as number | null };
  });
  let totalLoss = 0;
  const byClass = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    const l = (w ? w[i] : 1) * rowLoss[i];
    totalLoss += l;
    byClass[y[i]] += l;
  }
  perClass.forEach((pc, c) => (pc.logLossShare = totalLoss > 0 && Number.isFinite(totalLoss) ? byClass[c] / totalLoss : null));
  const present = perClass.map((_, c) => support[c] > 0 || predicted[c] > 0);
  const macro = (f: (c: number) => number) => {
    let t = 0;
    let m = 0;
    for (let c = 0; c < k; c++) {
      if (!present[c]) continue;
      t += f(c);
      m++;
    }
    return m > 0 ? t / m : null;
  };
  let recallSum = 0;
  let withTrue = 0;
  for (let c = 0; c < k; c++) {
    if (!(support[c] > 0)) continue;
    recallSum += perClass[c].recall;
    withTrue++;
  }
  // With intervals, each class's ranking comes from the influences' grouping of its scores (the
  // same walk, the same numbers: ranking.ts's rankingOfCounts), not from a second sort.
  const rowInfluence = intervals ? macroRankInfluences(probs, y, k, w) : null;
  const rankSe = rowInfluence ? { auc: influenceSe(rowInfluence.auc, w), ap: influenceSe(rowInfluence.ap, w) } : null;
  // Kept (16 bytes a row) only for the comparisons.
  const influence = keepRows ? rowInfluence : null;
  // One vs rest, on probabilities (softmax of logits), each class unweighted in the average.
  const absent: number[] = [];
  let aucSum = 0;
  let apSum = 0;
  const col = new Float64Array(rowInfluence ? 0 : n);
  const pos = new Uint8Array(rowInfluence ? 0 : n);
  const scratch = new Uint8Array(w || rowInfluence ? 0 : n);
  for (let c = 0; c < k; c++) {
    if (!(support[c] > 0) || !(support[c] < W)) {
      absent.push(c);
      continue;
    }
    const ranked = rowInfluence?.ranked[c];
    if (ranked) {
      aucSum += ranked.rocAuc ?? NaN;
      apSum += ranked.averagePrecision ?? NaN;
      continue;
    }
    for (let i = 0; i < n; i++) {
      col[i] = probs[i * k + c];
      pos[i] = y[i] === c ? 1 : 0;
    }
    // Unweighted: col itself is sorted in place (it is refilled for the next class), no copy.
    const r = w ? ranking(col, pos, w) : rankingOfSegments([{ y: pos, s: col }], scratch);
    aucSum += r.rocAuc ?? NaN;
    apSum += r.averagePrecision ?? NaN;
  }
  let trace = 0;
  for (let c = 0; c < k; c++) trace += conf[c][c];
  const metrics: MultiMetrics = {
    logLoss: mean(0),
    crossEntropy: nonFiniteCE > 0 ? null : mean(1),
    focal: mean(2),
    brier: mean(3),
    hinge: logits ? mean(4) : null,
    accuracy: trace / W,
    balancedAccuracy: withTrue > 0 ? recallSum / withTrue : null,
    precision: macro((c) => perClass[c].precision),
    recall: macro((c) => perClass[c].recall),
    f1: macro((c) => perClass[c].f1),
    mcc: mcc(conf),
    rocAuc: absent.length ? null : aucSum / k,
    averagePrecision: absent.length ? null : apSum / k,
    ece: cal.result().ece,
  };
  const W2 = squares[10] + squares[11];
  const moments = {} as Record<MultiMeanKey, MeanSums>;
  MULTI_MEAN_KEYS.forEach((key, j) => {
    const s1 = j < 5 ? sums[2 * j] + sums[2 * j + 1] : trace;
    moments[key] = { rows: n, w: W, w2: W2, s1, s2: j < 5 ? squares[2 * j] + squares[2 * j + 1] : trace };
  });
  const cells: MultiCells = { k, w: Float64Array.from(conf.flat()), w2: w ? cellW2 : Float64Array.from(conf.flat()) };
  return { metrics, confusion: conf, perClass, rowLoss, reliability: cal.result().bins, nonFiniteCE, absent, moments, rows: kept, cells, eceSums: cal.eceSums(), rankSe, influence, decision, top: topOf };
}

/** matthews_corrcoef's multiclass form from the confusion matrix (0 when undefined, as scikit-learn). */
export function mcc(conf: number[][]): number {
  const k = conf.length;
  const t = conf.map((row) => row.reduce((a, b) => a + b, 0));
  const p = conf[0].map((_, c) => conf.reduce((a, row) => a + row[c], 0));
  let nc = 0;
  let ns = 0;
  for (let c = 0; c < k; c++) {
    nc += conf[c][c];
    ns += t[c];
  }
  let tp = 0;
  let pp = 0;
  let tt = 0;
  for (let c = 0; c < k; c++) {
    tp += t[c] * p[c];
    pp += p[c] * p[c];
    tt += t[c] * t[c];
  }
  const covYtYp = nc * ns - tp;
  const covYpYp = ns * ns - pp;
  const covYtYt = ns * ns - tt;
  if (covYtYt * covYpYp === 0) return 0;
  return covYtYp / Math.sqrt(covYtYt * covYpYp);
}
