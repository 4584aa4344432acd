/**
 * chart.js, registered with only what the report draws, and the chart configurations of the
 * report. Every configuration is built from chart-ready data (src/core/tasks/regression/view/) and the
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
import type { XY } from '../core/tasks/regression/view/common';
import type { CurveSet } from '../core/tasks/regression/view/curves';
import type { GradientDistribution } from '../core/tasks/regression/view/gradients';
import type { Bar, Density } from '../core/tasks/regression/view/histogram';
import type { QQData } from '../core/tasks/regression/view/qq';
import type { ScatterData } from '../core/tasks/regression/view/scatter';
import type { RowLossSeries } from '../core/tasks/regression/view/series';
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

/** base() for charts of points: point-style legend, tooltips only on the scatter datasets. */
function scatterBase(t: Theme, callbacks: Record<string, unknown>): Record<string, unknown> {
  const options = base(t, true);
  const plugins = options.plugins as Record<string, unknown>;
  const legend = plugins.legend as { labels: Record<string, unknown> };
  legend.labels = { ...legend.labels, usePointStyle: true, boxHeight: 7 };
  plugins.tooltip = {
    ...(plugins.tooltip as object),
    filter: (item: TooltipItem<'scatter'>) => item.dataset.type === 'scatter',
    callbacks,
  };
  return options;
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
  const options = scatterBase(t, {
    title: (items: TooltipItem<'scatter'>[]) => {
      const it = items[0];
      const s = it ? series[it.datasetIndex] : undefined;
      return s ? `line ${s.data.points[it.dataIndex].line}` : '';
    },
    label: (item: TooltipItem<'scatter'>) =>
      `${item.dataset.label}: target ${num(item.parsed.x, 6)}, predicted ${num(item.parsed.y, 6)}`,
  });
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

/**
 * Gradient magnitude over the rows: one small histogram per loss, stacked on a shared log x axis
 * (share of the rows per bin, each row with its own y scale), with the median (dashed) and the
 * largest gradient (solid) of each loss marked in its row.
 */
export function gradientDistConfig(t: Theme, dist: GradientDistribution, labels: Record<string, string>): Config {
  const nb = dist.edges.length - 1;
  // The x range: the bins that hold rows, for any loss.
  let first = nb;
  let last = -1;
  for (const l of dist.losses) {
    l.counts.forEach((c, i) => {
      if (c > 0) {
        first = Math.min(first, i);
        last = Math.max(last, i);
      }
    });
  }
  if (last < 0) {
    first = 0;
    last = Math.max(0, nb - 1);
  }
  const lo = dist.edges[first] ?? 0.1;
  const hi = dist.edges[last + 1] ?? 10;
  const rows = Math.max(1, dist.rows);
  const ids = dist.losses.map((_, k) => `y${k}`);
  const datasets: ChartDataset<'line', Pt[]>[] = dist.losses.map((l, k) => {
    const color = curveColor(t, l.key);
    const data: Pt[] = [];
    for (let i = first; i <= last; i++) data.push({ x: dist.edges[i], y: l.counts[i] / rows });
    data.push({ x: dist.edges[last + 1], y: l.counts[last] / rows });
    return lineDataset(labels[l.key] ?? l.label, data, color, Math.max(1, t.lineWidth - 0.5), {
      yAxisID: ids[k],
      stepped: 'after',
      fill: 'origin',
      backgroundColor: withAlpha(color, t.kind.startsWith('high') ? 0.5 : 0.3),
      pointHoverRadius: 0,
    });
  });
  const scales: Record<string, unknown> = { x: { ...logAxis(t, 'gradient magnitude |∂loss/∂prediction| of a row (log scale)', lo, hi), min: lo, max: hi } };
  // chart.js stacks axes of one stack from the bottom up: define them in reverse so the first loss is on top.
  for (let k = dist.losses.length - 1; k >= 0; k--) {
    const top = Math.max(1e-9, ...dist.losses[k].counts.slice(first, last + 1).map((c) => c / rows));
    scales[ids[k]] = {
      type: 'linear',
      position: 'left',
      stack: 'losses',
      stackWeight: 1,
      offset: true,
      min: 0,
      max: top * 1.3,
      grid: { color: t.grid, drawTicks: false },
      border: { color: t.grid },
      // Two ticks: 0 and the tallest bar's share.
      afterBuildTicks: (a: { ticks: { value: number }[] }) => {
        a.ticks = [{ value: 0 }, { value: top }];
      },
      ticks: { color: t.muted, callback: (v: number | string) => sharePercent(Number(v)), font: { size: Math.max(9, t.fontSize - 3) } },
    };
  }
  const options = base(t, false);
  (options.plugins as Record<string, unknown>).tooltip = {
    ...((options.plugins as Record<string, unknown>).tooltip as object),
    callbacks: {
      title: (items: TooltipItem<'line'>[]) => {
        const i = items.length ? first + items[0].dataIndex : -1;
        return i >= first && i <= last ? `gradient ${num(dist.edges[i], 3)} to ${num(dist.edges[i + 1], 3)}` : '';
      },
      label: (item: TooltipItem<'line'>) => `${item.dataset.label}: ${num((item.parsed.y ?? 0) * 100, 3)}% of rows`,
    },
  };
  return {
    type: 'line',
    data: { datasets },
    options: {
      ...options,
      interaction: { mode: 'index', intersect: false },
      scales,
    } as Config['options'],
    plugins: [gradientRowsPlugin(t, dist, ids, labels)],
  };
}

/** A share as a percentage for an axis: 100%, 64%, 8.6%, 0.25%. */
function sharePercent(v: number): string {
  if (!(v > 0)) return '0%';
  const p = v * 100;
  return p >= 10 ? `${Math.round(p)}%` : `${Number(p.toPrecision(2))}%`;
}

/** Per row of the gradient chart: its loss's name, and marks at the median and the largest gradient. */
function gradientRowsPlugin(t: Theme, dist: GradientDistribution, ids: string[], labels: Record<string, string>): Plugin {
  return {
    id: 'gradientRows',
    afterDatasetsDraw(chart) {
      const { ctx, chartArea: a } = chart;
      const xs = chart.scales.x;
      if (!xs) return;
      ctx.save();
      const small = Math.max(10, t.fontSize - 2);
      dist.losses.forEach((l, k) => {
        const ys = chart.scales[ids[k]];
        if (!ys) return;
        const color = curveColor(t, l.key);
        const mark = (x: number, dash: number[], width: number) => {
          const px = xs.getPixelForValue(x);
          if (!(x > 0) || !Number.isFinite(px) || px < a.left - 0.5 || px > a.right + 0.5) return;
          ctx.strokeStyle = color;
          ctx.lineWidth = width;
          ctx.setLineDash(dash);
          ctx.beginPath();
          ctx.moveTo(px, ys.top + 2);
          ctx.lineTo(px, ys.bottom);
          ctx.stroke();
        };
        mark(l.stats.median, [3, 3], 1.5);
        mark(l.stats.max, [], 2);
        // The name, then median, max and their ratio, at the top left of the row, on a backdrop
        // so the marks and bars under it do not cross the text.
        const name = labels[l.key] ?? l.label;
        const r = l.stats.ratio;
        const detail = `median ${num(l.stats.median, 3)} · max ${num(l.stats.max, 4)}${r === null ? '' : ` (${num(r, 3)}×)`}`;
        ctx.setLineDash([]);
        ctx.textBaseline = 'top';
        ctx.textAlign = 'left';
        ctx.font = `600 ${small}px ${t.fontFamily}`;
        const w = ctx.measureText(name).width;
        ctx.font = `${small}px ${t.fontFamily}`;
        const w2 = ctx.measureText(detail).width;
        ctx.fillStyle = withAlpha(t.background, 0.85);
        ctx.fillRect(a.left + 3, ys.top + 1, w + w2 + 15, small + 4);
        ctx.font = `600 ${small}px ${t.fontFamily}`;
        ctx.fillStyle = color;
        ctx.fillText(name, a.left + 6, ys.top + 3);
        ctx.font = `${small}px ${t.fontFamily}`;
        ctx.fillStyle = t.muted;
        ctx.fillText(detail, a.left + 12 + w, ys.top + 3);
      });
      ctx.restore();
    },
  };
}

/**
 * Normal Q-Q plot: sorted residuals against standard normal quantiles, with the line through the
 * quartiles. Points beyond the y view (a few wild residuals) sit on its edge as triangles.
 */
export function qqConfig(
  t: Theme,
  qq: QQData,
  view: { lo: number; hi: number },
  label: string,
  color: string,
  onPoint?: (line: number) => void,
): Config {
  const xs = qq.points.map((p) => p.x);
  const x0 = xs.length ? Math.min(...xs) : -3;
  const x1 = xs.length ? Math.max(...xs) : 3;
  const pad = Math.max(0.1, (x1 - x0) * 0.03);
  const small = qq.points.length > 800;
  // Point indexes per dataset (0: in view, 1: beyond it), for tooltips and clicks.
  const idx: number[][] = [[], []];
  qq.points.forEach((p, i) => idx[p.y < view.lo || p.y > view.hi ? 1 : 0].push(i));
  const edge = (y: number) => Math.min(view.hi, Math.max(view.lo, y));
  const datasets: ChartDataset<'scatter' | 'line', Pt[]>[] = [
    {
      type: 'scatter',
      label,
      data: idx[0].map((i) => ({ x: qq.points[i].x, y: qq.points[i].y })),
      backgroundColor: withAlpha(color, 0.55),
      borderColor: color,
      borderWidth: t.kind.startsWith('high') ? 1 : 0,
      pointRadius: small ? 2 : 3,
      pointHoverRadius: 5,
      pointStyle: 'circle',
    },
  ];
  if (idx[1].length) {
    datasets.push({
      type: 'scatter',
      label: `${idx[1].length} beyond the view`,
      data: idx[1].map((i) => ({ x: qq.points[i].x, y: edge(qq.points[i].y) })),
      backgroundColor: color,
      borderColor: color,
      pointRadius: 5,
      pointHoverRadius: 7,
      pointStyle: 'triangle',
      rotation: idx[1].map((i) => (qq.points[i].y < view.lo ? 180 : 0)),
      clip: false,
    } as ChartDataset<'scatter', Pt[]>);
  }
  datasets.push(
    lineDataset(
      'normal line through the quartiles',
      [
        { x: x0 - pad, y: qq.intercept + qq.slope * (x0 - pad) },
        { x: x1 + pad, y: qq.intercept + qq.slope * (x1 + pad) },
      ],
      t.muted,
      1.5,
      { borderDash: [5, 4], pointHitRadius: 0, pointHoverRadius: 0, pointStyle: 'line' },
    ),
  );
  const pointOf = (datasetIndex: number, index: number) => (datasetIndex <= 1 ? qq.points[idx[datasetIndex]?.[index] ?? -1] : undefined);
  const options = scatterBase(t, {
    title: (items: TooltipItem<'scatter'>[]) => {
      const p = items.length ? pointOf(items[0].datasetIndex, items[0].dataIndex) : undefined;
      return p ? `line ${p.line}` : '';
    },
    label: (item: TooltipItem<'scatter'>) => {
      const p = pointOf(item.datasetIndex, item.dataIndex);
      return p ? `d = ${num(p.y, 6)} at normal quantile ${num(p.x, 3)} (the line: ${num(qq.intercept + qq.slope * p.x, 4)})` : '';
    },
  });
  return {
    type: 'scatter',
    data: { datasets },
    options: {
      ...options,
      interaction: { mode: 'nearest', intersect: true },
      onClick: (_e: unknown, els: { datasetIndex: number; index: number }[]) => {
        const p = els.map((e) => pointOf(e.datasetIndex, e.index)).find((x) => x !== undefined);
        if (onPoint && p) onPoint(p.line);
      },
      onHover: (e: { native: Event | null }, els: { datasetIndex: number }[]) => {
        const c = e.native?.target;
        if (onPoint && c instanceof HTMLElement) c.style.cursor = els.some((x) => x.datasetIndex <= 1) ? 'pointer' : 'default';
      },
      scales: {
        x: axis(t, 'standard normal quantile', { min: x0 - pad, max: x1 + pad }),
        y: axis(t, 'residual d, sorted', { min: view.lo, max: view.hi }),
      },
    } as Config['options'],
  };
}

/** One bar series per model over the groups (horizontal bars, worst group at the top). */
export interface GroupBarsInput {
  labels: string[];
  rows: number[];
  /** Per model: name and the metric per group (in `labels` order). */
  series: { name: string; values: (number | null)[] }[];
  metricLabel: string;
  /** Per model: the metric over all rows (a dashed line), or null. */
  overall: (number | null)[];
}

export function groupBarsConfig(t: Theme, input: GroupBarsInput): Config {
  const n = input.labels.length;
  const multi = input.series.length > 1;
  const options = base(t, multi);
  (options.plugins as Record<string, unknown>).tooltip = {
    ...((options.plugins as Record<string, unknown>).tooltip as object),
    callbacks: {
      title: (items: TooltipItem<'bar'>[]) => {
        const i = items.length ? (items[0].parsed.y ?? -1) : -1;
        return i >= 0 && i < n ? `${input.labels[i]} (${input.rows[i]} row${input.rows[i] === 1 ? '' : 's'})` : '';
      },
      label: (item: TooltipItem<'bar'>) => `${multi ? `${item.dataset.label}: ` : ''}${input.metricLabel} ${num(item.parsed.x, 6)}`,
    },
  };
  const markers: Marker[] = [];
  input.overall.forEach((v, m) => {
    if (v !== null && Number.isFinite(v)) markers.push({ x: v, color: modelColor(t, m), dash: [5, 4], label: m === 0 ? 'all rows' : undefined, row: m });
  });
  const values = input.series.flatMap((s) => s.values).filter((v): v is number => v !== null && Number.isFinite(v));
  const lo = Math.min(0, ...values, ...markers.map((m) => m.x));
  const hi = Math.max(0, ...values, ...markers.map((m) => m.x));
  const short = (s: string) => ([...s].length > 28 ? [...s].slice(0, 27).join('') + '…' : s);
  return {
    type: 'bar',
    data: {
      datasets: input.series.map((s, m) => ({
        type: 'bar' as const,
        label: s.name,
        data: s.values.map((v, i) => ({ x: v === null ? NaN : v, y: i })),
        backgroundColor: withAlpha(modelColor(t, m), 0.8),
        borderColor: modelColor(t, m),
        borderWidth: t.kind.startsWith('high') ? 1 : 0,
        barPercentage: 0.85,
        categoryPercentage: 0.85,
      })),
    },
    options: {
      ...options,
      indexAxis: 'y',
      interaction: { mode: 'nearest', axis: 'y', intersect: false },
      scales: {
        x: axis(t, input.metricLabel, { min: lo, max: hi > lo ? hi * (hi > 0 ? 1.04 : 1) : lo + 1 }),
        y: {
          type: 'linear',
          reverse: true,
          min: -0.5,
          max: n - 0.5,
          offset: false,
          grid: { display: false },
          border: { color: t.grid },
          // One tick per group, at its index (a linear axis would pick its own round values).
          afterBuildTicks: (scale: { ticks: { value: number }[] }) => {
            scale.ticks = input.labels.map((_, i) => ({ value: i }));
          },
          ticks: {
            color: t.foreground,
            autoSkip: false,
            callback: (v: number | string) => {
              const i = Number(v);
              return Number.isInteger(i) && i >= 0 && i < n ? short(input.labels[i]) : '';
            },
          },
        },
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
