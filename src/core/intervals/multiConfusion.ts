/**
 * Intervals of the multiclass metrics that are functions of the k×k confusion cells (macro
 * precision, recall and F1, balanced accuracy, MCC), and their paired differences between two
 * models on the same rows (#15; README, "Intervals and comparisons").
 *
 * The same delta method as the binary table's (confusion.ts): each metric m(W) of the cell weights
 * W_tp = Σ_{i: true t, predicted p} w_i is unchanged when every weight is scaled, so the linearised
 * estimator's variance is Σ_c S_c·(∂m/∂W_c)², S_c = Σw² of cell c (the count unweighted).
 * The set of classes a macro average runs over (those present in the labels or the decisions, as
 * scikit-learn's `labels` default) is held fixed: it changes only when a class's last row does.
 *
 * Cells are flat, row-major: index t·k + p, t the true class, p the decision (the argmax).
 */
import type { Bounds } from './confusion';

export interface MultiCells {
  k: number;
  /** Σw per cell. */
  w: Float64Array;
  /** Σw² per cell (the counts unweighted). */
  w2: Float64Array;
}

export const MULTI_DELTA_KEYS = ['precision', 'recall', 'f1', 'balancedAccuracy', 'mcc'] as const;
export type MultiDeltaMetric = (typeof MULTI_DELTA_KEYS)[number];

/** Row sums (support), column sums (decisions) and the diagonal of the cells. */
function margins(w: Float64Array, k: number): { R: Float64Array; C: Float64Array; D: Float64Array } {
  const R = new Float64Array(k);
  const C = new Float64Array(k);
  const D = new Float64Array(k);
  for (let t = 0; t < k; t++) {
    for (let p = 0; p < k; p++) {
      R[t] += w[t * k + p];
      C[p] += w[t * k + p];
    }
    D[t] = w[t * k + t];
  }
  return { R, C, D };
}

/**
 * ∂m/∂W at the cells, for each metric as metrics.ts computes it; null where the metric is
 * undefined or constant (no class present; MCC's denominator 0, where scikit-learn returns 0).
 */
export function multiGradient(metric: MultiDeltaMetric, w: Float64Array, k: number): Float64Array | null {
  const { R, C, D } = margins(w, k);
  const g = new Float64Array(k * k);
  let m = 0;
  for (let c = 0; c < k; c++) if (metric === 'balancedAccuracy' ? R[c] > 0 : R[c] > 0 || C[c] > 0) m++;
  if (metric === 'mcc') return mccGradient(k, R, C, D);
  if (m === 0) return null;
  for (let c = 0; c < k; c++) {
    if (metric === 'precision' && C[c] > 0) {
      // D_c/C_c: only the cells of column c move it.
      const prec = D[c] / C[c];
      for (let t = 0; t < k; t++) g[t * k + c] += ((t === c ? 1 : 0) - prec) / C[c] / m;
    } else if ((metric === 'recall' || metric === 'balancedAccuracy') && R[c] > 0) {
      const rec = D[c] / R[c];
      for (let p = 0; p < k; p++) g[c * k + p] += ((p === c ? 1 : 0) - rec) / R[c] / m;
    } else if (metric === 'f1' && R[c] + C[c] > 0) {
      // 2PR/(P + R) = 2D/(R + C) (0 when D = 0, as scikit-learn's).
      const s = R[c] + C[c];
      const dd = (2 * D[c]) / (s * s) / m;
      for (let j = 0; j < k; j++) {
        g[j * k + c] -= dd;
        g[c * k + j] -= dd;
      }
      g[c * k + c] += 2 / s / m;
    }
  }
  return g;
}

/**
 * MCC = N/√(A·B), N = c·s − Σ t_j·p_j, A = s² − Σ p_j², B = s² − Σ t_j² (c the trace, s the total,
 * t the true counts, p the decisions), so ∂MCC/∂W_ij = ∂N/√(AB) − (MCC/2)(∂A/A + ∂B/B) with
 * ∂N = [i = j]·s + c − p_i − t_j, ∂A = 2(s − p_j), ∂B = 2(s − t_i).
 */
function mccGradient(k: number, t: Float64Array, p: Float64Array, D: Float64Array): Float64Array | null {
  let c = 0;
  let s = 0;
  let tp = 0;
  let pp = 0;
  let tt = 0;
  for (let j = 0; j < k; j++) {
    c += D[j];
    s += t[j];
    tp += t[j] * p[j];
    pp += p[j] * p[j];
    tt += t[j] * t[j];
  }
  const A = s * s - pp;
  const B = s * s - tt;
  if (!(A * B > 0)) return null;
  const root = Math.sqrt(A * B);
  const mcc = (c * s - tp) / root;
  const g = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      const dN = (i === j ? s : 0) + c - p[i] - t[j];
      g[i * k + j] = dN / root - (mcc / 2) * ((2 * (s - p[j])) / A + (2 * (s - t[i])) / B);
    }
  }
  return g;
}

/** √(Σ_c S_c·g_c²); null where the gradient is. */
export function multiDeltaSe(metric: MultiDeltaMetric, cells: MultiCells): number | null {
  const g = multiGradient(metric, cells.w, cells.k);
  if (!g) return null;
  let v = 0;
  for (let j = 0; j < g.length; j++) v += cells.w2[j] * g[j] * g[j];
  return Number.isFinite(v) ? Math.sqrt(v) : null;
}

/** value ± z·se cut to [lo, hi]; null when the variance is 0 (a perfect table claims no certainty). */
export function multiDeltaInterval(metric: MultiDeltaMetric, value: number | null, cells: MultiCells, z: number, lo: number, hi: number): Bounds | null {
  if (value === null || !Number.isFinite(value)) return null;
  const se = multiDeltaSe(metric, cells);
  if (se === null || !(se > 0)) return null;
  return { low: Math.max(lo, value - z * se), high: Math.min(hi, value + z * se) };
}

/**
 * The standard error of m_b − m_a from the rows in file order: a row's influence is g_b at its
 * cell (y, b's decision) minus g_a at its cell (y, a's decision), so Var = Σ_i w_i²(g_b − g_a)².
 * Summed over the rows rather than over the k³ joint cells (y, a's decision, b's decision), which
 * would be the same sum: the rows are in memory already, and k³ cells would not stay small.
 */
export function multiPairedSe(
  metric: MultiDeltaMetric,
  a: MultiCells,
  b: MultiCells,
  y: Int32Array,
  decA: ArrayLike<number>,
  decB: ArrayLike<number>,
  w: Float64Array | null,
): number | null {
  const k = a.k;
  const ga = multiGradient(metric, a.w, k);
  const gb = multiGradient(metric, b.w, k);
  if (!ga || !gb) return null;
  let v = 0;
  for (let i = 0; i < y.length; i++) {
    const e = gb[y[i] * k + decB[i]] - ga[y[i] * k + decA[i]];
    const wi = w ? w[i] : 1;
    v += wi * wi * e * e;
  }
  return Number.isFinite(v) && v > 0 ? Math.sqrt(v) : null;
}
