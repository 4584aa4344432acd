// Compare Loss (#15 item 3) in real VS Code: two predictions files of the same rows (in another
// order, with an "id" column) selected in the Explorer (click, Ctrl+click), right-click →
// Compare Loss, "id" picked as the key. The report's models are FILE:COLUMN; its summary, its
// paired comparisons (difference, interval, p, exactly, from the list's data attributes) and
// the rows whose loss changed most equal the CLI's `compare --key id --json`. A changed row's
// line buttons open the right file at the right line, either file; editing the baseline file on
// disk recomputes the open report (both files are watched); three selected files are all
// compared, to the CLI's three-file `compare --json`, a changed line of the third file opening in it;
// two binary classifiers' files, then two multiclass files, give their report whose changed rows
// (by log loss) equal the CLI's.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import * as h from '../harness.mjs';
import * as L from '../loss.mjs';

/** Two runs over the same 40 rows: B is better on most rows, much worse on a few. */
function files() {
  const rows = Array.from({ length: 40 }, (_, i) => {
    const y = 10 + ((i * 7) % 13) + i / 8;
    const a = y + (((i * 5) % 7) - 3) * 0.5;
    const b = i % 11 === 4 ? y + 6 + i / 10 : y + (((i * 3) % 5) - 2) * 0.25;
    return { id: `r${i + 1}`, y, a, b };
  });
  const a = ['id,y,pred', ...rows.map((r) => `${r.id},${r.y},${r.a}`)].join('\n') + '\n';
  // B in reverse order: a row's line differs between the files, so the key join is exercised.
  const b = ['id,y,pred', ...[...rows].reverse().map((r) => `${r.id},${r.y},${r.b}`)].join('\n') + '\n';
  const c = ['id,y,pred', ...rows.map((r) => `${r.id},${r.y},${r.y + 1}`)].join('\n') + '\n';
  return { 'a.csv': a, 'b.csv': b, 'c.csv': c };
}

/** Two binary classifiers over the same 30 rows (labels 0/1, probabilities), B in reverse order and mostly better. */
function classifierFiles() {
  const rows = Array.from({ length: 30 }, (_, i) => {
    const y = (i * 5) % 7 < 3 ? 1 : 0;
    const a = (0.5 + 0.4 * Math.sin(i * 1.3)).toFixed(3);
    const b = (y ? 0.6 + 0.35 * Math.abs(Math.cos(i)) : 0.4 - 0.35 * Math.abs(Math.sin(i * 2))).toFixed(3);
    return { id: `r${i + 1}`, y, a, b: i % 9 === 4 ? (1 - Number(b)).toFixed(3) : b };
  });
  return {
    'clf_a.csv': ['id,y,prob', ...rows.map((r) => `${r.id},${r.y},${r.a}`)].join('\n') + '\n',
    'clf_b.csv': ['id,y,prob', ...[...rows].reverse().map((r) => `${r.id},${r.y},${r.b}`)].join('\n') + '\n',
  };
}

/** Two multiclass classifiers over the same 30 rows (three class columns each), B in reverse order. */
function multiclassFiles() {
  const classes = ['cat', 'dog', 'bird'];
  const rows = (seed, order) =>
    order.map((i) => {
      const raw = classes.map((_, c) => 1 + Math.sin(i * 1.3 + c * 2.1 + seed));
      const t = raw.reduce((x, y) => x + y, 0);
      return `r${i + 1},${classes[(i * 5) % 3]},${raw.map((x) => (x / t).toFixed(4)).join(',')}`;
    });
  const ids = Array.from({ length: 30 }, (_, i) => i);
  return {
    'mc_a.csv': ['id,y,p_cat,p_dog,p_bird', ...rows(1, ids)].join('\n') + '\n',
    'mc_b.csv': ['id,y,p_cat,p_dog,p_bird', ...rows(2, [...ids].reverse())].join('\n') + '\n',
  };
}

/** Runs in the report frame: a classifier comparison's changed-rows tables (exact numbers from the cells' titles). */
function readClassChanged() {
  const report = document.querySelector('.report:not(.stale)');
  if (!report) return null;
  return {
    join: report.querySelector('.compare-join p')?.textContent ?? null,
    title: report.querySelector('#changed-title')?.textContent ?? null,
    tables: [...report.querySelectorAll('table.changed')].map((table) =>
      [...table.querySelectorAll('tbody tr')].map((tr) => {
        const td = [...tr.querySelectorAll('td')];
        return [Number(tr.dataset.lineA), Number(tr.dataset.lineB), td[2].textContent, td[3].textContent, ...td.slice(4, 9).map((c) => Number(c.title))];
      }),
    ),
  };
}

