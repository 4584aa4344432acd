/**
 * The regression report: the JSON contract printed by `--json` and read by the extension and the
 * webview. Keep it stable.
 */
import type { FileFormat, Locations } from '../../fileInfo';
import type { RowsSummary } from '../../rows';
import type { LossParams, MetricKey, RowLossKey } from './losses';
import type { WorstRow } from './parts';
import type { Comparison, IntervalOptions, Intervals } from '../../intervals/report';
import type { SpreadColumn, VarianceKey } from './variance';
import type { SpreadReport } from './varianceReport';
import type { QuantileSetChoice } from './quantileColumns';
import type { ModelQuantiles } from './quantileSet';
import type { CountRobustness, CountRowKey } from './countRobustness';
import type { SpreadRobustness } from './varianceShares';
import type { LossRow } from './parts';

export type { FileFormat, WorstRow };

/** Metric values; null when undefined for the data (R² of a constant target) or not finite. */
/** The losses `worstByLoss` may rank rows by. */
export type WorstLossKey = CountRowKey | 'gaussianNll' | 'crps';

export type Metrics = Record<MetricKey, number | null> & Partial<Record<VarianceKey, number | null>>;

export interface Histogram {
  /** Equal-width bins over [min, max] of the signed residual d. */
  min: number;
  max: number;
  counts: number[];
}

export interface RowSeries {
  /** Used rows per point; point i covers used rows [i·rowsPerPoint, (i+1)·rowsPerPoint). */
  rowsPerPoint: number;
  minAbs: number[];
  maxAbs: number[];
}

/**
 * smooth L1 and Huber of the data as functions of β (δ) over a log grid, and the share of rows
 * in the quadratic zone (|d| < β). For the β slider and the "choosing β" chart.
 */
export interface ParamSweep {
  values: number[];
  smoothL1: number[];
  huber: number[];
  quadraticShare: number[];
}

/** How much of each loss the worst rows (by |d|) carry, and each loss without them. */
export interface WorstShare {
  /** Rows in this group: ⌈fraction·n⌉. */
  rows: number;
  /** |d| of the smallest row in the group. */
  threshold: number;
  /** Share of each loss's total contributed by these rows (0…1). */
  share: Record<RowLossKey, number | null>;
  /** Mean of each loss over the other rows (null when no row is left). */
  without: Record<RowLossKey, number | null>;
}

/** Gradient magnitude of each loss w.r.t. the prediction, over the rows: L2 2|d|, L1 1 (0 at d = 0), smooth L1 min(|d|/β, 1), Huber min(|d|, δ), log-cosh |tanh d|. */
export interface GradientStats {
  median: number;
  p99: number;
  max: number;
  /** max / median; null when the median gradient is 0. */
  ratio: number | null;
}

export interface PointModelReport {
  prediction: string;
  metrics: Metrics;
  /** Per metric, its interval at `confidence` (null for a metric without one); null when intervals are off. */
  intervals: Intervals<MetricKey> | null;
  worst: WorstRow[];
  absQuantiles: { p50: number; p90: number; p99: number; max: number };
  histogram: Histogram;
  series: RowSeries;
  sweep: ParamSweep;
  /** |d| on a log scale: counts of |d| in [edges[i], edges[i+1]); `below` counts |d| < edges[0] (zeros included). */
  absLogHistogram: { edges: number[]; counts: number[]; below: number };
  robustness: { worst1: WorstShare; worst10: WorstShare };
  /**
   * The share of MSLE's and each deviance's total carried by the worst 1% and 10% of rows, ranked
   * by that loss (#16 item 5); absent when none of them is defined for the model.
   */
  countRobustness?: CountRobustness;
  /**
   * The worst rows ranked by each loss of counts, and by the Gaussian NLL and the CRPS of a
   * spread column, whose metric is defined (#16 item 5): up to topK per loss, worst first (ties
   * to the earlier line), each with its line, target, prediction and that loss (unweighted), and
   * σ for the spread's two. Absent when none of these is defined. A quantile level's worst rows
   * are in its `quantiles[]` entry.
   */
  worstByLoss?: Partial<Record<WorstLossKey, LossRow[]>>;
  /** Absent when a gradient overflows double precision (|d| above ~9e307). */
  gradients?: Record<RowLossKey, GradientStats>;
  /** The predicted spread's column and results (#16 item 2); absent for a model without one. The metrics then have gaussianNll and crps. */
  spread?: SpreadReport;
  /** Fractions (weighted) of the rows with |d| ≤ σ and ≤ 2σ (a Gaussian: 68.3%, 95.4%); null when a row's spread is negative. Absent without a spread column. */
  sigmaCoverage?: { within1: number; within2: number } | null;
  /** The worst 1%/10% rows' shares of the CRPS and of z² (#16 item 5); absent without a spread column or when a row's spread is negative. */
  spreadRobustness?: SpreadRobustness;
}

