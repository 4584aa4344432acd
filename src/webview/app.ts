/**
 * The report page: header with the actions, the status (running with a progress bar, error,
 * cancelled) and the report view. A running recomputation keeps the previous report on screen
 * greyed out, inert and labelled as out of date, never as if it were current.
 */
import { compareTitle } from '../core/compare/plan';
import type { CompareReport } from '../core/compare/report';
import type { ChosenReading, ViewState } from '../shared/webviewProtocol';
import { append, button, formatBytes, h, percent } from './dom';
import type { Host } from './host';
import { ReportView } from './reportView';
import { taskControls } from './taskControl';
import { LogView } from './log/logView';
import { observeTheme } from './theme';
import { markRun } from './timings';
import { UiStore } from './uiStore';

type DoneState = Extract<ViewState, { status: 'done' }>;

export class App {
  private state: ViewState | undefined;
  /** The last finished report, shown (greyed) while a recomputation of the same file runs. */
  private lastDone: DoneState | undefined;
  private view: ReportView | undefined;
  /** Settles when the shown report's charts are all drawn (see ReportView.draw). */
  private chartsDrawn: Promise<void> | undefined;
  private progressBar: { bar: HTMLElement; fill: HTMLElement; text: HTMLElement } | undefined;
  private readonly ui: UiStore;
  /** A training log's report (#17), and its smoothing slider's weight across live updates. */
  private logView: LogView | undefined;
  private logWeight: number | undefined;

  constructor(
    private readonly root: HTMLElement,
    private readonly host: Host,
  ) {
    this.ui = new UiStore(host);
    observeTheme(() => {
      this.view?.restyle();
      this.logView?.draw();
    });
    this.renderWaiting();
  }

  setState(state: ViewState): void {
    const received = Date.now();
    if (state.uri !== this.state?.uri) this.logWeight = undefined;
    this.state = state;
    this.ui.forFile(state.file, state.uri, state.comparison === true, state.runs);
    if (state.status === 'done') this.lastDone = state;
    this.render();
    if (state.status === 'done') markRun(state.timings, received, Date.now(), this.chartsDrawn);
  }

  progress(done: number, total: number): void {
    if (this.state?.status !== 'running') return;
    this.state = { ...this.state, done, total };
    this.updateProgress(done, total);
  }

  private renderWaiting(): void {
    this.root.replaceChildren(h('p', { class: 'muted waiting', attrs: { role: 'status' } }, 'Waiting for the report…'));
  }

  private render(): void {
    const s = this.state;
    if (!s) return this.renderWaiting();
    const focusId = document.activeElement instanceof HTMLElement ? document.activeElement.id : '';
    const scroll = window.scrollY;
    this.view?.destroy();
    this.view = undefined;
    this.logView?.destroy();
    this.logView = undefined;
    this.progressBar = undefined;
    if (s.status === 'log') {
      // A training log (#17): its own view; live updates keep the scroll position and the slider.
      const view = new LogView(s.report, this.host, s.live, this.logWeight, (w) => (this.logWeight = w));
      this.logView = view;
      this.root.replaceChildren(this.header(s), view.element);
      view.draw();
      window.scrollTo(0, scroll);
      if (focusId) document.getElementById(focusId)?.focus();
      return;
    }

    const previous = this.lastDone && this.lastDone.file === s.file && s.status !== 'done' && s.status !== 'error' ? this.lastDone : undefined;
    const shown = s.status === 'done' ? s : previous;
    const children: (Node | null)[] = [this.header(s)];

    if (s.status === 'running') children.push(this.runningBanner(previous));
    if (s.status === 'error') children.push(this.errorBanner(s));
    if (s.status === 'cancelled') children.push(this.cancelledBanner(s, previous));

    if (shown) {
      const view = new ReportView(shown, this.host, this.ui, () => this.render());
      this.view = view;
      if (s.status !== 'done') {
        view.element.classList.add('stale');
        view.element.inert = true;
        view.element.setAttribute('aria-hidden', 'true');
      }
      children.push(view.element);
    }
    this.root.replaceChildren(...children.filter((c): c is Node => c !== null));
    this.chartsDrawn = this.view?.draw();
    if (s.status === 'running') this.updateProgress(s.done, s.total);
    window.scrollTo(0, scroll);
    if (focusId) document.getElementById(focusId)?.focus();
  }

