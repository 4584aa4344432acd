/** The confusion matrix of every model at the threshold: counts, and each cell's share of its true class. */
import type { ClassModelReport } from '../../core/tasks/classification/report';
import { confusionCells } from '../../core/tasks/classification/view';
import { confusionCaption } from '../../core/tasks/classification/words';
import { colorDot, h, num as f, percent } from '../dom';
import type { ClassContext, ClassSection } from '../section';

export const confusion: ClassSection = {
  id: 'confusion',
  render(ctx) {
    const r = ctx.report;
    const element = h(
      'section',
      { attrs: { 'aria-labelledby': 'confusion-title' } },
      h('h2', { id: 'confusion-title' }, `Confusion matrix at threshold ${r.params.threshold}`),
      h('div', { class: 'grid-auto' }, ...r.models.map((m, i) => h('div', { class: 'table-scroll' }, matrix(ctx, m, i)))),
    );
    return { element };
  },
};

function matrix(ctx: ClassContext, m: ClassModelReport, i: number): HTMLTableElement {
  const { labels, rows } = confusionCells(m);
  const head = h(
    'tr',
    null,
    h('th', { attrs: { scope: 'col' } }, h('span', { class: 'sr-only' }, 'true class'), 'true ↓ · predicted →'),
    ...labels.map((l) => h('th', { class: 'num', attrs: { scope: 'col' } }, l)),
  );
  const body = h('tbody');
  rows.forEach((row, k) => {
    body.append(
      h(
        'tr',
        null,
        h('th', { attrs: { scope: 'row' } }, labels[k]),
        ...row.map((c) =>
          h(
            'td',
            { class: `num ${c.correct ? 'correct' : 'wrong'}`, title: `${String(c.count)}${c.rowShare === null ? '' : ` (${percent(c.rowShare)} of true “${labels[k]}”)`}` },
            h('span', { class: 'count' }, f(c.count, 6)),
            c.rowShare === null ? null : h('span', { class: 'muted share' }, ` ${percent(c.rowShare, 0)}`),
          ),
        ),
      ),
    );
  });
  return h(
    'table',
    { class: 'confusion' },
    h('caption', null, colorDot(i), confusionCaption(m, ctx.report.params.threshold, m.scores)),
    h('thead', null, head),
    body,
  );
}
