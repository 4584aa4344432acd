/**
 * Compare Loss in VS Code (#15 item 3), the decisions that need no editor: which files a selection
 * compares, which columns could be the key, and the sentences said about them. Pure (generic over
 * the file handle, a vscode.Uri in the extension), so that it is unit-tested in Node.
 */
import { quoteName } from '../errors';

/** What a selection gives: two files or more (the first deciding the rows), or the files chosen so far when fewer than two. */
export type ComparePlan<T> = { ok: true; files: T[] } | { ok: false; have: T[] };

/**
 * The files of an Explorer command, which VS Code calls with (the clicked file, every selected
 * file). The selection keeps its order (the first selected decides the rows and holds the
 * baseline); the clicked file is added when it is not in it (a right-click outside the
 * selection). Duplicates are dropped.
 */
export function comparePlan<T>(clicked: T | undefined, selected: readonly T[] | undefined, key: (t: T) => string): ComparePlan<T> {
  const all = [...(selected ?? []), ...(clicked !== undefined ? [clicked] : [])];
  const seen = new Set<string>();
  const files: T[] = [];
  for (const f of all) {
    const k = key(f);
    if (seen.has(k)) continue;
    seen.add(k);
    files.push(f);
  }
  return files.length < 2 ? { ok: false, have: files } : { ok: true, files };
}

/**
 * The columns that could join the files' rows: in every file, and neither the target nor a
 * prediction column of any (those are the numbers compared, not the rows' names). In the first
 * file's order.
 */
export function keyCandidates(columns: readonly (readonly string[])[], used: readonly string[]): string[] {
  const [first = [], ...others] = columns;
  const inOthers = others.map((c) => new Set(c));
  const skip = new Set(used);
  return first.filter((c, i) => inOthers.every((s) => s.has(c)) && !skip.has(c) && first.indexOf(c) === i);
}

/** Names shown in a title before the rest are counted. */
const TITLE_NAMES = 3;

/** The report's title: "a.csv vs b.csv", "a.csv vs b.csv vs c.csv", "a.csv vs 4 files" beyond three. */
export function compareTitle(names: readonly string[]): string {
  return names.length <= TITLE_NAMES ? names.join(' vs ') : `${names[0]} vs ${names.length - 1} files`;
}

/** The Command Palette without two files chosen. */
export function needTwoFiles(have: number): string {
  return have === 0
    ? 'Compare Loss needs two or more predictions files: select them in the Explorer (Ctrl or Cmd + click) and right-click → Compare Loss, or choose two when asked.'
    : 'Compare Loss needs a second predictions file to compare the first with; none was chosen.';
}

/** Said after the engine's sentence when the key it could not find came from the setting. */
export const KEY_FROM_SETTING = 'The key is the setting lossInspector.compare.key: clear it to join the rows by their order, or set it to a column every file has.';

/**
 * Said after the engine's sentence when files joined by row order do not hold the same rows: its
 * advice names the CLI's --key, which in VS Code is the setting or the question.
 */
export const KEY_IN_VSCODE = 'In VS Code, choose the key column when Compare Loss asks, or set lossInspector.compare.key.';

/** The sentence shown for a failed comparison: the engine's, with where the key is set in VS Code when that is the advice. */
export function compareFailure(message: string, code: string, key: { name: string | null; fromSetting: boolean }): string {
  if (code === 'unknownColumn' && key.fromSetting) return `${message} ${KEY_FROM_SETTING}`;
  if (code === 'filesDiffer' && key.name === null) return `${message} ${KEY_IN_VSCODE}`;
  return message;
}

/**
 * Said when the setting lossInspector.columns.groupBy names a column the comparison could not
 * group by (not in the first file, or one of its value columns): as for one file, the report is
 * then not grouped, and says why.
 */
export function groupSettingUnused(s: { groupBy: string }, grouped: boolean, first: string): string[] {
  if (!s.groupBy || grouped) return [];
  return [`The setting lossInspector.columns.groupBy names ${quoteName(s.groupBy)}, which is not a column of '${first}' (the first file, whose rows' groups a comparison reports) other than its target, predictions and weight, so the report is not grouped.`];
}

/** The quick pick's item for joining by row order. */
export const ROW_ORDER_LABEL = 'Row order (no key column)';
