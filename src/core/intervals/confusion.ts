/**
 * Intervals of the binary metrics that are functions of the confusion counts at the threshold
 * (precision, recall, F1, MCC, balanced accuracy), of average precision and of ECE (#15 item 1;
 * README, "Intervals"). All closed form, from sums the file-order pass keeps, so they are
 * deterministic and cost nothing per row beyond a few additions.
 *
 * The delta method over rows: a metric m(W) of the cell weights W_c = Σ_{i∈c} w_i is unchanged
 * when every weight is scaled (it is homogeneous of degree 0), so by Euler's theorem
 * Σ_c W_c·∂m/∂W_c = 0 and the linearised estimator's variance is Σ_c S_c·(∂m/∂W_c)², with
 * S_c = Σ_{i∈c} w_i² (the count n_c without weights). For precision this is p(1 − p)/n_predicted,
 * the binomial variance; for those two proportions the Wilson score interval is used instead,
 * which stays inside [0, 1] and does not collapse to a point at 0 or 1.
 */
import { normalQuantileUpper } from './distributions';

/** Cell order of every array here: [tn, fp, fn, tp] (true class, then decision). */
export type Cells = readonly [number, number, number, number];

export interface ConfusionSums {
  /** Σw per cell (the counts unweighted). */
  w: Cells;
  /** Σw² per cell (the counts unweighted). */
  w2: Cells;
}

export interface Bounds {
  low: number;
  high: number;
}

/** z for a two-sided interval at `confidence`. */
export function zOf(confidence: number): number {
  return normalQuantileUpper((1 - confidence) / 2);
}

/**
 * Wilson's score interval for a proportion p̂ of n (Kish's effective n = (Σw)²/Σw² with weights).
 * Null when n is 0.
 */
