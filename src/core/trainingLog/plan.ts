/**
 * Whether a file is a training log, and which of its columns are the x axis and the series
 * (issue #17). From the columns and the file's name alone: the readers then hand over every
 * record, sparse cells included.
 */
import { LossInspectorError, quoteNames } from '../errors';
import type { FileInfo } from '../fileInfo';
import { chooseColumns } from '../tasks/regression/columns';
import { SCORE_NAMES } from '../tasks/classification';
import { chooseX, isCurveName, isSeriesCandidate, LogWriter, SeriesColumn, seriesColumn, tensorboardTag, writerOf, XKind } from './names';

/** What Compute Loss reads a file as: predictions (a target and predictions), a training log, or whichever it is. */
export type FileKind = 'auto' | 'predictions' | 'log';
export const FILE_KINDS: readonly FileKind[] = ['auto', 'predictions', 'log'];

/** The property of Hugging Face's trainer_state.json that holds the log. */
export const HF_LOG_KEY = 'log_history';

/** Two series of one quantity whose difference is the generalisation gap (indexes into LogPlan.series). */
export interface GapPair {
  quantity: string;
  train: number;
  val: number;
}

export interface LogPlan {
  writer: LogWriter;
  x: { column: string | null; kind: XKind };
  series: SeriesColumn[];
  gaps: GapPair[];
  /** JSON: the property whose array holds the records (trainer_state.json's log_history). */
  dataKey?: string;
}

/** Whether the file is Hugging Face's trainer_state.json (an object whose log_history is an array). */
export function isHfState(info: FileInfo): boolean {
  return info.format === 'json' && info.jsonShape === 'columns' && info.columns.includes(HF_LOG_KEY);
}

/** A target and a prediction (or score) column can be found: a predictions file. */
function hasPredictionPair(columns: readonly string[]): boolean {
  for (const names of [undefined, SCORE_NAMES]) {
    try {
      chooseColumns(columns, {}, '', names);
      return true;
    } catch {
      // not with these names
    }
  }
  return false;
}

/**
 * The log's plan, or undefined when `kind` is auto and the file is not a training log: an x
 * column (step, epoch, iteration, wall time; or a writer's layout) and a loss or metric column,
 * without a target–prediction pair. `kind` log reads any file as a log (without an x column,
 * the records' positions 1, 2, … are the x); it throws when no column can be a series.
 * `recordKeys`: for trainer_state.json, the keys of its log_history records.
 */
export function planLog(info: FileInfo, file: string, kind: FileKind, recordKeys?: readonly string[]): LogPlan | undefined {
  if (kind === 'predictions') return undefined;
  const hf = isHfState(info) && recordKeys !== undefined;
  const columns = hf ? (recordKeys as readonly string[]) : info.columns;
  const writer = writerOf(columns, file, hf);
  const x = chooseX(columns);
  const tag = writer === 'tensorboard' ? (tensorboardTag(file) ?? 'value') : undefined;
  let candidates = columns.filter((c) => isSeriesCandidate(c) && c !== x?.column);
  // The Trainer's closing record: the run's mean training loss and its throughput, one value each.
  if (writer === 'huggingface') candidates = candidates.filter((c) => c !== 'train_loss');
  const series = candidates.map((c) => seriesColumn(c, tag));
  if (kind === 'auto') {
    if (!hf && hasPredictionPair(columns)) return undefined;
    if (!x || !candidates.some((c) => isCurveName(writer === 'tensorboard' ? (tag ?? c) : c))) return undefined;
  }
  if (series.length === 0) {
    throw new LossInspectorError('noPrediction', `'${file}' has no column to read as a training curve besides ${x ? `its x column '${x.column}'` : 'nothing'}. Its columns are: ${quoteNames([...columns], 'columns')}.`, { file });
  }
  return { writer, x: x ?? { column: null, kind: 'index' }, series, gaps: gapPairs(series), ...(hf ? { dataKey: 'log_history' } : {}) };
}

/**
 * For each loss quantity (of each W&B run) with a training and a validation series: the pair.
 * The training series is the epoch-level one when Lightning logs both (`train_loss_epoch` is
 * logged at the steps of `val_loss`), else the plain one, else the step-level one.
 */
export function gapPairs(series: readonly SeriesColumn[]): GapPair[] {
  const out: GapPair[] = [];
  const seen = new Set<string>();
  const rank = (s: SeriesColumn) => (/_epoch$/i.test(s.name) ? 0 : /_step$/i.test(s.name) ? 2 : 1);
  series.forEach((s, i) => {
    if (s.role !== 'loss' || s.phase !== 'val') return;
    const key = `${s.run ?? ''}\u0000${s.quantity}`;
    if (seen.has(key)) return;
    let best = -1;
    series.forEach((t, j) => {
      if (t.role !== 'loss' || t.phase !== 'train' || t.quantity !== s.quantity || t.run !== s.run) return;
      if (best < 0 || rank(t) < rank(series[best])) best = j;
    });
    if (best >= 0) {
      seen.add(key);
      out.push({ quantity: s.quantity, train: best, val: i });
    }
  });
  return out;
}

/** The run's name from the file's path: its folder (Lightning's version_3, YOLO's train7), else the file's name without extension. */
export function runName(filePath: string): string {
  const parts = filePath.split(/[\\/]/).filter((p) => p !== '' && p !== '.');
  if (parts.length >= 2) return parts[parts.length - 2];
  return (parts[0] ?? filePath).replace(/\.[^.]*$/, '');
}