function cliCompare(folder, args) {
  const out = execFileSync(process.execPath, [L.CLI, 'compare', ...args, '--json'], { cwd: folder, encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'pipe'] });
  return JSON.parse(out);
}

/** Runs in the report frame: the comparisons (exact numbers from data attributes) and the changed rows. */
function readCompare() {
  const text = (el) => (el ? el.textContent.replace(/\s+/g, ' ').trim() : null);
  const report = document.querySelector('.report:not(.stale)');
  if (!report) return null;
  return {
    join: text(report.querySelector('.compare-join p')),
    comparisons: [...report.querySelectorAll('li.comparison')].map((li) => ({
      // Each model's list is labelled "MODEL against BASELINE".
      model: (li.closest('ul')?.getAttribute('aria-label') ?? '').split(' against ')[0],
      metric: li.dataset.metric,
      difference: li.dataset.difference,
      low: li.dataset.low,
      high: li.dataset.high,
      p: li.dataset.p,
      significant: li.classList.contains('significant'),
      text: text(li),
    })),
    count: text(report.querySelector('.comparisons-count')),
    // One table per model compared with the baseline (each model here is in its own file: two line columns).
    tables: [...report.querySelectorAll('table.changed')].map((table) => ({
      caption: text(table.querySelector('caption')),
      rows: [...table.querySelectorAll('tbody tr')].map((tr) => {
        const td = [...tr.querySelectorAll('td')];
        return { lineA: Number(tr.dataset.lineA), lineB: Number(tr.dataset.lineB), key: text(td[2]), target: td[3].title, a: td[4].title, b: td[5].title, change: td[6].title };
      }),
    })),
    warnings: [...document.querySelectorAll('.callout.warning li')].map(text),
  };
}

/** Equal, or within a few ulps (the extension host's Node and the CLI's may differ in Math.pow's last bit). */
function close(shown, want) {
  if (want === null) return shown === 'NaN' || shown === 'null';
  const x = Number(shown);
  return x === want || Math.abs(x - want) <= 1e-12 * Math.max(Math.abs(want), 1e-300);
}

/** The report shown equals the CLI's: every model's comparisons with a.csv:pred, and every changed-rows table. */
function assertMatchesCli(seen, cli, what) {
  L.assert(seen.join.startsWith(`${cli.compare.rows.joined} rows of 'a.csv'`), `${what}: join sentence: ${seen.join}`);
  const others = cli.models.slice(1).map((m) => m.prediction);
  L.assertEqual([...new Set(seen.comparisons.map((c) => c.model))], others, `${what}: a list of comparisons per model but the baseline`);
  for (const model of others) {
    const want = cli.comparisons.filter((c) => c.a === 'a.csv:pred' && c.b === model);
    const shown = seen.comparisons.filter((c) => c.model === model);
    L.assert(want.length > 5, `${what}: the CLI compares several metrics of ${model} (${want.length})`);
    L.assertEqual(shown.map((c) => c.metric).sort(), want.map((c) => c.metric).sort(), `${what}: one comparison of ${model} per metric of the CLI`);
    for (const w of want) {
      const s = shown.find((c) => c.metric === w.metric);
      for (const k of ['difference', 'low', 'high', 'p']) L.assert(close(s[k], w[k]), `${what}: ${model} ${w.metric} ${k}: shown ${s[k]}, CLI ${w[k]}`);
      L.assertEqual(s.significant, w.significant, `${what}: ${model} ${w.metric} significant`);
      L.assert(s.text.includes(model) && s.text.includes('a.csv:pred'), `${what}: the sentence names both models: ${s.text}`);
    }
  }
  L.assertEqual(cli.compare.changed.map((c) => [c.a, c.b, c.fileA, c.fileB]), others.map((m, i) => ['a.csv:pred', m, 0, i + 1]), `${what}: changed rows of the CLI: the baseline against each model, each in its file`);
  L.assertEqual(seen.tables.length, others.length, `${what}: a changed-rows table per model`);
  cli.compare.changed.forEach((changed, i) => {
    L.assert(changed.rows.length > 0, `${what}: the CLI lists changed rows of ${changed.b}`);
    L.assertEqual(
      seen.tables[i].rows.map((r) => [r.lineA, r.lineB, r.key, Number(r.target), Number(r.a), Number(r.b), Number(r.change)]),
      changed.rows.map((r) => [r.lineA, r.lineB, r.key, r.target, r.a, r.b, r.change]),
      `${what}: the changed rows of ${changed.b} (lines in both files, key, values, change)`,
    );
  });
}

