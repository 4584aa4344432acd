/**
 * Compare Loss's questions (thin: the choices are core/compare/plan.ts's): the key column, and
 * two files when the command comes from the Command Palette (more are selected in the Explorer).
 */
import * as vscode from 'vscode';
import { ROW_ORDER_LABEL } from '../core/compare/plan';
import { DATA_FILE } from './restoreState';
import { baseName } from './reportPanel';

interface KeyItem extends vscode.QuickPickItem {
  key: string | null;
}

/** "a.csv and b.csv", "a.csv, b.csv and c.csv". */
function joinNames(names: readonly string[]): string {
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** Asks which column joins the rows (or row order); undefined when dismissed. */
export async function pickKey(candidates: readonly string[], files: readonly string[]): Promise<{ key: string | null } | undefined> {
  const every = files.length === 2 ? 'both files' : 'every file';
  const items: KeyItem[] = [
    { label: ROW_ORDER_LABEL, description: `row i of each file with row i of the first; the targets must agree`, key: null },
    ...candidates.map((c) => ({ label: c, description: `join the rows whose ${c} is the same in ${every}`, key: c })),
  ];
  const picked = await vscode.window.showQuickPick(items, {
    title: `Loss Inspector: join the rows of ${joinNames(files)} by`,
    placeHolder: `A column that names each row in ${every}, or their order (the setting lossInspector.compare.key skips this question).`,
    ignoreFocusOut: true,
  });
  return picked ? { key: picked.key } : undefined;
}

interface FileItem extends vscode.QuickPickItem {
  uri: vscode.Uri;
}

/** The Command Palette: the baseline file, then the file compared with it (from the workspace's data files, or an open dialog). */
export async function pickTwoFiles(first: vscode.Uri | undefined): Promise<vscode.Uri[]> {
  const found = (await vscode.workspace.findFiles('**/*.{csv,tsv,txt,dat,json,jsonl,ndjson,gz,zst,parquet,pq,arrow,feather}', '**/node_modules/**', 500)).filter((u) => DATA_FILE.test(u.path));
  if (found.length < 2) {
    const picked = await vscode.window.showOpenDialog({ canSelectMany: true, openLabel: 'Compare Loss', title: 'Loss Inspector: choose two or more predictions files (the first decides the rows and holds the baseline)' });
    return picked ?? [];
  }
  const items = (exclude?: vscode.Uri): FileItem[] =>
    found
      .filter((u) => u.toString() !== exclude?.toString())
      .sort((x, y) => Number(y.toString() === first?.toString()) - Number(x.toString() === first?.toString()) || x.path.localeCompare(y.path))
      .map((uri) => ({ label: baseName(uri), description: vscode.workspace.asRelativePath(uri), uri }));
  const a = await vscode.window.showQuickPick(items(), { title: 'Loss Inspector: Compare Loss (1/2): the baseline file', ignoreFocusOut: true, matchOnDescription: true });
  if (!a) return [];
  const b = await vscode.window.showQuickPick(items(a.uri), { title: `Loss Inspector: Compare Loss (2/2): the file compared with ${a.label}`, ignoreFocusOut: true, matchOnDescription: true });
  return b ? [a.uri, b.uri] : [a.uri];
}
