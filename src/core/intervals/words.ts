/**
 * The sentences that explain the comparisons and intervals, in words (pure: the CLI's text
 * report, the webview and the HTML export share them).
 */
import { num } from '../shown';
import type { Comparison, Interval, IntervalMethod } from './report';

/** A p-value for people: "p < 1e-15" below what doubles resolve, else two significant digits. */
export function pText(p: number): string {
  if (!Number.isFinite(p)) return 'p unknown';
  if (p < 1e-15) return 'p < 1e-15';
  if (p >= 0.01) return `p = ${Number(p.toPrecision(2))}`;
  return `p = ${p.toExponential(1).replace('.0e', 'e')}`;
}

/** "[2.94, 3.36]" */
export function intervalText(low: number, high: number, digits = 3): string {
  return `[${num(low, digits)}, ${num(high, digits)}]`;
}

/** A metric's value with its interval, "1.39 [1.31, 1.47]", or the value alone. */
export function valueWithInterval(value: number | null, iv: Interval | null, digits = 4): string {
  if (value === null) return '—';
  return iv ? `${num(value, digits)} ${intervalText(iv.low, iv.high, digits)}` : num(value, digits);
}

/**
 * One comparison as a sentence: "pred_gbm has a lower MAE than pred_linear by 3.15 [2.94, 3.36],
 * p < 1e-15", or, when not significant, "pred_gbm and pred_linear do not differ significantly in
 * MAE (b − a = 0.012 [−0.02, 0.044], p = 0.47)". `label` is the metric as the table names it.
 */
export function comparisonSentence(c: Comparison, label: string, confidence: number, digits = 3): string {
  const how = c.method === 'diebold-mariano' ? ', Diebold–Mariano' : '';
  if (!c.significant) {
    return `${c.b} and ${c.a} do not differ significantly in ${label} at ${percentOf(confidence)} (${c.b} − ${c.a} = ${num(c.difference, digits)} ${intervalText(c.low, c.high, digits)}, ${pText(c.p)}${how}).`;
  }
  const lower = c.difference < 0;
  const [lo, hi] = lower ? [-c.high, -c.low] : [c.low, c.high];
  return `${c.b} has a ${lower ? 'lower' : 'higher'} ${label} than ${c.a} by ${num(Math.abs(c.difference), digits)} ${intervalText(lo, hi, digits)}, ${pText(c.p)}${how}.`;
}

/** "95%" */
export function percentOf(confidence: number): string {
  return `${Number((confidence * 100).toPrecision(6))}%`;
}

/** Why the max error has no interval and no comparison (README, "Intervals"). */
export const MAX_ERROR_NO_INTERVAL =
  'max error: no interval and no comparison — a sample maximum has none that holds without assumptions on the tail (a bootstrap is not consistent for it); read the worst rows and the 99th percentile of |d| instead.';

/** What the interval column means, for the table caption; `maxError`: the report has a max error (regression), said to have none. */
export function intervalCaption(confidence: number, maxError = false): string {
  return `Brackets: ${percentOf(confidence)} confidence intervals (means: t; RMSE: from MSE; median: order statistics; AUC: DeLong; precision, recall: Wilson; F1, MCC: delta method${maxError ? '; max error: none, a sample maximum has no sound interval' : ''}; see the README, "Intervals").`;
}

/** Each method in a few words, for a tooltip (the README's "Intervals" table says more). */
export const METHOD_TEXT: Record<IntervalMethod, string> = {
  t: "Student's t: mean ± t·s/√n",
  'sqrt of mse': 'the square roots of the ends of MSE’s interval',
  'scaled mean': 'the mean’s interval times n',
  'order statistics': 'order statistics of |d| (distribution-free)',
  'mse, targets fixed': 'from MSE’s interval, the target’s sum of squares held fixed',
  'ratio delta': 'delta method over the targets and residuals',
  delong: 'DeLong’s variance',
  wilson: 'Wilson’s score interval',
  'confusion delta': 'delta method over the confusion counts',
  'boyd logit': 'Boyd’s logit interval',
  'ece delta': 'delta method over the calibration bins',
  'delong ovr': 'DeLong’s placements, one class against the rest, per row',
  'ap influence': 'delta method over each row’s influence on every class’s AP',
  'paired confusion delta': 'delta method over both models’ confusion counts',
  bootstrap: 'seeded bootstrap',
  'paired t': 'paired t over the per-row differences',
  'delta method': 'delta method over the paired MSE sums',
  'diebold-mariano': 'Diebold–Mariano (Newey–West variance)',
  'delong paired': 'DeLong’s paired test',
  'delong ovr paired': 'DeLong’s placements, one class against the rest, both models per row',
  'paired influence': 'delta method over the differences of both models’ per-row influences',
  'paired bootstrap': 'seeded bootstrap over the rows, both models’ residuals drawn together',
};

/** A summary cell's tooltip for an interval: "95% confidence interval [1.31, 1.47] (Student's t: …)". */
export function intervalTitle(iv: Interval, confidence: number, digits = 6): string {
  return `${percentOf(confidence)} confidence interval ${intervalText(iv.low, iv.high, digits)} (${METHOD_TEXT[iv.method]})`;
}

/** The lead of the comparisons: what is compared with what, and how to read it. */
export function comparisonsLead(baseline: string, confidence: number, timeOrdered: boolean): string {
  return `Each model against the baseline ${baseline}, metric by metric: the difference (model − baseline) with its ${percentOf(confidence)} interval and a two-sided p-value from ${timeOrdered ? 'Diebold–Mariano tests (rows in time order)' : 'paired tests over the same rows'}. A difference is called real when p < ${Number((1 - confidence).toPrecision(6))}.`;
}