export function wilson(p: number, n: number, z: number): Bounds | null {
  if (!(n > 0) || !Number.isFinite(p)) return null;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/** Precision tp/(tp + fp): Wilson over the predicted positives. */
export function precisionInterval(c: ConfusionSums, z: number): Bounds | null {
  const w = c.w[3] + c.w[1];
  const w2 = c.w2[3] + c.w2[1];
  return w > 0 ? wilson(c.w[3] / w, (w * w) / w2, z) : null;
}

/** Recall tp/(tp + fn): Wilson over the true positives. */
export function recallInterval(c: ConfusionSums, z: number): Bounds | null {
  const w = c.w[3] + c.w[2];
  const w2 = c.w2[3] + c.w2[2];
  return w > 0 ? wilson(c.w[3] / w, (w * w) / w2, z) : null;
}

/** The gradients ∂m/∂W_c of precision, recall, F1, MCC and balanced accuracy at the cell weights (null where m is undefined). */
export const GRADIENTS = {
  precision(w: Cells): Cells | null {
    const [, b, , d] = w;
    const q = (b + d) * (b + d);
    return q > 0 ? [0, -d / q, 0, b / q] : null;
  },
  recall(w: Cells): Cells | null {
    const [, , c, d] = w;
    const q = (c + d) * (c + d);
    return q > 0 ? [0, 0, -d / q, c / q] : null;
  },
  f1(w: Cells): Cells | null {
    const [, b, c, d] = w;
    const den = 2 * d + b + c;
    if (!(den > 0)) return null;
    const q = den * den;
    return [0, (-2 * d) / q, (-2 * d) / q, (2 * (b + c)) / q];
  },
  balancedAccuracy(w: Cells): Cells | null {
    const [a, b, c, d] = w;
    const pos = d + c;
    const neg = a + b;
    if (!(pos > 0 && neg > 0)) return null;
    return [b / (2 * neg * neg), -a / (2 * neg * neg), -d / (2 * pos * pos), c / (2 * pos * pos)];
  },
  mcc(w: Cells): Cells | null {
    const [a, b, c, d] = w;
    const q = (a + b) * (a + c) * (b + d) * (c + d);
    if (!(q > 0)) return null; // scikit-learn returns 0 for an empty row or column: no spread to speak of
    const root = Math.sqrt(q);
    const m = (a * d - b * c) / root;
    // ∂m/∂x = (∂N/∂x)/√Q − (m/2)·∂(ln Q)/∂x, N = ad − bc.
    return [
      d / root - (m / 2) * (1 / (a + b) + 1 / (a + c)),
      -c / root - (m / 2) * (1 / (a + b) + 1 / (b + d)),
      -b / root - (m / 2) * (1 / (a + c) + 1 / (c + d)),
      a / root - (m / 2) * (1 / (b + d) + 1 / (c + d)),
    ];
  },
};

export type DeltaMetric = keyof typeof GRADIENTS;

/** The delta method's standard error of a metric of the cells: √(Σ_c S_c·g_c²); null where undefined. */
export function deltaSe(metric: DeltaMetric, c: ConfusionSums): number | null {
  const g = GRADIENTS[metric](c.w);
  if (!g) return null;
  let v = 0;
  for (let k = 0; k < 4; k++) v += c.w2[k] * g[k] * g[k];
  return Number.isFinite(v) ? Math.sqrt(v) : null;
}

/**
 * value ± z·se, cut to [lo, hi]; null when the standard error is 0 (a perfect or degenerate table:
 * the linearisation has no spread there, and a zero-width interval would claim certainty).
 */
export function deltaInterval(metric: DeltaMetric, value: number | null, c: ConfusionSums, z: number, lo: number, hi: number): Bounds | null {
  if (value === null || !Number.isFinite(value)) return null;
  const se = deltaSe(metric, c);
  if (se === null || !(se > 0)) return null;
  return { low: Math.max(lo, value - z * se), high: Math.min(hi, value + z * se) };
}

/**
 * Joint cells of two models' decisions on the same rows, for the paired differences of the delta
 * metrics: index 4·(2·y + decision of a) … as [y][decA][decB] → 8 cells.
 */
export interface JointSums {
  /** Σw² per joint cell, index 4·y + 2·decA + decB. */
  w2: Float64Array;
}

/**
 * The paired difference m_b − m_a of a delta metric with its standard error: each row's influence
 * is g_b(its cell of b) − g_a(its cell of a), so Var = Σ_joint S·(g_b − g_a)². Null where either
 * metric is undefined or the variance is 0.
 */
export function pairedDeltaSe(metric: DeltaMetric, a: ConfusionSums, b: ConfusionSums, joint: JointSums): number | null {
  const ga = GRADIENTS[metric](a.w);
  const gb = GRADIENTS[metric](b.w);
  if (!ga || !gb) return null;
  let v = 0;
  for (let y = 0; y < 2; y++) {
    for (let da = 0; da < 2; da++) {
      for (let db = 0; db < 2; db++) {
        const e = gb[2 * y + db] - ga[2 * y + da];
        v += joint.w2[4 * y + 2 * da + db] * e * e;
      }
    }
  }
  return Number.isFinite(v) && v > 0 ? Math.sqrt(v) : null;
}

/**
 * Average precision: Boyd, Eng & Page (2013), "Area under the precision-recall curve: point
 * estimates and confidence intervals", the logit interval: expit(logit(AP) ± z/√(n₊·AP·(1 − AP))),
 * n₊ the positives (Kish's effective count with weights). Null at AP = 0 or 1.
 */
export function averagePrecisionInterval(ap: number | null, positives: number, z: number): Bounds | null {
  if (ap === null || !(ap > 0 && ap < 1) || !(positives > 0)) return null;
  const eta = Math.log(ap / (1 - ap));
  const tau = 1 / Math.sqrt(positives * ap * (1 - ap));
  const expit = (x: number) => 1 / (1 + Math.exp(-x));
  return { low: expit(eta - z * tau), high: expit(eta + z * tau) };
}

/** Per calibration bin, the sums the ECE's delta method needs (x = correct − confidence of a row). */
export interface EceSums {
  /** Σw per bin. */
  w: ArrayLike<number>;
  /** Σw·x per bin. */
  x: ArrayLike<number>;
  /** Σw² per bin. */
  w2: ArrayLike<number>;
  /** Σw²·x per bin. */
  w2x: ArrayLike<number>;
  /** Σw²·x² per bin. */
  w2x2: ArrayLike<number>;
}

/**
 * ECE = Σ_b |D_b|/W, D_b = Σ_{i∈b} w_i·x_i. A row's influence is w_i(s_b·x_i − ECE)/W with s_b the
 * sign of D_b, so Var = Σ_b (Σw²x² − 2·s_b·ECE·Σw²x + ECE²·Σw²)/W². The absolute value is not
 * differentiable where a bin's accuracy equals its confidence: for a well-calibrated model (true
 * ECE near 0) the plug-in ECE is biased upward and this interval does not cover 0 (README).
 */
export function eceInterval(ece: number | null, s: EceSums, z: number): Bounds | null {
  if (ece === null || !Number.isFinite(ece)) return null;
  let W = 0;
  let v = 0;
  for (let b = 0; b < s.w.length; b++) {
    W += s.w[b];
    const sign = s.x[b] > 0 ? 1 : s.x[b] < 0 ? -1 : 0;
    v += s.w2x2[b] - 2 * sign * ece * s.w2x[b] + ece * ece * s.w2[b];
  }
  if (!(W > 0) || !(v > 0)) return null;
  const se = Math.sqrt(v) / W;
  return { low: Math.max(0, ece - z * se), high: Math.min(1, ece + z * se) };
}
