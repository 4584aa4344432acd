/**
 * The paired difference of two models' ECE on the same rows (the 15 bins of
 * tasks/classification/calibration.ts): ECE = Σ_b |D_b|/W, D_b = Σ_{i∈b} w_i·x_i with
 * x = correct − confidence, so a row's influence is g_i = ∂ECE/∂w_i = (s_b·x_i − ECE)/W, s_b the
 * sign of D_b (confusion.ts's eceInterval is Σ w_i²·g_i² summed per bin), and the difference has
 * Var = Σ_i w_i²·(g_b,i − g_a,i)². Like the interval, not valid near a bin whose accuracy equals
 * its confidence.
 */
import { ECE_BINS, eceBin } from '../tasks/classification/calibration';

/**
 * The standard error of ECE_b − ECE_a from sums per bin and per pair of bins, without per-row
 * arrays: with x = correct − confidence and s the sign of a bin's Σw·x, W²·(g_b − g_a)² =
 * x_b² + x_a² − 2·s_a·s_b·x_a·x_b − 2d·(s_b·x_b − s_a·x_a) + d², d = ECE_b − ECE_a (s² in place
 * of 1, so a bin with Σw·x = 0 adds nothing of its own); only the cross term needs the 15×15
 * pairs of bins. One pass over the rows in file order. Null when the variance is 0 or the
 * weights add up to 0.
 */
export function pairedEceSe(
  n: number,
  a: { confidence: (i: number) => number; correct: (i: number) => number },
  b: { confidence: (i: number) => number; correct: (i: number) => number },
  w: Float64Array | null,
): number | null {
  const B = ECE_BINS;
  const Da = new Float64Array(B);
  const Db = new Float64Array(B);
  // Per bin of a (of b): Σw²x, Σw²x²; per pair: Σw²·x_a·x_b.
  const a1 = new Float64Array(B);
  const a2 = new Float64Array(B);
  const b1 = new Float64Array(B);
  const b2 = new Float64Array(B);
  const ab = new Float64Array(B * B);
  let W = 0;
  let W2 = 0;
  for (let i = 0; i < n; i++) {
    const wi = w ? w[i] : 1;
    const ca = a.confidence(i);
    const cb = b.confidence(i);
    const ia = eceBin(ca);
    const ib = eceBin(cb);
    const xa = a.correct(i) - ca;
    const xb = b.correct(i) - cb;
    const ww = wi * wi;
    W += wi;
    W2 += ww;
    Da[ia] += wi * xa;
    Db[ib] += wi * xb;
    a1[ia] += ww * xa;
    a2[ia] += ww * xa * xa;
    b1[ib] += ww * xb;
    b2[ib] += ww * xb * xb;
    ab[ia * B + ib] += ww * xa * xb;
  }
  if (!(W > 0)) return null;
  const sign = (v: number) => (v > 0 ? 1 : v < 0 ? -1 : 0);
  let ea = 0;
  let eb = 0;
  for (let k = 0; k < B; k++) {
    ea += Math.abs(Da[k]);
    eb += Math.abs(Db[k]);
  }
  const d = (eb - ea) / W;
  let v = 0;
  for (let k = 0; k < B; k++) {
    const sa = sign(Da[k]);
    const sb = sign(Db[k]);
    v += sb * sb * b2[k] + sa * sa * a2[k] - 2 * d * (sb * b1[k] - sa * a1[k]);
    for (let j = 0; j < B; j++) v -= 2 * sa * sign(Db[j]) * ab[k * B + j];
  }
  v += d * d * W2;
  return Number.isFinite(v) && v > 0 ? Math.sqrt(v) / W : null;
}
