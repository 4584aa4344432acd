/**
 * A predicted variance (#16 item 2): each model may come with a column of its predicted variance
 * (or standard deviation), read as a Gaussian predictive distribution N(prediction, σ²). Pure.
 * The definitions here are used by the scan (varianceAcc.ts), after it, and by the tests.
 */
import type { LossRow } from './parts';

/** PyTorch GaussianNLLLoss's default eps: the variance is clamped to at least this. */
export const GAUSSIAN_NLL_EPS = 1e-6;
/** The same clamp on σ, for the standardised residual d/σ (so it is finite where the NLL is). */
export const SIGMA_FLOOR = Math.sqrt(GAUSSIAN_NLL_EPS);
/** The standardised residual's histogram: equal bins over [−Z_MAX, Z_MAX], the rest counted below/above. */
export const Z_MAX = 5;
export const Z_BINS = 50;

/** What a model's spread column holds. */
export type SpreadKind = 'variance' | 'std';

/** A model's spread column. */
export interface SpreadColumn {
  column: string;
  kind: SpreadKind;
}

/** The metrics a spread column adds to models[].metrics (present only for a model with one). */
export type VarianceKey = 'gaussianNll' | 'crps';

export const VARIANCE_METRICS: readonly { key: VarianceKey; label: string; formula: string }[] = [
  { key: 'gaussianNll', label: 'Gaussian NLL', formula: 'mean of ½·(log max(σ², 1e-6) + d²/max(σ², 1e-6)) (PyTorch GaussianNLLLoss, full=False)' },
  { key: 'crps', label: 'CRPS (Gaussian)', formula: 'mean of σ·(z·(2Φ(z) − 1) + 2φ(z) − 1/√π), z = d/σ (Gneiting & Raftery 2007); |d| when σ = 0' },
];

/** One row's Gaussian NLL as PyTorch computes it (full = False): ½·(log v + d²/v), v = max(σ², eps). */
export function gaussianNll(d: number, variance: number): number {
  const v = variance > GAUSSIAN_NLL_EPS ? variance : GAUSSIAN_NLL_EPS;
  return 0.5 * (Math.log(v) + (d * d) / v);
}

export const INV_SQRT_PI = 1 / Math.sqrt(Math.PI);
export const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/**
 * The CRPS of N(μ, σ²) at the target, d = μ − y, in closed form (Gneiting & Raftery 2007, eq. 21):
 * σ·(z·erf(z/√2) + 2φ(z) − 1/√π) with z = d/σ (the formula is even in z). σ = 0 is the point
 * prediction's limit |d|, as is a z too large for double precision.
 */
export function crpsGaussian(d: number, sigma: number): number {
  const a = Math.abs(d);
  if (!(sigma > 0)) return a;
  const z = a / sigma;
  if (!(z < 1e150)) return a; // σ·(z − 1/√π) rounds to |d|; z² would overflow
  return sigma * (z * erf(z * Math.SQRT1_2) + 2 * INV_SQRT_2PI * Math.exp(-0.5 * z * z) - INV_SQRT_PI);
}

// W. J. Cody's rational approximations of erf and erfc ("Rational Chebyshev approximations for
// the error function", Math. Comp. 23, 1969), coefficients as published in his CALERF: relative
// error near 1e-16 over the whole range, which the 1e-12 agreement with scipy needs (JavaScript
// has no erf, and the series/continued fractions in intervals/distributions.ts are too slow for
// a per-row loss).
const A = [3.16112374387056560e0, 1.13864154151050156e2, 3.77485237685302021e2, 3.20937758913846947e3, 1.85777706184603153e-1];
const B = [2.36012909523441209e1, 2.44024637934444173e2, 1.28261652607737228e3, 2.84423683343917062e3];
const C = [
  5.64188496988670089e-1, 8.88314979438837594e0, 6.61191906371416295e1, 2.98635138197400131e2, 8.81952221241769090e2, 1.71204761263407058e3, 2.05107837782607147e3,
  1.23033935479799725e3, 2.15311535474403846e-8,
];
const D = [
  1.57449261107098347e1, 1.17693950891312499e2, 5.37181101862009858e2, 1.62138957456669019e3, 3.29079923573345963e3, 4.36261909014324716e3, 3.43936767414372164e3,
  1.23033935480374942e3,
];
const P = [3.05326634961232344e-1, 3.60344899949804439e-1, 1.25781726111229246e-1, 1.60837851487422766e-2, 6.58749161529837803e-4, 1.63153871373020978e-2];
const Q = [2.56852019228982242e0, 1.87295284992346047e0, 5.27905102951428412e-1, 6.05183413124413191e-2, 2.33520497626869185e-3];
/** The coefficients, for the SQL statement's erf (sqlVariance.ts), which evaluates the same approximation. */
export const CODY_ERF = { A, B, C, D, P, Q } as const;

