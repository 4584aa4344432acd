/** Residuals: a histogram per model (zoomed when a few huge residuals would squash the rest), then the Q-Q plot. */
import type { ModelReport } from '../../core/tasks/regression/report';
import { curveRange, rowsBeyond } from '../../core/tasks/regression/view/curves';
import { histogramBars, residualDensity } from '../../core/tasks/regression/view/histogram';
import { histogramText } from '../../core/tasks/regression/words';
import { histogramConfig } from '../charts/barCharts';
import { ChartSlot } from '../charts/chartSlot';
import { modelColor } from '../charts/common';
import { button, colorDot, h, num } from '../dom';
import type { ReportContext, ReportSection } from '../section';
import { qqPart } from './qq';

export const residuals: ReportSection = {
  id: 'residuals',
  perModel: true,
  render(ctx) {
    if (!ctx.model) return null;
    const r = ctx.report;
    const element = h(
      'section',
      { attrs: { 'aria-labelledby': 'residuals-title' } },
      h('h2', { id: 'residuals-title' }, 'Residuals'),
      h('p', { class: 'muted' }, `Histograms of d = prediction − target (${r.models[0].histogram.counts.length} equal bins from the smallest to the largest d, or zoomed in when a few huge residuals would squash the rest).`),
      h('div', { class: 'grid-auto' }, ...r.models.map((m, i) => histogram(ctx, m, i))),
      qqPart(ctx, ctx.model.index),
    );
    return { element };
  },
};

function histogram(ctx: ReportContext, m: ModelReport, i: number): HTMLElement {
  const full = histogramBars(m.histogram);
  // With huge outliers the equal bins over [min, max] put nearly every row in one bin: show
  // the central part (the curves' range), binned from the sample, with a switch to the full range.
  const range = curveRange(ctx.report, i);
  const zoom = range.clipped ? residualDensity(ctx.report, i, range.end, 50) : undefined;
  let zoomed = zoom !== undefined;
  const slot = ctx.charts.add(
    new ChartSlot((t) => histogramConfig(t, zoomed && zoom ? zoom.bars : full, modelColor(t, i), [{ x: 0, color: t.muted, dash: [3, 3], label: 'd = 0' }]), { label: '', size: 'small' }),
  );
  const toggle = zoom ? button('', () => ((zoomed = !zoomed), describe(), ctx.charts.redraw(slot)), { link: true }) : null;
  const describe = () => {
    const text =
      zoomed && zoom
        ? histogramText(m, { zoom: { end: range.end, source: zoom.source, rows: zoom.rows, beyond: rowsBeyond(m, range.end) } })
        : histogramText(m, { bars: full.length });
    slot.describe(text.label, [text.caption]);
    if (toggle) toggle.textContent = zoomed ? 'Show the full range' : `Zoom to ±${num(range.end)}`;
  };
  describe();
  return h('div', null, h('div', { class: 'fig-head' }, h('h3', null, colorDot(i), m.prediction), toggle), slot.element);
}
