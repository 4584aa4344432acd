/**
 * The multiclass column roles: a label column and, per model, one score column per class, found
 * by the conventions ML tools write: columns named exactly as the classes (`cat,dog,bird`), or a
 * common prefix plus each class (`p_cat`, `prob_cat`, `logit_0`, `p0`, …; several prefixes that
 * each cover every class are several models).
 */
import { LossInspectorError, quoteName, quoteNames } from '../../errors';
import { ColumnRequest, normalizeName, TARGET_NAMES } from '../regression/columns';

export interface MulticlassModelColumns {
  /** The model's name: its prefix without the trailing separator, or the label column's name for bare class columns. */
  name: string;
  /** One column per class, in `classes` order (for an array field, display names `probs[0]`, …). */
  columns: string[];
  /** The JSON field whose array holds the k scores of each row (arrays.ts), when they are not columns. */
  array?: string;
}

export interface MulticlassChoice {
  target: string;
  /** The classes, named as in the columns' suffixes (the label column's values). */
  classes: string[];
  models: MulticlassModelColumns[];
  weight?: string;
  groupBy?: string;
}

/**
 * The class columns of each model whose classes cover every label seen (`labels`, the target's
 * first values), at least three classes. `prefixes` restricts the models (--prediction names a
 * model by its prefix). Undefined when the file has no such columns.
 */
export function findClassColumns(
  columns: readonly string[],
  target: string,
  labels: readonly string[],
  prefixes?: readonly string[],
  /** 2: a binary label's two class columns (predict_proba's), which the binary family names in its message. */
  minClasses = 3,
): { classes: string[]; models: MulticlassModelColumns[] } | undefined {
  const others = columns.filter((c) => c !== target);
  const byPrefix = new Map<string, Map<string, string>>();
  for (const col of others) {
    // Every split of the name into a prefix and a class: `p_cat` → ('p_', 'cat'), ('p', '_cat'), …
    for (let i = 0; i < col.length; i++) {
      const prefix = col.slice(0, i);
      const suffix = col.slice(i);
      let m = byPrefix.get(prefix);
      if (!m) byPrefix.set(prefix, (m = new Map()));
      if (!m.has(suffix)) m.set(suffix, col);
    }
  }
  // Labels and suffixes compared as numbers when they are numbers ("2.0" is the class of `p_2`).
  const canon = (t: string) => {
    const v = t.trim() === '' ? NaN : Number(t);
    return Number.isFinite(v) ? String(v) : t.trim();
  };
  const wanted = new Set(labels.map(canon));
  const found: { prefix: string; classes: string[]; columns: string[] }[] = [];
  for (const [prefix, bySuffix] of byPrefix) {
    if (prefixes && !prefixes.some((p) => p === prefix || p === prefix.replace(/[_\-. ]+$/, ''))) continue;
    const suffixes = new Map<string, [string, string]>();
    for (const [suffix, col] of bySuffix) if (!suffixes.has(canon(suffix))) suffixes.set(canon(suffix), [suffix, col]);
    // The classes are the suffixes that are labels; every label must have its column.
    const hits = [...wanted].filter((l) => suffixes.has(l)).map((l) => suffixes.get(l) as [string, string]);
    if (hits.length !== wanted.size || hits.length < minClasses) continue;
    found.push({ prefix, classes: hits.map((h) => h[0]), columns: hits.map((h) => h[1]) });
  }
  if (found.length === 0) return undefined;
  // A longer prefix that names the same columns as a shorter one is the same model (`p_` and `p`).
  const models: MulticlassModelColumns[] = [];
  const seen = new Set<string>();
  for (const f of found.sort((a, b) => b.prefix.length - a.prefix.length)) {
    const key = [...f.columns].sort().join('\u0000');
    if (seen.has(key)) continue;
    seen.add(key);
    models.push({ name: f.prefix.replace(/[_\-. ]+$/, '') || target, columns: f.columns });
  }
  const classes = found[0].classes;
  // Every model in the same class order: the order of the first one's classes.
  const order = classes;
  const out = models.map((m) => {
    const f = found.find((x) => [...x.columns].sort().join('\u0000') === [...m.columns].sort().join('\u0000')) as (typeof found)[number];
    return { name: m.name, columns: order.map((c) => f.columns[f.classes.indexOf(c)]) };
  });
  return { classes: order, models: out.sort((a, b) => columns.indexOf(a.columns[0]) - columns.indexOf(b.columns[0])) };
}

/** The label column: the one asked for, else the first target-like name. */
export function labelColumn(columns: readonly string[], req: ColumnRequest, file: string): string {
  if (req.target) {
    if (!columns.includes(req.target)) {
      throw new LossInspectorError('unknownColumn', `The label column ${quoteName(req.target)} is not in '${file}'. Its columns are: ${quoteNames(columns, 'columns')}.`, { file });
    }
    return req.target;
  }
  for (const n of TARGET_NAMES) {
    const hit = columns.find((c) => normalizeName(c) === n);
    if (hit !== undefined) return hit;
  }
  throw new LossInspectorError('noTarget', `Could not find a label column in '${file}' (looked for ${TARGET_NAMES.join(', ')}). Its columns are: ${quoteNames(columns, 'columns')}. Name one with --target.`, { file });
}
