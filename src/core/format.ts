import { METRICS } from './tasks/regression/losses';
import { intervalsText } from './intervals/text';
import { comparisonsMarkdown, markdownCell } from './intervals/markdown';
import { intervalOf } from './intervals/view';
import { Report } from './tasks/regression/report';
import { quantilesMarkdown, quantilesText } from './tasks/regression/quantileText';
import { locationWord, RowsSummary } from './rows';
import type { Locations } from './fileInfo';
import { SKIP_REASON_TEXT, SKIP_REASONS } from './scanTypes';
import { spreadText } from './tasks/regression/varianceWords';
import { spreadSummaryRows } from './tasks/regression/view/variance';

/** A byte count for people, in decimal units (as the report and the progress notification show it). */
export function formatBytes(n: number): string {
  if (!Number.isFinite(n) || n < 0) return '?';
  const units = ['bytes', 'kB', 'MB', 'GB', 'TB'];
  let i = 0;
  let v = n;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return i === 0 ? `${v} bytes` : `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

/** A number for people: `digits` significant digits, no exponent for ordinary magnitudes. */
export function formatNumber(x: number | null | undefined, digits = 6): string {
  if (x === null || x === undefined) return '—';
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return Object.is(x, -0) ? '0' : '0';
  const a = Math.abs(x);
  if (a >= 1e-4 && a < 1e15) {
    const s = x.toPrecision(digits);
    if (s.includes('e')) return s;
    // Trim trailing zeros of the fraction, keep integers as they are.
    return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
  }
  return x.toExponential(digits - 1).replace(/\.?0+e/, 'e');
}

/**
 * The widest cell of column `i` (in code points), at least `min`. A loop, not `Math.max(...cells)`:
 * a spread passes every row as an argument, which overflows the stack for long lists.
 */
export function columnWidth(min: number, cells: readonly (readonly string[])[], i: number): number {
  let w = min;
  for (const c of cells) {
    const n = [...c[i]].length;
    if (n > w) w = n;
  }
  return w;
}

export function pad(s: string, n: number, right = false): string {
  const len = [...s].length;
  if (len >= n) return s;
  return right ? ' '.repeat(n - len) + s : s + ' '.repeat(n - len);
}

/**
 * The characters a terminal acts on or that change what the text around them looks like: C0
 * controls (ESC, BEL, CR, newlines…), DEL, C1 controls (CSI U+009B, NEL…), the bidirectional
 * marks, embeddings, overrides and isolates, and the line and paragraph separators.
 */
// eslint-disable-next-line no-control-regex
const TERMINAL_UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;

/**
 * Text from a file or a user (a name, a path, a message quoting them) made safe to print on a
 * terminal: each character of TERMINAL_UNSAFE is shown as a \u escape, as groupLabel shows control
 * characters, so no name can move the cursor, retitle the window, clear the screen or reorder
 * the line. Everything else is unchanged (JSON output and the webview keep the real names).
 */
export function forTerminal(s: string): string {
  return s.replace(TERMINAL_UNSAFE, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}

/** The CLI's text output: one table (a column per model), the rows summary, warnings. Names are escaped (forTerminal). */
export function textReport(r: Report, digits = 8): string {
  const out: string[] = [];
  out.push(`${forTerminal(r.file)} (${r.format}) — target "${forTerminal(r.target)}"${r.weight ? `, weighted by "${forTerminal(r.weight)}"` : ''}, β = ${r.params.beta}, δ = ${r.params.delta}, q = ${r.params.quantile ?? 0.5}, Tweedie power p = ${r.params.power ?? 1.5}${r.params.logInput ? ', Poisson NLL on log rates' : ''}`);
  out.push(`rows: ${r.rows.used} used of ${r.rows.total}` + (r.rows.skipped ? `, ${r.rows.skipped} skipped` : ''));
  out.push('');
  metricTable(out, r.models.map((m) => m.prediction), METRICS.map((def) => [def.label, ...r.models.map((m) => formatNumber(m.metrics[def.key], digits))]));
  intervalsText(out, r, METRICS);
  out.push(...spreadText(r, (x) => formatNumber(x, digits), forTerminal));
  out.push('');
  out.push('robustness (share of each loss carried by the worst rows by |d|):');
  for (const m of r.models) {
    for (const [label, w] of [['1%', m.robustness.worst1], ['10%', m.robustness.worst10]] as const) {
      const pct = (x: number | null) => (x === null ? '—' : `${(100 * x).toFixed(x >= 0.995 || x < 0.001 ? 1 : 0)}%`);
      out.push(
        `  ${r.models.length > 1 ? `"${forTerminal(m.prediction)}" ` : ''}worst ${label} (${w.rows} row${w.rows === 1 ? '' : 's'}): ` +
          `L2 ${pct(w.share.l2)}, L1 ${pct(w.share.l1)}, smooth L1 ${pct(w.share.smoothL1)}, Huber ${pct(w.share.huber)}`,
      );
    }
    const g = m.gradients?.l2;
    if (g && g.ratio !== null && g.ratio >= 10) {
      out.push(
        `  ${r.models.length > 1 ? `"${forTerminal(m.prediction)}": ` : ''}the largest L2 gradient is ${formatNumber(g.ratio, 3)}× the median one; smooth L1's is ${formatNumber(m.gradients?.smoothL1.ratio, 3)}× (bounded by 1).`,
      );
    }
  }
  if (r.groups) out.push('', ...groupsText(r, digits));
  out.push(...quantilesText(r, digits));
  out.push(...skippedText(r.rows, r.locations));
  for (const m of r.models) {
    if (m.worst.length === 0) continue;
    out.push('');
    out.push(`worst rows of "${forTerminal(m.prediction)}" (by |d|):`);
    const cells = m.worst.map((w) => [String(w.line), formatNumber(w.target, digits), formatNumber(w.prediction, digits), formatNumber(w.residual, digits)]);
    textTable(out, [locationWord(r.locations), 'target', 'prediction', 'residual'], cells);
  }
  for (const w of r.warnings) out.push('', `warning: ${forTerminal(w)}`);
  return out.join('\n') + '\n';
}

