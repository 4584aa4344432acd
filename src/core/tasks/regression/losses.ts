/**
 * Per-element loss functions of the residual d = prediction − target, their derivatives with
 * respect to the prediction, and the formulas shown to users. Pure: used by the engine (Node),
 * the CLI and the webview (browser) alike. Operation order follows PyTorch's kernels so that
 * per-element values are bit-identical to torch's float64 results.
 */

import { checkPower } from './counts';

export interface LossParams {
  /** smooth L1 threshold β ≥ 0 (β = 0 means plain L1). */
  beta: number;
  /** Huber threshold δ > 0. */
  delta: number;
  /** Pinball-loss quantile q in (0, 1); 0.5 when absent (pinball is then MAE / 2). */
  quantile?: number;
  /** Tweedie power (≤ 0 or ≥ 1) of tweedieDeviance and d2Tweedie; DEFAULT_POWER (1.5) when absent. */
  power?: number;
  /** poissonNll's predictions are log rates (PyTorch PoissonNLLLoss(log_input=True)); false when absent. */
  logInput?: boolean;
}

export const DEFAULT_PARAMS: LossParams = { beta: 1, delta: 1, quantile: 0.5 };

/** numpy's float64 machine epsilon: scikit-learn's floor for |target| in MAPE. */
export const MAPE_EPSILON = 2.220446049250313e-16;

/** Pinball (quantile) loss of one row, as scikit-learn's mean_pinball_loss(alpha = q). */
export function pinball(target: number, prediction: number, q: number): number {
  const diff = target - prediction;
  return diff >= 0 ? q * diff : (q - 1) * diff;
}

/** smooth L1 (torch.nn.functional.smooth_l1_loss, per element). */
export function smoothL1(d: number, beta: number): number {
  const z = Math.abs(d);
  if (beta === 0) return z;
  return z < beta ? (0.5 * z * z) / beta : z - 0.5 * beta;
}

export function smoothL1Grad(d: number, beta: number): number {
  const z = Math.abs(d);
  if (beta === 0 || z >= beta) return Math.sign(d);
  return d / beta;
}

/** Huber (torch.nn.functional.huber_loss, per element). */
export function huber(d: number, delta: number): number {
  const z = Math.abs(d);
  return z < delta ? 0.5 * z * z : delta * (z - 0.5 * delta);
}

export function huberGrad(d: number, delta: number): number {
  return Math.abs(d) <= delta ? d : delta * Math.sign(d);
}

const LN2 = Math.LN2;

/** log(cosh d), accurate to a few ulps for tiny d and finite for huge d. */
export function logCosh(d: number): number {
  const z = Math.abs(d);
  if (z < 1e-4) {
    // Taylor: z²/2 − z⁴/12 (+ z⁶/45, below 1e-17 relative here).
    const z2 = z * z;
    return z2 * (0.5 - z2 / 12);
  }
  if (z < 1) {
    // log(cosh z) = log1p(cosh z − 1), cosh z − 1 = m²/(2(1 + m)) with m = expm1(z): no cancellation.
    const m = Math.expm1(z);
    return Math.log1p((m * m) / (2 * (1 + m)));
  }
  // log(cosh z) = z − ln 2 + log1p(e^{−2z}): no overflow for large z. From z = 19 on, e^{−2z}
  // < 3.2e-17 is below half an ulp of z − ln 2 (≥ 18.3, ulp 2^-48): the sum rounds to z − ln 2,
  // so skipping the two calls gives the same bits.
  if (z >= 19) return z - LN2;
  return z - LN2 + Math.log1p(Math.exp(-2 * z));
}

/**
 * logCosh(d) stored in out[i]: for hot loops, where a double returned from a call that is not
 * inlined is boxed (one heap allocation per row). Same operations, same bits as logCosh.
 */
export function logCoshTo(d: number, out: Float64Array, i: number): void {
  const z = Math.abs(d);
  // 0 on its own (same bits as the Taylor branch): V8 types a 0 as a small integer, and the first
  // fractional z there after optimization deoptimized every caller.
  if (z === 0) out[i] = 0;
  else if (z < 1e-4) {
    const z2 = z * z;
    out[i] = z2 * (0.5 - z2 / 12);
  } else if (z < 1) {
    const m = Math.expm1(z);
    out[i] = Math.log1p((m * m) / (2 * (1 + m)));
  } else if (z >= 19) out[i] = z - LN2; // same bits as below (see logCosh)
  else out[i] = z - LN2 + Math.log1p(Math.exp(-2 * z));
}

