/** Quantile sets per group (#16 item 5): a table of each group's pinball loss at every level, worst group first. */
import { groupLabel } from '../../core/format';
import { groupQuantileTables } from '../../core/tasks/regression/view/groups';
import type { Report } from '../../core/tasks/regression/report';
import { colorDot, h, num as f } from '../dom';

const cell = (v: number | null) => h('td', { class: 'num', title: v === null ? 'not a finite number in double precision' : String(v) }, v === null ? '—' : f(v));

/** The tables (one per model with a set), or null when no model has a set per group. */
export function groupQuantilesView(report: Pick<Report, 'groups' | 'models'>, limit: number): HTMLElement | null {
  const tables = groupQuantileTables(report, limit);
  if (tables.length === 0) return null;
  const column = report.groups?.column ?? '';
  return h(
    'div',
    { class: 'group-quantiles' },
    h('h3', null, 'Pinball loss of each quantile level by group'),
    ...tables.map((t) =>
      h(
        'div',
        { class: 'table-scroll' },
        h(
          'table',
          { class: 'group-quantile-table' },
          h('caption', null, colorDot(t.model), `${report.models[t.model].quantileSet ?? ''} (${report.models[t.model].prediction}), worst group first by the mean over the levels`),
          h('thead', null, h('tr', null, h('th', { attrs: { scope: 'col' } }, column), h('th', { class: 'num', attrs: { scope: 'col' } }, 'rows'), ...t.levels.map((l) => h('th', { class: 'num', attrs: { scope: 'col' } }, `${l.column} (q = ${l.q})`)))),
          h(
            'tbody',
            null,
            ...t.rows.map((r) => h('tr', null, h('th', { attrs: { scope: 'row' } }, groupLabel(r.value, 60)), h('td', { class: 'num' }, String(r.rows)), ...r.pinball.map(cell))),
            h('tr', { class: 'overall' }, h('th', { attrs: { scope: 'row' } }, 'all rows'), h('td', { class: 'num' }, ''), ...t.overall.map(cell)),
          ),
        ),
      ),
    ),
  );
}
