/** Gradient magnitude of each loss over the rows, derived from the |d| histogram. */
import type { LossParams } from '../losses';
import { gradMagnitude, ROW_LOSSES } from '../losses';
import type { GradientStats, ModelReport } from '../report';
import type { RowLossKey } from '../losses';
import { ROW_LOSS_LABEL } from './common';

export interface GradientRow {
  key: RowLossKey;
  label: string;
  /** Rows per gradient bin (fractional: a |d| bin may straddle gradient bins); Σ counts + below = rows. */
  counts: number[];
  /** Rows whose gradient is below the first edge: |d| below the |d| histogram's range, exact predictions included. */
  below: number;
  /** median, p99, max and max/median of the gradient magnitude. */
  stats: GradientStats;
}

export interface GradientDistribution {
  /** Common bin edges of the gradient magnitude for every loss: quarter octaves (2^(j/4)). */
  edges: number[];
  losses: GradientRow[];
  /** Rows of the model (each loss's counts and below add up to it). */
  rows: number;
  /** Rows with |d| below the histogram's range (zeros included), counted in every loss's `below`. */
  belowRows: number;
  /** The |d| under which rows count as `belowRows`. */
  belowAbs: number;
}

/** Sub-intervals per |d| bin (a power of two, so the fractional counts add up exactly). */
const GRAD_SPLIT = 8;
const PER_OCTAVE = 4;

/**
 * Gradient magnitude of each loss over the rows, as a histogram on a log scale, derived from the
 * |d| histogram (quarter octaves): every loss's gradient is a non-decreasing function of |d|, so
 * each |d| bin maps onto a gradient interval. Each |d| bin is split into 8 log-equal parts (rows
 * assumed spread evenly on the log scale within a bin) whose gradient at their centre picks the
 * gradient bin. Bins are shared by the losses (at most maxBins, the lowest gradients go to
 * `below`). Summary stats are the engine's for the parameters in force, and derived from the |d|
 * quantiles for other parameters (the β being tried).
 */
export function gradientDistribution(
  model: Pick<ModelReport, 'absLogHistogram' | 'absQuantiles' | 'gradients'>,
  params: LossParams,
  inForce: LossParams,
  maxBins = 160,
): GradientDistribution {
  const h = model.absLogHistogram;
  const nIn = Math.min(h.counts.length, Math.max(0, h.edges.length - 1));
  const rows = h.counts.reduce((s, c) => s + c, 0) + h.below;
  // The pieces: (gradient, rows) per loss.
  const pieces = ROW_LOSSES.map((key) => {
    const gs: number[] = [];
    const ws: number[] = [];
    for (let i = 0; i < nIn; i++) {
      const c = h.counts[i];
      if (!(c > 0)) continue;
      const lo = h.edges[i];
      const ratio = h.edges[i + 1] / lo;
      for (let s = 0; s < GRAD_SPLIT; s++) {
        gs.push(gradMagnitude(key, lo * ratio ** ((s + 0.5) / GRAD_SPLIT), params));
        ws.push(c / GRAD_SPLIT);
      }
    }
    return { key, gs, ws };
  });
  let gMin = Infinity;
  let gMax = 0;
  for (const p of pieces) {
    for (const g of p.gs) {
      if (g > 0 && Number.isFinite(g)) {
        gMin = Math.min(gMin, g);
        gMax = Math.max(gMax, g);
      }
    }
  }
  const edges: number[] = [];
  if (gMax > 0) {
    const jHi = Math.floor(PER_OCTAVE * Math.log2(gMax)) + 1;
    const jLo = Math.max(jHi - Math.max(1, Math.floor(maxBins)), Math.floor(PER_OCTAVE * Math.log2(gMin)));
    for (let j = jLo; j <= jHi; j++) edges.push(2 ** (j / PER_OCTAVE));
  }
  const nb = Math.max(0, edges.length - 1);
  const sameParams = (key: RowLossKey) =>
    key === 'smoothL1' ? params.beta === inForce.beta : key === 'huber' ? params.delta === inForce.delta : true;
  const losses = pieces.map(({ key, gs, ws }): GradientRow => {
    const counts = new Array<number>(nb).fill(0);
    let below = h.below;
    gs.forEach((g, i) => {
      if (!(g >= edges[0]) || nb === 0) {
        below += ws[i];
        return;
      }
      let b = Math.min(nb - 1, Math.max(0, Math.floor(PER_OCTAVE * Math.log2(g / edges[0]))));
      while (b > 0 && g < edges[b]) b--;
      while (b < nb - 1 && g >= edges[b + 1]) b++;
      counts[b] += ws[i];
    });
    const q = model.absQuantiles;
    const g = (z: number) => gradMagnitude(key, z, params);
    const derived: GradientStats = { median: g(q.p50), p99: g(q.p99), max: g(q.max), ratio: g(q.p50) > 0 ? g(q.max) / g(q.p50) : null };
    const engine = model.gradients?.[key];
    return { key, label: ROW_LOSS_LABEL[key], counts, below, stats: engine && sameParams(key) ? engine : derived };
  });
  return { edges, losses, rows, belowRows: h.below, belowAbs: h.edges.length ? h.edges[0] : 0 };
}

/** A gradient ratio (max/median) from which the report says a few rows dominate the updates. */
export const EXPLOSIVE_RATIO = 10;
