/**
 * How much the worst rows weigh in the losses of a predicted variance (#16 item 5): the share of
 * the total carried by the worst 1% and 10% of rows (ranked by that loss, lossShares.ts) of
 * - the Gaussian CRPS (≥ 0 on every row), and
 * - z² = d²/max(σ², 1e-6), the Gaussian NLL's data term doubled: the NLL itself is
 *   ½·log max(σ², 1e-6) + ½·z², negative wherever σ² < 1 and d is small, so its total is not a
 *   sum of parts and a "share" of it could exceed 1 or have no sign. Its excess over its value
 *   at d = 0 (the row's σ kept) is ½·z², whose shares are these.
 * After the scan, from the stored residuals and the spread values VarianceAcc kept (8 bytes a
 * row per spread column); in file order on the calling thread: the same for any threads.
 */
import { neumaier } from '../../exactSum';
import { lossShares, ShareScratch, worstRows } from './lossShares';
import { crpsGaussian, GAUSSIAN_NLL_EPS, SpreadKind } from './variance';

export const SPREAD_SHARE_KEYS = ['crps', 'zSquared'] as const;
export type SpreadShareKey = (typeof SPREAD_SHARE_KEYS)[number];

export interface SpreadShare {
  /** Rows in this group: ⌈fraction·n⌉. */
  rows: number;
  /** Share of the loss's total (Σw·ℓ) carried by the group's rows, 0…1; null when the total is 0 or not finite. */
  share: Record<SpreadShareKey, number | null>;
  /** Mean of the loss over the other rows (weighted); null when none is left. */
  without: Record<SpreadShareKey, number | null>;
}

export interface SpreadRobustness {
  worst1: SpreadShare;
  worst10: SpreadShare;
  /** z²'s (weighted) mean over every row: its "mean" beside the shares (the NLL's data term, doubled; 1 for a calibrated spread). */
  zSquaredMean: number | null;
}

/** One row's loss `key` from its residual d and its spread value s (a variance or a standard deviation). */
export function spreadRowLoss(key: SpreadShareKey, kind: SpreadKind, d: number, s: number): number {
  if (key === 'crps') return crpsGaussian(d, kind === 'std' ? s : Math.sqrt(s));
  // As VarianceAcc.row: the variance clamped as PyTorch's GaussianNLLLoss clamps it.
  const v = kind === 'std' ? s * s : s;
  const vc = v > GAUSSIAN_NLL_EPS ? v : GAUSSIAN_NLL_EPS;
  return (d * d) / vc;
}

/** The shares of one model: its residuals and its spread column's values, chunks in file order (aligned); weights or null. */
export function spreadShares(kind: SpreadKind, residuals: readonly Float64Array[], spread: readonly Float64Array[], weights: readonly Float64Array[] | null): SpreadRobustness {
  let n = 0;
  for (const c of residuals) n += c.length;
  const loss = new Float64Array(n);
  const scratch = new ShareScratch();
  const cuts = worstRows(n).map((rows): SpreadShare => ({ rows, share: { crps: null, zSquared: null }, without: { crps: null, zSquared: null } }));
  let zSquaredMean: number | null = null;
  for (const key of SPREAD_SHARE_KEYS) {
    let i = 0;
    for (let c = 0; c < residuals.length; c++) {
      const d = residuals[c];
      const s = spread[c];
      if (!s || s.length !== d.length) throw new Error('spread values and residuals are not aligned');
      for (let j = 0; j < d.length; j++) loss[i++] = spreadRowLoss(key, kind, d[j], s[j]);
    }
    const got = lossShares(loss, weights, scratch);
    got.forEach((cut, g) => {
      cuts[g].share[key] = cut.share;
      cuts[g].without[key] = cut.without;
    });
    if (key === 'zSquared') zSquaredMean = weightedMean(loss, weights);
  }
  return { worst1: cuts[0], worst10: cuts[1], zSquaredMean };
}

/** Σw·ℓ / Σw in file order (Neumaier); null when not finite. */
function weightedMean(loss: Float64Array, weights: readonly Float64Array[] | null): number | null {
  const acc = new Float64Array(4);
  let r = 0;
  for (const wc of weights ?? [null]) {
    const m = wc ? wc.length : loss.length;
    for (let j = 0; j < m; j++, r++) {
      const w = wc ? wc[j] : 1;
      neumaier(acc, 0, w * loss[r]);
      neumaier(acc, 2, w);
    }
  }
  const mean = (acc[0] + acc[1]) / (acc[2] + acc[3]);
  return Number.isFinite(mean) ? mean : null;
}
