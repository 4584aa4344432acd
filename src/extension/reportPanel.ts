import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { toUserError } from '../core/errors';
import { regressionSql } from '../core/tasks/regression/sql';
import { binarySql } from '../core/tasks/classification/sql';
import { multiclassSql } from '../core/tasks/multiclass/sql';
import type { FamilyReport } from '../shared/webviewProtocol';
import { markdownSummary } from '../core/format';
import { classMarkdownSummary } from '../core/tasks/classification/markdown';
import { multiMarkdownSummary } from '../core/tasks/multiclass/markdown';
import { readAssets, standaloneHtml } from '../engine/htmlReport';
import { FromWebview, parseFromWebview, ScoresSetting, TaskSetting, ToWebview, ViewState } from '../shared/webviewProtocol';
import { runsTitle } from '../core/trainingLog/words';
import { Disposable } from './dispose';
import { notRestoredText } from './restoreState';

export const VIEW_TYPE = 'lossInspector.report';

/** What the panel asks of its report session. */
export interface PanelHost {
  rerun(): void;
  setBeta(beta: number): Promise<void>;
  setThreshold(threshold: number): Promise<void>;
  setGamma(gamma: number): Promise<void>;
  tryGamma(gamma: number | null): void;
  setGroupBy(column: string | null): void;
  setTask(task: TaskSetting): void;
  setScores(scores: ScoresSetting): void;
  /** The "Is the difference real?" section's baseline (null: the first model). */
  setBaseline(baseline: string | null): void;
  /** A training log's report of several runs: a line of run `run`'s file. */
  openRunLine(run: number, line: number): void;
}

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  return {
    enableScripts: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
    enableFindWidget: true,
  };
}

/**
 * One report panel per data file. Thin: it renders states and forwards validated requests.
 * Disposing it closes the webview panel; closing the webview panel disposes it.
 */
export class ReportPanel extends Disposable {
  private ready = false;
  /** When the panel was made and when its webview first said it was ready (RunTimings). */
  readonly createdAt = Date.now();
  readyAt: number | undefined;
  private state: ViewState | undefined;
  private readonly _onDidDispose = new vscode.EventEmitter<void>();
  readonly onDidDispose = this._onDidDispose.event;

