// Clicking a worst row (or a line number) in the report opens the data file at that line:
// the active editor tab is the data file and the cursor (status bar "Ln N") is on that line.
import fs from 'node:fs';
import path from 'node:path';
import * as h from '../harness.mjs';
import * as L from '../loss.mjs';

await h.scenario('06-open-line', async () => {
  const csv = fs.readFileSync(path.join(L.REPO, 'samples', 'predictions.csv'));
  const { folder, page } = await L.openLossWorkbench({ files: { 'predictions.csv': csv } });
  const cli = L.cliJson(path.join(folder, 'predictions.csv'));
  const fileLines = csv.toString('utf8').split('\n');
  const worst = cli.models[0].worst;
  h.log(`worst lines of ${cli.models[0].prediction}: ${worst.map((w) => w.line).join(', ')}`);

  /** The active editor shows predictions.csv with the cursor on `line`. */
  async function expectEditorAt(line, what) {
    await L.eventually(
      async () => {
        const tab = await L.activeTabTitle(page);
        L.assertEqual(tab, 'predictions.csv', `${what}: active editor tab`);
        const status = await L.statusBarSelection(page);
        const m = /Ln (\d+)/.exec(status || '');
        L.assert(m && Number(m[1]) === line, `${what}: status bar cursor on line ${line}: "${status}"`);
        // The line's text is on screen in the active editor.
        const text = (await page.locator('.editor-group-container.active .monaco-editor .view-lines').first().innerText()).replace(/\u00a0/g, ' ');
        L.assert(text.includes(fileLines[line - 1].trim()), `${what}: line ${line} ("${fileLines[line - 1]}") is visible`);
      },
      { what, timeout: 15_000 },
    );
    h.log(`${what}: ${await L.activeTabTitle(page)} at ${await L.statusBarSelection(page)}`);
  }

  // Usual layout: the data file in the editor, the report beside it.
  await h.explorerRow(page, 'predictions.csv').click();
  await page.locator('.editor-instance .view-lines', { hasText: 'timestamp,y_true' }).first().waitFor({ timeout: 20_000 });
  await L.computeLossFromExplorer(page, 'predictions.csv');
  const { frame } = await L.waitForReport(page, 'predictions.csv');
  L.assertEqual(await L.activeTabTitle(page), 'Loss: predictions.csv', 'the report is the active editor after Compute Loss');

  // 1. Click the first worst row (on a value cell, not on the line button).
  const rows = frame.locator('table.worst').first().locator('tbody tr');
  L.assertEqual(Number((await rows.nth(0).locator('td').first().textContent()).trim()), worst[0].line, 'first worst row line');
  await rows.nth(0).locator('td').nth(2).click();
  await expectEditorAt(worst[0].line, `row click → line ${worst[0].line}`);
  await h.screenshot(page, '06-open-line-row');

  // 2. The line-number button of the third worst row (the report stayed visible beside).
  const f2 = (await L.waitForReport(page, 'predictions.csv')).frame;
  const third = f2.locator('table.worst').first().locator('tbody tr').nth(2);
  await third.getByRole('button', { name: `Open line ${worst[2].line}` }).click();
  await expectEditorAt(worst[2].line, `line button → line ${worst[2].line}`);

  // 3. A skipped line from the .skipped section.
  const skippedLine = cli.rows.firstSkippedLines.empty[0];
  const f3 = (await L.waitForReport(page, 'predictions.csv')).frame;
  await f3.locator('.skipped').getByRole('button', { name: `Open line ${skippedLine}` }).click();
  await expectEditorAt(skippedLine, `skipped line → line ${skippedLine}`);

  // 4. Report alone in the window (no editor open when Compute Loss ran): a row click still
  //    opens the file at the line.
  await h.runCommandFromPalette(page, 'View: Close All Editors');
  await L.computeLossFromExplorer(page, 'predictions.csv');
  const { frame: f4 } = await L.waitForReport(page, 'predictions.csv');
  const w1 = cli.models[0].worst[1];
  await f4.locator('table.worst').first().locator('tbody tr').nth(1).locator('td').nth(3).click();
  await expectEditorAt(w1.line, `row click (report alone) → line ${w1.line}`);
  await h.screenshot(page, '06-open-line');
});
