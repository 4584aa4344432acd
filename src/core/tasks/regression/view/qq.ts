/** The normal Q-Q plot of the residuals, and the standard normal quantile it needs. */
import type { Report } from '../report';
import { quantileSorted } from './common';

// Wichura's AS241 (PPND16): Φ⁻¹ to about 1e-16 relative error.
const AS241_A = [3.387132872796366608, 133.14166789178437745, 1971.5909503065514427, 13731.693765509461125, 45921.953931549871457, 67265.770927008700853, 33430.575583588128105, 2509.0809287301226727];
const AS241_B = [1, 42.313330701600911252, 687.1870074920579083, 5394.1960214247511077, 21213.794301586595867, 39307.89580009271061, 28729.085735721942674, 5226.495278852854561];
const AS241_C = [1.42343711074968357734, 4.6303378461565452959, 5.7694972214606914055, 3.64784832476320460504, 1.27045825245236838258, 0.24178072517745061177, 0.0227238449892691845833, 7.7454501427834140764e-4];
const AS241_D = [1, 2.05319162663775882187, 1.6763848301838038494, 0.68976733498510000455, 0.14810397642748007459, 0.0151986665636164571966, 5.475938084995344946e-4, 1.05075007164441684324e-9];
const AS241_E = [6.6579046435011037772, 5.4637849111641143699, 1.7848265399172913358, 0.29656057182850489123, 0.026532189526576123093, 0.0012426609473880784386, 2.71155556874348757815e-5, 2.01033439929228813265e-7];
const AS241_F = [1, 0.59983220655588793769, 0.13692988092273580531, 0.0148753612908506148525, 7.868691311456132591e-4, 1.8463183175100546818e-5, 1.4215117583164458887e-7, 2.04426310338993978564e-15];

/** c[0] + c[1]·x + … + c[7]·x⁷ (Horner). */
function poly(c: number[], x: number): number {
  let v = 0;
  for (let i = c.length - 1; i >= 0; i--) v = v * x + c[i];
  return v;
}

/**
 * The standard normal quantile Φ⁻¹(p) (Wichura's algorithm AS241, accurate to about 1e-16):
 * Φ⁻¹(0.975) = 1.959963984540054. ±Infinity at 0 and 1, NaN outside [0, 1].
 */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) return NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return (q * poly(AS241_A, r)) / poly(AS241_B, r);
  }
  let r = Math.sqrt(-Math.log(q < 0 ? p : 1 - p));
  let v: number;
  if (r <= 5) {
    r -= 1.6;
    v = poly(AS241_C, r) / poly(AS241_D, r);
  } else {
    r -= 5;
    v = poly(AS241_E, r) / poly(AS241_F, r);
  }
  return q < 0 ? -v : v;
}

export interface QQPoint {
  /** Standard normal quantile Φ⁻¹((i − 0.5)/m) of the point's rank i among the m residuals. */
  x: number;
  /** The i-th smallest residual d. */
  y: number;
  line: number;
}

export interface QQData {
  points: QQPoint[];
  /** Reference line y = intercept + slope·x through the quartiles (slope: a robust σ of d). */
  slope: number;
  intercept: number;
  /** Residuals plotted (the sample: every used row when the file is small enough). */
  rows: number;
  source: 'all' | 'sample';
  /**
   * Spread between the 1% and 99% quantiles of d over the line's spread between them: about 1 for
   * normal residuals, > 1 for heavier tails, < 1 for lighter ones. Null with fewer than 20 points
   * or a zero slope.
   */
  tailRatio: number | null;
  /** The residual furthest from the median, in units of the slope (robust σ). */
  extreme: { d: number; line: number; sigmas: number } | null;
  /** How far (in σ) the largest |z| of a normal sample of this size reaches: Φ⁻¹((m − 0.5)/m). */
  normalReach: number;
}

/**
 * Normal Q-Q plot of one model's residuals d = prediction − target from the sample rows: sorted
 * residuals against standard normal quantiles, with the line through the quartiles (as R's
 * qqline). At most maxPoints points (evenly spaced ranks, the extremes always kept).
 */
