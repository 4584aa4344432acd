/** The rows with the largest |d| of every model; a click opens the row's line in the editor. */
import type { ModelReport } from '../../core/tasks/regression/report';
import { worstCountColumn } from '../../core/tasks/regression/view/worstCounts';
import { colorDot, h, num as f } from '../dom';
import type { ReportContext, ReportSection } from '../section';

export const worstRows: ReportSection = {
  id: 'worst-rows',
  perModel: true,
  render(ctx) {
    const tables = ctx.report.models.map((m, i) => h('div', { class: 'table-scroll' }, worstTable(ctx, m, i)));
    const element = h(
      'section',
      { attrs: { 'aria-labelledby': 'worst-title' } },
      h('h2', { id: 'worst-title' }, 'Worst rows'),
      ctx.openable ? h('p', { class: 'muted' }, 'Click a row (or its line number) to open it in the editor.') : null,
      // A loss of counts adds a column: wider cells, so it is not scrolled out of view.
      h('div', { class: ctx.report.models.some((m) => worstCountColumn(m, ctx.report.params)) ? 'grid-auto grid-wide' : 'grid-auto' }, ...tables),
    );
    return { element };
  },
};

function worstTable(ctx: ReportContext, m: ModelReport, i: number): HTMLTableElement {
  const body = h('tbody');
  const rows: HTMLTableRowElement[] = [];
  // A loss of counts beside |d| (#16 item 5), when the model has one.
  const counts = worstCountColumn(m, ctx.report.params);
  m.worst.forEach((w, k) => {
    const cv = counts ? counts.values[k] : null;
    const tr = h(
      'tr',
      { class: ctx.openable ? 'clickable' : undefined },
      h('td', { class: 'num' }, ctx.lineLink(w.line)),
      h('td', { class: 'num', title: String(w.target) }, f(w.target, 6)),
      h('td', { class: 'num', title: String(w.prediction) }, f(w.prediction, 6)),
      h('td', { class: 'num', title: String(w.residual) }, f(w.residual, 6)),
      counts ? h('td', { class: 'num', title: cv === null ? 'not a finite number in double precision' : String(cv) }, cv === null ? '—' : f(cv, 6)) : null,
    );
    if (ctx.openable) {
      tr.addEventListener('click', (e) => {
        if (!(e.target instanceof HTMLButtonElement)) ctx.openLine(w.line);
      });
    }
    body.append(tr);
    rows.push(tr);
  });
  const col = (label: string | HTMLElement) => h('th', { class: 'num', attrs: { scope: 'col' } }, label);
  const head = h('tr', null, col(ctx.locations), col(`target (${ctx.report.target})`), col('prediction'), col(h('abbr', { title: 'd = prediction − target' }, 'residual d')),
    counts ? col(h('abbr', { title: `this row's ${counts.label}, from its target and prediction` }, counts.label)) : null,
  );
  const table = h('table', { class: 'worst', attrs: { tabindex: '-1' } }, h('caption', null, colorDot(i), `${m.prediction}: ${m.worst.length} largest |d|`), h('thead', null, head), body);
  ctx.rowMarks.register(i, table, rows);
  return table;
}
