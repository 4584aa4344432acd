/**
 * The metrics of counts and positive targets (#16) from a model's sums, its domain counts and the
 * target's baselines: MSLE, RMSLE, the deviances, the Poisson NLL, the D² scores (scikit-learn's
 * d2_absolute_error_score, d2_pinball_score, d2_tweedie_score) and the explained variance.
 */
import { DEFAULT_POWER, DOMAIN_KEYS, NDOMAIN, tweedieOutside, tweedieRule } from './counts';
import { constantTargetWarning, d2TweedieMeanWarning, negativeDevianceWarning, domainWarning, spreadOverflowWarning, tweedieBaselineWarning } from './countWords';
import type { LossParams, MetricKey } from './losses';
import { DomainPart, SUM_KEYS } from './parts';
import { quantileBaseline, spreadAround, tweedieAround } from './targetStats';

export type CountKey = 'msle' | 'rmsle' | 'poissonDeviance' | 'gammaDeviance' | 'tweedieDeviance' | 'poissonNll' | 'd2AbsoluteError' | 'd2Pinball' | 'd2Tweedie' | 'explainedVariance';

/** The metrics each domain (counts.ts DOMAIN_KEYS order) makes null. */
const NULLED_BY: readonly (readonly CountKey[])[] = [['msle', 'rmsle'], ['poissonDeviance'], ['gammaDeviance'], ['tweedieDeviance', 'd2Tweedie'], ['poissonNll']];

/** Domain parts merged in file order: counts added, the first lines kept (shifted to file lines). */
export function mergeDomain(into: DomainPart | null, part: DomainPart, shift: number, keep: number): DomainPart {
  const out = into ?? { counts: new Array<number>(NDOMAIN).fill(0), lines: Array.from({ length: NDOMAIN }, () => []) };
  part.counts.forEach((c, k) => {
    out.counts[k] += c;
    for (const l of part.lines[k]) if (out.lines[k].length < keep) out.lines[k].push(l + shift);
  });
  return out;
}

/** The target's side of the D² scores: Σw·pinball around its median and q-quantile, Σw·deviance around its mean. */
export interface Baselines {
  /** Σw·|t − median t| / 2 (mean_pinball_loss at 0.5 times Σw). */
  absAround: number;
  pinAround: number;
  /** null when the mean target is outside the deviance's domain at the power (or a target is). */
  tweedieAround: number | null;
  meanTarget: number;
  /** The target's median and q-quantile (the centres of absAround and pinAround). */
  median: number;
  quantile: number;
}

/** The baselines from the stored targets (and weights); `targetInDomain`: no target is outside the Tweedie domain. */
export function baselines(
  targets: Float64Array[],
  weights: { chunks: Float64Array[]; total: number } | null,
  n: number,
  meanTarget: number,
  params: LossParams,
  targetInDomain: boolean,
  /** Rows per target key, counted in the scan (ResidualKeys.targets). */
  keyRows: Uint32Array,
): Baselines {
  const q = params.quantile ?? 0.5;
  const power = params.power ?? DEFAULT_POWER;
  const wc = weights ? weights.chunks : null;
  const median = quantileBaseline(targets, weights, n, 0.5, keyRows);
  const meanOk = targetInDomain && !tweedieOutside(tweedieRule(power), 1, meanTarget);
  const atQ = q === 0.5 ? median : quantileBaseline(targets, weights, n, q, keyRows);
  return {
    absAround: median.pinball,
    pinAround: atQ.pinball,
    median: median.center,
    quantile: atQ.center,
    tweedieAround: meanOk ? tweedieAround(targets, wc, meanTarget, power) : null,
    meanTarget,
  };
}

/** Σw·(d − mean d)² over the stored residuals in file order (explained variance's numerator times Σw). */
export function residualSpread(residuals: Float64Array[], weights: Float64Array[] | null, meanD: number): number {
  return spreadAround(residuals, weights, meanD);
}