/**
 * A model with a quantile set (#16 item 3) also has `quantileSet` (the set's name), `quantiles`
 * (per level, by increasing q) and `quantileIntervals` (per central interval, narrowest first).
 */
export type ModelReport = PointModelReport & Partial<ModelQuantiles>;

export type { RowsSummary };

/** One value of the group-by column. */
export interface GroupReport {
  /** The value as text: a CSV field unquoted, a JSON string decoded, other JSON values as written; '' when empty or missing. */
  value: string;
  /** Rows used in this group. */
  rows: number;
  /** Σ weight of those rows (equal to `rows` without a weight column). */
  weight: number;
  /** Per model, in `models` order: every metric as for the whole file, except medianAE (null: medians are not kept per group). */
  metrics: Metrics[];
  /** With a quantile set: per model (null without one), the pinball loss of each level over the group, in `models[].quantiles` order. */
  quantiles?: ((number | null)[] | null)[];
}

export interface GroupsReport {
  column: string;
  /** Most rows first, then by value. Empty when the column has more than `limit` distinct values. */
  groups: GroupReport[];
  /** Number of distinct values, or null when there are more than `limit`. */
  distinct: number | null;
  limit: number;
}

/** The JSON contract printed by `--json` and consumed by the extension. Keep it stable. */
export interface Report {
  version: 1;
  file: string;
  format: FileFormat;
  /** What the `line` numbers of the report count: the file's lines, or (Parquet, Arrow) its 1-based rows. */
  locations: Locations;
  target: string;
  /** The sample-weight column (every mean is then weighted, as scikit-learn's sample_weight), or null. */
  weight: string | null;
  columns: string[];
  params: LossParams;
  rows: RowsSummary;
  models: ModelReport[];
  /** The intervals' confidence level; 0 when they are off (--confidence 0). */
  confidence: number;
  /** The model the others are compared with (--baseline; the first by default); null with one model or intervals off. */
  baseline: string | null;
  /** Each other model against the baseline, per metric with a paired test (README, "Intervals"). */
  comparisons: Comparison[];
  /**
   * A deterministic sample (≤ 2000 rows) for the predicted-vs-target scatter. `quantiles`, per
   * model (null without a quantile set), holds the sample's value of each level of its set, in
   * `models[].quantiles` order (for the residuals drawn behind the pinball curves).
   */
  sample: { lines: number[]; target: number[]; predictions: number[][]; quantiles?: (number[][] | null)[] };
  /** The target's median (weighted as scikit-learn's d2_absolute_error_score): the target the deviance curves are drawn for. */
  targetMedian?: number;
  /** Every metric per value of the group-by column; null without one. */
  groups: GroupsReport | null;
  warnings: string[];
}

export interface ReportMeta {
  file: string;
  format: FileFormat;
  columns: string[];
  target: string;
  predictions: string[];
  weight?: string;
  groupBy?: string;
  params: LossParams;
  topK: number;
  bins: number;
  /** 1-based line of the first byte of the first range (after the header). */
  firstLine?: number;
  /** Intervals and comparisons (default: off). */
  intervals?: IntervalOptions;
  /** The baseline's index in `predictions` (−1: no comparisons). */
  base?: number;
  /** Per model, its predicted variance or standard deviation column (#16 item 2). */
  spread?: (SpreadColumn | null)[];
  /** Quantile sets (#16 item 3), each one model's. */
  quantiles?: QuantileSetChoice[];
}
