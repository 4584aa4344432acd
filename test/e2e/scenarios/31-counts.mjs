// Counts and positive targets (#16 items 1 and 5) in real VS Code, on the pandas-written files of
// scripts/dev/counts-reference.py (test/fixtures/counts/):
// - positive.csv (Gamma-like positive targets, two models): right-click → Compute Loss; the
//   summary's MSLE, RMSLE, Poisson, Gamma and Tweedie deviances and Poisson NLL equal the CLI's
//   --json (to the digits shown and exactly in each cell's title), as does every other row;
// - the "Losses of counts against the prediction" section: a panel per loss, each naming the
//   median target (the CLI's targetMedian), its loss and gradient charts drawn;
// - the counts' robustness table shows the CLI's countRobustness shares;
// - "Ranked by" the Gamma deviance lists the CLI's worstByLoss rows, and a row opens its line;
// - counts.csv (counts with zeros): the Gamma deviance is "—" with the CLI's warning as its
//   title, and the picker does not offer it.
import path from 'node:path';
import * as h from '../harness.mjs';
import * as L from '../loss.mjs';

const COUNT_KEYS = ['msle', 'rmsle', 'poissonDeviance', 'gammaDeviance', 'tweedieDeviance', 'poissonNll'];
const CURVE_NAMES = { msle: 'squared log error', poissonDeviance: 'Poisson deviance', gammaDeviance: 'Gamma deviance', tweedieDeviance: 'Tweedie deviance' };

/** Runs in the report frame: the count-curve section and the counts' robustness table as shown. */
function readCounts() {
  const text = (el) => (el ? el.textContent.replace(/\s+/g, ' ').trim() : null);
  const section = document.querySelector('section[aria-labelledby="count-curves-title"]');
  const robust = document.querySelector('table.robust-counts');
  return {
    title: text(section?.querySelector('h2')),
    intro: text(section?.querySelector('p.explain')),
    panels: [...(section?.querySelectorAll('.count-curve') ?? [])].map((p) => ({
      cls: p.className,
      name: text(p.querySelector('h3')),
      labels: [...p.querySelectorAll('canvas')].map((c) => c.getAttribute('aria-label') ?? ''),
      explain: text(p.querySelector('p.explain')),
    })),
    robust: [...(robust?.querySelectorAll('tbody tr') ?? [])].map((tr) => ({
      cls: tr.className,
      worst1: text(tr.querySelectorAll('td')[1]?.querySelector('strong')),
      worst10: text(tr.querySelectorAll('td')[1]?.querySelector('span.muted'))?.replace(/^·\s*/, ''),
    })),
    rankOptions: [...document.querySelectorAll('#worst-rank option')].map((o) => o.value),
  };
}

/** As the report writes 4 significant digits (num(x, 4)): enough to find the number in a sentence. */
const four = (x) => String(Number(x.toPrecision(4)));

