/**
 * The report of a training log (issue #17): the JSON contract of `--json` (`kind: "trainingLog"`)
 * and what the report view draws. Fields are only ever added.
 */
import type { RowsSummary } from '../rows';
import type { FileFormat } from '../fileInfo';
import type { LogWriter, SeriesPhase, SeriesRole, XKind } from './names';
import type { At, LogPoints, Spike } from './series';

export type { LogPoints };

export interface LogSeriesReport {
  /** As shown: the column's name trimmed (a TensorBoard export's tag for its Value column). */
  name: string;
  /** The column (key) in the file. */
  column: string;
  role: SeriesRole;
  phase: SeriesPhase;
  /** What it measures without phase and granularity (train_loss_step, val_loss: loss). */
  quantity: string;
  /** A W&B export's run (`run - loss`). */
  run?: string;
  /** The x column (null: the record's position). */
  x: string | null;
  points: LogPoints;
  /** TensorBoard's smoothed value (weight `params.smoothing`) at each point's x: exact, over every value of the file. */
  smoothed: (number | null)[];
  /** Values in the file (finite or not) and finite ones. */
  values: number;
  finite: number;
  min: At | null;
  max: At | null;
  /** The last finite value. */
  last: At | null;
  /** The best value: a loss's minimum, a metric's maximum (an error rate's minimum); null for the learning rate and others. */
  best: At | null;
  /** The first NaN or infinite value. */
  firstNonFinite: { step: number; line: number; value: 'NaN' | 'Infinity' | '-Infinity' } | null;
  /** Values above spikeK × the median of the previous values (losses only; at most 100 listed). */
  spikes: Spike[];
  spikeCount: number;
  /** Every value equal: TensorBoard draws it unsmoothed, and so does the report. */
  constant: boolean;
  /** Values that were text (not numbers, not NaN), left out. */
  textValues: number;
}

/** Validation − training of one quantity, aligned by step. */
export interface LogGap {
  quantity: string;
  train: string;
  val: string;
  points: { x: number[]; gap: (number | null)[] };
  last: { step: number; value: number } | null;
  /** At the validation series' best value. */
  atBest: { step: number; value: number } | null;
}

/** One chart: the losses of one quantity (training and validation together), the metrics, the learning rate. */
export interface LogChart {
  title: string;
  role: SeriesRole;
  /** Names of its series. */
  series: string[];
}

export type EndVerdict = 'improving' | 'plateau' | 'overfitting' | 'rising' | 'diverged' | 'short';

/** How the run ends: the trend of its main loss (a line fitted to its points) over the last 20% of its x range. */
export interface EndOfRun {
  verdict: EndVerdict;
  /** The series judged (the validation loss when there is one). */
  series: string;
  /** The training series compared with it (overfitting needs one). */
  train: string | null;
  /** Relative change of the fitted line over the tail (null: not enough points). */
  change: number | null;
  trainChange: number | null;
  from: { step: number; value: number } | null;
  to: { step: number; value: number } | null;
}

export interface TrainingLogReport {
  version: 1;
  kind: 'trainingLog';
  file: string;
  format: FileFormat;
  /** The run's name: its folder (Lightning's version_3, YOLO's train7), else the file's name. */
  run: string;
  writer: LogWriter;
  x: { column: string | null; kind: XKind };
  params: { smoothing: number; spikeK: number; spikeWindow: number };
  series: LogSeriesReport[];
  charts: LogChart[];
  gaps: LogGap[];
  end: EndOfRun | null;
  /** Records: used (at least one value), skipped (no usable step, no value, more fields than the header). */
  rows: RowsSummary;
  warnings: string[];
}

/** Several logs in one report, a run per file (selected together). */
export interface TrainingLogRuns {
  version: 1;
  kind: 'trainingLogRuns';
  runs: TrainingLogReport[];
}

export type AnyLogReport = TrainingLogReport | TrainingLogRuns;

/** The runs of a log report (one for a single file). */
export function runsOf(r: AnyLogReport): TrainingLogReport[] {
  return r.kind === 'trainingLogRuns' ? r.runs : [r];
}
