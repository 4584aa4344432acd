/**
 * A classifier's metrics (binary or multiclass) per value of the group-by column, worst first,
 * with the "Group by" control.
 */
import { ClassifierMetricDef, CLASS_METRICS, groupOrderBy } from '../../core/tasks/classification/view';
import { MULTI_CLASS_METRICS } from '../../core/tasks/multiclass/view';
import { groupLabel } from '../../core/format';
import { groupableColumns } from '../../core/tasks/regression/view/groups';
import { groupBarsConfig } from '../charts/barCharts';
import { ChartSlot } from '../charts/chartSlot';
import { button, colorDot, h, num as f } from '../dom';
import type { UiState } from '../host';
import type { ClassifierContext, ClassifierSection } from '../section';

const GROUP_BARS = 30;
const GROUP_TABLE_ROWS = 100;

/** The task's metrics, as the groups hold them. */
type Defs = readonly ClassifierMetricDef<string>[];
const defsOf = (ctx: ClassifierContext): Defs => (ctx.report.task === 'binary' ? CLASS_METRICS : MULTI_CLASS_METRICS);

export const classGroups: ClassifierSection = {
  id: 'class-groups',
  render(ctx) {
    const r = ctx.report;
    const g = r.groups;
    // A comparison (Compare Loss) is grouped by the setting lossInspector.columns.groupBy only: no Group by control.
    const control = ctx.interactive && !('compare' in r);
    if (!g && !control) return null;
    const section = h('section', { id: 'groups', attrs: { 'aria-labelledby': 'groups-title' } });
    section.append(h('h2', { id: 'groups-title' }, g ? `Where is the model bad? Metrics by “${g.column}”` : 'Metrics by group'));
    const controls = h('div', { class: 'controls' });
    if (control) controls.append(...groupBySelect(ctx));
    section.append(controls);
    if (!g) {
      section.append(h('p', { class: 'muted' }, 'Pick a categorical column — a region, a fold, a model version — to see every metric for each of its values, with the row counts.'));
      return { element: section };
    }
    if (g.distinct === null) {
      section.append(h('p', { class: 'callout warning' }, `“${g.column}” has more than ${g.limit} distinct values, so it is not grouped: pick a categorical column.`));
      return { element: section };
    }
    const defs = defsOf(ctx);
    const kept = ctx.ui.state.classGroupMetric;
    const metric = defs.some((d) => d.key === kept) && kept !== undefined ? kept : 'logLoss';
    const metricSelect = h('select', { id: 'group-metric' });
    for (const { key, label } of defs) {
      const o = h('option', { attrs: { value: key } }, label);
      o.selected = key === metric;
      metricSelect.append(o);
    }
    controls.append(h('label', { attrs: { for: 'group-metric' } }, ' Metric '), metricSelect);
    const body = h('div');
    section.append(body);
    let chart = groupsBody(ctx, body, defs, metric);
    ctx.charts.add(chart);
    metricSelect.addEventListener('change', () => {
      const def = defs.find((d) => d.key === metricSelect.value);
      const key = def ? def.key : 'logLoss';
      ctx.ui.update({ classGroupMetric: def ? (def.key as NonNullable<UiState['classGroupMetric']>) : undefined });
      ctx.charts.remove(chart);
      chart = groupsBody(ctx, body, defs, key);
      ctx.charts.add(chart);
      ctx.charts.redraw(chart);
    });
    return { element: section };
  },
};

function groupBySelect(ctx: ClassifierContext): HTMLElement[] {
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

/** Fills `body` with the chart and the table of the groups for one metric; returns the chart. */
function groupsBody(ctx: ClassifierContext, body: HTMLElement, defs: Defs, key: string): ChartSlot {
  const r = ctx.report;
  const g = r.groups;
  const gs: readonly { value: string; rows: number; metrics: readonly Record<string, number | null>[] }[] = g?.groups ?? [];
  const overall: readonly Record<string, number | null>[] = r.models.map((m) => m.metrics);
  body.replaceChildren();
  const mi = ctx.model?.index ?? 0;
  const order = groupOrderBy(gs, defs, key, mi);
  const name = defs.find((d) => d.key === key)?.label ?? key;
  const shown = order.slice(0, GROUP_BARS);
  const labels = shown.map((i) => groupLabel(gs[i].value, 60));
  const slot = new ChartSlot(
    (t) =>
      groupBarsConfig(t, {
        labels,
        rows: shown.map((i) => gs[i].rows),
        series: r.models.map((m, k) => ({ name: m.prediction, values: shown.map((i) => gs[i].metrics[k]?.[key] ?? null) })),
        metricLabel: name,
        overall: overall.map((m) => m[key] ?? null),
      }),
    { label: `${name} per value of ${g?.column ?? ''}, worst first${gs.length > GROUP_BARS ? ` (the worst ${GROUP_BARS} of ${gs.length})` : ''}`, height: 70 + (8 + 12 * r.models.length) * Math.max(2, labels.length) },
  );
  body.append(slot.element);
  const tbody = h('tbody');
  const fill = (limit: number) => {
    tbody.replaceChildren();
    for (const i of order.slice(0, limit)) {
      const grp = gs[i];
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
    h('th', { attrs: { scope: 'col' } }, g?.column ?? ''),
    h('th', { class: 'num', attrs: { scope: 'col' } }, 'rows'),
    ...r.models.map((m, i) => h('th', { class: 'num', attrs: { scope: 'col' } }, colorDot(i), r.models.length > 1 ? m.prediction : name)),
  );
  const caption = `${name} per value of “${g?.column ?? ''}”, worst first${r.weight ? ` (weighted by “${r.weight}”)` : ''}.`;
  body.append(h('div', { class: 'table-scroll' }, h('table', { class: 'groups' }, h('caption', null, caption), h('thead', null, head), tbody)));
  if (gs.length > GROUP_TABLE_ROWS) {
    const more = button(`Show all ${gs.length}`, () => {
      fill(Infinity);
      more.remove();
    }, { link: true });
    body.append(more);
  }
  return slot;
}
