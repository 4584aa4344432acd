/**
 * Where the report UI runs. In VS Code the host is the extension (acquireVsCodeApi); in a saved
 * HTML export there is no host, the state is embedded in the page and the buttons that need the
 * extension are hidden. The renderer only sees this interface.
 */
import type { BinaryMetricKey } from '../core/tasks/classification/binary';
import { CLASS_GROUP_METRICS } from '../core/tasks/classification/view';
import type { MultiMetricKey } from '../core/tasks/multiclass/metrics';
import { MULTI_CLASS_METRICS } from '../core/tasks/multiclass/view';
import type { CurveKey } from '../core/tasks/regression/losses';
import { GROUP_METRICS, GroupMetricKey } from '../core/tasks/regression/view/groups';
import { FamilyReport, FromWebview, settingsOfReport, ViewState } from '../shared/webviewProtocol';

/** Small UI state kept across reloads of the webview (vscode.setState). */
export interface UiState {
  /** The data file's URI, from the host's state: the panel serializer reads it to restore the panel. */
  uri?: string;
  /** The panel shows a comparison of several files (no `uri`): restored, it gives a comparison's advice. */
  comparison?: boolean;
  /** The other files of a report of several training logs (URIs): restored, every run is read again. */
  runs?: string[];
  /** The file the choices below were made for; they are reset when another file is shown. */
  file?: string;
  /** The β being tried with the slider (undefined: the β in force). */
  beta?: number;
  /** A binary report's threshold being tried (undefined: the one in force). */
  threshold?: number;
  /** The focal γ being tried with the slider (undefined: the report's). */
  gamma?: number;
  /** The loss drawn in "per-row loss along the file". */
  lossKey?: CurveKey;
  /** Log y axis for the per-row loss. */
  rowLog?: boolean;
  /** The model shown in the per-model charts. */
  model?: number;
  /** The metric of the groups' table and chart. */
  groupMetric?: GroupMetricKey;
  /** The metric of a classifier's groups table and chart (binary or multiclass keys). */
  classGroupMetric?: BinaryMetricKey | MultiMetricKey;
}

export interface Host {
  /** False when nothing listens (a static export): buttons that post messages are not shown. */
  readonly interactive: boolean;
  postMessage(message: FromWebview): void;
  getState(): UiState | undefined;
  setState(state: UiState): void;
}

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare const acquireVsCodeApi: (() => VsCodeApi) | undefined;

const CURVE_KEYS: readonly string[] = ['l1', 'l2', 'smoothL1', 'huber', 'logCosh'];

/** Keeps only well-formed fields of a stored UI state (it may come from an older version). */
export function parseUiState(v: unknown): UiState | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const o = v as Record<string, unknown>;
  const s: UiState = {};
  if (typeof o.uri === 'string') s.uri = o.uri;
  if (typeof o.file === 'string') s.file = o.file;
  if (o.comparison === true) s.comparison = true;
  if (Array.isArray(o.runs) && o.runs.length > 0 && o.runs.every((u) => typeof u === 'string')) s.runs = o.runs as string[];
  if (typeof o.beta === 'number' && Number.isFinite(o.beta) && o.beta >= 0) s.beta = o.beta;
  if (typeof o.threshold === 'number' && o.threshold > 0 && o.threshold < 1) s.threshold = o.threshold;
  if (typeof o.gamma === 'number' && Number.isFinite(o.gamma) && o.gamma >= 0) s.gamma = o.gamma;
  if (typeof o.lossKey === 'string' && CURVE_KEYS.includes(o.lossKey)) s.lossKey = o.lossKey as CurveKey;
  if (typeof o.rowLog === 'boolean') s.rowLog = o.rowLog;
  if (typeof o.model === 'number' && Number.isSafeInteger(o.model) && o.model >= 0) s.model = o.model;
  if (typeof o.classGroupMetric === 'string' && [...CLASS_GROUP_METRICS, ...MULTI_CLASS_METRICS.map((d) => d.key)].includes(o.classGroupMetric as BinaryMetricKey)) {
    s.classGroupMetric = o.classGroupMetric as BinaryMetricKey | MultiMetricKey;
  }
  if (typeof o.groupMetric === 'string' && (GROUP_METRICS as readonly string[]).includes(o.groupMetric)) s.groupMetric = o.groupMetric as GroupMetricKey;
  return s;
}

