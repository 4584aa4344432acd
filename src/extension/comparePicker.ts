/**
 * Compare Loss's questions (thin: the choices are core/compare/plan.ts's and palette.ts's): the
 * key column, and the files when the command comes from the Command Palette.
 */
import * as vscode from 'vscode';
import { paletteStep, type PaletteFile } from '../core/compare/palette';
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
  /** Undefined: the Done item. */
  file?: PaletteFile<vscode.Uri>;
}

/**
 * The Command Palette: the baseline file, then the files compared with it, one question each
 * until Done (core/compare/palette.ts), from the workspace's data files, or an open dialog when
 * it has fewer than two. Escape ends the choosing as Done does: with one file chosen (or none),
 * the caller says what is missing.
 */
export async function pickFiles(first: vscode.Uri | undefined): Promise<vscode.Uri[]> {
  const uris = (await vscode.workspace.findFiles('**/*.{csv,tsv,txt,dat,json,jsonl,ndjson,gz,zst,parquet,pq,arrow,feather}', '**/node_modules/**', 500)).filter((u) => DATA_FILE.test(u.path));
  if (uris.length < 2) {
    const picked = await vscode.window.showOpenDialog({ canSelectMany: true, openLabel: 'Compare Loss', title: 'Loss Inspector: choose two or more predictions files (the first decides the rows and holds the baseline)' });
    return picked ?? [];
  }
  const found = uris.map((uri) => ({ file: uri, key: uri.toString(), name: baseName(uri), path: vscode.workspace.asRelativePath(uri) }));
  const chosen: PaletteFile<vscode.Uri>[] = [];
  for (let step = paletteStep(found, chosen, first?.toString()); step; step = paletteStep(found, chosen, first?.toString())) {
    const items: FileItem[] = [...(step.done !== null ? [{ label: step.done }] : []), ...step.choices.map((f) => ({ label: f.name, description: f.path, file: f }))];
    const picked = await vscode.window.showQuickPick(items, { title: step.title, placeHolder: step.placeHolder, ignoreFocusOut: true, matchOnDescription: true });
    // Dismissed: the files chosen so far (two or more are compared, as with Done; fewer, the caller says what is missing).
    if (!picked?.file) break;
    chosen.push(picked.file);
  }
  return chosen.map((c) => c.file);
}
