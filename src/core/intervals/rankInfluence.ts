/**
 * Per-row influences of ROC AUC and average precision of one binary problem (a class against the
 * rest), for the intervals of the multiclass macro averages and for paired differences (#15;
 * README, "Intervals and comparisons").
 *
 * Both metrics are functions of the row weights that are unchanged when every weight is scaled,
 * so a row's influence is g_i = ∂m/∂w_i and the linearised variance is Σ_i w_i²·g_i² (the
 * infinitesimal jackknife; for a sum of such metrics over classes, or a difference of two models,
 * the influences add first, which carries every correlation between the terms).
 *
 * ROC AUC: g_i = (V10_i − AUC)/P for a positive, (V01_i − AUC)/N for a negative (DeLong's
 * placements; P, N the classes' weights), each class's part times √(n/(n − 1)) (n Kish's
 * effective size), so that one unweighted class gives DeLong's variance exactly (ddof = 1).
 *
 * Average precision as scikit-learn defines it: AP = Σ_t p_t·TP_t/R_t / P over the distinct scores t,
 * p_t the positives' weight at t, TP_t and R_t the positives' and all rows' weight scored ≥ t.
 * Then g_i = [y_i·(prec_u − AP + A_u) − B_u]/P for a row at score u, with
 * A_u = Σ_{t ≤ u} p_t/R_t and B_u = Σ_{t ≤ u} p_t·TP_t/R_t² (the thresholds at or below the row's
 * score, whose precision the row changes). No small-sample factor.
 *
 * Memory: a sorted copy of the scores and a group index per row (12 bytes a row, for the call);
 * the influences are added into the caller's arrays.
 */
import { radixSort } from '../tasks/classification/ranking';

export interface RankValues {
  auc: number;
  ap: number;
  /** The positives' and the negatives' weight at each distinct score, in descending order of the score (summed in row order). */
  pos: Float64Array;
  neg: Float64Array;
}

/**
 * Per row, the index of its score among the distinct sorted scores `u` (G of them). A table of G
 * buckets over [u_0, u_G−1] (the bucket a monotone function of the score) leaves each lookup a
 * short range to search: a binary search over all G for every row was most of the intervals'
 * cost. Plain loops over locals, which the engine optimises on the spot (a class's methods ran
 * far slower in this one-shot use).
 */
function distinctIndex(s: Float64Array, u: Float64Array, G: number): Uint32Array {
  const lo = u[0];
  const span = u[G - 1] - lo;
  const scale = span > 0 && Number.isFinite(span) ? (G - 1) / span : 0;
  const last = G - 1;
  // start[b]: the first distinct score in bucket b or after it.
  const start = new Uint32Array(G + 1);
  let b = 0;
  for (let g = 0; g < G; g++) {
    let bg = Math.floor((u[g] - lo) * scale);
    bg = bg < 0 ? 0 : bg > last ? last : bg;
    while (b <= bg) start[b++] = g;
  }
  while (b <= G) start[b++] = G;
  const gid = new Uint32Array(s.length);
  for (let i = 0; i < s.length; i++) {
    const x = s[i];
    let bx = Math.floor((x - lo) * scale);
    bx = bx < 0 ? 0 : bx > last ? last : bx;
    let a = start[bx];
    let z = start[bx + 1];
    while (a < z) {
      const mid = (a + z) >>> 1;
      if (u[mid] < x) a = mid + 1;
      else z = mid;
    }
    gid[i] = a;
  }
  return gid;
}

/**
 * Adds scale·g_i of ROC AUC into `aucOut[i]` and of average precision into `apOut[i]` (either may
 * be null) for scores `s`, classes `pos` (1: positive) and weights `w` (null: 1 each). Returns
 * both metrics, or null when a class is empty (both undefined).
 */
export function addRankInfluences(
  s: Float64Array,
  pos: ArrayLike<number>,
  w: Float64Array | null,
  scale: number,
  aucOut: Float64Array | null,
  apOut: Float64Array | null,
): RankValues | null {
  const n = s.length;
  const sorted = radixSort(s.slice());
  // The distinct scores, ascending, in place.
  let G = 0;
  for (let i = 0; i < n; i++) if (G === 0 || sorted[i] !== sorted[G - 1]) sorted[G++] = sorted[i];
  const gid = distinctIndex(s, sorted, G);
  const pw = new Float64Array(G);
  const nw = new Float64Array(G);
  let P = 0;
  let N = 0;
  let P2 = 0;
  let N2 = 0;
  for (let i = 0; i < n; i++) {
    const g = gid[i];
    const wi = w ? w[i] : 1;
    if (pos[i]) {
      pw[g] += wi;
      P += wi;
      P2 += wi * wi;
    } else {
      nw[g] += wi;
      N += wi;
      N2 += wi * wi;
    }
  }
  if (!(P > 0 && N > 0)) return null;
  // From the top: the placements, the precision at each threshold, AUC and AP.
  const v10 = new Float64Array(G);
  const v01 = new Float64Array(G);
  const tpAt = new Float64Array(G);
  const rAt = new Float64Array(G);
  let tp = 0;
  let fp = 0;
  let auc = 0;
  let ap = 0;
  for (let g = G - 1; g >= 0; g--) {
    v10[g] = (N - fp - nw[g] / 2) / N;
    v01[g] = (tp + pw[g] / 2) / P;
    tp += pw[g];
    fp += nw[g];
    tpAt[g] = tp;
    rAt[g] = tp + fp;
    auc += pw[g] * v10[g];
    ap += pw[g] * (tp / (tp + fp));
  }
  auc /= P;
  ap /= P;
  const nPos = (P * P) / P2;
  const nNeg = (N * N) / N2;
  const fPos = nPos > 1 ? Math.sqrt(nPos / (nPos - 1)) : 1;
  const fNeg = nNeg > 1 ? Math.sqrt(nNeg / (nNeg - 1)) : 1;
  // From the bottom: A_u and B_u, then each group's influence for a positive and a negative.
  const aucPos = v10;
  const aucNeg = v01;
  const apPos = tpAt;
  const apNeg = rAt;
  let A = 0;
  let B = 0;
  for (let g = 0; g < G; g++) {
    const R = rAt[g];
    const T = tpAt[g];
    if (pw[g] > 0) {
      A += pw[g] / R;
      B += (pw[g] * T) / (R * R);
    }
    aucPos[g] = (fPos * (v10[g] - auc)) / P;
    aucNeg[g] = (fNeg * (v01[g] - auc)) / N;
    apPos[g] = (T / R - ap + A - B) / P;
    apNeg[g] = -B / P;
  }
  for (let i = 0; i < n; i++) {
    const g = gid[i];
    if (aucOut) aucOut[i] += scale * (pos[i] ? aucPos[g] : aucNeg[g]);
    if (apOut) apOut[i] += scale * (pos[i] ? apPos[g] : apNeg[g]);
  }
  return { auc, ap, pos: pw.reverse(), neg: nw.reverse() };
}

/** √(Σ w_i²·g_i²), or of the differences gb − ga (paired); null when 0 or not finite. */
export function influenceSe(g: Float64Array, w: Float64Array | null, ga?: Float64Array): number | null {
  let v = 0;
  for (let i = 0; i < g.length; i++) {
    const e = ga ? g[i] - ga[i] : g[i];
    const wi = w ? w[i] : 1;
    v += wi * wi * e * e;
  }
  return Number.isFinite(v) && v > 0 ? Math.sqrt(v) : null;
}
