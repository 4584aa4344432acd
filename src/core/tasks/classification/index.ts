/**
 * The classification family (binary today): a label column and one score column per model, a
 * probability of the positive class or a logit (decision value). See family.ts for the contract.
 */
import { baselineIndex } from '../../intervals/plan';
import type { IntervalOptions } from '../../intervals/report';
import { LossInspectorError, quoteName } from '../../errors';
import type { LossFamily, ReadSpec } from '../../family';
import { GroupKeys } from '../../groups';
import { ColumnChoice, ColumnRequest, chooseColumns, defaultTarget, PREDICTION_NAMES } from '../regression/columns';
import { findClassColumns } from '../multiclass/columns';
import { arrayScoreFields } from '../multiclass/arrays';
import type { ArrayField } from '../../readers/jsonHead';
import { orderClasses, positiveClass } from './classes';
import { BinarySpec, ClassRangeAccumulator } from './accumulate';
import type { FileInfo } from '../../fileInfo';
import { buildClassReport } from './build';
import { BinaryParams, DEFAULT_BINARY_PARAMS } from './losses';
import { classTransferables, ClassPart } from './parts';
import type { ClassificationReport, ScoreKind } from './report';

/** Names recognised as a classifier's score columns (after normalizeName), besides the regression ones. */
export const SCORE_NAMES = [
  ...PREDICTION_NAMES,
  'prob',
  'proba',
  'probability',
  'yprob',
  'yproba',
  'yscore',
  'predproba',
  'logit',
  'logits',
  'decision',
  'margin',
  'p',
];

export interface ClassificationOptions {
  columns?: ColumnRequest;
  /** How to read the scores; auto: probabilities when every score is in [0, 1]. */
  scores?: 'auto' | ScoreKind;
  /** The positive class (binary). */
  positive?: string;
  binary?: Partial<BinaryParams>;
  labelSmoothing?: number;
  topK: number;
  /** Intervals and comparisons; absent: off. */
  intervals?: IntervalOptions;
  /** The label's values in the file's first rows (detectTask), for the message about two class columns. */
  labels?: string[];
}

export interface ClassificationJob {
  family: 'classification';
  choice: ColumnChoice;
  scores: 'auto' | ScoreKind;
  positive?: string;
  params: BinaryParams & { labelSmoothing: number };
  topK: number;
  intervals: IntervalOptions;
  /** The baseline model's index (−1: no comparisons). */
  base: number;
  /** The guess that lets the scan threads run the per-row pass (accumulate.ts), or undefined. */
  spec?: BinarySpec;
}

/**
 * The classes and score kinds the scan may assume: the two classes of the file's first rows, the
 * positive one as the builder will choose it, and per model the kind asked for, or (auto)
 * probabilities unless a first value is outside [0, 1]. Undefined without two sampled classes.
 */
function binarySpec(info: FileInfo, choice: ColumnChoice, options: ClassificationOptions, params: BinaryParams): BinarySpec | undefined {
  const labels = options.labels;
  if (!labels || labels.length !== 2) return undefined;
  const decimalComma = info.dialect?.decimalComma ?? false;
  const order = orderClasses(labels, decimalComma);
  if (order.classes.length !== 2) return undefined;
  const positive = positiveClass(order, options.positive, decimalComma);
  if (positive < 0) return undefined;
  const kinds = choice.predictions.map((col): ScoreKind => {
    if (options.scores === 'logits' || options.scores === 'probabilities') return options.scores;
    const first = info.preview[info.columns.indexOf(col)] ?? [];
    return first.some((v) => v.trim() !== '' && !(Number(v) >= 0 && Number(v) <= 1)) ? 'logits' : 'probabilities';
  });
  return { classes: order.classes, positive, decimalComma, kinds, params };
}

/** Checks the classification parameters; a sentence for the first one out of range. */
export function checkClassParams(p: BinaryParams & { labelSmoothing: number }): string | undefined {
  if (!(p.threshold > 0 && p.threshold < 1)) return `The decision threshold must be strictly between 0 and 1 (got ${String(p.threshold)}).`;
  if (!(p.gamma >= 0) || !Number.isFinite(p.gamma)) return `The focal loss γ must be a number ≥ 0 (got ${String(p.gamma)}).`;
  if (!Number.isFinite(p.alpha) || p.alpha > 1) return `The focal loss α must be at most 1 (a negative α turns the α weighting off; got ${String(p.alpha)}).`;
  if (!(p.labelSmoothing >= 0 && p.labelSmoothing <= 1)) return `The label smoothing must be between 0 and 1 (got ${String(p.labelSmoothing)}).`;
  return undefined;
}

