/**
 * Entry of the report webview (bundled to dist/webview.js). In VS Code it talks to the extension
 * through acquireVsCodeApi: it posts `ready` once it listens, then renders every `state` and
 * `progress` the host sends. In a static page (Save as HTML) the state is embedded in
 * <script type="application/json" id="report-data"> (or window.__LOSS_INSPECTOR_STATE__) and the
 * buttons that need the extension are hidden.
 */
import type { ToWebview } from '../shared/webviewProtocol';
import { App } from './app';
import { readInjectedState, staticHost, toViewState, vscodeHost } from './host';

function isMessage(v: unknown): v is ToWebview {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  if (o.type === 'progress') return typeof o.done === 'number' && typeof o.total === 'number';
  return o.type === 'state' && toViewState(o.state) !== undefined;
}

function start(): void {
  const root = document.getElementById('app') ?? document.body.appendChild(document.createElement('main'));
  const injected = readInjectedState();
  const host = injected ? undefined : vscodeHost();
  if (!host) {
    const app = new App(root, staticHost());
    if (injected) app.setState(injected);
    else root.replaceChildren(Object.assign(document.createElement('p'), { textContent: 'This page holds no loss report.' }));
    return;
  }
  const app = new App(root, host);
  window.addEventListener('message', (e: MessageEvent<unknown>) => {
    const m = e.data;
    if (!isMessage(m)) return;
    if (m.type === 'state') app.setState(m.state);
    else app.progress(m.done, m.total);
  });
  host.postMessage({ type: 'ready' });
}

start();
