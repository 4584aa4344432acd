// A large file generated at test time in the workspace (1e6 rows, ~40 MB, repeated until a run
// takes a few seconds on this machine — see below): Compute Loss shows
// progress (a "Computing losses of …" notification with a Cancel button, and the report's
// progress bar); clicking Cancel leaves a report that says it was cancelled and shows no
// numbers. Recompute then gives the CLI's numbers.
// e2e-timeout: 300
import fs from 'node:fs';
import path from 'node:path';
import * as h from '../harness.mjs';
import * as L from '../loss.mjs';

const ROWS = 1_000_000;
/** The run must last long enough to click Cancel like a person would (seconds, not ms). */
const TARGET_RUN_MS = Number(process.env.E2E_LARGE_TARGET_MS || 6000);

/** 1e6 distinct rows (~40 MB): id, target, prediction, a note. Deterministic. */
function largeBlock() {
  const parts = [];
  for (let i = 0; i < ROWS; i++) {
    const t = ((i * 7919) % 100_003) / 1000;
    const p = t + (((i * 104_729) % 2001) - 1000) / 997;
    parts.push(`${i},${t.toFixed(3)},${p.toFixed(4)},sensor-${i % 9973}-ok\n`);
  }
  return Buffer.from(parts.join(''));
}

function writeFile(file, block, repeat) {
  const fd = fs.openSync(file, 'w');
  fs.writeSync(fd, 'id,y_true,y_pred,note\n');
  for (let k = 0; k < repeat; k++) fs.writeSync(fd, block);
  fs.closeSync(fd);
}

await h.scenario('07-cancel-large', async () => {
  const files = { 'small.csv': 'y_true,y_pred\n1,2\n' };
  const { folder, page } = await L.openLossWorkbench({ files, expectFile: 'small.csv' });
  // ~1e6 rows (~40 MB) first. The engine reads that in about a second here, too fast to click
  // Cancel reliably, so the block is repeated until a run takes about TARGET_RUN_MS.
  const file = path.join(folder, 'large.csv');
  let t0 = Date.now();
  const block = largeBlock();
  writeFile(file, block, 1);
  h.log(`1e6 rows, ${(fs.statSync(file).size / 1e6).toFixed(1)} MB, written in ${Date.now() - t0} ms`);
  t0 = Date.now();
  L.cliJson(file);
  const oneBlockMs = Date.now() - t0;
  const repeat = Math.max(1, Math.min(16, Math.ceil(TARGET_RUN_MS / Math.max(1, oneBlockMs))));
  if (repeat > 1) writeFile(file, block, repeat);
  const size = fs.statSync(file).size;
  h.log(`CLI: ${oneBlockMs} ms for 1e6 rows → large.csv holds the block ${repeat}× (${repeat * ROWS} rows, ${(size / 1e6).toFixed(0)} MB)`);
  t0 = Date.now();
  const cli = L.cliJson(file);
  h.log(`CLI on large.csv: ${Date.now() - t0} ms`);
  // The Explorer shows the new file (the watcher, or a refresh).
  await L.eventually(async () => {
    if (!(await h.explorerRow(page, 'large.csv').count())) {
      await h.runCommandFromPalette(page, 'File: Refresh Explorer').catch(() => {});
      throw new Error('large.csv not in the Explorer yet');
    }
  }, { what: 'large.csv in the Explorer', timeout: 30_000, interval: 1000 });

  await L.computeLossFromExplorer(page, 'large.csv');
  const tRun = Date.now();
  const toast = page.locator('.notifications-toasts .notification-toast', { hasText: 'Computing losses of large.csv' }).first();
  const cancel = toast.locator('.notification-list-item-buttons-container .monaco-button', { hasText: 'Cancel' }).first();
  await cancel.waitFor({ state: 'visible', timeout: 20_000 });
  h.log(`progress notification after ${Date.now() - tRun} ms`);
  // Progress in bytes, in the notification and in the report (.progress), before Cancel.
  const message = toast.locator('.notification-list-item-message');
  await L.eventually(async () => L.assert(/ of \d/.test(await message.textContent()), 'bytes in the notification'), { what: 'progress in the notification', timeout: 10_000, interval: 50 });
  h.log(`notification: "${(await message.textContent()).trim()}" (${Date.now() - tRun} ms)`);
  const { report: running } = await L.waitForReport(page, 'large.csv', {
    until: (r) => r.status === 'running' && / read \(/.test(r.progress?.text || ''),
    what: 'running with bytes read in .progress',
    timeout: 10_000,
  });
  h.log(`report: "${running.progress.text}" (${Date.now() - tRun} ms)`);
  L.assert(!running.summary, 'no numbers while computing');
  await h.screenshot(page, '07-cancel-large-progress');
  const tClick = Date.now();
  await cancel.click({ timeout: 5000 });
  h.log(`Cancel clicked ${tClick - tRun} ms after the command`);

  // The report says it was cancelled, with no numbers.
  const { frame, report } = await L.waitForReport(page, 'large.csv', { until: (r) => r.status !== 'running' && r.status !== 'waiting', what: 'a final state', timeout: 30_000 });
  h.log(`after Cancel: ${report.status}; ${report.callouts.map((c) => c.text).join(' | ')}`);
  L.assertEqual(report.status, 'cancelled', 'state after Cancel');
  const banner = report.callouts.find((c) => /Cancelled/.test(c.text));
  L.assert(banner && /cancelled before it finished; no new report was made/.test(banner.text), `the report says it was cancelled: ${JSON.stringify(report.callouts)}`);
  L.assert(!report.summary, 'no table.summary: no numbers that claim to be complete');
  L.assert(!report.progress, 'no progress bar left');
  L.assert(report.canvases === 0, `no charts (${report.canvases} canvases)`);
  await toast.waitFor({ state: 'hidden', timeout: 10_000 });
  // It stays cancelled (the stopped run does not come back with a report), for longer than a run takes.
  const settle = Date.now() + Math.max(3000, 2 * (Date.now() - tRun));
  while (Date.now() < settle) {
    const r = await L.readReport(frame).catch(() => null);
    if (r) L.assertEqual(r.status, 'cancelled', 'state stays cancelled');
    await page.waitForTimeout(250);
  }
  await L.screenshotReport(page, frame, '07-cancel-large');

  // Recompute from the report: the whole file, the CLI's numbers.
  await frame.getByRole('button', { name: 'Recompute' }).first().click();
  const { frame: f2, report: done } = await L.waitForReport(page, 'large.csv', { timeout: 60_000 });
  L.assert(done.meta.includes(`${cli.rows.used} of ${cli.rows.total} rows used`), `all rows used: ${done.meta}`);
  L.assertSummaryMatchesCli(done.summary, cli, 'large.csv after Recompute');
  await L.screenshotReport(page, f2, '07-cancel-large-recomputed');
});
