/**
 * The webview's marks of a run, after the host's (RunTimings): when the report arrived, when its
 * page was built with the charts on screen (`drawn`: the numbers are there), when every chart was
 * drawn (`charts`) and the first frame after that (`painted`). Kept on the root element as JSON (`data-timings`) for
 * `npm run bench:vscode`; nothing in the report reads them.
 */
import type { RunTimings } from '../shared/webviewProtocol';

export function markRun(host: RunTimings | undefined, received: number, drawn: number, chartsDrawn: Promise<void> | undefined): void {
  const root = document.documentElement;
  const marks = { ...host, received, drawn };
  root.dataset.timings = JSON.stringify(marks);
  void (chartsDrawn ?? Promise.resolve()).then(() => {
    const all = { ...marks, charts: Date.now() };
    root.dataset.timings = JSON.stringify(all);
    requestAnimationFrame(() =>
      setTimeout(() => {
        root.dataset.timings = JSON.stringify({ ...all, painted: Date.now() });
      }, 0),
    );
  });
}
