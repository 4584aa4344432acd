/**
 * The paired comparison of the median |d| of two models on the same rows (#15): median|d_b| −
 * median|d_a| (numpy's median: the mean of the two middle values), its interval and p-value from
 * a seeded Poisson bootstrap over the rows — each row drawn Poisson(1) times, the same draws for
 * both models, so their correlation is kept (Hanley & MacGibbon 2006; for a median the bootstrap
 * is consistent, unlike for a maximum). Percentile interval; p = 2·min(P*(Δ* ≤ 0), P*(Δ* ≥ 0))
 * with the +1 correction, from the same draws.
 *
 * Scale: a resample's median lies, with overwhelming probability, among the rows ranked within
 * BAND·√n of the sample's median (its rank moves by about √n/2: 6 standard deviations), so only the rows in that band
 * of either model are drawn one by one; the others are counted by where they lie (below or above
 * each model's band, 4 cells), and each cell's total draw is one Poisson(count). A resample whose
 * median would fall outside the band makes the comparison null (about 2e-9 per resample: once
 * in some 500,000 comparisons). Cost: 4 selections over n, then RESAMPLES × (rows in the bands ≈ 2·2·BAND·√n).
 * Deterministic: a fixed seed, the rows in file order (identical for any number of threads).
 */
import { logGamma } from './distributions';
import type { PairedResult } from './mean';

/** Bootstrap resamples. */
export const RESAMPLES = 1000;
/** Half-width of the band, in units of √n ranks. */
const BAND = 3;
const SEED = 0x15d1ff;

/** One step of mulberry32 (a small seeded generator): the word drawn from state `s`. */
function mulberry(s: number): number {
  let t = s;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return (t ^ (t >>> 14)) >>> 0;
}

const GOLDEN = 0x6d2b79f5;

/** mulberry32, uniform in [0, 1). */
export function uniforms(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + GOLDEN) >>> 0;
    return mulberry(s) / 4294967296;
  };
}

/**
 * Poisson(1)'s cumulative probabilities times 2^32, for drawing by inversion from a 32-bit word
 * (the last above any word: the loop ends there).
 */
const CDF1: Float64Array = (() => {
  const out = new Float64Array(20);
  let p = Math.exp(-1);
  let c = 0;
  for (let k = 0; k < 20; k++) {
    c += p;
    out[k] = Math.floor(c * 4294967296);
    p /= k + 1;
  }
  out[19] = 4294967296;
  return out;
})();

/** A Poisson(λ) draw: inversion below 10, else Hörmann's transformed rejection (PTRS, 1993). */
export function poisson(lambda: number, u: () => number): number {
  if (lambda <= 0) return 0;
  if (lambda < 10) {
    let k = 0;
    let p = Math.exp(-lambda);
    let c = p;
    const x = u();
    while (x >= c && k < 1000) {
      k++;
      p *= lambda / k;
      c += p;
    }
    return k;
  }
  const slam = Math.sqrt(lambda);
  const loglam = Math.log(lambda);
  const b = 0.931 + 2.53 * slam;
  const a = -0.059 + 0.02483 * b;
  const invAlpha = 1.1239 + 1.1328 / (b - 3.4);
  const vr = 0.9277 - 3.6224 / (b - 2);
  for (;;) {
    const U = u() - 0.5;
    const V = u();
    const us = 0.5 - Math.abs(U);
    const k = Math.floor(((2 * a) / us + b) * U + lambda + 0.43);
    if (us >= 0.07 && V <= vr) return k;
    if (k < 0 || (us < 0.013 && V > us)) continue;
    if (Math.log(V) + Math.log(invAlpha) - Math.log(a / (us * us) + b) <= -lambda + k * loglam - logGamma(k + 1)) return k;
  }
}

