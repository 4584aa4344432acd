/**
 * chart.js, registered with only what the report draws, and the chart configurations of the
 * report. Every configuration is built from chart-ready data (src/core/chartData.ts) and the
 * theme at draw time, so a theme change is a rebuild.
 */
import {
  BarController,
  BarElement,
  Chart,
  ChartConfiguration,
  ChartDataset,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  LogarithmicScale,
  Plugin,
  PointElement,
  ScatterController,
  Tooltip,
  TooltipItem,
} from 'chart.js';
import type { Bar, CurveSet, Density, RowLossSeries, ScatterData, XY } from '../core/chartData';
import type { CurveKey } from '../core/losses';
import type { ParamSweep } from '../core/report';
import { h, num } from './dom';
import { Theme, withAlpha } from './theme';

Chart.register(LineController, ScatterController, BarController, LineElement, PointElement, BarElement, LinearScale, LogarithmicScale, Filler, Legend, Tooltip);

type Config = ChartConfiguration<'line' | 'bar' | 'scatter', Pt[]>;
type Pt = { x: number; y: number };

/** A vertical line across the plot area at x, with an optional label at its top. */
export interface Marker {
  x: number;
  color: string;
  dash?: number[];
  label?: string;
  /** Which side of the line the label goes (default: right, or left when it does not fit). */
  side?: 'left' | 'right';
  /** Label row from the top (0, 1, …), to keep labels of nearby lines apart. */
  row?: number;
  width?: number;
}

function markersPlugin(lines: Marker[], t: Theme): Plugin {
  return {
    id: 'markers',
    afterDatasetsDraw(chart) {
      const { ctx, chartArea: a } = chart;
      const xs = chart.scales.x;
      if (!xs) return;
      ctx.save();
      ctx.font = `${Math.max(10, t.fontSize - 2)}px ${t.fontFamily}`;
      ctx.textBaseline = 'top';
      for (const m of lines) {
        const px = xs.getPixelForValue(m.x);
        if (!Number.isFinite(px) || px < a.left - 0.5 || px > a.right + 0.5) continue;
        ctx.strokeStyle = m.color;
        ctx.lineWidth = m.width ?? 1.5;
        ctx.setLineDash(m.dash ?? []);
        ctx.beginPath();
        ctx.moveTo(px, a.top);
        ctx.lineTo(px, a.bottom);
        ctx.stroke();
        if (m.label) {
          ctx.fillStyle = m.color;
          const w = ctx.measureText(m.label).width;
          const right = m.side === 'left' ? px - 4 - w < a.left : px + 4 + w <= a.right;
          ctx.textAlign = right ? 'left' : 'right';
          ctx.fillText(m.label, right ? px + 4 : px - 4, a.top + 4 + (m.row ?? 0) * (t.fontSize + 2));
        }
      }
      ctx.restore();
    },
  };
}

/** chart.js points; a null y (a gap) becomes NaN, which chart.js skips. */
const pts = (xy: XY[]): Pt[] => xy.map((p) => ({ x: p.x, y: p.y === null ? NaN : p.y }));

/** Axis ticks are round numbers: enough digits to show them exactly, none of float noise. */
const fmt = (v: number | string) => num(Number(v), 6);

export function curveColor(t: Theme, key: CurveKey): string {
  return { l1: t.blue, l2: t.red, smoothL1: t.orange, huber: t.purple, logCosh: t.green }[key];
}

/** Dash patterns as well as colours, so the curves are told apart without colour too. */
const CURVE_DASH: Record<CurveKey, number[]> = { l1: [], l2: [], smoothL1: [], huber: [7, 4], logCosh: [2, 3] };

export function modelColor(t: Theme, i: number): string {
  return [t.blue, t.orange, t.green, t.purple, t.red, t.yellow][i % 6];
}

function axis(t: Theme, title: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'linear',
    title: { display: true, text: title, color: t.muted },
    grid: { color: t.grid },
    border: { color: t.grid },
    ticks: { color: t.muted, callback: fmt, maxTicksLimit: 9, includeBounds: false },
    ...extra,
  };
}

