/** Along the file: the per-row loss of the picked model in file order, and predicted against target. */
import { CURVES, CurveKey } from '../../core/tasks/regression/losses';
import type { ModelReport } from '../../core/tasks/regression/report';
import { rowSeries } from '../../core/tasks/regression/view/series';
import { rowLossChartText, rowLossName } from '../../core/tasks/regression/words';
import { TriedBeta } from '../beta';
import { ChartSlot } from '../charts/chartSlot';
import { curveColor } from '../charts/common';
import { rowSeriesConfig } from '../charts/lineCharts';
import { h } from '../dom';
import type { ReportContext, ReportSection, SectionView } from '../section';
import { scatterChart } from './scatter';

export const alongFile: ReportSection = {
  id: 'along-file',
  perModel: true,
  render(ctx) {
    if (!ctx.model) return null;
    const m = ctx.model.model;
    const rows = rowLoss(ctx, m);
    const element = h(
      'section',
      { attrs: { 'aria-labelledby': 'file-title' } },
      h('h2', { id: 'file-title' }, 'Along the file'),
      h('div', { class: 'grid-2' }, rows.element, h('div', null, h('h3', null, 'Predicted against target'), scatterChart(ctx).element)),
    );
    return { element, update: rows.update };
  },
};

/** The per-row loss along the file, with the loss picker and the log-scale switch. */
function rowLoss(ctx: ReportContext, m: ModelReport): SectionView {
  const tried = new TriedBeta(ctx.report, m, ctx.ui);
  const ui = ctx.ui;
  const lossKey: CurveKey = ui.state.lossKey ?? 'smoothL1';
  const select = h('select', { id: 'loss-select' });
  for (const c of CURVES) {
    const o = h('option', { attrs: { value: c.key } }, c.label);
    o.selected = c.key === lossKey;
    select.append(o);
  }
  const log = h('input', { id: 'row-log', attrs: { type: 'checkbox' } });
  log.checked = ui.state.rowLog ?? false;
  const key = () => (ui.state.lossKey ?? 'smoothL1') as CurveKey;
  const label = () => rowLossName(key(), tried.beta, tried.inForce.delta);
  const slot = ctx.charts.add(
    new ChartSlot((t) => rowSeriesConfig(t, rowSeries(m.series, key(), tried.params), label(), curveColor(t, key()), ui.state.rowLog ?? false), { label: '' }),
  );
  const describe = () => {
    const text = rowLossChartText(m.prediction, label(), m.series.maxAbs.length, m.series.rowsPerPoint);
    slot.describe(text.label, text.caption);
  };
  describe();
  select.addEventListener('change', () => {
    ui.update({ lossKey: select.value as CurveKey });
    describe();
    ctx.charts.redraw(slot);
  });
  log.addEventListener('change', () => {
    ui.update({ rowLog: log.checked });
    ctx.charts.redraw(slot);
  });
  const element = h(
    'div',
    null,
    h('h3', null, `Per-row loss of ${m.prediction}`),
    h('div', { class: 'controls' }, h('label', { attrs: { for: 'loss-select' } }, 'Loss '), select, h('label', { class: 'check', attrs: { for: 'row-log' } }, log, ' log scale')),
    slot.element,
  );
  const update = () => {
    if (key() !== 'smoothL1') return;
    describe();
    ctx.charts.redraw(slot);
  };
  return { element, update };
}
