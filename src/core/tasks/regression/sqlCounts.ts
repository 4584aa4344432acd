/**
 * The metrics of counts and positive targets (#16) and the weighted median AE in the regression
 * SQL statement (sql.ts): MSLE, RMSLE, the Poisson, Gamma and Tweedie deviances, PyTorch's
 * Poisson NLL, the D² scores and the explained variance, each `NULL` where the engine's is null
 * for a domain a row violates (a negative target for MSLE …; scikit-learn raises) or a zero
 * denominator. The quantiles are scikit-learn's: numpy's linear percentile without weights
 * (quantile_cont / percentile / PERCENTILE_CONT), and with weights the first value, in ascending
 * order, whose running weight reaches q·Σw (a window sum).
 *
 * Per-row terms are guarded (a logarithm or a power of a value outside its domain is replaced by
 * 0) because SQL evaluates them for every row before the domain check nulls the whole metric.
 */
import { tweedieRule } from './counts';
import type { LossParams } from './losses';
import type { SqlDialect } from './sql';

export interface CountSqlContext {
  d: SqlDialect;
  /** The sum function (fsum in DuckDB). */
  sum: string;
  /** The weight expression ('w' or '1.0'). */
  w: string;
  weighted: boolean;
  params: LossParams;
  num: (x: number) => string;
  ident: (name: string) => string;
}

/** The q-quantile of expression `x` over the view v, as scikit-learn takes it (see the file comment). */
export function quantileOf(c: CountSqlContext, x: string, q: number): string {
  if (c.weighted) {
    return `(SELECT min(x) FROM (SELECT ${x} AS x, sum(w) OVER (ORDER BY ${x} ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS cw FROM v) s WHERE cw >= ${c.num(q)} * (SELECT sum(w) FROM v))`;
  }
  switch (c.d) {
    case 'duckdb':
      return `(SELECT quantile_cont(${x}, ${c.num(q)}) FROM v)`;
    case 'spark':
      return `(SELECT percentile(${x}, ${c.num(q)}) FROM v)`;
    case 'postgres':
      return `(SELECT percentile_cont(${c.num(q)}) WITHIN GROUP (ORDER BY ${x}) FROM v)`;
    case 'bigquery':
      return `(SELECT DISTINCT PERCENTILE_CONT(${x}, ${c.num(q)}) OVER () FROM v)`;
  }
}

/** The columns the statement's `m` row adds: the target's median and q-quantile, each model's mean residual. */
export function countCentres(c: CountSqlContext, models: number): string[] {
  const q = c.params.quantile ?? 0.5;
  return [
    `${quantileOf(c, 't', 0.5)} AS tmed`,
    `${quantileOf(c, 't', q)} AS tq`,
    ...Array.from({ length: models }, (_, m) => `${c.sum}(${c.w} * (p${m} - t)) / ${c.sum}(${c.w}) AS dbar${m}`),
  ];
}

/** The unit Tweedie deviance of target y against μ at the power, scikit-learn's formula (0 outside its domain). */
function tweedie(c: CountSqlContext, y: string, mu: string, power: number): string {
  const n = c.num;
  if (power === 0) return `(${y} - ${mu}) * (${y} - ${mu})`;
  if (power === 1) return poisson(y, mu);
  if (power === 2) return gamma(y, mu);
  const yy = power < 0 ? `greatest(${y}, 0)` : y;
  // A power of a target below 0 (1 < p < 2 refuses those rows) or of μ ≤ 0 is not evaluated.
  const safeY = power < 2 ? `CASE WHEN ${yy} >= 0 THEN power(${yy}, ${n(2 - power)}) ELSE 0 END` : `CASE WHEN ${yy} > 0 THEN power(${yy}, ${n(2 - power)}) ELSE 0 END`;
  return `CASE WHEN ${mu} > 0 THEN 2 * (${safeY} / ${n((1 - power) * (2 - power))} - ${y} * power(${mu}, ${n(1 - power)}) / ${n(1 - power)} + power(${mu}, ${n(2 - power)}) / ${n(2 - power)}) ELSE 0 END`;
}

function poisson(y: string, mu: string): string {
  return `CASE WHEN ${y} > 0 AND ${mu} > 0 THEN 2 * (${y} * ln(${y} / ${mu}) - ${y} + ${mu}) WHEN ${mu} > 0 THEN 2 * (${mu} - ${y}) ELSE 0 END`;
}

