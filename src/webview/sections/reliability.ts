/** The reliability diagram of every model (15 bins, as the ECE), with what the picked model's says. */
import { reliabilityPoints } from '../../core/tasks/classification/view';
import { reliabilityText } from '../../core/tasks/classification/words';
import { reliabilityConfig } from '../charts/classCharts';
import { ChartSlot } from '../charts/chartSlot';
import { h, num as f } from '../dom';
import type { ClassSection } from '../section';
import { pieces } from '../words';

export const reliability: ClassSection = {
  id: 'reliability',
  perModel: true,
  render(ctx) {
    if (!ctx.model) return null;
    const r = ctx.report;
    const name = (i: number) => `${r.models[i].prediction} (ECE ${f(r.models[i].metrics.ece, 3)})`;
    const slot = ctx.charts.add(
      new ChartSlot((t) => reliabilityConfig(t, r.models.map((m, i) => ({ label: name(i), points: reliabilityPoints(m), model: i }))), {
        label: `Reliability diagram: share of positive rows against the mean predicted probability in 15 bins, ${r.models.map((_, i) => name(i)).join(', ')}`,
      }),
    );
    const element = h(
      'section',
      { attrs: { 'aria-labelledby': 'reliability-title' } },
      h('h2', { id: 'reliability-title' }, 'Calibration: reliability diagram'),
      h('div', { class: 'grid-2' }, slot.element, h('p', { class: 'explain' }, ...pieces(reliabilityText(ctx.model.model), (l) => ctx.lineLink(l)))),
    );
    return { element };
  },
};
