/**
 * Quantile sets (#16 item 3): which columns predict quantiles of the target, at which levels, and
 * which model each set belongs to. Pure.
 *
 * A set is one model. Its point prediction (the residual metrics, worst rows, charts) is, in this
 * order: the point-prediction column named like the set's prefix (`pred` for `pred_q10`,
 * `pred_q90`), else the set's median column (q = 0.5), else the file's only point prediction.
 * Otherwise the set is refused with a sentence: a loss report needs a point prediction per model,
 * and picking one among several would be a guess.
 */
import { LossInspectorError, quoteName, quoteNames } from '../../errors';
import { normalizeName, PREDICTION_NAMES, TARGET_NAMES } from './columns';
import type { ColumnChoice, ColumnRequest } from './columns';

export interface QuantileColumn {
  column: string;
  /** The level, strictly between 0 and 1. */
  q: number;
}

export interface QuantileSetChoice {
  /** The set's name: the prefix its columns share, or 'quantiles'. */
  name: string;
  /** The prediction column (in ColumnChoice.predictions) that is the set's point prediction. */
  model: string;
  /** By increasing level. */
  columns: QuantileColumn[];
}

/** Two levels whose sum is within this of 1 make a central interval (1 − 0.9 is not 0.1 in doubles). */
export const PAIR_TOLERANCE = 1e-9;

const SEP = '[\\s_\\-.]';
/** Longer names are never quantile columns (see parseQuantileName). */
const NAME_MAX = 100;
/** `q10`, `q0.9`, `p90`, `quantile_0.1`, `pred_q10`, `model-p97.5`: a level after q, p or quantile. */
const LETTER_FORM = new RegExp(`^(?:(.*?)${SEP}+)?(?:quantile|q|p)${SEP}?(\\d+(?:\\.\\d+)?)$`);
/** `y_pred_0.9`, `forecast-0.1`: a fraction after a prediction word (an integer there names a model: `pred_2`). */
const FRACTION_FORM = new RegExp(`^(.*?)${SEP}+(0?\\.\\d+)$`);

/**
 * The set prefix and level a column name announces, or null. Numbers with a point below 1 are
 * fractions (0.9), other numbers percents (90, 97.5, 5); an integer of three digits or more
 * (`q025`: 2.5% or 25%?) and the levels 0 and 1 announce nothing.
 */
export function parseQuantileName(name: string): { prefix: string; q: number } | null {
  // The patterns backtrack over the prefix (quadratic in its length): a damaged header's huge
  // field must cost nothing, and no real quantile column is this long.
  if (name.length > NAME_MAX) return null;
  const lower = name.trim().toLowerCase();
  const letter = LETTER_FORM.exec(lower);
  if (letter) {
    const q = levelOf(letter[2]);
    return q === null ? null : { prefix: name.trim().slice(0, (letter[1] ?? '').length), q };
  }
  const frac = FRACTION_FORM.exec(lower);
  if (frac && PREDICTION_NAMES.includes(normalizeName(frac[1]))) {
    const q = Number(frac[2]);
    return q > 0 && q < 1 ? { prefix: name.trim().slice(0, frac[1].length), q } : null;
  }
  return null;
}

function levelOf(text: string): number | null {
  if (!text.includes('.') && text.length > 2) return null;
  const x = Number(text);
  const q = text.includes('.') && x < 1 ? x : x / 100;
  return q > 0 && q < 1 ? q : null;
}

/** `COL=Q[,COL=Q…]` (one --quantiles), or a sentence saying what is wrong. */
export function parseQuantilesArg(text: string): QuantileColumn[] | string {
  const out: QuantileColumn[] = [];
  for (const item of text.split(',').map((s) => s.trim()).filter((s) => s !== '')) {
    const eq = item.lastIndexOf('=');
    const column = eq > 0 ? item.slice(0, eq).trim() : '';
    const q = eq > 0 && item.slice(eq + 1).trim() !== '' ? Number(item.slice(eq + 1)) : NaN;
    if (column === '' || !(q > 0 && q < 1)) return `--quantiles takes COL=Q pairs with 0 < Q < 1, comma-separated (got ${JSON.stringify(item)}).`;
    out.push({ column, q });
  }
  return out.length > 0 ? out : '--quantiles needs at least one COL=Q pair.';
}

