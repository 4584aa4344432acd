/** Would the gradients explode? The per-row gradient magnitude of each loss, as a chart and a table. */
import { gradientDistribution } from '../../core/tasks/regression/view/gradients';
import { explodes, gradientNames, gradientsChartText, gradientsLead, gradientsNone } from '../../core/tasks/regression/words';
import { TriedBeta } from '../beta';
import { ChartSlot } from '../charts/chartSlot';
import { gradientDistConfig } from '../charts/gradientChart';
import { h, num as f } from '../dom';
import type { ReportSection } from '../section';
import { pieces } from '../words';

const title = () => h('h2', { id: 'grads-title' }, 'Would the gradients explode?');

export const gradients: ReportSection = {
  id: 'gradients',
  perModel: true,
  render(ctx) {
    if (!ctx.model) return null;
    const m = ctx.model.model;
    if (!m.gradients || !m.absLogHistogram) return null;
    const tried = new TriedBeta(ctx.report, m, ctx.ui);
    const names = () => gradientNames(tried.beta, tried.inForce.delta);
    const dist = () => gradientDistribution(m, tried.params, tried.inForce);
    if (dist().edges.length === 0) {
      // Every |d| is 0 (or below the histogram's range): nothing to draw.
      return { element: h('section', { attrs: { 'aria-labelledby': 'grads-title' } }, title(), h('p', { class: 'lead' }, gradientsNone(m))) };
    }
    const slot = ctx.charts.add(new ChartSlot((t) => gradientDistConfig(t, dist(), names()), { label: '', size: 'tall' }));
    const lead = h('p', { class: 'lead' });
    const tbody = h('tbody');
    const update = () => {
      const d = dist();
      const n = names();
      lead.replaceChildren(...pieces(gradientsLead(d, m.prediction, tried.beta, tried.inForce.delta), (l) => ctx.lineLink(l), ctx.locations));
      tbody.replaceChildren(
        ...d.losses.map((l) => {
          const big = explodes(l);
          return h(
            'tr',
            { class: `loss-${l.key}` },
            h('th', { attrs: { scope: 'row' } }, h('span', { class: 'swatch', attrs: { 'aria-hidden': 'true' } }), n[l.key]),
            h('td', { class: 'num' }, f(l.stats.median, 4)),
            h('td', { class: 'num' }, f(l.stats.p99, 4)),
            h('td', { class: 'num' }, f(l.stats.max, 4)),
            h('td', { class: big ? 'num ratio-big' : 'num' }, l.stats.ratio === null ? '—' : `${f(l.stats.ratio, 3)}×`, big ? h('span', { class: 'sr-only' }, ' (large)') : null),
          );
        }),
      );
      const text = gradientsChartText(d, m.prediction, n);
      slot.describe(text.label, [text.caption]);
    };
    update();
    const col = (label: string | HTMLElement, cls = 'num') => h('th', { class: cls, attrs: { scope: 'col' } }, label);
    const head = h(
      'tr',
      null,
      h('th', { attrs: { scope: 'col' } }, 'loss'),
      col('median'),
      col(h('abbr', { title: '99th percentile: 1% of the rows pull harder' }, 'p99')),
      col('max'),
      col(h('abbr', { title: 'The explosion ratio: the largest gradient over the median one' }, 'max ÷ median')),
    );
    const table = h('table', { class: 'grads' }, h('caption', null, `Gradient magnitude |∂loss/∂prediction| over the rows of ${m.prediction}`), h('thead', null, head), tbody);
    const element = h(
      'section',
      { attrs: { 'aria-labelledby': 'grads-title' } },
      title(),
      lead,
      h(
        'div',
        { class: 'grid-2' },
        slot.element,
        h(
          'div',
          null,
          h('div', { class: 'table-scroll' }, table),
          h(
            'p',
            { class: 'muted' },
            'A row’s gradient is how hard it pulls its prediction during training: L2 2|d|, L1 1, smooth L1 min(|d|/β, 1), Huber min(|d|, δ), log-cosh |tanh d|. When the largest is many times the median, a handful of rows steer each update — clip the gradients, or use a loss that bounds them.',
          ),
        ),
      ),
    );
    return { element, update: () => (update(), ctx.charts.redraw(slot)) };
  },
};
