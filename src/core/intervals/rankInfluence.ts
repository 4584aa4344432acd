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
 * Memory: see RankScratch (78 bytes a row at most, and the largest bin's 12); the influences are added into
 * the caller's arrays.
 */

export interface RankValues {
  auc: number;
  ap: number;
  /** The positives' and the negatives' weight at each distinct score, in descending order of the score (summed in row order). */
  pos: Float64Array;
  neg: Float64Array;
}

const BINS = 1 << 16;
const binStart = new Uint32Array(BINS + 1);
const binNext = new Uint32Array(BINS);
const digitCounts = new Uint32Array(5 * 2048);
/**
 * Buffers that the calls of one report share (a multiclass report sorts one column per class),
 * dropped with it: the sorted rows (12 bytes a row), each row's bin (2), one bin's sort (12 a row
 * of the largest bin), the influences of both metrics in row order (16) and six arrays per
 * distinct score (48).
 */
export class RankScratch {
  sorted = new Uint32Array(0);
  binOf = new Uint16Array(0);
  bin = new Uint32Array(0);
  pair = new Float64Array(0);
  private readonly groups: Float64Array[] = [];

  /** The i-th per-score array (six, 8 bytes a distinct score each), its first `length` values unset. */
  group(i: number, length: number): Float64Array {
    if (!(this.groups[i]?.length >= length)) this.groups[i] = new Float64Array(length);
    return this.groups[i].subarray(0, length);
  }
}
const f = new Float64Array(1);
const fw = new Uint32Array(f.buffer);

/**
 * The rows in ascending order of their scores, each as [key low word, key high word, tag] with
 * tag = index·2 + class bit, keys as ranking.ts's radixSort makes them (unsigned, in the numbers'
 * order; −0 keyed as +0, one score). Stable: rows of one score stay in row order. First a counting
 * sort of all rows by the key's top 16 bits, then each bin sorted on its own (it fits in the
 * cache): an LSD radix sort of its other 48 bits, or an insertion sort when it is small. Six LSD
 * passes over all rows (the earlier form) each scattered 12 bytes a row across the whole array,
 * and were most of the multiclass intervals' time at 1e6 rows (memory latency, not arithmetic),
 * as was reading the groups' influences at random. The result is a view of a buffer that the
 * next call overwrites.
 */
export function sortedRows(s: Float64Array, pos: ArrayLike<number>, scratch: RankScratch): Uint32Array {
  const m = s.length;
  if (scratch.sorted.length < 3 * m) {
    scratch.sorted = new Uint32Array(3 * m);
    scratch.binOf = new Uint16Array(m);
  }
  const out = scratch.sorted;
  const binOf = scratch.binOf;
  binStart.fill(0);
  for (let i = 0; i < m; i++) {
    const x = s[i];
    f[0] = x === 0 ? 0 : x;
    const hi = fw[1];
    const b = (hi & 0x80000000 ? ~hi : hi | 0x80000000) >>> 16;
    binOf[i] = b;
    binStart[b + 1]++;
  }
  let most = 0;
  for (let b = 0; b < BINS; b++) {
    const c = binStart[b + 1];
    if (c > most) most = c;
    binStart[b + 1] = binStart[b] + c;
  }
  // binStart[b] is where bin b starts; `at` the next free slot of each bin, counted up.
  const at = binNext;
  at.set(binStart.subarray(0, BINS));
  for (let i = 0; i < m; i++) {
    const x = s[i];
    f[0] = x === 0 ? 0 : x;
    let lo = fw[0];
    let hi = fw[1];
    if (hi & 0x80000000) {
      hi = ~hi >>> 0;
      lo = ~lo >>> 0;
    } else hi = (hi | 0x80000000) >>> 0;
    const q = 3 * at[binOf[i]]++;
    out[q] = lo;
    out[q + 1] = hi;
    out[q + 2] = 2 * i + (pos[i] ? 1 : 0);
  }
  if (scratch.bin.length < 3 * most) scratch.bin = new Uint32Array(3 * most);
  const tmp = scratch.bin;
  for (let b = 0; b < BINS; b++) {
    const c = binStart[b + 1] - binStart[b];
    if (c < 2) continue;
    if (c < 64) insertionSort(out, 3 * binStart[b], c);
    else radixSortBin(out, 3 * binStart[b], c, tmp);
  }
  return out.subarray(0, 3 * m);
}

/** Sorts the c rows at a[from…] by (high word, low word), stable. */
function insertionSort(a: Uint32Array, from: number, c: number): void {
  const end = from + 3 * c;
  for (let i = from + 3; i < end; i += 3) {
    const lo = a[i];
    const hi = a[i + 1];
    const tag = a[i + 2];
    let j = i - 3;
    while (j >= from && (a[j + 1] > hi || (a[j + 1] === hi && a[j] > lo))) {
      a[j + 3] = a[j];
      a[j + 4] = a[j + 1];
      a[j + 5] = a[j + 2];
      j -= 3;
    }
    a[j + 3] = lo;
    a[j + 4] = hi;
    a[j + 5] = tag;
  }
}

/**
 * Sorts the c rows at a[from…] (one bin: their keys' top 16 bits are equal) by the other 48 bits:
 * LSD, five digits (the low word's 11, 11 and 10 bits, the high word's low 11 and next 5), a digit
 * all rows share skipped; `tmp` holds at least 3·c words.
 */
function radixSortBin(a: Uint32Array, from: number, c: number, tmp: Uint32Array): void {
  const counts = digitCounts;
  counts.fill(0);
  const end = from + 3 * c;
  for (let i = from; i < end; i += 3) {
    const lo = a[i];
    const hi = a[i + 1];
    counts[lo & 2047]++;
    counts[2048 + ((lo >>> 11) & 2047)]++;
    counts[4096 + (lo >>> 22)]++;
    counts[6144 + (hi & 2047)]++;
    counts[8192 + ((hi >>> 11) & 31)]++;
  }
  let src = a;
  let srcAt = from;
  let dst = tmp;
  let dstAt = 0;
  for (let d = 0; d < 5; d++) {
    const base = d * 2048;
    let b = 0;
    while (counts[base + b] === 0) b++;
    if (counts[base + b] === c) continue;
    let sum = 0;
    for (b = 0; b < 2048; b++) {
      const n = counts[base + b];
      counts[base + b] = sum;
      sum += n;
    }
    const word = d < 3 ? 0 : 1;
    const shift = d === 1 || d === 4 ? 11 : d === 2 ? 22 : 0;
    const mask = d === 4 ? 31 : 2047;
    const stop = srcAt + 3 * c;
    for (let i = srcAt; i < stop; i += 3) {
      const q = dstAt + 3 * counts[base + ((src[i + word] >>> shift) & mask)]++;
      dst[q] = src[i];
      dst[q + 1] = src[i + 1];
      dst[q + 2] = src[i + 2];
    }
    const t = src;
    const tAt = srcAt;
    src = dst;
    srcAt = dstAt;
    dst = t;
    dstAt = tAt;
  }
  if (src !== a) a.set(src.subarray(srcAt, srcAt + 3 * c), from);
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
  scratch: RankScratch = new RankScratch(),
): RankValues | null {
  const n = s.length;
  const rows = sortedRows(s, pos, scratch);
  // Each distinct score's (ascending) weight of positives and negatives, summed in row order (the
  // sort is stable).
  const pw = scratch.group(0, n);
  const nw = scratch.group(1, n);
  let G = 0;
  for (let j = 0; j < 3 * n; j += 3) {
    if (j === 0 || rows[j] !== rows[j - 3] || rows[j + 1] !== rows[j - 2]) {
      pw[G] = 0;
      nw[G++] = 0;
    }
    const tag = rows[j + 2];
    const wi = w ? w[tag >>> 1] : 1;
    if (tag & 1) pw[G - 1] += wi;
    else nw[G - 1] += wi;
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
  const v10 = scratch.group(2, G);
  const v01 = scratch.group(3, G);
  const tpAt = scratch.group(4, G);
  const rAt = scratch.group(5, G);
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
  if (aucOut && apOut) {
    // Both influences of a row side by side, then added in row order: one cache line written
    // at random per row instead of two read and written (that scatter was most of the time).
    if (scratch.pair.length < 2 * n) scratch.pair = new Float64Array(2 * n);
    const pair = scratch.pair;
    for (let j = 0, g = -1; j < 3 * n; j += 3) {
      if (j === 0 || rows[j] !== rows[j - 3] || rows[j + 1] !== rows[j - 2]) g++;
      const tag = rows[j + 2];
      const i = tag >>> 1;
      if (tag & 1) {
        pair[2 * i] = scale * aucPos[g];
        pair[2 * i + 1] = scale * apPos[g];
      } else {
        pair[2 * i] = scale * aucNeg[g];
        pair[2 * i + 1] = scale * apNeg[g];
      }
    }
    for (let i = 0; i < n; i++) {
      aucOut[i] += pair[2 * i];
      apOut[i] += pair[2 * i + 1];
    }
  } else {
    for (let j = 0, g = -1; j < 3 * n; j += 3) {
      if (j === 0 || rows[j] !== rows[j - 3] || rows[j + 1] !== rows[j - 2]) g++;
      const tag = rows[j + 2];
      const i = tag >>> 1;
      const isPos = tag & 1;
      if (aucOut) aucOut[i] += scale * (isPos ? aucPos[g] : aucNeg[g]);
      if (apOut) apOut[i] += scale * (isPos ? apPos[g] : apNeg[g]);
    }
  }
  return { auc, ap, pos: pw.slice(0, G).reverse(), neg: nw.slice(0, G).reverse() };
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
