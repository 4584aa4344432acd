/** Line charts: loss and gradient curves against d, the per-row loss along the file, the β / δ sweep. */
import type { ChartDataset, TooltipItem } from 'chart.js';
import type { CurveSet } from '../../core/tasks/regression/view/curves';
import type { Density } from '../../core/tasks/regression/view/histogram';
import type { RowLossSeries } from '../../core/tasks/regression/view/series';
import type { ParamSweep } from '../../core/tasks/regression/report';
import { num } from '../dom';
import { Theme, withAlpha } from '../theme';
import { axis, base, Config, CURVE_DASH, curveColor, lineDataset, logAxis, Marker, markersPlugin, positiveRange, Pt, pts, shareAxis, shareBars } from './common';

function densityDataset(t: Theme, density: Density, label: string): ChartDataset<'bar', Pt[]> {
  return shareBars(t, label, density.bars.map((b, i) => ({ x: b.x, y: density.shares[i] })));
}

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
    scales.y2 = shareAxis(t, top);
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
