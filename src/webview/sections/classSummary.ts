/**
 * A classifier's summary (binary or multiclass): what the engine read the file as (task, classes,
 * positive class, score kind), with controls to read it otherwise, and every metric of every
 * model side by side; a metric that is not defined shows "—", with the reason.
 */
import { CLASS_METRICS, MetricRow, metricRows } from '../../core/tasks/classification/view';
import { paramsLine, scoresSentence, taskSentence } from '../../core/tasks/classification/words';
import type { Pieces } from '../../core/tasks/regression/words';
import { MULTI_CLASS_METRICS, nullReason } from '../../core/tasks/multiclass/view';
import { multiParamsLine, multiTaskSentence, nullNote } from '../../core/tasks/multiclass/words';
import { append, colorDot, h, num as f } from '../dom';
import type { ClassifierContext, ClassifierSection } from '../section';
import { intervalCaption } from '../../core/intervals/words';
import { intervalLine } from '../intervals';
import { taskControls } from '../taskControl';
import { pieces } from '../words';

/** The task's table rows and sentences. */
function taskParts(r: ClassifierContext['report']): { rows: MetricRow[]; lead: Pieces; params: string; notes: boolean } {
  if (r.task === 'binary') return { rows: metricRows(r.models, CLASS_METRICS), lead: taskSentence(r), params: paramsLine(r), notes: false };
  return { rows: metricRows(r.models, MULTI_CLASS_METRICS, (i, key) => nullReason(r.models[i], key)), lead: multiTaskSentence(r), params: multiParamsLine(r), notes: true };
}

export const classSummary: ClassifierSection = {
  id: 'class-summary',
  render(ctx) {
    const r = ctx.report;
    const t = taskParts(r);
    const head = h(
      'tr',
      null,
      h('th', { attrs: { scope: 'col' } }, 'metric'),
      ...r.models.map((m, i) => h('th', { class: 'num', attrs: { scope: 'col' } }, colorDot(i), m.prediction)),
    );
    const body = h('tbody');
    for (const row of t.rows) {
      const best = new Set(row.best);
      const tr = h('tr', { class: `metric-${row.key}` }, h('th', { attrs: { scope: 'row' } }, h('abbr', { title: `${row.formula} (${row.better} is better)` }, row.label)));
      row.values.forEach((v, i) => {
        const td = h('td', { class: best.has(i) ? 'num best' : 'num', title: v === null ? (row.reasons[i] ?? '') : String(v) }, f(v, 6), intervalLine(r, i, row.key));
        if (best.has(i)) append(td, h('span', { class: 'sr-only' }, ' (best)'));
        tr.append(td);
      });
      body.append(tr);
    }
    const colspan = String(r.models.length + 1);
    const foot = h(
      'tfoot',
      null,
      h('tr', null, h('td', { attrs: { colspan } }, t.params)),
      r.confidence > 0 ? h('tr', null, h('td', { class: 'muted small', attrs: { colspan } }, intervalCaption(r.confidence))) : null,
    );
    const caption = `Every metric of ${r.models.length === 1 ? 'the model' : `the ${r.models.length} models`}${r.models.length > 1 ? ', the best in bold' : ''}${r.weight ? `, weighted by “${r.weight}”` : ''}.`;
    const table = h('table', { class: 'summary class-summary' }, h('caption', null, caption), h('thead', null, head), body, foot);
    const notes = t.notes ? t.rows.flatMap((row) => row.reasons.flatMap((why, i) => (why === null ? [] : [h('li', null, nullNote(r.models[i].prediction, row.label, why))]))) : [];
    const element = h(
      'section',
      { attrs: { 'aria-labelledby': 'summary-title' } },
      h('h2', { id: 'summary-title' }, 'Summary'),
      h('p', { class: 'lead task-line' }, ...pieces(t.lead, (l) => ctx.lineLink(l), ctx.locations), ' Scores: ', scoresSentence(r)),
      // A comparison (Compare Loss) reads every file with one task and the settings' score kind: no per-file controls.
      ctx.interactive && !('compare' in r) ? taskControls((m) => ctx.post(m), ctx.settings, true) : null,
      h('div', { class: 'table-scroll' }, table),
      notes.length ? h('ul', { class: 'plain muted small null-reasons', attrs: { 'aria-label': 'Metrics not defined' } }, ...notes) : null,
    );
    return { element };
  },
};