/** The VS Code webview host, or undefined outside VS Code. acquireVsCodeApi may be called once. */
export function vscodeHost(): Host | undefined {
  if (typeof acquireVsCodeApi !== 'function') return undefined;
  const api = acquireVsCodeApi();
  return {
    interactive: true,
    postMessage: (m) => api.postMessage(m),
    getState: () => parseUiState(api.getState()),
    setState: (s) => api.setState(s),
  };
}

/** A host that goes nowhere, for a static page; UI state lives as long as the page. */
export function staticHost(): Host {
  let state: UiState | undefined;
  return {
    interactive: false,
    postMessage: () => undefined,
    getState: () => state,
    setState: (s) => {
      state = s;
    },
  };
}

/** The global a static page may set instead of the JSON element. */
export const STATE_GLOBAL = '__LOSS_INSPECTOR_STATE__';
/** id of `<script type="application/json">` holding the state (or a bare Report) in a static page. */
export const STATE_ELEMENT_ID = 'report-data';

/**
 * A report of a family the page can show: regression (no `task`), binary classification
 * (`task: 'binary'`, with its classes, positive class and the params it was computed with) or
 * multiclass (`task: 'multiclass'`, with its classes). Another task (a newer version's) is
 * refused rather than drawn as if it were regression.
 */
function isReport(v: Record<string, unknown>): boolean {
  if (!(v.version === 1 && Array.isArray(v.models) && typeof v.rows === 'object' && v.rows !== null && typeof v.params === 'object' && v.params !== null)) return false;
  if (!('task' in v)) return true;
  if (v.task === 'multiclass') return Array.isArray(v.classes);
  return v.task === 'binary' && Array.isArray(v.classes) && typeof v.positive === 'string';
}

/** A ViewState, or a bare Report (shown as done), or undefined. */
export function toViewState(v: unknown): ViewState | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const o = v as Record<string, unknown>;
  if (isReport(o)) {
    const r = o as unknown as FamilyReport;
    return { status: 'done', file: r.file, uri: '', report: r, settings: settingsOfReport(r), computedAt: '' };
  }
  switch (o.status) {
    case 'done':
      return typeof o.file === 'string' && typeof o.report === 'object' && o.report !== null && isReport(o.report as Record<string, unknown>)
        ? ({ uri: '', ...o } as unknown as ViewState)
        : undefined;
    case 'log': {
      // A training log's report (#17).
      const r = o.report as Record<string, unknown> | null;
      const runs = r && r.kind === 'trainingLogRuns' ? r.runs : r && r.kind === 'trainingLog' ? [r] : undefined;
      return typeof o.file === 'string' && Array.isArray(runs) && runs.length > 0 && runs.every((x) => typeof x === 'object' && x !== null && Array.isArray((x as Record<string, unknown>).series))
        ? ({ uri: '', live: false, computedAt: '', ...o } as unknown as ViewState)
        : undefined;
    }
    case 'running':
    case 'error':
    case 'cancelled':
      return typeof o.file === 'string' ? ({ uri: '', ...o } as unknown as ViewState) : undefined;
    default:
      return undefined;
  }
}

/** The state embedded in a static page, if any (the JSON element wins over the global). */
export function readInjectedState(): ViewState | undefined {
  const el = document.getElementById(STATE_ELEMENT_ID);
  if (el && el.textContent) {
    try {
      const s = toViewState(JSON.parse(el.textContent));
      if (s) return s;
    } catch {
      // fall through to the global
    }
  }
  return toViewState((window as unknown as Record<string, unknown>)[STATE_GLOBAL]);
}
