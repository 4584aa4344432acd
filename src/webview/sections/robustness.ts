/** How much the worst rows weigh: the share of each loss the worst 1% and 10% of rows carry. */
import { METRICS } from '../../core/tasks/regression/losses';
import type { ModelReport } from '../../core/tasks/regression/report';
import { ROW_LOSS_MEAN } from '../../core/tasks/regression/view/common';
import { countRobustnessRows, rankedShareRows, robustnessRows } from '../../core/tasks/regression/view/robustness';
import { countSharesNote, rankedSharesNote } from '../../core/tasks/regression/curveWords';
import {
  robustnessIntro,
  robustnessLead,
  robustnessMeanTitle,
  robustnessNoShares,
  robustnessNote,
  robustnessShareTitle,
  showRowsText,
} from '../../core/tasks/regression/words';
import { append, button, colorDot, h, num as f, percent } from '../dom';
import type { ReportContext, ReportSection } from '../section';
import { pieces } from '../words';

export const robustness: ReportSection = {
  id: 'robustness',
  perModel: true,
  render(ctx) {
    const r = ctx.report;
    if (!ctx.model || !r.models.every((m) => m.robustness)) return null;
    const { index, model: m } = ctx.model;
    const said = robustnessLead(m, r.rows.used);
    const lead = h('p', { class: 'lead' }, ...pieces(said.text, (l) => ctx.lineLink(l), ctx.locations));
    if (said.contrast) append(lead, ' ', showRowsLink(ctx, index, m.robustness.worst1.rows));
    // One model with nothing to share: the sentence says it all.
    const cards = !said.contrast && r.models.length === 1 ? [] : r.models.map((mm, i) => card(ctx, mm, i));
    const element = h(
      'section',
      { attrs: { 'aria-labelledby': 'robust-title' } },
      h('h2', { id: 'robust-title' }, 'How much do the worst rows weigh?'),
      lead,
      cards.length === 0 ? null : h('p', { class: 'muted' }, robustnessIntro(r.params)),
      cards.length ? h('div', { class: 'robust-grid' }, ...cards) : null,
    );
    return { element };
  },
};

/** One loss's row: a bar (worst 1% dark, 10% light), the shares, the mean and the mean without the worst 1%. */
function shareRow(cls: string, row: { label: string; worst1: number | null; worst10: number | null; mean: number | null; without1: number | null }, title: string | undefined): HTMLElement {
  // Widths through the CSSOM, which the CSP allows (no style attributes).
  const bar = h('div', { class: 'share-bar', attrs: { 'aria-hidden': 'true' } });
  for (const [c, v] of [['share-10', row.worst10], ['share-1', row.worst1]] as const) {
    if (v === null) continue;
    const el = h('div', { class: c });
    el.style.width = `${(v * 100).toFixed(2)}%`;
    bar.append(el);
  }
  return h(
    'tr',
    { class: cls },
    h('th', { attrs: { scope: 'row' } }, h('span', { class: 'swatch', attrs: { 'aria-hidden': 'true' } }), row.label),
    h('td', { class: 'bar-cell' }, bar),
    h(
      'td',
      { class: 'num' },
      h('strong', null, row.worst1 === null ? '—' : percent(row.worst1, 0)),
      h('span', { class: 'muted' }, ` · ${row.worst10 === null ? '—' : percent(row.worst10, 0)}`),
    ),
    h('td', { class: 'num', title }, f(row.mean), h('span', { class: 'muted' }, ' → '), f(row.without1)),
  );
}

/** A link that scrolls to the worst-rows table of a model and highlights its first `k` rows. */
function showRowsLink(ctx: ReportContext, i: number, k: number): HTMLElement {
  const listed = ctx.report.models[i]?.worst.length ?? 0;
  return button(showRowsText(k, listed), () => ctx.rowMarks.show(i, Math.min(k, listed)), { link: true, title: 'Scroll to the worst rows and highlight them' });
}

