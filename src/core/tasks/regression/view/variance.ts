/**
 * The predicted spread's view (#16 item 2): the standardised residual's histogram as a density,
 * beside the N(0, 1) density it should follow, and the ±1σ/±2σ coverage against a Gaussian's.
 * Pure: the webview draws it, the tests check it.
 */
import type { ModelReport, Report } from '../report';
import { normalCdf, normalDensity, VARIANCE_METRICS } from '../variance';
import type { VarianceKey } from '../variance';

/** The summary table's rows of the spread metrics: those some model has (none without a spread column). */
export function spreadSummaryRows(r: Pick<Report, 'models'>): typeof VARIANCE_METRICS {
  return VARIANCE_METRICS.filter((d) => r.models.some((m) => m.metrics[d.key] !== undefined));
}

/** Why a spread metric has no value for a model: the warning that names it, or that the model has no spread column. */
export function spreadNullReason(r: Pick<Report, 'warnings'>, prediction: string, key: VarianceKey, present: boolean): string {
  if (!present) return `${prediction} has no predicted variance or standard-deviation column, so ${key === 'crps' ? 'its CRPS' : 'its Gaussian NLL'} is not defined.`;
  return r.warnings.find((w) => w.includes(` of "${prediction}" `) && (w.includes('Gaussian NLL') || w.includes('CRPS'))) ?? 'not defined for this data';
}

/** A Gaussian's coverage of ±1σ and ±2σ: 2Φ(k) − 1. */
export const NOMINAL = { within1: 2 * normalCdf(1) - 1, within2: 2 * normalCdf(2) - 1 };

export interface ZBar {
  x0: number;
  x1: number;
  x: number;
  /** Rows in the bin over (all counted rows × bin width): comparable with the N(0, 1) density. */
  density: number;
  count: number;
}

export interface SpreadView {
  prediction: string;
  column: string;
  kind: 'variance' | 'std';
  bars: ZBar[];
  /** The N(0, 1) density over the histogram's range. */
  normal: { x: number; y: number }[];
  rows: number;
  below: number;
  above: number;
  mean: number;
  sd: number;
  coverage: { within1: number; within2: number } | null;
}

/** The view of a model's spread; null without a spread column or when it is undefined (a negative spread). */
export function spreadView(m: ModelReport): SpreadView | null {
  const z = m.spread?.standardized;
  if (!m.spread || !z) return null;
  const h = z.histogram;
  const n = h.counts.length;
  const width = (h.max - h.min) / n;
  const rows = h.counts.reduce((a, b) => a + b, 0) + h.below + h.above;
  const bars = h.counts.map((count, i) => {
    const x0 = h.min + i * width;
    const x1 = i === n - 1 ? h.max : h.min + (i + 1) * width;
    return { x0, x1, x: (x0 + x1) / 2, count, density: rows > 0 ? count / (rows * width) : 0 };
  });
  const steps = 200;
  const normal = Array.from({ length: steps + 1 }, (_, i) => {
    const x = h.min + ((h.max - h.min) * i) / steps;
    return { x, y: normalDensity(x) };
  });
  return { prediction: m.prediction, column: m.spread.column, kind: m.spread.kind, bars, normal, rows, below: h.below, above: h.above, mean: z.mean, sd: z.sd, coverage: m.sigmaCoverage ?? null };
}

/** What the standardised residual says about the predicted σ, as sentences (empty when it looks calibrated). */
export function spreadFindings(v: SpreadView): string[] {
  const out: string[] = [];
  const beyond = v.below + v.above;
  // The SD is not robust: a few rows with a σ near 0 can make it huge while the body fits.
  const few = beyond > 0 ? ` (${beyond} row${beyond === 1 ? '' : 's'} beyond ±${v.bars[v.bars.length - 1]?.x1 ?? 5} weigh in: look at the histogram's body too)` : '';
  if (v.sd > 1.1) out.push(`d/σ spreads wider than N(0, 1) (SD ${v.sd.toPrecision(3)}): the predicted σ of ${v.prediction} is too small on average — over-confident${few}.`);
  else if (v.sd < 0.9) out.push(`d/σ is narrower than N(0, 1) (SD ${v.sd.toPrecision(3)}): the predicted σ of ${v.prediction} is too large on average — under-confident.`);
  if (Math.abs(v.mean) > 0.2) out.push(`d/σ is centred at ${v.mean.toPrecision(3)}, not 0: the predictions are biased ${v.mean > 0 ? 'upwards' : 'downwards'} relative to their σ.`);
  if (v.coverage) {
    const c = v.coverage;
    if (Math.abs(c.within2 - NOMINAL.within2) > 0.03) {
      out.push(`±2σ holds ${(100 * c.within2).toFixed(1)}% of the targets, against ${(100 * NOMINAL.within2).toFixed(1)}% for a calibrated Gaussian.`);
    }
  }
  return out;
}
