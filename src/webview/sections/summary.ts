/** Every metric of every model, the best one in bold, with the rows used and the β and δ in force. */
import { METRICS } from '../../core/tasks/regression/losses';
import { bestModels } from '../../core/tasks/regression/view/summary';
import { rowsUsed, summaryCaption } from '../../core/tasks/regression/words';
import { nullReason } from '../../core/tasks/regression/countWords';
import { append, colorDot, h, num as f } from '../dom';
import type { ReportSection } from '../section';
import { intervalCaption } from '../../core/intervals/words';
import { intervalLine } from '../intervals';
import { taskControls } from '../taskControl';
import { spreadNullReason, spreadSummaryRows } from '../../core/tasks/regression/view/variance';
import type { MetricKey } from '../../core/tasks/regression/losses';
import type { VarianceKey } from '../../core/tasks/regression/variance';

export const summary: ReportSection = {
  id: 'summary',
  render(ctx) {
    const r = ctx.report;
    const p = r.params;
    const head = h(
      'tr',
      null,
      h('th', { attrs: { scope: 'col' } }, 'metric'),
      ...r.models.map((m, i) => h('th', { class: 'num', attrs: { scope: 'col' } }, colorDot(i), m.prediction)),
    );
    const body = h('tbody');
    // The predicted spread's metrics (#16 item 2) follow when some model has a spread column.
    for (const def of [...METRICS, ...spreadSummaryRows(r)]) {
      const best = new Set(bestModels(r, def.key));
      const tr = h('tr', null, h('th', { attrs: { scope: 'row' } }, h('abbr', { title: def.formula }, def.label)));
      r.models.forEach((m, i) => {
        const v = m.metrics[def.key] ?? null;
        const spreadKey = def.key === 'gaussianNll' || def.key === 'crps';
        const why = () => (spreadKey ? spreadNullReason(r, m.prediction, def.key as VarianceKey, m.metrics[def.key] !== undefined) : nullReason(r, m.prediction, def.key as MetricKey));
        const td = h('td', { class: best.has(i) ? 'num best' : 'num', title: v === null ? why() : String(v) }, f(v, 6), intervalLine(r, i, def.key));
        if (best.has(i)) append(td, h('span', { class: 'sr-only' }, ' (best)'));
        tr.append(td);
      });
      body.append(tr);
    }
    const colspan = String(r.models.length + 1);
    const foot = h(
      'tfoot',
      null,
      h('tr', null, h('td', { attrs: { colspan } }, rowsUsed(r.rows))),
      h(
        'tr',
        null,
        h(
          'td',
          { attrs: { colspan } },
          h('abbr', { title: 'smooth L1 threshold: quadratic for |d| < β, linear beyond' }, 'β'),
          ` = ${p.beta}${p.beta === 0 ? ' (plain L1)' : ''} · `,
          h('abbr', { title: 'Huber threshold: quadratic for |d| ≤ δ, linear beyond' }, 'δ'),
          ` = ${p.delta} · d = prediction − target`,
        ),
      ),
      r.confidence > 0 ? h('tr', null, h('td', { class: 'muted small', attrs: { colspan } }, intervalCaption(r.confidence, true))) : null,
    );
    const table = h('table', { class: 'summary' }, h('caption', null, summaryCaption(r)), h('thead', null, head), body, foot);
    // A file shown as regression by choice (the Task control or setting) can be switched back.
    const task = ctx.interactive && ctx.settings.task === 'regression' ? taskControls((m) => ctx.post(m), ctx.settings, false) : null;
    return { element: h('section', { attrs: { 'aria-labelledby': 'summary-title' } }, h('h2', { id: 'summary-title' }, 'Summary'), task, h('div', { class: 'table-scroll' }, table)) };
  },
};