function base(t: Theme, legend: boolean): Record<string, unknown> {
  return {
    responsive: true,
    maintainAspectRatio: false,
    animation: false,
    color: t.foreground,
    font: { family: t.fontFamily, size: t.fontSize },
    interaction: { mode: 'nearest', axis: 'x', intersect: false },
    plugins: {
      legend: {
        display: legend,
        position: 'top',
        align: 'start',
        labels: {
          color: t.foreground,
          boxWidth: 18,
          boxHeight: 3,
          padding: 12,
          font: { family: t.fontFamily, size: t.fontSize },
          // Dataset order, not drawing order.
          sort: (a: { datasetIndex?: number }, b: { datasetIndex?: number }) => (a.datasetIndex ?? 0) - (b.datasetIndex ?? 0),
        },
      },
      tooltip: {
        backgroundColor: t.hoverBackground,
        titleColor: t.hoverForeground,
        bodyColor: t.hoverForeground,
        borderColor: t.hoverBorder,
        borderWidth: 1,
        titleFont: { family: t.fontFamily, size: t.fontSize, weight: 'bold' },
        bodyFont: { family: t.fontFamily, size: t.fontSize },
        displayColors: true,
        boxHeight: 3,
      },
    },
  };
}

function lineDataset(label: string, data: Pt[], color: string, width: number, extra: Partial<ChartDataset<'line', Pt[]>> = {}): ChartDataset<'line', Pt[]> {
  return {
    type: 'line',
    label,
    data,
    borderColor: color,
    backgroundColor: color,
    borderWidth: width,
    pointRadius: 0,
    pointHoverRadius: 3,
    pointHitRadius: 4,
    tension: 0,
    spanGaps: false,
    ...extra,
  };
}

function densityDataset(t: Theme, density: Density, label: string): ChartDataset<'bar', Pt[]> {
  return {
    type: 'bar',
    label,
    data: density.bars.map((b, i) => ({ x: b.x, y: density.shares[i] })),
    backgroundColor: withAlpha(t.foreground, t.kind.startsWith('high') ? 0.3 : 0.13),
    borderWidth: 0,
    barPercentage: 1,
    categoryPercentage: 1,
    grouped: false,
    yAxisID: 'y2',
    order: 10,
  };
}

// ---- the charts ------------------------------------------------------------------------------

export interface CurvesInput {
  set: CurveSet;
  end: number;
  markers: Marker[];
  density?: { data: Density; label: string };
  yTitle: string;
}

/** Loss (or gradient) curves against d, with the residual density drawn faintly behind. */
export function curvesConfig(t: Theme, input: CurvesInput): Config {
  const datasets: ChartDataset<'line' | 'bar', Pt[]>[] = input.set.curves.map((c) =>
    lineDataset(c.label, pts(c.points), curveColor(t, c.key), c.key === 'smoothL1' ? t.lineWidth + 1.5 : t.lineWidth, {
      borderDash: CURVE_DASH[c.key],
      // smooth L1 is the wide line under the others, so Huber (equal to it when δ = β = 1) shows.
      order: c.key === 'smoothL1' ? 2 : 1,
    }),
  );
  const scales: Record<string, unknown> = {
    x: axis(t, 'residual d = prediction − target', { min: -input.end, max: input.end, offset: false }),
    y: axis(t, input.yTitle, { min: input.set.yMin, max: input.set.yMax }),
  };
  if (input.density) {
    const top = Math.max(1e-9, ...input.density.data.shares);
    datasets.push(densityDataset(t, input.density.data, input.density.label));
    scales.y2 = {
      type: 'linear',
      position: 'right',
      min: 0,
      max: top * 1.6,
      grid: { drawOnChartArea: false, color: t.grid },
      border: { color: t.grid },
      ticks: { color: t.muted, callback: (v: number | string) => `${num(Number(v) * 100, 2)}%`, maxTicksLimit: 5 },
      title: { display: true, text: 'share of rows', color: t.muted },
    };
  }
  const options = base(t, true);
  (options.plugins as Record<string, unknown>).tooltip = {
    ...((options.plugins as Record<string, unknown>).tooltip as object),
    filter: (item: TooltipItem<'line' | 'bar'>) => item.dataset.type !== 'bar',
    callbacks: {
      title: (items: TooltipItem<'line'>[]) => (items.length ? `d = ${num(items[0].parsed.x, 4)}` : ''),
      label: (item: TooltipItem<'line'>) => `${item.dataset.label}: ${num(item.parsed.y, 4)}`,
    },
  };
  return {
    type: 'line',
    data: { datasets },
    options: { ...options, scales } as Config['options'],
    plugins: [markersPlugin(input.markers, t)],
  };
}

