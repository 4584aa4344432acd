/**
 * The report: the sections of the report's family of losses (tasks/: regression, or a classifier's
 * report, told apart by its `task`), rendered in order from one context. Built with
 * createElement/textContent only; charts are ChartSlots drawn once the page is in the document and
 * redrawn on theme changes and when a live setting (the β being tried) changes.
 */
import type { ClassificationReport, ClassModelReport } from '../core/tasks/classification/report';
import type { MulticlassReport, MultiModelReport } from '../core/tasks/multiclass/report';
import type { ModelReport, Report } from '../core/tasks/regression/report';
import type { Locations } from '../core/fileInfo';
import { locationWord } from '../core/rows';
import type { FamilyReport, ViewSettings } from '../shared/webviewProtocol';
import type { ChartSlot } from './charts/chartSlot';
import { button, h } from './dom';
import type { Host } from './host';
import { rowMarks } from './rowMarks';
import type { ReportContext, ReportSection, SectionView } from './section';
import { CLASSIFICATION_SECTIONS } from './tasks/classification';
import { MULTICLASS_SECTIONS } from './tasks/multiclass';
import { REGRESSION_SECTIONS } from './tasks/regression';
import { readTheme, Theme } from './theme';
import type { UiStore } from './uiStore';

export interface ReportInput {
  report: FamilyReport;
  settings: ViewSettings;
  computedAt: string;
}

export class ReportView {
  readonly element: HTMLElement;
  private readonly slots: ChartSlot[] = [];
  private readonly views: SectionView[] = [];
  private theme: Theme | undefined;
  /** Counts draw() calls: a pending progressive draw stops when a newer one (or destroy) starts. */
  private generation = 0;

  constructor(input: ReportInput, host: Host, ui: UiStore, onModelChange: () => void) {
    this.element = h('div', { class: 'report' });
    // The family's sections, by the report's shape: a classifier's report says its task.
    const report = input.report;
    if ('task' in report && report.task === 'multiclass') this.render(MULTICLASS_SECTIONS, this.context<MulticlassReport, MultiModelReport>(report, input, host, ui, onModelChange));
    else if ('task' in report) this.render(CLASSIFICATION_SECTIONS, this.context<ClassificationReport, ClassModelReport>(report, input, host, ui, onModelChange));
    else this.render(REGRESSION_SECTIONS, this.context<Report, ModelReport>(report, input, host, ui, onModelChange));
  }

  private render<C extends ReportContext<unknown, unknown>>(sections: readonly ReportSection<C>[], ctx: C): void {
    for (const section of sections) {
      if (section.perModel && !ctx.model) continue;
      const view = section.render(ctx);
      if (!view) continue;
      this.views.push(view);
      this.element.append(view.element);
    }
  }

  private context<R extends { models: readonly M[] }, M>(report: R, input: ReportInput, host: Host, ui: UiStore, onModelChange: () => void): ReportContext<R, M> {
    const index = Math.min(Math.max(0, ui.state.model ?? 0), Math.max(0, report.models.length - 1));
    const model = report.models[index];
    const locations = locationWord((report as { locations?: Locations }).locations);
    const openable = host.interactive && locations === 'line';
    const openLine = (line: number) => {
      if (openable) host.postMessage({ type: 'openLine', line });
    };
    return {
      report,
      settings: input.settings,
      interactive: host.interactive,
      post: (m) => host.postMessage(m),
      ui,
      charts: {
        add: (s) => (this.slots.push(s), s),
        remove: (s) => {
          s.destroy();
          const i = this.slots.indexOf(s);
          if (i >= 0) this.slots.splice(i, 1);
        },
        redraw: (s) => {
          if (this.theme) s.draw(this.theme);
        },
      },
      rowMarks: rowMarks(),
      model: model !== undefined ? { index, model } : undefined,
      selectModel: (i) => {
        ui.update({ model: i });
        onModelChange();
      },
      setLive: (patch) => {
        ui.update(patch);
        for (const v of this.views) v.update?.();
      },
      lineLink: (line) => lineLink(openable, line, openLine),
      openLine,
      locations,
      openable,
    };
  }

  /**
   * Draws every chart; call once the element is in the document (charts size to their box). The
   * charts on screen are drawn now, the others in the tasks after, a few milliseconds at a time:
   * at 1e6 rows the page's dozen charts take a few hundred ms, and the numbers need not wait for
   * the curves below them (#20). Resolves once every chart is drawn (or a newer draw took over).
   */
  draw(): Promise<void> {
    const theme = readTheme();
    this.theme = theme;
    const generation = ++this.generation;
    const now = this.slots.filter((s) => onScreen(s.element));
    for (const s of now) s.draw(theme);
    const later = this.slots.filter((s) => !now.includes(s));
    return new Promise((resolve) => {
      const step = () => {
        if (generation !== this.generation) return resolve();
        const until = performance.now() + CHART_BUDGET_MS;
        while (later.length > 0 && performance.now() < until) {
          const s = later.shift() as ChartSlot;
          if (this.slots.includes(s)) s.draw(theme);
        }
        if (later.length > 0) setTimeout(step, 0);
        else resolve();
      };
      step();
    });
  }

  restyle(): void {
    void this.draw();
  }

  destroy(): void {
    this.generation++;
    for (const s of this.slots) s.destroy();
  }
}

/** Time given to drawing charts in one task before the page may paint (a frame is about 16 ms). */
const CHART_BUDGET_MS = 12;

/** Whether an element is (partly) in the viewport. */
function onScreen(el: Element): boolean {
  const r = el.getBoundingClientRect();
  return r.bottom > 0 && r.top < window.innerHeight;
}

/** A line number: a button that opens the line in VS Code, or plain text in a static page. */
function lineLink(interactive: boolean, line: number, open: (line: number) => void): HTMLElement {
  if (!interactive) return h('span', { class: 'line-number' }, String(line));
  const b = button(String(line), () => open(line), { link: true, title: `Open line ${line} in the editor` });
  b.setAttribute('aria-label', `Open line ${line}`);
  return b;
}
