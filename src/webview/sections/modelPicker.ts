/** Which model the per-model charts and sentences are about (with two models or more). */
import { h } from '../dom';
import type { ReportContext, ReportSection } from '../section';

/** Every family's models have a name (`prediction`). */
export const modelPicker: ReportSection<ReportContext<{ models: readonly { prediction: string }[] }, unknown>> = {
  id: 'model-picker',
  perModel: true,
  render(ctx) {
    const models = ctx.report.models;
    if (models.length < 2) return null;
    const select = h('select', { id: 'model-select' });
    models.forEach((m, i) => {
      const o = h('option', { attrs: { value: String(i) } }, m.prediction);
      o.selected = i === ctx.model?.index;
      select.append(o);
    });
    select.addEventListener('change', () => ctx.selectModel(Number(select.value)));
    return { element: h('div', { class: 'model-picker' }, h('label', { attrs: { for: 'model-select' } }, 'Model in the per-model charts and sentences: '), select) };
  },
};
