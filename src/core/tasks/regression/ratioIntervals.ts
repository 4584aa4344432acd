/**
 * Intervals of the scores of the form 1 − A/B (#15 item 1; README, "Intervals"): R², the explained
 * variance and the D² scores, by the delta method over the stored targets and residuals.
 *
 * With per-row values a_i (the model's loss) and b_i (the baseline's: the target around its mean,
 * median, q-quantile or mean again), A = Σw·a/Σw, B = Σw·b/Σw and ρ = A/B, a row's influence on
 * 1 − A/B is −w_i(a_i − ρ·b_i)/(W·B), so Var = Σw_i²(a_i − ρ·b_i)²/(W·B)². The baseline's own
 * centre (mean, median, quantile) is estimated too, but each is where E[b] is smallest (the mean
 * for squares and for a Tweedie deviance, the median for |·|, the quantile for the pinball loss),
 * so its first-order effect is 0. One pass over the rows in file order, plain sums (the result
 * is an interval, not a metric): the same additions in the same order for any number of threads.
 */
import type { Interval } from '../../intervals/report';
import { tweedieDev } from './counts';

export interface RatioRows {
  /** Targets and one model's residuals d = prediction − target, in chunks aligned with each other (and with the weights). */
  targets: Float64Array[];
  residuals: Float64Array[];
  weights: Float64Array[] | null;
  /** Σw (the row count without weights). */
  W: number;
}

/** What each score's interval needs: its value and its baseline's mean B (null: the score is null, no interval). */
export interface RatioScores {
  r2: { score: number; meanTarget: number; B: number } | null;
  explainedVariance: { score: number; meanTarget: number; meanD: number; B: number } | null;
  d2AbsoluteError: { score: number; median: number; B: number } | null;
  d2Pinball: { score: number; quantile: number; q: number; B: number } | null;
  d2Tweedie: { score: number; meanTarget: number; power: number; B: number } | null;
}

export type RatioKey = keyof RatioScores;

/** The standard error of each score (null where the score is null, the chunks do not align, or the variance is not a positive number). */
export function ratioStandardErrors(rows: RatioRows, s: RatioScores): Record<RatioKey, number | null> {
  const out: Record<RatioKey, number | null> = { r2: null, explainedVariance: null, d2AbsoluteError: null, d2Pinball: null, d2Tweedie: null };
  const { targets, residuals, weights } = rows;
  if (targets.length !== residuals.length || targets.some((c, i) => c.length !== residuals[i].length || (weights !== null && weights[i].length !== c.length))) return out;
  // Without weights, a chunk of ones: a `weights ? w[i] : 1` in the loop made it five times slower.
  let longest = 0;
  for (const c of targets) longest = Math.max(longest, c.length);
  const ones = weights ? null : new Float64Array(longest).fill(1);
  const r2 = s.r2;
  const ev = s.explainedVariance;
  const abs = s.d2AbsoluteError;
  const pin = s.d2Pinball;
  const tw = s.d2Tweedie;
  // The constants and flags of the four cheap scores, and their sums, for chunkTerms.
  const c = Float64Array.from([
    r2 ? 1 : 0,
    r2 ? 1 - r2.score : 0,
    r2 ? r2.meanTarget : 0,
    ev ? 1 : 0,
    ev ? 1 - ev.score : 0,
    ev ? ev.meanTarget : 0,
    ev ? ev.meanD : 0,
    abs ? 1 : 0,
    abs ? 1 - abs.score : 0,
    abs ? abs.median : 0,
    pin ? 1 : 0,
    pin ? 1 - pin.score : 0,
    pin ? pin.q : 0.5,
    pin ? pin.quantile : 0,
  ]);
  const v = new Float64Array(4);
  for (let ci = 0; ci < targets.length; ci++) chunkTerms(targets[ci], residuals[ci], weights ? weights[ci] : (ones as Float64Array), c, v);
  const [v0, v1, v2, v3] = v;
  let v4 = 0;
  // The Tweedie deviance (powers per row) in a loop of its own, so the common case keeps the loop above tight.
  if (tw) {
    const rho4 = 1 - tw.score;
    for (let ci = 0; ci < targets.length; ci++) {
      const tc = targets[ci];
      const dc = residuals[ci];
      const wc = weights ? weights[ci] : (ones as Float64Array);
      for (let i = 0; i < tc.length; i++) {
        const t = tc[i];
        const e = tweedieDev(t, t + dc[i], tw.power) - rho4 * tweedieDev(t, tw.meanTarget, tw.power);
        v4 += wc[i] * wc[i] * e * e;
      }
    }
  }
  const se = (v: number, x: { B: number } | null) => {
    if (!x) return null;
    const r = Math.sqrt(v) / (rows.W * x.B);
    return Number.isFinite(r) && r > 0 ? r : null;
  };
  out.r2 = se(v0, r2);
  out.explainedVariance = se(v1, ev);
  out.d2AbsoluteError = se(v2, abs);
  out.d2Pinball = se(v3, pin);
  out.d2Tweedie = se(v4, tw);
  return out;
}

