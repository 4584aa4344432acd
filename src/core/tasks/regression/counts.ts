/**
 * Losses of counts and positive targets (#16): MSLE, the Poisson, Gamma and Tweedie deviances
 * (scikit-learn 1.2) and PyTorch's Poisson NLL, with the domain each needs. Pure. The hot loop
 * (accumulate.ts) inlines the same formulas; these functions are the definitions, used after the
 * scan (the D² baselines) and by tests.
 */

/** Default Tweedie power (`--power`, `lossInspector.tweedie.power`): compound Poisson–Gamma. */
export const DEFAULT_POWER = 1.5;
/** PyTorch PoissonNLLLoss's default eps (log_input = False: log(prediction + eps)). */
export const POISSON_NLL_EPS = 1e-8;

/**
 * The metrics whose domain a row can violate, in the order of ModelAcc's domain counts. Each is
 * null, with a warning naming the rows, as soon as one row violates it (scikit-learn raises).
 */
export const DOMAIN_KEYS = ['msle', 'poisson', 'gamma', 'tweedie', 'poissonNll'] as const;
export type DomainKey = (typeof DOMAIN_KEYS)[number];
export const NDOMAIN = DOMAIN_KEYS.length;

/** The Tweedie power's rule, as scikit-learn's mean_tweedie_deviance checks it. */
export type TweedieRule = 'anyTargetPositivePrediction' | 'normal' | 'nonNegativeTarget' | 'positiveTarget';

export function tweedieRule(power: number): TweedieRule {
  if (power < 0) return 'anyTargetPositivePrediction';
  if (power === 0) return 'normal';
  if (power < 2) return 'nonNegativeTarget'; // 1 ≤ p < 2 (0 < p < 1 is refused by checkPower)
  return 'positiveTarget';
}

/** A sentence when the power is not one scikit-learn's Tweedie deviance accepts; undefined when it is. */
export function checkPower(power: unknown): string | undefined {
  if (typeof power !== 'number' || !Number.isFinite(power) || (power > 0 && power < 1)) {
    return `The Tweedie power must be a number ≤ 0 or ≥ 1 (the deviance is not defined between 0 and 1; got ${String(power)}).`;
  }
  return undefined;
}

/**
 * Whether a row (target t, prediction p) lies outside metric k's domain (DOMAIN_KEYS order):
 * MSLE as scikit-learn 1.2 (any negative target or prediction is refused, though log1p accepts
 * values above −1), Poisson y ≥ 0 and μ > 0, Gamma y > 0 and μ > 0, Tweedie by its power, the
 * Poisson NLL p + eps > 0 (log_input = False; any p with log_input).
 */
export function outsideDomain(k: number, t: number, p: number, power: number, logInput: boolean): boolean {
  switch (k) {
    case 0:
      return t < 0 || p < 0;
    case 1:
      return t < 0 || p <= 0;
    case 2:
      return t <= 0 || p <= 0;
    case 3:
      return tweedieOutside(tweedieRule(power), t, p);
    default:
      return !logInput && !(p + POISSON_NLL_EPS > 0);
  }
}

export function tweedieOutside(rule: TweedieRule, t: number, p: number): boolean {
  switch (rule) {
    case 'anyTargetPositivePrediction':
      return p <= 0;
    case 'normal':
      return false;
    case 'nonNegativeTarget':
      return t < 0 || p <= 0;
    case 'positiveTarget':
      return t <= 0 || p <= 0;
  }
}

/** Squared log error of one row: (log1p(p) − log1p(t))² (scikit-learn's mean_squared_log_error). */
export function squaredLogError(t: number, p: number): number {
  const e = Math.log1p(t) - Math.log1p(p);
  return e * e;
}

/** Unit Poisson deviance 2·(xlogy(y, y/μ) − y + μ) (scikit-learn, power 1). */
export function poissonDev(y: number, mu: number): number {
  return 2 * ((y === 0 ? 0 : y * Math.log(y / mu)) - y + mu);
}

/** Unit Gamma deviance 2·(log(μ/y) + y/μ − 1) (scikit-learn, power 2). */
export function gammaDev(y: number, mu: number): number {
  return 2 * (Math.log(mu / y) + y / mu - 1);
}

/** Unit Tweedie deviance at `power`, as scikit-learn's _mean_tweedie_deviance computes each row. */
export function tweedieDev(y: number, mu: number, power: number): number {
  const p = power;
  if (p === 0) return (y - mu) ** 2;
  if (p === 1) return poissonDev(y, mu);
  if (p === 2) return gammaDev(y, mu);
  const yy = p < 0 ? Math.max(y, 0) : y;
  return 2 * (Math.pow(yy, 2 - p) / ((1 - p) * (2 - p)) - (y * Math.pow(mu, 1 - p)) / (1 - p) + Math.pow(mu, 2 - p) / (2 - p));
}

/** PyTorch PoissonNLLLoss (full = False) of one row: μ − y·log(μ + eps), or with log_input exp(p) − y·p. */
export function poissonNll(y: number, p: number, logInput: boolean): number {
  return logInput ? Math.exp(p) - y * p : p - y * Math.log(p + POISSON_NLL_EPS);
}
