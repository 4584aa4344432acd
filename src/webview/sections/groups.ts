/** Every loss per value of the group-by column, worst group first, and the "Group by" control. */
import { groupLabel } from '../../core/format';
import { METRICS } from '../../core/tasks/regression/losses';
import { GroupMetricKey, groupableColumns, groupMetricsFor, groupRows } from '../../core/tasks/regression/view/groups';
import { VARIANCE_METRICS } from '../../core/tasks/regression/variance';
import { groupsChartText, groupsLead, worstWord } from '../../core/tasks/regression/words';
import { groupBarsConfig } from '../charts/barCharts';
import { ChartSlot } from '../charts/chartSlot';
import { button, colorDot, h, num as f } from '../dom';
import type { ReportContext, ReportSection } from '../section';
import { pieces } from '../words';
import { groupQuantilesView } from './groupQuantiles';

/** Groups shown in the chart, and rows of the table before "Show all". */
const GROUP_BARS = 30;
const GROUP_TABLE_ROWS = 100;

export const groups: ReportSection = {
  id: 'groups',
  render(ctx) {
    const r = ctx.report;
    const g = r.groups;
    // A comparison (Compare Loss) is grouped by the setting lossInspector.columns.groupBy only: no Group by control.
    const control = ctx.interactive && !('compare' in r);
    if (!g && !control) return null;
    const section = h('section', { id: 'groups', attrs: { 'aria-labelledby': 'groups-title' } });
    section.append(h('h2', { id: 'groups-title' }, g ? `Where is the model bad? Losses by “${g.column}”` : 'Losses by group'));
    const controls = h('div', { class: 'controls' });
    if (control) controls.append(...groupBySelect(ctx));
    section.append(controls);
    if (!g) {
      section.append(h('p', { class: 'muted' }, 'Pick a categorical column — a region, a fold, a model version — to see every loss for each of its values, with the row counts.'));
      return { element: section };
    }
    if (g.distinct === null) {
      section.append(h('p', { class: 'callout warning' }, `“${g.column}” has more than ${g.limit} distinct values, so it is not grouped: pick a categorical column.`));
      return { element: section };
    }
    const offered = groupMetricsFor(ctx.report);
    const metric = ctx.ui.state.groupMetric !== undefined && offered.includes(ctx.ui.state.groupMetric) ? ctx.ui.state.groupMetric : 'mae';
    const metricSelect = h('select', { id: 'group-metric' });
    for (const key of offered) {
      const def = [...METRICS, ...VARIANCE_METRICS].find((d) => d.key === key);
      const o = h('option', { attrs: { value: key } }, def ? def.label : key);
      o.selected = key === metric;
      metricSelect.append(o);
    }
    controls.append(h('label', { attrs: { for: 'group-metric' } }, ' Metric '), metricSelect);
    const body = h('div');
    section.append(body);
    let chart = groupsBody(ctx, body, metric);
    if (chart) ctx.charts.add(chart);
    const quantiles = groupQuantilesView(ctx.report, GROUP_TABLE_ROWS);
    if (quantiles) section.append(quantiles);
    metricSelect.addEventListener('change', () => {
      ctx.ui.update({ groupMetric: metricSelect.value as GroupMetricKey });
      if (chart) ctx.charts.remove(chart);
      chart = groupsBody(ctx, body, metricSelect.value as GroupMetricKey);
      if (chart) {
        ctx.charts.add(chart);
        ctx.charts.redraw(chart);
      }
    });
    return { element: section };
  },
};

/** The "Group by" label and select: asks the host to recompute grouped by another column. */
function groupBySelect(ctx: ReportContext): HTMLElement[] {
  const g = ctx.report.groups;
  const cols = groupableColumns(ctx.report);
  const select = h('select', { id: 'group-select' });
  select.append(h('option', { attrs: { value: '' } }, '(none)'));
  cols.forEach((c, i) => {
    const o = h('option', { attrs: { value: String(i) } }, groupLabel(c, 60));
    o.selected = g?.column === c;
    select.append(o);
  });
  select.disabled = cols.length === 0;
  select.addEventListener('change', () => {
    const column = select.value === '' ? null : cols[Number(select.value)];
    ctx.post({ type: 'setGroupBy', column: column ?? null });
  });
  return [h('label', { attrs: { for: 'group-select' } }, 'Group by '), select];
}

/** Fills `body` with the sentence, chart and table of the groups for one metric; returns the chart. */
function groupsBody(ctx: ReportContext, body: HTMLElement, key: GroupMetricKey): ChartSlot | null {
  const r = ctx.report;
  const g = r.groups;
  body.replaceChildren();
  const mi = ctx.model?.index ?? 0;
  const lead = groupsLead(r, key, mi);
  if (!g || !lead) {
    body.append(h('p', { class: 'muted' }, 'No row has a value in this column.'));
    return null;
  }
  const label = [...METRICS, ...VARIANCE_METRICS].find((d) => d.key === key)?.label ?? key;
  const all = groupRows(r, key, mi);
  body.append(h('p', { class: 'lead' }, ...pieces(lead, (l) => ctx.lineLink(l), ctx.locations)));
  const bars = groupRows(r, key, mi, GROUP_BARS);
  const labels = bars.order.map((i) => groupLabel(g.groups[i].value, 60));
  const rows = bars.order.map((i) => g.groups[i].rows);
  const perBar = 8 + 12 * r.models.length;
  const slot = new ChartSlot(
    (t) => groupBarsConfig(t, { labels, rows, series: r.models.map((m, k) => ({ name: m.prediction, values: bars.values[k] })), metricLabel: label, overall: all.overall }),
    {
      ...groupsChartText({ column: g.column, metric: label, worst: worstWord(key), labels, values: bars.values[mi], groups: g.groups.length }),
      height: 70 + perBar * Math.max(2, labels.length),
    },
  );
  body.append(slot.element);

  const tbody = h('tbody');
  const fill = (limit: number) => {
    tbody.replaceChildren();
    for (const i of all.order.slice(0, limit)) {
      const grp = g.groups[i];
      tbody.append(
        h(
          'tr',
          null,
          h('th', { attrs: { scope: 'row' }, title: grp.value }, groupLabel(grp.value, 60)),
          h('td', { class: 'num' }, String(grp.rows)),
          ...r.models.map((_, m) => {
            const v = grp.metrics[m]?.[key] ?? null;
            return h('td', { class: 'num', title: v === null ? 'not defined for this group' : String(v) }, f(v, 6));
          }),
        ),
      );
    }
  };
  fill(GROUP_TABLE_ROWS);
  const head = h(
    'tr',
    null,
    h('th', { attrs: { scope: 'col' } }, g.column),
    h('th', { class: 'num', attrs: { scope: 'col' } }, 'rows'),
    ...r.models.map((m, i) => h('th', { class: 'num', attrs: { scope: 'col' } }, colorDot(i), r.models.length > 1 ? m.prediction : label)),
  );
  const caption = `${label} per value of “${g.column}”, worst first${r.weight ? ` (weighted by “${r.weight}”)` : ''}.`;
  body.append(h('div', { class: 'table-scroll' }, h('table', { class: 'groups' }, h('caption', null, caption), h('thead', null, head), tbody)));
  if (g.groups.length > GROUP_TABLE_ROWS) {
    const more = button(`Show all ${g.groups.length}`, () => {
      fill(Infinity);
      more.remove();
    }, { link: true });
    body.append(more);
  }
  return slot;
}
