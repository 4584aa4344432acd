/** The CLI's text output for a classifier's file. Names are escaped (forTerminal). */
import { formatNumber, forTerminal, groupLabel, metricTable, skippedText, TEXT_GROUPS, textTable } from '../../format';
import { intervalsText } from '../../intervals/text';
import { locationWord } from '../../rows';
import type { BinaryMetricKey } from './binary';
import type { ClassificationReport } from './report';

/** The metrics in display order, with their labels. */
export const BINARY_METRICS: readonly { key: BinaryMetricKey; label: string }[] = [
  { key: 'logLoss', label: 'log loss' },
  { key: 'bce', label: 'BCE (PyTorch)' },
  { key: 'focal', label: 'focal (γ, α)' },
  { key: 'brier', label: 'Brier' },
  { key: 'hinge', label: 'hinge' },
  { key: 'accuracy', label: 'accuracy' },
  { key: 'balancedAccuracy', label: 'balanced accuracy' },
  { key: 'precision', label: 'precision' },
  { key: 'recall', label: 'recall' },
  { key: 'f1', label: 'F1' },
  { key: 'mcc', label: 'MCC' },
  { key: 'rocAuc', label: 'ROC AUC' },
  { key: 'averagePrecision', label: 'average precision' },
  { key: 'ece', label: 'ECE (15 bins)' },
];

const q = (s: string) => `"${forTerminal(s)}"`;

export function classTextReport(r: ClassificationReport, digits = 8): string {
  const out: string[] = [];
  out.push(
    `${forTerminal(r.file)} (${r.format}) — binary classification: label ${q(r.target)}, classes ${r.classes.map(q).join(' and ')}, positive ${q(r.positive)}` +
      `${r.weight ? `, weighted by ${q(r.weight)}` : ''}; threshold ${r.params.threshold}, focal γ = ${r.params.gamma}, α = ${r.params.alpha}`,
  );
  out.push(`rows: ${r.rows.used} used of ${r.rows.total}` + (r.rows.skipped ? `, ${r.rows.skipped} skipped` : ''));
  out.push(`scores: ${r.models.map((m) => `${q(m.prediction)} read as ${m.scores}`).join(', ')}`);
  out.push('');
  metricTable(out, r.models.map((m) => m.prediction), BINARY_METRICS.map((d) => [d.label, ...r.models.map((m) => formatNumber(m.metrics[d.key], digits))]));
  intervalsText(out, r, BINARY_METRICS);
  for (const m of r.models) {
    const [[tn, fp], [fn, tp]] = m.confusion.counts;
    const [neg, pos] = m.confusion.labels;
    out.push('');
    out.push(`${r.models.length > 1 ? `${q(m.prediction)}: ` : ''}confusion at the threshold (true class by row): ${q(neg)} → ${formatNumber(tn)} ${q(neg)}, ${formatNumber(fp)} ${q(pos)}; ${q(pos)} → ${formatNumber(fn)} ${q(neg)}, ${formatNumber(tp)} ${q(pos)}`);
    const pct = (x: number | null) => (x === null ? '—' : `${(100 * x).toFixed(x >= 0.995 || x < 0.001 ? 1 : 0)}%`);
    out.push(`  the worst 1% of rows (${m.robustness.worst1.rows}) carry ${pct(m.robustness.worst1.share)} of the log loss, the worst 10% (${m.robustness.worst10.rows}) ${pct(m.robustness.worst10.share)}`);
  }
  if (r.groups) {
    out.push('', `groups by ${q(r.groups.column)}:`);
    if (r.groups.distinct === null) out.push(`  more than ${r.groups.limit} distinct values: not grouped`);
    for (const g of r.groups.groups.slice(0, TEXT_GROUPS)) {
      out.push(`  ${forTerminal(groupLabel(g.value))}: ${g.rows} rows; ` + g.metrics.map((m, k) => `${r.models.length > 1 ? `${forTerminal(r.models[k].prediction)} ` : ''}log loss ${formatNumber(m.logLoss, 6)}, accuracy ${formatNumber(m.accuracy, 6)}, AUC ${formatNumber(m.rocAuc, 6)}`).join('; '));
    }
    if (r.groups.groups.length > TEXT_GROUPS) out.push(`  … ${r.groups.groups.length - TEXT_GROUPS} more (all in --json)`);
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
