/**
 * The sentences that explain the comparisons and intervals, in words (pure: the CLI's text
 * report, the webview and the HTML export share them).
 */
import { num } from '../shown';
import type { Comparison, Interval } from './report';

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

/** What the interval column means, for the text report and the table caption. */
export function intervalCaption(confidence: number): string {
  return `Brackets: ${percentOf(confidence)} confidence intervals (means: t; RMSE: from MSE; median: order statistics; AUC: DeLong; see the README, "Intervals").`;
}
