/**
 * What the columns of a training log are (issue #17): the x axis (step, epoch, wall time), and
 * for every other column its role (a loss, a metric such as an accuracy, the learning rate), its
 * phase (training or validation) and the quantity it measures, so that `train_loss` and
 * `val_loss` share a chart. Names only: pure, no file access.
 */

/** What a series measures: the chart it goes to and whether lower is better. */
export type SeriesRole = 'loss' | 'metric' | 'lr' | 'other';
/** Training or validation (validation, eval and test count as validation). */
export type SeriesPhase = 'train' | 'val';
/** What the x axis counts. */
export type XKind = 'step' | 'epoch' | 'time' | 'index';

/** The writers whose layouts are recognised (generic: a hand-written loop's step,train_loss,… file). */
export type LogWriter = 'lightning' | 'keras' | 'huggingface' | 'yolo' | 'tensorboard' | 'wandb' | 'generic';

export const WRITER_NAMES: Record<LogWriter, string> = {
  lightning: "PyTorch Lightning's CSVLogger",
  keras: "Keras' CSVLogger",
  huggingface: "Hugging Face Trainer's trainer_state.json",
  yolo: "Ultralytics YOLO's results.csv",
  tensorboard: "TensorBoard's scalar CSV export",
  wandb: "Weights & Biases' CSV export",
  generic: 'a training loop',
};

/** A column as a series of the log. */
export interface SeriesColumn {
  /** The column's name in the file (the key the readers look up). */
  column: string;
  /** The name shown: the column's, trimmed (YOLO pads its names), or a TensorBoard export's tag. */
  name: string;
  role: SeriesRole;
  phase: SeriesPhase;
  /** The quantity without its phase and granularity: `loss` for train_loss_step, val_loss and eval_loss. */
  quantity: string;
  /** The run a W&B export's column belongs to (`run - loss`), else undefined. */
  run?: string;
}

/** Normalized for matching: lower case, trimmed. */
function norm(name: string): string {
  return name.trim().toLowerCase();
}

/** x columns, best first within each kind. */
const STEP_NAMES = ['step', 'global_step', 'trainer/global_step', '_step', 'iteration', 'iter', 'it', 'steps', 'batch', 'train/global_step'];
const EPOCH_NAMES = ['epoch', 'epochs', 'train/epoch'];
const TIME_NAMES = ['wall time', 'wall_time', 'walltime', 'time', 'timestamp', '_timestamp', '_runtime', 'relative time', 'elapsed'];

/** The kind of x a column name is, or undefined. */
export function xKindOf(name: string): XKind | undefined {
  const n = norm(name);
  if (STEP_NAMES.includes(n)) return 'step';
  if (EPOCH_NAMES.includes(n)) return 'epoch';
  if (TIME_NAMES.includes(n)) return 'time';
  return undefined;
}

/** The x column among `columns`: a step column first, else an epoch, else a time; undefined without one. */
export function chooseX(columns: readonly string[]): { column: string; kind: XKind } | undefined {
  for (const kind of ['step', 'epoch', 'time'] as const) {
    const names = kind === 'step' ? STEP_NAMES : kind === 'epoch' ? EPOCH_NAMES : TIME_NAMES;
    for (const want of names) {
      const column = columns.find((c) => norm(c) === want);
      if (column !== undefined) return { column, kind };
    }
  }
  return undefined;
}

/** Hugging Face's bookkeeping keys: numbers, but no curve of the training (throughput, FLOPs). */
const BOOKKEEPING = /(^|[/_])(runtime|samples_per_second|steps_per_second|total_flos|num_input_tokens_seen|num_tokens)$/;

/** Words of a metric's name (whole tokens: `metrics/mAP50(B)` has `map50`). */
const METRIC_TOKEN = /^(acc|accuracy|f1|precision|recall|auc|auroc|map\d*|iou|miou|dice|bleu|rouge\w*|score|top\d+|mae|mse|rmse|perplexity|ppl|error|err|wer|cer|ap\d*)$/;

/** The role of a series from its name (lower case, phase and granularity removed or not). */
function roleOf(n: string): SeriesRole {
  if (n.includes('loss')) return 'loss';
  if (/(^|[/_\- ])(lr|learning_rate|learning-rate)($|[/_\- ])/.test(n) || n.startsWith('lr-') || n.startsWith('lr/') || n === 'lr' || n.includes('learning_rate')) return 'lr';
  if (n.split(/[^a-z0-9]+/).some((t) => METRIC_TOKEN.test(t))) return 'metric';
  return 'other';
}