/** A residual histogram (counts per bin of d). */
export function histogramConfig(t: Theme, bars: Bar[], color: string, markers: Marker[]): Config {
  const lo = bars.length ? bars[0].x0 : -1;
  const hi = bars.length ? bars[bars.length - 1].x1 : 1;
  const pad = hi > lo ? 0 : 1;
  const options = base(t, false);
  (options.plugins as Record<string, unknown>).tooltip = {
    ...((options.plugins as Record<string, unknown>).tooltip as object),
    displayColors: false,
    callbacks: {
      title: (items: TooltipItem<'bar'>[]) => {
        const b = items.length ? bars[items[0].dataIndex] : undefined;
        return b ? `d from ${num(b.x0, 4)} to ${num(b.x1, 4)}` : '';
      },
      label: (item: TooltipItem<'bar'>) => `${item.parsed.y} row${item.parsed.y === 1 ? '' : 's'}`,
    },
  };
  return {
    type: 'bar',
    data: {
      datasets: [
        {
          type: 'bar',
          label: 'rows',
          data: bars.map((b) => ({ x: b.x, y: b.count })),
          backgroundColor: withAlpha(color, 0.75),
          borderColor: color,
          borderWidth: t.kind.startsWith('high') ? 1 : 0,
          barPercentage: 1,
          categoryPercentage: 1,
          grouped: false,
          minBarLength: 0,
        },
      ],
    },
    options: {
      ...options,
      interaction: { mode: 'nearest', axis: 'x', intersect: false },
      scales: {
        x: axis(t, 'residual d', { min: lo - pad, max: hi + pad, offset: false }),
        y: axis(t, 'rows', { min: 0, grace: '6%', ticks: { color: t.muted, precision: 0, callback: fmt, maxTicksLimit: 6, includeBounds: false } }),
      },
    } as Config['options'],
    plugins: [markersPlugin(markers, t)],
  };
}

/** Largest (and smallest) per-row loss along the file. */
export function rowSeriesConfig(t: Theme, s: RowLossSeries, label: string, color: string, log: boolean): Config {
  const toPt = (v: (number | null)[]) => v.map((y, i) => ({ x: s.x[i], y: y === null || (log && !(y > 0)) ? NaN : y }));
  const band = s.rowsPerPoint > 1;
  const datasets: ChartDataset<'line', Pt[]>[] = [
    lineDataset(band ? `largest ${label} of the ${s.rowsPerPoint} rows of each point` : `${label} per row`, toPt(s.max), color, Math.max(1, t.lineWidth - 0.5)),
  ];
  if (band) {
    datasets.push(
      lineDataset(`smallest ${label}`, toPt(s.min), withAlpha(color, 0.6), 1, {
        fill: { target: 0, above: withAlpha(color, 0.15), below: withAlpha(color, 0.15) },
        borderDash: [3, 3],
      }),
    );
  }
  const n = s.x.length ? s.x[s.x.length - 1] + s.rowsPerPoint - 1 : 1;
  const options = base(t, band);
  (options.plugins as Record<string, unknown>).tooltip = {
    ...((options.plugins as Record<string, unknown>).tooltip as object),
    callbacks: {
      title: (items: TooltipItem<'line'>[]) => {
        if (!items.length) return '';
        const x = items[0].parsed.x ?? 0;
        return s.rowsPerPoint > 1 ? `used rows ${x}–${x + s.rowsPerPoint - 1}` : `used row ${x}`;
      },
      label: (item: TooltipItem<'line'>) => `${item.dataset.label}: ${num(item.parsed.y, 4)}`,
    },
  };
  return {
    type: 'line',
    data: { datasets },
    options: {
      ...options,
      scales: {
        x: axis(t, 'row (used rows in file order)', { min: 1, max: Math.max(2, n), ticks: { color: t.muted, precision: 0, maxTicksLimit: 10 } }),
        y: log
          ? logAxis(t, `${label} per row (log scale)`, ...positiveRange([...s.min, ...s.max].map((v) => v ?? NaN)))
          : axis(t, `${label} per row`, { min: 0 }),
      },
    } as Config['options'],
  };
}

