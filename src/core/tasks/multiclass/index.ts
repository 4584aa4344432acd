/**
 * The multiclass family: a label column and, per model, one score column per class
 * (probabilities or logits), found by the naming conventions of columns.ts.
 */
import { LossInspectorError, quoteNames } from '../../errors';
import type { FileInfo } from '../../fileInfo';
import type { ArraySlots, LossFamily, ReadSpec } from '../../family';
import { baselineIndex } from '../../intervals/plan';
import type { IntervalOptions } from '../../intervals/report';
import { GroupKeys } from '../../groups';
import type { ColumnRequest } from '../regression/columns';
import type { ScoreKind } from '../classification/report';
import { MultiRangeAccumulator } from './accumulate';
import { findArrayModels } from './arrays';
import { buildMultiReport } from './build';
import { findClassColumns, labelColumn, MulticlassChoice } from './columns';
import { multiTransferables, MultiPart } from './parts';
import type { MulticlassReport } from './report';

export interface MulticlassOptions {
  columns?: ColumnRequest;
  /** The label column's first values (the engine samples them): the classes to look for. */
  labels: string[];
  scores?: 'auto' | ScoreKind;
  gamma?: number;
  labelSmoothing?: number;
  topK: number;
  /** Intervals and comparisons; absent: off. */
  intervals?: IntervalOptions;
}

export interface MulticlassJob {
  family: 'multiclass';
  choice: MulticlassChoice;
  scores: 'auto' | ScoreKind;
  gamma: number;
  labelSmoothing: number;
  topK: number;
  intervals: IntervalOptions;
  /** The baseline model's index (−1: no comparisons). */
  base: number;
}

/** The class columns (or score arrays) of a multiclass file, or a sentence saying why there are none. */
export function planColumns(info: Pick<FileInfo, 'columns' | 'arrays'>, req: ColumnRequest, labels: readonly string[], file: string): MulticlassChoice {
  const { columns } = info;
  const target = labelColumn(columns, req, file);
  const names = req.predictions && req.predictions.length ? req.predictions : undefined;
  const found = findClassColumns(columns, target, labels, names) ?? findArrayModels(info.arrays, target, labels, file, names);
  if (!found) {
    throw new LossInspectorError(
      'noPrediction',
      `Could not find one score column per class in '${file}' for the classes of ${JSON.stringify(target)} (${labels.slice(0, 8).join(', ')}${labels.length > 8 ? ', …' : ''}): name them as the classes (cat, dog, …) or as a prefix plus each class (p_cat, prob_0, …), or (JSON) give each row an array of scores such as "probs":[…] with labels 0 … k − 1. Its columns are: ${quoteNames(columns, 'columns')}.`,
      { file },
    );
  }
  const choice: MulticlassChoice = { target, classes: found.classes, models: found.models };
  const used = new Set([target, ...found.models.flatMap((m) => (m.array !== undefined ? [m.array] : m.columns))]);
  if (req.weight) {
    if (!columns.includes(req.weight) || used.has(req.weight)) throw new LossInspectorError('badParameter', `The weight column ${JSON.stringify(req.weight)} must be a column of '${file}' other than the label and the scores.`, { file });
    choice.weight = req.weight;
  }
  if (req.groupBy && columns.includes(req.groupBy) && !used.has(req.groupBy) && req.groupBy !== choice.weight) choice.groupBy = req.groupBy;
  else if (req.groupBy && !req.groupByOptional) throw new LossInspectorError('badParameter', `The group-by column ${JSON.stringify(req.groupBy)} must be a column of '${file}' other than the label, the scores and the weight.`, { file });
  return choice;
}

export const multiclass: LossFamily<MulticlassOptions, MulticlassJob, MultiPart, null, null, MulticlassReport> = {
  id: 'multiclass',

  plan(info, options, file) {
    const gamma = options.gamma ?? 2;
    const labelSmoothing = options.labelSmoothing ?? 0;
    if (!(gamma >= 0) || !Number.isFinite(gamma)) throw new LossInspectorError('badParameter', `The focal loss γ must be a number ≥ 0 (got ${String(gamma)}).`);
    if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) throw new LossInspectorError('badParameter', `The label smoothing must be between 0 and 1 (got ${String(labelSmoothing)}).`);
    const choice = planColumns(info, options.columns ?? {}, options.labels, file);
    const intervals = options.intervals ?? { confidence: 0 };
    const base = baselineIndex(choice.models.map((m) => m.name), intervals, file);
    return { family: 'multiclass', choice, scores: options.scores ?? 'auto', gamma, labelSmoothing, topK: options.topK, intervals, base };
  },

  readSpec({ choice }): ReadSpec {
    const k = choice.classes.length;
    // Slots: the label, then k per model (from its columns, or from its array), then the weight.
    const arrays: ArraySlots[] = choice.models.flatMap((m, i) => (m.array !== undefined ? [{ key: m.array, at: 1 + i * k, length: k }] : []));
    return {
      numbers: [choice.target, ...choice.models.flatMap((m) => m.columns), ...(choice.weight !== undefined ? [choice.weight] : [])],
      categorical: 0,
      ...(choice.groupBy !== undefined ? { groupBy: choice.groupBy } : {}),
      ...(arrays.length ? { arrays } : {}),
    };
  },

  newThread: () => null,
  serializeThread: () => ({ state: null, transfer: [] }),
  mergeThread: () => undefined,

  newRange: (job, _thread, keys) =>
    new MultiRangeAccumulator(job.choice.models.length, job.choice.classes.length, job.choice.weight !== undefined, keys.labels ?? new GroupKeys(), keys.groups),

  transferables: multiTransferables,

  buildReport(parts, _thread, job, { file, info }) {
    const { choice } = job;
    return buildMultiReport(parts, {
      file,
      format: info.format,
      columns: info.columns,
      label: choice.target,
      classes: choice.classes,
      models: choice.models,
      weight: choice.weight,
      groupBy: choice.groupBy,
      scores: job.scores,
      params: { gamma: job.gamma, labelSmoothing: job.labelSmoothing },
      topK: job.topK,
      firstLine: info.dataStartLine,
      decimalComma: info.dialect?.decimalComma ?? false,
      intervals: job.intervals,
      base: job.base,
    });
  },
};
