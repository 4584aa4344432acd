/**
 * The classification family (binary today): a label column and one score column per model, a
 * probability of the positive class or a logit (decision value). See family.ts for the contract.
 */
import { baselineIndex } from '../../intervals/plan';
import type { IntervalOptions } from '../../intervals/report';
import { LossInspectorError } from '../../errors';
import type { LossFamily, ReadSpec } from '../../family';
import { GroupKeys } from '../../groups';
import { ColumnChoice, ColumnRequest, chooseColumns, PREDICTION_NAMES } from '../regression/columns';
import { ClassRangeAccumulator } from './accumulate';
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
}

/** Checks the classification parameters; a sentence for the first one out of range. */
export function checkClassParams(p: BinaryParams & { labelSmoothing: number }): string | undefined {
  if (!(p.threshold > 0 && p.threshold < 1)) return `The decision threshold must be strictly between 0 and 1 (got ${String(p.threshold)}).`;
  if (!(p.gamma >= 0) || !Number.isFinite(p.gamma)) return `The focal loss γ must be a number ≥ 0 (got ${String(p.gamma)}).`;
  if (!Number.isFinite(p.alpha) || p.alpha > 1) return `The focal loss α must be at most 1 (a negative α turns the α weighting off; got ${String(p.alpha)}).`;
  if (!(p.labelSmoothing >= 0 && p.labelSmoothing <= 1)) return `The label smoothing must be between 0 and 1 (got ${String(p.labelSmoothing)}).`;
  return undefined;
}

export const classification: LossFamily<ClassificationOptions, ClassificationJob, ClassPart, null, null, ClassificationReport> = {
  id: 'classification',

  plan(info, options, file) {
    const params = { ...DEFAULT_BINARY_PARAMS, ...options.binary, labelSmoothing: options.labelSmoothing ?? 0 };
    const bad = checkClassParams(params);
    if (bad) throw new LossInspectorError('badParameter', bad);
    const choice = chooseColumns(info.columns, options.columns ?? {}, file, SCORE_NAMES);
    const intervals = options.intervals ?? { confidence: 0 };
    const base = baselineIndex(choice.predictions, intervals, file);
    return { family: 'classification', choice, scores: options.scores ?? 'auto', positive: options.positive, params, topK: options.topK, intervals, base };
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
    new ClassRangeAccumulator(job.choice.predictions.length, job.choice.weight !== undefined, keys.labels ?? new GroupKeys(), keys.groups, job.topK),

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
    });
  },
};
