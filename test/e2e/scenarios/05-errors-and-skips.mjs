// A file the engine cannot read (an unterminated quote) → an error notification with the
// engine's sentence (the CLI's), and the report says the same. A file with unusable rows → the
// report says how many were skipped, why, and on which lines (as the CLI does).
import path from 'node:path';
import * as h from '../harness.mjs';
import * as L from '../loss.mjs';

const SKIPS = [
  'y_true,y_pred',
  '1,1.5',
  ',2', // 3: empty
  'NA,3', // 4: na
  '4,abc', // 5: text
  '5,inf', // 6: infinite
  '6', // 7: ragged
  '7,7.5',
  '8,Infinity', // 9
  '9,-1e400', // 10: overflows to -∞
  ...Array.from({ length: 12 }, (_, i) => `${10 + i},${i % 2 ? 'N/A' : 'null'}`), // 11-22: na (more than the 10 lines listed)
  '30,31',
  '31,29.5',
  '32,"32.5"',
  '33, 35 ',
].join('\n') + '\n';

await h.scenario('05-errors-and-skips', async () => {
  const files = { 'broken-quote.csv': L.fixture('broken-quote.csv'), 'skips.csv': SKIPS };
  const { folder, page } = await L.openLossWorkbench({ files });

  // ---- the broken file
  const engine = L.cliError('broken-quote.csv', [], { cwd: folder });
  L.assertEqual(engine.code, 1, 'the CLI rejects broken-quote.csv');
  h.log(`engine sentence: ${engine.message}`);
  L.assert(/quote opened on line 3 that is never closed/.test(engine.message), `the engine's sentence names the problem and the line: ${engine.message}`);
  await L.computeLossFromExplorer(page, 'broken-quote.csv');
  const note = await h.waitForNotification(page, engine.message, { timeout: 30_000 });
  h.log(`notification: ${note}`);
  L.assertEqual(note, `Loss Inspector: ${engine.message}`, 'the notification is the engine sentence');
  // Error notifications carry the error icon.
  const errorToast = page.locator('.notifications-toasts .notification-list-item', { hasText: engine.message }).first();
  L.assert((await errorToast.locator('.codicon-error').count()) > 0, 'the notification is an error');
  const { frame: badFrame, report: bad } = await L.waitForReport(page, 'broken-quote.csv', { until: (r) => r.status === 'error', what: 'the error state' });
  L.assertEqual(bad.errorMessage, engine.message, 'the report shows the engine sentence');
  L.assert(!bad.summary, 'no summary table for a file that could not be read');
  await h.screenshot(page, '05-errors-broken-quote');
  await L.screenshotReport(page, badFrame, '05-errors-broken-quote-report');
  await h.clearNotifications(page);
  await h.runCommandFromPalette(page, 'View: Close All Editors');

  // ---- skipped rows
  const cli = L.cliJson(path.join(folder, 'skips.csv'));
  const rows = cli.rows;
  h.log(`CLI rows: ${JSON.stringify(rows)}`);
  await L.computeLossFromExplorer(page, 'skips.csv');
  const { frame, report } = await L.waitForReport(page, 'skips.csv');
  L.assertSummaryMatchesCli(report.summary, cli, 'skips.csv');
  L.assert(report.skipped, 'a .skipped section');
  h.log(`.skipped: ${report.skipped}`);
  const pct = `${((rows.skipped / rows.total) * 100).toFixed(1).replace(/\.0+$/, '')}%`;
  L.assert(report.skipped.includes(`${rows.skipped} of ${rows.total} rows skipped (${pct})`), `the count of skipped rows: ${report.skipped}`);
  L.assert(report.skipped.includes(`other ${rows.used} rows`), `the count of used rows: ${report.skipped}`);
  const items = await frame.$$eval('.skipped li', (lis) =>
    lis.map((li) => ({
      text: li.textContent.replace(/\s+/g, ' ').trim(),
      count: Number(/^(\d+)/.exec(li.querySelector('strong')?.textContent ?? '')?.[1]),
      lines: [...li.querySelectorAll('button')].map((b) => Number(b.textContent)),
    })),
  );
  const REASON_WORDS = { empty: 'empty value', na: 'missing-value marker', nonNumeric: 'not a number', infinite: 'infinite', missingField: 'missing column' };
  const reasons = Object.keys(rows.skippedByReason);
  L.assertEqual(items.length, reasons.length, `one line per skip reason (${reasons})`);
  for (const reason of reasons) {
    const it = items.find((i) => i.text.includes(REASON_WORDS[reason]));
    L.assert(it, `a line for ${reason}: ${JSON.stringify(items)}`);
    L.assertEqual(it.count, rows.skippedByReason[reason], `count of ${reason}`);
    L.assertEqual(it.lines, rows.firstSkippedLines[reason], `first lines of ${reason}`);
    const more = rows.skippedByReason[reason] - rows.firstSkippedLines[reason].length;
    if (more > 0) L.assert(it.text.includes(`(${more} more)`), `${reason}: says ${more} more: ${it.text}`);
  }
  L.assert(report.summary.foot.some((t) => t.includes(`${rows.used} of ${rows.total} rows used · ${rows.skipped} skipped`)), `summary foot: ${report.summary.foot}`);
  await L.screenshotReport(page, frame, '05-errors-skipped-rows');
});