/** The means among the count metrics (and RMSLE) from the sums in SUM_KEYS order over Σw. */
function meanCounts(v: number[], W: number): Pick<Record<CountKey, number>, 'msle' | 'rmsle' | 'poissonDeviance' | 'gammaDeviance' | 'tweedieDeviance' | 'poissonNll'> {
  const at = (k: (typeof SUM_KEYS)[number]) => v[SUM_KEYS.indexOf(k)];
  const msle = at('sle') / W;
  return { msle, rmsle: Math.sqrt(msle), poissonDeviance: at('poisson') / W, gammaDeviance: at('gamma') / W, tweedieDeviance: at('tweedie') / W, poissonNll: at('pnll') / W };
}

const ratioScore = (num: number, den: number | null): number | null => (den !== null && den > 0 && Number.isFinite(den) ? 1 - num / den : null);

/**
 * One model's count metrics. `v`: its sums in SUM_KEYS order; `W`: Σw; `spread`: residualSpread;
 * `ssTarget`: Σw(t − mean t)². Null where a row left the domain (with a warning per domain).
 */
export function countMetrics(
  v: number[],
  W: number,
  domain: DomainPart,
  base: Baselines,
  spread: number,
  ssTarget: number,
  prediction: string,
  power: number,
  word: 'line' | 'row' = 'line',
): { metrics: Record<CountKey, number | null>; warnings: string[] } {
  const at = (k: (typeof SUM_KEYS)[number]) => v[SUM_KEYS.indexOf(k)];
  const metrics: Record<CountKey, number | null> = {
    ...meanCounts(v, W),
    // Numerator and denominator are both scikit-learn's, times Σw (the ratio is the same).
    d2AbsoluteError: ratioScore(0.5 * at('abs'), base.absAround),
    d2Pinball: ratioScore(at('pinball'), base.pinAround),
    d2Tweedie: ratioScore(at('tweedie'), base.tweedieAround),
    explainedVariance: ratioScore(spread, ssTarget),
  };
  const warnings: string[] = [];
  DOMAIN_KEYS.forEach((key, k) => {
    if (domain.counts[k] === 0) return;
    for (const m of NULLED_BY[k]) metrics[m] = null;
    if (key === 'tweedie' && tweedieRule(power) === 'normal') return;
    warnings.push(domainWarning(key, prediction, domain.counts[k], domain.lines[k], power, word));
  });
  for (const [key, label] of [['poissonDeviance', 'The Poisson deviance'], ['gammaDeviance', 'The Gamma deviance'], ['tweedieDeviance', 'The Tweedie deviance']] as const) {
    const x = metrics[key];
    if (x === null || !(x < 0)) continue;
    metrics[key] = null;
    if (key === 'tweedieDeviance') metrics.d2Tweedie = null;
    warnings.push(negativeDevianceWarning(label, prediction, x));
  }
  return { metrics, warnings };
}

/** The file-level sentences: a constant target, a mean target outside the Tweedie domain. */
export function baselineWarnings(base: Baselines, ssTarget: number, target: string, power: number, anyTweedie: boolean): string[] {
  const out: string[] = [];
  if (ssTarget === 0) return [constantTargetWarning(target)];
  if (!Number.isFinite(ssTarget)) out.push(spreadOverflowWarning(target));
  if (!anyTweedie) return out;
  const t = base.tweedieAround;
  if (t === null) out.push(d2TweedieMeanWarning(target, base.meanTarget, power));
  else if (!(t > 0 && Number.isFinite(t))) out.push(tweedieBaselineWarning(target, t, power));
  return out;
}

/**
 * The count metrics of a group from its sums (the domain-nulled keys of the whole file stay null).
 * The D² scores and the explained variance are null: they need the group's own quantiles, mean and
 * residual spread, which are not kept per group.
 */
export function groupCountMetrics(v: number[], W: number, nulled: ReadonlySet<MetricKey>): Record<CountKey, number | null> {
  const out: Record<CountKey, number | null> = {
    ...meanCounts(v, W),
    d2AbsoluteError: null,
    d2Pinball: null,
    d2Tweedie: null,
    explainedVariance: null,
  };
  for (const k of nulled) if (k in out) out[k as CountKey] = null;
  return out;
}

/** The keys a domain count makes null, for the groups. */
export function nulledKeys(domain: DomainPart): Set<MetricKey> {
  const out = new Set<MetricKey>();
  domain.counts.forEach((c, k) => c > 0 && NULLED_BY[k].forEach((m) => out.add(m)));
  return out;
}
