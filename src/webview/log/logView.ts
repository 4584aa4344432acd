/**
 * A training log's report (#17): how the run ends, where it diverged, a chart per family of
 * series (losses of one quantity together, the metrics, the learning rate) with TensorBoard's
 * smoothing under a slider, and each series' minimum, last value, best step and first non-finite
 * value, every line one click from the file. Several runs are overlaid, a colour per run.
 */
import type { LogChart, LogSeriesReport, TrainingLogReport, AnyLogReport } from '../../core/trainingLog/report';
import { runsOf } from '../../core/trainingLog/report';
import { clampWeight, smoothPoints } from '../../core/trainingLog/smoothing';
import { at, divergedSentence, endSentence, gapSentence, kindSentence, spikesSentence, xWord } from '../../core/trainingLog/words';
import { skippedIntro, skippedReason, skippedTitle } from '../../core/tasks/regression/words';
import { SKIP_REASON_TEXT, SKIP_REASONS } from '../../core/scanTypes';
import { ChartSlot } from '../charts/chartSlot';
import { DrawnSeries, logChartConfig } from '../charts/logCharts';
import { button, h, num } from '../dom';
import type { Host } from '../host';
import { readTheme, Theme } from '../theme';
import { pieces } from '../words';

export class LogView {
  readonly element: HTMLElement;
  private readonly slots: { slot: ChartSlot; update: () => void }[] = [];
  private weight: number;
  private theme: Theme | undefined;
  private readonly runs: TrainingLogReport[];

  constructor(
    report: AnyLogReport,
    private readonly host: Host,
    live: boolean,
    /** The slider's weight kept by the page across live updates (undefined: the report's). */
    weight: number | undefined,
    private readonly onWeight: (w: number) => void,
  ) {
    this.runs = runsOf(report);
    const first = this.runs[0];
    this.weight = weight ?? first.params.smoothing;
    this.element = h('div', { class: 'report training-log' });
    const multi = this.runs.length > 1;
    const intro = h('section', { attrs: { 'aria-labelledby': 'log-title' } }, h('h2', { id: 'log-title' }, multi ? `Training logs: ${this.runs.length} runs` : 'Training log'));
    for (const r of this.runs) {
      const p = (s: string) => h('p', null, multi ? h('strong', null, `${r.run}: `) : null, s);
      intro.append(p(kindSentence(r)));
      if (r.end) intro.append(h('p', { class: 'end-of-run' }, multi ? h('strong', null, `${r.run}: `) : null, endSentence(r.end, r.x.kind)));
    }
    if (live) intro.append(h('p', { class: 'muted', attrs: { role: 'status' } }, 'Live: the report follows the file as the run writes it (only the appended bytes are read).'));
    this.element.append(intro);
    this.element.append(...this.notices());
    this.element.append(this.slider());
    for (const chart of this.chartList()) this.element.append(this.chart(chart));
    this.element.append(this.table());
  }

  private lineLink(run: number, line: number): HTMLElement {
    if (!this.host.interactive) return h('span', { class: 'line-number' }, String(line));
    const b = button(String(line), () => this.open(run, line), { link: true, title: `Open line ${line} in the editor` });
    b.setAttribute('aria-label', `Open line ${line}`);
    return b;
  }

  private open(run: number, line: number): void {
    this.host.postMessage(run === 0 ? { type: 'openLine', line } : { type: 'openRunLine', run, line });
  }

  /** Divergence, spikes and the skipped records, with their lines. */
  private notices(): HTMLElement[] {
    const out: HTMLElement[] = [];
    this.runs.forEach((r, ri) => {
      const link = (line: number) => this.lineLink(ri, line);
      const prefix = this.runs.length > 1 ? h('strong', null, `${r.run}: `) : null;
      const diverged = r.series.map((s) => divergedSentence(s, r.x.kind)).filter((p) => p !== null);
      if (diverged.length) out.push(h('section', { class: 'callout warning', attrs: { role: 'note' } }, ...diverged.map((p) => h('p', null, prefix, ...pieces(p, link)))));
      const spikes = r.series.map((s) => spikesSentence(s, r.x.kind, r.params.spikeK)).filter((p) => p !== null);
      const warnings = r.warnings;
      if (spikes.length || warnings.length) {
        out.push(h('section', { class: 'callout info' }, ...spikes.map((p) => h('p', null, prefix, ...pieces(p, link))), ...warnings.map((w) => h('p', null, prefix, w))));
      }
      if (r.rows.skipped > 0) {
        const items = SKIP_REASONS.filter((k) => r.rows.skippedByReason[k]).map((k) =>
          h('li', null, ...pieces(skippedReason(r.rows.skippedByReason[k] ?? 0, SKIP_REASON_TEXT[k], r.rows.firstSkippedLines[k] ?? []), link)),
        );
        out.push(h('section', { class: 'callout warning' }, h('h2', null, prefix, skippedTitle(r.rows).replace('rows', 'records')), h('p', null, skippedIntro(r.rows, this.host.interactive).replace('losses', 'series').replace('rows', 'records')), h('ul', null, ...items)));
      }
    });
    return out;
  }

