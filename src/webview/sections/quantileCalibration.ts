/**
 * Quantile sets (#16 item 3): the calibration chart of every model's set (share of targets ≤ each
 * quantile prediction against its level, with the diagonal), and the picked model's levels
 * (pinball loss, share) and central intervals (coverage, mean width, interval score).
 */
import { quantileText } from '../../core/tasks/regression/quantileWords';
import { ChartSlot } from '../charts/chartSlot';
import { quantileCalibrationConfig } from '../charts/quantileChart';
import { h, num as f, percent } from '../dom';
import type { ReportSection } from '../section';

/** A number cell: shown rounded, the exact value in its title (as the summary's). */
const cell = (v: number | null, shown = (x: number) => f(x, 6)) => h('td', { class: 'num', title: v === null ? 'not a finite number in double precision' : String(v) }, v === null ? '—' : shown(v));

export const quantileCalibration: ReportSection = {
  id: 'quantileCalibration',
  perModel: true,
  render(ctx) {
    const r = ctx.report;
    const withSets = r.models.map((m, i) => ({ m, i })).filter(({ m }) => m.quantiles !== undefined && m.quantiles.length > 0);
    if (withSets.length === 0 || !ctx.model) return null;
    const series = withSets.map(({ m, i }) => ({
      label: `${m.quantileSet ?? m.prediction} (${m.prediction})`,
      model: i,
      points: (m.quantiles ?? []).filter((q) => q.share !== null).map((q) => ({ column: q.column, q: q.q, share: q.share as number })),
    }));
    const slot = ctx.charts.add(
      new ChartSlot((t) => quantileCalibrationConfig(t, series), {
        label: `Quantile calibration: share of targets at or below each quantile prediction against its level, ${series.map((s) => `${s.label}: ${s.points.map((p) => `${percent(p.q)} → ${percent(p.share)}`).join(', ')}`).join('; ')}`,
      }),
    );
    const picked = ctx.model.model;
    const children: (HTMLElement | null)[] = [];
    if (picked.quantiles && picked.quantileSet !== undefined) {
      const levels = h(
        'table',
        { class: 'quantile-levels' },
        h('thead', null, h('tr', null, ...['column', 'level q', 'share ≤', 'pinball loss'].map((x) => h('th', { attrs: { scope: 'col' } }, x)))),
        h('tbody', null, ...picked.quantiles.map((q) => h('tr', null, h('th', { attrs: { scope: 'row' } }, q.column), cell(q.q, (x) => percent(x)), cell(q.share, (x) => percent(x)), cell(q.pinball)))),
      );
      children.push(h('div', { class: 'table-scroll' }, levels));
      const ivs = picked.quantileIntervals ?? [];
      if (ivs.length > 0) {
        const intervals = h(
          'table',
          { class: 'quantile-intervals' },
          h('thead', null, h('tr', null, ...['interval', 'nominal', 'coverage', 'mean width', 'interval score'].map((x) => h('th', { attrs: { scope: 'col' } }, x)))),
          h(
            'tbody',
            null,
            ...ivs.map((iv) => h('tr', null, h('th', { attrs: { scope: 'row' } }, `${iv.low} – ${iv.high}`), cell(iv.nominal, (x) => percent(x)), cell(iv.coverage, (x) => percent(x)), cell(iv.width), cell(iv.score))),
          ),
        );
        children.push(h('div', { class: 'table-scroll' }, intervals));
      }
      children.push(h('p', { class: 'explain quantile-text' }, quantileText({ quantileSet: picked.quantileSet, quantiles: picked.quantiles, quantileIntervals: ivs }, picked.prediction)));
    } else {
      children.push(h('p', { class: 'explain' }, `“${picked.prediction}” has no quantile set; pick a model with one to see its levels and intervals.`));
    }
    const element = h(
      'section',
      { attrs: { 'aria-labelledby': 'quantiles-title' } },
      h('h2', { id: 'quantiles-title' }, 'Quantiles: calibration and intervals'),
      h('div', { class: 'grid-2' }, slot.element, h('div', null, ...children)),
      h(
        'p',
        { class: 'explain' },
        'Pinball loss: scikit-learn’s mean_pinball_loss at the column’s level. Interval score (Gneiting & Raftery 2007): (u − l) + (2/α)(l − y) when y < l, + (2/α)(y − u) when y > u, α = 1 − nominal; lower is better.',
      ),
    );
    return { element };
  },
};
