/**
 * The webview's marks of a run, after the host's (RunTimings): when the report arrived, when its
 * page and charts were built (`drawn`: chart.js draws synchronously here) and the first frame
 * after that (`painted`). Kept on the root element as JSON (`data-timings`) for
 * `npm run bench:vscode`; nothing in the report reads them.
 */
import type { RunTimings } from '../shared/webviewProtocol';

export function markRun(host: RunTimings | undefined, received: number, drawn: number): void {
  const root = document.documentElement;
  const marks = { ...host, received, drawn };
  root.dataset.timings = JSON.stringify(marks);
  requestAnimationFrame(() =>
    setTimeout(() => {
      root.dataset.timings = JSON.stringify({ ...marks, painted: Date.now() });
    }, 0),
  );
}
