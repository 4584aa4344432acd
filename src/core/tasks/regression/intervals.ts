/**
 * The regression family's intervals and comparisons (README, "Intervals"), from the merged exact
 * sums (SUM_KEYS: Σw·ℓ and Σw·ℓ² of every per-row loss; ModelPart.pairSq: Σw·(ℓb − ℓa)²), the
 * order statistics of |d| and, for --time-ordered, the residuals in file order.
 */
import { ExactSum } from '../../exactSum';
import { dieboldMariano } from '../../intervals/dieboldMariano';
import { pairedMedianBootstrap } from '../../intervals/pairedMedian';
import { MeanSums, meanEstimate, meanInterval, pairedT, PairedResult, tTest } from '../../intervals/mean';
import { Comparison, Interval, IntervalMethod, IntervalOptions, Intervals, isSignificant } from '../../intervals/report';
import { huber, logCosh, LossParams, MetricKey, smoothL1 } from './losses';
import { BaseKey, SQUARE_OF, SUM_KEYS, SumKey } from './parts';

/** The metrics that are a mean of one per-row loss, and that loss's key among SUM_KEYS. */
export const MEAN_OF: Partial<Record<MetricKey, BaseKey>> = {
  mae: 'abs',
  mse: 'sq',
  smoothL1: 'smoothL1',
  huber: 'huber',
  logCosh: 'logCosh',
  meanError: 'd',
  mape: 'ape',
  smape: 'sape',
  pinball: 'pinball',
  msle: 'sle',
  poissonDeviance: 'poisson',
  gammaDeviance: 'gamma',
  tweedieDeviance: 'tweedie',
  poissonNll: 'pnll',
};

/** Per-row losses that can be negative: their mean's interval is not cut at 0 (the bias, the Poisson NLL). */
const SIGNED: readonly BaseKey[] = ['d', 'pnll'];

/** What the intervals of one model need. */
export interface ModelSums {
  sums: Record<SumKey, ExactSum>;
  /** Against the baseline: Σw·(ℓ − ℓ_baseline)², SUM_KEYS order (the first NBASE); null for the baseline itself. */
  pairSq: ExactSum[] | null;
  /** |d| at the median interval's ranks (unweighted reports), or null. */
  medianEnds: { low: number; high: number } | null;
  /** Signed residuals in file order, in chunks aligned across models. */
  residuals: Float64Array[];
}

export interface Totals {
  rows: number;
  /** Σw (n without weights) and Σw². */
  w: number;
  w2: number;
  /** Σw(t − mean t)², R²'s denominator. */
  ssTarget: number;
  weighted: boolean;
}

const sumsOf = (t: Totals, s1: number, s2: number): MeanSums => ({ rows: t.rows, w: t.w, w2: t.w2, s1, s2 });

const iv = (x: { low: number; high: number } | null, method: IntervalMethod): Interval | null =>
  x && Number.isFinite(x.low) && Number.isFinite(x.high) ? { low: x.low, high: x.high, method } : null;

/** Every metric's interval for one model. */
export function modelIntervals(m: ModelSums, t: Totals, confidence: number): Intervals<MetricKey> {
  const meanOf = (k: BaseKey) => meanInterval(sumsOf(t, m.sums[k].value(), m.sums[SQUARE_OF[k]].value()), confidence);
  const out = {} as Intervals<MetricKey>;
  // A mean of a non-negative loss is ≥ 0: the interval is cut there (all but the signed bias).
  for (const [metric, k] of Object.entries(MEAN_OF) as [MetricKey, BaseKey][]) {
    const x = iv(meanOf(k), 't');
    out[metric] = x && !SIGNED.includes(k) ? { ...x, low: Math.max(0, x.low) } : x;
  }
  const msle = out.msle;
  out.rmsle = msle ? { low: Math.sqrt(msle.low), high: Math.sqrt(msle.high), method: 'sqrt of mse' } : null;
  // The D² scores and the explained variance: build.ts puts their delta-method intervals here (ratioIntervals.ts: they need the stored rows).
  out.d2AbsoluteError = out.d2Pinball = out.d2Tweedie = out.explainedVariance = null;
  const mse = out.mse;
  out.rmse = mse ? { low: Math.sqrt(mse.low), high: Math.sqrt(mse.high), method: 'sqrt of mse' } : null;
  out.l1 = out.mae ? { low: out.mae.low * t.w, high: out.mae.high * t.w, method: 'scaled mean' } : null;
  out.l2 = mse ? { low: mse.low * t.w, high: mse.high * t.w, method: 'scaled mean' } : null;
  out.maxError = null;
  out.medianAE = iv(m.medianEnds, 'order statistics');
  const r2ok = mse && t.ssTarget > 0 && Number.isFinite(t.ssTarget);
  // R² ≤ 1: MSE's interval, cut at 0, gives at most 1. The fallback of R²'s delta-method interval (ratioIntervals.ts, set by build.ts).
  out.r2 = r2ok ? iv({ low: 1 - (t.w * mse.high) / t.ssTarget, high: 1 - (t.w * mse.low) / t.ssTarget }, 'mse, targets fixed') : null;
  return out;
}

/** b − a of two exact sums, correctly rounded. */
function exactDifference(b: ExactSum, a: ExactSum): number {
  const d = new ExactSum();
  d.merge(b);
  for (const x of a.partials()) d.add(-x);
  d.special -= a.special;
  return d.value();
}

