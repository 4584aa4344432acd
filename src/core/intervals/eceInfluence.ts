/**
 * Per-row influences of ECE (the 15 bins of tasks/classification/calibration.ts), for paired
 * differences of two models on the same rows: ECE = Σ_b |D_b|/W, D_b = Σ_{i∈b} w_i·x_i with
 * x = correct − confidence, so g_i = ∂ECE/∂w_i = (s_b·x_i − ECE)/W, s_b the sign of D_b
 * (confusion.ts's eceInterval is Σ w_i²·g_i² summed per bin). The difference of two models then
 * has Var = Σ_i w_i²·(g_b,i − g_a,i)². Like the interval, not valid near a bin whose accuracy
 * equals its confidence.
 */
import { ECE_BINS, eceBin } from '../tasks/classification/calibration';

/** Per row, g_i; `confidence(i)` and `correct(i)` of row i (n rows), `w` the weights or null. */
export function eceInfluences(n: number, confidence: (i: number) => number, correct: (i: number) => number, w: Float64Array | null): Float64Array | null {
  const D = new Float64Array(ECE_BINS);
  const bin = new Uint8Array(n);
  const x = new Float64Array(n);
  let W = 0;
  for (let i = 0; i < n; i++) {
    const c = confidence(i);
    const b = eceBin(c);
    const wi = w ? w[i] : 1;
    bin[i] = b;
    x[i] = correct(i) - c;
    D[b] += wi * x[i];
    W += wi;
  }
  if (!(W > 0)) return null;
  let ece = 0;
  for (let b = 0; b < ECE_BINS; b++) ece += Math.abs(D[b]);
  ece /= W;
  const g = x;
  for (let i = 0; i < n; i++) {
    const d = D[bin[i]];
    g[i] = ((d > 0 ? 1 : d < 0 ? -1 : 0) * x[i] - ece) / W;
  }
  return g;
}
