/**
 * How much the worst rows weigh in the losses of counts and positive targets (#16 item 5): the
 * share of the squared log error and of the Poisson, Gamma and Tweedie unit deviances carried by
 * the worst 1% and 10% of rows, ranked by that loss itself (a deviance is not a function of |d|
 * alone: the same residual costs more on a small target). Computed after the scan from the
 * stored targets and residuals (prediction = target + d), in file order, so the result is the
 * same for any number of threads.
 */
import { gammaDev, poissonDev, squaredLogError, tweedieDev } from './counts';
import type { MetricKey } from './losses';

/** The per-row losses of counts whose shares are reported, each the per-row term of its metric. */
export const COUNT_ROW_KEYS = ['msle', 'poissonDeviance', 'gammaDeviance', 'tweedieDeviance'] as const;
export type CountRowKey = (typeof COUNT_ROW_KEYS)[number] & MetricKey;

export interface CountShare {
  /** Rows in this group: ⌈fraction·n⌉. */
  rows: number;
  /** Share of the loss's total (Σw·ℓ) carried by the group's rows, 0…1; null where the metric is. */
  share: Record<CountRowKey, number | null>;
  /** Mean of the loss over the other rows (weighted); null where the metric is null or no row is left. */
  without: Record<CountRowKey, number | null>;
}

export interface CountRobustness {
  worst1: CountShare;
  worst10: CountShare;
}

/** One row's loss of `key` (target y, prediction μ), as the metric's per-row term. */
export function countRowLoss(key: CountRowKey, y: number, mu: number, power: number): number {
  switch (key) {
    case 'msle':
      return squaredLogError(y, mu);
    case 'poissonDeviance':
      return poissonDev(y, mu);
    case 'gammaDeviance':
      return gammaDev(y, mu);
    case 'tweedieDeviance':
      // At the default power the powers are square roots (as the scan computes them).
      return power === 1.5 ? 2 * (Math.sqrt(y) / -0.25 + (2 * y) / Math.sqrt(mu) + 2 * Math.sqrt(mu)) : tweedieDev(y, mu, power);
  }
}

/** Bits of the order key: a non-negative double's high word, shifted (sign, exponent, 8 mantissa bits). */
const KEY_SHIFT = 12;
const NKEYS = 1 << (32 - KEY_SHIFT);

/**
 * The worst-rows shares of each defined loss. `targets`, `residuals` and `weights` are chunks in
 * file order (the same total length); `defined` lists the losses whose metric is not null (the
 * others are null here). Rows are ranked by the loss, ties by file order (the first rows first).
 */
