/**
 * The rows with the largest |d| of every model, or (picked) with the largest value of another
 * loss: a loss of counts, the Gaussian NLL or CRPS of a spread, a quantile level's pinball loss
 * (#16 item 5); a click opens the row's line in the editor.
 */
import type { ModelReport } from '../../core/tasks/regression/report';
import { worstCountColumn } from '../../core/tasks/regression/view/worstCounts';
import { WorstChoice, worstChoices } from '../../core/tasks/regression/view/worstChoices';
import { colorDot, h, num as f } from '../dom';
import type { ReportContext, ReportSection } from '../section';

export const worstRows: ReportSection = {
  id: 'worst-rows',
  perModel: true,
  render(ctx) {
    const choices = worstChoices(ctx.report);
    // A loss of counts adds a column: wider cells, so it is not scrolled out of view.
    const byD = h('div', { class: ctx.report.models.some((m) => worstCountColumn(m, ctx.report.params)) ? 'grid-auto grid-wide' : 'grid-auto' });
    const byLoss = h('div', { class: 'grid-auto grid-wide' });
    byLoss.hidden = true;
    let picker: HTMLSelectElement | null = null;
    const reveal = () => {
      byD.hidden = false;
      byLoss.hidden = true;
      if (picker) picker.value = '';
    };
    byD.append(...ctx.report.models.map((m, i) => h('div', { class: 'table-scroll' }, worstTable(ctx, m, i, reveal))));
    if (choices.length) {
      picker = h('select', { id: 'worst-rank' });
      picker.append(h('option', { attrs: { value: '' } }, '|d|'));
      for (const c of choices) picker.append(h('option', { attrs: { value: c.id } }, c.label));
      const select = picker;
      select.addEventListener('change', () => {
        const choice = choices.find((c) => c.id === select.value);
        byD.hidden = choice !== undefined;
        byLoss.hidden = choice === undefined;
        byLoss.replaceChildren();
        if (choice) byLoss.append(...ctx.report.models.map((m, i) => h('div', { class: 'table-scroll' }, lossTable(ctx, m, i, choice))));
      });
    }
    const element = h(
      'section',
      { attrs: { 'aria-labelledby': 'worst-title' } },
      h('h2', { id: 'worst-title' }, 'Worst rows'),
      picker ? h('div', { class: 'controls' }, h('label', { attrs: { for: 'worst-rank' } }, 'Ranked by '), picker) : null,
      ctx.openable ? h('p', { class: 'muted' }, 'Click a row (or its line number) to open it in the editor.') : null,
      byD,
      byLoss,
    );
    return { element };
  },
};

function worstTable(ctx: ReportContext, m: ModelReport, i: number, reveal: () => void): HTMLTableElement {
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
  ctx.rowMarks.register(i, table, rows, reveal);
  return table;
}

/** Model `i`'s rows with the largest loss of `choice`, or a note that it has none. */
function lossTable(ctx: ReportContext, m: ModelReport, i: number, choice: WorstChoice): HTMLElement {
  const entry = choice.lists[i];
  if ('none' in entry) return h('p', { class: 'muted' }, colorDot(i), `${m.prediction}: ${entry.none}`);
  const list = entry.rows;
  const label = choice.label;
  const body = h('tbody');
  for (const w of list) {
    const tr = h(
      'tr',
      { class: ctx.openable ? 'clickable' : undefined },
      h('td', { class: 'num' }, ctx.lineLink(w.line)),
      h('td', { class: 'num', title: String(w.target) }, f(w.target, 6)),
      h('td', { class: 'num', title: String(w.prediction) }, f(w.prediction, 6)),
      h('td', { class: 'num', title: String(w.prediction - w.target) }, f(w.prediction - w.target, 6)),
      choice.sigma ? h('td', { class: 'num', title: String(w.sigma) }, w.sigma === undefined ? '—' : f(w.sigma, 6)) : null,
      h('td', { class: 'num', title: String(w.loss) }, f(w.loss, 6)),
    );
    if (ctx.openable) {
      tr.addEventListener('click', (e) => {
        if (!(e.target instanceof HTMLButtonElement)) ctx.openLine(w.line);
      });
    }
    body.append(tr);
  }
  const col = (text: string | HTMLElement) => h('th', { class: 'num', attrs: { scope: 'col' } }, text);
  const head = h(
    'tr',
    null,
    col(ctx.locations),
    col(`target (${ctx.report.target})`),
    col(choice.prediction),
    col(h('abbr', { title: `d = ${choice.prediction} − target` }, 'residual d')),
    choice.sigma ? col(h('abbr', { title: 'the predicted standard deviation (√variance for a variance column)' }, 'σ')) : null,
    col(label),
  );
  return h('table', { class: 'worst', attrs: { tabindex: '-1' } }, h('caption', null, colorDot(i), `${m.prediction}: ${list.length} largest ${label}`), h('thead', null, head), body);
}
