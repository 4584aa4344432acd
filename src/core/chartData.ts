/**
 * Chart-ready data for the report webview, computed from a Report and the settings being tried.
 * Pure: no DOM, no vscode; every function returns bounded arrays (the report is bounded too) so
 * a chart never receives more points than it can draw quickly.
 */
import { CURVES, CurveKey, LossParams, MetricKey } from './losses';
import { gradMagnitude, ROW_LOSSES } from './report';
import type { GradientStats, Histogram, ModelReport, ParamSweep, Report, RowLossKey, RowSeries } from './report';

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

// ---- robustness: how much the worst rows weigh ----------------------------------------------

/** Short names of the per-row losses, and the metric that is each one's mean. */
export const ROW_LOSS_LABEL: Record<RowLossKey, string> = { l1: 'L1', l2: 'L2', smoothL1: 'smooth L1', huber: 'Huber', logCosh: 'log-cosh' };
export const ROW_LOSS_MEAN: Record<RowLossKey, MetricKey> = { l1: 'mae', l2: 'mse', smoothL1: 'smoothL1', huber: 'huber', logCosh: 'logCosh' };

export interface RobustnessRow {
  key: RowLossKey;
  label: string;
  /** Share of the loss's total carried by the worst 1% (10%) of rows by |d|, 0…1, or null. */
  worst1: number | null;
  worst10: number | null;
  /** Mean of the loss over every row (MAE, MSE, …) and over the rows outside the worst 1%. */
  mean: number | null;
  without1: number | null;
}

const share01 = (v: number | null | undefined): number | null => (typeof v === 'number' && Number.isFinite(v) ? Math.min(1, Math.max(0, v)) : null);

/** One row per loss (L1, L2, smooth L1, Huber, log-cosh) of a model's robustness figures. */
export function robustnessRows(model: Pick<ModelReport, 'robustness' | 'metrics'>): RobustnessRow[] {
  const { worst1, worst10 } = model.robustness;
  return ROW_LOSSES.map((key) => {
    const w1 = share01(worst1.share[key]);
    const w10 = share01(worst10.share[key]);
    const w = worst1.without[key];
    return {
      key,
      label: ROW_LOSS_LABEL[key],
      worst1: w1,
      // The worst 10% hold the worst 1%: never draw the larger group as carrying less.
      worst10: w10 === null ? null : w1 === null ? w10 : Math.max(w1, w10),
      mean: model.metrics[ROW_LOSS_MEAN[key]],
      without1: typeof w === 'number' && Number.isFinite(w) ? w : null,
    };
  });
}

/**
 * The contrast for the sentence under the robustness bars: the loss the worst 1% dominate most and
 * the one they dominate least (L1 before the losses equal to it when they tie). `similar` when the
 * shares are within 10 points of each other, undefined when no share is defined (a perfect fit).
 */
export function robustnessContrast(
  model: Pick<ModelReport, 'robustness' | 'metrics'>,
): { most: RobustnessRow; least: RobustnessRow; similar: boolean } | undefined {
  const rows = robustnessRows(model).filter((r) => r.worst1 !== null);
  if (rows.length === 0) return undefined;
  let most = rows[0];
  let least = rows[0];
  for (const r of rows) {
    if ((r.worst1 as number) > (most.worst1 as number)) most = r;
    if ((r.worst1 as number) < (least.worst1 as number)) least = r;
  }
  return { most, least, similar: (most.worst1 as number) - (least.worst1 as number) < 0.1 };
}

// ---- gradient magnitude over the rows --------------------------------------------------------

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

// ---- residual normal Q-Q plot ---------------------------------------------------------------

// Wichura's AS241 (PPND16): Φ⁻¹ to about 1e-16 relative error.
const AS241_A = [3.387132872796366608, 133.14166789178437745, 1971.5909503065514427, 13731.693765509461125, 45921.953931549871457, 67265.770927008700853, 33430.575583588128105, 2509.0809287301226727];
const AS241_B = [1, 42.313330701600911252, 687.1870074920579083, 5394.1960214247511077, 21213.794301586595867, 39307.89580009271061, 28729.085735721942674, 5226.495278852854561];
const AS241_C = [1.42343711074968357734, 4.6303378461565452959, 5.7694972214606914055, 3.64784832476320460504, 1.27045825245236838258, 0.24178072517745061177, 0.0227238449892691845833, 7.7454501427834140764e-4];
const AS241_D = [1, 2.05319162663775882187, 1.6763848301838038494, 0.68976733498510000455, 0.14810397642748007459, 0.0151986665636164571966, 5.475938084995344946e-4, 1.05075007164441684324e-9];
const AS241_E = [6.6579046435011037772, 5.4637849111641143699, 1.7848265399172913358, 0.29656057182850489123, 0.026532189526576123093, 0.0012426609473880784386, 2.71155556874348757815e-5, 2.01033439929228813265e-7];
const AS241_F = [1, 0.59983220655588793769, 0.13692988092273580531, 0.0148753612908506148525, 7.868691311456132591e-4, 1.8463183175100546818e-5, 1.4215117583164458887e-7, 2.04426310338993978564e-15];

