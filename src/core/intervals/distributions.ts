/**
 * The distributions the intervals need, in pure TypeScript: log Γ, log B, the regularized
 * incomplete beta function, Student's t (tail and quantile) and the binomial CDF. Checked against
 * scipy (scripts/dev/interval-reference.py, test/fixtures/intervals/reference.json) to 1e-9
 * relative; in practice ~1e-14.
 *
 * Accuracy for large parameters (t with 1e7 degrees of freedom, the binomial of 1e7 rows) comes
 * from log B(a, b) written with log1p and the Stirling remainder, never as a difference of two
 * large log Γ values, and from ln x and ln(1 − x) taken from whichever of x, 1 − x is small.
 */

const LN_SQRT_2PI = 0.9189385332046728; // ln √(2π)

/** Lanczos (g = 7, 9 terms) coefficients: ~1e-15 relative for x > 0. */
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012,
  9.9843695780195716e-6, 1.5056327351493116e-7,
];

/**
 * The remainder of Stirling's series, ln Γ(x) − [(x − ½) ln x − x + ln √(2π)], for x ≥ 10
 * (terms up to x^-15: below 1e-17 there).
 */
function stirlingRemainder(x: number): number {
  const r = 1 / x;
  const r2 = r * r;
  return (
    r *
    (1 / 12 +
      r2 * (-1 / 360 + r2 * (1 / 1260 + r2 * (-1 / 1680 + r2 * (1 / 1188 + r2 * (-691 / 360360 + r2 * (1 / 156 + r2 * (-3617 / 122400))))))))
  );
}

/** ln Γ(x) for x > 0. */
export function logGamma(x: number): number {
  if (x >= 10) return (x - 0.5) * Math.log(x) - x + LN_SQRT_2PI + stirlingRemainder(x);
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let a = LANCZOS[0];
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i] / (z + i);
  return LN_SQRT_2PI + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a + b), for a, b > 0, without cancellation when either is large. */
export function logBeta(a: number, b: number): number {
  if (a > b) [a, b] = [b, a];
  const s = a + b;
  if (b < 10) return logGamma(a) + logGamma(b) - logGamma(s);
  const corr = stirlingRemainder(b) - stirlingRemainder(s);
  if (a < 10) {
    // ln Γ(b) − ln Γ(a + b) = −(b − ½)·ln(1 + a/b) − a·ln(a + b) + a + the remainders.
    return logGamma(a) - (b - 0.5) * Math.log1p(a / b) - a * Math.log(s) + a + corr;
  }
  // Both large: ln √(2π) + (a − ½) ln(a/s) + (b − ½) ln(b/s) − ½ ln s + the remainders.
  return LN_SQRT_2PI - (a - 0.5) * Math.log1p(b / a) - (b - 0.5) * Math.log1p(a / b) - 0.5 * Math.log(s) + stirlingRemainder(a) + corr;
}

/** Both sides of a probability: `lower` = P, `upper` = 1 − P, each computed without subtracting from 1 when small. */
export interface TwoSided {
  lower: number;
  upper: number;
}

const TINY = 1e-300;

/** The continued fraction of I_x(a, b) (modified Lentz), for x < (a + 1)/(a + b + 2). */
function betaFraction(a: number, b: number, x: number): number {
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 200000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-16) return h;
  }
  return h; // not converged (does not happen for the parameters used here); the best estimate
}

/**
 * The regularized incomplete beta function I_x(a, b) and its complement, given x and y = 1 − x
 * (both, so that a caller that knows the small one exactly loses no digits).
 */
export function incompleteBeta(a: number, b: number, x: number, y: number): TwoSided {
  if (x <= 0) return { lower: 0, upper: 1 };
  if (y <= 0) return { lower: 1, upper: 0 };
  const lnx = x < 0.5 ? Math.log(x) : Math.log1p(-y);
  const lny = y < 0.5 ? Math.log(y) : Math.log1p(-x);
  const front = Math.exp(a * lnx + b * lny - logBeta(a, b));
  if (x < (a + 1) / (a + b + 2)) {
    const lower = (front * betaFraction(a, b, x)) / a;
    return { lower, upper: 1 - lower };
  }
  const upper = (front * betaFraction(b, a, y)) / b;
  return { lower: 1 - upper, upper };
}

/** P(T > t) for Student's t with ν > 0 degrees of freedom. */
export function tUpperTail(t: number, nu: number): number {
  if (Number.isNaN(t)) return NaN;
  if (t === Infinity) return 0;
  if (t === -Infinity) return 1;
  const t2 = t * t;
  // P(|T| > |t|) = I_{ν/(ν+t²)}(ν/2, ½).
  const both = t2 === Infinity ? 0 : incompleteBeta(nu / 2, 0.5, nu / (nu + t2), t2 / (nu + t2)).lower;
  return t >= 0 ? both / 2 : 1 - both / 2;
}