/**
 * The score columns; when none is found but the file has one column per class (scikit-learn's
 * predict_proba written as `proba_0, proba_1`), a sentence that names the positive class's column
 * rather than the generic one: reading both as two models, or guessing that they sum to 1, could
 * give a plausible wrong number, so the user names the column (not read automatically yet).
 */
function chooseScoreColumns(columns: readonly string[], options: ClassificationOptions, file: string, arrays?: readonly ArrayField[]): ColumnChoice {
  try {
    return chooseColumns(columns, options.columns ?? {}, file, SCORE_NAMES);
  } catch (e) {
    const req = options.columns ?? {};
    if (!(e instanceof LossInspectorError) || e.code !== 'noPrediction' || (req.predictions?.length ?? 0) > 0 || !options.labels || options.labels.length !== 2) throw e;
    // The target detectTask read the labels of (not the first target-like column in file order).
    const target = req.target ?? defaultTarget(columns);
    // JSON with a two-score array per row (`"probs": [0.3, 0.7]`): an element cannot be named yet.
    const pair = target !== undefined ? arrayScoreFields(arrays, target).find((a) => a.lengths.length > 0 && a.lengths.every((n) => n === 2)) : undefined;
    if (pair) {
      throw new LossInspectorError(
        'noPrediction',
        `'${file}' holds its scores as an array of two per row (${quoteName(pair.key)} on line ${pair.lines[0]}), one per class, as predict_proba gives them. A binary report reads one score per model, and an array element cannot be named as a column yet: write the positive class's probability as a field of its own (for example "${pair.key}_1": the array's second value) and name it with --prediction.`,
        { file, line: pair.lines[0] },
      );
    }
    const found = target !== undefined ? findClassColumns(columns, target, options.labels, undefined, 2) : undefined;
    if (!found) throw e;
    const order = orderClasses(options.labels);
    const pos = options.positive !== undefined ? order.classes.indexOf(options.positive) : positiveClass(order);
    const positive = order.classes[pos >= 0 ? pos : order.classes.length - 1];
    const cols = found.models.map((m) => m.columns[found.classes.indexOf(positive)]);
    const pairs = found.models.map((m) => m.columns.map(quoteName).join(' and ')).join('; ');
    throw new LossInspectorError(
      'noPrediction',
      `'${file}' holds one score column per class (${pairs}), as scikit-learn's predict_proba writes them. A binary report reads one score per model: the probability of the positive class ${quoteName(positive)}. Name ${cols.length === 1 ? 'it' : 'them'} with --prediction ${cols.join(',')} (in VS Code, pick ${cols.length === 1 ? 'it' : 'them'} in the column list). If the columns are logits, give their difference as one column instead.`,
      { file },
    );
  }
}

export const classification: LossFamily<ClassificationOptions, ClassificationJob, ClassPart, null, null, ClassificationReport> = {
  id: 'classification',

  plan(info, options, file) {
    const params = { ...DEFAULT_BINARY_PARAMS, ...options.binary, labelSmoothing: options.labelSmoothing ?? 0 };
    const bad = checkClassParams(params);
    if (bad) throw new LossInspectorError('badParameter', bad);
    const choice = chooseScoreColumns(info.columns, options, file, info.arrays);
    const intervals = options.intervals ?? { confidence: 0 };
    const base = baselineIndex(choice.predictions, intervals, file);
    const spec = binarySpec(info, choice, options, params);
    return { family: 'classification', choice, scores: options.scores ?? 'auto', positive: options.positive, params, topK: options.topK, intervals, base, ...(spec ? { spec } : {}) };
  },

  readSpec({ choice }): ReadSpec {
    return {
      numbers: [choice.target, ...choice.predictions, ...(choice.weight !== undefined ? [choice.weight] : [])],
      categorical: 0,
      ...(choice.groupBy !== undefined ? { groupBy: choice.groupBy } : {}),
    };
  },

  // Nothing is kept per thread: every part carries its own rows.
  newThread: () => null,
  serializeThread: () => ({ state: null, transfer: [] }),
  mergeThread: () => undefined,

  newRange: (job, _thread, keys) =>
    new ClassRangeAccumulator(job.choice.predictions.length, job.choice.weight !== undefined, keys.labels ?? new GroupKeys(), keys.groups, job.topK, job.spec),

  transferables: classTransferables,

  buildReport(parts, _thread, job, { file, info }) {
    const { choice } = job;
    return buildClassReport(parts, {
      file,
      format: info.format,
      columns: info.columns,
      label: choice.target,
      predictions: choice.predictions,
      weight: choice.weight,
      groupBy: choice.groupBy,
      scores: job.scores,
      positive: job.positive,
      params: job.params,
      topK: job.topK,
      firstLine: info.dataStartLine,
      decimalComma: info.dialect?.decimalComma ?? false,
      intervals: job.intervals,
      base: job.base,
      spec: job.spec,
    });
  },
};
