// A file whose columns cannot be detected (first, second, third): the extension asks for the
// target, then the predictions, in QuickPicks. Chosen through the UI (type to filter, Enter;
// checkboxes, Enter), the report shows those columns with the CLI's numbers for that choice.
import path from 'node:path';
import * as h from '../harness.mjs';
import * as L from '../loss.mjs';

await h.scenario('04-column-quickpick', async () => {
  // ambiguous.csv's two rows, plus a few more so that the models differ.
  const csv = 'first,second,third\n1,2,3\n4,5,6\n2,2.5,1\n7,6,9\n3,3.25,3.5\n';
  const { folder, page } = await L.openLossWorkbench({ files: { 'columns.csv': csv } });
  const file = path.join(folder, 'columns.csv');
  const detect = L.cliError(file, [], { cwd: folder });
  L.assertEqual(detect.code, 1, 'the CLI cannot detect the columns');
  const cli = L.cliJson(file, ['--target', 'first', '--prediction', 'second,third']);

  await L.computeLossFromExplorer(page, 'columns.csv');

  const widget = page.locator('.quick-input-widget');
  const input = widget.locator('.quick-input-box input');
  const title = widget.locator('.quick-input-title');
  const rows = widget.locator('.quick-input-list .monaco-list-row');
  const rowLabels = async () => (await rows.locator('.label-name').allTextContents()).map((s) => s.trim());

  // 1/2: the target.
  await title.filter({ hasText: 'target column of columns.csv (1/2)' }).waitFor({ state: 'visible', timeout: 30_000 });
  const placeholder = await input.getAttribute('placeholder');
  h.log(`QuickPick 1: ${placeholder}`);
  L.assert(placeholder.includes('"first", "second", "third"'), `the QuickPick says why it asks (the columns found): ${placeholder}`);
  await L.eventually(async () => L.assertEqual(await rowLabels(), ['first', 'second', 'third'], 'target choices'));
  await input.pressSequentially('fir', { delay: 30 });
  await L.eventually(async () => L.assertEqual(await rowLabels(), ['first'], 'filtered target choices'));
  await h.screenshot(page, '04-column-quickpick-target');
  await page.keyboard.press('Enter');

  // 2/2: the predictions, several (checkboxes), the target no longer offered.
  await title.filter({ hasText: 'prediction columns of columns.csv (2/2)' }).waitFor({ state: 'visible', timeout: 15_000 });
  await L.eventually(async () => L.assertEqual(await rowLabels(), ['second', 'third'], 'prediction choices (the target is not one)'));
  for (const name of ['second', 'third']) {
    await input.fill('');
    await input.pressSequentially(name.slice(0, 3), { delay: 30 });
    await L.eventually(async () => L.assertEqual(await rowLabels(), [name], `filtered to ${name}`));
    const box = rows.filter({ has: page.locator('.label-name', { hasText: name }) }).locator('.monaco-checkbox').first();
    await box.click();
    await L.eventually(async () => L.assertEqual(await box.getAttribute('aria-checked'), 'true', `${name} checked`));
  }
  await input.fill('');
  await L.eventually(async () => {
    const badge = (await widget.locator('.quick-input-count').textContent()).trim();
    L.assert(/2 Selected/.test(badge), `2 selected: ${badge}`);
  });
  await h.screenshot(page, '04-column-quickpick-predictions');
  await page.keyboard.press('Enter');
  await widget.waitFor({ state: 'hidden', timeout: 10_000 });

  const { frame, report } = await L.waitForReport(page, 'columns.csv');
  h.log(`report: ${report.meta}`);
  L.assert(report.meta.includes('target “first”'), `target is "first": ${report.meta}`);
  L.assertEqual(report.summary.headers, ['metric', 'second', 'third'], 'the chosen prediction columns are the models');
  L.assertSummaryMatchesCli(report.summary, cli, 'report of the chosen columns');
  const worstHead = await frame.locator('table.worst thead th').nth(1).textContent();
  L.assertEqual(worstHead.trim(), 'target (first)', 'worst rows name the chosen target');
  await L.screenshotReport(page, frame, '04-column-quickpick');

  // Recompute (button in the report) keeps the choice: no QuickPick again.
  await L.markReport(frame);
  await frame.getByRole('button', { name: 'Recompute' }).first().click();
  const again = await L.waitForReport(page, 'columns.csv', {
    until: (r) => r.status === 'done' && !r.marked,
    what: 'recomputed (a new rendering of a finished report)',
    timeout: 20_000,
  });
  L.assert(!(await widget.isVisible()), 'no QuickPick on Recompute: the columns are remembered');
  L.assertSummaryMatchesCli(again.report.summary, cli, 'recomputed report');
});
