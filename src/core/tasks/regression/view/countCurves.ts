/**
 * The losses of counts and positive targets (#16 item 5) as curves against the prediction μ for
 * one target y (the median target), with their gradients and where the model's predictions lie.
 * A deviance is not a function of the residual alone, so its curve is drawn against μ for a
 * fixed y rather than against d. Pure: bounded arrays, no DOM.
 */
import { countRowLoss, COUNT_ROW_KEYS, CountRowKey } from '../countRobustness';
import type { ModelReport, Report } from '../report';
import { finiteOrNull, niceCeil, XY } from './common';
import { binDensity, quantileOf } from './density';
import type { Density } from './histogram';

export const COUNT_CURVE_LABEL: Record<CountRowKey, string> = {
  msle: 'squared log error',
  poissonDeviance: 'Poisson deviance',
  gammaDeviance: 'Gamma deviance',
  tweedieDeviance: 'Tweedie deviance',
};

/** Each loss of one row, and its derivative with respect to the prediction μ, as formulas. */
export function countFormulas(key: CountRowKey, power: number): { loss: string; grad: string } {
  switch (key) {
    case 'msle':
      return { loss: '(log(1 + μ) − log(1 + y))²', grad: '2·(log(1 + μ) − log(1 + y)) / (1 + μ)' };
    case 'poissonDeviance':
      return { loss: '2·(y·log(y/μ) − y + μ)', grad: '2·(1 − y/μ)' };
    case 'gammaDeviance':
      return { loss: '2·(log(μ/y) + y/μ − 1)', grad: '2·(μ − y)/μ²' };
    case 'tweedieDeviance':
      return { loss: `Tweedie unit deviance at p = ${power}`, grad: `2·(μ − y)·μ^(−${power})` };
  }
}

/** d loss / d μ of one row (target y, prediction μ). */
export function countRowGrad(key: CountRowKey, y: number, mu: number, power: number): number {
  switch (key) {
    case 'msle':
      return (2 * (Math.log1p(mu) - Math.log1p(y))) / (1 + mu);
    case 'poissonDeviance':
      return 2 * (1 - y / mu);
    case 'gammaDeviance':
      return (2 * (mu - y)) / (mu * mu);
    case 'tweedieDeviance':
      return 2 * (mu - y) * Math.pow(mu, -power);
  }
}

/** The losses drawn for a model: those whose metric is defined (the domain holds for every row). */
export function countCurveKeys(model: Pick<ModelReport, 'metrics'>): CountRowKey[] {
  return COUNT_ROW_KEYS.filter((k) => model.metrics[k] !== null && model.metrics[k] !== undefined);
}

/** Predictions of one model in the sample. */
export function samplePredictions(report: Pick<Report, 'sample'>, modelIndex: number): number[] {
  return report.sample.predictions[modelIndex] ?? [];
}

/** The μ range [0, end]: twice the target and the sample's 99th percentile of the predictions, rounded up. */
export function predictionEnd(y: number, predictions: readonly number[]): number {
  const p99 = quantileOf(predictions, 0.99);
  const top = Math.max(2 * y, Number.isFinite(p99) ? 1.1 * p99 : 0);
  return niceCeil(top > 0 ? top : 1);
}

/** μ over (0, end]: `points` equal steps (μ = 0 is outside every deviance's domain), and y itself. */
export function predictionXs(y: number, end: number, points = 400): number[] {
  const n = Math.max(2, Math.min(2000, Math.floor(points)));
  const xs = new Set<number>();
  for (let i = 1; i <= n; i++) xs.add((end * i) / n);
  if (y > 0 && y < end) xs.add(y);
  return [...xs].sort((a, b) => a - b);
}

export interface CountCurve {
  key: CountRowKey;
  label: string;
  formula: string;
  points: XY[];
  /** The y axis: [yMin, yMax] keeps the curve readable near the target (it leaves the chart as μ → 0). */
  yMin: number;
  yMax: number;
}

export interface CountCurvePanel {
  key: CountRowKey;
  loss: CountCurve;
  grad: CountCurve;
  /** The loss at half and at twice the target (null when y is 0: both are then the loss at 0): the asymmetry in words. */
  atHalf: number | null;
  atDouble: number | null;
}

export interface CountCurves {
  /** The target the curves are drawn for, and where it comes from. */
  target: number;
  targetSource: 'median';
  end: number;
  power: number;
  panels: CountCurvePanel[];
  /** The model's predictions (from the sample) over [0, end]; `outside`: those beyond it or negative. */
  density: Density & { outside: number };
}

/**
 * The curves of a model's defined count losses for target y. The y limits are taken over
 * μ ≥ y/4, so the rise towards μ = 0 (unbounded when y > 0) leaves the chart instead of
 * flattening the curve near the target.
 */
export function countCurves(report: Pick<Report, 'sample' | 'rows' | 'params'>, modelIndex: number, model: Pick<ModelReport, 'metrics'>, y: number, points = 400): CountCurves {
  const power = report.params.power ?? 1.5;
  const preds = samplePredictions(report, modelIndex);
  const end = predictionEnd(y, preds);
  const xs = predictionXs(y, end, points);
  const inView = (x: number) => x >= y / 4;
  const panels = countCurveKeys(model).map((key): CountCurvePanel => {
    const f = countFormulas(key, power);
    const loss = xs.map((x) => ({ x, y: finiteOrNull(countRowLoss(key, y, x, power)) }));
    const grad = xs.map((x) => ({ x, y: finiteOrNull(countRowGrad(key, y, x, power)) }));
    const seen = (pts: XY[]) => pts.filter((p) => inView(p.x) && p.y !== null).map((p) => p.y as number);
    const lMax = niceCeil(Math.max(0, ...seen(loss)) * 1.02);
    // A gradient is negative below the target and positive above, on very different scales
    // (Gamma's fades as 1/μ above it): each side gets its own round limit.
    const g = seen(grad);
    const gMax = niceCeil(Math.max(0, ...g) * 1.02);
    const gMin = -niceCeil(-Math.min(0, ...g) * 1.02);
    const atHalf = y > 0 ? finiteOrNull(countRowLoss(key, y, y / 2, power)) : null;
    const atDouble = y > 0 ? finiteOrNull(countRowLoss(key, y, 2 * y, power)) : null;
    return {
      key,
      loss: { key, label: COUNT_CURVE_LABEL[key], formula: f.loss, points: loss, yMin: 0, yMax: lMax },
      grad: { key, label: `d ${COUNT_CURVE_LABEL[key]} / dμ`, formula: f.grad, points: grad, yMin: gMin, yMax: gMax },
      atHalf,
      atDouble,
    };
  });
  return { target: y, targetSource: 'median', end, power, panels, density: binDensity(preds, 0, end, report.rows.used) };
}
