/**
 * The report: summary, skipped rows, curves, β slider, residuals, per-row loss, scatter and
 * worst rows. Built with createElement/textContent only; charts are ChartSlots redrawn on theme
 * changes and when the β being tried changes.
 */
import { ROW_LOSS_LABEL, ROW_LOSS_MEAN } from '../core/tasks/regression/view/common';
import { curveRange, CurveRange, gradientCurves, lossCurves, rowsBeyond } from '../core/tasks/regression/view/curves';
import { EXPLOSIVE_RATIO, gradientDistribution, GradientRow } from '../core/tasks/regression/view/gradients';
import { GROUP_METRICS, groupableColumns, groupRows } from '../core/tasks/regression/view/groups';
import { histogramBars, residualDensity } from '../core/tasks/regression/view/histogram';
import { qqPlot, qqView } from '../core/tasks/regression/view/qq';
import { robustnessContrast, robustnessRows } from '../core/tasks/regression/view/robustness';
import { scatter } from '../core/tasks/regression/view/scatter';
import { rowSeries } from '../core/tasks/regression/view/series';
import { bestModels } from '../core/tasks/regression/view/summary';
import { sweepAt, sweepIndex } from '../core/tasks/regression/view/sweep';
import { CURVES, CurveKey, LossParams, MetricKey, METRICS } from '../core/tasks/regression/losses';
import { groupLabel } from '../core/format';
import type { ModelReport, Report } from '../core/tasks/regression/report';
import type { RowLossKey } from '../core/tasks/regression/losses';
import { SKIP_REASONS, SKIP_REASON_TEXT } from '../core/scanTypes';
import type { ViewSettings } from '../shared/webviewProtocol';
import { groupBarsConfig, histogramConfig } from './charts/barCharts';
import { ChartSlot } from './charts/chartSlot';
import { curveColor, Marker, modelColor } from './charts/common';
import { gradientDistConfig } from './charts/gradientChart';
import { curvesConfig, rowSeriesConfig, sweepConfig } from './charts/lineCharts';
import { qqConfig, scatterConfig } from './charts/scatterCharts';
import { append, button, h, num, percent } from './dom';
import type { Host } from './host';
import { readTheme, Theme } from './theme';
import type { UiStore } from './uiStore';

export interface ReportInput {
  report: Report;
  settings: ViewSettings;
  computedAt: string;
}

const f = num;

export class ReportView {
  readonly element: HTMLElement;
  private readonly slots: ChartSlot[] = [];
  private readonly report: Report;
  private readonly model: ModelReport;
  private readonly modelIndex: number;
  private readonly range: CurveRange;
  private theme: Theme | undefined;
  /** Parts that follow the β being tried. */
  private betaParts: (() => void)[] = [];
  /** The worst-rows table of each model and its rows (for "show the rows" links). */
  private readonly worstTables: HTMLTableElement[] = [];
  private readonly worstRowEls: HTMLTableRowElement[][] = [];

  constructor(
    private readonly input: ReportInput,
    private readonly host: Host,
    private readonly ui: UiStore,
    private readonly onModelChange: () => void,
  ) {
    this.report = input.report;
    const n = this.report.models.length;
    this.modelIndex = Math.min(Math.max(0, ui.state.model ?? 0), Math.max(0, n - 1));
    this.model = this.report.models[this.modelIndex];
    this.range = curveRange(this.report, this.modelIndex);
    this.element = h('div', { class: 'report' });
    append(
      this.element,
      this.skippedSection(),
      this.warningsSection(),
      this.settingsNote(),
      this.summarySection(),
      this.groupsSection(),
      this.model ? this.modelPicker() : null,
      this.model ? this.robustnessSection() : null,
      this.model ? this.curvesSection() : null,
      this.model ? this.gradientsSection() : null,
      this.model ? this.residualsSection() : null,
      this.model ? this.alongFileSection() : null,
      this.model ? this.worstSection() : null,
    );
  }

  /** Draws every chart; call once the element is in the document (charts size to their box). */
  draw(): void {
    this.theme = readTheme();
    for (const s of this.slots) s.draw(this.theme);
  }

  restyle(): void {
    this.draw();
  }

  destroy(): void {
    for (const s of this.slots) s.destroy();
  }

  private slot(s: ChartSlot): ChartSlot {
    this.slots.push(s);
    return s;
  }

  private redraw(s: ChartSlot): void {
    if (this.theme) s.draw(this.theme);
  }

  private openLine(line: number): void {
    this.host.postMessage({ type: 'openLine', line });
  }

  /** A line number: a button that opens the line in VS Code, or plain text in a static page. */
  private lineLink(line: number): HTMLElement {
    if (!this.host.interactive) return h('span', { class: 'line-number' }, String(line));
    const b = button(String(line), () => this.openLine(line), { link: true, title: `Open line ${line} in the editor` });
    b.setAttribute('aria-label', `Open line ${line}`);
    return b;
  }

  // ---- β in force and β being tried ----------------------------------------------------------

  private get params(): LossParams {
    return this.report.params;
  }

  /** The β being tried: the slider's, or the one in force. */
  private get triedBeta(): number {
    const b = this.ui.state.beta;
    return b !== undefined && this.model.sweep.values.length > 0 ? this.model.sweep.values[sweepIndex(this.model.sweep, b)] : this.params.beta;
  }

  private get triedParams(): LossParams {
    return { beta: this.triedBeta, delta: this.params.delta };
  }

  /** smooth L1 of the data and the quadratic share at the β being tried. */
  private atTried(): { smoothL1: number | null; share: number | null } {
    const beta = this.triedBeta;
    if (beta === this.params.beta && !(beta > 0)) return { smoothL1: this.model.metrics.smoothL1, share: 0 };
    const p = sweepAt(this.model.sweep, beta);
    if (!p) return { smoothL1: null, share: null };
    return { smoothL1: beta === this.params.beta ? this.model.metrics.smoothL1 : p.smoothL1, share: p.quadraticShare };
  }

  private setBeta(beta: number | undefined): void {
    this.ui.update({ beta });
    for (const part of this.betaParts) part();
  }

  // ---- sections -------------------------------------------------------------------------------

  private skippedSection(): HTMLElement | null {
    const r = this.report.rows;
    if (r.skipped === 0) return null;
    const list = h('ul', { class: 'skip-list' });
    for (const reason of SKIP_REASONS) {
      const n = r.skippedByReason[reason];
      if (!n) continue;
      const lines = r.firstSkippedLines[reason] ?? [];
      const li = h('li', null, h('strong', null, `${n} × `), SKIP_REASON_TEXT[reason]);
      if (lines.length) {
        append(li, ` — ${n > lines.length ? `first line${lines.length > 1 ? 's' : ''}` : lines.length > 1 ? 'lines' : 'line'} `);
        lines.forEach((l, i) => append(li, i ? ', ' : '', this.lineLink(l)));
        if (n > lines.length) append(li, `, … (${n - lines.length} more)`);
      }
      list.append(li);
    }
    return h(
      'section',
      { class: 'callout warning skipped', attrs: { 'aria-labelledby': 'skipped-title' } },
      h('h2', { id: 'skipped-title' }, `${r.skipped} of ${r.total} rows skipped (${percent(r.skipped / r.total)})`),
      h('p', null, `The losses below use the other ${r.used} rows. ${this.host.interactive ? 'Click a line number to open it.' : ''}`),
      list,
    );
  }

