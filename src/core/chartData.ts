/**
 * Chart-ready data for the report webview, computed from a Report and the settings being tried.
 * Pure: no DOM, no vscode; every function returns bounded arrays (the report is bounded too) so
 * a chart never receives more points than it can draw quickly.
 */
import { CURVES, CurveKey, LossParams, MetricKey } from './losses';
import type { Histogram, ModelReport, ParamSweep, Report, RowSeries } from './report';

export interface XY {
  x: number;
  /** null: no value here (a gap in the line, or not finite in double precision). */
  y: number | null;
}

/** Rounds x > 0 up to 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 times a power of ten. */
export function niceCeil(x: number): number {
  if (!(x > 0) || !Number.isFinite(x)) return 1;
  const p = 10 ** Math.floor(Math.log10(x));
  for (const s of [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) {
    const v = Number((s * p).toPrecision(12));
    if (v >= x) return v;
  }
  return 10 * p;
}

// ---- range of the curve charts ------------------------------------------------------------

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

const finiteOrNull = (v: number): number | null => (Number.isFinite(v) ? v : null);

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

// ---- residual histograms --------------------------------------------------------------------

export interface Bar {
  x0: number;
  x1: number;
  /** Centre of the bin. */
  x: number;
  count: number;
}

/** The report's histogram as bars, with adjacent bins merged so that there are at most maxBars. */
export function histogramBars(h: Histogram, maxBars = 200): Bar[] {
  const n = h.counts.length;
  if (n === 0) return [];
  const width = (h.max - h.min) / n;
  const group = Math.max(1, Math.ceil(n / Math.max(1, maxBars)));
  const bars: Bar[] = [];
  for (let i = 0; i < n; i += group) {
    const j = Math.min(n, i + group);
    let count = 0;
    for (let k = i; k < j; k++) count += h.counts[k];
    const x0 = h.min + i * width;
    const x1 = j === n ? h.max : h.min + j * width;
    bars.push({ x0, x1, x: width > 0 ? (x0 + x1) / 2 : h.min, count });
  }
  return bars;
}

export interface Density {
  bars: Bar[];
  /** Share of the counted rows per bar (sums to ≤ 1: rows beyond the range are not in a bar). */
  shares: number[];
  /** Rows the density was computed from. */
  rows: number;
  /** 'all': every used row (the sample holds them all); 'sample': a deterministic sample. */
  source: 'all' | 'sample';
}

/** Signed residuals d = prediction − target of the sample rows of one model. */
export function sampleResiduals(report: Pick<Report, 'sample'>, modelIndex: number): number[] {
  const t = report.sample.target;
  const p = report.sample.predictions[modelIndex] ?? [];
  const out: number[] = [];
  for (let i = 0; i < Math.min(t.length, p.length); i++) out.push(p[i] - t[i]);
  return out;
}

/**
 * Where the data sits on the curves: the residuals of one model binned over [−end, end]. Binned
 * from the sample, which holds every used row for files up to its size (source 'all').
 */
export function residualDensity(report: Pick<Report, 'sample' | 'rows'>, modelIndex: number, end: number, bins = 40): Density {
  const d = sampleResiduals(report, modelIndex);
  const nb = Math.max(1, Math.min(400, Math.floor(bins)));
  const width = (2 * end) / nb;
  const counts = new Array<number>(nb).fill(0);
  for (const v of d) {
    if (!(Math.abs(v) <= end)) continue;
    counts[Math.min(nb - 1, Math.floor((v + end) / width))]++;
  }
  const bars = counts.map((count, i) => {
    const x0 = -end + i * width;
    return { x0, x1: x0 + width, x: x0 + width / 2, count };
  });
  return {
    bars,
    shares: counts.map((c) => (d.length > 0 ? c / d.length : 0)),
    rows: d.length,
    source: d.length >= report.rows.used ? 'all' : 'sample',
  };
}

// ---- per-row loss along the file ------------------------------------------------------------

export interface RowLossSeries {
  /** 1-based index (among used rows, in file order) of the first row of each point. */
  x: number[];
  /** Largest and smallest per-element loss of the rows of each point. */
  max: (number | null)[];
  min: (number | null)[];
  rowsPerPoint: number;
}

/**
 * Per-row loss of the decimated series for one loss: every loss is an increasing function of
 * |d|, so the loss of maxAbs (minAbs) is the largest (smallest) loss of the rows of the point.
 */
export function rowSeries(series: RowSeries, lossKey: CurveKey, params: LossParams): RowLossSeries {
  const def = CURVES.find((c) => c.key === lossKey) ?? CURVES[0];
  const n = Math.min(series.maxAbs.length, series.minAbs.length);
  const x: number[] = [];
  const max: (number | null)[] = [];
  const min: (number | null)[] = [];
  for (let i = 0; i < n; i++) {
    x.push(i * series.rowsPerPoint + 1);
    max.push(finiteOrNull(def.value(series.maxAbs[i], params)));
    min.push(finiteOrNull(def.value(series.minAbs[i], params)));
  }
  return { x, max, min, rowsPerPoint: series.rowsPerPoint };
}

// ---- β / δ sweep ----------------------------------------------------------------------------

export interface SweepPoint {
  index: number;
  /** The grid value (β for smooth L1, δ for Huber). */
  value: number;
  smoothL1: number;
  huber: number;
  quadraticShare: number;
}

/** Index of the grid value nearest to beta on a log scale (β ≤ 0 gives the smallest value). */
export function sweepIndex(sweep: Pick<ParamSweep, 'values'>, beta: number): number {
  const v = sweep.values;
  if (v.length === 0) return -1;
  if (!(beta > 0)) return 0;
  const lb = Math.log(beta);
  let best = 0;
  for (let i = 1; i < v.length; i++) {
    if (Math.abs(Math.log(v[i]) - lb) < Math.abs(Math.log(v[best]) - lb)) best = i;
  }
  return best;
}

/** The sweep at the grid value nearest to beta (exactly that value when beta is on the grid). */
export function sweepAt(sweep: ParamSweep, beta: number): SweepPoint | undefined {
  const i = sweepIndex(sweep, beta);
  if (i < 0) return undefined;
  return { index: i, value: sweep.values[i], smoothL1: sweep.smoothL1[i], huber: sweep.huber[i], quadraticShare: sweep.quadraticShare[i] };
}

/** smooth L1 (against β) and Huber (against δ) of the data, for the "choosing β" chart. */
export function sweepSeries(sweep: ParamSweep): { smoothL1: XY[]; huber: XY[] } {
  const n = Math.min(sweep.values.length, sweep.smoothL1.length, sweep.huber.length);
  const smoothL1: XY[] = [];
  const huber: XY[] = [];
  for (let i = 0; i < n; i++) {
    smoothL1.push({ x: sweep.values[i], y: finiteOrNull(sweep.smoothL1[i]) });
    huber.push({ x: sweep.values[i], y: finiteOrNull(sweep.huber[i]) });
  }
  return { smoothL1, huber };
}

// ---- predicted against target ---------------------------------------------------------------

export interface ScatterPoint {
  x: number;
  y: number;
  line: number;
}

export interface ScatterData {
  points: ScatterPoint[];
  /**
   * Common axis range of target and prediction: the y = x line runs from (lo, lo) to (hi, hi).
   * It covers every target and every prediction, unless a few wild predictions would squash the
   * rest: then it covers the targets and the central 99% of the predictions.
   */
  lo: number;
  hi: number;
  /** Points outside [lo, hi] (not visible on the chart). */
  outside: number;
}

function quantileSorted(v: number[], q: number): number {
  const pos = q * (v.length - 1);
  const i = Math.floor(pos);
  return i + 1 < v.length ? v[i] + (v[i + 1] - v[i]) * (pos - i) : v[i];
}

/** Predicted (y) against target (x) for the sample rows of one model, at most maxPoints. */
export function scatter(report: Pick<Report, 'sample'>, modelIndex: number, maxPoints = 2000): ScatterData {
  const { target, lines } = report.sample;
  const pred = report.sample.predictions[modelIndex] ?? [];
  const n = Math.min(target.length, pred.length);
  const stride = Math.max(1, Math.ceil(n / Math.max(1, maxPoints)));
  const points: ScatterPoint[] = [];
  for (let i = 0; i < n; i += stride) {
    const x = target[i];
    const y = pred[i];
    if (Number.isFinite(x) && Number.isFinite(y)) points.push({ x, y, line: lines[i] });
  }
  if (points.length === 0) return { points, lo: 0, hi: 1, outside: 0 };
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y).sort((a, b) => a - b);
  let lo = Math.min(...xs, ys[0]);
  let hi = Math.max(...xs, ys[ys.length - 1]);
  const coreLo = Math.min(...xs, quantileSorted(ys, 0.005));
  const coreHi = Math.max(...xs, quantileSorted(ys, 0.995));
  if (hi - lo > 1.5 * (coreHi - coreLo) && coreHi > coreLo) {
    const pad = 0.05 * (coreHi - coreLo);
    lo = coreLo - pad;
    hi = coreHi + pad;
  }
  if (lo === hi) {
    lo -= 1;
    hi += 1;
  }
  const outside = points.filter((p) => p.y < lo || p.y > hi).length;
  return { points, lo, hi, outside };
}

// ---- summary ---------------------------------------------------------------------------------

/**
 * Indexes of the best model(s) for a metric: the lowest loss, the highest R², the mean error
 * closest to 0. Empty with fewer than two models, when no model has a value, or when all tie.
 */
export function bestModels(report: Pick<Report, 'models'>, key: MetricKey): number[] {
  if (report.models.length < 2) return [];
  const score = (v: number) => (key === 'r2' ? -v : key === 'meanError' ? Math.abs(v) : v);
  let best = Infinity;
  report.models.forEach((m) => {
    const v = m.metrics[key];
    if (v !== null) best = Math.min(best, score(v));
  });
  if (best === Infinity) return [];
  const winners = report.models.flatMap((m, i) => (m.metrics[key] !== null && score(m.metrics[key] as number) === best ? [i] : []));
  return winners.length === report.models.length ? [] : winners;
}
