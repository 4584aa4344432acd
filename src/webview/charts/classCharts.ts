/**
 * Charts of a classifier's report: the loss and gradient curves against the margin (with the
 * model's rows by margin behind), ROC and precision–recall curves (one line
 * per model) and the reliability diagram. Data from src/core/tasks/classification/view.ts.
 */
import type { ChartDataset, TooltipItem } from 'chart.js';
import { MARGIN_MAX, MARGIN_MIN, type MarginLossKey } from '../../core/tasks/classification/margins';
import type { ClassCurveSet, ReliabilityPoint, ShareBar } from '../../core/tasks/classification/view';
import { num } from '../dom';
import type { Theme } from '../theme';
import { axis, base, Config, lineDataset, Marker, markersPlugin, modelColor, Pt, pts, shareAxis, shareBars } from './common';

export function classCurveColor(t: Theme, key: MarginLossKey): string {
  return { logLoss: t.red, focal: t.orange, brier: t.blue, hinge: t.purple, squaredHinge: t.green }[key];
}

/** Dashes as well as colours, so the curves are told apart without colour too. */
const CLASS_DASH: Record<MarginLossKey, number[]> = { logLoss: [], focal: [7, 4], brier: [], hinge: [2, 3], squaredHinge: [9, 3, 2, 3] };

function withTooltip(options: Record<string, unknown>, callbacks: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const plugins = options.plugins as Record<string, unknown>;
  plugins.tooltip = { ...(plugins.tooltip as object), ...extra, callbacks };
  return options;
}

/**
 * Each loss (or its pull) of one row against its margin; with `bars`, the model's rows per bin of
 * margin behind (right axis).
 */
export function marginCurvesConfig(t: Theme, set: ClassCurveSet, yTitle: string, markers: Marker[], bars?: { data: ShareBar[]; label: string }): Config {
  const datasets: ChartDataset<'line' | 'bar', Pt[]>[] = set.curves.map((c) =>
    lineDataset(c.label, pts(c.points), classCurveColor(t, c.key), t.lineWidth, { borderDash: CLASS_DASH[c.key], order: 1 }),
  );
  const scales: Record<string, unknown> = {
    x: axis(t, 'margin: log-odds of p(true class); on logits y·z', { min: MARGIN_MIN, max: MARGIN_MAX, offset: false }),
    y: axis(t, yTitle, { min: 0, max: set.yMax }),
  };
  if (bars) {
    const top = Math.max(1e-9, ...bars.data.map((b) => b.share));
    datasets.push(shareBars(t, bars.label, bars.data.map((b) => ({ x: b.x, y: b.share }))));
    scales.y2 = shareAxis(t, top);
  }
  const options = withTooltip(
    base(t, true),
    {
      title: (items: TooltipItem<'line'>[]) => {
        const m = items[0]?.parsed.x;
        return m === undefined || m === null ? '' : `margin ${num(m, 3)} (p(true class) = ${num(1 / (1 + Math.exp(-m)), 3)})`;
      },
      label: (item: TooltipItem<'line'>) => `${item.dataset.label}: ${num(item.parsed.y, 4)}`,
    },
    { filter: (item: TooltipItem<'line' | 'bar'>) => item.dataset.type !== 'bar' },
  );
  return {
    type: 'line',
    data: { datasets },
    options: { ...options, scales } as Config['options'],
    plugins: [markersPlugin(markers, t)],
  };
}

export interface CurveSeries {
  label: string;
  points: Pt[];
  /** Model index (its colour). */
  model: number;
}

/** ROC (x: false positive rate, y: true positive rate) or precision–recall: a line per model and a reference line. */
export function rateCurveConfig(t: Theme, kind: 'roc' | 'pr', series: CurveSeries[], reference: { label: string; points: Pt[] } | null): Config {
  const datasets: ChartDataset<'line', Pt[]>[] = series.map((s) =>
    lineDataset(s.label, s.points, modelColor(t, s.model), t.lineWidth, { stepped: kind === 'pr' ? 'after' : false, pointHitRadius: 6 }),
  );
  if (reference) {
    datasets.push(lineDataset(reference.label, reference.points, t.muted, 1, { borderDash: [5, 4], pointHitRadius: 0, pointHoverRadius: 0 }));
  }
  const [xTitle, yTitle] = kind === 'roc' ? ['false positive rate (1 − specificity)', 'true positive rate (recall)'] : ['recall', 'precision'];
  const options = withTooltip(base(t, true), {
    title: () => '',
    label: (item: TooltipItem<'line'>) => `${item.dataset.label}: ${kind === 'roc' ? 'FPR' : 'recall'} ${num(item.parsed.x, 3)}, ${kind === 'roc' ? 'TPR' : 'precision'} ${num(item.parsed.y, 3)}`,
  });
  return {
    type: 'line',
    data: { datasets },
    options: {
      ...options,
      interaction: { mode: 'nearest', intersect: false },
      scales: { x: axis(t, xTitle, { min: 0, max: 1 }), y: axis(t, yTitle, { min: 0, max: 1 }) },
    } as Config['options'],
  };
}

/** What a reliability diagram's axes are (binary: the positive class; multiclass: the top class). */
export interface ReliabilityAxes {
  x: string;
  y: string;
  /** The observed rate in a tooltip ("positive", "right"). */
  rate: string;
}

export const BINARY_RELIABILITY: ReliabilityAxes = { x: 'mean predicted probability (positive class)', y: 'share of rows that are positive', rate: 'positive' };
export const TOP_CLASS_RELIABILITY: ReliabilityAxes = { x: 'mean top-class confidence (highest probability)', y: 'share of rows whose top class is right', rate: 'right' };

/** Reliability diagram: the observed rate against the mean probability per bin, per model, and the diagonal. */
export function reliabilityConfig(t: Theme, series: { label: string; points: ReliabilityPoint[]; model: number }[], axes: ReliabilityAxes = BINARY_RELIABILITY): Config {
  const datasets: ChartDataset<'line', Pt[]>[] = series.map((s) =>
    lineDataset(s.label, s.points.map((p) => ({ x: p.x, y: p.y })), modelColor(t, s.model), t.lineWidth, { pointRadius: 3, pointHoverRadius: 5, pointHitRadius: 6 }),
  );
  datasets.push(lineDataset('perfect calibration', [{ x: 0, y: 0 }, { x: 1, y: 1 }], t.muted, 1, { borderDash: [5, 4], pointHitRadius: 0, pointHoverRadius: 0 }));
  const options = withTooltip(base(t, true), {
    title: () => '',
    label: (item: TooltipItem<'line'>) => {
      const p = series[item.datasetIndex]?.points[item.dataIndex];
      if (!p) return `${item.dataset.label}`;
      return `${item.dataset.label}: bin ${num(p.lo, 2)}–${num(p.hi, 2)}, ${num(p.rows, 6)} rows, mean p ${num(p.x, 3)}, ${axes.rate} ${num(p.y, 3)}`;
    },
  });
  return {
    type: 'line',
    data: { datasets },
    options: {
      ...options,
      interaction: { mode: 'nearest', intersect: false },
      scales: { x: axis(t, axes.x, { min: 0, max: 1 }), y: axis(t, axes.y, { min: 0, max: 1 }) },
    } as Config['options'],
  };
}
