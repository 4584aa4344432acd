/** Charts of points: predicted against target, and the normal Q-Q plot; a click opens a point's line. */
import type { ChartDataset, TooltipItem } from 'chart.js';
import type { QQData } from '../../core/tasks/regression/view/qq';
import type { ScatterData } from '../../core/tasks/regression/view/scatter';
import { num } from '../dom';
import { Theme, withAlpha } from '../theme';
import { axis, Config, lineDataset, Pt, scatterBase } from './common';

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
