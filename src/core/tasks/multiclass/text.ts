/** The CLI's text output for a multiclass file. Names are escaped (forTerminal). */
import { formatNumber, forTerminal, groupLabel, metricTable, skippedText, TEXT_GROUPS, textTable } from '../../format';
import { intervalsText } from '../../intervals/text';
import { locationWord } from '../../rows';
import type { MultiMetricKey } from './metrics';
import type { MulticlassReport } from './report';
import { MULTI_CLASS_METRICS } from './view';

/** The metrics in the table's order, with the labels the report shows (view.ts). */
export const MULTI_METRICS: readonly { key: MultiMetricKey; label: string }[] = MULTI_CLASS_METRICS;

const q = (s: string) => `"${forTerminal(s)}"`;

export function multiTextReport(r: MulticlassReport, digits = 8): string {
  const out: string[] = [];
  out.push(`${forTerminal(r.file)} (${r.format}) — multiclass: label ${q(r.target)}, ${r.classes.length} classes (${r.classes.slice(0, 12).map(q).join(', ')}${r.classes.length > 12 ? ', …' : ''})${r.weight ? `, weighted by ${q(r.weight)}` : ''}; focal γ = ${r.params.gamma}, label smoothing ${r.params.labelSmoothing}`);
  out.push(`rows: ${r.rows.used} used of ${r.rows.total}` + (r.rows.skipped ? `, ${r.rows.skipped} skipped` : ''));
  out.push(`scores: ${r.models.map((m) => `${q(m.prediction)} (${m.array !== undefined ? `an array of ${m.columns.length} per row` : `${m.columns.length} columns, ${forTerminal(m.columns[0])} …`}) read as ${m.scores}`).join('; ')}`);
  out.push('');
  metricTable(out, r.models.map((m) => m.prediction), MULTI_METRICS.map((d) => [d.label, ...r.models.map((m) => formatNumber(m.metrics[d.key], digits))]));
  intervalsText(out, r, MULTI_METRICS);
  const pct = (x: number | null) => (x === null ? '—' : `${(100 * x).toFixed(x >= 0.995 || x < 0.001 ? 1 : 0)}%`);
  for (const m of r.models) {
    out.push('', `${r.models.length > 1 ? `${q(m.prediction)}: ` : ''}the worst 1% of rows (${m.robustness.worst1.rows}) carry ${pct(m.robustness.worst1.share)} of the log loss, the worst 10% (${m.robustness.worst10.rows}) ${pct(m.robustness.worst10.share)}`);
  }
  if (r.groups) {
    out.push('', `groups by ${q(r.groups.column)}:`);
    if (r.groups.distinct === null) out.push(`  more than ${r.groups.limit} distinct values: not grouped`);
    for (const g of r.groups.groups.slice(0, TEXT_GROUPS)) {
      out.push(`  ${forTerminal(groupLabel(g.value))}: ${g.rows} rows; ` + g.metrics.map((m, k) => `${r.models.length > 1 ? `${forTerminal(r.models[k].prediction)} ` : ''}log loss ${formatNumber(m.logLoss, 6)}, accuracy ${formatNumber(m.accuracy, 6)}`).join('; '));
    }
  }
  out.push(...skippedText(r.rows, r.locations));
  for (const m of r.models) {
    if (m.worst.length === 0) continue;
    out.push('', `most confidently wrong rows of ${q(m.prediction)} (by log loss):`);
    const cells = m.worst.map((w) => [String(w.line), forTerminal(w.label), forTerminal(w.predicted), formatNumber(w.probability, digits), formatNumber(w.loss, digits)]);
    textTable(out, [locationWord(r.locations), 'label', 'predicted', 'p(label)', 'log loss'], cells);
  }
  for (const w of r.warnings) out.push('', `warning: ${forTerminal(w)}`);
  return out.join('\n') + '\n';
}
