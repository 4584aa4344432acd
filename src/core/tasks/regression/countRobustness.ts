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
import { lossShares, ShareScratch, worstRows } from './lossShares';

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
  const out = worstRows(n).map((rows): CountShare => ({ rows, share: nulls(), without: nulls() }));
  if (n === 0 || defined.length === 0) return { worst1: out[0], worst10: out[1] };
  // The losses of one key at a time, in file order (one buffer, reused).
  const loss = new Float64Array(n);
  const scratch = new ShareScratch();
  for (const key of defined) {
    let i = 0;
    for (let c = 0; c < residuals.length; c++) {
      const t = targets[c];
      const d = residuals[c];
      if (t.length !== d.length) throw new Error('targets and residuals are not aligned');
      for (let j = 0; j < d.length; j++) loss[i++] = countRowLoss(key, t[j], t[j] + d[j], power);
    }
    lossShares(loss, weights, scratch).forEach((cut, g) => {
      out[g].share[key] = cut.share;
      out[g].without[key] = cut.without;
    });
  }
  return { worst1: out[0], worst10: out[1] };
}

function nulls(): Record<CountRowKey, number | null> {
  return { msle: null, poissonDeviance: null, gammaDeviance: null, tweedieDeviance: null };
}

