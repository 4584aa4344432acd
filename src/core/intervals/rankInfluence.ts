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
 * Memory: the rows sorted with their tags, twice (24 bytes a row, for the call); the influences
 * are added into the caller's arrays.
 */

export interface RankValues {
  auc: number;
  ap: number;
  /** The positives' and the negatives' weight at each distinct score, in descending order of the score (summed in row order). */
  pos: Float64Array;
  neg: Float64Array;
}

const counts = new Uint32Array(6 * 2048);

/**
 * The rows in ascending order of their scores, each as [key low word, key high word, tag] with
 * tag = index·2 + class bit: an LSD radix sort of the float64 bits (as ranking.ts's radixSort:
 * unsigned keys in the numbers' order, six 11-bit digits, a digit all keys share skipped) that
 * carries each row's tag, stable, so rows of one score stay in row order. −0 is keyed as +0 (one
 * score). The walks below then read the groups in order and touch each row's own slots once;
 * looking each row's score up among the distinct scores instead (a bucket table and a short
 * search) and reading the groups' influences at random were most of the multiclass intervals' time
 * at 1e6 rows (memory latency, not arithmetic).
 */
function sortedRows(s: Float64Array, pos: ArrayLike<number>): Uint32Array {
  const m = s.length;
  let src = new Uint32Array(3 * m);
  let dst = new Uint32Array(3 * m);
  const f = new Float64Array(1);
  const fw = new Uint32Array(f.buffer);
  counts.fill(0);
  for (let i = 0; i < m; i++) {
    const x = s[i];
    f[0] = x === 0 ? 0 : x;
    let lo = fw[0];
    let hi = fw[1];
    if (hi & 0x80000000) {
      hi = ~hi >>> 0;
      lo = ~lo >>> 0;
    } else hi = (hi | 0x80000000) >>> 0;
    src[3 * i] = lo;
    src[3 * i + 1] = hi;
    src[3 * i + 2] = 2 * i + (pos[i] ? 1 : 0);
    counts[lo & 2047]++;
    counts[2048 + ((lo >>> 11) & 2047)]++;
    counts[4096 + (lo >>> 22)]++;
    counts[6144 + (hi & 2047)]++;
    counts[8192 + ((hi >>> 11) & 2047)]++;
    counts[10240 + (hi >>> 22)]++;
  }
  for (let d = 0; d < 6; d++) {
    const base = d * 2048;
    let b = 0;
    while (counts[base + b] === 0) b++;
    if (counts[base + b] === m) continue;
    let sum = 0;
    for (b = 0; b < 2048; b++) {
      const c = counts[base + b];
      counts[base + b] = sum;
      sum += c;
    }
    const word = d < 3 ? 0 : 1;
    const shift = (d % 3) * 11;
    for (let i = 0; i < 3 * m; i += 3) {
      const q = 3 * counts[base + ((src[i + word] >>> shift) & 2047)]++;
      dst[q] = src[i];
      dst[q + 1] = src[i + 1];
      dst[q + 2] = src[i + 2];
    }
    const t = src;
    src = dst;
    dst = t;
  }
  return src;
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
  const rows = sortedRows(s, pos);
  // The distinct scores, ascending.
  let G = 0;
  for (let j = 0; j < 3 * n; j += 3) if (j === 0 || rows[j] !== rows[j - 3] || rows[j + 1] !== rows[j - 2]) G++;
  const pw = new Float64Array(G);
  const nw = new Float64Array(G);
  // Each score's weight of positives and negatives, summed in row order (the sort is stable).
  for (let j = 0, g = -1; j < 3 * n; j += 3) {
    if (j === 0 || rows[j] !== rows[j - 3] || rows[j + 1] !== rows[j - 2]) g++;
    const tag = rows[j + 2];
    const wi = w ? w[tag >>> 1] : 1;
    if (tag & 1) pw[g] += wi;
    else nw[g] += wi;
  }
  let P = 0;
  let N = 0;
  let P2 = 0;
  let N2 = 0;
  for (let i = 0; i < n; i++) {
    const wi = w ? w[i] : 1;
    if (pos[i]) {
      P += wi;
      P2 += wi * wi;
    } else {
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
  for (let j = 0, g = -1; j < 3 * n; j += 3) {
    if (j === 0 || rows[j] !== rows[j - 3] || rows[j + 1] !== rows[j - 2]) g++;
    const tag = rows[j + 2];
    const i = tag >>> 1;
    const isPos = tag & 1;
    if (aucOut) aucOut[i] += scale * (isPos ? aucPos[g] : aucNeg[g]);
    if (apOut) apOut[i] += scale * (isPos ? apPos[g] : apNeg[g]);
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
