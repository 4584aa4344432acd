/** The standardised residual d/σ of a model with a predicted spread: its density as bars, the N(0, 1) density as a line (#16 item 2). */
import type { TooltipItem } from 'chart.js';
import type { SpreadView } from '../../core/tasks/regression/view/variance';
import { num } from '../dom';
import { Theme, withAlpha } from '../theme';
import { axis, base, Config, lineDataset, Marker, markersPlugin } from './common';

export function spreadConfig(t: Theme, v: SpreadView, color: string): Config {
  const options = base(t, true);
  (options.plugins as Record<string, unknown>).tooltip = {
    ...((options.plugins as Record<string, unknown>).tooltip as object),
    callbacks: {
      title: (items: TooltipItem<'bar' | 'line'>[]) => {
        const it = items[0];
        if (!it) return '';
        const b = it.dataset.type === 'bar' ? v.bars[it.dataIndex] : undefined;
        return b ? `d/σ from ${num(b.x0, 3)} to ${num(b.x1, 3)}` : `d/σ = ${num(it.parsed.x ?? 0, 3)}`;
      },
      label: (it: TooltipItem<'bar' | 'line'>) => {
        const b = it.dataset.type === 'bar' ? v.bars[it.dataIndex] : undefined;
        return b ? `${b.count} row${b.count === 1 ? '' : 's'} (density ${num(b.density, 3)})` : `N(0, 1) density ${num(it.parsed.y ?? 0, 3)}`;
      },
    },
  };
  const markers: Marker[] = [-2, -1, 1, 2].map((x) => ({ x, color: t.muted, dash: [3, 3], label: `${x > 0 ? '+' : '−'}${Math.abs(x)}σ` }));
  return {
    type: 'bar',
    data: {
      datasets: [
        {
          type: 'bar',
          label: `d/σ of ${v.prediction}`,
          data: v.bars.map((b) => ({ x: b.x, y: b.density })),
          backgroundColor: withAlpha(color, 0.6),
          borderColor: color,
          borderWidth: t.kind.startsWith('high') ? 1 : 0,
          barPercentage: 1,
          categoryPercentage: 1,
          grouped: false,
          order: 2,
        },
        lineDataset('N(0, 1)', v.normal, t.foreground, t.lineWidth, { order: 1 }),
      ],
    },
    options: {
      ...options,
      scales: {
        x: axis(t, 'standardised residual d/σ', { min: v.bars[0]?.x0 ?? -5, max: v.bars[v.bars.length - 1]?.x1 ?? 5, offset: false }),
        y: axis(t, 'density', { min: 0, grace: '6%' }),
      },
    } as Config['options'],
    plugins: [markersPlugin(markers, t)],
  };
}
