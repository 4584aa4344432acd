/** The intervals and comparisons in the CLI's text reports (every family's). */
import { formatNumber, forTerminal, metricTable } from '../format';
import type { Comparison, Interval } from './report';
import { comparisonSentence, MAX_ERROR_NO_INTERVAL, percentOf } from './words';

interface WithIntervals<K extends string> {
  prediction: string;
  intervals: Record<K, Interval | null> | null;
}

/**
 * After the metrics table: a table of each metric's interval per model ("[low, high]"), and one
 * sentence per comparison with the baseline. Nothing when intervals are off.
 */
export function intervalsText<K extends string>(
  out: string[],
  r: { confidence: number; comparisons: Comparison[]; models: WithIntervals<K>[] },
  defs: readonly { key: K; label: string }[],
  digits = 4,
): void {
  if (!(r.confidence > 0)) return;
  const rows = defs
    .filter((d) => r.models.some((m) => m.intervals?.[d.key]))
    .map((d) => [d.label, ...r.models.map((m) => {
      const iv = m.intervals?.[d.key];
      return iv ? `[${formatNumber(iv.low, digits)}, ${formatNumber(iv.high, digits)}]` : '—';
    })]);
  out.push('', `${percentOf(r.confidence)} confidence intervals (README, "Intervals"):`);
  metricTable(out, r.models.map((m) => m.prediction), rows);
  // The max error (regression) is left out of the table above: say why, once.
  if (defs.some((d) => d.key === 'maxError') && !r.models.some((m) => m.intervals?.['maxError' as K])) out.push(`  ${MAX_ERROR_NO_INTERVAL}`);
  if (r.comparisons.length === 0) return;
  out.push('', `comparisons with "${forTerminal(r.comparisons[0].a)}" (b − a; ${percentOf(r.confidence)} intervals, two-sided p):`);
  const label = (key: string) => defs.find((d) => d.key === key)?.label ?? key;
  // Names from the file are escaped for the terminal (the sentence holds nothing else but numbers).
  for (const c of r.comparisons) out.push(`  ${forTerminal(comparisonSentence(c, label(c.metric), r.confidence))}`);
}
