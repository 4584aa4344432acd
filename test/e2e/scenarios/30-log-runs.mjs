// Several training runs (#17 item 3): two Lightning runs, version_0/metrics.csv and
// version_1/metrics.csv, selected in the Explorer (click, Ctrl+click) → right-click → Compute
// Loss gives one report with a run per file, named by its folder, each series' minimum as the
// CLI gives it for both files, a minimum's line opens in its own run's file, and after a window
// reload the report comes back with both runs.
import path from 'node:path';
import fs from 'node:fs';
import * as h from '../harness.mjs';
import * as L from '../loss.mjs';

/** A Lightning CSVLogger metrics.csv: train loss every 10 steps, validation every 500; `scale` tells the runs apart. */
function metrics(scale) {
  const lines = ['epoch,step,train_loss_step,val_loss'];
  for (let i = 1; i <= 150; i++) lines.push(`${Math.floor(i / 50)},${i * 10},${((scale * 2) / (1 + i / 20)).toFixed(6)},${i % 50 === 0 ? ((scale * 2.2) / (1 + i / 25)).toFixed(6) : ''}`);
  return lines.join('\n') + '\n';
}

/** The report tab's title: the runs' shared file name and their folders. */
const TAB = 'Loss: metrics.csv (version_0, version_1)';

const readSeries = (frame) =>
  frame.$$eval('table.log-series tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('th, td')].map((c) => c.textContent.replace(/\s+/g, ' ').trim())));

/** The two metrics.csv rows of the Explorer (folders expanded), the first clicked and the second Ctrl+clicked, until both are selected. */
async function selectBoth(page) {
  const rows = h.explorerRow(page, 'metrics.csv');
  const selected = () => page.locator('.explorer-folders-view .monaco-list-row.selected .label-name').allTextContents();
  for (let attempt = 0; attempt < 10; attempt++) {
    await rows.nth(0).click();
    await rows.nth(1).click({ modifiers: ['Control'] });
    await page.waitForTimeout(300);
    const now = await selected();
    if (now.length === 2 && now.every((n) => n === 'metrics.csv')) return;
  }
  L.assertEqual(await selected(), ['metrics.csv', 'metrics.csv'], 'both runs selected');
}

await h.scenario('30-log-runs', async () => {
  const files = { 'version_0/metrics.csv': metrics(1), 'version_1/metrics.csv': metrics(0.8) };
  const { folder, page } = await L.openLossWorkbench({ files, expectFile: 'version_0' });
  const paths = Object.keys(files).map((f) => path.join(folder, f));
  const cli = L.cliJson(paths[0], [paths[1]]);
  L.assertEqual(cli.kind, 'trainingLogRuns', 'the CLI reads both as runs of one report');
  L.assertEqual(
    cli.runs.map((r) => r.run),
    ['version_0', 'version_1'],
    'each run is named by its folder',
  );

  // The folders are expanded so that both files are rows of the Explorer.
  for (const f of ['version_0', 'version_1']) {
    await h.explorerRow(page, f).first().click();
    await L.eventually(async () => L.assert((await h.explorerRow(page, 'metrics.csv').count()) >= (f === 'version_0' ? 1 : 2), `${f} expanded`), { what: `${f} expanded` });
  }
  await selectBoth(page);
  await h.rightClickExplorerItem(page, 'metrics.csv', { waitForItem: 'Compute Loss', timeout: 45_000 });
  await h.clickContextMenuItem(page, 'Compute Loss', { explorerItem: 'metrics.csv', timeout: 45_000 });
  const { frame } = await L.waitForReport(page, 'metrics.csv', { until: (r) => r.status === 'unknown' && r.canvases > 0, what: 'a report of two training runs' });
  const title = await frame.$eval('#log-title', (el) => el.textContent);
  L.assertEqual(title, 'Training logs: 2 runs', 'the report says it holds two runs');
  await L.eventually(async () => L.assertEqual(await L.activeTabTitle(page), TAB, "the report's tab names both runs"), { what: 'the tab title' });

  // Every series of both runs, as the CLI gives it: run, series, min, at, line.
  const rows = await readSeries(frame);
  h.log(`series: ${JSON.stringify(rows)}`);
  for (const r of cli.runs) {
    for (const s of r.series) {
      const row = rows.find((x) => x[0] === r.run && x[1] === s.name);
      L.assert(row, `a row for ${r.run} · ${s.name}`);
      L.assertEqual(Number(row[2]), s.min.value, `min of ${r.run} · ${s.name}`);
      L.assertEqual(row[3], `step ${s.min.step.toLocaleString('en-US')}`, `step of the min of ${r.run} · ${s.name}`);
      L.assertEqual(Number(row[4]), s.min.line, `line of the min of ${r.run} · ${s.name}`);
    }
  }
  L.assert(cli.runs[0].series[0].min.value !== cli.runs[1].series[0].min.value, 'the runs differ, so a row cannot pass for the other run');
  await L.eventually(async () => L.assertCanvasesDrawn(await L.canvasStats(frame), { min: 1 }), { what: 'the loss chart drawn', timeout: 15_000 });
  await L.screenshotReport(page, frame, '30-log-runs');

  // The second run's validation minimum opens in version_1/metrics.csv, at its line.
  const val1 = cli.runs[1].series.find((s) => s.name === 'val_loss');
  const text = fs.readFileSync(paths[1], 'utf8').split('\n')[val1.min.line - 1];
  L.assert(!fs.readFileSync(paths[0], 'utf8').split('\n').includes(text), 'the line is only in version_1');
  const rowIndex = rows.findIndex((x) => x[0] === 'version_1' && x[1] === 'val_loss');
  await frame.locator('table.log-series tbody tr').nth(rowIndex).locator('td').nth(3).getByRole('button').click();
  await L.waitForLineOpened(page, 'metrics.csv', val1.min.line, text);
  h.log(`version_1's val_loss minimum → version_1/metrics.csv line ${val1.min.line}`);

  // A reload restores the report with both runs (the runs' URIs are in the webview's saved state).
  const reloaded = page.waitForEvent('load', { timeout: 60_000 });
  await h.runCommandFromPalette(page, 'Developer: Reload Window');
  await reloaded;
  await page.locator('.monaco-workbench').first().waitFor({ state: 'visible', timeout: 60_000 });
  const restored = await L.waitForReport(page, 'metrics.csv', { until: (r) => r.status === 'unknown' && r.canvases > 0, timeout: 90_000, what: 'the restored report of two runs' });
  L.assertEqual(await restored.frame.$eval('#log-title', (el) => el.textContent), 'Training logs: 2 runs', 'the restored report has both runs');
  L.assertEqual(await readSeries(restored.frame), rows, 'the restored runs read as before');
  await L.eventually(async () => L.assert((await page.locator('.tabs-container .tab').filter({ hasText: TAB }).count()) === 1, `a tab titled ${TAB}`), { what: "the restored report's tab title" });
  h.log('reloaded: both runs restored');
});