export function qqPlot(report: Pick<Report, 'sample' | 'rows'>, modelIndex: number, maxPoints = 2000): QQData {
  const t = report.sample.target;
  const p = report.sample.predictions[modelIndex] ?? [];
  const all: { d: number; line: number }[] = [];
  for (let i = 0; i < Math.min(t.length, p.length); i++) {
    const d = p[i] - t[i];
    if (Number.isFinite(d)) all.push({ d, line: report.sample.lines[i] });
  }
  all.sort((a, b) => a.d - b.d || a.line - b.line);
  const m = all.length;
  const source = m >= report.rows.used ? 'all' : 'sample';
  if (m === 0) return { points: [], slope: 0, intercept: 0, rows: 0, source, tailRatio: null, extreme: null, normalReach: 0 };
  const ds = all.map((a) => a.d);
  const z1 = normalQuantile(0.25);
  const z3 = normalQuantile(0.75);
  const q1 = quantileSorted(ds, 0.25);
  const q3 = quantileSorted(ds, 0.75);
  const slope = (q3 - q1) / (z3 - z1);
  const intercept = q1 - slope * z1;
  const cap = Math.max(2, Math.floor(maxPoints));
  const step = m <= cap ? 1 : (m - 1) / (cap - 1);
  const points: QQPoint[] = [];
  for (let k = 0, last = -1; k < Math.min(m, cap); k++) {
    const i = Math.round(k * step);
    if (i === last) continue;
    last = i;
    points.push({ x: normalQuantile((i + 0.5) / m), y: all[i].d, line: all[i].line });
  }
  const lineAt = (x: number) => intercept + slope * x;
  let tailRatio: number | null = null;
  if (m >= 20 && slope > 0) {
    const lo = normalQuantile(0.01);
    const hi = normalQuantile(0.99);
    tailRatio = (quantileSorted(ds, 0.99) - quantileSorted(ds, 0.01)) / (lineAt(hi) - lineAt(lo));
  }
  const median = quantileSorted(ds, 0.5);
  const far = Math.abs(ds[0] - median) > Math.abs(ds[m - 1] - median) ? all[0] : all[m - 1];
  const extreme = slope > 0 ? { d: far.d, line: far.line, sigmas: Math.abs(far.d - median) / slope } : null;
  return { points, slope, intercept, rows: m, source, tailRatio, extreme, normalReach: normalQuantile((m - 0.5) / m) };
}

/**
 * The y range of the Q-Q plot: every residual, unless a few wild ones would flatten the rest onto
 * the line; then the range covers the line over the plot and the residuals between the 0.5% and
 * 99.5% quantiles, and `outside` counts the points beyond it (drawn at its edge).
 */
export function qqView(qq: Pick<QQData, 'points' | 'slope' | 'intercept'>): { lo: number; hi: number; clipped: boolean; outside: number } {
  const ys = qq.points.map((p) => p.y);
  if (ys.length === 0) return { lo: -1, hi: 1, clipped: false, outside: 0 };
  const xs = qq.points.map((p) => p.x);
  const line = [qq.intercept + qq.slope * Math.min(...xs), qq.intercept + qq.slope * Math.max(...xs)];
  const fullLo = Math.min(ys[0], ...line);
  const fullHi = Math.max(ys[ys.length - 1], ...line);
  const coreLo = Math.min(quantileSorted(ys, 0.005), ...line);
  const coreHi = Math.max(quantileSorted(ys, 0.995), ...line);
  const pad = (a: number, b: number) => (b > a ? (b - a) * 0.04 : 1);
  if (!(coreHi > coreLo) || fullHi - fullLo <= 2 * (coreHi - coreLo)) {
    return { lo: fullLo - pad(fullLo, fullHi), hi: fullHi + pad(fullLo, fullHi), clipped: false, outside: 0 };
  }
  const lo = coreLo - 2 * pad(coreLo, coreHi);
  const hi = coreHi + 2 * pad(coreLo, coreHi);
  return { lo, hi, clipped: true, outside: ys.filter((y) => y < lo || y > hi).length };
}
