/**
 * TensorBoard's smoothing of a scalar series: `classicSmoothing` of its line chart
 * (tensorboard/webapp/widgets/line_chart_v2/data_transformer.ts), a debiased exponential moving
 * average. With weight w in [0, 1] (anything else is clamped; NaN counts as 0):
 *   last = 0, n = 0; for each point y:
 *     y not finite → the smoothed value is y (the accumulator is left as it is);
 *     else last = last·w + (1 − w)·y, n += 1, smoothed = last / (1 − wⁿ)   (w = 1: / 1);
 * and a constant series (every y == the first) is returned unsmoothed. The same operations in the
 * same order, so the values are TensorBoard's to the last bit.
 */

/** TensorBoard's default smoothing weight. */
export const DEFAULT_SMOOTHING = 0.6;

/** The weight as TensorBoard uses it: not finite → 0, clamped to [0, 1]. */
export function clampWeight(w: number): number {
  if (!Number.isFinite(w)) return 0;
  return Math.max(0, Math.min(w, 1));
}

/** TensorBoard's classicSmoothing of one series' values (a new array). */
export function classicSmoothing(ys: ArrayLike<number>, weight: number): number[] {
  const w = clampWeight(weight);
  const out = new Array<number>(ys.length);
  if (ys.length === 0) return out;
  const first = ys[0];
  let constant = true;
  for (let i = 1; i < ys.length && constant; i++) constant = ys[i] === first;
  // `every(y == first)`: a NaN first value is never equal to itself, so such a series is smoothed.
  if (constant && first === first) {
    for (let i = 0; i < ys.length; i++) out[i] = ys[i];
    return out;
  }
  const ema = new Ema(w);
  for (let i = 0; i < ys.length; i++) out[i] = ema.next(ys[i]);
  return out;
}

/** The streaming form of classicSmoothing (without the constant-series rule, which needs the whole series). */
export class Ema {
  private last = 0;
  private n = 0;
  private settled = false;
  private readonly w: number;

  constructor(weight: number) {
    this.w = clampWeight(weight);
  }

  /** The smoothed value at the next point. */
  next(y: number): number {
    if (!Number.isFinite(y)) return y;
    const w = this.w;
    this.last = this.last * w + (1 - w) * y;
    this.n++;
    if (this.settled) return this.last;
    const debias = w === 1 ? 1 : 1 - Math.pow(w, this.n);
    // Once wⁿ is below half an ulp of 1, 1 − wⁿ rounds to 1 and stays 1 for every later n (wⁿ
    // only falls): TensorBoard's quotient is then the average itself, without a power per point.
    if (debias === 1) this.settled = true;
    return this.last / debias;
  }
}

/**
 * The smoothing of a decimated series (what the report's slider draws): point i stands for
 * `counts[i]` consecutive finite values whose mean is `means[i]` (null: none). Each point moves
 * the average as that many equal values would: last = last·w^c + (1 − w^c)·m, n += c. Exactly
 * classicSmoothing when every count is 1; for a decimated series, exact when each point's
 * values are equal, and otherwise the average of the means.
 */
export function smoothPoints(means: readonly (number | null)[], counts: readonly number[], weight: number): (number | null)[] {
  const w = clampWeight(weight);
  const out: (number | null)[] = new Array(means.length);
  const first = means.find((m) => m !== null);
  const constant = means.every((m) => m === null || m === first);
  let last = 0;
  let n = 0;
  for (let i = 0; i < means.length; i++) {
    const m = means[i];
    const c = counts[i] ?? 1;
    if (m === null || c <= 0) {
      out[i] = null;
      continue;
    }
    if (constant) {
      out[i] = m;
      continue;
    }
    const wc = c === 1 ? w : Math.pow(w, c);
    last = last * wc + (1 - wc) * m;
    n += c;
    out[i] = last / (w === 1 ? 1 : 1 - Math.pow(w, n));
  }
  return out;
}
