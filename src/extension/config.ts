import * as vscode from 'vscode';
import type { ViewSettings } from '../shared/webviewProtocol';

export const SECTION = 'lossInspector';

export interface Settings extends ViewSettings {
  quantile: number;
  weight: string;
  groupBy: string;
  target: string;
  predictions: string[];
  autoRefresh: boolean;
}

function num(v: unknown, fallback: number, ok: (x: number) => boolean): number {
  return typeof v === 'number' && Number.isFinite(v) && ok(v) ? v : fallback;
}

/** Reads the settings for a file, falling back to defaults for out-of-range values. */
export function readSettings(scope?: vscode.Uri): Settings {
  const c = vscode.workspace.getConfiguration(SECTION, scope);
  const preds = c.get<unknown>('columns.predictions');
  return {
    beta: num(c.get('smoothL1.beta'), 1, (x) => x >= 0),
    delta: num(c.get('huber.delta'), 1, (x) => x > 0),
    quantile: num(c.get('pinball.quantile'), 0.5, (x) => x > 0 && x < 1),
    topRows: Math.floor(num(c.get('report.topRows'), 10, (x) => x >= 0 && x <= 1000)),
    histogramBins: Math.floor(num(c.get('report.histogramBins'), 50, (x) => x >= 5 && x <= 500)),
    target: String(c.get('columns.target') ?? '').trim(),
    weight: String(c.get('columns.weight') ?? '').trim(),
    groupBy: String(c.get('columns.groupBy') ?? '').trim(),
    predictions: Array.isArray(preds) ? preds.filter((p): p is string => typeof p === 'string' && p.trim() !== '').map((p) => p.trim()) : [],
    autoRefresh: c.get<boolean>('autoRefresh') !== false,
  };
}
