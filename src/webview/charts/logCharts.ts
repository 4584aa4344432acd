/**
 * A training log's chart (#17): one quantity's series (of every run), x as written (step, epoch,
 * time), a log y axis when every value is positive; each series smoothed (solid), its values faint
 * behind and, when decimated, their min/max envelope as a band.
 */
import type { ChartDataset, TooltipItem } from 'chart.js';
import type { LogSeriesReport } from '../../core/trainingLog/report';
import { num } from '../dom';
import { Theme, withAlpha } from '../theme';
import { axis, base, Config, fmt, lineDataset, modelColor, Pt } from './common';

/** One series of one run, as drawn. */
export interface DrawnSeries {
  label: string;
  series: LogSeriesReport;
  /** The smoothed values at the series' points (the slider's weight). */
  smoothed: (number | null)[];
  /** Colour index. */
  color: number;
  dashed: boolean;
}

/** Which series and point a dataset's element stands for (for clicks to the line). */
export interface PointRef {
  drawn: number;
}

const y = (v: number | null): number => (v === null ? NaN : v);

export function logChartConfig(t: Theme, drawn: readonly DrawnSeries[], xTitle: string, yTitle: string, onPoint: (drawn: number, index: number) => void): Config {
  const datasets: ChartDataset<'line', Pt[]>[] = [];
  const owner: number[] = [];
  let positive = true;
  drawn.forEach((d, k) => {
    const p = d.series.points;
    const color = modelColor(t, d.color);
    for (let i = 0; i < p.x.length; i++) {
      for (const v of [p.y[i], p.min[i], d.smoothed[i]]) if (v !== null && !(v > 0)) positive = false;
    }
    const decimated = p.count.some((c) => c > 1);
    if (decimated) {
      // The band between each point's largest and smallest value.
      datasets.push(lineDataset('', p.x.map((x, i) => ({ x, y: y(p.max[i]) })), withAlpha(color, 0), 0, { fill: '+1', backgroundColor: withAlpha(color, 0.12), pointHitRadius: 0, order: 3 }));
      datasets.push(lineDataset('', p.x.map((x, i) => ({ x, y: y(p.min[i]) })), withAlpha(color, 0), 0, { pointHitRadius: 0, order: 3 }));
      owner.push(k, k);
    }
    datasets.push(lineDataset('', p.x.map((x, i) => ({ x, y: y(p.y[i]) })), withAlpha(color, 0.3), 1, { order: 2, borderDash: d.dashed ? [5, 3] : [] }));
    datasets.push(lineDataset(d.label, p.x.map((x, i) => ({ x, y: y(d.smoothed[i]) })), color, t.lineWidth + 0.5, { order: 1, borderDash: d.dashed ? [6, 4] : [] }));
    owner.push(k, k);
  });
  const options = base(t, true);
  const plugins = options.plugins as Record<string, unknown>;
  const legend = plugins.legend as { labels: Record<string, unknown> };
  legend.labels = { ...legend.labels, filter: (item: { text: string }) => item.text !== '' };
  plugins.tooltip = {
    ...(plugins.tooltip as object),
    filter: (item: TooltipItem<'line'>) => item.dataset.label !== '',
    callbacks: {
      title: (items: TooltipItem<'line'>[]) => (items.length ? `${xTitle} ${num(items[0].parsed.x, 8)}` : ''),
      label: (item: TooltipItem<'line'>) => {
        const d = drawn[owner[item.datasetIndex]];
        const raw = d.series.points.y[item.dataIndex];
        return `${item.dataset.label}: ${num(item.parsed.y, 5)} smoothed, ${raw === null ? 'not finite' : num(raw, 5)} (line ${d.series.points.line[item.dataIndex]})`;
      },
    },
  };
  options.onClick = (_e: unknown, elements: { datasetIndex: number; index: number }[]) => {
    const el = elements.find((e) => datasets[e.datasetIndex].label !== '') ?? elements[0];
    if (el) onPoint(owner[el.datasetIndex], el.index);
  };
  const yAxis = positive ? { ...axis(t, `${yTitle} (log scale)`), type: 'logarithmic', ticks: { color: t.muted, callback: fmt, maxTicksLimit: 8 } } : axis(t, yTitle);
  return {
    type: 'line',
    data: { datasets },
    options: { ...options, scales: { x: axis(t, xTitle), y: yAxis } },
  } as Config;
}
