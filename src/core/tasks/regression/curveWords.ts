/**
 * The sentences under the curves of counts and positive targets and of quantile sets (#16 item 5),
 * and of their worst-rows shares. Pure: the webview turns the pieces into text nodes.
 */
import { num as f, percent } from '../../shown';
import type { CountRowKey, CountShare } from './countRobustness';
import type { CountCurvePanel, CountCurves } from './view/countCurves';
import { COUNT_CURVE_LABEL } from './view/countCurves';
import type { PinballCurves } from './view/pinballCurves';
import type { Pieces } from './words';

/** Where the bars behind a chart come from: every row, or the sample. */
function rowsWord(d: { source: 'all' | 'sample'; rows: number }): string {
  return d.source === 'all' ? `all ${d.rows} rows` : `a sample of ${d.rows} rows`;
}

export function countCurvesIntro(c: Pick<CountCurves, 'target' | 'density' | 'end'>, prediction: string): Pieces {
  const out: Pieces = [
    'A deviance depends on the target as well as on the residual, so each loss is drawn against the prediction μ for one row whose target is the ',
    { strong: `median target, y = ${f(c.target, 4)}` },
    `; it is 0 at μ = y. The bars are where the predictions of ${prediction} lie (${rowsWord(c.density)}, right axis).`,
  ];
  if (c.density.outside > 0) out.push(` ${c.density.outside} of them lie beyond μ = ${f(c.end, 4)} and are not drawn.`);
  return out;
}

/** The asymmetry of one loss at the target: predicting half the target against predicting twice it. */
export function countCurveText(p: Pick<CountCurvePanel, 'key' | 'atHalf' | 'atDouble'>, y: number): Pieces {
  const name = COUNT_CURVE_LABEL[p.key];
  if (p.atHalf === null || p.atDouble === null) {
    return [`With y = 0 the ${name} of a row is its loss at μ alone; it grows with μ and is smallest as μ → 0.`];
  }
  const half = p.atHalf;
  const dbl = p.atDouble;
  const dearer = half > dbl * 1.0001 ? 'under-predicting by half costs more than over-predicting twofold' : dbl > half * 1.0001 ? 'over-predicting twofold costs more than under-predicting by half' : 'halving and doubling cost about the same';
  const out: Pieces = [
    `For y = ${f(y, 4)}, the ${name} is `,
    { strong: f(half, 4) },
    ` at μ = ${f(y / 2, 4)} and `,
    { strong: f(dbl, 4) },
    ` at μ = ${f(2 * y, 4)}: ${dearer}.`,
  ];
  if (p.key === 'gammaDeviance') out.push(' The Gamma deviance depends only on μ/y: the same relative miss costs the same on a small or a large target.');
  if (p.key === 'poissonDeviance') out.push(' The Poisson deviance of a relative miss grows in proportion to y: large counts weigh more.');
  if (p.key === 'msle') out.push(' The squared log error compares log(1 + μ) with log(1 + y), so a relative miss on a large target costs about the same as on a small one.');
  return out;
}

export function countGradText(key: CountRowKey, power: number): string {
  switch (key) {
    case 'msle':
      return 'Its gradient 2·(log(1 + μ) − log(1 + y))/(1 + μ) shrinks as μ grows: an over-prediction far above the target pulls back weakly.';
    case 'poissonDeviance':
      return 'Its gradient 2·(1 − y/μ) never exceeds 2 above the target but grows without bound as μ → 0 below it: a near-zero prediction of a positive count pulls hard.';
    case 'gammaDeviance':
      return 'Its gradient 2·(μ − y)/μ² is steepest just under the target and fades as μ grows: predictions far above the target barely pull back.';
    case 'tweedieDeviance':
      return `Its gradient 2·(μ − y)·μ^(−${power}) is between the Poisson and Gamma ones for a power between 1 and 2: the larger the power, the less rows with large predictions pull.`;
  }
}

export function countCurveLabel(name: string, y: number, end: number, what: 'loss' | 'gradient'): string {
  return `${what === 'loss' ? name : `Gradient of the ${name}`} of one row against the prediction μ from 0 to ${f(end, 4)}, for target y = ${f(y, 4)}, with the model's predictions as bars.`;
}

export function pinballIntro(c: PinballCurves, prediction: string): Pieces {
  const levels = c.curves.map((x) => x.q).sort((a, b) => a - b);
  const hi = levels[levels.length - 1];
  const out: Pieces = [
    'At level q a prediction under the target costs q per unit of error and one above it costs 1 − q, so each level is a V with uneven arms',
  ];
  if (hi > 0.5) out.push(`: at q = ${hi} under-predicting costs ${f(hi / (1 - hi), 3)}× as much as over-predicting, which pushes the prediction up until ${percent(hi)} of the targets lie below it`);
  out.push('. The gradient is −q below the target and 1 − q above it, whatever the size of the error: a few huge errors cannot dominate the training signal.');
  if (c.behind) {
    out.push(` The bars are the residuals of “${c.behind.column}” (q = ${c.behind.q}, the level nearest the median) of ${prediction}, ${rowsWord(c.behind.density)}, right axis.`);
    if (c.behind.density.outside > 0) out.push(` ${c.behind.density.outside} of them lie beyond ±${f(c.end, 4)}.`);
  }
  return out;
}

export function pinballLabel(c: PinballCurves): string {
  return `Pinball loss of one row against the residual d from −${f(c.end, 4)} to ${f(c.end, 4)} at the levels ${c.curves.map((x) => x.q).join(', ')}.`;
}

/** The note under the counts' shares: what "worst" means here. */
export function countSharesNote(share: Pick<CountShare, 'rows'>): string {
  return `For the losses of counts the worst ${share.rows} rows are those with the largest value of that loss (not of |d|: the same residual costs more on a small target), computed from each row's target and residual.`;
}

/** The note under the spread's and quantile levels' shares: what "worst" means, and why the Gaussian NLL has none. */
export function rankedSharesNote(share: Pick<CountShare, 'rows'>, spread: boolean): string {
  const nll = spread ? ' The Gaussian NLL, ½·log σ² + ½·z², is negative on rows with σ² < 1 and a small error, so it has no share of its own: z² is its part that grows with the error.' : '';
  return `Here too the worst ${share.rows} rows are those with the largest value of each loss, ranked loss by loss.${nll}`;
}
