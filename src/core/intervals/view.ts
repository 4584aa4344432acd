/**
 * What the report's views show of the intervals and comparisons (the webview's summary cells and
 * "Is the difference real?" section, the Markdown summary): pure, shared by every family.
 */
import type { Comparison, Interval } from './report';
import { comparisonSentence } from './words';

/** What a report carries for its intervals (every family's report has these fields). */
export interface WithComparisons {
  confidence: number;
  baseline: string | null;
  comparisons: readonly Comparison[];
  models: readonly { prediction: string; intervals: Partial<Record<string, Interval | null>> | null }[];
}

/** A metric as the table names it. */
export interface MetricLabel {
  key: string;
  label: string;
}

/** One comparison as the report shows it: the sentence, and whether the difference is significant. */
export interface ComparisonItem {
  /** The model compared with the baseline. */
  model: string;
  metric: string;
  text: string;
  significant: boolean;
}

/** Model `i`'s interval of a metric, or null (intervals off, or none for the metric). */
export function intervalOf(r: Pick<WithComparisons, 'confidence' | 'models'>, i: number, key: string): Interval | null {
  if (!(r.confidence > 0)) return null;
  return r.models[i]?.intervals?.[key] ?? null;
}

/** The comparisons in the report's order (by model, then the table's metric order), each as a sentence. */
export function comparisonItems(r: Pick<WithComparisons, 'confidence' | 'comparisons'>, defs: readonly MetricLabel[]): ComparisonItem[] {
  if (!(r.confidence > 0)) return [];
  const order = (key: string) => {
    const i = defs.findIndex((d) => d.key === key);
    return i < 0 ? defs.length : i;
  };
  const models: string[] = [];
  for (const c of r.comparisons) if (!models.includes(c.b)) models.push(c.b);
  const sorted = [...r.comparisons].sort((x, y) => models.indexOf(x.b) - models.indexOf(y.b) || order(x.metric) - order(y.metric));
  return sorted.map((c) => ({
    model: c.b,
    metric: c.metric,
    text: comparisonSentence(c, defs.find((d) => d.key === c.metric)?.label ?? c.metric, r.confidence),
    significant: c.significant,
  }));
}

/** How many of the comparisons are significant, in words: "3 of 12 differences are significant at 95%." */
export function significantCount(items: readonly ComparisonItem[]): { significant: number; total: number } {
  return { significant: items.filter((c) => c.significant).length, total: items.length };
}

/** Whether the comparisons were Diebold–Mariano tests (--time-ordered). */
export function timeOrdered(r: Pick<WithComparisons, 'comparisons'>): boolean {
  return r.comparisons.some((c) => c.method === 'diebold-mariano');
}
