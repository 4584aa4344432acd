/** The most confidently wrong rows of every model (largest log loss); a click opens the row's line. */
import type { WorstClassRow } from '../../core/tasks/classification/report';
import { worstRowsCaption } from '../../core/tasks/classification/words';
import { colorDot, h, num as f } from '../dom';
import type { ClassifierContext, ClassifierSection } from '../section';

/** A binary or a multiclass report's (their worst rows have the same fields). */
export const confidentlyWrong: ClassifierSection = {
  id: 'confidently-wrong',
  render(ctx) {
    const r = ctx.report;
    if (!r.models.some((m) => m.worst.length > 0)) return null;
    const element = h(
      'section',
      { attrs: { 'aria-labelledby': 'worst-title' } },
      h('h2', { id: 'worst-title' }, 'Most confidently wrong rows'),
      h(
        'p',
        { class: 'muted' },
        'The rows with the largest log loss: the model gave their true class the least probability. Often label errors, or cases the model has never seen.',
        ctx.openable ? ' Click a row (or its line number) to open it in the editor.' : '',
      ),
      h('div', { class: 'grid-auto grid-wide' }, ...r.models.map((m, i) => h('div', { class: 'table-scroll' }, worstTable(ctx, m, i)))),
    );
    return { element };
  },
};

function worstTable(ctx: ClassifierContext, m: { prediction: string; worst: WorstClassRow[] }, i: number): HTMLTableElement {
  const body = h('tbody');
  const rows: HTMLTableRowElement[] = [];
  for (const w of m.worst) {
    const tr = h(
      'tr',
      { class: ctx.openable ? 'clickable' : undefined },
      h('td', { class: 'num' }, ctx.lineLink(w.line)),
      h('td', null, w.label),
      h('td', null, w.predicted),
      h('td', { class: 'num', title: String(w.probability) }, f(w.probability, 4)),
      h('td', { class: 'num', title: String(w.loss) }, f(w.loss, 4)),
    );
    if (ctx.openable) {
      tr.addEventListener('click', (e) => {
        if (!(e.target instanceof HTMLButtonElement)) ctx.openLine(w.line);
      });
    }
    body.append(tr);
    rows.push(tr);
  }
  const col = (label: string | HTMLElement, num = true) => h('th', { class: num ? 'num' : undefined, attrs: { scope: 'col' } }, label);
  const head = h(
    'tr',
    null,
    col(ctx.locations),
    col(`label (${ctx.report.target})`, false),
    col('predicted', false),
    col(h('abbr', { title: 'the probability the model gave to the true class' }, 'p(label)')),
    col('log loss'),
  );
  const table = h('table', { class: 'worst class-worst', attrs: { tabindex: '-1' } }, h('caption', null, colorDot(i), worstRowsCaption(m)), h('thead', null, head), body);
  ctx.rowMarks.register(i, table, rows);
  return table;
}
