// The insight sections a user reads for a file with one outlier, against the CLI's --json:
// - "How much do the worst rows weigh?": worst 1% / 10% shares and "mean → without worst 1%"
//   of every loss; "Show these N rows" scrolls to the worst rows and marks exactly those rows,
//   and a marked row opens its line in the editor;
// - "Would the gradients explode?": median, p99, max and max ÷ median of every loss, and the
//   sentence naming L2's ratio, which is there for the outlier file and absent for a calm one;
// - the normal Q-Q plot is drawn and names the outlier (its line) as such;
// - for a file of counts, the worst rows "Ranked by" the Poisson deviance (#16 item 5) list the
//   CLI's worstByLoss rows, a row opens its line, and "Show these rows" brings back the |d| table.
import path from 'node:path';
import * as h from '../harness.mjs';
import * as L from '../loss.mjs';

/** 200 rows, |d| ≤ 1, one outlier (d = 60) on line 120. */
function outlierCsv() {
  const rows = ['id,y_true,y_pred'];
  for (let i = 0; i < 200; i++) {
    const y = ((i * 7) % 50) / 4;
    const d = i === 118 ? 60 : (((i * 37) % 41) - 20) / 20;
    rows.push(`${i},${y},${+(y + d).toFixed(4)}`);
  }
  return rows.join('\n') + '\n';
}
const OUTLIER_LINE = 120;

/** 200 rows of counts around 50, |d| ≤ 5, and on line 79 a target of 1 predicted 0.01: small |d|, the largest Poisson deviance. */
function countsCsv() {
  const rows = ['y_true,y_pred'];
  for (let i = 0; i < 200; i++) {
    const y = i === 77 ? 1 : 40 + ((i * 7) % 20);
    const p = i === 77 ? 0.01 : y + (((i * 37) % 41) - 20) / 4;
    rows.push(`${y},${p}`);
  }
  return rows.join('\n') + '\n';
}
const COUNT_LINE = 79;

/** 200 rows, 0.5 ≤ |d| ≤ 1.5: no row dominates. */
function calmCsv() {
  const rows = ['y_true,y_pred'];
  for (let i = 0; i < 200; i++) {
    const y = ((i * 7) % 50) / 4;
    const d = (i % 2 ? 1 : -1) * (0.5 + ((i * 13) % 11) / 10);
    rows.push(`${y},${+(y + d).toFixed(4)}`);
  }
  return rows.join('\n') + '\n';
}

