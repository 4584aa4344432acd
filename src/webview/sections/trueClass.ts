/**
 * How each loss treats a row by the probability it gives its true class: the log loss, focal,
 * Brier (and hinge, on logits) curves over the distribution of that probability for the picked model.
 */
import { trueClassBars, trueClassCurves } from '../../core/tasks/classification/view';
import { trueClassLabel, trueClassText } from '../../core/tasks/classification/words';
import { ChartSlot } from '../charts/chartSlot';
import { trueClassConfig } from '../charts/classCharts';
import { h, num } from '../dom';
import type { ClassSection } from '../section';
import { pieces } from '../words';

export const trueClass: ClassSection = {
  id: 'true-class',
  perModel: true,
  render(ctx) {
    if (!ctx.model) return null;
    const m = ctx.model.model;
    const p = ctx.report.params;
    const set = trueClassCurves(p, m.scores === 'logits');
    const bars = trueClassBars(m.trueClassHistogram);
    const slot = ctx.charts.add(
      new ChartSlot(
        (t) =>
          trueClassConfig(t, set, bars, `rows of ${m.prediction} per bin of p (right axis)`, [{ x: 0.5, color: t.muted, dash: [3, 3], label: 'p = 0.5' }]),
        { label: trueClassLabel(m, p.gamma), size: 'tall' },
      ),
    );
    const element = h(
      'section',
      { attrs: { 'aria-labelledby': 'trueclass-title' } },
      h('h2', { id: 'trueclass-title' }, 'Loss per row against the probability of the true class'),
      slot.element,
      h(
        'p',
        { class: 'explain' },
        ...pieces(trueClassText(m), (l) => ctx.lineLink(l)),
        p.alpha >= 0 ? ` The focal curve leaves out α: it is ${p.alpha} times this for positive rows and ${num(1 - p.alpha, 6)} times it for negative ones.` : '',
      ),
    );
    return { element };
  },
};