/** The per-row loss `key` of a residual d, for the Diebold–Mariano series (null: it needs the target). */
function lossOfResidual(key: BaseKey, params: LossParams): ((d: number) => number) | null {
  const q = params.quantile ?? 0.5;
  switch (key) {
    case 'abs':
      return Math.abs;
    case 'sq':
      return (d) => d * d;
    case 'd':
      return (d) => d;
    case 'smoothL1':
      return (d) => smoothL1(d, params.beta);
    case 'huber':
      return (d) => huber(d, params.delta);
    case 'logCosh':
      return logCosh;
    case 'pinball':
      return (d) => (d <= 0 ? -q * d : (1 - q) * d);
    default:
      return null; // MAPE, sMAPE: functions of the target too, which is not kept
  }
}

/** Δ = ℓ(d_b) − ℓ(d_a) per row, in file order. */
function differenceSeries(a: Float64Array[], b: Float64Array[], loss: (d: number) => number, n: number): Float64Array {
  const out = new Float64Array(n);
  let at = 0;
  a.forEach((ca, ci) => {
    const cb = b[ci];
    for (let i = 0; i < ca.length; i++) out[at++] = loss(cb[i]) - loss(ca[i]);
  });
  return out;
}

/**
 * Every model against the baseline, per metric with a paired test: the mean losses (paired t, or
 * Diebold–Mariano with --time-ordered), L1/L2 (scaled), RMSE (delta method), R² (as MSE) and the
 * median |d| (paired bootstrap). None for the max error: a bootstrap of a sample maximum is not
 * consistent (the maximum of a resample is one of the few largest rows), and no other method
 * holds without assumptions on the tail.
 */
export function regressionComparisons(
  names: string[],
  models: ModelSums[],
  base: number,
  t: Totals,
  opts: IntervalOptions,
  params: LossParams,
): Comparison[] {
  const { confidence } = opts;
  const out: Comparison[] = [];
  const a = models[base];
  const timeOrdered = opts.timeOrdered === true && !t.weighted;
  models.forEach((b, mi) => {
    if (mi === base || !b.pairSq) return;
    const push = (metric: MetricKey, r: PairedResult | null, method: IntervalMethod) => {
      if (!r || !Number.isFinite(r.difference) || !Number.isFinite(r.low) || !Number.isFinite(r.high)) return;
      out.push({ a: names[base], b: names[mi], metric, difference: r.difference, low: r.low, high: r.high, p: r.p, significant: isSignificant(r.p, confidence), method });
    };
    const byMetric = new Map<MetricKey, PairedResult>();
    for (const [metric, k] of Object.entries(MEAN_OF) as [MetricKey, BaseKey][]) {
      const loss = timeOrdered ? lossOfResidual(k, params) : null;
      const diff = sumsOf(t, exactDifference(b.sums[k], a.sums[k]), (b.pairSq as ExactSum[])[SUM_KEYS.indexOf(k)].value());
      const r = loss ? dieboldMariano(differenceSeries(a.residuals, b.residuals, loss, t.rows), confidence) : pairedT(diff, confidence);
      if (r) byMetric.set(metric, r);
      push(metric, r, loss ? 'diebold-mariano' : 'paired t');
    }
    const mae = byMetric.get('mae');
    const mse = byMetric.get('mse');
    const scaled = (r: PairedResult, f: number): PairedResult => ({ difference: r.difference * f, low: Math.min(r.low * f, r.high * f), high: Math.max(r.low * f, r.high * f), p: r.p });
    if (mae) push('l1', scaled(mae, t.w), 'scaled mean');
    if (mse) push('l2', scaled(mse, t.w), 'scaled mean');
    // R²b − R²a = −Σw·(d_b² − d_a²)/Σw(t − t̄)²: MSE's difference scaled (equal R² is equal MSE).
    if (mse && t.ssTarget > 0 && Number.isFinite(t.ssTarget)) push('r2', scaled(mse, -t.w / t.ssTarget), 'mse, targets fixed');
    push('rmse', rmseDifference(a, b, t, confidence), 'delta method');
    // The median |d|: a bootstrap of independent rows, so neither with weights (the weighted
    // median has no interval either) nor in time order (autocorrelated rows would make it too narrow).
    if (!t.weighted && !timeOrdered) push('medianAE', pairedMedianBootstrap(a.residuals, b.residuals, confidence), 'paired bootstrap');
  });
  return out;
}

/**
 * RMSE_b − RMSE_a by the delta method: Var ≈ Var(MSE_a)/(4·MSE_a) + Var(MSE_b)/(4·MSE_b) −
 * 2·Cov/(4·RMSE_a·RMSE_b), Cov from Var(MSE_b − MSE_a) = Var_a + Var_b − 2·Cov.
 */
function rmseDifference(a: ModelSums, b: ModelSums, t: Totals, confidence: number): PairedResult | null {
  const k = SUM_KEYS.indexOf('sq');
  const ea = meanEstimate(sumsOf(t, a.sums.sq.value(), a.sums.sq2.value()));
  const eb = meanEstimate(sumsOf(t, b.sums.sq.value(), b.sums.sq2.value()));
  const ed = meanEstimate(sumsOf(t, exactDifference(b.sums.sq, a.sums.sq), (b.pairSq as ExactSum[])[k].value()));
  if (!ea || !eb || !ed || !(ea.mean > 0) || !(eb.mean > 0)) return null;
  const va = ea.se * ea.se;
  const vb = eb.se * eb.se;
  const cov = (va + vb - ed.se * ed.se) / 2;
  const ra = Math.sqrt(ea.mean);
  const rb = Math.sqrt(eb.mean);
  const v = va / (4 * ea.mean) + vb / (4 * eb.mean) - (2 * cov) / (4 * ra * rb);
  return tTest({ mean: rb - ra, se: Math.sqrt(Math.max(0, v)), df: ed.df }, confidence);
}
