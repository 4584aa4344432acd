import * as vscode from 'vscode';
import type { ColumnChoice } from '../core/tasks/regression/columns';
import type { FileInfo } from '../engine/inspect';

interface ColumnItem extends vscode.QuickPickItem {
  column: string;
}

function items(info: FileInfo, exclude?: string): ColumnItem[] {
  return info.columns
    .map((c, i) => ({ c, i }))
    .filter(({ c }) => c !== exclude)
    .map(({ c, i }) => {
      const values = (info.preview[i] ?? []).slice(0, 5).map((v) => (v.length > 16 ? v.slice(0, 15) + '…' : v));
      return { label: c === '' ? '(unnamed)' : c, column: c, description: values.length ? values.join(', ') : undefined };
    });
}

/** Asks for the target column, then the prediction columns (several = several models). */
export async function pickColumns(info: FileInfo, fileName: string, why: string): Promise<ColumnChoice | undefined> {
  const target = await vscode.window.showQuickPick(items(info), {
    title: `Loss Inspector: target column of ${fileName} (1/2)`,
    placeHolder: `${why.replace(/ Name (it|them|one) with --\w+\.?$/, '')} Pick the column with the true values.`,
    matchOnDescription: true,
    ignoreFocusOut: true,
  });
  if (!target) return undefined;
  const preds = await vscode.window.showQuickPick(items(info, target.column), {
    title: `Loss Inspector: prediction columns of ${fileName} (2/2)`,
    placeHolder: 'Pick one or more prediction columns (several are compared side by side).',
    canPickMany: true,
    matchOnDescription: true,
    ignoreFocusOut: true,
  });
  if (!preds || preds.length === 0) return undefined;
  return { target: target.column, predictions: preds.map((p) => p.column) };
}