/** The scores' intervals: score ± z·se, the upper end cut at 1 (every score is ≤ 1); null where there is no standard error. */
export function ratioIntervals(
  metrics: Record<RatioKey, number | null>,
  rows: RatioRows,
  centres: { meanTarget: number; meanD: number; median: number; quantile: number; q: number; power: number },
  denominators: { ssTarget: number; absAround: number; pinAround: number; tweedieAround: number | null },
  z: number,
): Record<RatioKey, Interval | null> {
  const W = rows.W;
  const at = <T extends object>(k: RatioKey, B: number | null, extra: T): ({ score: number; B: number } & T) | null => {
    const score = metrics[k];
    return score !== null && B !== null && B > 0 && Number.isFinite(B) ? { score, B, ...extra } : null;
  };
  const scores: RatioScores = {
    r2: at('r2', denominators.ssTarget / W, { meanTarget: centres.meanTarget }),
    explainedVariance: at('explainedVariance', denominators.ssTarget / W, { meanTarget: centres.meanTarget, meanD: centres.meanD }),
    // absAround and pinAround are Σw·pinball: at ½, half of Σw·|t − median|.
    d2AbsoluteError: at('d2AbsoluteError', (2 * denominators.absAround) / W, { median: centres.median }),
    d2Pinball: at('d2Pinball', denominators.pinAround / W, { quantile: centres.quantile, q: centres.q }),
    d2Tweedie: at('d2Tweedie', denominators.tweedieAround === null ? null : denominators.tweedieAround / W, { meanTarget: centres.meanTarget, power: centres.power }),
  };
  const se = ratioStandardErrors(rows, scores);
  const out = {} as Record<RatioKey, Interval | null>;
  for (const k of Object.keys(se) as RatioKey[]) {
    const s = se[k];
    const v = metrics[k];
    out[k] = s !== null && v !== null ? { low: v - z * s, high: Math.min(1, v + z * s), method: 'ratio delta' } : null;
  }
  return out;
}


/**
 * One chunk's Σw²(a − ρb)² of the four cheap scores into v. A function per chunk, not one loop over
 * the file: called ~150 times at 1e7 rows, it is optimised after the first few, where a single
 * long loop ran three times slower the one time the CLI calls it (measured on 1e7 rows). The sums
 * are added into `v` inside the loop, with no code after it: stores after a loop that V8 compiled
 * on the stack (OSR) had no type feedback, and that OSR code, kept in V8's cache, deoptimized at
 * the end of every chunk (the CLI's --no-concurrent-recompilation: 155 deoptimizations at 1e7
 * rows, docs/performance.md). The additions and their order are the same as with locals.
 */
function chunkTerms(tc: Float64Array, dc: Float64Array, wc: Float64Array, c: Float64Array, v: Float64Array): void {
  const on0 = c[0] !== 0;
  const rho0 = c[1];
  const mt0 = c[2];
  const on1 = c[3] !== 0;
  const rho1 = c[4];
  const mt1 = c[5];
  const md1 = c[6];
  const on2 = c[7] !== 0;
  const rho2 = c[8];
  const med = c[9];
  const on3 = c[10] !== 0;
  const rho3 = c[11];
  const q = c[12];
  const qc = c[13];
  // Carried from chunk to chunk in `v`: one sequential sum in file order, whatever the chunks (and threads).
  for (let i = 0; i < tc.length; i++) {
    const t = tc[i];
    const d = dc[i];
    const ww = wc[i] * wc[i];
    if (on0) {
      const x = t - mt0;
      const e = d * d - rho0 * x * x;
      v[0] += ww * e * e;
    }
    if (on1) {
      const x = t - mt1;
      const m = d - md1;
      const e = m * m - rho1 * x * x;
      v[1] += ww * e * e;
    }
    if (on2) {
      const e = Math.abs(d) - rho2 * Math.abs(t - med);
      v[2] += ww * e * e;
    }
    if (on3) {
      // scikit-learn's pinball of (y, ŷ) at α = q: q·(y − ŷ) above, (1 − q)·(ŷ − y) below; d = ŷ − y.
      // Written ½|x| + (q − ½)·x, without a branch: the signs of d and u are random row to row.
      const a = 0.5 * Math.abs(d) + (0.5 - q) * d;
      const u = t - qc;
      const b = 0.5 * Math.abs(u) + (q - 0.5) * u;
      const e = a - rho3 * b;
      v[3] += ww * e * e;
    }
  }
}
