/**
 * The pinball loss of each level of the picked model's quantile set against the residual (#16
 * item 5): the asymmetric V's, with the residuals of the level nearest the median behind.
 */
import { pinballIntro, pinballLabel } from '../../core/tasks/regression/curveWords';
import { pinballCurves } from '../../core/tasks/regression/view/pinballCurves';
import { ChartSlot } from '../charts/chartSlot';
import { modelColor } from '../charts/common';
import { valueCurvesConfig } from '../charts/valueCurves';
import { h } from '../dom';
import type { ReportSection } from '../section';
import { pieces } from '../words';

/**
 * Levels q and 1 − q share a colour (their pair's); the lower is solid, the upper dashed and the
 * median dotted, so the V's are told apart without colour too.
 */
const dash = (q: number) => (q < 0.5 ? [] : q > 0.5 ? [7, 3] : [2, 3]);

export const pinballCurvesSection: ReportSection = {
  id: 'pinballCurves',
  perModel: true,
  render(ctx) {
    if (!ctx.model) return null;
    const { index, model: m } = ctx.model;
    const c = pinballCurves(ctx.report, index, m);
    if (!c) return null;
    const behind = c.behind;
    const slot = ctx.charts.add(
      new ChartSlot(
        (t) =>
          valueCurvesConfig(t, {
            curves: c.curves.map((v) => ({ label: `${v.column} (q = ${v.q})`, points: v.points, color: modelColor(t, v.pair), dash: dash(v.q) })),
            x: { title: 'residual d = prediction − target', min: -c.end, max: c.end, name: 'd' },
            y: { title: 'pinball loss of one row', min: 0, max: c.yMax },
            density: behind ? { data: behind.density, label: `residuals of ${behind.column} (${behind.density.source === 'all' ? 'all rows' : `sample of ${behind.density.rows} rows`}, right axis)` } : undefined,
            markers: [],
          }),
        { label: pinballLabel(c) },
      ),
    );
    slot.element.classList.add('pinball-curves');
    const element = h(
      'section',
      { attrs: { 'aria-labelledby': 'pinball-curves-title' } },
      h('h2', { id: 'pinball-curves-title' }, 'Pinball loss at each level against the residual'),
      h('div', { class: 'grid-2' }, slot.element, h('p', { class: 'explain pinball-text' }, ...pieces(pinballIntro(c, m.prediction), (l) => ctx.lineLink(l), ctx.locations))),
    );
    return { element };
  },
};
