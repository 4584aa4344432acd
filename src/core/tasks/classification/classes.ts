/**
 * The classes of a label column and their order: numbers numerically when every label is a
 * number ("1" and "1.0" are then one class), otherwise as strings by code point (Python's sort,
 * which scikit-learn's unique_labels uses).
 */

import { classifyField } from '../../readers/numbers';

export interface ClassOrder {
  /** Class names in order (for numbers, the first text seen of each value). */
  classes: string[];
  /** The class index of a label text. */
  indexOf(label: string): number;
}

/** A label's value when it is a number as the file writes numbers (decimal commas included), else NaN. */
export function labelNumber(text: string, decimalComma: boolean): number {
  const k = classifyField(text, decimalComma);
  return k.kind === 'number' ? k.value : NaN;
}

export function orderClasses(labels: Iterable<string>, decimalComma = false): ClassOrder {
  const texts = [...new Set(labels)];
  const num = (t: string) => labelNumber(t, decimalComma);
  const numeric = texts.length > 0 && texts.every((t) => Number.isFinite(num(t)));
  if (numeric) {
    const byValue = new Map<number, string>();
    for (const t of texts) if (!byValue.has(num(t))) byValue.set(num(t), t);
    const values = [...byValue.keys()].sort((a, b) => a - b);
    const index = new Map(values.map((v, i) => [v, i]));
    return { classes: values.map((v) => byValue.get(v) as string), indexOf: (t) => index.get(num(t)) ?? -1 };
  }
  const sorted = texts.sort(byCodePoint);
  const index = new Map(sorted.map((t, i) => [t, i]));
  return { classes: sorted, indexOf: (t) => index.get(t) ?? -1 };
}

function byCodePoint(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = (x[i].codePointAt(0) as number) - (y[i].codePointAt(0) as number);
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

/** Labels that mean "positive" when present (compared case-insensitively), as in most tools. */
const POSITIVE_NAMES = ['1', 'true', 'yes', 'pos', 'positive'];

/**
 * The positive class of a binary problem: the one asked for, else 1/true/yes, else the greater
 * label (scikit-learn's default pos_label is the greater of the two).
 */
export function positiveClass(order: ClassOrder, asked?: string, decimalComma = false): number {
  if (asked !== undefined) return order.indexOf(asked);
  for (const name of POSITIVE_NAMES) {
    const i = order.classes.findIndex((c) => c.trim().toLowerCase() === name || (name === '1' && labelNumber(c, decimalComma) === 1));
    if (i >= 0) return i;
  }
  return order.classes.length - 1;
}

/** Labels that mean "negative", and the positive class each implies. */
const NEGATIVE_OF: Record<string, string> = { false: 'true', no: 'yes', neg: 'pos', negative: 'positive' };

/**
 * When a file's only class is a negative label (0, −1, false, no, …): the name of the positive
 * class it lacks (1, true, yes, … in the label's case), so that every row counts as a negative
 * and the scores stay the probability of the positive class. Otherwise undefined.
 */
export function absentPositive(order: ClassOrder, decimalComma = false): string | undefined {
  if (order.classes.length !== 1) return undefined;
  const t = order.classes[0].trim();
  const v = labelNumber(t, decimalComma);
  if (v === 0 || v === -1) return '1';
  const p = Number.isNaN(v) ? NEGATIVE_OF[t.toLowerCase()] : undefined;
  if (p === undefined) return undefined;
  if (t === t.toUpperCase()) return p.toUpperCase();
  return t[0] === t[0].toUpperCase() ? p[0].toUpperCase() + p.slice(1) : p;
}