/** c[0] + c[1]·x + … + c[7]·x⁷ (Horner). */
function poly(c: number[], x: number): number {
  let v = 0;
  for (let i = c.length - 1; i >= 0; i--) v = v * x + c[i];
  return v;
}

/**
 * The standard normal quantile Φ⁻¹(p) (Wichura's algorithm AS241, accurate to about 1e-16):
 * Φ⁻¹(0.975) = 1.959963984540054. ±Infinity at 0 and 1, NaN outside [0, 1].
 */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) return NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return (q * poly(AS241_A, r)) / poly(AS241_B, r);
  }
  let r = Math.sqrt(-Math.log(q < 0 ? p : 1 - p));
  let v: number;
  if (r <= 5) {
    r -= 1.6;
    v = poly(AS241_C, r) / poly(AS241_D, r);
  } else {
    r -= 5;
    v = poly(AS241_E, r) / poly(AS241_F, r);
  }
  return q < 0 ? -v : v;
}

export interface QQPoint {
  /** Standard normal quantile Φ⁻¹((i − 0.5)/m) of the point's rank i among the m residuals. */
  x: number;
  /** The i-th smallest residual d. */
  y: number;
  line: number;
}

export interface QQData {
  points: QQPoint[];
  /** Reference line y = intercept + slope·x through the quartiles (slope: a robust σ of d). */
  slope: number;
  intercept: number;
  /** Residuals plotted (the sample: every used row when the file is small enough). */
  rows: number;
  source: 'all' | 'sample';
  /**
   * Spread between the 1% and 99% quantiles of d over the line's spread between them: about 1 for
   * normal residuals, > 1 for heavier tails, < 1 for lighter ones. Null with fewer than 20 points
   * or a zero slope.
   */
  tailRatio: number | null;
  /** The residual furthest from the median, in units of the slope (robust σ). */
  extreme: { d: number; line: number; sigmas: number } | null;
  /** How far (in σ) the largest |z| of a normal sample of this size reaches: Φ⁻¹((m − 0.5)/m). */
  normalReach: number;
}

/**
 * Normal Q-Q plot of one model's residuals d = prediction − target from the sample rows: sorted
 * residuals against standard normal quantiles, with the line through the quartiles (as R's
 * qqline). At most maxPoints points (evenly spaced ranks, the extremes always kept).
 */
export function qqPlot(report: Pick<Report, 'sample' | 'rows'>, modelIndex: number, maxPoints = 2000): QQData {
  const t = report.sample.target;
  const p = report.sample.predictions[modelIndex] ?? [];
  const all: { d: number; line: number }[] = [];
  for (let i = 0; i < Math.min(t.length, p.length); i++) {
    const d = p[i] - t[i];
    if (Number.isFinite(d)) all.push({ d, line: report.sample.lines[i] });
  }
  all.sort((a, b) => a.d - b.d || a.line - b.line);
  const m = all.length;
  const source = m >= report.rows.used ? 'all' : 'sample';
  if (m === 0) return { points: [], slope: 0, intercept: 0, rows: 0, source, tailRatio: null, extreme: null, normalReach: 0 };
  const ds = all.map((a) => a.d);
  const z1 = normalQuantile(0.25);
  const z3 = normalQuantile(0.75);
  const q1 = quantileSorted(ds, 0.25);
  const q3 = quantileSorted(ds, 0.75);
  const slope = (q3 - q1) / (z3 - z1);
  const intercept = q1 - slope * z1;
  const cap = Math.max(2, Math.floor(maxPoints));
  const step = m <= cap ? 1 : (m - 1) / (cap - 1);
  const points: QQPoint[] = [];
  for (let k = 0, last = -1; k < Math.min(m, cap); k++) {
    const i = Math.round(k * step);
    if (i === last) continue;
    last = i;
    points.push({ x: normalQuantile((i + 0.5) / m), y: all[i].d, line: all[i].line });
  }
  const lineAt = (x: number) => intercept + slope * x;
  let tailRatio: number | null = null;
  if (m >= 20 && slope > 0) {
    const lo = normalQuantile(0.01);
    const hi = normalQuantile(0.99);
    tailRatio = (quantileSorted(ds, 0.99) - quantileSorted(ds, 0.01)) / (lineAt(hi) - lineAt(lo));
  }
  const median = quantileSorted(ds, 0.5);
  const far = Math.abs(ds[0] - median) > Math.abs(ds[m - 1] - median) ? all[0] : all[m - 1];
  const extreme = slope > 0 ? { d: far.d, line: far.line, sigmas: Math.abs(far.d - median) / slope } : null;
  return { points, slope, intercept, rows: m, source, tailRatio, extreme, normalReach: normalQuantile((m - 0.5) / m) };
}

