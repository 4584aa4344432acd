/**
 * What every chart configuration of the report shares: the theme-driven base options, axes,
 * line datasets, the colours of losses and models, and the vertical marker lines.
 */
import type { ChartConfiguration, ChartDataset, Plugin, TooltipItem } from 'chart.js';
import type { CurveKey } from '../../core/tasks/regression/losses';
import type { XY } from '../../core/tasks/regression/view/common';
import { num } from '../dom';
import { Theme, withAlpha } from '../theme';

export type Config = ChartConfiguration<'line' | 'bar' | 'scatter', Pt[]>;
export type Pt = { x: number; y: number };

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

export function markersPlugin(lines: Marker[], t: Theme): Plugin {
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
export const pts = (xy: XY[]): Pt[] => xy.map((p) => ({ x: p.x, y: p.y === null ? NaN : p.y }));

/** Axis ticks are round numbers: enough digits to show them exactly, none of float noise. */
export const fmt = (v: number | string) => num(Number(v), 6);

export function curveColor(t: Theme, key: CurveKey): string {
  return { l1: t.blue, l2: t.red, smoothL1: t.orange, huber: t.purple, logCosh: t.green }[key];
}

/** Dash patterns as well as colours, so the curves are told apart without colour too. */
export const CURVE_DASH: Record<CurveKey, number[]> = { l1: [], l2: [], smoothL1: [], huber: [7, 4], logCosh: [2, 3] };

export function modelColor(t: Theme, i: number): string {
  return [t.blue, t.orange, t.green, t.purple, t.red, t.yellow][i % 6];
}

export function axis(t: Theme, title: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'linear',
    title: { display: true, text: title, color: t.muted },
    grid: { color: t.grid },
    border: { color: t.grid },
    ticks: { color: t.muted, callback: fmt, maxTicksLimit: 9, includeBounds: false },
    ...extra,
  };
}

/** The bars of the data's distribution behind a curve chart (shares of rows, on shareAxis's y2). */
export function shareBars(t: Theme, label: string, data: Pt[]): ChartDataset<'bar', Pt[]> {
  return {
    type: 'bar',
    label,
    data,
    backgroundColor: withAlpha(t.foreground, t.kind.startsWith('high') ? 0.3 : 0.13),
    borderWidth: 0,
    barPercentage: 1,
    categoryPercentage: 1,
    grouped: false,
    yAxisID: 'y2',
    order: 10,
  };
}

/** The right-hand axis of the data's distribution drawn behind a curve chart: shares of rows, the bars' top at 1/1.6 of its height. */
export function shareAxis(t: Theme, top: number): Record<string, unknown> {
  return {
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

/** base() for charts of points: point-style legend, tooltips only on the scatter datasets. */
export function scatterBase(t: Theme, callbacks: Record<string, unknown>): Record<string, unknown> {
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

export function base(t: Theme, legend: boolean): Record<string, unknown> {
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

export function lineDataset(label: string, data: Pt[], color: string, width: number, extra: Partial<ChartDataset<'line', Pt[]>> = {}): ChartDataset<'line', Pt[]> {
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

/**
 * Ticks and grid lines of a log axis over [lo, hi]: only powers of ten, and only every k-th
 * decade when the axis spans many (about 10 labels at most).
 */
export function logAxis(t: Theme, title: string, lo: number, hi: number): Record<string, unknown> {
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

export function positiveRange(values: number[]): [number, number] {
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
