/**
 * "Is the difference real?" (#15): every model against the baseline, one sentence per metric
 * with a paired test (src/core/intervals/words.ts), the ones that are not significant marked as
 * such, and a control to choose the baseline. Every family lists it with its own metric labels.
 */
import { comparisonItems, significantCount, timeOrdered, type MetricLabel, type WithComparisons } from '../../core/intervals/view';
import { comparisonsLead, percentOf } from '../../core/intervals/words';
import { h } from '../dom';
import type { ReportContext, ReportSection } from '../section';

export function comparisonsSection(defs: readonly MetricLabel[]): ReportSection<ReportContext<WithComparisons, unknown>> {
  return {
    id: 'comparisons',
    render(ctx) {
      const r = ctx.report;
      if (r.models.length < 2) return null;
      const title = h('h2', { id: 'comparisons-title' }, 'Is the difference real?');
      const section = h('section', { class: 'comparisons', attrs: { 'aria-labelledby': 'comparisons-title' } }, title);
      if (!(r.confidence > 0) || r.baseline === null) {
        section.append(h('p', { class: 'muted' }, 'Intervals and comparisons are off (the setting lossInspector.report.confidence is 0).'));
        return { element: section };
      }
      if (ctx.interactive) section.append(baselineControl(r, (baseline) => ctx.post({ type: 'setBaseline', baseline })));
      const items = comparisonItems(r, defs);
      const count = significantCount(items);
      section.append(
        h('p', { class: 'lead' }, comparisonsLead(r.baseline, r.confidence, timeOrdered(r))),
        h('p', { class: 'comparisons-count' }, `${count.significant} of ${count.total} differences are significant at ${percentOf(r.confidence)}.`),
      );
      for (const m of r.models) {
        const mine = items.filter((c) => c.model === m.prediction);
        if (mine.length === 0) continue;
        const list = h('ul', { class: 'plain comparison-list', attrs: { 'aria-label': `${m.prediction} against ${r.baseline}` } });
        for (const c of mine) {
          list.append(
            h(
              'li',
              { class: c.significant ? 'comparison significant' : 'comparison not-significant', attrs: exact(r, c.model, c.metric) },
              c.significant ? null : h('span', { class: 'badge' }, 'not significant'),
              c.significant ? null : ' ',
              c.text,
            ),
          );
        }
        section.append(h('h3', null, `${m.prediction} against ${r.baseline}`), list);
      }
      return { element: section };
    },
  };
}

/**
 * The comparison's numbers in full (the sentence rounds them to 3 digits), as data attributes:
 * a reader (a test, a tool) can check them against the JSON report's without parsing the words.
 */
function exact(r: WithComparisons, model: string, metric: string): Record<string, string> {
  const c = r.comparisons.find((x) => x.b === model && x.metric === metric);
  if (!c) return {};
  return { 'data-metric': metric, 'data-difference': String(c.difference), 'data-low': String(c.low), 'data-high': String(c.high), 'data-p': String(c.p) };
}

/** The baseline: a model of the report; the host recomputes the comparisons against it. */
function baselineControl(r: WithComparisons, pick: (baseline: string | null) => void): HTMLElement {
  const select = h('select', { id: 'baseline-select' });
  r.models.forEach((m, i) => {
    const o = h('option', { attrs: { value: String(i) } }, m.prediction);
    o.selected = m.prediction === r.baseline;
    select.append(o);
  });
  select.addEventListener('change', () => {
    const i = Number(select.value);
    const m = r.models[i];
    if (m) pick(i === 0 ? null : m.prediction);
  });
  return h(
    'div',
    { class: 'controls baseline' },
    h('label', { attrs: { for: 'baseline-select' } }, 'Baseline '),
    select,
    h('span', { class: 'muted small' }, ' — the others are compared with it (the file is read again).'),
  );
}
