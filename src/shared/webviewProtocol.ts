/**
 * Every message between the extension host and the report webview. The webview is untrusted
 * input too: the host validates each message with `parseFromWebview` before acting on it.
 */
import type { Report } from '../core/tasks/regression/report';

/** Settings in force, shown in the report and used to draw the curves. */
export interface ViewSettings {
  beta: number;
  delta: number;
  topRows: number;
  histogramBins: number;
}

/**
 * What the panel shows. `file` is the display name; `uri` identifies the data file (the webview
 * keeps it with setState so the serializer can restore the panel after a reload).
 */
export type ViewState =
  | { status: 'running'; file: string; uri: string; done: number; total: number }
  | { status: 'done'; file: string; uri: string; report: Report; settings: ViewSettings; computedAt: string }
  | { status: 'error'; file: string; uri: string; message: string }
  | { status: 'cancelled'; file: string; uri: string };

// ---- host → webview ------------------------------------------------------------------------
export interface StateMessage {
  type: 'state';
  state: ViewState;
}
export interface ProgressUpdate {
  type: 'progress';
  done: number;
  total: number;
}
export type ToWebview = StateMessage | ProgressUpdate;

// ---- webview → host ------------------------------------------------------------------------
export interface ReadyMessage {
  type: 'ready';
}
/** Open the report's own data file at a line (the host never takes a path from the webview). */
export interface OpenLineMessage {
  type: 'openLine';
  line: number;
}
/** Save a β tried in the report as the `lossInspector.smoothL1.beta` setting. */
export interface SetBetaMessage {
  type: 'setBeta';
  beta: number;
}
export interface CopyMarkdownMessage {
  type: 'copyMarkdown';
}
export interface SaveJsonMessage {
  type: 'saveJson';
}
/** Save the report as one self-contained HTML file. */
export interface SaveHtmlMessage {
  type: 'saveHtml';
}
export interface RerunMessage {
  type: 'rerun';
}
/** Recompute the report grouped by a column of the file (null: no groups). The host checks the name. */
export interface SetGroupByMessage {
  type: 'setGroupBy';
  column: string | null;
}
export type FromWebview =
  | ReadyMessage
  | OpenLineMessage
  | SetBetaMessage
  | CopyMarkdownMessage
  | SaveJsonMessage
  | SaveHtmlMessage
  | RerunMessage
  | SetGroupByMessage;

/** Longest column name a setGroupBy message may carry (a file's real names are checked too). */
export const MAX_COLUMN_NAME = 100_000;

/** Validates an untrusted message from the webview; undefined when it is not a valid message. */
export function parseFromWebview(m: unknown): FromWebview | undefined {
  if (typeof m !== 'object' || m === null) return undefined;
  const o = m as Record<string, unknown>;
  switch (o.type) {
    case 'ready':
    case 'copyMarkdown':
    case 'saveJson':
    case 'saveHtml':
    case 'rerun':
      return { type: o.type };
    case 'openLine':
      return typeof o.line === 'number' && Number.isSafeInteger(o.line) && o.line >= 1 ? { type: 'openLine', line: o.line } : undefined;
    case 'setBeta':
      return typeof o.beta === 'number' && Number.isFinite(o.beta) && o.beta >= 0 && o.beta <= 1e12 ? { type: 'setBeta', beta: o.beta } : undefined;
    case 'setGroupBy':
      if (o.column === null) return { type: 'setGroupBy', column: null };
      return typeof o.column === 'string' && o.column.length <= MAX_COLUMN_NAME ? { type: 'setGroupBy', column: o.column } : undefined;
    default:
      return undefined;
  }
}
