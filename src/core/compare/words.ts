/** The sentences of `compare` (pure: the CLI, the webview and the extension share them). */
import { quoteName } from '../errors';
import type { CompareInfo, LeftOut } from './report';

const file = (name: string) => `'${name}'`;

export function duplicateKey(key: string, value: string, name: string, first: number, second: number): string {
  return `The key column ${quoteName(key)} has the value ${quoteName(value)} on two rows of ${file(name)} (lines ${first} and ${second}): a key must name one row in each file.`;
}

/** A row's target in one file; `target` as shown (a number, or a classifier's quoted label). */
type Side = { name: string; line: number; target: number | string };

/** `word`: what the target is called ("target", or a classifier's "label"). */
export function keyTargetsDiffer(value: string, a: Side, b: Side, word = 'target'): string {
  return `The key ${quoteName(value)} has the ${word} ${a.target} on line ${a.line} of ${file(a.name)} and ${b.target} on line ${b.line} of ${file(b.name)}: rows joined by their key must have the same ${word}.`;
}

export function orderTargetsDiffer(row: number, a: Side, b: Side, word = 'target'): string {
  return `Row ${row} differs: its ${word} is ${a.target} on line ${a.line} of ${file(a.name)} and ${b.target} on line ${b.line} of ${file(b.name)}. Without --key the files are joined by row order, so each row must have the same ${word} in both; name a key column (--key COL) if the rows are in another order.`;
}

export function rowCountsDiffer(a: { name: string; rows: number }, b: { name: string; rows: number }): string {
  return `${file(a.name)} has ${a.rows} data rows and ${file(b.name)} has ${b.rows}: without --key the files are joined by row order, so they must have the same rows; name a key column (--key COL) to join them by it.`;
}

export function noKeyColumn(key: string, name: string, columns: readonly string[]): string {
  return `The key column ${quoteName(key)} is not a column of ${file(name)} (its columns are ${columns.map(quoteName).join(', ')}).`;
}

/** "x", "x and y", "x, y and z". */
function list(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** "'a.csv'", "'a.csv' and 'b.csv'", "'a.csv', 'b.csv' and 'c.csv'". */
export function fileList(names: readonly string[]): string {
  return list(names.map(file));
}

export function noJoinedRows(info: Pick<CompareInfo, 'files' | 'key'>): string {
  const others = info.files.slice(1);
  return `No row of ${file(info.files[0])} has a partner in ${others.length > 1 ? 'each of ' : ''}${fileList(others)}${info.key ? ` with the same ${quoteName(info.key)}` : ''} whose values are all numbers.`;
}

function leftOut(n: LeftOut, what: string, name: string): string | null {
  if (n.count === 0) return null;
  return `${n.count} ${what} (${n.lines.length > 1 ? 'lines' : 'line'} ${n.lines.join(', ')}${n.count > n.lines.length ? ', …' : ''} of ${file(name)})`;
}

const rows = (n: number) => `row${n === 1 ? '' : 's'}`;

/**
 * "4 rows of 'a.csv' (5 read), 'b.csv' (6 read) and 'c.csv' (3 read) joined by "id"; left out:
 * 1 row of 'a.csv' not in 'b.csv' (line 4 of 'a.csv'); 1 row of 'b.csv' not in 'a.csv' (line 6 of 'b.csv'); …"
 */
export function joinSentence(info: Pick<CompareInfo<unknown>, 'files' | 'key' | 'rows'>): string {
  const first = info.files[0];
  const how = info.key ? `joined by ${quoteName(info.key)}` : 'joined by row order';
  const parts: (string | null)[] = [];
  info.rows.files.forEach((r, i) => {
    const name = info.files[i];
    if (i > 0) {
      parts.push(leftOut(r.missing, `${rows(r.missing.count)} of ${file(first)} not in ${file(name)}`, first));
      parts.push(leftOut(r.onlyHere, `${rows(r.onlyHere.count)} of ${file(name)} not in ${file(first)}`, name));
    }
    parts.push(leftOut(r.noKey, `${rows(r.noKey.count)} without a key`, name));
    parts.push(leftOut(r.unusable, `${rows(r.unusable.count)} unusable`, name));
  });
  const said = parts.filter((p): p is string => p !== null);
  const read = list(info.files.map((f, i) => `${file(f)} (${info.rows.files[i].read} read)`));
  const j = info.rows.joined;
  return `${j} ${rows(j)} of ${read} ${how}${said.length ? `; left out: ${said.join('; ')}` : ''}.`;
}

/** A classifier's changed rows' caption: by log loss. */
export function changedLogLossCaption(a: string, b: string): string {
  return `Rows whose log loss changed most from ${a} to ${b} (change = log loss of ${b} − log loss of ${a}, each the row's −log of the probability given to its label; positive: worse in ${b}).`;
}

/** The changed rows' caption: "Rows whose absolute error changed most from a.csv:pred to b.csv:pred (change = |b − target| − |a − target|)." */
export function changedCaption(a: string, b: string): string {
  return `Rows whose absolute error changed most from ${a} to ${b} (change = |${b} − target| − |${a} − target|; positive: worse in ${b}).`;
}

const TASK_WORDS: Record<'regression' | 'binary' | 'multiclass', string> = {
  regression: 'regression predictions (a numeric target)',
  binary: "a binary classifier's scores (a label of two classes)",
  multiclass: "a multiclass classifier's scores",
};

/** Two compared files of different tasks, as each file's first rows tell them. */
export function tasksDiffer(first: { name: string; task: keyof typeof TASK_WORDS }, other: { name: string; task: keyof typeof TASK_WORDS }): string {
  return `${file(other.name)} holds ${TASK_WORDS[other.task]} where ${file(first.name)} holds ${TASK_WORDS[first.task]}, as their first rows tell: compared files must hold predictions of one task. If one was told wrong (a label whose first rows have one class only, say), name the task with --task (in VS Code the setting lossInspector.task).`;
}

/** Multiclass files that do not score the same classes. */
export function classesDiffer(first: { name: string; classes: readonly string[] }, other: { name: string; classes: readonly string[] }): string {
  const list = (c: readonly string[]) => c.map(quoteName).join(', ');
  return `${file(other.name)} scores the classes ${list(other.classes)} where ${file(first.name)} scores ${list(first.classes)}: compared multiclass files must score the same classes.`;
}