/**
 * The y range of the Q-Q plot: every residual, unless a few wild ones would flatten the rest onto
 * the line; then the range covers the line over the plot and the residuals between the 0.5% and
 * 99.5% quantiles, and `outside` counts the points beyond it (drawn at its edge).
 */
export function qqView(qq: Pick<QQData, 'points' | 'slope' | 'intercept'>): { lo: number; hi: number; clipped: boolean; outside: number } {
  const ys = qq.points.map((p) => p.y);
  if (ys.length === 0) return { lo: -1, hi: 1, clipped: false, outside: 0 };
  const xs = qq.points.map((p) => p.x);
  const line = [qq.intercept + qq.slope * Math.min(...xs), qq.intercept + qq.slope * Math.max(...xs)];
  const fullLo = Math.min(ys[0], ...line);
  const fullHi = Math.max(ys[ys.length - 1], ...line);
  const coreLo = Math.min(quantileSorted(ys, 0.005), ...line);
  const coreHi = Math.max(quantileSorted(ys, 0.995), ...line);
  const pad = (a: number, b: number) => (b > a ? (b - a) * 0.04 : 1);
  if (!(coreHi > coreLo) || fullHi - fullLo <= 2 * (coreHi - coreLo)) {
    return { lo: fullLo - pad(fullLo, fullHi), hi: fullHi + pad(fullLo, fullHi), clipped: false, outside: 0 };
  }
  const lo = coreLo - 2 * pad(coreLo, coreHi);
  const hi = coreHi + 2 * pad(coreLo, coreHi);
  return { lo, hi, clipped: true, outside: ys.filter((y) => y < lo || y > hi).length };
}

// ---- groups -------------------------------------------------------------------------------------

/** Columns a report can be grouped by: every column but the target, predictions and weight. */
export function groupableColumns(r: Pick<Report, 'columns' | 'target' | 'models' | 'weight'>): string[] {
  const used = new Set([r.target, ...r.models.map((m) => m.prediction), ...(r.weight ? [r.weight] : [])]);
  return [...new Set(r.columns.filter((c) => !used.has(c)))];
}

/** Metrics a group table can show: all but the median, which is not kept per group. */
export const GROUP_METRICS: readonly MetricKey[] = ['mae', 'rmse', 'mse', 'smoothL1', 'huber', 'logCosh', 'meanError', 'maxError', 'r2', 'mape', 'smape', 'pinball', 'l1', 'l2'];

/** How bad a metric value is (larger = worse): R² is better when larger, bias is bad either way. */
export function badness(key: MetricKey, v: number | null): number {
  if (v === null) return -Infinity;
  if (key === 'r2') return -v;
  if (key === 'meanError') return Math.abs(v);
  return v;
}

export interface GroupRows {
  /** Group indexes (into groups.groups), worst first by the metric of the model given. */
  order: number[];
  /** The metric per model, in `order`. */
  values: (number | null)[][];
  /** The same over the whole file, per model (the reference line). */
  overall: (number | null)[];
}

/**
 * The groups ordered worst first by `key` of model `modelIndex` (ties: more rows first, then the
 * report's order), the first `limit` of them.
 */
export function groupRows(report: Pick<Report, 'groups' | 'models'>, key: MetricKey, modelIndex: number, limit = Infinity): GroupRows {
  const gs = report.groups?.groups ?? [];
  const order = gs.map((_, i) => i);
  order.sort((a, b) => badness(key, gs[b].metrics[modelIndex]?.[key] ?? null) - badness(key, gs[a].metrics[modelIndex]?.[key] ?? null) || a - b);
  const shown = order.slice(0, limit);
  return {
    order: shown,
    values: report.models.map((_, m) => shown.map((i) => gs[i].metrics[m]?.[key] ?? null)),
    overall: report.models.map((m) => m.metrics[key]),
  };
}
