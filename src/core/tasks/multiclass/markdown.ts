/** The multiclass summary as a Markdown table (the report's "Copy summary as Markdown"). */
import { classifierMarkdown, mdEscape } from '../classification/markdown';
import type { MulticlassReport } from './report';
import { MULTI_CLASS_METRICS } from './view';

export function multiMarkdownSummary(r: MulticlassReport, digits = 6): string {
  const classes = r.classes.slice(0, 20).map(mdEscape).join(', ') + (r.classes.length > 20 ? ', …' : '');
  return classifierMarkdown(
    r,
    MULTI_CLASS_METRICS,
    `Multiclass classification: ${r.rows.used} rows used of ${r.rows.total} in ${mdEscape(r.file)}; label ${mdEscape(r.target)}, ${r.classes.length} classes (${classes}); ` +
      `scores ${r.models.map((m) => `${mdEscape(m.prediction)} as ${m.scores}`).join(', ')}; focal γ = ${r.params.gamma}, label smoothing ${r.params.labelSmoothing}.`,
    digits,
  );
}