/**
 * Click the first file, Ctrl+click the others, and check the Explorer's selection; on a loaded
 * machine a Ctrl+click can land before the list takes it, so the missing ones are Ctrl+clicked
 * again (never a selected one: that would deselect it).
 */
async function selectFiles(page, names) {
  const selected = () => page.locator('.explorer-folders-view .monaco-list-row.selected .label-name').allTextContents();
  await h.explorerRow(page, names[0]).click();
  for (const n of names.slice(1)) await h.explorerRow(page, n).click({ modifiers: ['Control'] });
  for (let attempt = 0; attempt < 10; attempt++) {
    await page.waitForTimeout(300);
    const now = await selected();
    if (names.every((n) => now.includes(n)) && now.length === names.length) return;
    if (!now.includes(names[0]) || now.some((n) => !names.includes(n))) {
      await h.explorerRow(page, names[0]).click();
      continue;
    }
    for (const n of names) if (!now.includes(n)) await h.explorerRow(page, n).click({ modifiers: ['Control'] });
  }
  L.assertEqual(await selected(), names, `${names.length} files selected`);
}

await h.scenario('28-compare', async () => {
  const { folder, server, page } = await L.openLossWorkbench({ files: files(), expectFile: 'a.csv' });
  const lines = (name) => fs.readFileSync(path.join(folder, name), 'utf8').split('\n');
  const cli = cliCompare(folder, ['a.csv', 'b.csv', '--key', 'id']);
  L.assertEqual(cli.models.map((m) => m.prediction), ['a.csv:pred', 'b.csv:pred'], 'the CLI names the models FILE:COLUMN');

  // 1. Select a.csv, Ctrl+click b.csv, right-click the selection → Compare Loss.
  await selectFiles(page, ['a.csv', 'b.csv']);
  const menu = await h.rightClickExplorerItem(page, 'b.csv', { waitForItem: 'Compare Loss', timeout: 45_000 });
  h.log(`context menu of the selection: ${menu.join(' | ')}`);
  await h.clickContextMenuItem(page, 'Compare Loss', { explorerItem: 'b.csv', timeout: 45_000 });

  // 2. The key: both files have "id" besides the target and predictions, so it is asked.
  const widget = page.locator('.quick-input-widget');
  const input = widget.locator('.quick-input-box input');
  const rows = widget.locator('.quick-input-list .monaco-list-row');
  const rowLabels = async () => (await rows.locator('.label-name').allTextContents()).map((s) => s.trim());
  await widget.locator('.quick-input-title').filter({ hasText: 'join the rows of a.csv and b.csv by' }).waitFor({ state: 'visible', timeout: 30_000 });
  await L.eventually(async () => L.assertEqual(await rowLabels(), ['Row order (no key column)', 'id'], 'key choices: row order, or the shared column'));
  await h.screenshot(page, '28-compare-key');
  await input.pressSequentially('id', { delay: 30 });
  await L.eventually(async () => L.assertEqual(await rowLabels(), ['id'], 'filtered to id'));
  await page.keyboard.press('Enter');
  await widget.waitFor({ state: 'hidden', timeout: 10_000 });

  // 3. The report: FILE:COLUMN models, the CLI's numbers.
  const title = 'a.csv vs b.csv';
  const { frame, report } = await L.waitForReport(page, title, { timeout: 90_000 });
  h.log(`report: ${report.meta}`);
  L.assertEqual(report.summary.headers, ['metric', 'a.csv:pred', 'b.csv:pred'], 'the models are FILE:COLUMN of both files');
  L.assertSummaryMatchesCli(report.summary, cli, 'compare summary');
  const seen = await frame.evaluate(readCompare);
  h.log(`join: ${seen.join}`);
  h.log(`${seen.count} e.g. ${seen.comparisons[0]?.text}`);
  assertMatchesCli(seen, cli, 'report');
  L.assertEqual(await L.activeTabTitle(page), `Loss: ${title}`, 'the comparison is the active tab');
  await L.screenshotReport(page, frame, '28-compare');

  // 4. A changed row's lines open in their own file: B's line button, A's line button, a click on the row (B).
  const [first, second] = cli.compare.changed[0].rows;
  await frame.getByRole('button', { name: `Open line ${first.lineB} of b.csv` }).click();
  await L.waitForLineOpened(page, 'b.csv', first.lineB, lines('b.csv')[first.lineB - 1]);
  h.log(`line button of b.csv → b.csv at line ${first.lineB}`);
  const f2 = (await L.waitForReport(page, title)).frame;
  await f2.getByRole('button', { name: `Open line ${first.lineA} of a.csv` }).click();
  await L.waitForLineOpened(page, 'a.csv', first.lineA, lines('a.csv')[first.lineA - 1]);
  h.log(`line button of a.csv → a.csv at line ${first.lineA}`);
  const f3 = (await L.waitForReport(page, title)).frame;
  await f3.locator('table.changed tbody tr').nth(1).locator('td').nth(5).click();
  await L.waitForLineOpened(page, 'b.csv', second.lineB, lines('b.csv')[second.lineB - 1]);
  h.log(`row click → b.csv at line ${second.lineB}`);
  await h.screenshot(page, '28-compare-open-line');

  // 5. Editing the baseline on disk recomputes the report (its watcher), to the CLI's new numbers.
  const f4 = (await L.waitForReport(page, title)).frame;
  await L.markReport(f4);
  const a = lines('a.csv');
  a[5] = a[5].replace(/,([^,]*)$/, (_, p) => `,${Number(p) + 25}`);
  fs.writeFileSync(path.join(folder, 'a.csv'), a.join('\n'));
  const cli2 = cliCompare(folder, ['a.csv', 'b.csv', '--key', 'id']);
  L.assert(cli2.models[0].metrics.mae !== cli.models[0].metrics.mae, 'the edit changes the numbers');
  const after = await L.waitForReport(page, title, { until: (r) => r.status === 'done' && !r.marked, timeout: 60_000, what: 'the report recomputed after a.csv changed' });
  L.assertSummaryMatchesCli(after.report.summary, cli2, 'summary after the edit');
  assertMatchesCli(await after.frame.evaluate(readCompare), cli2, 'report after the edit');
  h.log('a.csv edited → the report follows (the CLI\'s new numbers)');

  // 6. Three files selected: all three compared, a.csv deciding the rows, to the CLI's three-file
  //    compare; a changed line of c.csv opens in c.csv.
  await h.runCommandFromPalette(page, 'View: Close All Editors');
  await selectFiles(page, ['a.csv', 'b.csv', 'c.csv']);
  await h.rightClickExplorerItem(page, 'c.csv', { waitForItem: 'Compare Loss', timeout: 45_000 });
  await h.clickContextMenuItem(page, 'Compare Loss', { explorerItem: 'c.csv', timeout: 45_000 });
  // A new panel for the three: the key is asked again (Enter: the first choice, row order, would fail: B is in another order).
  await widget.locator('.quick-input-title').filter({ hasText: 'join the rows of a.csv, b.csv and c.csv by' }).waitFor({ state: 'visible', timeout: 30_000 });
  await L.eventually(async () => L.assertEqual(await rowLabels(), ['Row order (no key column)', 'id'], 'key choices of three files: row order, or the column all three have'));
  await input.pressSequentially('id', { delay: 30 });
  await L.eventually(async () => L.assertEqual(await rowLabels(), ['id'], 'filtered to id'));
  await page.keyboard.press('Enter');
  const cli3 = cliCompare(folder, ['a.csv', 'b.csv', 'c.csv', '--key', 'id']);
  L.assertEqual(cli3.models.map((m) => m.prediction), ['a.csv:pred', 'b.csv:pred', 'c.csv:pred'], 'the CLI compares the three files');
  const title3 = 'a.csv vs b.csv vs c.csv';
  const three = await L.waitForReport(page, title3, { timeout: 90_000 });
  L.assertEqual(three.report.summary.headers, ['metric', 'a.csv:pred', 'b.csv:pred', 'c.csv:pred'], 'the models of the three files');
  L.assertSummaryMatchesCli(three.report.summary, cli3, 'summary of three files');
  const seen3 = await three.frame.evaluate(readCompare);
  h.log(`three files: ${seen3.join}`);
  assertMatchesCli(seen3, cli3, 'report of three files');
  L.assert(!seen3.warnings.some((x) => x.includes('not compared')), `no file is said to be left out: ${JSON.stringify(seen3.warnings)}`);
  L.assertEqual(await L.activeTabTitle(page), `Loss: ${title3}`, 'the three-file comparison is the active tab');
  await L.screenshotReport(page, three.frame, '28-compare-three');
  const ofC = cli3.compare.changed[1].rows[0];
  await three.frame.getByRole('button', { name: `Open line ${ofC.lineB} of c.csv` }).first().click();
  await L.waitForLineOpened(page, 'c.csv', ofC.lineB, lines('c.csv')[ofC.lineB - 1]);
  h.log(`line button of c.csv → c.csv at line ${ofC.lineB}`);

  // 7. The Command Palette: the files are asked for one at a time until Done; joined by row order,
  //    B's rows (in another order) have other targets: the report says so in the engine's
  //    sentence, no stack trace.
  await h.runCommandFromPalette(page, 'View: Close All Editors');
  await h.runCommandFromPalette(page, 'Loss Inspector: Compare Loss');
  for (const [step, name] of [['Compare Loss (1): the baseline file', 'a.csv'], ['Compare Loss (2): a file compared with a.csv', 'b.csv']]) {
    await widget.locator('.quick-input-title').filter({ hasText: step }).waitFor({ state: 'visible', timeout: 30_000 });
    await input.pressSequentially(name, { delay: 30 });
    await L.eventually(async () => L.assertEqual(await rowLabels(), [name], `file ${step} filtered to ${name}`));
    await page.keyboard.press('Enter');
  }
  // Two or more files: a third question offers Done first, then the files not chosen (c.csv among them).
  await widget.locator('.quick-input-title').filter({ hasText: 'Compare Loss (3): one more file compared with a.csv, or Done' }).waitFor({ state: 'visible', timeout: 30_000 });
  await L.eventually(async () => {
    const labels = await rowLabels();
    L.assertEqual(labels[0], 'Done: compare a.csv vs b.csv', 'Done first');
    L.assert(labels.includes('c.csv') && !labels.includes('a.csv') && !labels.includes('b.csv'), `the files not chosen yet: ${JSON.stringify(labels)}`);
  });
  await rows.filter({ has: page.locator('.label-name', { hasText: 'Done: compare a.csv vs b.csv' }) }).first().click();
  await widget.locator('.quick-input-title').filter({ hasText: 'join the rows of a.csv and b.csv by' }).waitFor({ state: 'visible', timeout: 30_000 });
  await L.eventually(async () => L.assertEqual((await rowLabels())[0], 'Row order (no key column)', 'row order first'));
  // The first choice, picked with a click (an Enter right after the previous pick may reach the closing one).
  await rows.filter({ has: page.locator('.label-name', { hasText: 'Row order (no key column)' }) }).first().click();
  await widget.waitFor({ state: 'hidden', timeout: 10_000 });
  const failed = await L.waitForReport(page, title, { until: (r) => r.status === 'error', timeout: 60_000, what: 'the error of a row-order join' });
  const b1 = lines('b.csv')[1].split(',');
  const a1 = lines('a.csv')[1].split(',');
  h.log(`error: ${failed.report.errorMessage}`);
  L.assert(
    failed.report.errorMessage.startsWith(`Row 1 differs: its target is ${Number(a1[1])} on line 2 of 'a.csv' and ${Number(b1[1])} on line 2 of 'b.csv'.`),
    `the error names the first row that differs and its lines: ${failed.report.errorMessage}`,
  );
  L.assert(failed.report.errorMessage.endsWith('In VS Code, choose the key column when Compare Loss asks, or set lossInspector.compare.key.'), 'the error says where the key is chosen in VS Code');
  L.assert(!/\n\s+at |Error:/.test(failed.report.errorMessage), 'a sentence, not a stack trace');
  await h.waitForNotification(page, 'Row 1 differs');
  await L.screenshotReport(page, failed.frame, '28-compare-error');

  // 8. The setting lossInspector.compare.key: set to "id", the failed comparison recomputes by
  //    itself, joined by the key (no question), to the CLI's --key id numbers; set to a column the
  //    files do not have, the error says the key came from the setting.
  await h.clearNotifications(page);
  await h.setUserSetting(page, server, 'lossInspector.compare.key', 'id');
  const bySetting = await L.waitForReport(page, title, { until: (r) => r.status === 'done', timeout: 60_000, what: 'the comparison recomputed with the key of the setting' });
  L.assertSummaryMatchesCli(bySetting.report.summary, cli2, 'summary with the key from the setting');
  const seenBySetting = await bySetting.frame.evaluate(readCompare);
  L.assert(seenBySetting.join.includes('joined by') && seenBySetting.join.includes('id'), `the join says the key: ${seenBySetting.join}`);
  assertMatchesCli(seenBySetting, cli2, 'report with the key from the setting');
  h.log(`setting compare.key = id → ${seenBySetting.join}`);
  await h.setUserSetting(page, server, 'lossInspector.compare.key', 'nope');
  const badKey = await L.waitForReport(page, title, { until: (r) => r.status === 'error', timeout: 60_000, what: 'the error of a key the files do not have' });
  h.log(`setting compare.key = nope → ${badKey.report.errorMessage}`);
  L.assert(badKey.report.errorMessage.includes("is not a column of 'a.csv'"), `the error names the file without the key: ${badKey.report.errorMessage}`);
  L.assert(badKey.report.errorMessage.endsWith('The key is the setting lossInspector.compare.key: clear it to join the rows by their order, or set it to a column every file has.'), 'the error says the key is the setting');
  await h.setUserSetting(page, server, 'lossInspector.compare.key', undefined);
  // 9. Binary classifiers: two files of 0/1 labels and probabilities (B in reverse order), joined by
  //    "id": one binary report whose changed rows, by log loss, equal the CLI's; a line of B opens in B.
  //    10. The same for two multiclass files (three class columns each): the key's choices leave the
  //    class columns out.
  await h.runCommandFromPalette(page, 'View: Close All Editors');
  for (const [name, text] of Object.entries({ ...classifierFiles(), ...multiclassFiles() })) fs.writeFileSync(path.join(folder, name), text);
  for (const [a, b, task, score] of [
    ['clf_a.csv', 'clf_b.csv', 'binary', 'prob'],
    ['mc_a.csv', 'mc_b.csv', 'multiclass', 'p'],
  ]) {
    await h.runCommandFromPalette(page, 'View: Close All Editors');
    const cliC = cliCompare(folder, [a, b, '--key', 'id']);
    L.assertEqual([cliC.task, cliC.models.map((m) => m.prediction)], [task, [`${a}:${score}`, `${b}:${score}`]], `the CLI compares the ${task} classifiers`);
    await selectFiles(page, [a, b]);
    await h.rightClickExplorerItem(page, b, { waitForItem: 'Compare Loss', timeout: 45_000 });
    await h.clickContextMenuItem(page, 'Compare Loss', { explorerItem: b, timeout: 45_000 });
    await widget.locator('.quick-input-title').filter({ hasText: `join the rows of ${a} and ${b} by` }).waitFor({ state: 'visible', timeout: 30_000 });
    await L.eventually(async () => L.assertEqual(await rowLabels(), ['Row order (no key column)', 'id'], `key choices of the ${task} files: the label and scores are not`));
    await input.pressSequentially('id', { delay: 30 });
    await L.eventually(async () => L.assertEqual(await rowLabels(), ['id'], 'filtered to id'));
    await page.keyboard.press('Enter');
    const clf = await L.waitForReport(page, `${a} vs ${b}`, { timeout: 90_000 });
    const seenC = await clf.frame.evaluate(readClassChanged);
    h.log(`${task}: ${seenC.join}; ${seenC.title}`);
    L.assert((seenC.join ?? '').startsWith(`${cliC.compare.rows.joined} rows of '${a}'`), `the ${task} join sentence: ${seenC.join}`);
    L.assertEqual(seenC.title, 'Rows whose log loss changed most', 'the changed rows are by log loss');
    L.assert(cliC.compare.changed[0].rows.length > 0, `the CLI lists changed rows of the ${task} files`);
    const wantC = cliC.compare.changed.map((c) => c.rows.map((r) => [r.lineA, r.lineB, r.key, r.label, r.a, r.b, r.lossA, r.lossB, r.change]));
    L.assertEqual(seenC.tables.map((t) => t.map((r) => r.slice(0, 4))), wantC.map((t) => t.map((r) => r.slice(0, 4))), `the ${task} changed rows shown (lines, key, label) are the CLI's`);
    wantC.forEach((t, i) => t.forEach((r, j) => r.slice(4).forEach((x, k) => L.assert(close(String(seenC.tables[i][j][4 + k]), x), `${task} changed row ${j + 1}: value ${k + 1} shown ${seenC.tables[i][j][4 + k]}, CLI ${x}`))));
    await L.screenshotReport(page, clf.frame, `28-compare-${task}`);
    const ofB = cliC.compare.changed[0].rows[0];
    await clf.frame.getByRole('button', { name: `Open line ${ofB.lineB} of ${b}` }).first().click();
    await L.waitForLineOpened(page, b, ofB.lineB, lines(b)[ofB.lineB - 1]);
    h.log(`${task}: line button of ${b} → ${b} at line ${ofB.lineB}`);
  }

  // 11. The setting lossInspector.columns.groupBy: a comparison is grouped by the first file's
  //     column (the second file has none), each group's rows and MAE the CLI's
  //     `compare --group-by`; the report offers no Group by control (the setting decides).
  await h.runCommandFromPalette(page, 'View: Close All Editors');
  const grp = Array.from({ length: 24 }, (_, i) => ({ id: `g${i + 1}`, team: ['red', 'blue', 'green'][i % 3], y: 5 + ((i * 7) % 11), d: ((i * 5) % 7) - 3 }));
  fs.writeFileSync(path.join(folder, 'grp_a.csv'), ['id,team,y,pred', ...grp.map((r) => `${r.id},${r.team},${r.y},${r.y + r.d}`)].join('\n') + '\n');
  fs.writeFileSync(path.join(folder, 'grp_b.csv'), ['id,y,pred', ...[...grp].reverse().map((r) => `${r.id},${r.y},${r.y + r.d / 2}`)].join('\n') + '\n');
  const cliG = cliCompare(folder, ['grp_a.csv', 'grp_b.csv', '--key', 'id', '--group-by', 'team']);
  L.assertEqual(cliG.groups.groups.map((g) => g.value).sort(), ['blue', 'green', 'red'], 'the CLI groups by team');
  await h.setUserSetting(page, server, 'lossInspector.columns.groupBy', 'team');
  await selectFiles(page, ['grp_a.csv', 'grp_b.csv']);
  await h.rightClickExplorerItem(page, 'grp_b.csv', { waitForItem: 'Compare Loss', timeout: 45_000 });
  await h.clickContextMenuItem(page, 'Compare Loss', { explorerItem: 'grp_b.csv', timeout: 45_000 });
  await widget.locator('.quick-input-title').filter({ hasText: 'join the rows of grp_a.csv and grp_b.csv by' }).waitFor({ state: 'visible', timeout: 30_000 });
  await input.pressSequentially('id', { delay: 30 });
  await L.eventually(async () => L.assertEqual(await rowLabels(), ['id'], 'filtered to id'));
  await page.keyboard.press('Enter');
  const grouped = await L.waitForReport(page, 'grp_a.csv vs grp_b.csv', { timeout: 90_000 });
  const seenG = await grouped.frame.evaluate(() => {
    const report = document.querySelector('.report:not(.stale)');
    const section = report?.querySelector('#groups');
    return {
      title: section?.querySelector('#groups-title')?.textContent ?? null,
      control: !!section?.querySelector('#group-select'),
      rows: [...(section?.querySelectorAll('tbody tr') ?? [])].map((tr) => [...tr.children].map((c) => c.getAttribute('title') ?? c.textContent?.trim() ?? '')),
    };
  });
  h.log(`grouped comparison: ${seenG.title}; ${JSON.stringify(seenG.rows)}`);
  L.assert((seenG.title ?? '').includes('“team”'), `the groups section is titled by the column: ${seenG.title}`);
  L.assertEqual(seenG.control, false, 'no Group by control in a comparison');
  const byValue = new Map(cliG.groups.groups.map((g) => [g.value, g]));
  L.assertEqual(seenG.rows.length, 3, 'three groups shown');
  for (const row of seenG.rows) {
    const want = byValue.get(row[0]);
    L.assert(want, `group ${row[0]} is the CLI's`);
    L.assertEqual(Number(row[1]), want.rows, `rows of group ${row[0]}`);
    want.metrics.forEach((m, k) => L.assert(close(String(row[2 + k]), m.mae), `MAE of model ${k + 1} in group ${row[0]}: shown ${row[2 + k]}, CLI ${m.mae}`));
  }
  await L.screenshotReport(page, grouped.frame, '28-compare-groups');
  await h.setUserSetting(page, server, 'lossInspector.columns.groupBy', undefined);
});
