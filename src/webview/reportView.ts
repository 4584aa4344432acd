/**
 * The report: the sections of the report's family of losses (tasks/), rendered in order from one
 * context. Built with createElement/textContent only; charts are ChartSlots drawn once the page is
 * in the document and redrawn on theme changes and when a live setting (the β being tried) changes.
 */
import type { Report } from '../core/tasks/regression/report';
import type { ViewSettings } from '../shared/webviewProtocol';
import type { ChartSlot } from './charts/chartSlot';
import { button, h } from './dom';
import type { Host } from './host';
import { rowMarks } from './rowMarks';
import type { ReportContext, ReportSection, SectionView } from './section';
import { REGRESSION_SECTIONS } from './tasks/regression';
import { readTheme, Theme } from './theme';
import type { UiStore } from './uiStore';

export interface ReportInput {
  report: Report;
  settings: ViewSettings;
  computedAt: string;
}

/** The sections of a report's family (regression is the only family so far). */
function sectionsFor(_report: Report): readonly ReportSection[] {
  return REGRESSION_SECTIONS;
}

export class ReportView {
  readonly element: HTMLElement;
  private readonly slots: ChartSlot[] = [];
  private readonly views: SectionView[] = [];
  private theme: Theme | undefined;

  constructor(input: ReportInput, host: Host, ui: UiStore, onModelChange: () => void) {
    const report = input.report;
    const index = Math.min(Math.max(0, ui.state.model ?? 0), Math.max(0, report.models.length - 1));
    const model = report.models[index];
    const openLine = (line: number) => host.postMessage({ type: 'openLine', line });
    const ctx: ReportContext = {
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
      model: model ? { index, model } : undefined,
      selectModel: (i) => {
        ui.update({ model: i });
        onModelChange();
      },
      setLive: (patch) => {
        ui.update(patch);
        for (const v of this.views) v.update?.();
      },
      lineLink: (line) => lineLink(host.interactive, line, openLine),
      openLine,
    };
    this.element = h('div', { class: 'report' });
    for (const section of sectionsFor(report)) {
      if (section.perModel && !ctx.model) continue;
      const view = section.render(ctx);
      if (!view) continue;
      this.views.push(view);
      this.element.append(view.element);
    }
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
}

/** A line number: a button that opens the line in VS Code, or plain text in a static page. */
function lineLink(interactive: boolean, line: number, open: (line: number) => void): HTMLElement {
  if (!interactive) return h('span', { class: 'line-number' }, String(line));
  const b = button(String(line), () => open(line), { link: true, title: `Open line ${line} in the editor` });
  b.setAttribute('aria-label', `Open line ${line}`);
  return b;
}
