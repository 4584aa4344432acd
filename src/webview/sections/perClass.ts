/**
 * Per true class, per model: support, precision, recall, F1 (at the threshold, or of the highest
 * score), and the share of the log loss. A binary or a multiclass report.
 */
import type { PerClassStats } from '../../core/tasks/classification/report';
import { perClassCaption } from '../../core/tasks/classification/words';
import { multiPerClassCaption } from '../../core/tasks/multiclass/words';
import { colorDot, h, num as f, percent } from '../dom';
import type { ClassifierContext, ClassifierSection } from '../section';

export const perClass: ClassifierSection = {
  id: 'per-class',
  render(ctx) {
    const r = ctx.report;
    const element = h(
      'section',
      { attrs: { 'aria-labelledby': 'perclass-title' } },
      h('h2', { id: 'perclass-title' }, 'Per class'),
      h('p', { class: 'muted' }, r.task === 'binary' ? perClassCaption(r) : multiPerClassCaption(r)),
      h('div', { class: 'grid-auto grid-wide' }, ...r.models.map((m, i) => h('div', { class: 'table-scroll' }, table(ctx, m, i)))),
    );
    return { element };
  },
};

function table(ctx: ClassifierContext, m: { prediction: string; perClass: readonly PerClassStats[] }, i: number): HTMLTableElement {
  const r = ctx.report;
  const positive = r.task === 'binary' ? r.positive : undefined;
  const col = (label: string) => h('th', { class: 'num', attrs: { scope: 'col' } }, label);
  const head = h('tr', null, h('th', { attrs: { scope: 'col' } }, 'class'), col('support'), col('precision'), col('recall'), col('F1'), col('share of log loss'));
  const body = h('tbody');
  for (const c of m.perClass) {
    const cell = (v: number | null) => h('td', { class: 'num', title: v === null ? 'not defined' : String(v) }, f(v, 4));
    body.append(
      h(
        'tr',
        null,
        h('th', { attrs: { scope: 'row' } }, c.label, c.label === positive ? h('span', { class: 'muted' }, ' (positive)') : null),
        h('td', { class: 'num', title: String(c.support) }, f(c.support, 6)),
        cell(c.precision),
        cell(c.recall),
        cell(c.f1),
        h('td', { class: 'num', title: c.logLossShare === null ? 'not defined' : String(c.logLossShare) }, c.logLossShare === null ? '—' : percent(c.logLossShare)),
      ),
    );
  }
  return h('table', { class: 'per-class' }, h('caption', null, colorDot(i), m.prediction), h('thead', null, head), body);
}
