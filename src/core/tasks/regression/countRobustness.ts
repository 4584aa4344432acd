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
    // Per group, the k-th largest loss τ (from the values of its key, sorted) and how many rows
    // equal to τ join the group: the first ones in file order.
    const bounds = ks.map((k) => {
      let above = 0;
      let kk = NKEYS - 1;
      while (kk > 0 && above + counts[kk] < k) above += counts[kk--];
      return { k, above, kk, lo: lowest(kk), top: kk + 1 < NKEYS ? lowest(kk + 1) : Infinity, values: new Float64Array(counts[kk]), m: 0 };
    });
    for (const b of bounds) {
      // Key 0 holds zero and everything below the lowest positive key.
      const lo = b.kk === 0 ? -Infinity : b.lo;
      const top = b.top;
      const values = b.values;
      let m = 0;
      for (let r = 0; r < n; r++) {
        const v = loss[r];
        if (v >= lo && !(v >= top)) values[m++] = v;
      }
      b.m = m;
    }
    const cut = bounds.map(({ k, above, values: all, m }) => {
      const values = all.subarray(0, m).sort();
      const tau = values[m - (k - above)];
      let greater = above;
      for (let j = m - 1; j >= 0 && values[j] > tau; j--) greater++;
      return { tau, ties: k - greater };
    });
    // Neumaier sums in a Float64Array (no boxed doubles): Σw·ℓ and Σw of all rows, then of each
    // group's (the other rows' are the differences: the groups are the rarer rows).
    const acc = new Float64Array(4 * (1 + cut.length));
    const add = (o: number, x: number) => {
      const a = acc[o];
      const t = a + x;
      acc[o + 1] += Math.abs(a) >= Math.abs(x) ? a - t + x : x - t + a;
      acc[o] = t;
    };
    const tau0 = cut[0].tau;
    const tau1 = cut[1].tau;
    const tied = [0, 0];
    const low = Math.min(tau0, tau1);
    let r = 0;
    for (let c = 0; c < residuals.length; c++) {
      const wc = weights ? weights[c] : null;
      const m = residuals[c].length;
      for (let j = 0; j < m; j++, r++) {
        const v = loss[r];
        const w = wc ? wc[j] : 1;
        const x = w * v;
        add(0, x);
        if (wc) add(2, w);
        if (!(v >= low)) continue;
        for (let g = 0; g < 2; g++) {
          const tau = g === 0 ? tau0 : tau1;
          if (v > tau || (v === tau && tied[g]++ < cut[g].ties)) {
            add(4 + 4 * g, x);
            add(6 + 4 * g, w);
          }
        }
      }
    }
    const sumAt = (o: number) => acc[o] + acc[o + 1];
    const total = sumAt(0);
    const totalW = weights ? sumAt(2) : n;
    cut.forEach((_, g) => {
      const top = sumAt(4 + 4 * g);
      out[g].share[key] = total > 0 && Number.isFinite(total) ? Math.min(1, Math.max(0, top / total)) : null;
      const rw = totalW - sumAt(6 + 4 * g);
      const mean = Math.max(0, total - top) / rw;
      out[g].without[key] = rw > 0 && Number.isFinite(mean) ? mean : null;
    });
  }
  return { worst1: out[0], worst10: out[1] };
}

function nulls(): Record<CountRowKey, number | null> {
  return { msle: null, poissonDeviance: null, gammaDeviance: null, tweedieDeviance: null };
}

