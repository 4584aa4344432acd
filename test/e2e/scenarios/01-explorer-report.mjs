// Right-click a CSV in the Explorer → Compute Loss: the report's numbers are the CLI's
// (`--json`, same file) to the precision shown, and its charts are drawn.
import path from 'node:path';
import fs from 'node:fs';
import * as h from '../harness.mjs';
import * as L from '../loss.mjs';

await h.scenario('01-explorer-report', async () => {
  const csv = fs.readFileSync(path.join(L.REPO, 'samples', 'predictions.csv'));
  const { folder, page } = await L.openLossWorkbench({ files: { 'predictions.csv': csv } });
  const file = path.join(folder, 'predictions.csv');
  const cli = L.cliJson(file);

  await L.computeLossFromExplorer(page, 'predictions.csv');
  const { frame, report } = await L.waitForReport(page, 'predictions.csv');
  h.log(`report: ${report.meta}`);

  // Header line: format, target, models, rows.
  L.assert(report.meta.includes(`target “${cli.target}”`), `meta names the target ${cli.target}: ${report.meta}`);
  L.assert(report.meta.includes(`${cli.rows.used} of ${cli.rows.total} rows used`), `meta has the row counts of the CLI: ${report.meta}`);
  L.assert(report.meta.includes(`${cli.models.length} models`), `meta has ${cli.models.length} models: ${report.meta}`);

  // Every metric of every model.
  L.assertSummaryMatchesCli(report.summary, cli);
  L.assert(
    report.summary.foot.some((t) => t.startsWith(`${cli.rows.used} of ${cli.rows.total} rows used · ${cli.rows.skipped} skipped`)),
    `table foot has the row counts: ${JSON.stringify(report.summary.foot)}`,
  );
  L.assert(report.summary.foot.some((t) => t.includes(`β = ${cli.params.beta}`) && t.includes(`δ = ${cli.params.delta}`)), `foot shows β and δ: ${JSON.stringify(report.summary.foot)}`);

  // Worst rows of the first model: the CLI's, in order.
  const worst = await frame.$$eval('table.worst', (ts) =>
    ts.map((t) => [...t.querySelectorAll('tbody tr')].map((tr) => [...tr.querySelectorAll('td')].map((td) => ({ shown: td.textContent.trim(), title: td.title })))),
  );
  L.assertEqual(worst.length, cli.models.length, 'one worst-rows table per model');
  cli.models.forEach((m, i) => {
    L.assertEqual(worst[i].map((r) => Number(r[0].shown)), m.worst.map((w) => w.line), `worst lines of ${m.prediction}`);
    m.worst.forEach((w, j) => {
      for (const [k, key] of [[1, 'target'], [2, 'prediction'], [3, 'residual']]) {
        const err = L.checkShown(worst[i][j][k].shown, w[key]);
        if (err) throw new Error(`worst row ${j} of ${m.prediction}, ${key}: ${err}`);
      }
    });
  });

  // Charts: canvases with a size and pixels drawn (wait for chart.js to lay out).
  const stats = await L.eventually(
    async () => {
      const s = await L.canvasStats(frame);
      L.assertCanvasesDrawn(s, { min: 5 + cli.models.length });
      return s;
    },
    { what: 'every chart drawn', timeout: 15_000 },
  );
  for (const s of stats) h.log(`canvas ${s.index}: ${s.width}×${s.height}, ${s.opaque} drawn pixels, dataURL ${s.dataUrlLength} chars — ${s.label.slice(0, 70)}`);

  await L.screenshotReport(page, frame, '01-explorer-report');
  await frame.evaluate(() => document.getElementById('curves-title')?.scrollIntoView());
  await L.screenshotReport(page, frame, '01-explorer-report-charts');
  await h.screenshot(page, '01-explorer-report-workbench');
});
