/** The intervals and comparisons in the Markdown summary (every family's "Copy summary as Markdown"). */
import { formatNumber, mdEscape } from '../format';
import type { Interval } from './report';
import { comparisonItems, type MetricLabel, type WithComparisons } from './view';
import { intervalText, percentOf } from './words';

/** A table cell: the value, and its interval in brackets when there is one ("1.38826 [1.10, 1.67]"). */
export function markdownCell(value: number | null, iv: Interval | null, digits = 6): string {
  const v = formatNumber(value, digits);
  return iv && value !== null ? `${v} ${intervalText(iv.low, iv.high, 3)}` : v;
}

/**
 * The lines after the table: what the brackets are, then one item per comparison with the
 * baseline (not significant ones marked as such). Nothing when intervals are off.
 */
export function comparisonsMarkdown(r: WithComparisons, defs: readonly MetricLabel[]): string[] {
  if (!(r.confidence > 0)) return [];
  const out = ['', `Brackets: ${percentOf(r.confidence)} confidence intervals.`];
  // The names escaped, not the sentence: its brackets and "p < …" read as they are.
  const items = comparisonItems({ confidence: r.confidence, comparisons: r.comparisons.map((c) => ({ ...c, a: mdEscape(c.a), b: mdEscape(c.b) })) }, defs);
  if (items.length === 0 || r.baseline === null) return out;
  out.push('', `Is the difference real? Each model against the baseline ${mdEscape(r.baseline)}:`, '');
  for (const c of items) out.push(`- ${c.significant ? '' : '(not significant) '}${c.text}`);
  return out;
}