/** e^(−x²) without the rounding of x² spoiling it (Cody's split of x into a 1/16 grid and the rest). */
function expMinusSquare(x: number): number {
  const t = Math.trunc(x * 16) / 16;
  return Math.exp(-t * t) * Math.exp(-(x - t) * (x + t));
}

/** erfc(x) for x > 0.46875. */
function erfcTail(y: number): number {
  if (y <= 4) {
    let num = C[8] * y;
    let den = y;
    for (let i = 0; i < 7; i++) {
      num = (num + C[i]) * y;
      den = (den + D[i]) * y;
    }
    return ((num + C[7]) / (den + D[7])) * expMinusSquare(y);
  }
  if (y >= 26.543) return 0;
  const s = 1 / (y * y);
  let num = P[5] * s;
  let den = s;
  for (let i = 0; i < 4; i++) {
    num = (num + P[i]) * s;
    den = (den + Q[i]) * s;
  }
  const r = (s * (num + P[4])) / (den + Q[4]);
  return ((INV_SQRT_PI - r) / y) * expMinusSquare(y);
}

/** The error function. */
export function erf(x: number): number {
  const y = Math.abs(x);
  if (y <= 0.46875) {
    const s = y > 1.11e-16 ? y * y : 0;
    let num = A[4] * s;
    let den = s;
    for (let i = 0; i < 3; i++) {
      num = (num + A[i]) * s;
      den = (den + B[i]) * s;
    }
    return (x * (num + A[3])) / (den + B[3]);
  }
  if (Number.isNaN(x)) return NaN;
  const r = 0.5 - erfcTail(y) + 0.5;
  return x < 0 ? -r : r;
}

/** The standard normal CDF Φ(z) = erfc(−z/√2)/2. */
export function normalCdf(z: number): number {
  const x = z * Math.SQRT1_2;
  if (x < -0.46875) return 0.5 * erfcTail(-x);
  if (x > 0.46875) return 1 - 0.5 * erfcTail(x);
  return 0.5 + 0.5 * erf(x);
}

/** The standard normal density φ(z). */
export function normalDensity(z: number): number {
  return INV_SQRT_2PI * Math.exp(-0.5 * z * z);
}

/** A row's σ from its spread value (std as given, variance through √); NaN when the value is negative (outside the domain). */
export function sigmaOf(value: number, kind: SpreadKind): number {
  if (!(value >= 0)) return NaN;
  return kind === 'std' ? value : Math.sqrt(value);
}

/** The bin of the standardised residual z (−1: below −Z_MAX, Z_BINS: above Z_MAX). */
export function zBin(z: number): number {
  if (z < -Z_MAX) return -1;
  if (z > Z_MAX) return Z_BINS;
  const b = Math.floor(((z + Z_MAX) / (2 * Z_MAX)) * Z_BINS);
  return b >= Z_BINS ? Z_BINS - 1 : b;
}

/** What a range hands over per model with a spread column (structured-clone friendly). */
export interface VariancePart {
  /** Exact sums in VARIANCE_SUMS order (ExactSum.serialize()). */
  sums: { partials: number[]; special: number; overflow: boolean }[];
  /** Rows of the standardised residual per bin, and below/above the histogram's range. */
  hist: number[];
  below: number;
  above: number;
  /** Rows whose spread value is negative (outside the domain) and their first lines (range-relative). */
  bad: number;
  badLines: number[];
  /** The range's worst rows by the NLL and by the CRPS, worst first (range-relative lines); absent when a spread is negative. */
  worst?: { gaussianNll: LossRow[]; crps: LossRow[] };
}

/** One group's sums over one range (a group-by column): per model, VARIANCE_SUMS (null without a spread column). */
export interface VarianceGroupPart {
  label: string;
  sums: ({ partials: number[]; special: number; overflow: boolean }[] | null)[];
}

/** What a range hands over: per model (null without a spread column), and per group with a group-by column. */
export interface VarianceRange {
  models: (VariancePart | null)[];
  groups?: VarianceGroupPart[];
  /**
   * Per distinct spread column (in the order the models first name them), its values in file
   * order in chunks aligned with the targets' (#16 item 5: the CRPS's and z²'s worst-rows shares,
   * varianceShares.ts). Transferred, not copied, between threads.
   */
  rows?: Float64Array[][];
}

/**
 * The sums kept per model, each Σw·term: the NLL, the CRPS, rows with |d| ≤ σ and ≤ 2σ, the
 * standardised residual z = d/max(σ, √eps) and z².
 */
export const VARIANCE_SUMS = ['nll', 'crps', 'within1', 'within2', 'z', 'z2'] as const;
export const NVSUMS = VARIANCE_SUMS.length;