await h.scenario('31-counts', async () => {
  const positive = L.fixture(path.join('counts', 'positive.csv'));
  const counts = L.fixture(path.join('counts', 'counts.csv'));
  const { folder, page } = await L.openLossWorkbench({ files: { 'positive.csv': positive, 'counts.csv': counts } });
  const cli = L.cliJson(path.join(folder, 'positive.csv'));
  L.assertEqual(cli.models.map((m) => m.prediction), ['pred_a', 'pred_b'], 'the CLI: two models');
  for (const m of cli.models) for (const k of COUNT_KEYS) L.assert(typeof m.metrics[k] === 'number', `the CLI has ${k} for ${m.prediction}: ${m.metrics[k]}`);

  await L.computeLossFromExplorer(page, 'positive.csv');
  const { frame, report } = await L.waitForReport(page, 'positive.csv', { timeout: 90_000 });
  h.log(`meta: ${report.meta}`);
  L.assertSummaryMatchesCli(report.summary, cli, 'positive.csv summary');
  // The losses of counts by name, each as the CLI's (assertSummaryMatchesCli checked every row; these are the ones of #16).
  const labels = Object.fromEntries(L.METRIC_ROWS.map(([label, key]) => [key, label]));
  for (const key of COUNT_KEYS) {
    const row = report.summary.rows.find((r) => r.label === labels[key]);
    L.assert(row, `a summary row for ${key} (${labels[key]})`);
    cli.models.forEach((m, i) => L.assert(Math.abs(Number(row.cells[i].title) - m.metrics[key]) <= 1e-14 * Math.abs(m.metrics[key]), `${key} of ${m.prediction}: ${row.cells[i].title} ≠ ${m.metrics[key]}`));
    h.log(`${labels[key]}: ${row.cells.map((c) => c.shown).join(' · ')}`);
  }

  // The curves: a panel per loss of counts, for the median target, loss and gradient drawn.
  const c = await frame.evaluate(readCounts);
  L.assertEqual(c.title, 'Losses of counts against the prediction', 'the count-curve section');
  L.assert(c.intro?.includes(`median target, y = ${four(cli.targetMedian)}`), `the intro names the median target ${cli.targetMedian}: ${c.intro}`);
  L.assertEqual(c.panels.map((p) => (/count-(\w+)$/.exec(p.cls) || [])[1]), Object.keys(CURVE_NAMES), 'a panel per loss of counts');
  for (const p of c.panels) {
    L.assertEqual(p.labels.length, 2, `${p.name}: a loss and a gradient chart`);
    for (const label of p.labels) L.assert(label.includes(`for target y = ${four(cli.targetMedian)}`), `${p.name} chart names the target: ${label}`);
  }
  const gamma = c.panels.find((p) => p.cls.includes('count-gammaDeviance'));
  L.assert(gamma.explain.includes('The Gamma deviance depends only on μ/y'), `the Gamma sentence: ${gamma.explain}`);
  h.log(`Gamma panel: ${gamma.explain}`);
  await L.eventually(
    async () => {
      const stats = (await L.canvasStats(frame)).filter((s) => Object.values(CURVE_NAMES).some((n) => s.label.startsWith(n) || s.label.startsWith(`Gradient of the ${n}`)));
      L.assertEqual(stats.length, 8, 'eight count-curve canvases');
      L.assertCanvasesDrawn(stats);
    },
    { what: 'the count curves drawn', timeout: 20_000 },
  );

  // The counts' robustness table: the CLI's shares of the picked (first) model.
  const rob = cli.models[0].countRobustness;
  L.assertEqual(c.robust.map((r) => (/count-(\w+)/.exec(r.cls) || [])[1]), Object.keys(CURVE_NAMES), 'a robustness row per loss of counts');
  c.robust.forEach((r, i) => {
    const key = Object.keys(CURVE_NAMES)[i];
    const w1 = rob.worst1.share[key];
    L.assertEqual(r.worst1, L.shownPercent(w1), `${key} worst 1% share`);
    L.assertEqual(r.worst10, L.shownPercent(Math.max(w1, rob.worst10.share[key])), `${key} worst 10% share`);
  });
  h.log(`count shares: ${c.robust.map((r) => `${r.cls} ${r.worst1} · ${r.worst10}`).join(', ')}`);

  // Ranked by the Gamma deviance: the CLI's rows, and the first opens its line.
  L.assertEqual(c.rankOptions, ['', 'msle', 'poissonDeviance', 'gammaDeviance', 'tweedieDeviance'], 'the picker offers |d| and each loss of counts');
  const byGamma = cli.models[0].worstByLoss.gammaDeviance;
  const byD = cli.models[0].worst.map((r) => r.line);
  L.assert(JSON.stringify(byD) !== JSON.stringify(byGamma.map((r) => r.line)), `the rows by Gamma deviance are not those by |d| (${byD.join(', ')})`);
  await frame.locator('#worst-rank').selectOption('gammaDeviance');
  const lossTable = frame.locator('#worst-title ~ div:not([hidden]) table.worst').first();
  const lines = await L.eventually(
    async () => {
      const shown = (await lossTable.locator('tbody tr td:first-child').allTextContents()).map(Number);
      L.assertEqual(shown, byGamma.map((r) => r.line), 'lines ranked by Gamma deviance, as the CLI');
      return shown;
    },
    { what: 'the worst rows by Gamma deviance' },
  );
  h.log(`worst rows by Gamma deviance: lines ${lines.join(', ')}`);
  await L.screenshotReport(page, frame, '31-worst-by-gamma');
  await lossTable.locator('tbody tr').first().locator('td').nth(3).click();
  await L.eventually(
    async () => {
      L.assertEqual(await L.activeTabTitle(page), 'positive.csv', 'active editor after clicking the row');
      L.assert(new RegExp(`Ln ${byGamma[0].line}\\b`).test((await L.statusBarSelection(page)) || ''), `cursor on line ${byGamma[0].line}: ${await L.statusBarSelection(page)}`);
    },
    { what: `positive.csv open at line ${byGamma[0].line}`, timeout: 15_000 },
  );

  // Counts with zeros: no Gamma deviance, said with the CLI's warning; the picker leaves it out.
  const cliCounts = L.cliJson(path.join(folder, 'counts.csv'));
  L.assert(cliCounts.models.every((m) => m.metrics.gammaDeviance === null), 'the CLI: no Gamma deviance on counts with zeros');
  await L.computeLossFromExplorer(page, 'counts.csv');
  const { frame: fk, report: rk } = await L.waitForReport(page, 'counts.csv', { timeout: 90_000 });
  L.assertSummaryMatchesCli(rk.summary, cliCounts, 'counts.csv summary');
  const gammaRow = rk.summary.rows.find((r) => r.label === labels.gammaDeviance);
  L.assert(gammaRow.cells.every((cell) => cell.shown === '—'), `the Gamma deviance is shown "—": ${JSON.stringify(gammaRow.cells)}`);
  L.assert(cliCounts.warnings.includes(gammaRow.cells[0].title) && gammaRow.cells[0].title.startsWith('The Gamma deviance of "pred_a" is undefined: 140 rows'), `its title is the CLI's warning: ${gammaRow.cells[0].title}`);
  const k = await fk.evaluate(readCounts);
  L.assertEqual(k.rankOptions, ['', 'msle', 'poissonDeviance', 'tweedieDeviance'], 'no Gamma deviance in the picker');
  L.assertEqual(k.panels.map((p) => (/count-(\w+)$/.exec(p.cls) || [])[1]), ['msle', 'poissonDeviance', 'tweedieDeviance'], 'no Gamma panel');
  await L.screenshotReport(page, fk, '31-counts');
});
