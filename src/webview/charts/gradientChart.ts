/** The gradient-magnitude chart: one small histogram per loss on a shared log axis. */
import type { ChartDataset, Plugin, TooltipItem } from 'chart.js';
import type { GradientDistribution } from '../../core/tasks/regression/view/gradients';
import { num } from '../dom';
import { Theme, withAlpha } from '../theme';
import { base, Config, curveColor, lineDataset, logAxis, Pt } from './common';

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
