/**
 * A classifier's summary: what the engine read the file as (task, positive class, score kind),
 * with controls to read it otherwise, and every metric of every model side by side.
 */
import { bestClassModels, CLASS_METRICS } from '../../core/tasks/classification/view';
import { paramsLine, scoresSentence, taskSentence } from '../../core/tasks/classification/words';
import { append, colorDot, h, num as f } from '../dom';
import type { ClassSection } from '../section';
import { taskControls } from '../taskControl';
import { pieces } from '../words';

export const classSummary: ClassSection = {
  id: 'class-summary',
  render(ctx) {
    const r = ctx.report;
    const head = h(
      'tr',
      null,
      h('th', { attrs: { scope: 'col' } }, 'metric'),
      ...r.models.map((m, i) => h('th', { class: 'num', attrs: { scope: 'col' } }, colorDot(i), m.prediction)),
    );
    const body = h('tbody');
    for (const def of CLASS_METRICS) {
      const best = new Set(bestClassModels(r, def.key));
      const tr = h('tr', { class: `metric-${def.key}` }, h('th', { attrs: { scope: 'row' } }, h('abbr', { title: `${def.formula} (${def.better} is better)` }, def.label)));
      r.models.forEach((m, i) => {
        const v = m.metrics[def.key];
        const td = h('td', { class: best.has(i) ? 'num best' : 'num', title: v === null ? 'not defined for this data' : String(v) }, f(v, 6));
        if (best.has(i)) append(td, h('span', { class: 'sr-only' }, ' (best)'));
        tr.append(td);
      });
      body.append(tr);
    }
    const colspan = String(r.models.length + 1);
    const foot = h('tfoot', null, h('tr', null, h('td', { attrs: { colspan } }, paramsLine(r))));
    const caption = `Every metric of ${r.models.length === 1 ? 'the model' : `the ${r.models.length} models`}${r.models.length > 1 ? ', the best in bold' : ''}${r.weight ? `, weighted by “${r.weight}”` : ''}.`;
    const table = h('table', { class: 'summary class-summary' }, h('caption', null, caption), h('thead', null, head), body, foot);
    const element = h(
      'section',
      { attrs: { 'aria-labelledby': 'summary-title' } },
      h('h2', { id: 'summary-title' }, 'Summary'),
      h('p', { class: 'lead task-line' }, ...pieces(taskSentence(r), (l) => ctx.lineLink(l)), ' Scores: ', scoresSentence(r)),
      ctx.interactive ? taskControls((m) => ctx.post(m), ctx.settings, true) : null,
      h('div', { class: 'table-scroll' }, table),
    );
    return { element };
  },
};