  private slider(): HTMLElement {
    const input = h('input', { id: 'log-smoothing', attrs: { type: 'range', min: '0', max: '0.999', step: '0.001', value: String(this.weight) } });
    const out = h('output', { attrs: { for: 'log-smoothing' } }, String(this.weight));
    input.addEventListener('input', () => {
      this.weight = clampWeight(Number(input.value));
      out.textContent = String(this.weight);
      this.onWeight(this.weight);
      for (const s of this.slots) s.update();
    });
    return h(
      'section',
      { class: 'controls log-smoothing' },
      h('label', { class: 'slider-label', attrs: { for: 'log-smoothing' } }, "Smoothing (TensorBoard's debiased exponential moving average; the values are drawn faintly behind)"),
      input,
      out,
    );
  }

  /** The charts of every run, by title (a quantity's losses, Metrics, Learning rate), in the first run's order. */
  private chartList(): { title: string; role: LogChart['role']; series: { run: number; s: LogSeriesReport }[] }[] {
    const list: { title: string; role: LogChart['role']; series: { run: number; s: LogSeriesReport }[] }[] = [];
    this.runs.forEach((r, ri) => {
      for (const c of r.charts) {
        let e = list.find((x) => x.title === c.title && x.role === c.role);
        if (!e) list.push((e = { title: c.title, role: c.role, series: [] }));
        for (const name of c.series) {
          const s = r.series.find((x) => x.name === name);
          if (s) e.series.push({ run: ri, s });
        }
      }
    });
    return list;
  }

  private chart(c: ReturnType<LogView['chartList']>[number]): HTMLElement {
    const multi = this.runs.length > 1;
    const r0 = this.runs[0];
    const drawn = (): DrawnSeries[] =>
      c.series.map(({ run, s }, k) => ({
        label: multi ? `${this.runs[run].run} · ${s.name}` : s.name,
        series: s,
        smoothed: s.constant ? s.points.y : smoothPoints(s.points.mean, s.points.count, this.weight),
        color: multi ? run : k,
        dashed: s.phase === 'val',
      }));
    const xTitle = r0.x.column ?? xWord(r0.x.kind);
    const title = c.role === 'loss' ? `${c.title} (loss)` : c.title;
    const slot = new ChartSlot(
      (t) => logChartConfig(t, drawn(), xTitle, c.title, (d, i) => {
        const { run, s } = c.series[d];
        this.open(run, s.points.line[i]);
      }),
      { label: `${title}: ${c.series.map((x) => x.s.name).join(', ')} against ${xTitle}`, caption: this.captionOf(c) },
    );
    this.slots.push({ slot, update: () => this.theme && slot.draw(this.theme) });
    return h('section', null, h('h3', null, title), slot.element);
  }

  private captionOf(c: ReturnType<LogView['chartList']>[number]): (Node | string)[] {
    const out: (Node | string)[] = [];
    this.runs.forEach((r) => {
      for (const g of r.gaps) if (c.series.some((x) => x.s.name === g.val && this.runs[x.run] === r)) out.push(h('span', { class: 'gap' }, (this.runs.length > 1 ? `${r.run}: ` : '') + gapSentence(g, r.x.kind) + ' '));
    });
    if (this.host.interactive) out.push('Click a point to open its line.');
    return out;
  }

  private table(): HTMLElement {
    const multi = this.runs.length > 1;
    const head = h('tr', null, ...(multi ? [h('th', null, 'run')] : []), ...['series', 'min', 'at', 'line', 'last', 'best (validation)', 'first non-finite', 'spikes'].map((x) => h('th', null, x)));
    const rows: HTMLElement[] = [];
    this.runs.forEach((r, ri) => {
      for (const s of r.series) {
        const link = (line: number) => this.lineLink(ri, line);
        rows.push(
          h(
            'tr',
            null,
            ...(multi ? [h('td', null, r.run)] : []),
            h('th', { attrs: { scope: 'row' } }, s.name),
            h('td', null, s.min ? num(s.min.value, 6) : '—'),
            h('td', null, s.min ? at(r.x.kind, s.min.step) : ''),
            h('td', null, s.min ? link(s.min.line) : ''),
            h('td', null, s.last ? `${num(s.last.value, 6)} at ${at(r.x.kind, s.last.step)}` : '—'),
            h('td', null, s.phase === 'val' && s.best ? h('span', null, `${num(s.best.value, 6)} at ${at(r.x.kind, s.best.step)} (line `, link(s.best.line), ')') : ''),
            h('td', null, s.firstNonFinite ? h('span', null, `${s.firstNonFinite.value} at ${at(r.x.kind, s.firstNonFinite.step)} (line `, link(s.firstNonFinite.line), ')') : '—'),
            h('td', null, String(s.spikeCount)),
          ),
        );
      }
    });
    const table = h('table', { class: 'log-series' }, h('caption', null, 'Every series: its minimum and where, its last finite value, a validation series’ best value, the first NaN or infinite value, the spikes.'), h('thead', null, head), h('tbody', null, ...rows));
    return h('section', { attrs: { 'aria-labelledby': 'log-series-title' } }, h('h2', { id: 'log-series-title' }, 'Series'), h('div', { class: 'table-scroll' }, table));
  }

  /** Draws the charts; call once the element is in the document. */
  draw(): void {
    this.theme = readTheme();
    for (const s of this.slots) s.slot.draw(this.theme);
  }

  destroy(): void {
    for (const s of this.slots) s.slot.destroy();
  }
}