/**
 * chooseColumns for the regression family: the point columns as `point` chooses them, plus the
 * quantile sets (asked for with `req.quantiles`, else detected by name). Without any set this is
 * exactly `point(columns, req)`, so files without quantile columns read as before.
 */
export function chooseWithQuantiles(columns: readonly string[], req: ColumnRequest, file: string, point: (columns: readonly string[], req: ColumnRequest) => ColumnChoice): ColumnChoice {
  const explicit = req.quantiles !== undefined && req.quantiles.length > 0;
  const sets = explicit ? askedSets(columns, req.quantiles ?? [], file) : detectedSets(columns, req, file);
  if (sets.length === 0) return point(columns, req);
  const inSets = new Set(sets.flatMap((s) => s.columns.map((c) => c.column)));
  // A prediction named among a set's columns can only be its median (the extension names the
  // medians it was given back as predictions).
  for (const p of req.predictions ?? []) {
    const own = sets.find((s) => s.columns.some((c) => c.column === p));
    if (own && own.columns.find((c) => c.column === p)?.q !== 0.5) {
      throw new LossInspectorError('badParameter', `The column ${quoteName(p)} cannot be both a prediction and a quantile of the set ${quoteName(own.name)} of '${file}' (only a set's median can be its point prediction).`, { file });
    }
    inSets.delete(p);
  }
  if (req.target !== undefined && inSets.has(req.target)) {
    throw new LossInspectorError('badParameter', `The column ${quoteName(req.target)} cannot be both the target column and a quantile prediction in '${file}'.`, { file });
  }
  const rest = columns.filter((c) => !inSets.has(c));
  const named = req.predictions !== undefined && req.predictions.length > 0;
  let predictions: string[];
  let target = req.target;
  try {
    const first = point(rest, { ...req, groupByOptional: true });
    predictions = first.predictions;
    target = first.target;
  } catch (e) {
    // A file of quantiles only (y, q10, q50, q90): the medians are the point predictions.
    if (!(e instanceof LossInspectorError) || e.code !== 'noPrediction' || named) throw e;
    predictions = [];
  }
  const out: QuantileSetChoice[] = [];
  // A column named like a set's prefix is its point prediction: any such column of the file, or
  // only the predictions named when some are.
  // (`y` is y_q10's target, not its point prediction.)
  const notTarget = (c: string) => (target !== undefined ? c !== target : !TARGET_NAMES.includes(normalizeName(c)));
  const candidates = named ? predictions : rest.filter((c) => notTarget(c) && c !== req.weight && c !== req.groupBy);
  for (const s of sets) {
    const model = modelOf(s, predictions, candidates, file);
    if (!predictions.includes(model)) predictions.push(model);
    if (out.some((o) => o.model === model)) {
      throw new LossInspectorError('badParameter', `Two quantile sets of '${file}' (${quoteName(out.find((o) => o.model === model)?.name ?? '')} and ${quoteName(s.name)}) belong to the prediction ${quoteName(model)}; give each set its own prediction, or name the sets with --quantiles.`, { file });
    }
    out.push({ ...s, model });
  }
  const choice = point(columns, { ...req, predictions });
  for (const [what, col] of [['target', choice.target], ['weight', choice.weight], ['group-by', choice.groupBy]] as const) {
    if (col !== undefined && inSets.has(col)) {
      throw new LossInspectorError('badParameter', `The column ${quoteName(col)} cannot be both the ${what} column and a quantile prediction in '${file}'.`, { file });
    }
  }
  for (const p of choice.predictions) {
    const own = out.find((s) => s.columns.some((c) => c.column === p));
    if (own && own.model !== p) {
      throw new LossInspectorError('badParameter', `The column ${quoteName(p)} cannot be both a prediction and a quantile of the set ${quoteName(own.name)}, whose point prediction is ${quoteName(own.model)}.`, { file });
    }
  }
  return { ...choice, quantiles: out };
}

type SetDraft = Omit<QuantileSetChoice, 'model'> & { prefix: string };

