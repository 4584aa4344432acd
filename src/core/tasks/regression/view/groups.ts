/** Losses by group: the columns a report can be grouped by, and the groups worst first. */
import type { MetricKey } from '../losses';
import type { VarianceKey } from '../variance';

/** A metric a group table can show: a regression metric or a predicted variance's (#16 item 2). */
export type GroupMetricKey = MetricKey | VarianceKey;
import type { Report } from '../report';

/** Columns a report can be grouped by: every column but the target, predictions, spread columns and weight. */
export function groupableColumns(r: {
  columns: readonly string[];
  target: string;
  models: readonly { prediction: string; columns?: readonly string[]; spread?: { column: string } }[];
  weight: string | null;
}): string[] {
  // A classifier's model names its score columns (a multiclass model one per class); a
  // regression model may have a spread column (#16 item 2).
  const used = new Set([r.target, ...r.models.flatMap((m) => [m.prediction, ...(m.columns ?? []), ...(m.spread ? [m.spread.column] : [])]), ...(r.weight ? [r.weight] : [])]);
  return [...new Set(r.columns.filter((c) => !used.has(c)))];
}

/**
 * Metrics a group table can show: all but the median, the D² scores and the explained variance,
 * which need each group's own quantiles, mean and residual spread (not kept per group).
 */
export const GROUP_METRICS: readonly GroupMetricKey[] = [
  'mae',
  'rmse',
  'mse',
  'smoothL1',
  'huber',
  'logCosh',
  'meanError',
  'maxError',
  'r2',
  'mape',
  'smape',
  'pinball',
  'l1',
  'l2',
  'msle',
  'rmsle',
  'poissonDeviance',
  'gammaDeviance',
  'tweedieDeviance',
  'poissonNll',
  'gaussianNll',
  'crps',
];

/** The counts' and the variances' metrics, offered per group only where some model has them (their domain holds, a spread column). */
const COUNT_GROUP_METRICS: ReadonlySet<GroupMetricKey> = new Set(['msle', 'rmsle', 'poissonDeviance', 'gammaDeviance', 'tweedieDeviance', 'poissonNll', 'gaussianNll', 'crps']);

/** The group metrics to offer for a report: the counts' only where some model's value is defined. */
export function groupMetricsFor(report: Pick<Report, 'models'>): GroupMetricKey[] {
  return GROUP_METRICS.filter((k) => !COUNT_GROUP_METRICS.has(k) || report.models.some((m) => m.metrics[k] !== null && m.metrics[k] !== undefined));
}

/** How bad a metric value is (larger = worse): R² is better when larger, bias is bad either way. */
export function badness(key: GroupMetricKey, v: number | null): number {
  if (v === null) return -Infinity;
  if (key === 'r2') return -v;
  if (key === 'meanError') return Math.abs(v);
  return v;
}

export interface GroupRows {
  /** Group indexes (into groups.groups), worst first by the metric of the model given. */
  order: number[];
  /** The metric per model, in `order`. */
  values: (number | null)[][];
  /** The same over the whole file, per model (the reference line). */
  overall: (number | null)[];
}

/**
 * The groups ordered worst first by `key` of model `modelIndex` (ties: more rows first, then the
 * report's order), the first `limit` of them.
 */
export function groupRows(report: Pick<Report, 'groups' | 'models'>, key: GroupMetricKey, modelIndex: number, limit = Infinity): GroupRows {
  const gs = report.groups?.groups ?? [];
  const order = gs.map((_, i) => i);
  order.sort((a, b) => badness(key, gs[b].metrics[modelIndex]?.[key] ?? null) - badness(key, gs[a].metrics[modelIndex]?.[key] ?? null) || a - b);
  const shown = order.slice(0, limit);
  return {
    order: shown,
    values: report.models.map((_, m) => shown.map((i) => gs[i].metrics[m]?.[key] ?? null)),
    overall: report.models.map((m) => m.metrics[key] ?? null),
  };
}

export interface GroupQuantileTable {
  model: number;
  levels: { column: string; q: number }[];
  /** One row per group, worst first by the mean pinball over the levels (ties: the report's order). */
  rows: { value: string; rows: number; pinball: (number | null)[] }[];
  /** The whole file's pinball loss of each level. */
  overall: (number | null)[];
}

/** Per model with a quantile set and groups: each group's pinball loss at every level (#16 item 5). */
export function groupQuantileTables(report: Pick<Report, 'groups' | 'models'>, limit = Infinity): GroupQuantileTable[] {
  const gs = report.groups?.groups ?? [];
  const out: GroupQuantileTable[] = [];
  report.models.forEach((m, mi) => {
    const levels = m.quantiles ?? [];
    if (levels.length === 0 || gs.length === 0 || !gs.some((g) => g.quantiles?.[mi])) return;
    const mean = (v: (number | null)[]) => (v.some((x) => x === null) ? -Infinity : v.reduce((s: number, x) => s + (x as number), 0) / v.length);
    const rows = gs.map((g, i) => ({ i, value: g.value, rows: g.rows, pinball: g.quantiles?.[mi] ?? levels.map(() => null) }));
    rows.sort((a, b) => mean(b.pinball) - mean(a.pinball) || a.i - b.i);
    out.push({
      model: mi,
      levels: levels.map((l) => ({ column: l.column, q: l.q })),
      rows: rows.slice(0, limit).map(({ value, rows: n, pinball }) => ({ value, rows: n, pinball })),
      overall: levels.map((l) => l.pinball),
    });
  });
  return out;
}
