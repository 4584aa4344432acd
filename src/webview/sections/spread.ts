/**
 * A predicted spread (#16 item 2): per model with a variance or standard-deviation column, the
 * histogram of d/σ against the N(0, 1) density, and the ±1σ/±2σ coverage against a Gaussian's.
 */
import type { ModelReport } from '../../core/tasks/regression/report';
import { VARIANCE_METRICS } from '../../core/tasks/regression/variance';
import { NOMINAL, spreadFindings, spreadView, SpreadView } from '../../core/tasks/regression/view/variance';
import { spreadChartText } from '../../core/tasks/regression/varianceWords';
import { ChartSlot } from '../charts/chartSlot';
import { modelColor } from '../charts/common';
import { spreadConfig } from '../charts/varianceChart';
import { colorDot, h, num as f } from '../dom';
import type { ReportContext, ReportSection } from '../section';

export const spread: ReportSection = {
  id: 'spread',
  perModel: true,
  render(ctx) {
    const models = ctx.report.models.map((m, i) => ({ m, i })).filter(({ m }) => m.spread !== undefined);
    if (models.length === 0) return null;
    const element = h(
      'section',
      { attrs: { 'aria-labelledby': 'spread-title' } },
      h('h2', { id: 'spread-title' }, 'Predicted spread'),
      h(
        'p',
        { class: 'muted' },
        'Each row read as a Gaussian N(prediction, σ²). If σ is right, the standardised residual d/σ follows N(0, 1) (the line): 68.3% of the targets fall within ±1σ and 95.4% within ±2σ. Wider bars than the line: σ too small (over-confident); narrower: too large.',
      ),
      h('div', { class: 'grid-auto' }, ...models.map(({ m, i }) => modelPart(ctx, m, i))),
    );
    return { element };
  },
};

function modelPart(ctx: ReportContext, m: ModelReport, i: number): HTMLElement {
  const v = spreadView(m);
  const head = h('h3', null, colorDot(i), `${m.prediction} (${m.spread?.kind === 'std' ? 'σ' : 'σ²'} from ${m.spread?.column ?? ''})`);
  if (!v) {
    const why = ctx.report.warnings.find((w) => w.includes(`of "${m.prediction}"`) && w.includes('Gaussian NLL')) ?? 'The predicted spread is not defined for this data.';
    return h('div', null, head, h('p', null, why));
  }
  const slot = ctx.charts.add(new ChartSlot((t) => spreadConfig(t, v, modelColor(t, i)), { label: '', size: 'small' }));
  const text = spreadChartText(v);
  slot.describe(text.label, [text.caption]);
  return h('div', null, head, slot.element, table(m, v), ...spreadFindings(v).map((s) => h('p', null, s)));
}

function table(m: ModelReport, v: SpreadView): HTMLTableElement {
  const pct = (x: number | undefined) => (x === undefined ? '—' : `${(100 * x).toFixed(1)}%`);
  const row = (label: string, value: string, expected: string) => h('tr', null, h('th', { attrs: { scope: 'row' } }, label), h('td', { class: 'num' }, value), h('td', { class: 'num muted' }, expected));
  return h(
    'table',
    { class: 'spread' },
    h('thead', null, h('tr', null, h('th', null, ''), h('th', { class: 'num', attrs: { scope: 'col' } }, m.prediction), h('th', { class: 'num', attrs: { scope: 'col' } }, 'calibrated'))),
    h(
      'tbody',
      null,
      ...VARIANCE_METRICS.map((d) => row(d.label, f(m.metrics[d.key] ?? null, 6), '')),
      row('within ±1σ', pct(v.coverage?.within1), pct(NOMINAL.within1)),
      row('within ±2σ', pct(v.coverage?.within2), pct(NOMINAL.within2)),
      row('mean of d/σ', f(v.mean, 4), '0'),
      row('SD of d/σ', f(v.sd, 4), '1'),
    ),
  );
}
