/**
 * Curves of one row's loss (or gradient) with the data's distribution behind them, over any x:
 * the counts' losses against the prediction μ, the pinball loss of each level against d (#16
 * item 5). The data comes ready from the pure view code; this file only styles it.
 */
import type { ChartDataset, TooltipItem } from 'chart.js';
import type { XY } from '../../core/tasks/regression/view/common';
import type { Density } from '../../core/tasks/regression/view/histogram';
import { num } from '../dom';
import type { Theme } from '../theme';
import { axis, base, Config, lineDataset, Marker, markersPlugin, Pt, pts, shareAxis, shareBars } from './common';

export interface ValueCurve {
  label: string;
  points: XY[];
  color: string;
  dash?: number[];
}

export interface ValueCurvesInput {
  curves: ValueCurve[];
  x: { title: string; min: number; max: number; name: string };
  y: { title: string; min: number; max: number };
  density?: { data: Density; label: string };
  markers: Marker[];
}

export function valueCurvesConfig(t: Theme, input: ValueCurvesInput): Config {
  const datasets: ChartDataset<'line' | 'bar', Pt[]>[] = input.curves.map((c) => lineDataset(c.label, pts(c.points), c.color, t.lineWidth, { borderDash: c.dash ?? [] }));
  const scales: Record<string, unknown> = {
    x: axis(t, input.x.title, { min: input.x.min, max: input.x.max, offset: false }),
    y: axis(t, input.y.title, { min: input.y.min, max: input.y.max }),
  };
  const d = input.density;
  if (d && d.data.rows > 0) {
    datasets.push(shareBars(t, d.label, d.data.bars.map((b, i) => ({ x: b.x, y: d.data.shares[i] }))));
    scales.y2 = shareAxis(t, Math.max(1e-9, ...d.data.shares));
  }
  const options = base(t, true);
  const plugins = options.plugins as Record<string, unknown>;
  plugins.tooltip = {
    ...(plugins.tooltip as object),
    filter: (item: TooltipItem<'line' | 'bar'>) => item.dataset.type !== 'bar',
    callbacks: {
      title: (items: TooltipItem<'line'>[]) => (items.length ? `${input.x.name} = ${num(items[0].parsed.x, 4)}` : ''),
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
