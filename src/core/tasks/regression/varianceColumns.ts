/**
 * Which column holds each model's predicted variance or standard deviation (#16 item 2): named
 * (--variance / --std, one column for every model or one per model), else detected, per model
 * (`pred_var`, `pred_std`, `y_pred_sigma` next to `pred`, `y_pred`; `pred_var` next to
 * `pred_mean`), else one column for every model (`var`, `variance`, `sigma`, `std`, `y_std`).
 */
import { LossInspectorError, quoteName, quoteNames } from '../../errors';
import { normalizeName, PREDICTION_NAMES } from './columns';
import type { SpreadColumn, SpreadKind } from './variance';

/** Suffixes (after normalizeName) of a model's own spread column, by kind. */
const SUFFIXES: Record<SpreadKind, readonly string[]> = {
  variance: ['var', 'variance'],
  std: ['std', 'sigma', 'stddev'],
};
/** Names (after normalizeName) of one spread column for every model. */
const SHARED: Record<SpreadKind, readonly string[]> = {
  variance: ['var', 'variance', 'yvar'],
  std: ['std', 'sigma', 'ystd', 'stddev'],
};
const KINDS: readonly SpreadKind[] = ['variance', 'std'];

/** The stems a prediction's own spread column starts with: its name, and without a trailing mean/mu. */
function stems(prediction: string): string[] {
  const n = normalizeName(prediction);
  const out = [n];
  for (const tail of ['mean', 'mu']) if (n.endsWith(tail) && n.length > tail.length) out.push(n.slice(0, -tail.length));
  return out;
}

function kindOfSuffixed(column: string, stem: string): SpreadKind | undefined {
  const n = normalizeName(column);
  return KINDS.find((k) => SUFFIXES[k].some((s) => n === stem + s));
}

/**
 * Whether a column found by the prefixed prediction detection (`pred_…`) is a spread column
 * instead: a prediction word or another candidate's stem plus a spread suffix (`pred_var`,
 * `pred_a_std`), or a column named with --variance / --std.
 */
export function isSpreadColumn(column: string, candidates: readonly string[], named: readonly string[] = []): boolean {
  if (named.includes(column)) return true;
  const others = candidates.filter((c) => c !== column).flatMap(stems);
  return [...PREDICTION_NAMES, ...others].some((stem) => kindOfSuffixed(column, stem) !== undefined);
}

export interface SpreadRequest {
  variance?: string[];
  std?: string[];
}

/**
 * Each model's spread column (null for a model without one), or undefined when no model has one.
 * `taken`: the target, weight and group-by columns, which cannot be a spread column.
 */
export function chooseSpread(columns: readonly string[], predictions: readonly string[], taken: readonly string[], req: SpreadRequest, file: string): (SpreadColumn | null)[] | undefined {
  const variance = req.variance ?? [];
  const std = req.std ?? [];
  if (variance.length > 0 && std.length > 0) {
    throw new LossInspectorError('badParameter', 'Give the predicted spread either as variances (--variance) or as standard deviations (--std), not both.', { file });
  }
  if (variance.length > 0 || std.length > 0) return named(columns, predictions, taken, variance.length > 0 ? variance : std, variance.length > 0 ? 'variance' : 'std', file);
  const used = new Set([...predictions, ...taken]);
  const own = predictions.map((p): SpreadColumn | null => {
    for (const stem of stems(p)) {
      for (const c of columns) {
        if (used.has(c)) continue;
        const kind = kindOfSuffixed(c, stem);
        if (kind) return { column: c, kind };
      }
    }
    return null;
  });
  if (own.some((s) => s !== null)) return own;
  const shared = columns.filter((c) => !used.has(c)).flatMap((c): SpreadColumn[] => KINDS.filter((k) => SHARED[k].includes(normalizeName(c))).map((kind) => ({ column: c, kind })));
  if (shared.length === 0) return undefined;
  if (shared.length > 1) {
    throw new LossInspectorError(
      'badParameter',
      `'${file}' has several columns that could be the predicted spread (${shared.map((s) => quoteName(s.column)).join(' and ')}); choose one with --variance or --std.`,
      { file },
    );
  }
  return predictions.map(() => shared[0]);
}

function named(columns: readonly string[], predictions: readonly string[], taken: readonly string[], names: string[], kind: SpreadKind, file: string): (SpreadColumn | null)[] {
  const flag = kind === 'variance' ? '--variance' : '--std';
  if (names.length !== 1 && names.length !== predictions.length) {
    throw new LossInspectorError(
      'badParameter',
      `${flag} names ${names.length} columns for ${predictions.length} model${predictions.length === 1 ? '' : 's'}; give one column for every model or one per model, in the order of the predictions (${quoteNames(predictions, 'predictions')}).`,
      { file },
    );
  }
  for (const n of names) {
    if (!columns.includes(n)) {
      throw new LossInspectorError('unknownColumn', `The ${kind === 'variance' ? 'variance' : 'standard-deviation'} column ${quoteName(n)} is not in '${file}'. Its columns are: ${quoteNames(columns, 'columns')}.`, { file });
    }
    if (predictions.includes(n) || taken.includes(n)) {
      throw new LossInspectorError('badParameter', `The column ${quoteName(n)} cannot be both the predicted spread and the target, a prediction, the weight or the group-by column.`, { file });
    }
  }
  return predictions.map((_, i) => ({ column: names.length === 1 ? names[0] : names[i], kind }));
}