/**
 * Ticks and grid lines of a log axis over [lo, hi]: only powers of ten, and only every k-th
 * decade when the axis spans many (about 10 labels at most).
 */
function logAxis(t: Theme, title: string, lo: number, hi: number): Record<string, unknown> {
  const decades = lo > 0 && hi > lo ? Math.log10(hi / lo) : 1;
  const step = Math.max(1, Math.ceil(decades / 10));
  const shown = (x: number) => {
    const e = Math.log10(x);
    const r = Math.round(e);
    return Math.abs(e - r) < 1e-9 && r % step === 0;
  };
  return {
    ...axis(t, title),
    type: 'logarithmic',
    ticks: { color: t.muted, callback: (v: number | string) => (shown(Number(v)) ? num(Number(v), 1) : ''), autoSkip: false, maxRotation: 0 },
    grid: { color: (c: { tick?: { value: number } }) => (c.tick && shown(c.tick.value) ? t.grid : 'rgba(0, 0, 0, 0)') },
  };
}

function positiveRange(values: number[]): [number, number] {
  let lo = Infinity;
  let hi = 0;
  for (const v of values) {
    if (v > 0 && Number.isFinite(v)) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  }
  return lo <= hi ? [lo, hi] : [1, 10];
}

export interface ScatterSeries {
  label: string;
  data: ScatterData;
  color: string;
}

/** Predicted against target for the sample rows, with the y = x line; click a point to open its line. */
export function scatterConfig(t: Theme, series: ScatterSeries[], onPoint?: (line: number) => void): Config {
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of series) {
    if (!s.data.points.length) continue;
    lo = Math.min(lo, s.data.lo);
    hi = Math.max(hi, s.data.hi);
  }
  if (!(hi > lo)) {
    lo = 0;
    hi = 1;
  }
  const pad = (hi - lo) * 0.03;
  const small = series.reduce((n, s) => n + s.data.points.length, 0) > 800;
  const datasets: ChartDataset<'scatter' | 'line', Pt[]>[] = series.map((s) => ({
    type: 'scatter',
    label: s.label,
    data: s.data.points.map((p) => ({ x: p.x, y: p.y })),
    backgroundColor: withAlpha(s.color, 0.55),
    borderColor: s.color,
    borderWidth: t.kind.startsWith('high') ? 1 : 0,
    pointRadius: small ? 2 : 3,
    pointHoverRadius: 5,
    pointStyle: 'circle',
  }));
  datasets.push(
    lineDataset('y = x (perfect prediction)', [{ x: lo - pad, y: lo - pad }, { x: hi + pad, y: hi + pad }], t.muted, 1, {
      borderDash: [5, 4],
      pointHitRadius: 0,
      pointHoverRadius: 0,
      pointStyle: 'line',
    }),
  );
  const options = base(t, true);
  const legend = (options.plugins as Record<string, { labels: Record<string, unknown> }>).legend;
  legend.labels = { ...legend.labels, usePointStyle: true, boxHeight: 7 };
  (options.plugins as Record<string, unknown>).tooltip = {
    ...((options.plugins as Record<string, unknown>).tooltip as object),
    filter: (item: TooltipItem<'scatter'>) => item.dataset.type === 'scatter',
    callbacks: {
      title: (items: TooltipItem<'scatter'>[]) => {
        const it = items[0];
        const s = it ? series[it.datasetIndex] : undefined;
        return s ? `line ${s.data.points[it.dataIndex].line}` : '';
      },
      label: (item: TooltipItem<'scatter'>) =>
        `${item.dataset.label}: target ${num(item.parsed.x, 6)}, predicted ${num(item.parsed.y, 6)}`,
    },
  };
  return {
    type: 'scatter',
    data: { datasets },
    options: {
      ...options,
      interaction: { mode: 'nearest', intersect: true },
      onClick: (_e: unknown, els: { datasetIndex: number; index: number }[]) => {
        const el = els[0];
        const s = el ? series[el.datasetIndex] : undefined;
        if (onPoint && s) onPoint(s.data.points[el.index].line);
      },
      onHover: (e: { native: Event | null }, els: unknown[]) => {
        const c = e.native?.target;
        if (onPoint && c instanceof HTMLElement) c.style.cursor = els.length ? 'pointer' : 'default';
      },
      scales: {
        x: axis(t, 'target', { min: lo - pad, max: hi + pad }),
        y: axis(t, 'predicted', { min: lo - pad, max: hi + pad }),
      },
    } as Config['options'],
  };
}

