// Changing lossInspector.smoothL1.beta in the settings updates the open report (its β, its
// smooth L1 row, its curves) without running the command again: the numbers become the CLI's
// with --beta, in the same webview (no reload).
import fs from 'node:fs';
import path from 'node:path';
import * as h from '../harness.mjs';
import * as L from '../loss.mjs';

const NEW_BETA = 0.25;

await h.scenario('02-beta-setting', async () => {
  const csv = fs.readFileSync(path.join(L.REPO, 'samples', 'predictions.csv'));
  const { folder, server, page } = await L.openLossWorkbench({ files: { 'predictions.csv': csv } });
  const file = path.join(folder, 'predictions.csv');
  const cli1 = L.cliJson(file);
  const cli2 = L.cliJson(file, ['--beta', String(NEW_BETA)]);
  const smooth = (cli) => cli.models.map((m) => m.metrics.smoothL1);
  L.assert(JSON.stringify(smooth(cli1)) !== JSON.stringify(smooth(cli2)), 'the CLI gives another smooth L1 at the new β');

  // The data file open in the editor, the report beside it (the usual layout).
  await h.explorerRow(page, 'predictions.csv').click();
  await page.locator('.editor-instance .view-lines', { hasText: 'timestamp,y_true' }).first().waitFor({ timeout: 20_000 });
  await L.computeLossFromExplorer(page, 'predictions.csv');
  const { frame, report: before } = await L.waitForReport(page, 'predictions.csv');
  L.assertSummaryMatchesCli(before.summary, cli1, 'report at β = 1');
  L.assert(before.betaOut === 'β = 1', `β panel shows β = 1: ${before.betaOut}`);
  const lossCanvas = (stats) => stats.find((s) => s.label.startsWith('Per-element loss'));
  const curveBefore = await L.eventually(async () => {
    const c = lossCanvas(await L.canvasStats(frame));
    L.assert(c && c.opaque > 500, 'loss curves drawn');
    return c;
  });
  L.assert(curveBefore.label.includes('smooth L1 (β = 1)'), `loss chart is described at β = 1: ${curveBefore.label}`);
  // A mark in the webview's window: still there afterwards = the same page was updated, not reloaded.
  await frame.evaluate(() => (window.__e2eMark = 'before-setting'));
  await h.screenshot(page, '02-beta-setting-before');

  // Edit settings.json in the first editor group, so that the report stays visible.
  await h.runCommandFromPalette(page, 'View: Focus First Editor Group');
  await h.setUserSetting(page, server, 'lossInspector.smoothL1.beta', NEW_BETA);

  const { frame: frame2, report: after } = await L.waitForReport(page, 'predictions.csv', {
    until: (r) => r.status === 'done' && r.summary?.foot.some((t) => t.includes(`β = ${NEW_BETA} `)),
    what: `done with β = ${NEW_BETA}`,
    timeout: 30_000,
  });
  h.log(`report after the setting: ${after.meta}`);
  L.assert(after.meta.includes(`β = ${NEW_BETA}`), `header shows β = ${NEW_BETA}: ${after.meta}`);
  L.assertSummaryMatchesCli(after.summary, cli2, `report at β = ${NEW_BETA}`);
  const row = after.summary.rows.find((r) => r.label === 'smooth L1');
  h.log(`smooth L1 row: ${before.summary.rows.find((r) => r.label === 'smooth L1').cells.map((c) => c.shown)} → ${row.cells.map((c) => c.shown)}`);
  L.assert(after.betaOut === `β = ${NEW_BETA}`, `β panel shows β = ${NEW_BETA}: ${after.betaOut}`);
  L.assert(!after.callouts.some((c) => /settings now say/.test(c.text)), 'no "settings now say" note: the report is computed with them');

  const curveAfter = await L.eventually(async () => {
    const c = lossCanvas(await L.canvasStats(frame2));
    L.assert(c && c.opaque > 500, 'loss curves drawn');
    L.assert(c.label.includes(`smooth L1 (β = ${NEW_BETA})`), `loss chart is described at β = ${NEW_BETA}: ${c.label}`);
    L.assert(c.hash !== curveBefore.hash, 'the loss curves were redrawn with other pixels');
    return c;
  });
  h.log(`loss chart: ${curveBefore.opaque} → ${curveAfter.opaque} drawn pixels`);

  const mark = await frame2.evaluate(() => window.__e2eMark).catch(() => undefined);
  L.assert(frame2 === frame && mark === 'before-setting', 'the report updated in place (its webview was not reloaded)');

  await L.screenshotReport(page, frame2, '02-beta-setting');
  await frame2.evaluate(() => document.getElementById('curves-title')?.scrollIntoView());
  await L.screenshotReport(page, frame2, '02-beta-setting-curves');
});
