/**
 * What a panel restored after a reload may show (#19 item 11). The webview's stored state is
 * untrusted: a page could have called setState with any URI. So the URI is accepted only when it
 * names a data file on an allowed scheme (`file`, or the scheme of an open workspace folder) and
 * the extension itself recorded it as a report it opened, in workspace storage. Pure: no `vscode`.
 */

export const DATA_FILE = /\.((csv|tsv|txt|dat|json|jsonl|ndjson)(\.(gz|gzip|zst|zstd))?|parquet|parq|pq|arrow|arrows|feather|ipc)$/i;

/** Key of the extension's own record in `ExtensionContext.workspaceState`. */
export const REPORTS_KEY = 'lossInspector.reports';
/** Version of that record; another version (or shape) is ignored, so nothing is restored from it. */
export const REPORTS_VERSION = 1;
/** The record keeps the most recent reports only. */
export const MAX_REMEMBERED = 50;

export interface ReportsRecord {
  version: typeof REPORTS_VERSION;
  uris: string[];
}

/** The URIs of the record, or none when it is missing or not of this version and shape. */
export function parseReportsRecord(v: unknown): string[] {
  if (typeof v !== 'object' || v === null) return [];
  const o = v as Record<string, unknown>;
  if (o.version !== REPORTS_VERSION || !Array.isArray(o.uris)) return [];
  return o.uris.filter((u): u is string => typeof u === 'string').slice(0, MAX_REMEMBERED);
}

/** The record after a report for `uri` opened: it first, then the others, at most MAX_REMEMBERED. */
export function rememberReport(uris: readonly string[], uri: string): ReportsRecord {
  return { version: REPORTS_VERSION, uris: [uri, ...uris.filter((u) => u !== uri)].slice(0, MAX_REMEMBERED) };
}

/**
 * `comparison`: the panel was a Compare Loss report, so the advice is Compare Loss's, not Compute
 * Loss's. `runs`: the other files of a report of several training logs.
 */
export type RestoreDecision = { ok: true; uri: string; runs: string[] } | { ok: false; reason: string; comparison?: true };

/** The sentence of a panel that was not restored: why, and the command that shows the report again. */
export function notRestoredText(reason: string, comparison: boolean): string {
  return comparison
    ? `This comparison was not restored (${reason}). Select the files in the Explorer again and run Loss Inspector: Compare Loss.`
    : `This report was not restored (${reason}). Run Loss Inspector: Compute Loss on the file again.`;
}

/** Longest URI accepted from a stored state (a real file's URI is far shorter). */
const MAX_URI = 8192;

/**
 * Decides whether the state a webview stored may restore a panel.
 * `schemes`: the allowed URI schemes; `remembered`: the URIs of the extension's record.
 */
export function decideRestore(state: unknown, schemes: readonly string[], remembered: readonly string[]): RestoreDecision {
  if (typeof state !== 'object' || state === null || Array.isArray(state)) return { ok: false, reason: 'no saved state' };
  const o = state as Record<string, unknown>;
  if (o.comparison === true) return { ok: false, reason: 'a comparison of several files is not restored after a reload', comparison: true };
  const uri = o.uri;
  if (typeof uri !== 'string' || uri === '') return { ok: false, reason: 'no file in the saved state' };
  const bad = refusal(uri, schemes, remembered);
  if (bad) return { ok: false, reason: bad };
  // A report of several training logs comes back with every run or not at all: one run fewer would
  // look like the whole report.
  const runs = o.runs === undefined ? [] : o.runs;
  if (!Array.isArray(runs) || runs.length > MAX_REMEMBERED || runs.some((r) => typeof r !== 'string')) return { ok: false, reason: "the saved runs are not a list of files" };
  for (const r of runs as string[]) {
    const why = refusal(r, schemes, remembered);
    if (why) return { ok: false, reason: `one of its runs cannot be read again: ${why}` };
  }
  return { ok: true, uri, runs: runs as string[] };
}

/** Why a stored URI may not be read again (undefined: it may). */
function refusal(uri: string, schemes: readonly string[], remembered: readonly string[]): string | undefined {
  if (uri.length > MAX_URI) return 'the saved file name is too long';
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):([^?#]*)(?:[?#]|$)/.exec(uri);
  if (!m) return 'the saved file is not a URI';
  const scheme = m[1].toLowerCase();
  if (!schemes.some((s) => s.toLowerCase() === scheme)) return `files of scheme '${scheme}' are not restored`;
  let path: string;
  try {
    path = decodeURIComponent(m[2].replace(/^\/\/[^/]*/, ''));
  } catch {
    return 'the saved file is not a URI';
  }
  if (!DATA_FILE.test(path)) return 'the saved file is not a .csv, .tsv, .txt, .dat, .json, .jsonl or .ndjson file (or one of them compressed), nor a Parquet or Arrow file';
  if (!remembered.includes(uri)) return 'the extension did not open a report for this file';
  return undefined;
}