export function countRobustness(
  targets: readonly Float64Array[],
  residuals: readonly Float64Array[],
  weights: readonly Float64Array[] | null,
  power: number,
  defined: readonly CountRowKey[],
): CountRobustness {
  let n = 0;
  for (const c of residuals) n += c.length;
  const fractions = [0.01, 0.1];
  const ks = fractions.map((f) => Math.max(1, Math.ceil(f * n)));
  const out = ks.map((rows): CountShare => ({ rows, share: nulls(), without: nulls() }));
  if (n === 0 || defined.length === 0) return { worst1: out[0], worst10: out[1] };
  // The losses of one key at a time, in file order (one buffer, reused).
  const loss = new Float64Array(n);
  const counts = new Uint32Array(NKEYS);
  const f = new Float64Array(1);
  const hi = new Uint32Array(f.buffer);
  /** The lowest value of a key (keys of positive doubles are ordered as the values). */
  const lowest = (key: number): number => {
    hi[0] = 0;
    hi[1] = key << KEY_SHIFT;
    return hi[1] === 0 ? -Infinity : f[0];
  };
  // Σw of all rows (the same for every loss).
  let totalW = n;
  if (weights) {
    const wsum = new Float64Array(2);
    for (const wc of weights) {
      for (let j = 0; j < wc.length; j++) {
        const x = wc[j];
        const a = wsum[0];
        const t = a + x;
        wsum[1] += Math.abs(a) >= Math.abs(x) ? a - t + x : x - t + a;
        wsum[0] = t;
      }
    }
    totalW = wsum[0] + wsum[1];
  }
  for (const key of defined) {
    counts.fill(0);
    let i = 0;
    for (let c = 0; c < residuals.length; c++) {
      const t = targets[c];
      const d = residuals[c];
      if (t.length !== d.length) throw new Error('targets and residuals are not aligned');
      for (let j = 0; j < d.length; j++) {
        const v = countRowLoss(key, t[j], t[j] + d[j], power);
        loss[i++] = v;
        // Zero and rounding's tiny negatives rank lowest (key 0).
        if (v > 0) {
          f[0] = v;
          counts[hi[1] >>> KEY_SHIFT]++;
        } else counts[0]++;
      }
    }
    // Per group, the key holding its k-th largest loss: the rows of higher keys are in the group;
    // those of that key are collected (in file order, with their weights) to settle it.
    const bounds = ks.map((k) => {
      let above = 0;
      let kk = NKEYS - 1;
      while (kk > 0 && above + counts[kk] < k) above += counts[kk--];
      // Key 0 holds zero and everything below the lowest positive key.
      return { k, above, lo: kk === 0 ? -Infinity : lowest(kk), top: kk + 1 < NKEYS ? lowest(kk + 1) : Infinity, vals: new Float64Array(counts[kk]), ws: new Float64Array(counts[kk]) };
    });
    // Neumaier sums in a Float64Array (no boxed doubles): Σw·ℓ of all rows, then per group the
    // Σw·ℓ and Σw of its rows (the other rows' are the differences: the groups are the rarer rows).
    const acc = new Float64Array(2 + 4 * bounds.length);
    const add = (o: number, x: number) => {
      const a = acc[o];
      const t = a + x;
      acc[o + 1] += Math.abs(a) >= Math.abs(x) ? a - t + x : x - t + a;
      acc[o] = t;
    };
    const [b0, b1] = bounds;
    let m0 = 0;
    let m1 = 0;
    let r = 0;
    for (let c = 0; c < residuals.length; c++) {
      const wc = weights ? weights[c] : null;
      const m = residuals[c].length;
      for (let j = 0; j < m; j++, r++) {
        const v = loss[r];
        const w = wc ? wc[j] : 1;
        const x = w * v;
        add(0, x);
        if (v >= b0.top) {
          add(2, x);
          add(4, w);
        } else if (v >= b0.lo) {
          b0.vals[m0] = v;
          b0.ws[m0++] = w;
        }
        if (v >= b1.top) {
          add(6, x);
          add(8, w);
        } else if (v >= b1.lo) {
          b1.vals[m1] = v;
          b1.ws[m1++] = w;
        }
      }
    }
    // Of the collected rows: τ the k-th largest loss; the rows above it join, and of those equal
    // to it the first ones in file order.
    [m0, m1].forEach((m, g) => {
      const { k, above, vals, ws } = bounds[g];
      const sorted = vals.slice(0, m).sort();
      const tau = sorted[m - (k - above)];
      let greater = above;
      for (let j = m - 1; j >= 0 && sorted[j] > tau; j--) greater++;
      let ties = k - greater;
      for (let j = 0; j < m; j++) {
        const v = vals[j];
        if (v > tau || (v === tau && ties-- > 0)) {
          add(2 + 4 * g, ws[j] * v);
          add(4 + 4 * g, ws[j]);
        }
      }
    });
    const sumAt = (o: number) => acc[o] + acc[o + 1];
    const total = sumAt(0);
    bounds.forEach((_, g) => {
      const top = sumAt(2 + 4 * g);
      out[g].share[key] = total > 0 && Number.isFinite(total) ? Math.min(1, Math.max(0, top / total)) : null;
      const rw = totalW - sumAt(4 + 4 * g);
      const mean = Math.max(0, total - top) / rw;
      out[g].without[key] = rw > 0 && Number.isFinite(mean) ? mean : null;
    });
  }
  return { worst1: out[0], worst10: out[1] };
}

function nulls(): Record<CountRowKey, number | null> {
  return { msle: null, poissonDeviance: null, gammaDeviance: null, tweedieDeviance: null };
}

