import { LossInspectorError, quoteName, quoteNames } from '../../errors';
import type { SpreadColumn } from './variance';
import { isSpreadColumn, SpreadRequest } from './varianceColumns';
import { chooseWithQuantiles, type QuantileColumn, type QuantileSetChoice } from './quantileColumns';

/** Names recognised as the target column (compared after `normalizeName`). */
export const TARGET_NAMES = ['ytrue', 'y', 'target', 'label', 'actual', 'truth', 'groundtruth', 'gt', 'observed', 'expected'];
/** Names recognised as prediction columns (compared after `normalizeName`). */
export const PREDICTION_NAMES = ['ypred', 'yhat', 'pred', 'prediction', 'predicted', 'output', 'forecast', 'estimate', 'score'];

/** Case-insensitive, ignoring `-`, `_` and spaces. */
export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[-_\s]/g, '');
}

/** The column the task detection takes as the target when none is named: the first of TARGET_NAMES the file has. */
export function defaultTarget(columns: readonly string[]): string | undefined {
  return TARGET_NAMES.map((n) => columns.find((c) => normalizeName(c) === n)).find((c) => c !== undefined);
}

export interface ColumnChoice {
  target: string;
  predictions: string[];
  /** Sample-weight column, if any (never detected: only when asked for). */
  weight?: string;
  /** Categorical column whose values split the rows into groups, if any (only when asked for). */
  groupBy?: string;
  /** Per model, its predicted variance or standard deviation column, or null (#16 item 2; set by the regression family's plan). */
  spread?: (SpreadColumn | null)[];
  /** Quantile sets (#16 item 3, quantileColumns.ts), each one model's; absent without any. */
  quantiles?: QuantileSetChoice[];
}

export interface ColumnRequest extends SpreadRequest {
  target?: string;
  predictions?: string[];
  weight?: string;
  groupBy?: string;
  /** The group-by column comes from a setting: a file without it (or where it is a value column) is just not grouped. */
  groupByOptional?: boolean;
  /** Quantile sets asked for (each --quantiles COL=Q,… is one); absent or empty: detected by name. */
  quantiles?: QuantileColumn[][];
}

function findExact(columns: readonly string[], name: string, what: string, file: string): string {
  const matches = columns.filter((c) => c === name);
  if (matches.length === 0) {
    throw new LossInspectorError(
      'unknownColumn',
      `The ${what} column ${quoteName(name)} is not in '${file}'. Its columns are: ${quoteNames(columns, 'columns')}.`,
      { file },
    );
  }
  if (matches.length > 1) {
    throw new LossInspectorError(
      'duplicateColumn',
      `'${file}' has ${matches.length} columns named ${quoteName(name)}; rename them so the ${what} column is unambiguous.`,
      { file },
    );
  }
  return name;
}

/**
 * Resolves the target and prediction columns: explicit names win; otherwise names are detected
 * from the lists above. Throws a sentence listing the file's columns when that fails.
 */
export function chooseColumns(columns: readonly string[], req: ColumnRequest, file: string, predictionNames: readonly string[] = PREDICTION_NAMES): ColumnChoice {
  // Quantile sets are regression's (a classifier's score names go straight to the point columns).
  if (predictionNames !== PREDICTION_NAMES) return choosePoint(columns, req, file, predictionNames);
  return chooseWithQuantiles(columns, req, file, (cols, r) => choosePoint(cols, r, file, predictionNames));
}

/** The target, point predictions, weight and group-by column (no quantile sets). */
function choosePoint(columns: readonly string[], req: ColumnRequest, file: string, predictionNames: readonly string[]): ColumnChoice {
  let target: string | undefined;
  if (req.target) {
    target = findExact(columns, req.target, 'target', file);
  } else {
    const found = detect(columns, TARGET_NAMES);
    if (found.length === 0) {
      throw new LossInspectorError(
        'noTarget',
        `Could not find a target column in '${file}' (looked for ${TARGET_NAMES.join(', ')}). Its columns are: ${quoteNames(columns, 'columns')}. Name one with --target.`,
        { file },
      );
    }
    if (found.length > 1 && new Set(found).size > 1) {
      const names = found.map(quoteName).join(' and ');
      throw new LossInspectorError('noTarget', `'${file}' has several possible target columns (${names}); choose one with --target.`, { file });
    }
    target = findExact(columns, found[0], 'target', file);
  }
  let predictions: string[];
  if (req.predictions && req.predictions.length > 0) {
    predictions = req.predictions.map((p) => findExact(columns, p, 'prediction', file));
  } else {
    predictions = [...new Set(detect(columns, predictionNames))].filter((c) => c !== target);
    if (predictions.length === 0) {
      predictions = detectPrefixed(columns, target);
      // `pred_var` next to `pred_mean` is the mean's spread, not a model (varianceColumns.ts).
      predictions = predictions.filter((c, _, all) => !isSpreadColumn(c, all, [...(req.variance ?? []), ...(req.std ?? [])]));
    }
    if (predictions.length === 0) {
      throw new LossInspectorError(
        'noPrediction',
        `Could not find a prediction column in '${file}' (looked for ${predictionNames.join(', ')}). Its columns are: ${quoteNames(columns, 'columns')}. Name them with --prediction.`,
        { file },
      );
    }
    for (const p of predictions) findExact(columns, p, 'prediction', file);
  }
  if (predictions.includes(target)) {
    throw new LossInspectorError('badParameter', `The column ${quoteName(target)} cannot be both the target and a prediction.`, { file });
  }
  const choice: ColumnChoice = { target, predictions: [...new Set(predictions)] };
  if (req.weight) {
    const weight = findExact(columns, req.weight, 'weight', file);
    if (weight === target || predictions.includes(weight)) {
      throw new LossInspectorError('badParameter', `The column ${quoteName(weight)} cannot be both the weight and a target or prediction.`, { file });
    }
    choice.weight = weight;
  }
  const optionalMissing =
    req.groupByOptional && req.groupBy && (!columns.includes(req.groupBy) || req.groupBy === target || predictions.includes(req.groupBy) || req.groupBy === choice.weight);
  if (req.groupBy && !optionalMissing) {
    const groupBy = findExact(columns, req.groupBy, 'group-by', file);
    if (groupBy === target || predictions.includes(groupBy) || groupBy === choice.weight) {
      throw new LossInspectorError(
        'badParameter',
        `The column ${quoteName(groupBy)} cannot be both the group-by column and the target, a prediction or the weight.`,
        { file },
      );
    }
    choice.groupBy = groupBy;
  }
  return choice;
}

function detect(columns: readonly string[], names: readonly string[]): string[] {
  // Earlier names in the list are stronger hints (y_true before y); keep all columns matching
  // the strongest name that matches anything.
  for (const n of names) {
    const hits = columns.filter((c) => normalizeName(c) === n);
    if (hits.length > 0 && names === TARGET_NAMES) return hits;
    if (hits.length > 0) {
      // For predictions, several distinct names can all be models: collect every match.
      return columns.filter((c) => names.includes(normalizeName(c)));
    }
  }
  return [];
}

/** Models named like `pred_a`, `y_pred_model2`, `prediction (xgb)`: prefixed by a prediction word. */
function detectPrefixed(columns: readonly string[], target: string): string[] {
  return columns.filter((c) => {
    if (c === target) return false;
    const n = normalizeName(c);
    return PREDICTION_NAMES.some((p) => n.startsWith(p) && n.length > p.length);
  });
}