  private warningsSection(): HTMLElement | null {
    const w = this.report.warnings;
    if (!w.length) return null;
    return h(
      'section',
      { class: 'callout warning', attrs: { 'aria-label': 'Warnings' } },
      h('ul', { class: 'plain' }, ...w.map((x) => h('li', null, x))),
    );
  }

  private settingsNote(): HTMLElement | null {
    const s = this.input.settings;
    const p = this.params;
    if (s.beta === p.beta && s.delta === p.delta) return null;
    const note = h('p', { class: 'callout info' }, `The settings now say β = ${s.beta}, δ = ${s.delta}; this report was computed with β = ${p.beta}, δ = ${p.delta}. `);
    if (this.host.interactive) append(note, button('Recompute', () => this.host.postMessage({ type: 'rerun' }), { link: true }), ' to apply them.');
    return note;
  }

  private summarySection(): HTMLElement {
    const r = this.report;
    const multi = r.models.length > 1;
    const head = h(
      'tr',
      null,
      h('th', { attrs: { scope: 'col' } }, 'metric'),
      ...r.models.map((m, i) => h('th', { class: 'num', attrs: { scope: 'col' } }, colorDot(i), m.prediction)),
    );
    const body = h('tbody');
    for (const def of METRICS) {
      const best = new Set(bestModels(r, def.key));
      const tr = h('tr', null, h('th', { attrs: { scope: 'row' } }, h('abbr', { title: def.formula }, def.label)));
      r.models.forEach((m, i) => {
        const v = m.metrics[def.key];
        const td = h('td', { class: best.has(i) ? 'num best' : 'num', title: v === null ? 'not defined for this data' : String(v) }, f(v, 6));
        if (best.has(i)) append(td, h('span', { class: 'sr-only' }, ' (best)'));
        tr.append(td);
      });
      body.append(tr);
    }
    const cols = r.models.length + 1;
    const rowsText = `${r.rows.used} of ${r.rows.total} rows used` + (r.rows.skipped ? ` · ${r.rows.skipped} skipped` : '');
    const foot = h(
      'tfoot',
      null,
      h('tr', null, h('td', { attrs: { colspan: String(cols) } }, rowsText)),
      h(
        'tr',
        null,
        h(
          'td',
          { attrs: { colspan: String(cols) } },
          h('abbr', { title: 'smooth L1 threshold: quadratic for |d| < β, linear beyond' }, 'β'),
          ` = ${this.params.beta}${this.params.beta === 0 ? ' (plain L1)' : ''} · `,
          h('abbr', { title: 'Huber threshold: quadratic for |d| ≤ δ, linear beyond' }, 'δ'),
          ` = ${this.params.delta} · d = prediction − target`,
        ),
      ),
    );
    const table = h(
      'table',
      { class: 'summary' },
      h('caption', null, `Every loss of ${multi ? `${r.models.length} models` : 'the model'} against “${r.target}”. Hover a metric for its formula${multi ? '; bold: the best model for that metric' : ''}.`),
      h('thead', null, head),
      body,
      foot,
    );
    return h('section', { attrs: { 'aria-labelledby': 'summary-title' } }, h('h2', { id: 'summary-title' }, 'Summary'), h('div', { class: 'table-scroll' }, table));
  }

  /** Groups shown in the chart, and rows of the table before "Show all". */
  private static readonly GROUP_BARS = 30;
  private static readonly GROUP_TABLE_ROWS = 100;

