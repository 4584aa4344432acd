import * as vscode from 'vscode';
import { SCORES_SETTINGS, ScoresSetting, TASK_SETTINGS, TaskSetting, ViewSettings } from '../shared/webviewProtocol';

export const SECTION = 'lossInspector';

export interface Settings extends ViewSettings {
  task: TaskSetting;
  scores: ScoresSetting;
  /** The positive class; '' = auto (1 / true / yes, else the greater label). */
  positive: string;
  threshold: number;
  gamma: number;
  alpha: number;
  quantile: number;
  /** Tweedie power of tweedieDeviance and d2Tweedie (≤ 0 or ≥ 1). */
  power: number;
  weight: string;
  groupBy: string;
  /** Predicted variance / standard-deviation columns (#16 item 2): empty: detected. */
  variance: string[];
  std: string[];
  target: string;
  predictions: string[];
  autoRefresh: boolean;
  /** Confidence level of the intervals and comparisons; 0: off. */
  confidence: number;
}

export function oneOf<T extends string>(v: unknown, values: readonly T[], fallback: T): T {
  return typeof v === 'string' && (values as readonly string[]).includes(v) ? (v as T) : fallback;
}

export function num(v: unknown, fallback: number, ok: (x: number) => boolean): number {
  return typeof v === 'number' && Number.isFinite(v) && ok(v) ? v : fallback;
}

/** A setting's list of column names, without blanks (anything else: empty). */
function names(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((p): p is string => typeof p === 'string' && p.trim() !== '').map((p) => p.trim()) : [];
}

/** Reads the settings for a file, falling back to defaults for out-of-range values. */
export function readSettings(scope?: vscode.Uri): Settings {
  const c = vscode.workspace.getConfiguration(SECTION, scope);
  const preds = c.get<unknown>('columns.predictions');
  return {
    beta: num(c.get('smoothL1.beta'), 1, (x) => x >= 0),
    delta: num(c.get('huber.delta'), 1, (x) => x > 0),
    task: oneOf(c.get('task'), TASK_SETTINGS, 'auto'),
    scores: oneOf(c.get('classification.scores'), SCORES_SETTINGS, 'auto'),
    positive: String(c.get('classification.positive') ?? '').trim(),
    threshold: num(c.get('classification.threshold'), 0.5, (x) => x > 0 && x < 1),
    gamma: num(c.get('focal.gamma'), 2, (x) => x >= 0),
    alpha: num(c.get('focal.alpha'), 0.25, (x) => x <= 1),
    quantile: num(c.get('pinball.quantile'), 0.5, (x) => x > 0 && x < 1),
    power: num(c.get('tweedie.power'), 1.5, (x) => x <= 0 || x >= 1),
    topRows: Math.floor(num(c.get('report.topRows'), 10, (x) => x >= 0 && x <= 1000)),
    histogramBins: Math.floor(num(c.get('report.histogramBins'), 50, (x) => x >= 5 && x <= 500)),
    target: String(c.get('columns.target') ?? '').trim(),
    weight: String(c.get('columns.weight') ?? '').trim(),
    groupBy: String(c.get('columns.groupBy') ?? '').trim(),
    variance: names(c.get<unknown>('columns.variance')),
    std: names(c.get<unknown>('columns.std')),
    predictions: Array.isArray(preds) ? preds.filter((p): p is string => typeof p === 'string' && p.trim() !== '').map((p) => p.trim()) : [],
    autoRefresh: c.get<boolean>('autoRefresh') !== false,
    confidence: num(c.get('report.confidence'), 0.95, (x) => x === 0 || (x > 0 && x < 1)),
  };
}

/** lossInspector.compare.key: the column that joins two compared files' rows; '' = ask (or row order). */
export function readCompareKey(scope?: vscode.Uri): string {
  return String(vscode.workspace.getConfiguration(SECTION, scope).get('compare.key') ?? '').trim();
}
