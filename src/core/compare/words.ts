/** The sentences of `compare` (pure: the CLI, the webview and the extension share them). */
import { quoteName } from '../errors';
import type { CompareInfo, LeftOut } from './report';

const file = (name: string) => `'${name}'`;

export function duplicateKey(key: string, value: string, name: string, first: number, second: number): string {
  return `The key column ${quoteName(key)} has the value ${quoteName(value)} on two rows of ${file(name)} (lines ${first} and ${second}): a key must name one row in each file.`;
}

export function keyTargetsDiffer(value: string, a: { name: string; line: number; target: number }, b: { name: string; line: number; target: number }): string {
  return `The key ${quoteName(value)} has the target ${a.target} on line ${a.line} of ${file(a.name)} and ${b.target} on line ${b.line} of ${file(b.name)}: rows joined by their key must have the same target.`;
}

export function orderTargetsDiffer(row: number, a: { name: string; line: number; target: number }, b: { name: string; line: number; target: number }): string {
  return `Row ${row} differs: its target is ${a.target} on line ${a.line} of ${file(a.name)} and ${b.target} on line ${b.line} of ${file(b.name)}. Without --key the files are joined by row order, so each row must have the same target in both; name a key column (--key COL) if the rows are in another order.`;
}

export function rowCountsDiffer(a: { name: string; rows: number }, b: { name: string; rows: number }): string {
  return `${file(a.name)} has ${a.rows} data rows and ${file(b.name)} has ${b.rows}: without --key the files are joined by row order, so they must have the same rows; name a key column (--key COL) to join them by it.`;
}

export function noKeyColumn(key: string, name: string, columns: readonly string[]): string {
  return `The key column ${quoteName(key)} is not a column of ${file(name)} (its columns are ${columns.map(quoteName).join(', ')}).`;
}

export function noJoinedRows(info: Pick<CompareInfo, 'files' | 'key'>): string {
  return `No row of ${file(info.files[0])} has a partner in ${file(info.files[1])}${info.key ? ` with the same ${quoteName(info.key)}` : ''} whose values are all numbers.`;
}

function leftOut(n: LeftOut, what: string, name: string): string | null {
  if (n.count === 0) return null;
  return `${n.count} ${what} (${n.lines.length > 1 ? 'lines' : 'line'} ${n.lines.join(', ')}${n.count > n.lines.length ? ', …' : ''} of ${file(name)})`;
}

/** "480 rows joined by "id"; left out: 3 rows only in 'b.csv' (lines 4, 9, 12 of 'b.csv'), …" */
export function joinSentence(info: CompareInfo): string {
  const [a, b] = info.files;
  const r = info.rows;
  const how = info.key ? `joined by ${quoteName(info.key)}` : 'joined by row order';
  const parts = [
    leftOut(r.onlyInA, `row${r.onlyInA.count === 1 ? '' : 's'} only in ${file(a)}`, a),
    leftOut(r.onlyInB, `row${r.onlyInB.count === 1 ? '' : 's'} only in ${file(b)}`, b),
    leftOut(r.noKey.a, `row${r.noKey.a.count === 1 ? '' : 's'} without a key`, a),
    leftOut(r.noKey.b, `row${r.noKey.b.count === 1 ? '' : 's'} without a key`, b),
    leftOut(r.unusableA, `row${r.unusableA.count === 1 ? '' : 's'} unusable`, a),
    leftOut(r.unusableB, `row${r.unusableB.count === 1 ? '' : 's'} unusable`, b),
  ].filter((p): p is string => p !== null);
  return `${r.joined} row${r.joined === 1 ? '' : 's'} of ${file(a)} (${r.a} read) and ${file(b)} (${r.b} read) ${how}${parts.length ? `; left out: ${parts.join('; ')}` : ''}.`;
}

/** The changed rows' caption: "Rows whose absolute error changed most from a.csv:pred to b.csv:pred (change = |b − target| − |a − target|)." */
export function changedCaption(a: string, b: string): string {
  return `Rows whose absolute error changed most from ${a} to ${b} (change = |${b} − target| − |${a} − target|; positive: worse in ${b}).`;
}
