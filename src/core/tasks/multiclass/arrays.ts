/**
 * The multiclass convention of JSON records and JSON Lines that hold a model's k class scores as
 * one array per row (`{"label":2,"probs":[0.1,0.2,0.7]}`, what pandas writes for a list column
 * and `json.dump` for a list of dicts): the label is the class index 0 … k − 1, k is the length
 * of the array in the first record that has one (the head's ArrayField), and each array field is
 * a model (`probs` and `logits` side by side). A later row whose array has another length is a
 * counted skip (`arrayLength`, in the reader); a k that the head's rows contradict is a sentence.
 */
import { LossInspectorError, quoteName } from '../../errors';
import type { ArrayField } from '../../readers/jsonHead';
import { normalizeName } from '../regression/columns';
import type { MulticlassModelColumns } from './columns';

/** Array fields recognised as a model's class scores (compared after `normalizeName`). */
export const ARRAY_SCORE_NAMES = ['probs', 'probabilities', 'logits', 'scores', 'yprob', 'yscore', 'ypred'];

/** The array fields that can be models: those named in `names` (--prediction) if given, else the conventional names. */
export function arrayScoreFields(arrays: readonly ArrayField[] | undefined, target: string, names?: readonly string[]): ArrayField[] {
  if (!arrays) return [];
  const fields = arrays.filter((a) => a.key !== target && (names ? names.includes(a.key) : ARRAY_SCORE_NAMES.includes(normalizeName(a.key))));
  // --prediction naming something else too (class columns' prefixes): not this convention.
  if (names && fields.length !== names.length) return [];
  return fields;
}

/**
 * The models of a file whose scores are arrays (see the module comment), or undefined when it has
 * no such field. Throws a sentence when k is ambiguous — the first record's array is shorter or
 * longer than most of the head's, two models disagree, or a label of the file's first rows is not
 * an index 0 … k − 1 — or when the labels are not class indices at all.
 */
export function findArrayModels(
  arrays: readonly ArrayField[] | undefined,
  target: string,
  labels: readonly string[],
  file: string,
  names?: readonly string[],
): { classes: string[]; models: MulticlassModelColumns[] } | undefined {
  const fields = arrayScoreFields(arrays, target, names);
  if (fields.length === 0) return undefined;
  const ks = fields.map((f) => firstLength(f, file));
  const k = ks[0];
  const other = ks.findIndex((x) => x !== k);
  if (other >= 0) {
    throw new LossInspectorError(
      'badParameter',
      `The score arrays of '${file}' disagree on the number of classes: ${quoteName(fields[0].key)} holds ${k} on line ${fields[0].lines[0]}, ${quoteName(fields[other].key)} ${ks[other]} on line ${fields[other].lines[0]}; name one model with --prediction.`,
      { file, line: fields[other].lines[0] },
    );
  }
  if (k < 3) {
    throw new LossInspectorError(
      'badParameter',
      `The array ${quoteName(fields[0].key)} on line ${fields[0].lines[0]} of '${file}' holds ${k} score${k === 1 ? '' : 's'}; a multiclass model needs one per class, at least 3 (a binary classifier's file has one probability or logit per row).`,
      { file, line: fields[0].lines[0] },
    );
  }
  for (const l of labels) {
    const t = l.trim();
    const v = t === '' ? NaN : Number(t);
    if (!Number.isInteger(v)) {
      throw new LossInspectorError(
        'badParameter',
        `The labels of ${quoteName(target)} in '${file}' must be class indices 0 … ${k - 1} when the scores are arrays (${quoteName(fields[0].key)} holds ${k} per row), but they include ${quoteName(l)}.`,
        { file },
      );
    }
    if (v < 0 || v >= k) {
      throw new LossInspectorError(
        'badParameter',
        `The label ${quoteName(l)} of ${quoteName(target)} in the first rows of '${file}' is not a class index of the ${k} scores that the array ${quoteName(fields[0].key)} holds on line ${fields[0].lines[0]} (0 … ${k - 1}), so the number of classes is ambiguous.`,
        { file, line: fields[0].lines[0] },
      );
    }
  }
  const classes = Array.from({ length: k }, (_, c) => String(c));
  return { classes, models: fields.map((f) => ({ name: f.key, columns: classes.map((c) => `${f.key}[${c}]`), array: f.key })) };
}

/**
 * k from a field's first array: its length, unless another length is more frequent among the
 * head's arrays (the first record would then be the odd one, and every other row a skip).
 */
function firstLength(f: ArrayField, file: string): number {
  const k = f.lengths[0];
  const count = new Map<number, number>();
  for (const n of f.lengths) count.set(n, (count.get(n) ?? 0) + 1);
  for (const [n, c] of count) {
    if (c > (count.get(k) ?? 0)) {
      const at = f.lines[f.lengths.indexOf(n)];
      throw new LossInspectorError(
        'badParameter',
        `The array ${quoteName(f.key)} on line ${f.lines[0]} of '${file}' holds ${k} score${k === 1 ? '' : 's'}, but ${c} of the first ${f.lengths.length} records' arrays hold ${n} (the first on line ${at}): the number of classes is ambiguous. Every row's array must hold one score per class.`,
        { file, line: f.lines[0] },
      );
    }
  }
  return k;
}
