/** Bar charts: the residual histogram and the losses by group. */
import type { TooltipItem } from 'chart.js';
import type { Bar } from '../../core/tasks/regression/view/histogram';
import { num } from '../dom';
import { Theme, withAlpha } from '../theme';
import { axis, base, Config, fmt, Marker, markersPlugin, modelColor } from './common';

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
