/**
 * The losses of counts and positive targets against the prediction (#16 item 5): for one row
 * whose target is the median target, each defined loss (squared log error, Poisson, Gamma and
 * Tweedie deviances) and its gradient against μ, the model's predictions drawn behind.
 */
import type { CountRowKey } from '../../core/tasks/regression/countRobustness';
import { countCurveLabel, countCurvesIntro, countCurveText, countGradText } from '../../core/tasks/regression/curveWords';
import { countCurves, CountCurvePanel, CountCurves } from '../../core/tasks/regression/view/countCurves';
import { ChartSlot } from '../charts/chartSlot';
import type { Marker } from '../charts/common';
import { valueCurvesConfig } from '../charts/valueCurves';
import { h, num as f } from '../dom';
import type { ReportContext, ReportSection } from '../section';
import type { Theme } from '../theme';
import { pieces } from '../words';

const COLOR: Record<CountRowKey, (t: Theme) => string> = { msle: (t) => t.blue, poissonDeviance: (t) => t.orange, gammaDeviance: (t) => t.green, tweedieDeviance: (t) => t.purple };

export const countCurvesSection: ReportSection = {
  id: 'countCurves',
  perModel: true,
  render(ctx) {
    const y = ctx.report.targetMedian;
    if (!ctx.model || y === undefined || !Number.isFinite(y)) return null;
    const { index, model: m } = ctx.model;
    const c = countCurves(ctx.report, index, m, y);
    if (c.panels.length === 0) return null;
    const link = (l: number) => ctx.lineLink(l);
    const rows = c.panels.map((p) => panel(ctx, c, p, m.prediction));
    const element = h(
      'section',
      { attrs: { 'aria-labelledby': 'count-curves-title' } },
      h('h2', { id: 'count-curves-title' }, 'Losses of counts against the prediction'),
      h('p', { class: 'explain' }, ...pieces(countCurvesIntro(c, m.prediction), link, ctx.locations)),
      ...rows,
    );
    return { element };
  },
};

function panel(ctx: ReportContext, c: CountCurves, p: CountCurvePanel, prediction: string): HTMLElement {
  const name = p.loss.label;
  const markers = (t: Theme): Marker[] => [{ x: c.target, color: t.muted, dash: [4, 3], label: `y = ${f(c.target, 4)}` }];
  const density = { data: c.density, label: `predictions of ${prediction} (${c.density.source === 'all' ? 'all rows' : `sample of ${c.density.rows} rows`}, right axis)` };
  const chart = (curve: CountCurvePanel['loss'], what: 'loss' | 'gradient') =>
    ctx.charts.add(
      new ChartSlot(
        (t) =>
          valueCurvesConfig(t, {
            curves: [{ label: `${curve.label}: ${curve.formula}`, points: curve.points, color: COLOR[p.key](t), dash: what === 'gradient' ? [6, 3] : [] }],
            x: { title: 'prediction μ', min: 0, max: c.end, name: 'μ' },
            y: { title: what === 'loss' ? 'loss of one row' : 'd loss / dμ', min: curve.yMin, max: curve.yMax },
            density,
            markers: markers(t),
          }),
        { label: countCurveLabel(name, c.target, c.end, what) },
      ),
    );
  const loss = chart(p.loss, 'loss');
  const grad = chart(p.grad, 'gradient');
  return h(
    'div',
    { class: `count-curve count-${p.key}` },
    h('h3', null, name === 'Tweedie deviance' ? `${name} (p = ${c.power})` : name),
    h('div', { class: 'grid-2' }, loss.element, grad.element),
    h('p', { class: 'explain' }, ...pieces(countCurveText(p, c.target), (l) => ctx.lineLink(l), ctx.locations), ' ', countGradText(p.key, c.power)),
  );
}