  /** Every loss per value of the group-by column, worst group first, and the "Group by" control. */
  private groupsSection(): HTMLElement | null {
    const r = this.report;
    const g = r.groups;
    const interactive = this.host.interactive;
    if (!g && !interactive) return null;
    const section = h('section', { id: 'groups', attrs: { 'aria-labelledby': 'groups-title' } });
    section.append(h('h2', { id: 'groups-title' }, g ? `Where is the model bad? Losses by “${g.column}”` : 'Losses by group'));
    const controls = h('div', { class: 'controls' });
    if (interactive) {
      const cols = groupableColumns(r);
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
        this.host.postMessage({ type: 'setGroupBy', column: column ?? null });
      });
      controls.append(h('label', { attrs: { for: 'group-select' } }, 'Group by '), select);
    }
    section.append(controls);
    if (!g) {
      section.append(
        h('p', { class: 'muted' }, 'Pick a categorical column — a region, a fold, a model version — to see every loss for each of its values, with the row counts.'),
      );
      return section;
    }
    if (g.distinct === null) {
      section.append(h('p', { class: 'callout warning' }, `“${g.column}” has more than ${g.limit} distinct values, so it is not grouped: pick a categorical column.`));
      return section;
    }
    const metric = this.ui.state.groupMetric ?? 'mae';
    const metricSelect = h('select', { id: 'group-metric' });
    for (const key of GROUP_METRICS) {
      const def = METRICS.find((d) => d.key === key);
      const o = h('option', { attrs: { value: key } }, def ? def.label : key);
      o.selected = key === metric;
      metricSelect.append(o);
    }
    controls.append(h('label', { attrs: { for: 'group-metric' } }, ' Metric '), metricSelect);
    const body = h('div');
    section.append(body);
    let chartSlot = this.groupsBody(body, metric);
    if (chartSlot) this.slots.push(chartSlot);
    metricSelect.addEventListener('change', () => {
      this.ui.update({ groupMetric: metricSelect.value as MetricKey });
      const i = chartSlot ? this.slots.indexOf(chartSlot) : -1;
      if (chartSlot) chartSlot.destroy();
      if (i >= 0) this.slots.splice(i, 1);
      chartSlot = this.groupsBody(body, metricSelect.value as MetricKey);
      if (chartSlot) {
        this.slots.push(chartSlot);
        this.redraw(chartSlot);
      }
    });
    return section;
  }

  /** Fills `body` with the sentence, chart and table of the groups for one metric; returns the chart. */
  private groupsBody(body: HTMLElement, key: MetricKey): ChartSlot | null {
    const r = this.report;
    const g = r.groups;
    body.replaceChildren();
    if (!g || g.groups.length === 0) {
      body.append(h('p', { class: 'muted' }, 'No row has a value in this column.'));
      return null;
    }
    const def = METRICS.find((d) => d.key === key);
    const label = def ? def.label : key;
    const mi = this.modelIndex;
    const all = groupRows(r, key, mi);
    const worst = g.groups[all.order[0]];
    const wv = worst.metrics[mi]?.[key] ?? null;
    const lead = h('p', { class: 'lead' });
    const better = key === 'r2' ? 'smallest' : key === 'meanError' ? 'largest |bias|' : 'largest';
    append(
      lead,
      `Of the ${g.distinct} value${g.distinct === 1 ? '' : 's'} of “${g.column}”, `,
      h('strong', null, groupLabel(worst.value, 60)),
      ` has the ${better} ${label}${r.models.length > 1 ? ` of ${r.models[mi].prediction}` : ''}: `,
      h('strong', null, f(wv, 4)),
      ` over ${worst.rows} row${worst.rows === 1 ? '' : 's'}, against ${f(all.overall[mi], 4)} over all ${r.rows.used} rows.`,
    );
    body.append(lead);
    const bars = groupRows(r, key, mi, ReportView.GROUP_BARS);
    const labels = bars.order.map((i) => groupLabel(g.groups[i].value, 60));
    const rows = bars.order.map((i) => g.groups[i].rows);
    const perBar = 8 + 12 * r.models.length;
    const slot = new ChartSlot(
      (t) =>
        groupBarsConfig(t, {
          labels,
          rows,
          series: r.models.map((m, k) => ({ name: m.prediction, values: bars.values[k] })),
          metricLabel: label,
          overall: all.overall,
        }),
      {
        label: `${label} per value of ${g.column}, worst first: ${labels
          .slice(0, 5)
          .map((l, i) => `${l} ${f(bars.values[mi][i], 4)}`)
          .join(', ')}${labels.length > 5 ? ', …' : ''}`,
        caption: [
          g.groups.length > bars.order.length ? `The ${bars.order.length} values with the ${better} ${label} of ${g.groups.length}. ` : '',
          'The dashed line is the value over all rows.',
        ],
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
    const limit = ReportView.GROUP_TABLE_ROWS;
    fill(limit);
    const table = h(
      'table',
      { class: 'groups' },
      h('caption', null, `${label} per value of “${g.column}”, worst first${r.weight ? ` (weighted by “${r.weight}”)` : ''}.`),
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          h('th', { attrs: { scope: 'col' } }, g.column),
          h('th', { class: 'num', attrs: { scope: 'col' } }, 'rows'),
          ...r.models.map((m, i) => h('th', { class: 'num', attrs: { scope: 'col' } }, colorDot(i), r.models.length > 1 ? m.prediction : label)),
        ),
      ),
      tbody,
    );
    body.append(h('div', { class: 'table-scroll' }, table));
    if (g.groups.length > limit) {
      const more = button(`Show all ${g.groups.length}`, () => {
        fill(Infinity);
        more.remove();
      }, { link: true });
      body.append(more);
    }
    return slot;
  }

  private modelPicker(): HTMLElement | null {
    const models = this.report.models;
    if (models.length < 2) return null;
    const select = h('select', { id: 'model-select' });
    models.forEach((m, i) => {
      const o = h('option', { attrs: { value: String(i) } }, m.prediction);
      o.selected = i === this.modelIndex;
      select.append(o);
    });
    select.addEventListener('change', () => {
      this.ui.update({ model: Number(select.value) });
      this.onModelChange();
    });
    return h('div', { class: 'model-picker' }, h('label', { attrs: { for: 'model-select' } }, 'Model in the per-model charts and sentences: '), select);
  }

  private curvesSection(): HTMLElement {
    const m = this.model;
    const end = this.range.end;
    const density = residualDensity(this.report, this.modelIndex, end);
    const densityLabel = `residuals of ${m.prediction} (${density.source === 'all' ? 'all rows' : `sample of ${density.rows} rows`}, right axis)`;
    const beyond = rowsBeyond(m, end);

    // β panel: slider snapping to the sweep grid (which is log-spaced), readouts, "use" button.
    const sweep = m.sweep;
    const slider = h('input', {
      id: 'beta-slider',
      attrs: { type: 'range', min: '0', max: String(Math.max(0, sweep.values.length - 1)), step: '1' },
    });
    slider.disabled = sweep.values.length < 2;
    const betaOut = h('output', { class: 'big', attrs: { for: 'beta-slider' } });
    const smoothOut = h('span', { class: 'num' });
    const inForce = h('span', { class: 'muted' });
    const shareOut = h('span', { class: 'num' });
    const useBtn = this.host.interactive ? button('', () => this.host.postMessage({ type: 'setBeta', beta: this.triedBeta })) : null;
    const resetBtn = button('Back to the β in force', () => this.setBeta(undefined), { link: true });
    slider.addEventListener('input', () => this.setBeta(sweep.values[Number(slider.value)]));
    const updatePanel = () => {
      const beta = this.triedBeta;
      const at = this.atTried();
      slider.value = String(Math.max(0, sweepIndex(sweep, beta)));
      slider.setAttribute('aria-valuetext', `β = ${f(beta)}`);
      betaOut.textContent = `β = ${f(beta)}`;
      smoothOut.textContent = f(at.smoothL1, 6);
      const same = beta === this.params.beta;
      inForce.textContent = same ? ' (the β in force)' : ` (${f(m.metrics.smoothL1, 6)} at β = ${this.params.beta} in force)`;
      shareOut.textContent = at.share === null ? '—' : percent(at.share);
      if (useBtn) {
        useBtn.textContent = `Use β = ${f(beta)} as the setting`;
        useBtn.disabled = same;
        useBtn.title = same ? 'This is already the β in force' : 'Saves lossInspector.smoothL1.beta in the settings';
      }
      resetBtn.hidden = same;
    };
    this.betaParts.push(updatePanel);
    updatePanel();

    const panel = h(
      'div',
      { class: 'beta-panel' },
      h('h3', null, 'Try a smooth L1 β'),
      h('label', { class: 'slider-label', attrs: { for: 'beta-slider' } }, `β (log scale, ${f(sweep.values[0], 3)} to ${f(sweep.values[sweep.values.length - 1], 3)})`),
      slider,
      betaOut,
      h(
        'dl',
        { class: 'readout' },
        h('dt', null, 'smooth L1 of the data'),
        h('dd', null, smoothOut, inForce),
        h('dt', null, 'rows in the quadratic zone |d| < β'),
        h('dd', null, shareOut),
      ),
      h('p', { class: 'muted small' }, 'Inside ±β smooth L1 is 0.5·d²/β (like L2, small gradients near 0); beyond, it is |d| − 0.5·β (like L1, bounded gradient). The curves below follow the slider.'),
      h('div', { class: 'row-buttons' }, useBtn, resetBtn),
    );

    const sweepSlot = this.slot(
      new ChartSlot(() => sweepConfig(this.theme ?? readTheme(), sweep, this.sweepMarkers()), {
        label: `smooth L1 of ${m.prediction} against β and Huber against δ, on a log scale from ${f(sweep.values[0], 2)} to ${f(sweep.values[sweep.values.length - 1], 3)}.`,
        caption: [
          'How the data’s smooth L1 (against β) and Huber (against δ) change with the threshold. Dashed: the value in force; solid: the β being tried. Small β: smooth L1 → MAE; large β: it → MSE/(2β). Huber → δ·MAE for small δ and → MSE/2 for large δ.',
        ],
        size: 'small',
      }),
    );
    this.betaParts.push(() => this.redraw(sweepSlot));

    // Loss curves.
    const lossSlot = this.slot(new ChartSlot(() => this.lossConfig(density, densityLabel), { label: '' }));
    const lossText = h('p', { class: 'explain' });
    const describeLoss = () => {
      const beta = this.triedBeta;
      const at = this.atTried();
      lossSlot.describe(
        `Per-element loss against the residual d from −${f(end)} to ${f(end)} for L1, L2, smooth L1 (β = ${f(beta)}), Huber (δ = ${this.params.delta}) and log-cosh, with the residuals of ${m.prediction} drawn behind. 99% of its rows have |d| ≤ ${f(m.absQuantiles.p99)}.`,
      );
      lossText.replaceChildren(
        'Each curve is the loss one row adds, as a function of its residual d. The bars behind show where ',
        h('strong', null, m.prediction),
        `’s residuals lie. At β = ${f(beta)}, `,
        h('strong', null, at.share === null ? '—' : percent(at.share)),
        ` of the rows are in smooth L1’s quadratic zone (between the ±β lines), the rest in its linear zone.`,
      );
      if (beyond.count > 0) {
        const top = m.worst[0];
        append(
          lossText,
          ` ${beyond.atLeast ? 'At least ' : ''}${beyond.count} row${beyond.count > 1 ? 's' : ''} with |d| beyond ${f(end)} ${beyond.count > 1 ? 'are' : 'is'} not drawn (largest: d = ${f(top.residual)}, line `,
          this.lineLink(top.line),
          ').',
        );
      }
    };
    this.betaParts.push(() => {
      describeLoss();
      this.redraw(lossSlot);
    });
    describeLoss();

    // Gradient curves.
    const gradSlot = this.slot(new ChartSlot(() => this.gradConfig(), { label: '' }));
    const gradText = h('div', { class: 'explain' });
    const describeGrad = () => {
      const set = gradientCurves(end, this.triedParams);
      gradSlot.describe(
        `Gradient of each loss against d from −${f(end)} to ${f(end)}: L2 is 2d, L1 is ±1 with a break at 0, smooth L1 (β = ${f(this.triedBeta)}) is d/β inside ±β and ±1 outside, Huber is bounded by δ = ${this.params.delta}, log-cosh is tanh(d).`,
      );
      const top = m.worst[0];
      const parts: HTMLElement[] = [
        h(
          'p',
          null,
          'The gradient is how hard a row pulls its prediction during training. ',
          h('strong', null, 'L2'),
          '’s gradient 2d grows without bound, so the largest residuals dominate; ',
          h('strong', null, 'L1'),
          '’s is ±1 whatever the size of the error, with a break at d = 0. ',
          h('strong', null, 'smooth L1'),
          ' is d/β inside ±β and ±1 outside: bounded like L1, smooth near 0 like L2. Huber is the same shape scaled by δ; log-cosh’s tanh(d) is smooth everywhere and bounded by 1.',
        ),
      ];
      const smooth = CURVES.find((c) => c.key === 'smoothL1');
      if (top && top.residual !== 0 && smooth) {
        const p = h(
          'p',
          null,
          `Here the largest residual of ${m.prediction} (d = ${f(top.residual)}, line `,
          this.lineLink(top.line),
          `) pulls with 2|d| = ${f(2 * Math.abs(top.residual))} under L2 but with ${f(Math.abs(smooth.grad(top.residual, this.triedParams)))} under smooth L1.`,
        );
        if (set.offChart.includes('l2')) append(p, ` L2’s gradient leaves the chart: it reaches ±${f(2 * end)} at the edges.`);
        parts.push(p);
      }
      gradText.replaceChildren(...parts);
    };
    this.betaParts.push(() => {
      describeGrad();
      this.redraw(gradSlot);
    });
    describeGrad();

    return h(
      'section',
      { attrs: { 'aria-labelledby': 'curves-title' } },
      h('h2', { id: 'curves-title' }, 'Loss and gradient curves'),
      h('div', { class: 'grid-2' }, panel, sweepSlot.element),
      h(
        'div',
        { class: 'grid-2' },
        h('div', null, h('h3', null, 'Loss per row against the residual'), lossSlot.element, lossText),
        h('div', null, h('h3', null, 'Gradient against the residual'), gradSlot.element, gradText),
      ),
    );
  }

  // ---- robustness: the weight of the worst rows ----------------------------------------------

  private robustnessSection(): HTMLElement | null {
    const r = this.report;
    if (!r.models.every((m) => m.robustness)) return null;
    const n = r.rows.used;
    const m = this.model;
    const w1 = m.robustness.worst1;
    const lead = h('p', { class: 'lead' });
    const c = robustnessContrast(m);
    const who = `${w1.rows === 1 ? 'The worst row' : `The worst ${w1.rows} rows`} (${percent(w1.rows / n)} of ${n}) of ${m.prediction}`;
    const carry = w1.rows === 1 ? 'carries' : 'carry';
    if (!c) {
      lead.textContent =
        m.absQuantiles.max === 0
          ? `Every prediction of ${m.prediction} is exact: no row adds to any loss.`
          : `The shares of ${m.prediction} are not defined: its losses are not finite in double precision.`;
    } else if (c.similar) {
      append(
        lead,
        `${who} ${carry} between ${percent(c.least.worst1 as number, 0)} and ${percent(c.most.worst1 as number, 0)} of every loss: no loss is dominated by a few rows.`,
      );
    } else {
      const fall = (row: typeof c.most, verb: string) => {
        const name = METRICS.find((d) => d.key === ROW_LOSS_MEAN[row.key])?.label ?? row.label;
        return row.mean !== null && row.without1 !== null ? `${name}${verb} from ${f(row.mean)} to ${f(row.without1)}` : '';
      };
      const first = fall(c.most, ' falls');
      const second = first ? fall(c.least, '') : '';
      append(
        lead,
        `${who} ${carry} `,
        h('strong', null, `${percent(c.most.worst1 as number, 0)} of ${c.most.label}`),
        ' but only ',
        h('strong', null, `${percent(c.least.worst1 as number, 0)} of ${c.least.label}`),
        '.',
        first ? ` Without ${w1.rows === 1 ? 'it' : 'them'}, ${first}${second ? ` and ${second}` : ''}.` : '',
      );
    }
    if (c) append(lead, ' ', this.showRowsLink(this.modelIndex, w1.rows));

    // One model with nothing to share: the sentence says it all.
    const cards = !c && r.models.length === 1 ? [] : r.models.map((mm, i) => this.robustnessCard(mm, i));
    return h(
      'section',
      { attrs: { 'aria-labelledby': 'robust-title' } },
      h('h2', { id: 'robust-title' }, 'How much do the worst rows weigh?'),
      lead,
      cards.length === 0
        ? null
        : h(
            'p',
            { class: 'muted' },
            `Share of each loss’s total carried by the rows with the largest |d|: the worst 1% (dark) and the worst 10% (light, they include the 1%). L2 squares the residuals, so a few large ones can carry most of it; L1 counts them only once. Losses at β = ${this.params.beta}, δ = ${this.params.delta}.`,
          ),
      cards.length ? h('div', { class: 'robust-grid' }, ...cards) : null,
    );
  }

  private robustnessCard(m: ModelReport, i: number): HTMLElement {
    const rob = m.robustness;
    const rows = robustnessRows(m);
    if (rows.every((r) => r.worst1 === null)) {
      const why = m.absQuantiles.max === 0 ? 'Every prediction is exact: there is no loss for the worst rows to carry.' : 'The losses are not finite in double precision: shares are not defined.';
      return h('div', { class: 'robust-card' }, h('h3', null, colorDot(i), m.prediction), h('p', { class: 'muted' }, why));
    }
    const body = h('tbody');
    for (const row of rows) {
      // Widths through the CSSOM, which the CSP allows (no style attributes).
      const bar = h('div', { class: 'share-bar', attrs: { 'aria-hidden': 'true' } });
      for (const [cls, v] of [['share-10', row.worst10], ['share-1', row.worst1]] as const) {
        if (v === null) continue;
        const el = h('div', { class: cls });
        el.style.width = `${(v * 100).toFixed(2)}%`;
        bar.append(el);
      }
      const meanName = METRICS.find((d) => d.key === ROW_LOSS_MEAN[row.key]);
      body.append(
        h(
          'tr',
          { class: `loss-${row.key}` },
          h('th', { attrs: { scope: 'row' } }, h('span', { class: 'swatch', attrs: { 'aria-hidden': 'true' } }), row.label),
          h('td', { class: 'bar-cell' }, bar),
          h(
            'td',
            { class: 'num' },
            h('strong', null, row.worst1 === null ? '—' : percent(row.worst1, 0)),
            h('span', { class: 'muted' }, ` · ${row.worst10 === null ? '—' : percent(row.worst10, 0)}`),
          ),
          h(
            'td',
            { class: 'num', title: meanName ? `${meanName.label}: ${meanName.formula}` : undefined },
            f(row.mean),
            h('span', { class: 'muted' }, ' → '),
            f(row.without1),
          ),
        ),
      );
    }
    const table = h(
      'table',
      { class: 'robust' },
      h('caption', null, colorDot(i), m.prediction),
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          h('th', { attrs: { scope: 'col' } }, 'loss'),
          h('th', { class: 'bar-head', attrs: { scope: 'col' } }, h('span', { class: 'sr-only' }, 'share carried by the worst rows'), h('span', { class: 'scale', attrs: { 'aria-hidden': 'true' } }, h('span', null, '0'), h('span', null, '50%'), h('span', null, '100%'))),
          h(
            'th',
            { class: 'num', attrs: { scope: 'col' } },
            h('abbr', { title: `Share of the loss carried by the worst 1% of rows (${rob.worst1.rows} rows with |d| ≥ ${f(rob.worst1.threshold)}) and by the worst 10% (${rob.worst10.rows} rows with |d| ≥ ${f(rob.worst10.threshold)})` }, 'worst 1% · 10%'),
          ),
          h(
            'th',
            { class: 'num', attrs: { scope: 'col' } },
            h('abbr', { title: `The loss averaged over every row (MAE, MSE, smooth L1, Huber, log-cosh), then over the ${this.report.rows.used - rob.worst1.rows} rows outside the worst 1%` }, 'mean → without worst 1%'),
          ),
        ),
      ),
      body,
    );
    const note = h(
      'p',
      { class: 'muted small' },
      `Worst 1%: ${rob.worst1.rows} row${rob.worst1.rows === 1 ? '' : 's'} with |d| ≥ ${f(rob.worst1.threshold)}; worst 10%: ${rob.worst10.rows} rows with |d| ≥ ${f(rob.worst10.threshold)}. `,
      this.showRowsLink(i, rob.worst1.rows),
    );
    return h('div', { class: 'robust-card' }, h('div', { class: 'table-scroll' }, table), note);
  }

  /** A link that scrolls to the worst-rows table of a model and highlights its first `k` rows. */
  private showRowsLink(i: number, k: number): HTMLElement {
    const listed = this.report.models[i]?.worst.length ?? 0;
    const shown = Math.min(k, listed);
    const text = k <= listed ? `Show ${k === 1 ? 'this row' : `these ${k} rows`}` : `Show the ${listed} largest`;
    return button(text, () => this.showWorstRows(i, shown), { link: true, title: 'Scroll to the worst rows and highlight them' });
  }

  private showWorstRows(i: number, k: number): void {
    const table = this.worstTables[i];
    if (!table) return;
    for (const rows of this.worstRowEls) for (const tr of rows) tr.classList.remove('marked', 'flash');
    for (const tr of (this.worstRowEls[i] ?? []).slice(0, k)) {
      tr.classList.add('marked');
      void tr.offsetWidth; // restart the flash animation
      tr.classList.add('flash');
    }
    const reduce = window.matchMedia?.('(prefers-reduced-motion: reduce)').matches;
    table.scrollIntoView({ behavior: reduce ? 'auto' : 'smooth', block: 'center' });
    table.focus({ preventScroll: true });
  }

  // ---- gradient magnitude over the rows --------------------------------------------------------

  private gradientsSection(): HTMLElement | null {
    const m = this.model;
    if (!m.gradients || !m.absLogHistogram) return null;
    const labels = (): Record<RowLossKey, string> => ({
      ...ROW_LOSS_LABEL,
      smoothL1: `smooth L1 (β = ${f(this.triedBeta)})`,
      huber: `Huber (δ = ${f(this.params.delta)})`,
    });
    const dist = () => gradientDistribution(m, this.triedParams, this.params);
    if (dist().edges.length === 0) {
      // Every |d| is 0 (or below the histogram's range): nothing to draw.
      return h(
        'section',
        { attrs: { 'aria-labelledby': 'grads-title' } },
        h('h2', { id: 'grads-title' }, 'Would the gradients explode?'),
        h(
          'p',
          { class: 'lead' },
          m.absQuantiles.max === 0
            ? `Every prediction of ${m.prediction} is exact: every gradient is 0.`
            : `The residuals of ${m.prediction} are not finite in double precision: their gradients cannot be shown.`,
        ),
      );
    }
    const slot = this.slot(
      new ChartSlot(() => gradientDistConfig(this.theme ?? readTheme(), dist(), labels()), { label: '', size: 'tall' }),
    );
    const lead = h('p', { class: 'lead' });
    const tbody = h('tbody');
    const update = () => {
      const d = dist();
      const names = labels();
      const by = (k: RowLossKey) => d.losses.find((l) => l.key === k) as GradientRow;
      // The sentence.
      const big = d.losses.filter((l) => l.stats.ratio !== null && l.stats.ratio >= EXPLOSIVE_RATIO).sort((a, b) => (b.stats.ratio as number) - (a.stats.ratio as number));
      const parts: (Node | string)[] = [];
      if (by('l2').stats.median === 0) {
        parts.push(
          h('strong', null, `At least half of the rows of ${m.prediction} are predicted exactly`),
          ', so the median gradient is 0 for every loss: the few rows with an error steer every update.',
        );
      } else if (big.length) {
        const top = big[0];
        parts.push(
          h('strong', null, `${top.label}’s largest gradient is ${f(top.stats.ratio, 3)}× its median`),
          ` (${f(top.stats.max, 4)} against ${f(top.stats.median, 3)}): a few rows dominate the updates.`,
        );
        // A bounded loss can still have a large ratio: when most rows sit in its quadratic zone.
        const why = (l: GradientRow) =>
          l.key === 'smoothL1'
            ? `at β = ${f(this.triedBeta)} most rows are in its quadratic zone, where it acts like L2`
            : l.key === 'huber'
              ? `at δ = ${f(this.params.delta)} most rows are in its quadratic zone, where it acts like L2`
              : '';
        if (why(top)) parts.push(` For ${top.label}, ${why(top)}.`);
        for (const l of big.slice(1)) parts.push(` ${l.label}’s is ${f(l.stats.ratio, 3)}×${why(l) ? ` (${why(l)})` : ''}.`);
        const caps: string[] = [];
        if (!big.includes(by('smoothL1'))) caps.push('smooth L1 at 1');
        if (!big.includes(by('huber'))) caps.push(`Huber at δ = ${f(this.params.delta)}`);
        if (!big.includes(by('logCosh'))) caps.push('log-cosh at 1');
        if (caps.length) parts.push(` Bounded losses cap it: ${caps.join(', ')}${big.includes(by('l1')) ? '' : '; L1 pulls every row with 1'}.`);
      } else {
        const l2 = by('l2');
        parts.push(
          `No loss’s largest gradient is ${EXPLOSIVE_RATIO}× its median or more${l2.stats.ratio !== null ? ` (L2: ${f(l2.stats.ratio, 3)}×)` : ''}: no row of ${m.prediction} dominates the updates.`,
        );
      }
      lead.replaceChildren(...parts);
      // The table.
      tbody.replaceChildren(
        ...d.losses.map((l) => {
          const big = l.stats.ratio !== null && l.stats.ratio >= EXPLOSIVE_RATIO;
          return h(
            'tr',
            { class: `loss-${l.key}` },
            h('th', { attrs: { scope: 'row' } }, h('span', { class: 'swatch', attrs: { 'aria-hidden': 'true' } }), names[l.key]),
            h('td', { class: 'num' }, f(l.stats.median, 4)),
            h('td', { class: 'num' }, f(l.stats.p99, 4)),
            h('td', { class: 'num' }, f(l.stats.max, 4)),
            h('td', { class: big ? 'num ratio-big' : 'num' }, l.stats.ratio === null ? '—' : `${f(l.stats.ratio, 3)}×`, big ? h('span', { class: 'sr-only' }, ' (large)') : null),
          );
        }),
      );
      const range = d.edges.length ? `from ${f(d.edges[0], 2)} to ${f(d.edges[d.edges.length - 1], 3)}` : '';
      const belowNote =
        d.belowRows > 0
          ? ` ${d.belowRows} row${d.belowRows === 1 ? '' : 's'} with |d| < ${f(d.belowAbs, 2)} (exact predictions included) ${d.belowRows === 1 ? 'is' : 'are'} left of the chart (L1’s gradient is 0 at d = 0).`
          : '';
      slot.describe(
        `Distribution of the per-row gradient magnitude of ${m.prediction} for ${d.losses.map((l) => names[l.key]).join(', ')}, on a log scale ${range}. ` +
          d.losses.map((l) => `${names[l.key]}: median ${f(l.stats.median, 3)}, largest ${f(l.stats.max, 4)}`).join('; ') +
          '.',
        [
          `Share of the ${d.rows} rows of ${m.prediction} per gradient bin (quarter octaves), one row per loss with its own scale; dashed: the median, solid: the largest. Derived from the |d| histogram, each |d| mapped to its gradient; the smooth L1 row follows the β being tried.${belowNote}`,
        ],
      );
    };
    update();
    this.betaParts.push(() => {
      update();
      this.redraw(slot);
    });
    const table = h(
      'table',
      { class: 'grads' },
      h('caption', null, `Gradient magnitude |∂loss/∂prediction| over the rows of ${m.prediction}`),
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          h('th', { attrs: { scope: 'col' } }, 'loss'),
          h('th', { class: 'num', attrs: { scope: 'col' } }, 'median'),
          h('th', { class: 'num', attrs: { scope: 'col' } }, h('abbr', { title: '99th percentile: 1% of the rows pull harder' }, 'p99')),
          h('th', { class: 'num', attrs: { scope: 'col' } }, 'max'),
          h('th', { class: 'num', attrs: { scope: 'col' } }, h('abbr', { title: 'The explosion ratio: the largest gradient over the median one' }, 'max ÷ median')),
        ),
      ),
      tbody,
    );
    return h(
      'section',
      { attrs: { 'aria-labelledby': 'grads-title' } },
      h('h2', { id: 'grads-title' }, 'Would the gradients explode?'),
      lead,
      h(
        'div',
        { class: 'grid-2' },
        slot.element,
        h(
          'div',
          null,
          h('div', { class: 'table-scroll' }, table),
          h(
            'p',
            { class: 'muted' },
            'A row’s gradient is how hard it pulls its prediction during training: L2 2|d|, L1 1, smooth L1 min(|d|/β, 1), Huber min(|d|, δ), log-cosh |tanh d|. When the largest is many times the median, a handful of rows steer each update — clip the gradients, or use a loss that bounds them.',
          ),
        ),
      ),
    );
  }

  private betaMarkers(t: Theme, p: LossParams, withDelta: boolean): Marker[] {
    const out: Marker[] = [];
    const end = this.range.end;
    const same = withDelta && p.delta === p.beta;
    if (p.beta > 0 && p.beta < end) {
      out.push(
        { x: -p.beta, color: t.orange, dash: [4, 3], label: same ? '−β = −δ' : '−β', side: 'left' },
        { x: p.beta, color: t.orange, dash: [4, 3], label: same ? 'β = δ' : 'β', side: 'right' },
      );
    }
    if (withDelta && !same && p.delta < end) {
      // δ labels sit on the other side of their line from β's when δ is the larger one.
      const out_ = p.delta > p.beta;
      out.push(
        { x: -p.delta, color: t.purple, dash: [2, 3], label: '−δ', side: out_ ? 'left' : 'right', row: 1 },
        { x: p.delta, color: t.purple, dash: [2, 3], label: 'δ', side: out_ ? 'right' : 'left', row: 1 },
      );
    }
    return out;
  }

  private lossConfig(density: ReturnType<typeof residualDensity>, label: string) {
    const t = this.theme ?? readTheme();
    const p = this.triedParams;
    return curvesConfig(t, {
      set: lossCurves(this.range.end, p),
      end: this.range.end,
      markers: this.betaMarkers(t, p, true),
      density: density.rows > 0 ? { data: density, label } : undefined,
      yTitle: 'loss of one row',
    });
  }

  private gradConfig() {
    const t = this.theme ?? readTheme();
    const p = this.triedParams;
    return curvesConfig(t, { set: gradientCurves(this.range.end, p), end: this.range.end, markers: this.betaMarkers(t, p, true), yTitle: 'd loss / d prediction' });
  }

  private sweepMarkers(): Marker[] {
    const t = this.theme ?? readTheme();
    const out: Marker[] = [];
    const p = this.params;
    const tried = this.triedBeta;
    // Labels of the β in force and the β being tried go on their outer sides, apart.
    const triedLeft = tried < p.beta;
    if (p.beta > 0) out.push({ x: p.beta, color: t.orange, dash: [4, 3], label: 'β in force', side: triedLeft ? 'right' : 'left' });
    if (tried !== p.beta) out.push({ x: tried, color: t.orange, width: 2, label: `trying β = ${f(tried, 3)}`, side: triedLeft ? 'left' : 'right' });
    out.push({ x: p.delta, color: t.purple, dash: [2, 3], label: 'δ in force', row: 1, side: p.delta < p.beta ? 'left' : 'right' });
    return out;
  }

  private residualsSection(): HTMLElement {
    const figs = this.report.models.map((m, i) => {
      const q = m.absQuantiles;
      const bias = m.metrics.meanError;
      const biasText = bias === null ? '' : ` Mean error ${f(bias)}${bias > 0 ? ' (over-predicts on average)' : bias < 0 ? ' (under-predicts on average)' : ''}.`;
      const summary = `Median |d| ${f(q.p50)}, 90% of rows within ±${f(q.p90)}, 99% within ±${f(q.p99)}, largest |d| ${f(q.max)}.${biasText}`;
      const full = histogramBars(m.histogram);
      // With huge outliers the equal bins over [min, max] put nearly every row in one bin: show
      // the central part (the curves' range), binned from the sample, with a switch to the full range.
      const range = curveRange(this.report, i);
      const zoom = range.clipped ? residualDensity(this.report, i, range.end, 50) : undefined;
      let zoomed = zoom !== undefined;
      const zero = (t: Theme): Marker[] => [{ x: 0, color: t.muted, dash: [3, 3], label: 'd = 0' }];
      const slot = this.slot(
        new ChartSlot(() => {
          const t = this.theme ?? readTheme();
          return histogramConfig(t, zoomed && zoom ? zoom.bars : full, modelColor(t, i), zero(t));
        }, { label: '', size: 'small' }),
      );
      const toggle = zoom ? button('', () => ((zoomed = !zoomed), describe(), this.redraw(slot)), { link: true }) : null;
      const describe = () => {
        if (zoomed && zoom) {
          const beyond = rowsBeyond(m, range.end);
          const src = zoom.source === 'all' ? 'all rows' : `a sample of ${zoom.rows} rows`;
          slot.describe(`Histogram of the residuals of ${m.prediction} between −${f(range.end)} and ${f(range.end)} (${src}). ${summary}`, [
            `Zoomed to ±${f(range.end)} (${src}); ${beyond.atLeast ? 'at least ' : ''}${beyond.count} row${beyond.count === 1 ? '' : 's'} with larger |d| not drawn. ${summary}`,
          ]);
        } else {
          slot.describe(`Histogram of the residuals of ${m.prediction} in ${full.length} bins from ${f(m.histogram.min)} to ${f(m.histogram.max)}. ${summary}`, [summary]);
        }
        if (toggle) toggle.textContent = zoomed ? 'Show the full range' : `Zoom to ±${f(range.end)}`;
      };
      describe();
      return h('div', null, h('div', { class: 'fig-head' }, h('h3', null, colorDot(i), m.prediction), toggle), slot.element);
    });
    return h(
      'section',
      { attrs: { 'aria-labelledby': 'residuals-title' } },
      h('h2', { id: 'residuals-title' }, 'Residuals'),
      h('p', { class: 'muted' }, `Histograms of d = prediction − target (${this.report.models[0].histogram.counts.length} equal bins from the smallest to the largest d, or zoomed in when a few huge residuals would squash the rest).`),
      h('div', { class: 'grid-auto' }, ...figs),
      this.qqPart(),
    );
  }

  /** Normal Q-Q plot of the selected model's residuals, with what it shows in words. */
  private qqPart(): HTMLElement | null {
    const m = this.model;
    const i = this.modelIndex;
    const qq = qqPlot(this.report, i);
    if (qq.points.length < 3) return null;
    const src = qq.source === 'all' ? `all ${qq.rows} rows` : `a sample of ${qq.rows} of the ${this.report.rows.used} rows`;
    const view = qqView(qq);
    const full = { lo: Math.min(qq.points[0].y, view.lo), hi: Math.max(qq.points[qq.points.length - 1].y, view.hi) };
    let zoomed = view.clipped;
    const slot = this.slot(
      new ChartSlot(
        () => {
          const t = this.theme ?? readTheme();
          const v = zoomed ? view : { lo: full.lo - (full.hi - full.lo) * 0.04, hi: full.hi + (full.hi - full.lo) * 0.04 };
          return qqConfig(t, qq, v, `residuals of ${m.prediction}`, modelColor(t, i), this.host.interactive ? (line) => this.openLine(line) : undefined);
        },
        { label: '' },
      ),
    );
    const toggle = view.clipped ? button('', () => ((zoomed = !zoomed), describe(), this.redraw(slot)), { link: true }) : null;
    const describe = () => {
      const beyond = zoomed && view.outside > 0 ? ` ${view.outside} point${view.outside === 1 ? '' : 's'} beyond the view ${view.outside === 1 ? 'sits' : 'sit'} on its edge (triangles).` : '';
      slot.describe(
        `Normal Q-Q plot of the residuals of ${m.prediction} (${src}): sorted residuals against standard normal quantiles, with the line through the quartiles (slope ${f(qq.slope, 3)}).${beyond}`,
        [`${src[0].toUpperCase()}${src.slice(1)}: the i-th smallest d against Φ⁻¹((i − 0.5)/${qq.rows}).${beyond}${this.host.interactive ? ' Click a point to open its line.' : ''}`],
      );
      if (toggle) toggle.textContent = zoomed ? 'Show the full range' : 'Zoom to the body';
    };
    describe();
    const findings: HTMLElement[] = [];
    const sigma = `σ̂ = ${f(qq.slope, 3)}`;
    if (qq.extreme && qq.slope > 0 && qq.extreme.sigmas > Math.max(4, 1.5 * qq.normalReach)) {
      findings.push(
        h(
          'p',
          null,
          // Far beyond a normal sample's reach: outliers; somewhat beyond: the end of a heavy tail.
          h('strong', null, qq.extreme.sigmas > 3 * qq.normalReach ? 'Outliers. ' : 'Extremes. '),
          `The most extreme residual, d = ${f(qq.extreme.d)} (line `,
          this.lineLink(qq.extreme.line),
          `), is ${f(qq.extreme.sigmas, 3)} σ̂ from the median; the largest of ${qq.rows} normal residuals would be about ${f(qq.normalReach, 2)} σ̂ away.`,
        ),
      );
    }
    if (qq.tailRatio !== null) {
      const r = qq.tailRatio;
      const text =
        r > 1.25
          ? [h('strong', null, 'Heavy tails. '), `Between the 1st and 99th percentiles the residuals spread ${f(r, 2)}× as far as normal ones with the same quartiles would: large errors are more common than a normal model of the noise expects, and they carry much of L2 (see above).`]
          : r < 0.8
            ? [h('strong', null, 'Light tails. '), `Between the 1st and 99th percentiles the residuals spread only ${f(r, 2)}× as far as normal ones with the same quartiles would: the errors are bounded more tightly than normal noise.`]
            : [h('strong', null, 'Close to normal in the body. '), `Between the 1st and 99th percentiles the residuals follow the line (spread ${f(r, 2)}× the normal one).`];
      findings.unshift(h('p', null, ...text));
    }
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
          `Each point is a residual, sorted, placed against where it would sit if the residuals were normal. The dashed line runs through the quartiles; its slope ${sigma} is a robust standard deviation. Points on the line: normal residuals, for which L2 (MSE) is the natural loss. Ends bending away from it (down at the left, up at the right): heavier tails than normal, where smooth L1 or Huber are less swayed by the few large errors. One end bending away: skewed errors.`,
        ),
      ),
    );
  }

  private alongFileSection(): HTMLElement {
    const m = this.model;
    const lossKey: CurveKey = this.ui.state.lossKey ?? 'smoothL1';
    const select = h('select', { id: 'loss-select' });
    for (const c of CURVES) {
      const o = h('option', { attrs: { value: c.key } }, c.label);
      o.selected = c.key === lossKey;
      select.append(o);
    }
    const log = h('input', { id: 'row-log', attrs: { type: 'checkbox' } });
    log.checked = this.ui.state.rowLog ?? false;
    const key = () => (this.ui.state.lossKey ?? 'smoothL1') as CurveKey;
    const label = () => {
      const k = key();
      const c = CURVES.find((x) => x.key === k) ?? CURVES[0];
      return k === 'smoothL1' ? `smooth L1 (β = ${f(this.triedBeta)})` : k === 'huber' ? `Huber (δ = ${this.params.delta})` : c.label;
    };
    const per = m.series.rowsPerPoint;
    const rowSlot = this.slot(
      new ChartSlot(
        () => {
          const t = this.theme ?? readTheme();
          return rowSeriesConfig(t, rowSeries(m.series, key(), this.triedParams), label(), curveColor(t, key()), this.ui.state.rowLog ?? false);
        },
        { label: '' },
      ),
    );
    const describe = () =>
      rowSlot.describe(
        `Per-row ${label()} of ${m.prediction} along the file, ${m.series.maxAbs.length} points${per > 1 ? ` of ${per} rows each` : ''}.`,
        [
          per > 1
            ? `Each point covers ${per} consecutive used rows: the line is the largest loss among them, the band goes down to the smallest. `
            : 'Each point is one used row, in file order. ',
          'Spikes are rows worth a look; the worst ones are listed below.',
        ],
      );
    describe();
    select.addEventListener('change', () => {
      this.ui.update({ lossKey: select.value as CurveKey });
      describe();
      this.redraw(rowSlot);
    });
    log.addEventListener('change', () => {
      this.ui.update({ rowLog: log.checked });
      this.redraw(rowSlot);
    });
    this.betaParts.push(() => {
      if (key() === 'smoothL1') {
        describe();
        this.redraw(rowSlot);
      }
    });

    const r = this.report;
    const n = r.sample.lines.length;
    const sc = this.slot(
      new ChartSlot(
        () => {
          const t = this.theme ?? readTheme();
          return scatterConfig(
            t,
            r.models.map((mm, i) => ({ label: mm.prediction, data: scatter(r, i), color: modelColor(t, i) })),
            this.host.interactive ? (line) => this.openLine(line) : undefined,
          );
        },
        {
          label: `Predicted against target for ${n === r.rows.used ? `all ${n}` : `a sample of ${n} of the ${r.rows.used}`} rows, ${r.models.length} model${r.models.length > 1 ? 's' : ''}, with the line y = x.`,
          caption: [
            `${n === r.rows.used ? `All ${n} used rows` : `A deterministic sample of ${n} of the ${r.rows.used} used rows`}. Points on the dashed line y = x are perfect predictions; above it the model over-predicts.${this.host.interactive ? ' Click a point to open its line.' : ''}${scatterOutside(r)}`,
          ],
        },
      ),
    );

    return h(
      'section',
      { attrs: { 'aria-labelledby': 'file-title' } },
      h('h2', { id: 'file-title' }, 'Along the file'),
      h(
        'div',
        { class: 'grid-2' },
        h(
          'div',
          null,
          h('h3', null, `Per-row loss of ${m.prediction}`),
          h(
            'div',
            { class: 'controls' },
            h('label', { attrs: { for: 'loss-select' } }, 'Loss '),
            select,
            h('label', { class: 'check', attrs: { for: 'row-log' } }, log, ' log scale'),
          ),
          rowSlot.element,
        ),
        h('div', null, h('h3', null, 'Predicted against target'), sc.element),
      ),
    );
  }

  private worstSection(): HTMLElement {
    const tables = this.report.models.map((m, i) => {
      const body = h('tbody');
      const rowEls: HTMLTableRowElement[] = [];
      this.worstRowEls[i] = rowEls;
      for (const w of m.worst) {
        const tr = h(
          'tr',
          { class: this.host.interactive ? 'clickable' : undefined },
          h('td', { class: 'num' }, this.lineLink(w.line)),
          h('td', { class: 'num', title: String(w.target) }, f(w.target, 6)),
          h('td', { class: 'num', title: String(w.prediction) }, f(w.prediction, 6)),
          h('td', { class: 'num', title: String(w.residual) }, f(w.residual, 6)),
        );
        if (this.host.interactive) {
          tr.addEventListener('click', (e) => {
            if (!(e.target instanceof HTMLButtonElement)) this.openLine(w.line);
          });
        }
        body.append(tr);
        rowEls.push(tr);
      }
      const table = h(
        'table',
        { class: 'worst', attrs: { tabindex: '-1' } },
        h('caption', null, colorDot(i), `${m.prediction}: ${m.worst.length} largest |d|`),
        h(
          'thead',
          null,
          h(
            'tr',
            null,
            h('th', { class: 'num', attrs: { scope: 'col' } }, 'line'),
            h('th', { class: 'num', attrs: { scope: 'col' } }, `target (${this.report.target})`),
            h('th', { class: 'num', attrs: { scope: 'col' } }, 'prediction'),
            h('th', { class: 'num', attrs: { scope: 'col' } }, h('abbr', { title: 'd = prediction − target' }, 'residual d')),
          ),
        ),
        body,
      );
      this.worstTables[i] = table;
      return h('div', { class: 'table-scroll' }, table);
    });
    return h(
      'section',
      { attrs: { 'aria-labelledby': 'worst-title' } },
      h('h2', { id: 'worst-title' }, 'Worst rows'),
      this.host.interactive ? h('p', { class: 'muted' }, 'Click a row (or its line number) to open it in the editor.') : null,
      h('div', { class: 'grid-auto' }, ...tables),
    );
  }
}

/** The note on predictions left outside the scatter's view. */
function scatterOutside(r: Report): string {
  const parts = r.models.flatMap((m, i) => {
    const n = scatter(r, i).outside;
    return n ? [`${n} of ${m.prediction}`] : [];
  });
  return parts.length ? ` Wild predictions outside the view: ${parts.join(', ')}.` : '';
}

/** A small square in the model's chart colour (the colour comes from CSS classes, per index). */
function colorDot(i: number): HTMLElement {
  return h('span', { class: `dot model-${i % 6}`, attrs: { 'aria-hidden': 'true' } });
}
