/** Loss and gradient curves against the residual, with the β panel and sweep above them. */
import type { ModelReport } from '../../core/tasks/regression/report';
import { curveRange, gradientCurves, lossCurves, rowsBeyond } from '../../core/tasks/regression/view/curves';
import { residualDensity } from '../../core/tasks/regression/view/histogram';
import { GRADIENT_CURVES_INTRO, gradientCurvesLabel, largestPull, lossCurvesLabel, lossCurvesText } from '../../core/tasks/regression/words';
import { betaMarkers, TriedBeta } from '../beta';
import { ChartSlot } from '../charts/chartSlot';
import { curvesConfig } from '../charts/lineCharts';
import { h } from '../dom';
import type { ReportContext, ReportSection, SectionView } from '../section';
import { pieces } from '../words';
import { betaPanel, sweepChart } from './betaSweep';

export const curves: ReportSection = {
  id: 'curves',
  perModel: true,
  render(ctx) {
    if (!ctx.model) return null;
    const { index, model: m } = ctx.model;
    const tried = new TriedBeta(ctx.report, m, ctx.ui);
    const end = curveRange(ctx.report, index).end;
    const parts = [betaPanel(ctx, m, tried), sweepChart(ctx, m, tried), lossChart(ctx, m, index, end, tried), gradientChart(ctx, m, end, tried)];
    const [panel, sweep, loss, grad] = parts.map((p) => p.element);
    const element = h(
      'section',
      { attrs: { 'aria-labelledby': 'curves-title' } },
      h('h2', { id: 'curves-title' }, 'Loss and gradient curves'),
      h('div', { class: 'grid-2' }, panel, sweep),
      h(
        'div',
        { class: 'grid-2' },
        loss,
        grad,
      ),
    );
    return { element, update: () => parts.forEach((p) => p.update?.()) };
  },
};

/** The loss of one row against its residual, the model's residuals drawn behind, and what it shows. */
function lossChart(ctx: ReportContext, m: ModelReport, index: number, end: number, tried: TriedBeta): SectionView {
  const density = residualDensity(ctx.report, index, end);
  const densityLabel = `residuals of ${m.prediction} (${density.source === 'all' ? 'all rows' : `sample of ${density.rows} rows`}, right axis)`;
  const beyond = rowsBeyond(m, end);
  const slot = ctx.charts.add(
    new ChartSlot(
      (t) =>
        curvesConfig(t, {
          set: lossCurves(end, tried.params),
          end,
          markers: betaMarkers(t, tried.params, end, true),
          density: density.rows > 0 ? { data: density, label: densityLabel } : undefined,
          yTitle: 'loss of one row',
        }),
      { label: '' },
    ),
  );
  const text = h('p', { class: 'explain' });
  const describe = () => {
    slot.describe(lossCurvesLabel(m, end, tried.beta, tried.inForce.delta));
    text.replaceChildren(...pieces(lossCurvesText(m, tried.beta, tried.at().share, beyond, end), (l) => ctx.lineLink(l), ctx.locations));
  };
  describe();
  return { element: h('div', null, h('h3', null, 'Loss per row against the residual'), slot.element, text), update: () => (describe(), ctx.charts.redraw(slot)) };
}

/** The gradient of each loss against the residual, and how hard the largest residual pulls. */
function gradientChart(ctx: ReportContext, m: ModelReport, end: number, tried: TriedBeta): SectionView {
  const slot = ctx.charts.add(
    new ChartSlot((t) => curvesConfig(t, { set: gradientCurves(end, tried.params), end, markers: betaMarkers(t, tried.params, end, true), yTitle: 'd loss / d prediction' }), { label: '' }),
  );
  const text = h('div', { class: 'explain' });
  const link = (l: number) => ctx.lineLink(l);
  const describe = () => {
    const set = gradientCurves(end, tried.params);
    slot.describe(gradientCurvesLabel(end, tried.beta, tried.inForce.delta));
    const pull = largestPull(m, tried.params, set.offChart.includes('l2'), end);
    const paragraphs = [h('p', null, ...pieces(GRADIENT_CURVES_INTRO, link))];
    if (pull) paragraphs.push(h('p', null, ...pieces(pull, link, ctx.locations)));
    text.replaceChildren(...paragraphs);
  };
  describe();
  return { element: h('div', null, h('h3', null, 'Gradient against the residual'), slot.element, text), update: () => (describe(), ctx.charts.redraw(slot)) };
}
