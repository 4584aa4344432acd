import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FamilyReport, settingsOfReport, ViewState } from '../shared/webviewProtocol';

/**
 * A self-contained HTML report: the same UI as the webview (dist/webview.js and
 * media/report.css inlined), a static state, and a theme for use outside VS Code. No external
 * resources; a CSP allows exactly the inlined script and style (by hash).
 */
export function standaloneHtml(report: FamilyReport, assets: { script: string; css: string }): string {
  const state: ViewState = {
    status: 'done',
    file: path.basename(report.file),
    uri: '',
    report,
    settings: settingsOfReport(report),
    computedAt: new Date().toISOString(),
  };
  // `<` escaped so no value (a column name, say) can close the data block.
  const data = JSON.stringify(state).replace(/</g, '\\u003c');
  const style = THEME + assets.css;
  const sha = (s: string) => `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`;
  const csp = `default-src 'none'; img-src data:; style-src ${sha(style)}; script-src ${sha(assets.script)}`;
  const title = `Loss: ${state.file}`.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${title}</title>
<style>${style}</style>
</head>
<body class="vscode-light standalone">
<main id="app"></main>
<script type="application/json" id="report-data">${data}</script>
<script>${assets.script}</script>
</body>
</html>
`;
}

/** Reads the webview bundle and stylesheet that ship beside the running bundle (dist/). */
export function readAssets(distDir: string): { script: string; css: string } {
  const script = fs.readFileSync(path.join(distDir, 'webview.js'), 'utf8').replace(/<\/script/gi, '<\\/script');
  const css = fs.readFileSync(path.join(distDir, '..', 'media', 'report.css'), 'utf8');
  return { script, css };
}

/** The --vscode-* variables the report uses, with VS Code's light and dark defaults. */
const THEME = `:root {
  --vscode-font-family: system-ui, -apple-system, "Segoe UI", Ubuntu, sans-serif; --vscode-font-size: 13px; --vscode-font-weight: normal;
  --vscode-editor-background: #ffffff; --vscode-foreground: #3b3b3b; --vscode-descriptionForeground: #717171;
  --vscode-panel-border: #e5e5e5; --vscode-sideBar-background: #f8f8f8; --vscode-focusBorder: #005fb8;
  --vscode-errorForeground: #a1260d; --vscode-editorWarning-foreground: #bf8803; --vscode-textLink-foreground: #005fb8;
  --vscode-textLink-activeForeground: #005fb8; --vscode-textBlockQuote-background: #f8f8f8; --vscode-progressBar-background: #005fb8;
  --vscode-list-inactiveSelectionBackground: #e4e6f1; --vscode-list-hoverBackground: #f2f2f2;
  --vscode-inputValidation-warningBackground: #fdf6e3; --vscode-inputValidation-infoBackground: #e6f3ff; --vscode-inputValidation-errorBackground: #f2dede;
  --vscode-dropdown-foreground: #3b3b3b; --vscode-dropdown-border: #cecece; --vscode-dropdown-background: #ffffff;
  --vscode-checkbox-background: #f8f8f8; --vscode-button-background: #005fb8; --vscode-button-foreground: #ffffff; --vscode-button-hoverBackground: #0258a8;
  --vscode-button-secondaryBackground: #e5e5e5; --vscode-button-secondaryForeground: #3b3b3b; --vscode-button-secondaryHoverBackground: #cccccc;
  --vscode-charts-red: #e51400; --vscode-charts-blue: #1a85ff; --vscode-charts-yellow: #bf8803; --vscode-charts-orange: #d18616;
  --vscode-charts-green: #388a34; --vscode-charts-purple: #652d90; --vscode-editor-foreground: #3b3b3b;
}
@media (prefers-color-scheme: dark) { :root {
  --vscode-editor-background: #1f1f1f; --vscode-foreground: #cccccc; --vscode-descriptionForeground: #9d9d9d;
  --vscode-panel-border: #2b2b2b; --vscode-sideBar-background: #181818; --vscode-focusBorder: #0078d4;
  --vscode-errorForeground: #f85149; --vscode-editorWarning-foreground: #cca700; --vscode-textLink-foreground: #4daafc;
  --vscode-textLink-activeForeground: #4daafc; --vscode-textBlockQuote-background: #2b2b2b; --vscode-progressBar-background: #0078d4;
  --vscode-list-inactiveSelectionBackground: #37373d; --vscode-list-hoverBackground: #2a2d2e;
  --vscode-inputValidation-warningBackground: #352a05; --vscode-inputValidation-infoBackground: #063b49; --vscode-inputValidation-errorBackground: #5a1d1d;
  --vscode-dropdown-foreground: #cccccc; --vscode-dropdown-border: #3c3c3c; --vscode-dropdown-background: #313131;
  --vscode-checkbox-background: #313131; --vscode-button-background: #0078d4; --vscode-button-foreground: #ffffff; --vscode-button-hoverBackground: #026ec1;
  --vscode-button-secondaryBackground: #313131; --vscode-button-secondaryForeground: #cccccc; --vscode-button-secondaryHoverBackground: #3c3c3c;
  --vscode-charts-red: #f14c4c; --vscode-charts-blue: #3794ff; --vscode-charts-yellow: #cca700; --vscode-charts-orange: #d18616;
  --vscode-charts-green: #89d185; --vscode-charts-purple: #b180d7; --vscode-editor-foreground: #cccccc;
} }
body { background: var(--vscode-editor-background); color: var(--vscode-foreground); margin: 0 auto; max-width: 1400px; padding: 0 16px; }
`;