function gamma(y: string, mu: string): string {
  return `CASE WHEN ${y} > 0 AND ${mu} > 0 THEN 2 * (ln(${mu} / ${y}) + ${y} / ${mu} - 1) ELSE 0 END`;
}

/** The SQL condition under which every row is in the Tweedie deviance's domain at the power (prediction column p). */
function tweedieDomain(power: number, p: string): string {
  switch (tweedieRule(power)) {
    case 'anyTargetPositivePrediction':
      return `min(${p}) > 0`;
    case 'normal':
      return 'TRUE';
    case 'nonNegativeTarget':
      return `min(t) >= 0 AND min(${p}) > 0`;
    case 'positiveTarget':
      return `min(t) > 0 AND min(${p}) > 0`;
  }
}

/** A ratio score 1 − num/den, NULL when den is not positive. */
function score(num: string, den: string): string {
  return `1 - (${num}) / (CASE WHEN (${den}) > 0 THEN (${den}) END)`;
}

/** The fields of model m: every count metric key of the JSON contract. */
export function countFields(c: CountSqlContext, m: number): string[] {
  const { sum, w, num, ident } = c;
  const p = `p${m}`;
  const power = c.params.power ?? 1.5;
  const q = c.params.quantile ?? 0.5;
  const mean = (x: string) => `${sum}(${w} * (${x})) / ${sum}(${w})`;
  const total = (x: string) => `${sum}(${w} * (${x}))`;
  // DuckDB has no log1p: ln(1 + x) loses digits for |x| below ~1e-8 (README).
  const sle = `CASE WHEN t >= 0 AND ${p} >= 0 THEN (ln(1 + ${p}) - ln(1 + t)) * (ln(1 + ${p}) - ln(1 + t)) ELSE 0 END`;
  const msle = `CASE WHEN min(t) >= 0 AND min(${p}) >= 0 THEN ${mean(sle)} END`;
  const nonNegative = (x: string) => `CASE WHEN (${x}) >= 0 THEN (${x}) END`;
  const nll = c.params.logInput ? `exp(${p}) - t * ${p}` : `CASE WHEN ${p} + 1e-8 > 0 THEN ${p} - t * ln(${p} + 1e-8) ELSE 0 END`;
  const pin = (u: string) => `CASE WHEN ${u} > 0 THEN ${num(q)} * ${u} ELSE ${num(q - 1)} * ${u} END`;
  const twDomain = tweedieDomain(power, p);
  // scikit-learn's D² Tweedie compares with the deviance around the (weighted) mean target.
  const twModel = total(tweedie(c, 't', p, power));
  const twBase = total(tweedie(c, 't', 'tbar', power));
  const twOk = `${twDomain} AND ${tweedieDomain(power, 'tbar')}`;
  return [
    `${msle} AS msle`,
    `sqrt(${msle}) AS rmsle`,
    `CASE WHEN min(t) >= 0 AND min(${p}) > 0 THEN ${nonNegative(mean(poisson('t', p)))} END AS ${ident('poissonDeviance')}`,
    `CASE WHEN min(t) > 0 AND min(${p}) > 0 THEN ${nonNegative(mean(gamma('t', p)))} END AS ${ident('gammaDeviance')}`,
    `CASE WHEN ${twDomain} THEN ${nonNegative(mean(tweedie(c, 't', p, power)))} END AS ${ident('tweedieDeviance')}`,
    `${c.params.logInput ? mean(nll) : `CASE WHEN min(${p}) + 1e-8 > 0 THEN ${mean(nll)} END`} AS ${ident('poissonNll')}`,
    `${score(total(`abs(${p} - t)`), total('abs(t - tmed)'))} AS ${ident('d2AbsoluteError')}`,
    `${score(total(pin(`(t - ${p})`)), total(pin('(t - tq)')))} AS ${ident('d2Pinball')}`,
    `CASE WHEN ${twOk} AND ${twModel} >= 0 THEN ${score(twModel, twBase)} END AS ${ident('d2Tweedie')}`,
    `${score(total(`(${p} - t - dbar${m}) * (${p} - t - dbar${m})`), total('(t - tbar) * (t - tbar)'))} AS ${ident('explainedVariance')}`,
  ];
}

/** The weighted median of |d| as scikit-learn's median_absolute_error takes it with sample weights. */
export function weightedMedianAE(c: CountSqlContext, m: number): string {
  return quantileOf(c, `abs(p${m} - t)`, 0.5);
}