  private header(s: ViewState): HTMLElement {
    // A comparison's report is of its first file: the header names every file (by its base name, as the panel's title does).
    const baseOf = (f: string) => f.split(/[\\/]/).pop() || f;
    const file = s.status === 'done' ? ('compare' in s.report ? compareTitle((s.report as CompareReport).compare.files.map(baseOf)) : s.report.file) : s.file;
    const name = baseOf(file);
    const title = h('h1', null, h('span', { class: 'app-name' }, 'Loss Inspector'), ' ', h('span', { class: 'file-name', title: file }, name));
    const meta = h('p', { class: 'meta' });
    // Figures of a report only in the header of that report, never above a running computation.
    if (s.status === 'done') {
      const r = s.report;
      const parts = [
        r.format.toUpperCase(),
        !('task' in r) ? `target “${r.target}”` : r.task === 'binary' ? `binary label “${r.target}”, positive “${r.positive}”` : `multiclass label “${r.target}”, ${r.classes.length} classes`,
        ...(r.weight ? [`weighted by “${r.weight}”`] : []),
        `${r.models.length} model${r.models.length > 1 ? 's' : ''}`,
        `${r.rows.used} of ${r.rows.total} rows used`,
        ...(!('task' in r)
          ? [`β = ${r.params.beta}`, `δ = ${r.params.delta}`]
          : r.task === 'binary'
            ? [`threshold ${r.params.threshold}`, `γ = ${r.params.gamma}`, `α = ${r.params.alpha}`]
            : [`γ = ${r.params.gamma}`, ...(r.params.labelSmoothing > 0 ? [`label smoothing ${r.params.labelSmoothing}`] : [])]),
      ];
      const when = formatTime(s.computedAt);
      if (when) parts.push(`computed ${when}`);
      meta.textContent = parts.join(' · ');
      if (file !== name) meta.title = file;
    } else if (file !== name) {
      meta.textContent = file;
    }
    const actions = h('div', { class: 'actions', attrs: { role: 'toolbar', 'aria-label': 'Report actions' } });
    if (this.host.interactive) {
      if (s.status === 'done') {
        append(
          actions,
          button('Copy summary as Markdown', () => this.host.postMessage({ type: 'copyMarkdown' }), { secondary: true }),
          // No SQL for a comparison: its models are several files joined, not columns of one file.
          ...(('task' in s.report && s.report.task !== 'binary' && s.report.task !== 'multiclass') || s.report.format === 'arrow' || 'compare' in s.report
            ? []
            : [button('Copy as SQL', () => this.host.postMessage({ type: 'copySql' }), { secondary: true, title: 'The same metrics as one DuckDB statement over this file, to run where the data is too big for one machine' })]),
          button('Save report as JSON', () => this.host.postMessage({ type: 'saveJson' }), { secondary: true }),
          button('Save as HTML', () => this.host.postMessage({ type: 'saveHtml' }), { secondary: true, title: 'One self-contained HTML file that works offline in any browser' }),
        );
      }
      const rerun = button(s.status === 'running' ? 'Computing…' : 'Recompute', () => this.host.postMessage({ type: 'rerun' }), {
        title: 'Read the file again with the current settings',
      });
      rerun.disabled = s.status === 'running';
      actions.append(rerun);
    }
    return h('header', { class: 'page-header' }, h('div', { class: 'titles' }, title, meta), actions);
  }

  private runningBanner(previous: DoneState | undefined): HTMLElement {
    const fill = h('div', { class: 'progress-fill' });
    const bar = h('div', { class: 'progress', attrs: { role: 'progressbar', 'aria-label': 'Bytes read', 'aria-valuemin': '0' } }, fill);
    const text = h('span', { class: 'progress-text' });
    this.progressBar = { bar, fill, text };
    const when = previous ? formatTime(previous.computedAt) : '';
    const note = previous
      ? h('p', { class: 'stale-label' }, `The report below is from the previous run${when ? ` (${when})` : ''} and is out of date until this one finishes.`)
      : null;
    return h('section', { class: 'callout running', attrs: { 'aria-live': 'polite' } }, h('h2', null, previous ? 'Recomputing…' : 'Computing…'), bar, text, note);
  }

  private updateProgress(done: number, total: number): void {
    const p = this.progressBar;
    if (!p) return;
    if (total > 0) {
      const share = Math.min(1, Math.max(0, done / total));
      p.fill.style.width = `${(share * 100).toFixed(1)}%`;
      p.bar.classList.remove('indeterminate');
      p.bar.setAttribute('aria-valuemax', String(total));
      p.bar.setAttribute('aria-valuenow', String(Math.min(done, total)));
      p.bar.setAttribute('aria-valuetext', `${formatBytes(done)} of ${formatBytes(total)}`);
      p.text.textContent = `${formatBytes(done)} of ${formatBytes(total)} read (${percent(share, 0)})`;
    } else {
      p.fill.style.width = '';
      p.bar.classList.add('indeterminate');
      p.bar.removeAttribute('aria-valuenow');
      p.text.textContent = done > 0 ? `${formatBytes(done)} read` : 'Starting…';
    }
  }

  private errorBanner(s: Extract<ViewState, { status: 'error' }>): HTMLElement {
    return h(
      'section',
      { class: 'callout error', attrs: { role: 'alert' } },
      h('h2', null, 'The losses could not be computed'),
      h('p', { class: 'error-message' }, s.message),
      this.chosenControls(s),
      this.host.interactive ? h('div', { class: 'row-buttons' }, button('Recompute', () => this.host.postMessage({ type: 'rerun' }))) : null,
    );
  }

  private cancelledBanner(s: Extract<ViewState, { status: 'cancelled' }>, previous: DoneState | undefined): HTMLElement {
    return h(
      'section',
      { class: 'callout info', attrs: { role: 'status' } },
      h('h2', null, 'Cancelled'),
      h(
        'p',
        null,
        'The computation was cancelled before it finished; no new report was made.',
        previous ? ` The report below is the previous one${formatTime(previous.computedAt) ? ` (${formatTime(previous.computedAt)})` : ''}.` : '',
      ),
      this.chosenControls(s),
      this.host.interactive ? h('div', { class: 'row-buttons' }, button('Recompute', () => this.host.postMessage({ type: 'rerun' }))) : null,
    );
  }

  /**
   * The Task and Scores controls on an error or a cancelled run after they were used: that
   * choice may be what failed (a three-class label read as binary, a column pick dismissed), and
   * the report below, if any, is inert.
   */
  private chosenControls(s: ChosenReading): HTMLElement | null {
    if (!this.host.interactive || (s.task === undefined && s.scores === undefined)) return null;
    return taskControls((m) => this.host.postMessage(m), s, true, '-retry');
  }
}

function formatTime(iso: string): string {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : d.toLocaleString();
}
