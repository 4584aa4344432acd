/**
 * DeLong's variance of ROC AUC (DeLong, DeLong & Clarke-Pearson 1988). Each positive row i has the
 * placement V10_i = share of the negatives scored below it (ties count half), each negative row j
 * V01_j = share of the positives scored above it; the AUC is the mean of either, and
 * Var(AUC) = Var(V10)/n_pos + Var(V01)/n_neg (ddof = 1). Two models on the same rows (the paired
 * test): the same with the differences of the placements, V10b − V10a and V01b − V01a.
 *
 * With weights: placements count weighted rows, the means are weighted, and the variances use
 * Kish's effective sizes per class (as mean.ts). The interval is AUC ± z·se (normal, as DeLong),
 * clipped to [0, 1]; the p-value of a paired difference is the normal two-sided one.
 */
import { normalQuantileUpper, normalUpperTail } from './distributions';
import { meanEstimate, type MeanSums, type PairedResult } from './mean';
import { radixSort } from '../tasks/classification/ranking';

/** AUC and its standard error from the placement sums of the positives and of the negatives. */
export function delongEstimate(pos: MeanSums, neg: MeanSums): { auc: number; se: number } | null {
  const a = meanEstimate(pos);
  const b = meanEstimate(neg);
  if (!a || !b) return null;
  return { auc: a.mean, se: Math.sqrt(a.se * a.se + b.se * b.se) };
}

export function delongInterval(pos: MeanSums, neg: MeanSums, confidence: number): { low: number; high: number } | null {
  const e = delongEstimate(pos, neg);
  if (!e) return null;
  const h = normalQuantileUpper((1 - confidence) / 2) * e.se;
  return { low: Math.max(0, e.auc - h), high: Math.min(1, e.auc + h) };
}

/** A normal (z) test of a difference with standard error `se`. */
export function zTest(difference: number, se: number, confidence: number): PairedResult {
  const h = normalQuantileUpper((1 - confidence) / 2) * se;
  const p = se > 0 ? 2 * normalUpperTail(Math.abs(difference / se)) : difference === 0 ? 1 : 0;
  return { difference, low: difference - h, high: difference + h, p };
}

/** Sums of a per-class quantity: [Σw, Σw², Σw·v, Σw·v²] for the positives, then the negatives. */
export function emptyPlacementSums(): { pos: MeanSums; neg: MeanSums } {
  return { pos: { rows: 0, w: 0, w2: 0, s1: 0, s2: 0 }, neg: { rows: 0, w: 0, w2: 0, s1: 0, s2: 0 } };
}

function addTo(m: MeanSums, w: number, v: number): void {
  m.rows++;
  m.w += w;
  m.w2 += w * w;
  m.s1 += w * v;
  m.s2 += w * v * v;
}

/**
 * Per row, its placement (V10 for a positive, V01 for a negative), for scores `s`, classes `y`
 * (1 positive) and weights `w` (null: 1 each). Sorted copies of each class's scores, and a binary
 * search per row: O(n log n), 16 bytes a row besides the result.
 */
export function placements(s: Float64Array, y: Uint8Array, w: Float64Array | null): Float64Array {
  const n = s.length;
  const out = new Float64Array(n);
  const byClass = [0, 1].map((c) => {
    const idx: number[] = [];
    for (let i = 0; i < n; i++) if (y[i] === c) idx.push(i);
    return idx;
  });
  const sorted = byClass.map((idx) => {
    if (!w) {
      const v = radixSort(Float64Array.from(idx, (i) => s[i]));
      return { v, cum: null as Float64Array | null, total: v.length };
    }
    idx.sort((a, b) => s[a] - s[b]);
    const v = Float64Array.from(idx, (i) => s[i]);
    const cum = new Float64Array(idx.length + 1);
    for (let k = 0; k < idx.length; k++) cum[k + 1] = cum[k] + w[idx[k]];
    return { v, cum, total: cum[idx.length] };
  });
  const below = (a: Float64Array, x: number) => {
    let lo = 0;
    let hi = a.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (a[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const atOrBelow = (a: Float64Array, x: number) => {
    let lo = 0;
    let hi = a.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (a[mid] <= x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  for (let i = 0; i < n; i++) {
    // A positive against the negatives below it; a negative against the positives above it.
    const other = sorted[y[i] ? 0 : 1];
    const lt = below(other.v, s[i]);
    const le = atOrBelow(other.v, s[i]);
    const wLt = other.cum ? other.cum[lt] : lt;
    const wLe = other.cum ? other.cum[le] : le;
    const tie = (wLe - wLt) / 2;
    out[i] = y[i] ? (wLt + tie) / other.total : (other.total - wLe + tie) / other.total;
  }
  return out;
}

/** DeLong's paired test of AUC(b) − AUC(a) from both models' placements on the same rows. */
export function delongPaired(va: Float64Array, vb: Float64Array, y: Uint8Array, w: Float64Array | null, confidence: number): PairedResult | null {
  const { pos, neg } = emptyPlacementSums();
  for (let i = 0; i < y.length; i++) addTo(y[i] ? pos : neg, w ? w[i] : 1, vb[i] - va[i]);
  const e = delongEstimate(pos, neg);
  return e ? zTest(e.auc, e.se, confidence) : null;
}

/** DeLong's interval of one model's AUC from its placements. */
export function delongOf(v: Float64Array, y: Uint8Array, w: Float64Array | null): { pos: MeanSums; neg: MeanSums } {
  const sums = emptyPlacementSums();
  for (let i = 0; i < y.length; i++) addTo(y[i] ? sums.pos : sums.neg, w ? w[i] : 1, v[i]);
  return sums;
}