/** One model's table: a bar per loss (worst 1% dark, 10% light), the shares, the mean without the worst 1%. */
function card(ctx: ReportContext, m: ModelReport, i: number): HTMLElement {
  const rob = m.robustness;
  const rows = robustnessRows(m);
  if (rows.every((r) => r.worst1 === null)) {
    return h('div', { class: 'robust-card' }, h('h3', null, colorDot(i), m.prediction), h('p', { class: 'muted' }, robustnessNoShares(m)));
  }
  const body = h('tbody');
  for (const row of rows) {
    const meanName = METRICS.find((d) => d.key === ROW_LOSS_MEAN[row.key]);
    body.append(shareRow(`loss-${row.key}`, row, meanName ? `${meanName.label}: ${meanName.formula}` : undefined));
  }
  const scale = h('span', { class: 'scale', attrs: { 'aria-hidden': 'true' } }, h('span', null, '0'), h('span', null, '50%'), h('span', null, '100%'));
  const head = h(
    'tr',
    null,
    h('th', { attrs: { scope: 'col' } }, 'loss'),
    h('th', { class: 'bar-head', attrs: { scope: 'col' } }, h('span', { class: 'sr-only' }, 'share carried by the worst rows'), scale),
    h('th', { class: 'num', attrs: { scope: 'col' } }, h('abbr', { title: robustnessShareTitle(rob) }, 'worst 1% · 10%')),
    h('th', { class: 'num', attrs: { scope: 'col' } }, h('abbr', { title: robustnessMeanTitle(rob, ctx.report.rows.used) }, 'mean → without worst 1%')),
  );
  const table = h('table', { class: 'robust' }, h('caption', null, colorDot(i), m.prediction), h('thead', null, head), body);
  const note = h('p', { class: 'muted small' }, robustnessNote(rob), showRowsLink(ctx, i, rob.worst1.rows));
  return h('div', { class: 'robust-card' }, h('div', { class: 'table-scroll' }, table), note, countsTable(m), rankedTable(m));
}

/**
 * The losses of counts (#16 item 5) in a table of their own under the L1/L2 one (same columns):
 * their rows are ranked by each loss, not by |d|, so they are not the same worst rows.
 */
function countsTable(m: ModelReport): HTMLElement | null {
  const counts = countRobustnessRows(m);
  if (counts.length === 0 || !m.countRobustness) return null;
  const body = h('tbody');
  for (const row of counts) {
    const def = METRICS.find((d) => d.key === row.key);
    body.append(shareRow(`count-${row.key}`, row, def ? `${def.label}: ${def.formula}` : undefined));
  }
  const k = m.countRobustness.worst1.rows;
  const scale = h('span', { class: 'scale', attrs: { 'aria-hidden': 'true' } }, h('span', null, '0'), h('span', null, '50%'), h('span', null, '100%'));
  const head = h(
    'tr',
    null,
    h('th', { attrs: { scope: 'col' } }, 'loss'),
    h('th', { class: 'bar-head', attrs: { scope: 'col' } }, h('span', { class: 'sr-only' }, 'share carried by the worst rows'), scale),
    h('th', { class: 'num', attrs: { scope: 'col' } }, h('abbr', { title: `Share of each loss's total carried by its ${k} (1%) and ${m.countRobustness.worst10.rows} (10%) rows with the largest value of that loss` }, 'worst 1% · 10%')),
    h('th', { class: 'num', attrs: { scope: 'col' } }, h('abbr', { title: `The metric over every row → the loss's mean without its ${k} worst rows` }, 'mean → without worst 1%')),
  );
  const table = h('table', { class: 'robust-counts' }, h('caption', null, 'losses of counts, rows ranked by that loss'), h('thead', null, head), body);
  return h('div', null, h('div', { class: 'table-scroll' }, table), h('p', { class: 'muted small' }, countSharesNote(m.countRobustness.worst1)));
}

/** The predicted spread's CRPS and z² and each pinball level (#16 item 5), each ranked by itself, in a table like the counts'. */
function rankedTable(m: ModelReport): HTMLElement | null {
  const rows = rankedShareRows(m);
  const k = m.spreadRobustness?.worst1.rows ?? m.quantileRobustness?.worst1.rows;
  const k10 = m.spreadRobustness?.worst10.rows ?? m.quantileRobustness?.worst10.rows;
  if (rows.length === 0 || k === undefined) return null;
  const body = h('tbody');
  for (const row of rows) body.append(shareRow(`ranked-${row.key}`, row, row.title));
  const scale = h('span', { class: 'scale', attrs: { 'aria-hidden': 'true' } }, h('span', null, '0'), h('span', null, '50%'), h('span', null, '100%'));
  const head = h(
    'tr',
    null,
    h('th', { attrs: { scope: 'col' } }, 'loss'),
    h('th', { class: 'bar-head', attrs: { scope: 'col' } }, h('span', { class: 'sr-only' }, 'share carried by the worst rows'), scale),
    h('th', { class: 'num', attrs: { scope: 'col' } }, h('abbr', { title: `Share of each loss's total carried by its ${k} (1%) and ${k10} (10%) rows with the largest value of that loss` }, 'worst 1% · 10%')),
    h('th', { class: 'num', attrs: { scope: 'col' } }, h('abbr', { title: `The loss's mean over every row → without its ${k} worst rows` }, 'mean → without worst 1%')),
  );
  const caption = [m.spreadRobustness && 'predicted spread', m.quantileRobustness && 'quantile levels'].filter(Boolean).join(' and ');
  const table = h('table', { class: 'robust-counts robust-ranked' }, h('caption', null, `${caption}, rows ranked by that loss`), h('thead', null, head), body);
  return h('div', null, h('div', { class: 'table-scroll' }, table), h('p', { class: 'muted small' }, rankedSharesNote({ rows: k }, m.spreadRobustness !== undefined)));
}
