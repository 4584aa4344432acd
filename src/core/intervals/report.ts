/**
 * What the report says about uncertainty (the JSON contract, README "Intervals"): an interval per
 * metric and model, and, with two models or more, the paired comparisons against a baseline.
 */

/** How an interval or a comparison was computed (README, "Intervals", lists each). */
export type IntervalMethod =
  /** mean ± t(ν)·s/√n, ν = n − 1 (with weights: Kish's effective n, see mean.ts). */
  | 't'
  /** RMSE: the square roots of the ends of MSE's interval. */
  | 'sqrt of mse'
  /** L1, L2: the mean's interval times n (Σw). */
  | 'scaled mean'
  /** The median: order statistics X(l), X(n+1−l), l from the binomial(n, ½) (distribution-free). */
  | 'order statistics'
  /** R²: 1 − n·MSE/Σ(t − t̄)² over MSE's interval, the target's sum of squares held fixed. */
  | 'mse, targets fixed'
  /** R², explained variance, D²: the delta method over the stored targets and residuals (regression/ratioIntervals.ts). */
  | 'ratio delta'
  /** ROC AUC: DeLong's variance, normal interval clipped to [0, 1]. */
  | 'delong'
  /** Precision, recall: Wilson's score interval (Kish's effective n with weights). */
  | 'wilson'
  /** F1, MCC, balanced accuracy: the delta method over the confusion cells at the threshold. */
  | 'confusion delta'
  /** Average precision: Boyd, Eng & Page's (2013) logit interval. */
  | 'boyd logit'
  /** ECE: the delta method over its 15 bins. */
  | 'ece delta'
  /** Multiclass macro ROC AUC: every class's one-vs-rest DeLong influences, added per row (intervals/rankInfluence.ts). */
  | 'delong ovr'
  /** Multiclass macro average precision: every class's per-row influences (infinitesimal jackknife, rankInfluence.ts). */
  | 'ap influence'
  /** Comparisons of precision … MCC: the delta method over the joint confusion cells of both models. */
  | 'paired confusion delta'
  /** Seeded bootstrap (percentile) over the confusion counts. */
  | 'bootstrap'
  /** Comparisons: paired t over the per-row loss differences. */
  | 'paired t'
  /** Comparisons of RMSE: the delta method over the paired MSE sums. */
  | 'delta method'
  /** Comparisons, --time-ordered: Diebold–Mariano, Newey–West variance, Harvey–Leybourne–Newbold correction. */
  | 'diebold-mariano'
  /** Comparisons of AUC: DeLong's paired test. */
  | 'delong paired'
  /** Comparisons of multiclass macro ROC AUC: the differences of both models' per-row influences. */
  | 'delong ovr paired'
  /** Comparisons of average precision and ECE: the delta method over the differences of both models' per-row influences. */
  | 'paired influence'
  /** Comparisons of the median |d|: a seeded Poisson bootstrap over the rows, both models' residuals drawn together (pairedMedian.ts). */
  | 'paired bootstrap';

export interface Interval {
  low: number;
  high: number;
  method: IntervalMethod;
}

/** Per metric key, its interval; null when none is computed for it (max error: no sound method, README "Intervals"; or undefined for the data). */
export type Intervals<K extends string> = Record<K, Interval | null>;

/** One metric of model `b` against the baseline `a`: b − a with its interval and two-sided p-value. */
export interface Comparison {
  a: string;
  b: string;
  metric: string;
  difference: number;
  low: number;
  high: number;
  p: number;
  /** p < 1 − confidence. */
  significant: boolean;
  method: IntervalMethod;
}

/** What the user asks of the intervals (--confidence, --baseline, --time-ordered). */
export interface IntervalOptions {
  /** Confidence level in (0, 1); 0 turns intervals and comparisons off. */
  confidence: number;
  /** The baseline model's prediction column (default: the first model). */
  baseline?: string;
  /** Rows are in time order: comparisons use Diebold–Mariano instead of paired t. */
  timeOrdered?: boolean;
}

export const DEFAULT_CONFIDENCE = 0.95;

/** Whether a comparison's p-value is significant at the confidence level. */
export function isSignificant(p: number, confidence: number): boolean {
  return p < 1 - confidence;
}
