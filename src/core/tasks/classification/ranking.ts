/**
 * Ranking metrics of one binary problem (a class against the rest): ROC AUC and average precision
 * exactly as scikit-learn's roc_auc_score and average_precision_score compute them, ties included,
 * and the bounded ROC and precision–recall curves the report draws.
 *
 * Both come from one walk over the distinct scores in descending order, with the (weighted)
 * positives and negatives at each: scikit-learn's _binary_clf_curve. The area under the ROC curve
 * is the trapezoidal sum over those points, as np.trapz(tpr, fpr) is; a tie of positives and
 * negatives at one score is one diagonal step (half credit).
 */

/** Points of the curves, at most this many (the walk itself uses every distinct score). */
export const CURVE_POINTS = 500;

export interface RankingResult {
  /** null when only one class is present (scikit-learn raises: AUC is undefined). */
  rocAuc: number | null;
  /** null unless both classes are present (as rocAuc: the report warns that both are undefined). */
  averagePrecision: number | null;
  /** ROC curve (false positive rate, true positive rate), ≤ CURVE_POINTS + 2 points, from (0, 0) to (1, 1). */
  roc: { fpr: number[]; tpr: number[] };
  /** Precision–recall curve, ≤ CURVE_POINTS + 1 points, in order of decreasing threshold. */
  pr: { recall: number[]; precision: number[] };
}

/**
 * `scores[i]` and `positive[i]` (1 or 0) of each row, with its weight (`weights` null: 1 each).
 * Rows are ordered by descending score with one native sort of the scores (unweighted: the
 * positives' and the negatives' scores sorted apart, no index array) or of an index array.
 */
export function ranking(scores: Float64Array, positive: Uint8Array, weights: Float64Array | null): RankingResult {
  const steps = weights ? weightedSteps(scores, positive, weights) : unweightedSteps(scores, positive);
  return fromSteps(steps);
}

/** Per distinct score (descending): the weight of positives and of negatives with that score. */
interface Steps {
  tp: Float64Array;
  fp: Float64Array;
  n: number;
}

function unweightedSteps(scores: Float64Array, positive: Uint8Array): Steps {
  let np = 0;
  for (let i = 0; i < positive.length; i++) np += positive[i];
  const pos = new Float64Array(np);
  const neg = new Float64Array(scores.length - np);
  let a = 0;
  let b = 0;
  for (let i = 0; i < scores.length; i++) {
    if (positive[i]) pos[a++] = scores[i];
    else neg[b++] = scores[i];
  }
  pos.sort();
  neg.sort();
  // Merge from the top (largest scores first).
  const tp = new Float64Array(scores.length);
  const fp = new Float64Array(scores.length);
  let n = 0;
  let i = pos.length - 1;
  let j = neg.length - 1;
  while (i >= 0 || j >= 0) {
    const s = i < 0 ? neg[j] : j < 0 ? pos[i] : Math.max(pos[i], neg[j]);
    let t = 0;
    let f = 0;
    while (i >= 0 && pos[i] === s) {
      t++;
      i--;
    }
    while (j >= 0 && neg[j] === s) {
      f++;
      j--;
    }
    tp[n] = t;
    fp[n] = f;
    n++;
  }
  return { tp, fp, n };
}

function weightedSteps(scores: Float64Array, positive: Uint8Array, weights: Float64Array): Steps {
  const idx = new Uint32Array(scores.length);
  for (let i = 0; i < idx.length; i++) idx[i] = i;
  idx.sort((x, y) => scores[y] - scores[x]);
  const tp = new Float64Array(scores.length);
  const fp = new Float64Array(scores.length);
  let n = 0;
  for (let k = 0; k < idx.length; ) {
    const s = scores[idx[k]];
    let t = 0;
    let f = 0;
    for (; k < idx.length && scores[idx[k]] === s; k++) {
      const r = idx[k];
      if (positive[r]) t += weights[r];
      else f += weights[r];
    }
    tp[n] = t;
    fp[n] = f;
    n++;
  }
  return { tp, fp, n };
}

function fromSteps({ tp, fp, n }: Steps): RankingResult {
  // Cumulative counts at each threshold, as _binary_clf_curve's cumsum (a running sum).
  let P = 0;
  let N = 0;
  for (let k = 0; k < n; k++) {
    P += tp[k];
    N += fp[k];
  }
  let tps = 0;
  let fps = 0;
  let area = 0;
  let prevTpr = 0;
  let prevFpr = 0;
  let ap = 0;
  let prevRecall = 0;
  const every = Math.max(1, Math.ceil(n / CURVE_POINTS));
  const roc = { fpr: [0], tpr: [0] };
  const pr = { recall: [] as number[], precision: [] as number[] };
  for (let k = 0; k < n; k++) {
    tps += tp[k];
    fps += fp[k];
    const tpr = P > 0 ? tps / P : 0;
    const fpr = N > 0 ? fps / N : 0;
    area += ((fpr - prevFpr) * (tpr + prevTpr)) / 2;
    prevTpr = tpr;
    prevFpr = fpr;
    // average_precision_score: Σ (R_k − R_{k−1}) · P_k over the thresholds.
    const precision = tps / (tps + fps);
    ap += (tpr - prevRecall) * precision;
    prevRecall = tpr;
    if (k % every === every - 1 || k === n - 1) {
      roc.fpr.push(fpr);
      roc.tpr.push(tpr);
      pr.recall.push(tpr);
      pr.precision.push(precision);
    }
  }
  return {
    rocAuc: P > 0 && N > 0 ? area : null,
    averagePrecision: P > 0 && N > 0 ? ap : null,
    roc,
    pr,
  };
}