/** The k-th smallest (0-based) of a[lo, hi] (reordered in place): Hoare's selection, median-of-three pivots. */
function select(a: Float64Array, k: number, lo = 0, hi = a.length - 1): number {
  while (hi > lo) {
    const mid = (lo + hi) >>> 1;
    const x = a[lo];
    const y = a[mid];
    const z = a[hi];
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k];
  }
  return a[k];
}

/** numpy's median of a (reordered in place). */
function medianOf(a: Float64Array): number {
  const n = a.length;
  const hi = select(a, n >> 1);
  if (n % 2 === 1) return hi;
  // The lower middle: the largest of the elements before n/2 (selection left them there).
  let lo = -Infinity;
  for (let i = 0; i < n >> 1; i++) if (a[i] > lo) lo = a[i];
  return (lo + hi) / 2;
}

/** One model's |d| band: the values ranked within h of the median (its ends, inclusive). */
interface Band {
  lo: number;
  hi: number;
}

/** |x| of every row, in file order, into `out`. */
function absInto(chunks: readonly Float64Array[], out: Float64Array): Float64Array {
  let at = 0;
  for (const c of chunks) for (let i = 0; i < c.length; i++) out[at++] = Math.abs(c[i]);
  return out;
}

/** A model's median |d| and its band, from the scratch copy of its |d| (reordered). */
function medianAndBand(x: Float64Array, h: number): { median: number; band: Band } {
  const n = x.length;
  const median = medianOf(x);
  const mid = n >> 1;
  if (mid - h <= 0 || mid + h >= n - 1) return { median, band: { lo: -Infinity, hi: Infinity } };
  // After the median's selection the ranks below mid are left of it and those above right of it.
  const lo = select(x, mid - h, 0, mid);
  const hi = select(x, mid + h, mid, n - 1);
  return { median, band: { lo, hi } };
}

/**
 * The comparison of median|b| − median|a| over rows in file order (each model's residuals, in
 * chunks aligned across models), or null (fewer than 2 rows, or a resample outside the band).
 * Memory: one copy of |d| (8 bytes a row) while the medians and bands are found, then the band rows.
 */