/**
 * Appends the metrics table of a text report: a column per model (names escaped here), a row per
 * metric ([label, value per model], already formatted), numbers right-aligned.
 */
export function metricTable(out: string[], models: string[], rows: string[][]): void {
  const header = ['metric', ...models.map(forTerminal)];
  const widths = header.map((h, i) => columnWidth([...h].length, rows, i));
  out.push(header.map((h, i) => pad(h, widths[i], i > 0)).join('  '));
  out.push(widths.map((w) => '─'.repeat(w)).join('  '));
  for (const row of rows) out.push(row.map((c, i) => pad(c, widths[i], i > 0)).join('  '));
}

/** The text report's skipped-rows paragraph (a blank line first), or nothing without skipped rows. */
export function skippedText(rows: RowsSummary, locations?: Locations): string[] {
  const word = locationWord(locations);
  if (rows.skipped === 0) return [];
  const out = ['', 'skipped rows:'];
  for (const reason of SKIP_REASONS) {
    const n = rows.skippedByReason[reason];
    if (!n) continue;
    const lines = rows.firstSkippedLines[reason] ?? [];
    out.push(`  ${n} × ${SKIP_REASON_TEXT[reason]} — first at ${word}${lines.length > 1 ? 's' : ''} ${lines.join(', ')}${n > lines.length ? ', …' : ''}`);
  }
  return out;
}

/**
 * Appends to `out` a table of right-aligned columns under a header, indented by two spaces (cells
 * already escaped). A loop, not a spread into push: a list of 10⁵ worst rows would overflow the stack.
 */
export function textTable(out: string[], head: string[], cells: string[][]): void {
  const ws = head.map((h, i) => columnWidth(h.length, cells, i));
  out.push('  ' + head.map((h, i) => pad(h, ws[i], true)).join('  '));
  for (const c of cells) out.push('  ' + c.map((x, i) => pad(x, ws[i], true)).join('  '));
}

/** Groups shown in the CLI text (all are in --json). */
export const TEXT_GROUPS = 50;

/**
 * A group value for one line of text: '(empty)' for '', control characters (terminal escapes,
 * newlines) shown as \u escapes, at most `max` characters.
 */