/** The two-sided p-value of a t statistic: P(|T| ≥ |t|). */
export function tTwoSidedP(t: number, nu: number): number {
  if (Number.isNaN(t)) return NaN;
  const t2 = t * t;
  if (t2 === Infinity) return 0;
  return incompleteBeta(nu / 2, 0.5, nu / (nu + t2), t2 / (nu + t2)).lower;
}

/** The density of Student's t at t. */
export function tDensity(t: number, nu: number): number {
  return Math.exp(-logBeta(nu / 2, 0.5) - 0.5 * Math.log(nu) - ((nu + 1) / 2) * Math.log1p((t * t) / nu));
}

/**
 * The x > 0 with tail(x) = `tail`, for a decreasing tail with density `density` (tail' = −density):
 * Newton's method kept inside a bracket (bisection when a step leaves it).
 */
function invertTail(tail: number, tailOf: (x: number) => number, density: (x: number) => number): number {
  let lo = 0;
  let hi = 1;
  while (tailOf(hi) > tail) {
    lo = hi;
    hi *= 2;
    if (hi > 1e300) return Infinity;
  }
  let q = hi;
  for (let it = 0; it < 200; it++) {
    const f = tailOf(q) - tail;
    if (f === 0) return q;
    if (f > 0) lo = q;
    else hi = q;
    let next = q + f / density(q);
    if (!(next > lo && next < hi)) next = (lo + hi) / 2;
    if (Math.abs(next - q) <= 1e-15 * q || hi - lo <= 1e-15 * hi) return next;
    q = next;
  }
  return q;
}

/** The t value with P(T > t) = `tail` (0 < tail < 1): scipy's t.isf(tail, ν), t.ppf(1 − tail, ν). */
export function tQuantileUpper(tail: number, nu: number): number {
  if (!(tail > 0 && tail < 1) || !(nu > 0)) return NaN;
  if (tail === 0.5) return 0;
  if (tail > 0.5) return -tQuantileUpper(1 - tail, nu);
  if (nu >= LARGE_NU) return cornishFisher(normalQuantileUpper(tail), nu);
  return invertTail(tail, (t) => tUpperTail(t, nu), (t) => tDensity(t, nu));
}

/**
 * From here on, the t quantile comes from the normal one by the Cornish–Fisher expansion (terms to
 * ν⁻⁴; the rest is below 1e-16 relative): for such ν the continued fraction of the incomplete beta
 * runs near its switch point and keeps only ~1e-11.
 */
const LARGE_NU = 1e5;

function cornishFisher(z: number, nu: number): number {
  const z2 = z * z;
  const g1 = (z * (z2 + 1)) / 4;
  const g2 = (z * ((5 * z2 + 16) * z2 + 3)) / 96;
  const g3 = (z * (((3 * z2 + 19) * z2 + 17) * z2 - 15)) / 384;
  const g4 = (z * ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945)) / 92160;
  return z + (g1 + (g2 + (g3 + g4 / nu) / nu) / nu) / nu;
}

/** The regularized upper incomplete gamma function Q(a, x) = Γ(a, x)/Γ(a), x ≥ 0. */
export function gammaQ(a: number, x: number): number {
  if (x <= 0) return 1;
  const front = Math.exp(-x + a * Math.log(x) - logGamma(a));
  if (x < a + 1) {
    // The series of P(a, x).
    let ap = a;
    let del = 1 / a;
    let sum = del;
    for (let n = 0; n < 100000; n++) {
      ap += 1;
      del *= x / ap;
      sum += del;
      if (Math.abs(del) < Math.abs(sum) * 1e-17) break;
    }
    return 1 - sum * front;
  }
  // The continued fraction of Q(a, x) (modified Lentz).
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 100000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-16) break;
  }
  return front * h;
}

/** P(Z > z) for a standard normal Z: ½·Q(½, z²/2) for z ≥ 0. */
export function normalUpperTail(z: number): number {
  if (Number.isNaN(z)) return NaN;
  const t = 0.5 * gammaQ(0.5, (z * z) / 2);
  return z >= 0 ? t : 1 - t;
}

/** The z with P(Z > z) = `tail`: scipy's norm.isf(tail). */
export function normalQuantileUpper(tail: number): number {
  if (!(tail > 0 && tail < 1)) return NaN;
  if (tail === 0.5) return 0;
  if (tail > 0.5) return -normalQuantileUpper(1 - tail);
  return invertTail(tail, normalUpperTail, (z) => Math.exp(-0.5 * z * z - LN_SQRT_2PI));
}

/** P(X ≤ k) for X ~ Binomial(n, p): I_{1−p}(n − k, k + 1). */
export function binomialCdf(k: number, n: number, p: number): number {
  if (k < 0) return 0;
  if (k >= n) return 1;
  return incompleteBeta(n - k, k + 1, 1 - p, p).lower;
}
