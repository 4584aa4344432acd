/**
 * The loss and gradient curves against d, and the d range they are drawn over. Pure: every
 * function returns bounded arrays, so a chart never receives more points than it draws quickly.
 */
import { CURVES, CurveKey, LossParams } from '../losses';
import type { ModelReport, Report } from '../report';
import { finiteOrNull, niceCeil, XY } from './common';

export interface CurveRange {
  /** The curves are drawn for d in [−end, end]. */
  end: number;
  /** Largest |d| over all models. */
  maxAbs: number;
  /** True when some residuals lie beyond ±end (huge outliers were left out of the picture). */
  clipped: boolean;
}

/**
 * The d range of the loss and gradient curves: it covers every residual (±1.1·max|d|) unless
 * the largest ones are outliers far beyond the 99th percentile (max > 3·p99), in which case it
 * covers ±1.1·p99 and reports `clipped`. β and δ are brought into view when they are within 4×
 * of that range. The end is rounded up to a round number. Over every model, or one model.
 */
export function curveRange(report: Pick<Report, 'models' | 'params'>, modelIndex?: number): CurveRange {
  let maxAbs = 0;
  let p99 = 0;
  const models = modelIndex === undefined ? report.models : report.models.slice(modelIndex, modelIndex + 1);
  for (const m of models) {
    if (Number.isFinite(m.absQuantiles.max)) maxAbs = Math.max(maxAbs, m.absQuantiles.max);
    if (Number.isFinite(m.absQuantiles.p99)) p99 = Math.max(p99, m.absQuantiles.p99);
  }
  const knobs = Math.max(report.params.beta, report.params.delta);
  let base: number;
  if (maxAbs <= 0) base = Math.max(2 * knobs, 1);
  else if (p99 > 0 && maxAbs > 3 * p99) base = 1.1 * p99;
  else base = 1.1 * maxAbs;
  if (knobs > base && knobs <= 4 * base) base = 1.15 * knobs;
  const end = niceCeil(base);
  return { end, maxAbs, clipped: maxAbs > end };
}

/**
 * How many rows of a model have |d| > end, from its worst rows (the top K by |d|): exact when
 * fewer than K of them are beyond, otherwise "at least K".
 */
export function rowsBeyond(model: Pick<ModelReport, 'worst'>, end: number): { count: number; atLeast: boolean } {
  const count = model.worst.filter((w) => Math.abs(w.residual) > end).length;
  return { count, atLeast: count > 0 && count === model.worst.length };
}

// ---- loss and gradient curves ---------------------------------------------------------------

/** Sample points over [−end, end]: an odd count (so 0 is one), plus the kinks ±β, ±δ. */
export function curveXs(end: number, params: LossParams, points = 401): number[] {
  const n = Math.max(3, Math.min(2001, Math.floor(points) | 1));
  const kinks = [params.beta, params.delta].filter((k) => k > 0 && k < end).flatMap((k) => [k, -k]);
  const near = (x: number) => kinks.some((k) => Math.abs(x - k) <= end * 1e-9);
  const xs = new Set<number>(kinks);
  for (let i = 0; i < n; i++) {
    const x = i === (n - 1) / 2 ? 0 : -end + (2 * end * i) / (n - 1);
    if (!near(x)) xs.add(x);
  }
  return [...xs].sort((a, b) => a - b);
}

export interface CurveSeries {
  key: CurveKey;
  label: string;
  formula: string;
  points: XY[];
}

export interface CurveSet {
  curves: CurveSeries[];
  /** A y limit that keeps every curve's shape readable (L2 may leave the chart above it). */
  yMax: number;
  /** The smallest y the chart should show (−yMax for gradients, 0 for losses). */
  yMin: number;
  /** Keys of the curves that leave the chart (their values exceed the limit). */
  offChart: CurveKey[];
}

function curveLabel(key: CurveKey, label: string, p: LossParams): string {
  if (key === 'smoothL1') return `${label} (β = ${p.beta})`;
  if (key === 'huber') return `${label} (δ = ${p.delta})`;
  return label;
}

/** Per-element loss of every curve (L1, L2, smooth L1 at β, Huber at δ, log-cosh) over [−end, end]. */
export function lossCurves(end: number, params: LossParams, points = 401): CurveSet {
  const xs = curveXs(end, params, points);
  const curves = CURVES.map((c) => ({
    key: c.key,
    label: curveLabel(c.key, c.label, params),
    formula: c.formula,
    points: xs.map((x) => ({ x, y: finiteOrNull(c.value(x, params)) })),
  }));
  const peak = (k: CurveKey) => Math.max(0, ...(curves.find((c) => c.key === k)?.points ?? []).map((p) => p.y ?? 0));
  const others = Math.max(...curves.filter((c) => c.key !== 'l2').map((c) => peak(c.key)));
  const all = Math.max(others, peak('l2'));
  const yMax = niceCeil(Math.min(all, 1.5 * others) * 1.02);
  const offChart = curves.filter((c) => c.points.some((p) => p.y === null || p.y > yMax)).map((c) => c.key);
  return { curves, yMax, yMin: 0, offChart };
}

/**
 * Derivative of every loss with respect to the prediction, over [−end, end]. Where a gradient
 * jumps (L1, and smooth L1 with β = 0, at d = 0) the point at 0 is null so the line shows the
 * break. L2 (2d) is unbounded: the y limit keeps the bounded curves readable and L2 leaves the
 * chart when 2·end is much larger than them.
 */
export function gradientCurves(end: number, params: LossParams, points = 401): CurveSet {
  const xs = curveXs(end, params, points);
  const jumps = (k: CurveKey) => k === 'l1' || (k === 'smoothL1' && params.beta === 0);
  const curves = CURVES.map((c) => ({
    key: c.key,
    label: curveLabel(c.key, c.label, params),
    formula: c.gradFormula,
    points: xs.map((x) => ({ x, y: x === 0 && jumps(c.key) ? null : finiteOrNull(c.grad(x, params)) })),
  }));
  // The largest gradient of the bounded curves within the range (±1, δ, tanh(end)).
  let bounded = 0;
  for (const c of curves) if (c.key !== 'l2') for (const p of c.points) if (p.y !== null) bounded = Math.max(bounded, Math.abs(p.y));
  const l2End = 2 * end;
  const yMax = niceCeil(l2End <= 3 * bounded ? Math.max(l2End, bounded) * 1.02 : 1.5 * bounded);
  const offChart = curves.filter((c) => c.points.some((p) => p.y !== null && Math.abs(p.y) > yMax)).map((c) => c.key);
  return { curves, yMax, yMin: -yMax, offChart };
}
