/**
 * How much the worst rows weigh in a non-negative per-row loss (#16 item 5): the share of its
 * total (Σw·ℓ) carried by the ⌈1%·n⌉ and ⌈10%·n⌉ rows with the largest ℓ, and the loss's mean
 * over the other rows. Used for the losses of counts (countRobustness.ts), each pinball level of
 * a quantile set and the CRPS and z² of a predicted variance. The losses come in one buffer in
 * file order and every sum runs in file order on the calling thread, so the result is the same
 * for any number of threads; rows are ranked by ℓ (not w·ℓ, as the L1/L2 shares rank by |d|),
 * ties by file order (the first rows first).
 */
import { neumaier } from '../../exactSum';

/** The worst rows' part of one loss. */
export interface ShareCut {
  /** Rows in this group: ⌈fraction·n⌉. */
  rows: number;
  /** Share of the loss's total (Σw·ℓ) carried by the group's rows, 0…1; null when the total is 0 or not finite. */
  share: number | null;
  /** Mean of the loss over the other rows (weighted); null when no row (or no weight) is left or it is not finite. */
  without: number | null;
}

/** Rows of the worst 1% and 10% of n rows. */
export function worstRows(n: number): [number, number] {
  return [Math.max(1, Math.ceil(0.01 * n)), Math.max(1, Math.ceil(0.1 * n))];
}

/** Bits of the order key: a non-negative double's high word, shifted (sign, exponent, 8 mantissa bits). */
const KEY_SHIFT = 12;
const NKEYS = 1 << (32 - KEY_SHIFT);

/** Buffers reused from one loss to the next (the key counts are 4 MiB). */
export class ShareScratch {
  readonly counts = new Uint32Array(NKEYS);
  private readonly f = new Float64Array(1);
  private readonly hi = new Uint32Array(this.f.buffer);

  /**
   * Adds the key of every loss to `counts` (inlined: this runs once per row and loss). Zero,
   * negatives (rounding's tiny ones) and NaN rank lowest (key 0).
   */
  count(loss: Float64Array): void {
    const { counts, f, hi } = this;
    for (let i = 0; i < loss.length; i++) {
      const v = loss[i];
      if (v > 0) {
        f[0] = v;
        counts[hi[1] >>> KEY_SHIFT]++;
      } else counts[0]++;
    }
  }

  /** The lowest value of a key (keys of positive doubles are ordered as the values). */
  lowest(key: number): number {
    this.hi[0] = 0;
    this.hi[1] = key << KEY_SHIFT;
    return this.hi[1] === 0 ? -Infinity : this.f[0];
  }
}

/**
 * The worst 1% and 10% of `loss` (n = loss.length rows in file order; `weights` chunks of the same
 * total length, or null). Two passes: the key counts, which find the key that holds each group's
 * k-th largest loss; then the sums, the rows of those two keys collected (in file order, with
 * their weights) and sorted to settle the cut exactly. The other rows' sums are summed as such,
 * not taken as the total minus the group's (which loses digits when a few rows carry nearly all).
 */
export function lossShares(loss: Float64Array, weights: readonly Float64Array[] | null, scratch = new ShareScratch()): [ShareCut, ShareCut] {
  const n = loss.length;
  const ks = worstRows(n);
  if (n === 0) return [{ rows: ks[0], share: null, without: null }, { rows: ks[1], share: null, without: null }];
  const counts = scratch.counts;
  counts.fill(0);
  scratch.count(loss);
  const bounds = ks.map((k) => {
    let above = 0;
    let kk = NKEYS - 1;
    while (kk > 0 && above + counts[kk] < k) above += counts[kk--];
    // Key 0 holds zero and everything below the lowest positive key.
    return { k, above, lo: kk === 0 ? -Infinity : scratch.lowest(kk), top: kk + 1 < NKEYS ? scratch.lowest(kk + 1) : Infinity, vals: new Float64Array(counts[kk]), ws: new Float64Array(counts[kk]) };
  });
  // Neumaier sums in a Float64Array (no boxed doubles). Most rows lie below both cuts (b1.lo ≤
  // b0.lo: the 10% cut is the lower): their Σw·ℓ and Σw at 0 are the other rows' of both groups.
  // The rows at or above b1.lo are few: per group at 4 + 8g the Σw·ℓ and Σw of the group's rows
  // and of the other rows among them. The total is the sum of the two parts (both ≥ 0).
  const acc = new Float64Array(4 + 8 * bounds.length);
  const [b0, b1] = bounds;
  // The cuts and buffers in locals: property loads in the loop below cost a third of its time.
  const lo0 = b0.lo;
  const top0 = b0.top;
  const lo1 = b1.lo;
  const top1 = b1.top;
  const vals0 = b0.vals;
  const ws0 = b0.ws;
  const vals1 = b1.vals;
  const ws1 = b1.ws;
  let m0 = 0;
  let m1 = 0;
  let r = 0;
  let lowN = 0;
  const chunks = weights ?? [null];
  for (const wc of chunks) {
    const m = wc ? wc.length : n;
    for (let j = 0; j < m; j++, r++) {
      const v = loss[r];
      const w = wc ? wc[j] : 1;
      const x = w * v;
      if (!(v >= lo1)) {
        neumaier(acc, 0, x);
        // Without weights Σw is a count (exact in a double).
        if (wc) neumaier(acc, 2, w);
        else lowN++;
        continue;
      }
      if (v >= top0) {
        neumaier(acc, 4, x);
        neumaier(acc, 6, w);
      } else if (v >= lo0) {
        vals0[m0] = v;
        ws0[m0++] = w;
      } else {
        neumaier(acc, 8, x);
        neumaier(acc, 10, w);
      }
      if (v >= top1) {
        neumaier(acc, 12, x);
        neumaier(acc, 14, w);
      } else {
        vals1[m1] = v;
        ws1[m1++] = w;
      }
    }
  }
  if (r !== n) throw new Error('losses and weights are not aligned');
  // Of the collected rows: τ the k-th largest loss; the rows above it join, and of those equal
  // to it the first ones in file order; the others are the rest's.
  [m0, m1].forEach((m, g) => {
    const { k, above, vals, ws } = bounds[g];
    const sorted = vals.slice(0, m).sort();
    const tau = sorted[m - (k - above)];
    let greater = above;
    for (let j = m - 1; j >= 0 && sorted[j] > tau; j--) greater++;
    let ties = k - greater;
    const o = 4 + 8 * g;
    for (let j = 0; j < m; j++) {
      const v = vals[j];
      const into = v > tau || (v === tau && ties-- > 0) ? o : o + 4;
      neumaier(acc, into, ws[j] * v);
      neumaier(acc, into + 2, ws[j]);
    }
  });
  const sumAt = (o: number) => acc[o] + acc[o + 1];
  const low = sumAt(0);
  const lowW = weights ? sumAt(2) : lowN;
  // Every row ≥ b1.lo is in group 1's or its other rows among them.
  const total = low + (sumAt(12) + sumAt(16));
  const cut = (g: number): ShareCut => {
    const o = 4 + 8 * g;
    const rw = lowW + sumAt(o + 6);
    const mean = (low + sumAt(o + 4)) / rw;
    return {
      rows: ks[g],
      share: total > 0 && Number.isFinite(total) ? Math.min(1, Math.max(0, sumAt(o) / total)) : null,
      without: rw > 0 && Number.isFinite(mean) ? Math.max(0, mean) : null,
    };
  };
  return [cut(0), cut(1)];
}