  constructor(
    readonly panel: vscode.WebviewPanel,
    readonly uri: vscode.Uri,
    private readonly extensionUri: vscode.Uri,
    private readonly host: PanelHost,
  ) {
    super();
    panel.webview.options = webviewOptions(extensionUri);
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'icon.svg');
    panel.title = `Loss: ${baseName(uri)}`;
    panel.webview.html = this.html();
    this._register(panel);
    this._register(panel.webview.onDidReceiveMessage((m: unknown) => this.onMessage(parseFromWebview(m))));
    this._register(panel.onDidDispose(() => this.dispose()));
  }

  get key(): string {
    return this.uri.toString();
  }

  get report(): FamilyReport | undefined {
    return this.state?.status === 'done' ? this.state.report : undefined;
  }

  get viewState(): ViewState | undefined {
    return this.state;
  }

  private runList: string[] = [];

  /** The other files of a report of several training logs (their URIs go into every state, for the serializer; their names into the title). */
  get runs(): string[] {
    return this.runList;
  }

  set runs(uris: string[]) {
    this.runList = uris;
    this.panel.title = `Loss: ${runsTitle([this.uri.path, ...uris.map((u) => vscode.Uri.parse(u).path)])}`;
  }

  setState(state: ViewState): void {
    this.state = this.runs.length > 0 ? { ...state, runs: this.runs } : state;
    this.post({ type: 'state', state: this.state });
  }

  progress(done: number, total: number): void {
    if (this.state?.status === 'running') this.state = { ...this.state, done, total };
    this.post({ type: 'progress', done, total });
  }

  private post(m: ToWebview): void {
    if (this.ready && !this.isDisposed) void this.panel.webview.postMessage(m);
  }

  private async onMessage(m: FromWebview | undefined): Promise<void> {
    if (!m) return; // not a message we know: ignore it
    switch (m.type) {
      case 'ready':
        this.ready = true;
        this.readyAt ??= Date.now();
        if (this.state) void this.panel.webview.postMessage({ type: 'state', state: this.state } satisfies ToWebview);
        return;
      case 'openLine':
        await this.openLine(m.line);
        return;
      case 'openRunLine':
        this.host.openRunLine(m.run, m.line);
        return;
      case 'setBeta':
        await this.host.setBeta(m.beta);
        return;
      case 'setThreshold':
        await this.host.setThreshold(m.threshold);
        return;
      case 'setGamma':
        await this.host.setGamma(m.gamma);
        return;
      case 'tryGamma':
        this.host.tryGamma(m.gamma);
        return;
      case 'copyMarkdown':
        if (this.report) {
          await vscode.env.clipboard.writeText(summaryMarkdown(this.report));
          void vscode.window.showInformationMessage('Loss summary copied as a Markdown table.');
        }
        return;
      case 'copySql': {
        const r = this.report;
        // A comparison's models are several files joined, which no statement over one file computes.
        if (!r || 'compare' in r) return;
        const from = { file: { path: this.uri.scheme === 'file' ? this.uri.fsPath : this.uri.toString(), format: r.format } };
        try {
          const sql = !('task' in r)
            ? regressionSql('duckdb', from, {
                target: r.target,
                predictions: r.models.map((m) => m.prediction),
                weight: r.weight ?? undefined,
                params: r.params,
                spread: r.models.map((m) => (m.spread ? { column: m.spread.column, kind: m.spread.kind } : null)),
              })
            : r.task === 'binary'
              ? binarySql('duckdb', from, r)
              : r.task === 'multiclass'
                ? multiclassSql('duckdb', from, r)
                : undefined;
          if (sql === undefined) return;
          await vscode.env.clipboard.writeText(sql);
          void vscode.window.showInformationMessage('The metrics copied as one DuckDB SQL statement (the CLI\'s --sql gives Spark, BigQuery and Postgres too).');
        } catch (e) {
          void vscode.window.showErrorMessage(`Loss Inspector: ${toUserError(e, baseName(this.uri)).message}`);
        }
        return;
      }
      case 'saveJson':
        await this.save('json');
        return;
      case 'saveHtml':
        await this.save('html');
        return;
      case 'rerun':
        this.host.rerun();
        return;
      case 'setGroupBy':
        this.host.setGroupBy(m.column);
        return;
      case 'setTask':
        this.host.setTask(m.task);
        return;
      case 'setBaseline':
        this.host.setBaseline(m.baseline);
        return;
      case 'setScores':
        this.host.setScores(m.scores);
        return;
    }
  }

  /** Opens this panel's own file, or a file of its report's runs (never a path from the webview), at a line of it. */
  async openLine(line: number, uri = this.uri): Promise<void> {
    const l = Math.max(0, line - 1);
    try {
      // Never over the report itself: beside it when the report is in the first column.
      const column = this.panel.viewColumn === vscode.ViewColumn.One ? vscode.ViewColumn.Beside : vscode.ViewColumn.One;
      const editor = await vscode.window.showTextDocument(uri, { viewColumn: column, preview: true });
      const lastLine = editor.document.lineCount - 1;
      const pos = new vscode.Position(Math.min(l, lastLine), 0);
      editor.selection = new vscode.Selection(pos, editor.document.lineAt(pos.line).range.end);
      editor.revealRange(new vscode.Range(pos, pos), vscode.TextEditorRevealType.InCenter);
    } catch (e) {
      void vscode.window.showErrorMessage(`Could not open ${baseName(uri)} at line ${line}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private async save(kind: 'json' | 'html'): Promise<void> {
    const report = this.report;
    if (!report) return;
    const target = await vscode.window.showSaveDialog({
      defaultUri: this.uri.with({ path: this.uri.path.replace(/\.[^./]*$/, '') + `.loss.${kind}` }),
      filters: kind === 'json' ? { JSON: ['json'] } : { HTML: ['html'] },
      title: kind === 'json' ? 'Save the loss report as JSON' : 'Save the loss report as one HTML file',
    });
    if (!target) return;
    const text =
      kind === 'json'
        ? JSON.stringify(report, null, 2) + '\n'
        : standaloneHtml(report, readAssets(vscode.Uri.joinPath(this.extensionUri, 'dist').fsPath));
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
    void vscode.window.showInformationMessage(`Saved the loss report to ${baseName(target)}.`);
  }

  private html(): string {
    const webview = this.panel.webview;
    const nonce = randomBytes(16).toString('base64');
    const script = webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview.js'));
    const css = webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'media', 'report.css'));
    const csp = [
      "default-src 'none'",
      `img-src ${webview.cspSource} data:`,
      `style-src ${webview.cspSource}`,
      `font-src ${webview.cspSource}`,
      `script-src 'nonce-${nonce}'`,
    ].join('; ');
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${css.toString()}">
<title>Loss report</title>
</head>
<body>
<main id="app"></main>
<script nonce="${nonce}" src="${script.toString()}"></script>
</body>
</html>`;
  }

  reveal(): void {
    this.panel.reveal(undefined, false);
  }

  override dispose(): void {
    if (this.isDisposed) return;
    super.dispose();
    this._onDidDispose.fire();
    this._onDidDispose.dispose();
  }
}

/**
 * A restored panel whose saved state was not accepted (see restoreState.ts): a short message, no
 * script, and nothing read from the state.
 */
export function showNotRestored(panel: vscode.WebviewPanel, reason: string, comparison = false): void {
  panel.webview.options = { enableScripts: false, localResourceRoots: [] };
  panel.title = 'Loss report';
  const text = notRestoredText(reason, comparison);
  panel.webview.html = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'">
<title>Loss report</title>
</head>
<body>
<p>${escapeHtml(text)}</p>
</body>
</html>`;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The report's summary as Markdown, by its family. */
function summaryMarkdown(r: FamilyReport): string {
  if (!('task' in r)) return markdownSummary(r);
  return r.task === 'binary' ? classMarkdownSummary(r) : multiMarkdownSummary(r);
}

export function baseName(uri: vscode.Uri): string {
  const p = uri.path;
  return p.slice(p.lastIndexOf('/') + 1) || p;
}
