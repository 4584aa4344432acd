/**
 * chart.js, registered with only what the report draws, and the chart on the page. Every
 * configuration is built from chart-ready data (src/core/tasks/regression/view/) and the theme
 * at draw time, so a theme change is a rebuild.
 */
import {
  BarController,
  BarElement,
  Chart,
  ChartConfiguration,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  LogarithmicScale,
  PointElement,
  ScatterController,
  Tooltip,
} from 'chart.js';
import { h } from '../dom';
import type { Theme } from '../theme';
import type { Config } from './common';

Chart.register(LineController, ScatterController, BarController, LineElement, PointElement, BarElement, LinearScale, LogarithmicScale, Filler, Legend, Tooltip);

/**
 * A chart in a <figure> with a caption. The canvas has role="img", an aria-label with a short
 * text summary, and the same text as fallback content. `draw` (re)builds it for a theme.
 */
export class ChartSlot {
  readonly element: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly caption: HTMLElement;
  private chart: Chart | undefined;

  constructor(
    private build: (t: Theme) => Config,
    opts: { label: string; caption?: (Node | string)[]; size?: 'normal' | 'small' | 'tall'; height?: number },
  ) {
    this.canvas = h('canvas', { attrs: { role: 'img' } });
    this.caption = h('figcaption');
    const box = h('div', { class: 'chart-box' }, this.canvas);
    // Through the CSSOM, which the CSP allows (no style attributes).
    if (opts.height) box.style.height = `${Math.round(opts.height)}px`;
    this.element = h('figure', { class: `chart chart-${opts.size ?? 'normal'}` }, box, this.caption);
    this.describe(opts.label, opts.caption);
  }

  describe(label: string, caption?: (Node | string)[]): void {
    this.canvas.setAttribute('aria-label', label);
    this.canvas.textContent = label;
    if (caption) this.caption.replaceChildren(...caption);
    this.caption.hidden = !caption || caption.length === 0;
  }

  draw(t: Theme): void {
    this.chart?.destroy();
    // chart.js reads the fallback text as nothing; the aria-label is what assistive tech reads.
    this.chart = new Chart(this.canvas, this.build(t) as ChartConfiguration);
  }

  destroy(): void {
    this.chart?.destroy();
    this.chart = undefined;
  }
}
