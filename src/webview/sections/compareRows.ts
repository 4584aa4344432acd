/**
 * A comparison of two or more files (Compare Loss, #15 item 3): how their rows were joined (above
 * the report) and the rows whose loss changed most (regression: absolute error; a
 * classifier: log loss), each line a button that opens it in its own file (by the file's index:
 * the host maps it to its URI). Rendered only for a report that carries `compare` (engine/compare.ts).
 */
import type { AnyCompareReport, ChangedClassRow, ChangedModels, ChangedRow, CompareInfo } from '../../core/compare/report';
import { changedCaption, changedLogLossCaption, joinSentence } from '../../core/compare/words';
import { button, h, num as f } from '../dom';
import type { AnyReportContext, ReportSection } from '../section';

function compareOf(r: object): AnyCompareReport['compare'] | undefined {
  return 'compare' in r ? (r as AnyCompareReport).compare : undefined;
}

/** A classifier's comparison (its report says its task): changed rows by log loss. */
function isClassifier(r: object): boolean {
  return 'task' in r;
}

function isMulticlass(r: object): boolean {
  return 'task' in r && r.task === 'multiclass';
}

/** How the rows were joined, and which were left out: the first thing a comparison says. */
export const compareJoin: ReportSection<AnyReportContext> = {
  id: 'compare-join',
  render(ctx) {
    const c = compareOf(ctx.report);
    if (!c) return null;
    const sections = isClassifier(ctx.report) ? 'most confidently wrong rows' : 'worst rows, residuals';
    return {
      element: h(
        'section',
        { class: 'callout compare-join', attrs: { 'aria-label': 'How the files were joined' } },
        h('p', null, joinSentence(c)),
        h('p', { class: 'muted' }, `Models are FILE:COLUMN. The rows are those of ${c.files[0]}, the first file: the line numbers of the sections below (${sections}) are its lines.`),
      ),
    };
  },
};

/** The rows whose loss changed most, per model compared with the baseline. */
export const changedRows: ReportSection<AnyReportContext> = {
  id: 'changed-rows',
  render(ctx) {
    const c = compareOf(ctx.report);
    if (!c || c.changed.every((m) => m.rows.length === 0)) return null;
    const tables = isClassifier(ctx.report)
      ? (c as CompareInfo<ChangedClassRow>).changed.filter((m) => m.rows.length > 0).map((m) => changedTable(ctx, c.files, c.key, m, isMulticlass(ctx.report) ? MULTI_COLUMNS : CLASS_COLUMNS, changedLogLossCaption(m.a, m.b)))
      : (c as CompareInfo<ChangedRow>).changed.filter((m) => m.rows.length > 0).map((m) => changedTable(ctx, c.files, c.key, m, REGRESSION_COLUMNS, changedCaption(m.a, m.b)));
    const element = h(
      'section',
      { class: 'changed-rows', attrs: { 'aria-labelledby': 'changed-title' } },
      h('h2', { id: 'changed-title' }, isClassifier(ctx.report) ? 'Rows whose log loss changed most' : 'Rows whose loss changed most'),
      ctx.openable ? h('p', { class: 'muted' }, 'Click a line number to open it in its file; a click elsewhere on a row opens it in the file of the model compared with the baseline.') : null,
      ...tables.map((t) => h('div', { class: 'table-scroll' }, t)),
    );
    return { element };
  },
};

/** A column of the changed rows' table after the lines and the key: its heading and its cell. */
interface Column<R> {
  head(m: ChangedModels<R>): string;
  cell(r: R): HTMLTableCellElement;
}

const value = (x: number) => h('td', { class: 'num', title: String(x) }, f(x, 6));
const changeCell = (x: number) => h('td', { class: x > 0 ? 'num worse' : 'num better', title: String(x) }, f(x, 6));

const REGRESSION_COLUMNS: Column<ChangedRow>[] = [
  { head: () => 'target', cell: (r) => value(r.target) },
  { head: (m) => m.a, cell: (r) => value(r.a) },
  { head: (m) => m.b, cell: (r) => value(r.b) },
  { head: () => 'change', cell: (r) => changeCell(r.change) },
];

const CLASS_COLUMNS: Column<ChangedClassRow>[] = [
  { head: () => 'label', cell: (r) => h('td', null, r.label) },
  { head: (m) => m.a, cell: (r) => value(r.a) },
  { head: (m) => m.b, cell: (r) => value(r.b) },
  { head: (m) => `log loss ${m.a}`, cell: (r) => value(r.lossA) },
  { head: (m) => `log loss ${m.b}`, cell: (r) => value(r.lossB) },
  { head: () => 'change', cell: (r) => changeCell(r.change) },
];

/** Multiclass: a row's `a` and `b` are the probabilities the models give to its label. */
const MULTI_COLUMNS: Column<ChangedClassRow>[] = CLASS_COLUMNS.map((c, i) => (i === 1 || i === 2 ? { ...c, head: (m) => `p(label) ${i === 1 ? m.a : m.b}` } : c));

function changedTable<R extends { lineA: number; lineB: number; key: string | null }>(ctx: AnyReportContext, files: readonly string[], key: string | null, m: ChangedModels<R>, columns: readonly Column<R>[], caption: string): HTMLTableElement {
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
  const body = h('tbody');
  for (const r of m.rows) {
    const tr = h(
      'tr',
      { class: ctx.openable ? 'clickable' : undefined, attrs: { 'data-line-a': String(r.lineA), 'data-line-b': String(r.lineB) } },
      lineCell(m.fileA, r.lineA),
      two ? lineCell(m.fileB, r.lineB) : null,
      key !== null ? h('td', null, r.key ?? '') : null,
      ...columns.map((c) => c.cell(r)),
    );
    if (ctx.openable) {
      tr.addEventListener('click', (e) => {
        if (!(e.target instanceof HTMLButtonElement)) open(m.fileB, r.lineB);
      });
    }
    body.append(tr);
  }
  const col = (label: string) => h('th', { class: 'num', attrs: { scope: 'col' } }, label);
  const head = h('tr', null, col(`line in ${files[m.fileA]}`), two ? col(`line in ${files[m.fileB]}`) : null, key !== null ? h('th', { attrs: { scope: 'col' } }, key) : null, ...columns.map((c) => col(c.head(m))));
  return h('table', { class: 'changed' }, h('caption', null, caption), h('thead', null, head), body);
}
