/** ROC and precision–recall curves of every model, side by side, with what the picked model's say. */
import { positiveRate, prPoints, rocPoints } from '../../core/tasks/classification/view';
import { prText, rocText } from '../../core/tasks/classification/words';
import { rateCurveConfig } from '../charts/classCharts';
import { ChartSlot } from '../charts/chartSlot';
import { h, num as f } from '../dom';
import type { ClassSection } from '../section';

export const rocPr: ClassSection = {
  id: 'roc-pr',
  perModel: true,
  render(ctx) {
    if (!ctx.model) return null;
    const r = ctx.report;
    const m = ctx.model.model;
    const many = r.models.length > 1;
    const name = (i: number, key: 'rocAuc' | 'averagePrecision') => `${r.models[i].prediction} (${key === 'rocAuc' ? 'AUC' : 'AP'} ${f(r.models[i].metrics[key], 3)})`;
    const roc = ctx.charts.add(
      new ChartSlot(
        (t) => rateCurveConfig(t, 'roc', r.models.map((mm, i) => ({ label: name(i, 'rocAuc'), points: rocPoints(mm), model: i })), { label: 'chance', points: [{ x: 0, y: 0 }, { x: 1, y: 1 }] }),
        { label: `ROC curve${many ? 's' : ''}: true positive rate against false positive rate, ${r.models.map((_, i) => name(i, 'rocAuc')).join(', ')}`, caption: [rocText(m)] },
      ),
    );
    const base = positiveRate(m);
    const pr = ctx.charts.add(
      new ChartSlot(
        (t) =>
          rateCurveConfig(
            t,
            'pr',
            r.models.map((mm, i) => ({ label: name(i, 'averagePrecision'), points: prPoints(mm), model: i })),
            base === null ? null : { label: `share of positives (${f(base, 3)})`, points: [{ x: 0, y: base }, { x: 1, y: base }] },
          ),
        { label: `Precision–recall curve${many ? 's' : ''}: precision against recall, ${r.models.map((_, i) => name(i, 'averagePrecision')).join(', ')}`, caption: [prText(m)] },
      ),
    );
    const element = h(
      'section',
      { attrs: { 'aria-labelledby': 'rocpr-title' } },
      h('h2', { id: 'rocpr-title' }, 'ROC and precision–recall'),
      h('div', { class: 'grid-2' }, h('div', null, h('h3', null, 'ROC curve'), roc.element), h('div', null, h('h3', null, 'Precision–recall curve'), pr.element)),
    );
    return { element };
  },
};