let primed = false;

/**
 * Type feedback for every branch of logCoshTo, once per thread, before a scan. Hot loops inline
 * it, and TurboFan compiles a branch without feedback as a deoptimization: the first row with
 * |d| < 1e-4 (rare) then deoptimized the scan's row() in every thread, which cost a recompile and
 * a stretch of unoptimized rows each time. (V8 allocates a function's feedback vector only after
 * a few calls: hence the repetitions.) Called by the family's range accumulator, not at import,
 * so code that only reads the loss definitions (the extension host, the webview) does not pay.
 */
export function primeLogCosh(): void {
  if (primed) return;
  primed = true;
  const scratch = new Float64Array(1);
  for (let k = 0; k < 64; k++) for (const z of [0, 1e-5, 0.5, 2, 20, -1e-5, -0.5, -2, -20]) logCoshTo(z, scratch, 0);
}

export function logCoshGrad(d: number): number {
  return Math.tanh(d);
}

/** Losses whose per-row value is a function of |d| (robustness and gradients are given for these). */
export type RowLossKey = 'l1' | 'l2' | 'smoothL1' | 'huber' | 'logCosh';
export const ROW_LOSSES: readonly RowLossKey[] = ['l1', 'l2', 'smoothL1', 'huber', 'logCosh'];

/** The curves the report draws: per-element value and derivative as functions of d (one per row loss). */
export type CurveKey = RowLossKey;

export interface CurveDef {
  key: CurveKey;
  label: string;
  value(d: number, p: LossParams): number;
  grad(d: number, p: LossParams): number;
  formula: string;
  gradFormula: string;
}

export const CURVES: readonly CurveDef[] = [
  {
    key: 'l1',
    label: 'L1 |d|',
    value: (d) => Math.abs(d),
    grad: (d) => Math.sign(d),
    formula: '|d|',
    gradFormula: 'sign(d) (0 at d = 0)',
  },
  {
    key: 'l2',
    label: 'L2 d²',
    value: (d) => d * d,
    grad: (d) => 2 * d,
    formula: 'd²',
    gradFormula: '2d',
  },
  {
    key: 'smoothL1',
    label: 'smooth L1',
    value: (d, p) => smoothL1(d, p.beta),
    grad: (d, p) => smoothL1Grad(d, p.beta),
    formula: '0.5·d²/β if |d| < β, else |d| − 0.5·β',
    gradFormula: 'd/β if |d| < β, else sign(d)',
  },
  {
    key: 'huber',
    label: 'Huber',
    value: (d, p) => huber(d, p.delta),
    grad: (d, p) => huberGrad(d, p.delta),
    formula: '0.5·d² if |d| ≤ δ, else δ·(|d| − 0.5·δ)',
    gradFormula: 'd if |d| ≤ δ, else δ·sign(d)',
  },
  {
    key: 'logCosh',
    label: 'log-cosh',
    value: (d) => logCosh(d),
    grad: (d) => logCoshGrad(d),
    formula: 'log(cosh d)',
    gradFormula: 'tanh(d)',
  },
];

/** Every metric of the report, in display order. */
export type MetricKey =
  | 'l1'
  | 'l2'
  | 'mae'
  | 'mse'
  | 'rmse'
  | 'smoothL1'
  | 'huber'
  | 'logCosh'
  | 'meanError'
  | 'maxError'
  | 'medianAE'
  | 'r2'
  | 'mape'
  | 'smape'
  | 'pinball'
  | 'msle'
  | 'rmsle'
  | 'poissonDeviance'
  | 'gammaDeviance'
  | 'tweedieDeviance'
  | 'poissonNll'
  | 'd2AbsoluteError'
  | 'd2Pinball'
  | 'd2Tweedie'
  | 'explainedVariance';

export interface MetricDef {
  key: MetricKey;
  label: string;
  formula: string;
}