await h.scenario('11-robustness-gradients', async () => {
  const { folder, page } = await L.openLossWorkbench({ files: { 'outlier.csv': outlierCsv(), 'calm.csv': calmCsv(), 'counts.csv': countsCsv() } });
  const cli = L.cliJson(path.join(folder, 'outlier.csv'));
  const m = cli.models[0];
  L.assertEqual(m.worst[0].line, OUTLIER_LINE, 'the CLI finds the outlier as the worst row');
  L.assert(m.gradients.l2.ratio >= 10, `the fixture has an exploding L2 gradient ratio: ${m.gradients.l2.ratio}`);

  await L.computeLossFromExplorer(page, 'outlier.csv');
  const { frame, report } = await L.waitForReport(page, 'outlier.csv');
  L.assertSummaryMatchesCli(report.summary, cli, 'outlier.csv summary');
  const ins = await L.readInsights(frame);

  // ---- robustness
  L.assert(ins.robustness, 'the report has the robustness section');
  h.log(`robustness: ${ins.robustness.lead}`);
  L.assertEqual(ins.robustness.tables.length, 1, 'one robustness table (one model)');
  const table = ins.robustness.tables[0];
  const bad = L.compareRobustness(table, m);
  if (bad.length) throw new Error(`robustness table differs from the CLI's --json:\n  ${bad.join('\n  ')}\n${JSON.stringify(table, null, 1)}`);
  const w1 = m.robustness.worst1;
  L.assert(table.shareTitle.includes(`${w1.rows} rows with |d| ≥ ${w1.threshold}`) || table.shareTitle.includes(`${w1.rows} rows with |d| ≥ ${Number(w1.threshold.toPrecision(4))}`), `the 1% column names its ${w1.rows} rows: ${table.shareTitle}`);
  // The lead contrasts the most and the least dominated loss with the CLI's shares.
  L.assert(ins.robustness.lead.includes(`${L.shownPercent(w1.share.l2)} of L2`), `lead names L2's share ${L.shownPercent(w1.share.l2)}: ${ins.robustness.lead}`);
  L.assert(ins.robustness.lead.includes(`${L.shownPercent(w1.share.l1)} of L1`), `lead names L1's share ${L.shownPercent(w1.share.l1)}: ${ins.robustness.lead}`);
  // The bars are as long as the shares.
  const l2bars = table.rows.l2.bars;
  L.assertEqual(l2bars.map((b) => b.cls), ['share-10', 'share-1'], 'L2 has a 10% and a 1% bar');
  L.assertEqual(l2bars[1].width, `${(w1.share.l2 * 100).toFixed(2)}%`, 'width of the L2 1% bar');

  // "Show these 2 rows": the worst-rows table comes into view with exactly those rows marked.
  const linkText = `Show these ${w1.rows} rows`;
  L.assert(ins.robustness.links.includes(linkText), `a "${linkText}" link: ${JSON.stringify(ins.robustness.links)}`);
  const worstTable = frame.locator('table.worst').first();
  L.assert(!(await L.inViewport(worstTable)), 'the worst rows are out of view before the click');
  await frame.locator('section:has(#robust-title) p.lead button.link').click();
  const marked = await L.eventually(
    async () => {
      L.assert(await L.inViewport(worstTable), 'the worst-rows table scrolled into view');
      const lines = await worstTable.locator('tbody tr.marked td:first-child').allTextContents();
      L.assertEqual(lines.map(Number), m.worst.slice(0, w1.rows).map((w) => w.line), 'lines of the marked rows');
      return lines.map(Number);
    },
    { what: 'the worst rows marked and in view', timeout: 10_000 },
  );
  h.log(`"${linkText}" marked lines ${marked.join(', ')}`);
  await L.screenshotReport(page, frame, '11-robustness-show-rows');
  // One more click on the first marked row opens the outlier's line.
  await worstTable.locator('tbody tr.marked').first().locator('td').nth(3).click();
  await L.eventually(
    async () => {
      L.assertEqual(await L.activeTabTitle(page), 'outlier.csv', 'active editor after clicking the marked row');
      L.assert(/Ln 120\b/.test((await L.statusBarSelection(page)) || ''), `cursor on line ${OUTLIER_LINE}: ${await L.statusBarSelection(page)}`);
    },
    { what: `outlier.csv open at line ${OUTLIER_LINE}`, timeout: 15_000 },
  );

  // ---- gradients
  const f1 = (await L.waitForReport(page, 'outlier.csv')).frame;
  const g = (await L.readInsights(f1)).gradients;
  L.assert(g, 'the report has the gradient section');
  h.log(`gradients: ${g.lead}`);
  const gbad = L.compareGradients(g.rows, m);
  if (gbad.length) throw new Error(`gradient table differs from the CLI's --json:\n  ${gbad.join('\n  ')}\n${JSON.stringify(g.rows)}`);
  const ratioShown = g.rows.l2.cells[3].replace(/×$/, '');
  L.assert(g.rows.l2.big, 'L2\'s ratio is flagged as large');
  L.assert(!g.rows.smoothL1.big && !g.rows.l1.big, 'bounded losses are not flagged');
  L.assert(g.lead.startsWith(`L2’s largest gradient is ${ratioShown}× its median`), `the sentence names L2's ratio ${ratioShown}×: ${g.lead}`);
  L.assert(/a few rows dominate the updates/.test(g.lead), `the sentence says a few rows dominate: ${g.lead}`);

  // ---- Q-Q plot: drawn, and its text calls the outlier an outlier, on its line.
  const qq = await L.eventually(async () => {
    const c = (await L.canvasStats(f1)).find((s) => s.label.startsWith('Normal Q-Q plot'));
    L.assert(c, 'a Q-Q canvas');
    L.assertCanvasesDrawn([c], { minOpaque: 500 });
    return c;
  });
  h.log(`Q-Q canvas ${qq.cssWidth}×${qq.cssHeight}, ${qq.opaque} drawn pixels: ${qq.label.slice(0, 100)}`);
  const qqText = await f1.locator('.qq-text').innerText();
  L.assert(/Outliers\. The most extreme residual, d = 60 \(line 120\)/.test(qqText.replace(/\s+/g, ' ')), `Q-Q text names the outlier on line 120: ${qqText}`);
  await f1.evaluate(() => document.getElementById('grads-title')?.scrollIntoView());
  await L.screenshotReport(page, f1, '11-gradients');

  // ---- a calm file: same sections, no explosion sentence.
  const cliCalm = L.cliJson(path.join(folder, 'calm.csv'));
  L.assert(cliCalm.models[0].gradients.l2.ratio < 10, 'calm.csv has a small L2 ratio');
  await L.computeLossFromExplorer(page, 'calm.csv');
  const { frame: fc, report: rc } = await L.waitForReport(page, 'calm.csv');
  L.assertSummaryMatchesCli(rc.summary, cliCalm, 'calm.csv summary');
  const ic = await L.readInsights(fc);
  const cbad = [...L.compareRobustness(ic.robustness.tables[0], cliCalm.models[0]), ...L.compareGradients(ic.gradients.rows, cliCalm.models[0])];
  if (cbad.length) throw new Error(`calm.csv differs from the CLI's --json:\n  ${cbad.join('\n  ')}`);
  h.log(`calm gradients: ${ic.gradients.lead}`);
  L.assert(!/a few rows dominate/.test(ic.gradients.lead) && ic.gradients.lead.startsWith('No loss’s largest gradient is 10× its median or more'), `no explosion sentence for calm.csv: ${ic.gradients.lead}`);
  L.assert(ic.gradients.lead.includes(`(L2: ${ic.gradients.rows.l2.cells[3]})`) && /no row of y_pred dominates/.test(ic.gradients.lead), `calm sentence: ${ic.gradients.lead}`);
  L.assert(!Object.values(ic.gradients.rows).some((r) => r.big), 'no ratio flagged for calm.csv');

  // ---- a file of counts: the worst rows ranked by the Poisson deviance.
  const cliCounts = L.cliJson(path.join(folder, 'counts.csv'));
  const byPoisson = cliCounts.models[0].worstByLoss?.poissonDeviance;
  L.assert(byPoisson && byPoisson[0].line === COUNT_LINE, `the CLI ranks line ${COUNT_LINE} first by Poisson deviance: ${JSON.stringify(byPoisson?.[0])}`);
  L.assert(cliCounts.models[0].worst[0].line !== COUNT_LINE, 'but not by |d|');
  await L.computeLossFromExplorer(page, 'counts.csv');
  const { frame: fk } = await L.waitForReport(page, 'counts.csv');
  await fk.locator('#worst-rank').selectOption('poissonDeviance');
  const lossTable = fk.locator('#worst-title ~ div:not([hidden]) table.worst').first();
  const shown = await L.eventually(async () => {
    const lines = (await lossTable.locator('tbody tr td:first-child').allTextContents()).map(Number);
    L.assertEqual(lines, byPoisson.map((r) => r.line), 'lines ranked by Poisson deviance, as the CLI');
    return lines;
  }, { what: 'the worst rows by Poisson deviance' });
  h.log(`worst rows by Poisson deviance: lines ${shown.join(', ')}`);
  await L.screenshotReport(page, fk, '11-worst-by-poisson');
  await lossTable.locator('tbody tr').first().locator('td').nth(3).click();
  await L.eventually(
    async () => {
      L.assertEqual(await L.activeTabTitle(page), 'counts.csv', 'active editor after clicking the row');
      L.assert(new RegExp(`Ln ${COUNT_LINE}\\b`).test((await L.statusBarSelection(page)) || ''), `cursor on line ${COUNT_LINE}: ${await L.statusBarSelection(page)}`);
    },
    { what: `counts.csv open at line ${COUNT_LINE}`, timeout: 15_000 },
  );
  // "Show these rows" marks rows by |d|: the |d| tables come back.
  const fk2 = (await L.waitForReport(page, 'counts.csv')).frame;
  await fk2.locator('#worst-rank').selectOption('poissonDeviance');
  await fk2.locator('section:has(#robust-title) button.link').first().click();
  await L.eventually(async () => {
    L.assertEqual(await fk2.locator('#worst-rank').inputValue(), '', 'the picker is back on |d|');
    const first = fk2.locator('table.worst').first();
    L.assert(await first.isVisible(), 'the |d| table is visible');
    L.assertEqual(Number(await first.locator('tbody tr.marked td:first-child').first().textContent()), cliCounts.models[0].worst[0].line, 'the first marked row is the worst by |d|');
  }, { what: 'the |d| rows marked' });
});
