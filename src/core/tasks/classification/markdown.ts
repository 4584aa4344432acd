/** A classifier's summary as a Markdown table (the report's "Copy summary as Markdown"): binary here, multiclass through classifierMarkdown. */
import { formatNumber, groupLabel, mdEscape, TEXT_GROUPS } from '../../format';
import { comparisonsMarkdown, markdownCell } from '../../intervals/markdown';
import type { WithComparisons } from '../../intervals/view';
import { intervalOf } from '../../intervals/view';
import type { Interval } from '../../intervals/report';
import type { ClassificationReport } from './report';
import { ClassifierMetricDef, CLASS_METRICS } from './view';

export { mdEscape };

export function classMarkdownSummary(r: ClassificationReport, digits = 6): string {
  return classifierMarkdown(
    r,
    CLASS_METRICS,
    `Binary classification: ${r.rows.used} rows used of ${r.rows.total} in ${mdEscape(r.file)}; label ${mdEscape(r.target)}, positive class ${mdEscape(r.positive)}; ` +
      `scores ${r.models.map((m) => `${mdEscape(m.prediction)} as ${m.scores}`).join(', ')}; threshold ${r.params.threshold}, focal γ = ${r.params.gamma}, α = ${r.params.alpha}.`,
    digits,
  );
}

/** What a classifier's report has, whichever its task: models with metrics, groups with a log loss. */
interface ClassifierSummary<K extends string> extends WithComparisons {
  models: readonly { prediction: string; metrics: Record<K, number | null>; intervals: Partial<Record<string, Interval | null>> | null }[];
  groups: { column: string; distinct: number | null; groups: readonly { value: string; rows: number; metrics: readonly Record<K, number | null>[] }[] } | null;
}

/** The metrics table (one column per model), the sentence under it, and the log loss per group. */
export function classifierMarkdown<K extends string>(r: ClassifierSummary<K | 'logLoss'>, defs: readonly ClassifierMetricDef<K>[], sentence: string, digits = 6): string {
  const head = ['metric', ...r.models.map((m) => mdEscape(m.prediction))];
  const rule = '|' + head.map((_, i) => (i === 0 ? ' --- ' : ' ---: ')).join('|') + '|';
  const lines = ['| ' + head.join(' | ') + ' |', rule];
  for (const def of defs) lines.push('| ' + [def.label, ...r.models.map((m, i) => markdownCell(m.metrics[def.key], intervalOf(r, i, def.key), digits))].join(' | ') + ' |');
  lines.push('', sentence, ...comparisonsMarkdown(r, defs));
  const g = r.groups;
  if (g && g.distinct !== null && g.groups.length > 0) {
    const gh = [mdEscape(g.column), 'rows', ...r.models.map((m) => `log loss ${mdEscape(m.prediction)}`)];
    lines.push('', '| ' + gh.join(' | ') + ' |', '|' + gh.map((_, i) => (i === 0 ? ' --- ' : ' ---: ')).join('|') + '|');
    for (const x of g.groups.slice(0, TEXT_GROUPS)) {
      lines.push('| ' + [mdEscape(groupLabel(x.value, 60)), String(x.rows), ...x.metrics.map((m) => formatNumber(m.logLoss, digits))].join(' | ') + ' |');
    }
    if (g.groups.length > TEXT_GROUPS) lines.push('', `… and ${g.groups.length - TEXT_GROUPS} more values of ${mdEscape(g.column)}.`);
  }
  return lines.join('\n') + '\n';
}
