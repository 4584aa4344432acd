// A report open when the window reloads comes back (the panel serializer, activated by
// `onWebviewPanel:lossInspector.report`), recomputed from the file as it is now: the file is
// changed while its report is open with autoRefresh off, so only the restored run can show the
// new numbers. They are the CLI's for the changed file.
import fs from 'node:fs';
import path from 'node:path';
import * as h from '../harness.mjs';
import * as L from '../loss.mjs';

await h.scenario('20-reload-restore', async () => {
  const csv = fs.readFileSync(path.join(L.REPO, 'samples', 'predictions.csv'), 'utf8');
  const { folder, page } = await L.openLossWorkbench({
    files: { 'predictions.csv': csv },
    settings: { 'lossInspector.autoRefresh': false },
  });
  const file = path.join(folder, 'predictions.csv');
  const before = L.cliJson(file);

  await L.computeLossFromExplorer(page, 'predictions.csv');
  const first = await L.waitForReport(page, 'predictions.csv');
  L.assertSummaryMatchesCli(first.report.summary, before, 'report before the reload');

  // The file changes (the first 120 rows only), unseen: autoRefresh is off.
  const lines = csv.trimEnd().split('\n');
  fs.writeFileSync(file, [lines[0], ...lines.slice(1, 121)].join('\n') + '\n');
  const after = L.cliJson(file);
  L.assert(after.rows.total === 120 && after.rows.used < before.rows.used && after.models[0].metrics.mse !== before.models[0].metrics.mse, 'the changed file has other numbers');
  await page.waitForTimeout(2000); // let the workbench store the webview's state and the extension's record
  const still = await L.readReport(first.frame);
  L.assertSummaryMatchesCli(still.summary, before, 'report before the reload, after the unseen change');

  // As a user reloads: the workbench saves its state (the editors, the webview's state) on the
  // way out, which a plain page reload does not wait for.
  h.log('reloading the window');
  const reloaded = page.waitForEvent('load', { timeout: 60_000 });
  await h.runCommandFromPalette(page, 'Developer: Reload Window');
  await reloaded;
  await page.locator('.monaco-workbench').first().waitFor({ state: 'visible', timeout: 60_000 });
  const restored = await L.waitForReport(page, 'predictions.csv', { timeout: 90_000, what: 'the restored report, done' });
  h.log(`restored: ${restored.report.meta}`);
  L.assert(restored.report.meta.includes(`${after.rows.used} of ${after.rows.total} rows used`), `the restored report read the file as it is now: ${restored.report.meta}`);
  L.assertSummaryMatchesCli(restored.report.summary, after, 'restored report');
  L.assertEqual(await L.activeTabTitle(page), 'Loss: predictions.csv', 'the restored report is the active tab');
  await L.screenshotReport(page, restored.frame, '20-reload-restore');
});
