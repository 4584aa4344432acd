import * as vscode from 'vscode';
import type { FamilyReport } from '../shared/webviewProtocol';
import type { ViewState } from '../shared/webviewProtocol';
import { SECTION } from './config';
import { Disposable, disposeAll, MutableDisposable, timeout, toDisposable } from './dispose';
import { baseName, showNotRestored, VIEW_TYPE, webviewOptions } from './reportPanel';
import { ReportSession } from './reportSession';
import { CompareSession } from './compareSession';
import { pickFiles } from './comparePicker';
import { comparePlan, compareTitle, needTwoFiles } from '../core/compare/plan';
import { DATA_FILE, decideRestore, parseReportsRecord, rememberReport, REPORTS_KEY } from './restoreState';

/** How long a burst of settings changes is let settle before open reports are updated. */
const SETTINGS_SETTLE_MS = 300;

/**
 * Routes the command, restored panels and settings changes to the open reports (one
 * ReportSession per file, which owns everything about it).
 */
export class Controller extends Disposable {
  private readonly sessions = new Map<string, ReportSession>();
  /** Compare Loss reports, by their files (in the order compared). */
  private readonly comparisons = new Map<string, CompareSession>();
  private readonly settingsSettle = this._register(new MutableDisposable());

  constructor(private readonly context: vscode.ExtensionContext) {
    super();
    this._register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!e.affectsConfiguration(SECTION)) return;
        this.settingsSettle.value = timeout(SETTINGS_SETTLE_MS, () => {
          for (const s of this.sessions.values()) s.onSettingsChanged();
          for (const s of this.comparisons.values()) s.onSettingsChanged();
        });
      }),
    );
    this._register(toDisposable(() => disposeAll([...this.sessions.values(), ...this.comparisons.values()])));
  }

  private get workerScript(): string {
    return vscode.Uri.joinPath(this.context.extensionUri, 'dist', 'worker.js').fsPath;
  }

  /** The `Compute Loss` command: on the Explorer's file, or the active editor's file. */
  async computeLoss(arg?: unknown, selected?: unknown): Promise<void> {
    const uri = arg instanceof vscode.Uri ? arg : activeFileUri();
    if (!uri) {
      void vscode.window.showErrorMessage('Loss Inspector: open or select a CSV, TSV, JSON, JSON Lines, Parquet or Arrow file first, then run Compute Loss.');
      return;
    }
    if (!DATA_FILE.test(uri.path)) {
      void vscode.window.showWarningMessage(`Loss Inspector reads .csv, .tsv, .json, .jsonl, .ndjson, .parquet and .arrow files; trying '${baseName(uri)}' as one of them.`);
    }
    let session = this.sessions.get(uri.toString());
    if (!session) {
      const panel = vscode.window.createWebviewPanel(VIEW_TYPE, `Loss: ${baseName(uri)}`, vscode.ViewColumn.Beside, {
        ...webviewOptions(this.context.extensionUri),
        retainContextWhenHidden: false,
      });
      session = this.open(panel, uri);
    }
    // Several files selected in the Explorer: training logs, a run each, in this file's report (#17).
    session.runs = Array.isArray(selected) ? selected.filter((u): u is vscode.Uri => u instanceof vscode.Uri && u.toString() !== uri.toString()) : [];
    // Remembered as the report's file is, so that a reload may read them again (restoreState.ts).
    if (session.runs.length > 0) {
      const record = session.runs.reduce((rec, r) => rememberReport(rec.uris, r.toString()), { uris: this.rememberedReports() });
      void this.context.workspaceState.update(REPORTS_KEY, record);
    }
    session.reveal();
    await session.recompute(true);
  }

  /**
   * The `Compare Loss` command (#15 item 3): from the Explorer, VS Code passes the clicked file
   * and every selected one; from the Command Palette nothing, so two files are asked for. The
   * first file decides the rows and holds the baseline; every selected file is compared.
   */
  async compareLoss(arg?: unknown, selected?: unknown): Promise<void> {
    const uris = Array.isArray(selected) ? selected.filter((u): u is vscode.Uri => u instanceof vscode.Uri) : [];
    let plan = comparePlan(arg instanceof vscode.Uri ? arg : undefined, uris, (u) => u.toString());
    if (!plan.ok) plan = comparePlan(undefined, [...plan.have, ...(await pickFiles(plan.have[0] ?? activeFileUri()))], (u) => u.toString());
    if (!plan.ok) {
      void vscode.window.showErrorMessage(`Loss Inspector: ${needTwoFiles(plan.have.length)}`);
      return;
    }
    const files = plan.files;
    const key = files.map((u) => u.toString()).join('\n');
    let session = this.comparisons.get(key);
    if (!session) {
      const panel = vscode.window.createWebviewPanel(VIEW_TYPE, `Loss: ${compareTitle(files.map(baseName))}`, vscode.ViewColumn.Beside, {
        ...webviewOptions(this.context.extensionUri),
        retainContextWhenHidden: false,
      });
      const s = new CompareSession(panel, files, this.context.extensionUri, this.workerScript);
      this.comparisons.set(key, s);
      s.onDidDispose(() => {
        if (this.comparisons.get(key) === s) this.comparisons.delete(key);
      });
      session = s;
    }
    session.reveal();
    await session.recompute(true);
  }

  /**
   * Restores a panel after a window reload (WebviewPanelSerializer) by recomputing, when its
   * saved state names a file the extension opened a report for (see restoreState.ts).
   */
  async restore(webviewPanel: vscode.WebviewPanel, state: unknown): Promise<void> {
    if (state === undefined || state === null) {
      webviewPanel.dispose();
      return;
    }
    const schemes = ['file', ...(vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.scheme)];
    const decision = decideRestore(state, schemes, this.rememberedReports());
    const uri = decision.ok ? parseUri(decision.uri) : undefined;
    if (!uri) {
      showNotRestored(webviewPanel, decision.ok ? 'the saved file is not a URI' : decision.reason, !decision.ok && decision.comparison === true);
      return;
    }
    if (this.sessions.has(uri.toString())) {
      // The file's report was opened again before this (hidden) panel was restored: keep one.
      webviewPanel.dispose();
      return;
    }
    const runs = decision.ok ? decision.runs.map(parseUri) : [];
    if (runs.some((r) => r === undefined)) {
      showNotRestored(webviewPanel, 'a saved run is not a URI', false);
      return;
    }
    const session = this.open(webviewPanel, uri);
    session.runs = runs as vscode.Uri[];
    await session.recompute(false);
  }

  private open(panel: vscode.WebviewPanel, uri: vscode.Uri): ReportSession {
    const key = uri.toString();
    const session = new ReportSession(panel, uri, this.context.extensionUri, this.workerScript);
    this.sessions.set(key, session);
    session.onDidDispose(() => {
      if (this.sessions.get(key) === session) this.sessions.delete(key);
    });
    void this.context.workspaceState.update(REPORTS_KEY, rememberReport(this.rememberedReports(), key));
    return session;
  }

  /** The files the extension opened reports for in this workspace (its own record, most recent first). */
  private rememberedReports(): string[] {
    return parseReportsRecord(this.context.workspaceState.get(REPORTS_KEY));
  }

  /** The report shown for a file (used by the integration tests). */
  reportFor(uri: vscode.Uri): FamilyReport | undefined {
    return this.sessions.get(uri.toString())?.report;
  }

  panelState(uri: vscode.Uri): ViewState | undefined {
    return this.sessions.get(uri.toString())?.viewState;
  }

  /** Cancels the file's current run; its panel then says so (a newer run is never affected). */
  cancel(uri: vscode.Uri): void {
    this.sessions.get(uri.toString())?.cancel();
  }
}

function parseUri(s: string): vscode.Uri | undefined {
  try {
    return vscode.Uri.parse(s, true);
  } catch {
    return undefined;
  }
}

function activeFileUri(): vscode.Uri | undefined {
  const editor = vscode.window.activeTextEditor;
  if (editor && editor.document.uri.scheme !== 'output') return editor.document.uri;
  const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
  const input = tab?.input;
  if (input instanceof vscode.TabInputText || input instanceof vscode.TabInputCustom) return input.uri;
  return undefined;
}
