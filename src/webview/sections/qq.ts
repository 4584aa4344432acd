/** Normal Q-Q plot of the picked model's residuals, with what it shows in words. */
import { qqPlot, qqView } from '../../core/tasks/regression/view/qq';
import { qqChartText, qqFindings } from '../../core/tasks/regression/words';
import { ChartSlot } from '../charts/chartSlot';
import { modelColor } from '../charts/common';
import { qqConfig } from '../charts/scatterCharts';
import { button, colorDot, h, num as f } from '../dom';
import type { ReportContext } from '../section';
import { pieces } from '../words';

export function qqPart(ctx: ReportContext, i: number): HTMLElement | null {
  const m = ctx.report.models[i];
  const qq = qqPlot(ctx.report, i);
  if (qq.points.length < 3) return null;
  const view = qqView(qq);
  const full = { lo: Math.min(qq.points[0].y, view.lo), hi: Math.max(qq.points[qq.points.length - 1].y, view.hi) };
  let zoomed = view.clipped;
  const slot = ctx.charts.add(
    new ChartSlot(
      (t) => {
        const v = zoomed ? view : { lo: full.lo - (full.hi - full.lo) * 0.04, hi: full.hi + (full.hi - full.lo) * 0.04 };
        return qqConfig(t, qq, v, `residuals of ${m.prediction}`, modelColor(t, i), ctx.openable ? (line) => ctx.openLine(line) : undefined);
      },
      { label: '' },
    ),
  );
  const toggle = view.clipped ? button('', () => ((zoomed = !zoomed), describe(), ctx.charts.redraw(slot)), { link: true }) : null;
  const describe = () => {
    const text = qqChartText(qq, m.prediction, ctx.report.rows.used, zoomed ? view.outside : 0, ctx.openable);
    slot.describe(text.label, [text.caption]);
    if (toggle) toggle.textContent = zoomed ? 'Show the full range' : 'Zoom to the body';
  };
  describe();
  const findings = qqFindings(qq).map((p) => h('p', null, ...pieces(p, (l) => ctx.lineLink(l), ctx.locations)));
  return h(
    'div',
    { class: 'grid-2 qq' },
    h('div', null, h('div', { class: 'fig-head' }, h('h3', null, colorDot(i), `Normal Q-Q plot of ${m.prediction}`), toggle), slot.element),
    h(
      'div',
      { class: 'explain qq-text' },
      h('h3', null, 'Are the residuals normal?'),
      ...findings,
      h(
        'p',
        { class: 'muted' },
        `Each point is a residual, sorted, placed against where it would sit if the residuals were normal. The dashed line runs through the quartiles; its slope σ̂ = ${f(qq.slope, 3)} is a robust standard deviation. Points on the line: normal residuals, for which L2 (MSE) is the natural loss. Ends bending away from it (down at the left, up at the right): heavier tails than normal, where smooth L1 or Huber are less swayed by the few large errors. One end bending away: skewed errors.`,
      ),
    ),
  );
}
