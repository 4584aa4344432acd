/**
 * The confusion matrix of every model: counts, and each cell's share of its true class. The
 * binary report's section is here; the table is the multiclass report's too (multiConfusion.ts),
 * shaded by the share there.
 */
import type { ConfusionCell } from '../../core/tasks/classification/view';
import { confusionCells } from '../../core/tasks/classification/view';
import { confusionCaption } from '../../core/tasks/classification/words';
import { colorDot, h, num as f, percent } from '../dom';
import type { ClassSection } from '../section';

export const confusion: ClassSection = {
  id: 'confusion',
  render(ctx) {
    const r = ctx.report;
    const element = h(
      'section',
      { attrs: { 'aria-labelledby': 'confusion-title' } },
      h('h2', { id: 'confusion-title' }, `Confusion matrix at threshold ${r.params.threshold}`),
      h(
        'div',
        { class: 'grid-auto' },
        ...r.models.map((m, i) => h('div', { class: 'table-scroll' }, confusionTable(confusionCells(m), [colorDot(i), confusionCaption(m, r.params.threshold, m.scores)]))),
      ),
    );
    return { element };
  },
};

/**
 * A confusion matrix as a table, true classes as rows. `heat`: each cell shaded by its share of
 * its row (through a CSS variable: no style attribute), and the share written only when `shares`.
 */
export function confusionTable(cells: { labels: string[]; rows: ConfusionCell[][] }, caption: (Node | string)[], opts: { heat?: boolean; shares?: boolean } = {}): HTMLTableElement {
  const { labels, rows } = cells;
  const shares = opts.shares ?? true;
  const head = h(
    'tr',
    null,
    h('th', { attrs: { scope: 'col' } }, h('span', { class: 'sr-only' }, 'true class'), 'true ↓ · predicted →'),
    ...labels.map((l) => h('th', { class: 'num', attrs: { scope: 'col' }, title: l }, h('span', { class: 'class-name' }, l))),
  );
  const body = h('tbody');
  rows.forEach((row, k) => {
    body.append(
      h(
        'tr',
        null,
        h('th', { attrs: { scope: 'row' }, title: labels[k] }, labels[k]),
        ...row.map((c, j) => {
          const td = h(
            'td',
            { class: `num ${c.correct ? 'correct' : 'wrong'}${c.count === 0 ? ' count-zero' : ''}`, title: `${String(c.count)}${c.rowShare === null ? '' : ` (${percent(c.rowShare)} of true “${labels[k]}”${c.correct ? '' : `, predicted “${labels[j]}”`})`}` },
            h('span', { class: 'count' }, f(c.count, 6)),
            shares && c.rowShare !== null ? h('span', { class: 'muted share' }, ` ${percent(c.rowShare, 0)}`) : null,
          );
          if (opts.heat && c.rowShare !== null && c.count > 0) td.style.setProperty('--share', c.rowShare.toFixed(3));
          return td;
        }),
      ),
    );
  });
  return h('table', { class: `confusion${opts.heat ? ' heat' : ''}${labels.length > 10 ? ' many' : ''}` }, h('caption', null, ...caption), h('thead', null, head), body);
}