export const METRICS: readonly MetricDef[] = [
  { key: 'l1', label: 'L1 (sum)', formula: 'Σ|d|' },
  { key: 'l2', label: 'L2 (sum)', formula: 'Σd²' },
  { key: 'mae', label: 'MAE', formula: 'Σ|d| / n' },
  { key: 'mse', label: 'MSE', formula: 'Σd² / n' },
  { key: 'rmse', label: 'RMSE', formula: '√MSE' },
  { key: 'smoothL1', label: 'smooth L1', formula: 'mean of 0.5·d²/β if |d| < β, else |d| − 0.5·β' },
  { key: 'huber', label: 'Huber', formula: 'mean of 0.5·d² if |d| ≤ δ, else δ·(|d| − 0.5·δ)' },
  { key: 'logCosh', label: 'log-cosh', formula: 'mean of log(cosh d)' },
  { key: 'meanError', label: 'mean error (bias)', formula: 'Σd / n (positive: over-prediction)' },
  { key: 'maxError', label: 'max error', formula: 'max |d|' },
  { key: 'medianAE', label: 'median AE', formula: 'median of |d|' },
  { key: 'r2', label: 'R²', formula: '1 − Σd² / Σ(target − mean target)²' },
  { key: 'mape', label: 'MAPE', formula: 'mean of |d| / max(|target|, ε), ε = 2.2e-16 (scikit-learn; a fraction, not %)' },
  { key: 'smape', label: 'sMAPE', formula: 'mean of 2|d| / (|target| + |prediction|), 0 when both are 0' },
  { key: 'pinball', label: 'pinball (q)', formula: 'mean of q·(target − prediction) if target ≥ prediction, else (q − 1)·(target − prediction)' },
  { key: 'msle', label: 'MSLE', formula: 'mean of (log(1 + prediction) − log(1 + target))²; targets and predictions ≥ 0' },
  { key: 'rmsle', label: 'RMSLE', formula: '√MSLE' },
  { key: 'poissonDeviance', label: 'Poisson deviance', formula: 'mean of 2·(y·log(y/μ) − y + μ); y ≥ 0, μ > 0' },
  { key: 'gammaDeviance', label: 'Gamma deviance', formula: 'mean of 2·(log(μ/y) + y/μ − 1); y > 0, μ > 0' },
  { key: 'tweedieDeviance', label: 'Tweedie deviance (p)', formula: 'mean of 2·(y^(2−p)/((1−p)(2−p)) − y·μ^(1−p)/(1−p) + μ^(2−p)/(2−p)) at power p (Poisson at 1, Gamma at 2, squared error at 0)' },
  { key: 'poissonNll', label: 'Poisson NLL', formula: 'mean of μ − y·log(μ + 1e-8) (PyTorch PoissonNLLLoss; with --log-input: exp(x) − y·x)' },
  { key: 'd2AbsoluteError', label: 'D² absolute error', formula: '1 − Σ|d| / Σ|target − median target|' },
  { key: 'd2Pinball', label: 'D² pinball (q)', formula: '1 − Σ pinball(d) / Σ pinball(target − q-quantile of target)' },
  { key: 'd2Tweedie', label: 'D² Tweedie (p)', formula: '1 − Σ Tweedie deviance(y, μ) / Σ Tweedie deviance(y, mean y)' },
  { key: 'explainedVariance', label: 'explained variance', formula: '1 − Var(d) / Var(target)' },
];

export function checkParams(p: LossParams): string | undefined {
  if (typeof p.beta !== 'number' || !Number.isFinite(p.beta) || p.beta < 0) {
    return `The smooth L1 β must be a number ≥ 0 (got ${String(p.beta)}).`;
  }
  if (typeof p.delta !== 'number' || !Number.isFinite(p.delta) || p.delta <= 0) {
    return `The Huber δ must be a number > 0 (got ${String(p.delta)}).`;
  }
  if (p.quantile !== undefined && (typeof p.quantile !== 'number' || !(p.quantile > 0 && p.quantile < 1))) {
    return `The pinball-loss quantile q must be a number strictly between 0 and 1 (got ${String(p.quantile)}).`;
  }
  if (p.power !== undefined) return checkPower(p.power);
  return undefined;
}

/** Per-row loss of each RowLossKey as a function of |d| (all are non-decreasing in |d|). */
export function rowLoss(key: RowLossKey, z: number, p: LossParams): number {
  switch (key) {
    case 'l1':
      return z;
    case 'l2':
      return z * z;
    case 'smoothL1':
      return smoothL1(z, p.beta);
    case 'huber':
      return huber(z, p.delta);
    case 'logCosh':
      return logCosh(z);
  }
}

/** Gradient magnitude of each RowLossKey at |d| = z (non-decreasing in z). */
export function gradMagnitude(key: RowLossKey, z: number, p: LossParams): number {
  switch (key) {
    case 'l1':
      return z === 0 ? 0 : 1;
    case 'l2':
      return 2 * z;
    case 'smoothL1':
      return p.beta === 0 ? (z === 0 ? 0 : 1) : Math.min(z / p.beta, 1);
    case 'huber':
      return Math.min(z, p.delta);
    case 'logCosh':
      return Math.tanh(z);
  }
}