export function groupLabel(v: string, max = 40): string {
  if (v === '') return '(empty)';
  // eslint-disable-next-line no-control-regex
  const safe = v.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
  const chars = [...safe];
  return chars.length > max ? chars.slice(0, max - 1).join('') + '…' : safe;
}

function groupsText(r: Report, digits: number): string[] {
  const g = r.groups;
  if (!g) return [];
  if (g.distinct === null) return [`groups by "${forTerminal(g.column)}": none (more than ${g.limit} distinct values; see the warning)`];
  const out = [`groups by "${forTerminal(g.column)}" (${g.distinct} value${g.distinct === 1 ? '' : 's'}, most rows first):`];
  const multi = r.models.length > 1;
  const head = ['value', 'rows', ...r.models.flatMap((m) => ['MAE', 'RMSE', 'bias'].map((k) => (multi ? `${k} ${forTerminal(m.prediction)}` : k)))];
  const shown = g.groups.slice(0, TEXT_GROUPS);
  const cells = shown.map((x) => [
    forTerminal(groupLabel(x.value)),
    String(x.rows),
    ...x.metrics.flatMap((m) => [formatNumber(m.mae, digits), formatNumber(m.rmse, digits), formatNumber(m.meanError, digits)]),
  ]);
  const ws = head.map((h, i) => columnWidth([...h].length, cells, i));
  out.push('  ' + head.map((h, i) => pad(h, ws[i], i > 0)).join('  '));
  for (const c of cells) out.push('  ' + c.map((x, i) => pad(x, ws[i], i > 0)).join('  '));
  if (g.groups.length > shown.length) out.push(`  … ${g.groups.length - shown.length} more groups (all of them in --json)`);
  return out;
}

/** Text made literal in Markdown (table pipes, emphasis, links, HTML), on one line. */
export function mdEscape(s: string): string {
  return s.replace(/[\\|`*_<>[\]]/g, (c) => '\\' + c).replace(/\r?\n/g, ' ');
}

/** The summary as a Markdown table (the report's "Copy as Markdown"). */
export function markdownSummary(r: Report, digits = 6): string {
  const head = ['metric', ...r.models.map((m) => mdEscape(m.prediction))];
  const lines = ['| ' + head.join(' | ') + ' |', '|' + head.map((_, i) => (i === 0 ? ' --- ' : ' ---: ')).join('|') + '|'];
  // The predicted spread's metrics (#16 item 2) follow when some model has them, as in the report's table.
  for (const def of [...METRICS, ...spreadSummaryRows(r)]) {
    lines.push('| ' + [def.label, ...r.models.map((m, i) => markdownCell(m.metrics[def.key] ?? null, intervalOf(r, i, def.key), digits))].join(' | ') + ' |');
  }
  lines.push('');
  lines.push(`${r.rows.used} rows used of ${r.rows.total} in ${mdEscape(r.file)}; target ${mdEscape(r.target)}; β = ${r.params.beta}, δ = ${r.params.delta}.`);
  lines.push(...comparisonsMarkdown(r, METRICS));
  lines.push(...quantilesMarkdown(r, digits));
  const g = r.groups;
  if (g && g.distinct !== null && g.groups.length > 0) {
    // MAE per group, most rows first (as --json), at most TEXT_GROUPS of them.
    const gh = [mdEscape(g.column), 'rows', ...r.models.map((m) => `MAE ${mdEscape(m.prediction)}`)];
    lines.push('', '| ' + gh.join(' | ') + ' |', '|' + gh.map((_, i) => (i === 0 ? ' --- ' : ' ---: ')).join('|') + '|');
    for (const x of g.groups.slice(0, TEXT_GROUPS)) {
      lines.push('| ' + [mdEscape(groupLabel(x.value, 60)), String(x.rows), ...x.metrics.map((m) => formatNumber(m.mae, digits))].join(' | ') + ' |');
    }
    if (g.groups.length > TEXT_GROUPS) lines.push('', `… and ${g.groups.length - TEXT_GROUPS} more values of ${mdEscape(g.column)}.`);
  }
  return lines.join('\n') + '\n';
}