/** Prefixes and suffixes naming the phase; `_step` / `_epoch` are Lightning's granularity suffixes. */
const VAL_PREFIX = /^(val|valid|validation|eval|test|dev)[_/\- ]/;
const TRAIN_PREFIX = /^(train|training|tr)[_/\- ]/;
const VAL_SUFFIX = /[_/\- ](val|valid|validation|eval|test|dev)$/;
const TRAIN_SUFFIX = /[_/\- ](train|training)$/;
const GRANULARITY = /_(step|epoch)$/;

/** Phase and quantity of a (lower-case) name: `val_loss` → val, loss; `train/box_loss` → train, box_loss. */
export function phaseAndQuantity(n: string): { phase: SeriesPhase; quantity: string } {
  let q = n.replace(GRANULARITY, '');
  let phase: SeriesPhase = 'train';
  if (VAL_PREFIX.test(q)) {
    phase = 'val';
    q = q.replace(VAL_PREFIX, '');
  } else if (VAL_SUFFIX.test(q)) {
    phase = 'val';
    q = q.replace(VAL_SUFFIX, '');
  } else if (TRAIN_PREFIX.test(q)) q = q.replace(TRAIN_PREFIX, '');
  else if (TRAIN_SUFFIX.test(q)) q = q.replace(TRAIN_SUFFIX, '');
  q = q.replace(GRANULARITY, '');
  return { phase, quantity: q === '' ? n : q };
}

/**
 * A column as a series: its role, phase and quantity. `tag` names a TensorBoard export's only
 * series (its `Value` column) after the tag in the file's name.
 */
export function seriesColumn(column: string, tag?: string): SeriesColumn {
  let name = column.trim();
  let run: string | undefined;
  let n = norm(name);
  if (tag !== undefined && n === 'value') {
    name = tag;
    n = norm(tag);
  }
  // W&B: "run name - metric"; the run is kept apart, the metric decides the rest.
  const dash = name.lastIndexOf(' - ');
  if (dash > 0) {
    run = name.slice(0, dash);
    n = norm(name.slice(dash + 3));
  }
  const { phase, quantity } = phaseAndQuantity(n);
  return { column, name, role: roleOf(n), phase, quantity, ...(run !== undefined ? { run } : {}) };
}

/** Whether a column holds no curve of the training: an x column, bookkeeping, W&B's min/max envelope, a Lightning hparam. */
export function isSeriesCandidate(column: string): boolean {
  const n = norm(column);
  if (n === '' || xKindOf(n) !== undefined) return false;
  if (BOOKKEEPING.test(n)) return false;
  if (n.endsWith('__min') || n.endsWith('__max')) return false;
  return true;
}

/** A W&B export's x and series: `Step` plus `run - metric` columns. */
function isWandb(columns: readonly string[]): boolean {
  return columns.some((c) => c.includes(' - ')) && columns.some((c) => c.endsWith('__MIN') || c.endsWith('__MAX'));
}

/** Which writer's layout the columns are (the file's name helps: results.csv, metrics.csv, trainer_state.json). */
export function writerOf(columns: readonly string[], fileName: string, hfLogHistory: boolean): LogWriter {
  const base = fileName.replace(/^.*[\\/]/, '').toLowerCase();
  const lower = columns.map(norm);
  if (hfLogHistory) return 'huggingface';
  if (lower.length === 3 && lower[0] === 'wall time' && lower[1] === 'step' && lower[2] === 'value') return 'tensorboard';
  if (isWandb(columns)) return 'wandb';
  if (lower.some((c) => c.startsWith('train/') && c.endsWith('_loss')) && lower.some((c) => c.startsWith('metrics/'))) return 'yolo';
  if (lower.includes('step') && lower.includes('epoch') && (base === 'metrics.csv' || lower.some((c) => GRANULARITY.test(c)))) return 'lightning';
  if (lower[0] === 'epoch' && lower.includes('loss')) return 'keras';
  return 'generic';
}

/** A TensorBoard export's tag from its file name (`run-version_0-tag-train_loss.csv` → train_loss). */
export function tensorboardTag(fileName: string): string | undefined {
  const base = fileName.replace(/^.*[\\/]/, '');
  const m = /-tag-(.+?)\.(csv|json)$/i.exec(base);
  return m ? m[1] : undefined;
}

/**
 * Whether a name is a training curve's: a loss, an accuracy or another metric, the learning rate.
 * The auto rule calls a file a log only when one of its columns is one of these.
 */
export function isCurveName(column: string): boolean {
  const s = seriesColumn(column);
  return s.role !== 'other';
}
