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

  /** The order key of a loss: zero, negatives (rounding's tiny ones) and NaN rank lowest (key 0). */
  key(v: number): number {
    if (!(v > 0)) return 0;
    this.f[0] = v;
    return this.hi[1] >>> KEY_SHIFT;
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
  for (let i = 0; i < n; i++) counts[scratch.key(loss[i])]++;
  const bounds = ks.map((k) => {
    let above = 0;
    let kk = NKEYS - 1;
    while (kk > 0 && above + counts[kk] < k) above += counts[kk--];
    // Key 0 holds zero and everything below the lowest positive key.
    return { k, above, lo: kk === 0 ? -Infinity : scratch.lowest(kk), top: kk + 1 < NKEYS ? scratch.lowest(kk + 1) : Infinity, vals: new Float64Array(counts[kk]), ws: new Float64Array(counts[kk]) };
  });
  // Neumaier sums in a Float64Array (no boxed doubles): Σw·ℓ of all rows, then per group at
  // 2 + 8g the Σw·ℓ and Σw of its rows and of the other rows.
  const acc = new Float64Array(2 + 8 * bounds.length);
  const [b0, b1] = bounds;
  let m0 = 0;
  let m1 = 0;
  let r = 0;
  const chunks = weights ?? [null];
  for (const wc of chunks) {
    const m = wc ? wc.length : n;
    for (let j = 0; j < m; j++, r++) {
      const v = loss[r];
      const w = wc ? wc[j] : 1;
      const x = w * v;
      neumaier(acc, 0, x);
      if (v >= b0.top) {
        neumaier(acc, 2, x);
        neumaier(acc, 4, w);
      } else if (v >= b0.lo) {
        b0.vals[m0] = v;
        b0.ws[m0++] = w;
      } else {
        neumaier(acc, 6, x);
        neumaier(acc, 8, w);
      }
      if (v >= b1.top) {
        neumaier(acc, 10, x);
        neumaier(acc, 12, w);
      } else if (v >= b1.lo) {
        b1.vals[m1] = v;
        b1.ws[m1++] = w;
      } else {
        neumaier(acc, 14, x);
        neumaier(acc, 16, w);
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
    const o = 2 + 8 * g;
    for (let j = 0; j < m; j++) {
      const v = vals[j];
      const into = v > tau || (v === tau && ties-- > 0) ? o : o + 4;
      neumaier(acc, into, ws[j] * v);
      neumaier(acc, into + 2, ws[j]);
    }
  });
  const sumAt = (o: number) => acc[o] + acc[o + 1];
  const total = sumAt(0);
  const cut = (g: number): ShareCut => {
    const o = 2 + 8 * g;
    const rw = sumAt(o + 6);
    const mean = sumAt(o + 4) / rw;
    return {
      rows: ks[g],
      share: total > 0 && Number.isFinite(total) ? Math.min(1, Math.max(0, sumAt(o) / total)) : null,
      without: rw > 0 && Number.isFinite(mean) ? Math.max(0, mean) : null,
    };
  };
  return [cut(0), cut(1)];
}
