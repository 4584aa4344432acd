/**
 * The quantile calibration chart (#16 item 3): per model with a quantile set, the share of targets
 * at or below each quantile prediction against its level, and the diagonal a calibrated set follows.
 */
import type { TooltipItem } from 'chart.js';
import { num, percent } from '../dom';
import type { Theme } from '../theme';
import { axis, base, Config, lineDataset, modelColor } from './common';

export interface QuantileSeries {
  label: string;
  model: number;
  points: { column: string; q: number; share: number }[];
}

export function quantileCalibrationConfig(t: Theme, series: QuantileSeries[]): Config {
  const datasets = series.map((s) =>
    lineDataset(s.label, s.points.map((p) => ({ x: p.q, y: p.share })), modelColor(t, s.model), t.lineWidth, { pointRadius: 3, pointHoverRadius: 5, pointHitRadius: 6 }),
  );
  datasets.push(lineDataset('perfect calibration', [{ x: 0, y: 0 }, { x: 1, y: 1 }], t.muted, 1, { borderDash: [5, 4], pointHitRadius: 0, pointHoverRadius: 0 }));
  const options = base(t, true);
  const plugins = options.plugins as Record<string, unknown>;
  plugins.tooltip = {
    ...(plugins.tooltip as object),
    callbacks: {
      title: () => '',
      label: (item: TooltipItem<'line'>) => {
        const p = series[item.datasetIndex]?.points[item.dataIndex];
        return p ? `${item.dataset.label}: “${p.column}”, level ${percent(p.q)}, share of targets ≤ it ${percent(p.share)} (${num(p.share, 6)})` : `${item.dataset.label}`;
      },
    },
  };
  return {
    type: 'line',
    data: { datasets },
    options: {
      ...options,
      interaction: { mode: 'nearest', intersect: false },
      scales: { x: axis(t, 'quantile level q', { min: 0, max: 1 }), y: axis(t, 'share of targets ≤ the quantile prediction', { min: 0, max: 1 }) },
    } as Config['options'],
  };
}
