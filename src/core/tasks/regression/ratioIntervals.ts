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
  const rho = (x: { score: number } | null) => (x ? 1 - x.score : 0);
  const r2 = s.r2;
  const ev = s.explainedVariance;
  const abs = s.d2AbsoluteError;
  const pin = s.d2Pinball;
  const tw = s.d2Tweedie;
  const [r0, r1, r2r, r3, r4] = [rho(r2), rho(ev), rho(abs), rho(pin), rho(tw)];
  let v0 = 0;
  let v1 = 0;
  let v2 = 0;
  let v3 = 0;
  let v4 = 0;
  for (let ci = 0; ci < targets.length; ci++) {
    const tc = targets[ci];
    const dc = residuals[ci];
    const wc = weights ? weights[ci] : null;
    for (let i = 0; i < tc.length; i++) {
      const t = tc[i];
      const d = dc[i];
      const ww = wc ? wc[i] * wc[i] : 1;
      if (r2) {
        const c = t - r2.meanTarget;
        const e = d * d - r0 * c * c;
        v0 += ww * e * e;
      }
      if (ev) {
        const c = t - ev.meanTarget;
        const m = d - ev.meanD;
        const e = m * m - r1 * c * c;
        v1 += ww * e * e;
      }
      if (abs) {
        const e = Math.abs(d) - r2r * Math.abs(t - abs.median);
        v2 += ww * e * e;
      }
      if (pin) {
        // scikit-learn's pinball of (y, ŷ) at α = q: q·(y − ŷ) above, (1 − q)·(ŷ − y) below; d = ŷ − y.
        const a = d > 0 ? (1 - pin.q) * d : -pin.q * d;
        const u = t - pin.quantile;
        const b = u > 0 ? pin.q * u : (pin.q - 1) * u;
        const e = a - r3 * b;
        v3 += ww * e * e;
      }
      if (tw) {
        const e = tweedieDev(t, t + d, tw.power) - r4 * tweedieDev(t, tw.meanTarget, tw.power);
        v4 += ww * e * e;
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