/** The set's point prediction (see the file's comment). */
function modelOf(s: SetDraft, predictions: readonly string[], candidates: readonly string[], file: string): string {
  const key = normalizeName(s.prefix);
  const byName = key === '' ? undefined : candidates.find((p) => normalizeName(p) === key);
  if (byName !== undefined) return byName;
  const median = s.columns.find((c) => c.q === 0.5);
  if (median) return median.column;
  if (predictions.length === 1) return predictions[0];
  const cols = quoteNames(s.columns.map((c) => c.column), 'columns');
  const why =
    predictions.length === 0
      ? 'the file has no other column to be its point prediction'
      : `the file has several point predictions (${quoteNames(predictions, 'columns')}), so which one it belongs to would be a guess`;
  throw new LossInspectorError(
    'noPrediction',
    `The quantile set ${quoteName(s.name)} of '${file}' (${cols}) has no median (q = 0.5) column, and ${why}; add a median column, or name the point prediction and the set: --prediction COL --quantiles COL=Q,….`,
    { file },
  );
}

/** Each --quantiles is one set, its columns as given. */
function askedSets(columns: readonly string[], asked: readonly QuantileColumn[][], file: string): SetDraft[] {
  const seen = new Set<string>();
  return asked.map((set) => {
    for (const c of set) {
      if (!columns.includes(c.column)) {
        throw new LossInspectorError('unknownColumn', `The quantile column ${quoteName(c.column)} is not in '${file}'. Its columns are: ${quoteNames(columns, 'columns')}.`, { file });
      }
      if (seen.has(c.column)) throw new LossInspectorError('badParameter', `The column ${quoteName(c.column)} is given twice in --quantiles.`, { file });
      seen.add(c.column);
    }
    const parsed = set.map((c) => parseQuantileName(c.column));
    const prefixes = new Set(parsed.map((p) => (p ? normalizeName(p.prefix) : null)));
    const first = parsed[0];
    const prefix = prefixes.size === 1 && first ? first.prefix : commonPrefix(set.map((c) => c.column));
    return draft(prefix, set, file);
  });
}

/**
 * Sets found by name: columns that parse, grouped by prefix, with at least two levels of which a
 * median or a central pair (q and 1 − q): one `p90` alone is more likely a model's name, and `q1`,
 * `q2` questionnaire answers. With predictions named, only sets named after one of them
 * (`pred_q10` with --prediction pred), any levels: a bare `p90` is never taken then.
 */
function detectedSets(columns: readonly string[], req: ColumnRequest, file: string): SetDraft[] {
  const named = req.predictions && req.predictions.length > 0 ? new Set(req.predictions.map(normalizeName)) : null;
  const taken = new Set([req.target, req.weight, req.groupBy, ...(req.predictions ?? [])]);
  const groups = new Map<string, { prefix: string; cols: QuantileColumn[] }>();
  for (const column of columns) {
    if (taken.has(column)) continue;
    const p = parseQuantileName(column);
    if (!p) continue;
    const key = normalizeName(p.prefix);
    if (named && (key === '' || !named.has(key))) continue;
    const g = groups.get(key) ?? { prefix: p.prefix, cols: [] };
    g.cols.push({ column, q: p.q });
    groups.set(key, g);
  }
  const likely = (cols: QuantileColumn[]) => new Set(cols.map((c) => c.q)).size >= 2 && cols.some((c) => c.q === 0.5 || cols.some((d) => Math.abs(c.q + d.q - 1) <= PAIR_TOLERANCE && c !== d));
  return [...groups.values()].filter((g) => (named !== null ? g.cols.length > 0 : likely(g.cols))).map((g) => draft(g.prefix, g.cols, file));
}

function draft(prefix: string, cols: readonly QuantileColumn[], file: string): SetDraft {
  const name = prefix.replace(/[\s_\-.]+$/, '') || 'quantiles';
  const sorted = [...cols].sort((a, b) => a.q - b.q);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i].q === sorted[i - 1].q) {
      throw new LossInspectorError(
        'badParameter',
        `The columns ${quoteName(sorted[i - 1].column)} and ${quoteName(sorted[i].column)} of '${file}' both predict the ${sorted[i].q} quantile of the set ${quoteName(name)}; name the set's columns with --quantiles COL=Q,….`,
        { file },
      );
    }
  }
  return { name, prefix, columns: sorted };
}

function commonPrefix(names: readonly string[]): string {
  let p = names[0] ?? '';
  for (const n of names) while (!n.startsWith(p)) p = p.slice(0, -1);
  return p;
}
