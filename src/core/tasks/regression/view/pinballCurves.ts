/**
 * The pinball loss of each level of a quantile set (#16 item 5) against the residual
 * d = prediction − target: a V whose arms have slopes −q (under the target) and 1 − q (above),
 * with the residuals of one level of the sample drawn behind. Pure: no DOM.
 */
import type { ModelReport, Report } from '../report';
import { niceCeil, XY } from './common';
import { binDensity, quantileOf } from './density';
import type { Density } from './histogram';

export interface PinballCurve {
  column: string;
  q: number;
  /** Levels q and 1 − q share a pair (0: the pair nearest the median), so a chart can give them one colour. */
  pair: number;
  /** Three points: (−end, q·end), (0, 0), (end, (1 − q)·end); the loss is linear between them. */
  points: XY[];
}

export interface PinballCurves {
  end: number;
  yMax: number;
  curves: PinballCurve[];
  /** The level whose residuals are drawn behind (the one nearest 0.5), or null without sampled values. */
  behind: { column: string; q: number; density: Density & { outside: number } } | null;
}

/** One row's pinball loss at level q for residual d = prediction − target (scikit-learn's mean_pinball_loss per row). */
export function pinballAt(q: number, d: number): number {
  return d <= 0 ? -q * d : (1 - q) * d;
}

/** Residuals d = prediction − target of each level of the model's set in the sample (empty without). */
export function sampleLevelResiduals(report: Pick<Report, 'sample'>, modelIndex: number): number[][] {
  const levels = report.sample.quantiles?.[modelIndex] ?? null;
  if (!levels) return [];
  const t = report.sample.target;
  return levels.map((vals) => vals.map((p, i) => p - t[i]));
}

/** The V's of a model's levels over [−end, end]: 1.1× the 99th percentile of |d| over the sampled levels, rounded up. */
export function pinballCurves(report: Pick<Report, 'sample' | 'rows'>, modelIndex: number, model: Pick<ModelReport, 'quantiles'>): PinballCurves | null {
  const levels = model.quantiles ?? [];
  if (levels.length === 0) return null;
  const res = sampleLevelResiduals(report, modelIndex);
  // The levels far from the median are offset from the target by design, so their largest
  // residuals would stretch the range past where the data lies: the 99th percentile over all.
  const abs = res.flat().map(Math.abs).filter(Number.isFinite);
  const p99 = quantileOf(abs, 0.99);
  const base = p99 > 0 ? 1.1 * p99 : 1;
  const end = niceCeil(base);
  const distances = [...new Set(levels.map((l) => Math.round(Math.abs(l.q - 0.5) * 1e9)))].sort((a, b) => a - b);
  const curves = levels.map((l) => ({ column: l.column, q: l.q, pair: distances.indexOf(Math.round(Math.abs(l.q - 0.5) * 1e9)), points: [-end, 0, end].map((x) => ({ x, y: x === 0 ? 0 : pinballAt(l.q, x) })) }));
  const yMax = niceCeil(Math.max(...levels.map((l) => Math.max(l.q, 1 - l.q))) * end * 1.02);
  let j = 0;
  levels.forEach((l, i) => Math.abs(l.q - 0.5) < Math.abs(levels[j].q - 0.5) && (j = i));
  const behind = res[j] && res[j].length > 0 ? { column: levels[j].column, q: levels[j].q, density: binDensity(res[j], -end, end, report.rows.used) } : null;
  return { end, yMax, curves, behind };
}
