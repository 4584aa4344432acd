/**
 * The sentences that explain why a metric of counts or positive targets (#16) is null: a row
 * outside its domain, a mean target outside the Tweedie domain, a constant target. Pure.
 */
import { quoteName } from '../../errors';
import { num } from '../../shown';
import { DomainKey, TweedieRule, tweedieRule } from './counts';
import type { MetricKey } from './losses';
import type { Report } from './report';

const s = (n: number) => (n === 1 ? '' : 's');

/** "line 4", "lines 4, 9", "first lines 4, 9, … (3 more)" (rows of a columnar file: `word` 'row'). */
export function linesText(count: number, lines: readonly number[], word: 'line' | 'row' = 'line'): string {
  if (lines.length === 0) return '';
  const list = lines.join(', ');
  if (count > lines.length) return `first ${word}s ${list}, … (${count - lines.length} more)`;
  return `${lines.length > 1 ? `${word}s` : word} ${list}`;
}

const TWEEDIE_NEEDS: Record<TweedieRule, string> = {
  anyTargetPositivePrediction: 'a prediction ≤ 0 (below power 0 the Tweedie deviance needs μ > 0)',
  normal: '',
  nonNegativeTarget: 'a negative target or a prediction ≤ 0 (at powers from 1 to 2 the Tweedie deviance needs y ≥ 0 and μ > 0)',
  positiveTarget: 'a target or a prediction ≤ 0 (from power 2 on the Tweedie deviance needs y > 0 and μ > 0)',
};

/** What the rows outside a domain have, as a noun phrase with the rule. */
export function domainCondition(key: DomainKey, power: number): string {
  switch (key) {
    case 'msle':
      return 'a negative target or prediction (scikit-learn’s mean_squared_log_error refuses them)';
    case 'poisson':
      return 'a negative target or a prediction ≤ 0 (the Poisson deviance needs y ≥ 0 and μ > 0)';
    case 'gamma':
      return 'a target or a prediction ≤ 0 (the Gamma deviance needs y > 0 and μ > 0)';
    case 'tweedie':
      return TWEEDIE_NEEDS[tweedieRule(power)];
    case 'poissonNll':
      return 'a prediction ≤ −1e-8, whose log(prediction + 1e-8) is not defined (with --log-input the predictions are read as log rates)';
  }
}

/** The metrics a domain makes null, as they are named in the report. */
export const DOMAIN_METRICS: Record<DomainKey, string> = {
  msle: 'MSLE and RMSLE',
  poisson: 'the Poisson deviance',
  gamma: 'the Gamma deviance',
  tweedie: 'the Tweedie deviance and D² Tweedie',
  poissonNll: 'the Poisson NLL',
};

/**
 * "The Poisson deviance of ‘pred’ is undefined: 3 rows have a negative target or a prediction ≤ 0
 * (…), lines 4, 9, 12. It is reported as null."
 */
export function domainWarning(key: DomainKey, prediction: string, count: number, lines: readonly number[], power: number, word: 'line' | 'row' = 'line'): string {
  const what = DOMAIN_METRICS[key];
  const are = what.includes(' and ') ? 'are' : 'is';
  const where = linesText(count, lines, word);
  const first = `${what[0].toUpperCase()}${what.slice(1)}`;
  return `${first}${key === 'tweedie' ? ` at power ${power}` : ''} of ${quoteName(prediction)} ${are} undefined: ${count} row${s(count)} ${count === 1 ? 'has' : 'have'} ${domainCondition(key, power)}${where ? `, ${where}` : ''}. ${are === 'are' ? 'They are' : 'It is'} reported as null.`;
}

/** Why D² Tweedie is null for every model although each model's deviance is defined. */
export function d2TweedieMeanWarning(target: string, mean: number, power: number): string {
  return `D² Tweedie at power ${power} is undefined: the mean of ${quoteName(target)} is ${num(mean)}, and its deviance (the baseline) needs a mean > 0. It is reported as null.`;
}

/** When a deviance's mean comes out negative: its terms (scikit-learn's formula) cancel when predictions are within rounding of the targets. */
export function negativeDevianceWarning(label: string, prediction: string, value: number): string {
  return `${label} of ${quoteName(prediction)} is undefined in double precision: its per-row terms, which subtract numbers of the targets' size, add up to ${num(value)} < 0 (predictions that differ from the targets by a few roundings). It is reported as null.`;
}

/** When the target's spread overflows double precision (R² has its own sentence). */
export function spreadOverflowWarning(target: string): string {
  return `The explained variance is undefined: Σ(target − mean)² of ${quoteName(target)} overflows double precision. It is reported as null.`;
}

/**
 * When the Tweedie deviance of the targets around their mean is not positive in double
 * precision: its formula (scikit-learn's) subtracts terms of the targets' size, so targets that
 * differ too little relative to their size lose every digit of it.
 */
export function tweedieBaselineWarning(target: string, value: number, power: number): string {
  return `D² Tweedie at power ${power} is undefined: the deviance of ${quoteName(target)} around its mean comes out as ${num(value)} in double precision (the targets differ too little for the deviance's formula). It is reported as null.`;
}

/** The constant-target sentence (R² and the scores that divide by the target's spread). */
export function constantTargetWarning(target: string): string {
  return `The target ${quoteName(target)} is constant, so R², explained variance and the D² scores are undefined (reported as null).`;
}

/** Which sentence of the report's warnings says why a counts metric is null, by the metric it names. */
const NAMED_IN: Partial<Record<MetricKey, string>> = {
  msle: DOMAIN_METRICS.msle,
  rmsle: DOMAIN_METRICS.msle,
  poissonDeviance: DOMAIN_METRICS.poisson,
  gammaDeviance: DOMAIN_METRICS.gamma,
  tweedieDeviance: DOMAIN_METRICS.tweedie,
  d2Tweedie: DOMAIN_METRICS.tweedie,
  poissonNll: DOMAIN_METRICS.poissonNll,
};

/**
 * Why a model's metric is null, for the summary table's "—": the warning that names it (a row
 * outside its domain, a constant target, a mean outside the Tweedie domain), else a general
 * sentence.
 */
export function nullReason(r: Pick<Report, 'warnings'>, prediction: string, key: MetricKey): string {
  const named = NAMED_IN[key];
  const lower = (x: string) => x.toLowerCase();
  const own = named && r.warnings.find((w) => lower(w).startsWith(lower(named)) && w.includes(` of ${quoteName(prediction)} `));
  if (own) return own;
  const shared = r.warnings.find((w) => (key === 'd2Tweedie' && w.startsWith('D² Tweedie at power')) || ((key === 'r2' || key === 'explainedVariance' || key.startsWith('d2')) && w.includes('is constant')));
  return shared ?? 'not defined for this data';
}