/** smooth L1 against β and Huber against δ, over the sweep grid (log x). */
export function sweepConfig(t: Theme, sweep: ParamSweep, markers: Marker[]): Config {
  const sm = sweep.values.map((x, i) => ({ x, y: Number.isFinite(sweep.smoothL1[i]) ? sweep.smoothL1[i] : NaN }));
  const hu = sweep.values.map((x, i) => ({ x, y: Number.isFinite(sweep.huber[i]) ? sweep.huber[i] : NaN }));
  const options = base(t, true);
  (options.plugins as Record<string, unknown>).tooltip = {
    ...((options.plugins as Record<string, unknown>).tooltip as object),
    callbacks: {
      title: (items: TooltipItem<'line'>[]) => (items.length ? `β = δ = ${num(items[0].parsed.x, 3)}` : ''),
      label: (item: TooltipItem<'line'>) => `${item.dataset.label}: ${num(item.parsed.y, 4)}`,
    },
  };
  return {
    type: 'line',
    data: {
      datasets: [
        lineDataset('smooth L1 of the data, against β (left axis)', sm, t.orange, t.lineWidth, { yAxisID: 'y' }),
        lineDataset('Huber of the data, against δ (right axis)', hu, t.purple, t.lineWidth, { yAxisID: 'y2', borderDash: CURVE_DASH.huber }),
      ],
    },
    options: {
      ...options,
      scales: {
        x: logAxis(t, 'β or δ (log scale)', ...positiveRange(sweep.values)),
        y: axis(t, 'smooth L1', { min: 0 }),
        y2: { ...axis(t, 'Huber', { min: 0 }), position: 'right', grid: { drawOnChartArea: false } },
      },
    } as Config['options'],
    plugins: [markersPlugin(markers, t)],
  };
}

// ---- a chart on the page ----------------------------------------------------------------------

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
    opts: { label: string; caption?: (Node | string)[]; size?: 'normal' | 'small' | 'tall' },
  ) {
    this.canvas = h('canvas', { attrs: { role: 'img' } });
    this.caption = h('figcaption');
    this.element = h('figure', { class: `chart chart-${opts.size ?? 'normal'}` }, h('div', { class: 'chart-box' }, this.canvas), this.caption);
    this.describe(opts.label, opts.caption);
  }

  describe(label: string, caption?: (Node | string)[]): void {
    this.canvas.setAttribute('aria-label', label);
    this.canvas.textContent = label;
    if (caption) this.caption.replaceChildren(...caption);
    this.caption.hidden = !caption || caption.length === 0;
  }

  setBuild(build: (t: Theme) => Config): void {
    this.build = build;
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
