/**
 * A comparison of two or more files (Compare Loss, #15 item 3): how their rows were joined (above
 * the report) and the rows whose absolute error changed most, each line a button that opens it
 * in its own file (by the file's index: the host maps it to its URI). Rendered only for a report
 * that carries `compare` (engine/compare.ts).
 */
import type { ChangedModels, CompareReport } from '../../core/compare/report';
import { changedCaption, joinSentence } from '../../core/compare/words';
import type { Report } from '../../core/tasks/regression/report';
import { button, h, num as f } from '../dom';
import type { ReportContext, ReportSection } from '../section';

function compareOf(r: Report): CompareReport['compare'] | undefined {
  return 'compare' in r ? (r as CompareReport).compare : undefined;
}

/** How the rows were joined, and which were left out: the first thing a comparison says. */
export const compareJoin: ReportSection = {
  id: 'compare-join',
  render(ctx) {
    const c = compareOf(ctx.report);
    if (!c) return null;
    return {
      element: h(
        'section',
        { class: 'callout compare-join', attrs: { 'aria-label': 'How the files were joined' } },
        h('p', null, joinSentence(c)),
        h('p', { class: 'muted' }, `Models are FILE:COLUMN. The rows are those of ${c.files[0]}, the first file: the line numbers of the sections below (worst rows, residuals) are its lines.`),
      ),
    };
  },
};

/** The rows whose loss changed most, per model compared with the baseline. */
export const changedRows: ReportSection = {
  id: 'changed-rows',
  render(ctx) {
    const c = compareOf(ctx.report);
    if (!c || c.changed.every((m) => m.rows.length === 0)) return null;
    const element = h(
      'section',
      { class: 'changed-rows', attrs: { 'aria-labelledby': 'changed-title' } },
      h('h2', { id: 'changed-title' }, 'Rows whose loss changed most'),
      ctx.openable ? h('p', { class: 'muted' }, 'Click a line number to open it in its file; a click elsewhere on a row opens it in the file of the model compared with the baseline.') : null,
      ...c.changed.filter((m) => m.rows.length > 0).map((m) => h('div', { class: 'table-scroll' }, changedTable(ctx, c.files, c.key, m))),
    );
    return { element };
  },
};

function changedTable(ctx: ReportContext, files: readonly string[], key: string | null, m: ChangedModels): HTMLTableElement {
  // run i is the i-th file compared: the host maps it to its own URI.
  const open = (run: number, line: number) => ctx.post({ type: 'openRunLine', run, line });
  // Two models of one file: one line column (their lines are the same).
  const two = m.fileA !== m.fileB;
  const lineCell = (run: number, line: number) => {
    if (!ctx.openable) return h('td', { class: 'num' }, String(line));
    const b = button(String(line), () => open(run, line), { link: true, title: `Open line ${line} of ${files[run]}` });
    b.setAttribute('aria-label', `Open line ${line} of ${files[run]}`);
    return h('td', { class: 'num' }, b);
  };
  const value = (x: number) => h('td', { class: 'num', title: String(x) }, f(x, 6));
  const body = h('tbody');
  for (const r of m.rows) {
    const tr = h(
      'tr',
      { class: ctx.openable ? 'clickable' : undefined, attrs: { 'data-line-a': String(r.lineA), 'data-line-b': String(r.lineB) } },
      lineCell(m.fileA, r.lineA),
      two ? lineCell(m.fileB, r.lineB) : null,
      key !== null ? h('td', null, r.key ?? '') : null,
      value(r.target),
      value(r.a),
      value(r.b),
      h('td', { class: r.change > 0 ? 'num worse' : 'num better', title: String(r.change) }, f(r.change, 6)),
    );
    if (ctx.openable) {
      tr.addEventListener('click', (e) => {
        if (!(e.target instanceof HTMLButtonElement)) open(m.fileB, r.lineB);
      });
    }
    body.append(tr);
  }
  const col = (label: string) => h('th', { class: 'num', attrs: { scope: 'col' } }, label);
  const head = h('tr', null, col(`line in ${files[m.fileA]}`), two ? col(`line in ${files[m.fileB]}`) : null, key !== null ? h('th', { attrs: { scope: 'col' } }, key) : null, col('target'), col(m.a), col(m.b), col('change'));
  return h('table', { class: 'changed' }, h('caption', null, changedCaption(m.a, m.b)), h('thead', null, head), body);
}
