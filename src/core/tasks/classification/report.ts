/**
 * The classification report: the JSON contract printed by `--json` for a classifier's file (see
 * the README, "The JSON contract"). `task` tells it from the regression report.
 */
import type { FileFormat, Locations } from '../../fileInfo';
import type { RowsSummary } from '../regression/report';
import type { MarginHistogram } from './margins';
import type { ThresholdTable } from './thresholds';
import type { Comparison, Intervals } from '../../intervals/report';

/** The binary metrics (classification/binary.ts computes them). */
export type BinaryMetricKey =
  | 'logLoss'
  | 'bce'
  | 'focal'
  | 'brier'
  | 'hinge'
  | 'accuracy'
  | 'balancedAccuracy'
  | 'precision'
  | 'recall'
  | 'f1'
  | 'mcc'
  | 'rocAuc'
  | 'averagePrecision'
  | 'ece';

export type BinaryMetrics = Record<BinaryMetricKey, number | null>;

export type ScoreKind = 'probabilities' | 'logits';

export interface ClassificationParams {
  threshold: number;
  gamma: number;
  alpha: number;
  labelSmoothing: number;
}

/** One of the most confidently wrong rows: the largest log loss. */
export interface WorstClassRow {
  line: number;
  label: string;
  predicted: string;
  /** The probability the model gave to the true class. */
  probability: number;
  /** The row's log loss. */
  loss: number;
}

export interface PerClassStats {
  label: string;
  /** Rows (weight) of this true class. */
  support: number;
  precision: number;
  recall: number;
  f1: number;
  /** Share of the model's total log loss carried by rows of this true class (0…1). */
  logLossShare: number | null;
}

/** How much of the log loss the worst rows carry (the confidently wrong, often label errors). */
export interface LossShare {
  rows: number;
  /** Share of the total log loss (0…1); null when the total is 0. */
  share: number | null;
  /** The smallest row loss in the group. */
  threshold: number;
}

export interface ClassModelReport {
  prediction: string;
  /** The score columns, in class order (binary: the one column). */
  columns: string[];
  scores: ScoreKind;
  metrics: BinaryMetrics;
  /** Per metric, its interval (null for a metric without one); null when intervals are off. */
  intervals: Intervals<BinaryMetricKey> | null;
  confusion: { labels: string[]; counts: number[][] };
  perClass: PerClassStats[];
  worst: WorstClassRow[];
  roc: { fpr: number[]; tpr: number[] };
  pr: { recall: number[]; precision: number[] };
  /** Reliability diagram: the non-empty calibration bins. */
  reliability: { lo: number; hi: number; rows: number; confidence: number; accuracy: number }[];
  robustness: { worst1: LossShare; worst10: LossShare };
  /** Probability given to the true class: counts in 20 equal bins over [0, 1]. */
  trueClassHistogram: number[];
  /** Rows by margin, the log-odds of the probability given to the true class: 64 bins over [−8, 8) (margins.ts). */
  marginHistogram: MarginHistogram;
  /** Confusion counts at the thresholds 0.001 … 0.999 and the report's own (thresholds.ts). */
  thresholds: ThresholdTable;
}

export interface ClassGroupReport {
  value: string;
  rows: number;
  weight: number;
  /** Per model, in `models` order. */
  metrics: BinaryMetrics[];
}

export interface ClassificationReport {
  version: 1;
  task: 'binary';
  file: string;
  format: FileFormat;
  /** What the `line` numbers of the report count: the file's lines, or (Parquet, Arrow) its 1-based rows. */
  locations: Locations;
  /** The label column. */
  target: string;
  weight: string | null;
  columns: string[];
  /** Every class, in class order (numbers numerically, else as strings sort). */
  classes: string[];
  positive: string;
  params: ClassificationParams;
  rows: RowsSummary;
  models: ClassModelReport[];
  /** As the regression report's: the confidence level (0: off), the baseline model and the comparisons. */
  confidence: number;
  baseline: string | null;
  comparisons: Comparison[];
  groups: { column: string; groups: ClassGroupReport[]; distinct: number | null; limit: number } | null;
  warnings: string[];
}
