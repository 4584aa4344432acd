/**
 * The regression family: a target column and one prediction column per model, every loss of the
 * residual d = prediction − target (see losses.ts), as the first implementation of LossFamily
 * (src/core/family.ts).
 */
import { LossInspectorError } from '../../errors';
import type { LossFamily, ReadSpec } from '../../family';
import { RangeAccumulator } from './accumulate';
import { buildReport } from './build';
import { ColumnChoice, ColumnRequest, chooseColumns } from './columns';
import { checkParams, LossParams } from './losses';
import { RangeResult, transferables } from './parts';
import type { Report } from './report';
import { ResidualKeys, SerializedKeys } from './residualKeys';
import { quantileLayout } from './quantileSet';
import { baselineIndex } from '../../intervals/plan';
import type { IntervalOptions } from '../../intervals/report';
import { chooseSpread } from './varianceColumns';
import { spreadSlots } from './varianceAcc';
import { RegressionPassPlan, regressionPassPlan, runRangePass } from './rangePass';

/** What the user asks of a regression analysis. */
export interface RegressionOptions {
  columns?: ColumnRequest;
  params: LossParams;
  /** Worst rows kept per model. */
  topK: number;
  /** Residual histogram bins. */
  bins: number;
  /** Intervals and comparisons (--confidence, --baseline, --time-ordered); absent: off. */
  intervals?: IntervalOptions;
}

/** A planned regression analysis: sent unchanged to every scan thread. */
export interface RegressionJob {
  family: 'regression';
  choice: ColumnChoice;
  params: LossParams;
  topK: number;
  bins: number;
  intervals: IntervalOptions;
  /** The baseline model's index (−1: no comparisons: one model, or intervals off). */
  base: number;
}

export const regression: LossFamily<RegressionOptions, RegressionJob, RangeResult, ResidualKeys, SerializedKeys, Report, RegressionPassPlan> = {
  id: 'regression',

  plan(info, options, file) {
    const bad = checkParams(options.params);
    if (bad) throw new LossInspectorError('badParameter', bad);
    const choice = chooseColumns(info.columns, options.columns ?? {}, file);
    const spread = chooseSpread(info.columns, choice.predictions, [choice.target, choice.weight ?? '', choice.groupBy ?? ''], options.columns ?? {}, file);
    if (spread) choice.spread = spread;
    const intervals = options.intervals ?? { confidence: 0 };
    const base = baselineIndex(choice.predictions, intervals, file);
    return { family: 'regression', choice, params: options.params, topK: options.topK, bins: options.bins, intervals, base };
  },

  readSpec({ choice }): ReadSpec {
    return {
      // The spread columns, then the quantile sets' own columns (quantileLayout counts the spread ones before its slots).
      numbers: [choice.target, ...choice.predictions, ...(choice.weight !== undefined ? [choice.weight] : []), ...spreadColumns(choice), ...(quantileLayout(choice)?.extra ?? [])],
      ...(choice.groupBy !== undefined ? { groupBy: choice.groupBy } : {}),
    };
  },

  newThread: (job) => new ResidualKeys(job.choice.predictions.length),

  serializeThread(keys) {
    return { state: keys.serialize(), transfer: [...keys.hists, keys.targets].map((h) => h.buffer as ArrayBuffer) };
  },

  mergeThread: (into, from) => into.merge(from),

  newRange: (job, keys, { groups }) =>
    new RangeAccumulator(
      job.choice.predictions.length,
      job.params,
      job.topK,
      job.choice.weight !== undefined,
      groups,
      keys,
      job.base,
      spreadOf(job.choice)?.slots,
      quantileLayout(job.choice),
      job.intervals.confidence > 0,
    ),

  // Pass B of every model over each range's residuals (#20 item 4), in the scan threads.
  passPlan: (used, keys, job) => regressionPassPlan(used, keys, { bins: job.bins, params: job.params, weighted: job.choice.weight !== undefined, confidence: job.intervals.confidence }),

  passRange: runRangePass,

  transferables,

  buildReport(parts, keys, job, { file, info }) {
    const { choice } = job;
    return buildReport(
      parts,
      {
        file,
        format: info.format,
        columns: info.columns,
        target: choice.target,
        predictions: choice.predictions,
        weight: choice.weight,
        groupBy: choice.groupBy,
        params: job.params,
        topK: job.topK,
        bins: job.bins,
        firstLine: info.dataStartLine,
        intervals: job.intervals,
        base: job.base,
        spread: choice.spread,
        quantiles: choice.quantiles,
      },
      keys,
    );
  },
};

/** The spread columns' slots in a row's values (after the target, the predictions and the weight), if any. */
function spreadOf(choice: ColumnChoice): ReturnType<typeof spreadSlots> | undefined {
  return choice.spread ? spreadSlots(choice.spread, 1 + choice.predictions.length + (choice.weight !== undefined ? 1 : 0)) : undefined;
}

function spreadColumns(choice: ColumnChoice): string[] {
  return spreadOf(choice)?.columns ?? [];
}
