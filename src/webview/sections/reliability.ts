/**
 * The reliability diagram of every model (15 bins, as the ECE), with what the picked model's says:
 * of the positive class's probability (binary) or of the top-class confidence (multiclass).
 */
import { reliabilityPoints } from '../../core/tasks/classification/view';
import { reliabilityText } from '../../core/tasks/classification/words';
import { multiReliabilityText } from '../../core/tasks/multiclass/words';
import { BINARY_RELIABILITY, reliabilityConfig, TOP_CLASS_RELIABILITY } from '../charts/classCharts';
import { ChartSlot } from '../charts/chartSlot';
import { h, num as f } from '../dom';
import type { ClassifierSection } from '../section';
import { pieces } from '../words';

export const reliability: ClassifierSection = {
  id: 'reliability',
  perModel: true,
  render(ctx) {
    if (!ctx.model) return null;
    const r = ctx.report;
    const binary = r.task === 'binary';
    const name = (i: number) => `${r.models[i].prediction} (ECE ${f(r.models[i].metrics.ece, 3)})`;
    const what = binary ? 'share of positive rows against the mean predicted probability' : 'share of rows whose top class is right against the mean top-class confidence';
    const slot = ctx.charts.add(
      new ChartSlot((t) => reliabilityConfig(t, r.models.map((m, i) => ({ label: name(i), points: reliabilityPoints(m), model: i })), binary ? BINARY_RELIABILITY : TOP_CLASS_RELIABILITY), {
        label: `Reliability diagram: ${what} in 15 bins, ${r.models.map((_, i) => name(i)).join(', ')}`,
      }),
    );
    const i = ctx.model.index;
    const text = r.task === 'binary' ? reliabilityText(r.models[i]) : multiReliabilityText(r.models[i]);
    const element = h(
      'section',
      { attrs: { 'aria-labelledby': 'reliability-title' } },
      h('h2', { id: 'reliability-title' }, binary ? 'Calibration: reliability diagram' : 'Calibration: reliability diagram (top-class confidence)'),
      h('div', { class: 'grid-2' }, slot.element, h('p', { class: 'explain' }, ...pieces(text, (l) => ctx.lineLink(l), ctx.locations))),
    );
    return { element };
  },
};