export function pairedMedianBootstrap(a: readonly Float64Array[], b: readonly Float64Array[], confidence: number, resamples = RESAMPLES): PairedResult | null {
  const n = a.reduce((s, c) => s + c.length, 0);
  if (n < 2 || !(confidence > 0 && confidence < 1)) return null;
  const h = Math.ceil(BAND * Math.sqrt(n));
  let scratch: Float64Array | null = new Float64Array(n);
  const A = medianAndBand(absInto(a, scratch), h);
  const B = medianAndBand(absInto(b, scratch), h);
  scratch = null;
  // Rows outside both bands, by cell: 0 both below, 1 a below and b above, 2 a above and b below, 3 both above.
  const cells = [0, 0, 0, 0];
  // Rows in either band, merged by (a's |d| or −∞/+∞ below/above its band, b's likewise): tied
  // residuals (integer targets and predictions) make few such keys, and each key's rows are drawn
  // at once (a sum of Poisson(1) draws is one Poisson(count)).
  const keyOf = new Map<number, Map<number, number>>();
  const keyA: number[] = [];
  const keyB: number[] = [];
  const size: number[] = [];
  const keyed = (x: number, band: Band) => (x < band.lo ? -Infinity : x > band.hi ? Infinity : x);
  a.forEach((ca, ci) => {
    const cb = b[ci];
    for (let i = 0; i < ca.length; i++) {
      const x = keyed(Math.abs(ca[i]), A.band);
      const y = keyed(Math.abs(cb[i]), B.band);
      if (!Number.isFinite(x) && !Number.isFinite(y)) {
        cells[(x > 0 ? 2 : 0) + (y > 0 ? 1 : 0)]++;
        continue;
      }
      let byB = keyOf.get(x);
      if (!byB) keyOf.set(x, (byB = new Map()));
      const g = byB.get(y);
      if (g !== undefined) {
        size[g]++;
        continue;
      }
      byB.set(y, keyA.length);
      keyA.push(x);
      keyB.push(y);
      size.push(1);
    }
  });
  const groups = keyA.length;
  // The resamples' loop reads typed arrays: which keys lie below each band, and the keys of one row.
  const below = new Uint8Array(groups);
  const single = new Uint8Array(groups);
  for (let g = 0; g < groups; g++) {
    below[g] = (keyA[g] === -Infinity ? 1 : 0) | (keyB[g] === -Infinity ? 2 : 0);
    single[g] = size[g] === 1 ? 1 : 0;
  }
  const inA: number[] = [];
  const inB: number[] = [];
  for (let g = 0; g < groups; g++) {
    if (Number.isFinite(keyA[g])) inA.push(g);
    if (Number.isFinite(keyB[g])) inB.push(g);
  }
  // Each model's band keys by value (ties by first appearance; any order of ties gives the same medians).
  inA.sort((r, q) => keyA[r] - keyA[q] || r - q);
  inB.sort((r, q) => keyB[r] - keyB[q] || r - q);
  // Two streams: the hot loop's Poisson(1) words (its state kept here, so the loop calls no closure), the rest's uniforms.
  const u = uniforms(SEED ^ n);
  let state = (SEED * 31 + n) >>> 0;
  const counts = new Int32Array(groups);
  const diffs = new Float64Array(resamples);
  for (let k = 0; k < resamples; k++) {
    const c = cells.map((x) => poisson(x, u));
    let total = c[0] + c[1] + c[2] + c[3];
    let belowA = c[0] + c[1];
    let belowB = c[0] + c[2];
    // The hot loop (RESAMPLES × keys): Poisson(1) by inversion inline.
    for (let g = 0; g < groups; g++) {
      let m: number;
      if (single[g] === 1) {
        state = (state + GOLDEN) >>> 0;
        const x = mulberry(state);
        m = 0;
        while (x >= CDF1[m]) m++;
      } else m = poisson(size[g], u);
      counts[g] = m;
      total += m;
      const f = below[g];
      if (f & 1) belowA += m;
      if (f & 2) belowB += m;
    }
    // An empty resample (likely only for a few rows: e^−n) has no median: drawn again.
    if (total === 0) {
      k--;
      continue;
    }
    const qa = resampledMedian(inA, counts, belowA, total, keyA);
    const qb = resampledMedian(inB, counts, belowB, total, keyB);
    if (qa === null || qb === null) return null;
    diffs[k] = qb - qa;
  }
  diffs.sort();
  const alpha = 1 - confidence;
  // Percentile ends: the order statistics at α/2 and 1 − α/2 (no interpolation).
  const low = diffs[Math.max(0, Math.ceil((alpha / 2) * resamples) - 1)];
  const high = diffs[Math.min(resamples - 1, Math.ceil((1 - alpha / 2) * resamples) - 1)];
  let atOrBelow = 0;
  let atOrAbove = 0;
  for (const d of diffs) {
    if (d <= 0) atOrBelow++;
    if (d >= 0) atOrAbove++;
  }
  const p = Math.min(1, (2 * (Math.min(atOrBelow, atOrAbove) + 1)) / (resamples + 1));
  return { difference: B.median - A.median, low, high, p };
}

/**
 * The median of a resample from one model's band rows (by value) and its draw counts, given how
 * many drawn rows lie below the band; null when a middle rank falls outside the band.
 */
function resampledMedian(byValue: readonly number[], counts: Int32Array, below: number, total: number, value: readonly number[]): number | null {
  // 0-based ranks of the two middle values (equal when the total is odd).
  const r1 = (total - 1) >> 1;
  const r2 = total >> 1;
  if (r1 < below) return null;
  let seen = below;
  let v1: number | null = null;
  for (const r of byValue) {
    const m = counts[r];
    if (m === 0) continue;
    seen += m;
    if (v1 === null && seen > r1) v1 = value[r];
    if (seen > r2) return ((v1 as number) + value[r]) / 2;
  }
  return null;
}
