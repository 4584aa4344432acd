/** The multiclass report: the JSON contract printed by `--json` for a multiclass file (`task: 'multiclass'`). */
import type { FileFormat, Locations } from '../../fileInfo';
import type { RowsSummary } from '../../rows';
import type { LossShare, PerClassStats, ScoreKind } from '../classification/report';
import type { MultiMetricKey, MultiMetrics } from './metrics';
import type { Comparison, Intervals } from '../../intervals/report';

export interface MultiWorstRow {
  line: number;
  label: string;
  predicted: string;
  /** The probability given to the true class (softmax of the logits). */
  probability: number;
  loss: number;
}

export interface MultiModelReport {
  prediction: string;
  /** The score columns, in class order (for scores given as an array, `probs[0]`, `probs[1]`, …). */
  columns: string[];
  /** The JSON field whose array holds the row's scores, when they are not columns. */
  array?: string;
  scores: ScoreKind;
  metrics: MultiMetrics;
  /** Per metric, its interval (null for a metric without one); null when intervals are off. */
  intervals: Intervals<MultiMetricKey> | null;
  confusion: { labels: string[]; counts: number[][] };
  perClass: PerClassStats[];
  worst: MultiWorstRow[];
  reliability: { lo: number; hi: number; rows: number; confidence: number; accuracy: number }[];
  robustness: { worst1: LossShare; worst10: LossShare };
}

export interface MulticlassReport {
  version: 1;
  task: 'multiclass';
  file: string;
  format: FileFormat;
  /** What the `line` numbers of the report count: the file's lines, or (Parquet, Arrow) its 1-based rows. */
  locations: Locations;
  target: string;
  weight: string | null;
  columns: string[];
  classes: string[];
  params: { gamma: number; labelSmoothing: number };
  rows: RowsSummary;
  models: MultiModelReport[];
  /** As the regression report's: the confidence level (0: off), the baseline model and the comparisons. */
  confidence: number;
  baseline: string | null;
  comparisons: Comparison[];
  groups: { column: string; groups: { value: string; rows: number; weight: number; metrics: MultiMetrics[] }[]; distinct: number | null; limit: number } | null;
  warnings: string[];
}
