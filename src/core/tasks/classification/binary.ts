/**
 * Every metric of one binary model from its rows, in file order: the mean losses (Σw·ℓ / Σw,
 * Neumaier-summed in file order, so the result does not depend on how the file was split), the
 * confusion counts at the threshold and what follows from them, ROC AUC, average precision and
 * the calibration error.
 */
import { CalibrationBins } from './calibration';
import { BINARY_TERMS, BinaryParams, logitTerms, probabilityTerms, scoreThreshold, sigmoid, T_LOG } from './losses';
import { ranking } from './ranking';

export type BinaryMetricKey =
  | 'logLoss'
  | 'bce'
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

export type BinaryMetrics = Record<BinaryMetricKey, number | null>;

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
  /** Per row log loss (the report's robustness and worst rows), in file order. */
  rowLoss: Float64Array;
}

/** Neumaier's compensated addition of x into st[i], st[i + 1]. */
function add(st: Float64Array, i: number, x: number): void {
  const s = st[i];
  const r = s + x;
  st[i + 1] += Math.abs(s) >= Math.abs(x) ? s - r + x : x - r + s;
  st[i] = r;
}

/**
 * `y[i]` is 1 for the positive class, `s[i]` the score (a probability, or a logit when `logits`),
 * `w` the weights or null.
 */
export function binaryStats(y: Uint8Array, s: Float64Array, w: Float64Array | null, logits: boolean, q: BinaryParams): BinaryModelStats {
  const n = y.length;
  const nt = BINARY_TERMS.length;
  const sums = new Float64Array(2 * (nt + 1));
  const terms = new Float64Array(nt);
  const rowLoss = new Float64Array(n);
  const cut = scoreThreshold(q.threshold, logits);
  let tn = 0;
  let fp = 0;
  let fn = 0;
  let tp = 0;
  const cal = new CalibrationBins();
  for (let i = 0; i < n; i++) {
    const yi = y[i];
    const si = s[i];
    const wi = w ? w[i] : 1;
    if (logits) logitTerms(si, yi, q, terms);
    else probabilityTerms(si, yi, q, terms);
    for (let k = 0; k < nt; k++) add(sums, 2 * k, wi * terms[k]);
    add(sums, 2 * nt, wi);
    rowLoss[i] = terms[T_LOG];
    const predicted = si >= cut ? 1 : 0;
    if (yi) {
      if (predicted) tp += wi;
      else fn += wi;
    } else if (predicted) fp += wi;
    else tn += wi;
    cal.add(logits ? sigmoid(si) : si, yi, wi);
  }
  const W = sums[2 * nt] + sums[2 * nt + 1];
  const mean = (k: number) => (sums[2 * k] + sums[2 * k + 1]) / W;
  const rank = ranking(s, y, w);
  const precision = tp + fp > 0 ? tp / (tp + fp) : 0; // scikit-learn's zero_division: 0 (with a warning)
  const recall = tp + fn > 0 ? tp / (tp + fn) : 0;
  const specificity = tn + fp > 0 ? tn / (tn + fp) : 0;
  // balanced_accuracy_score: the mean recall of the classes present in y_true.
  const present = (tp + fn > 0 ? 1 : 0) + (tn + fp > 0 ? 1 : 0);
  const balanced = present > 0 ? ((tp + fn > 0 ? recall : 0) + (tn + fp > 0 ? specificity : 0)) / present : null;
  const metrics: BinaryMetrics = {
    logLoss: mean(0),
    bce: mean(1),
    focal: mean(2),
    brier: mean(3),
    hinge: logits ? mean(4) : null,
    accuracy: (tp + tn) / W,
    balancedAccuracy: balanced,
    precision,
    recall,
    f1: precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0,
    mcc: mcc(tn, fp, fn, tp),
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
    rowLoss,
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
