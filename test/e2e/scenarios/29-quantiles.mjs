// Quantile predictions (#16 item 3) in real VS Code: right-click a pandas-written file whose
// columns are a target and seven quantile predictions (q05 … q95, detected by name, some rows
// crossing), Compute Loss, and read the report: one model, its median q50, whose summary is the
// CLI's; the "Quantiles: calibration and intervals" section's levels (pinball loss, share of
// targets ≤ each column) and central intervals (coverage, mean width, interval score) equal the
// CLI's --json exactly (each cell's title) and to the digits shown; the calibration chart is drawn
// and says each level's share; the pinball V's of every level are drawn with the median level's
// residuals behind and explained; the robustness card lists each level's worst 1%/10% shares as
// the CLI's quantileRobustness (#16 item 5); "Worst rows" ranked by the q95 level's pinball loss
// lists the CLI's quantiles[].worst lines, losses and q95 values (#16 item 5); the crossing rows'
// warning is the CLI's.
import path from 'node:path';
import * as h from '../harness.mjs';
import * as L from '../loss.mjs';

/** Runs in the report frame: the quantile section as shown. */
function readQuantiles() {
  const text = (el) => (el ? el.textContent.replace(/\s+/g, ' ').trim() : null);
  const table = (sel) =>
    [...document.querySelectorAll(`${sel} tbody tr`)].map((tr) => ({
      name: text(tr.querySelector('th')),
      cells: [...tr.querySelectorAll('td')].map((td) => ({ shown: text(td), title: td.getAttribute('title') })),
    }));
  const section = document.querySelector('section[aria-labelledby="quantiles-title"]');
  return {
    title: text(document.querySelector('#quantiles-title')),
    levels: table('table.quantile-levels'),
    intervals: table('table.quantile-intervals'),
    explain: text(section?.querySelector('.quantile-text')),
    chartLabel: section?.querySelector('canvas')?.getAttribute('aria-label') ?? null,
    warnings: [...document.querySelectorAll('.callout')].map(text),
  };
}

const pct = (x) => `${(x * 100).toFixed(1).replace(/\.0+$/, '')}%`;

/** Runs in the report frame: the quantile levels' rows of the robustness card (#16 item 5). */
function readRankedLevels() {
  const text = (el) => (el ? el.textContent.replace(/\s+/g, ' ').trim() : null);
  return [...(document.querySelector('.robust-card table.robust-ranked')?.querySelectorAll('tbody tr') ?? [])].map((tr) => {
    const tds = tr.querySelectorAll('td');
    return {
      label: text(tr.querySelector('th')),
      worst1: text(tds[1]?.querySelector('strong')),
      worst10: text(tds[1]?.querySelector('span.muted'))?.replace(/^·\s*/, ''),
      mean: tds[2] ? [...tds[2].childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent.trim()) : [],
    };
  });
}

await h.scenario('29-quantiles', async () => {
  const csv = L.fixture(path.join('quantiles', 'quantiles.csv'));
  const { folder, page } = await L.openLossWorkbench({ files: { 'quantiles.csv': csv } });
  const file = path.join(folder, 'quantiles.csv');
  const cli = L.cliJson(file);
  L.assertEqual(cli.models.map((m) => m.prediction), ['q50'], 'the CLI: one model, the set’s median');
  const m = cli.models[0];
  L.assertEqual(m.quantiles.map((q) => q.column), ['q05', 'q10', 'q25', 'q50', 'q75', 'q90', 'q95'], 'the CLI detects the seven levels');
  L.assertEqual(m.quantileIntervals.map((i) => i.nominal), [0.5, 0.8, 0.9], 'three central intervals');

  await L.computeLossFromExplorer(page, 'quantiles.csv');
  const { frame, report } = await L.waitForReport(page, 'quantiles.csv', { timeout: 90_000 });
  h.log(`meta: ${report.meta}`);
  L.assertEqual(report.summary.headers, ['metric', 'q50'], 'summary: the median is the model');
  L.assertSummaryMatchesCli(report.summary, cli);

  const q = await frame.evaluate(readQuantiles);
  L.assertEqual(q.title, 'Quantiles: calibration and intervals', 'the quantile section');
  const bad = [];
  const same = (cell, value, what) => {
    if (cell?.title !== String(value)) bad.push(`${what}: title ${cell?.title} ≠ CLI ${value}`);
  };
  L.assertEqual(q.levels.map((r) => r.name), m.quantiles.map((x) => x.column), 'a row per level');
  m.quantiles.forEach((x, i) => {
    const [level, share, pinball] = q.levels[i].cells;
    same(level, x.q, `${x.column} level`);
    same(share, x.share, `${x.column} share`);
    same(pinball, x.pinball, `${x.column} pinball`);
    if (share.shown !== pct(x.share)) bad.push(`${x.column} share shown ${share.shown} ≠ ${pct(x.share)}`);
    const err = L.checkShown(pinball.shown, x.pinball);
    if (err) bad.push(`${x.column} pinball: ${err}`);
  });
  L.assertEqual(q.intervals.map((r) => r.name), m.quantileIntervals.map((i) => `${i.low} – ${i.high}`), 'a row per central interval');
  m.quantileIntervals.forEach((x, i) => {
    const [nominal, coverage, width, score] = q.intervals[i].cells;
    same(nominal, x.nominal, `${x.low}–${x.high} nominal`);
    same(coverage, x.coverage, `${x.low}–${x.high} coverage`);
    same(width, x.width, `${x.low}–${x.high} width`);
    same(score, x.score, `${x.low}–${x.high} score`);
    for (const [cell, v, k] of [[width, x.width, 'width'], [score, x.score, 'score']]) {
      const err = L.checkShown(cell.shown, v);
      if (err) bad.push(`${x.low}–${x.high} ${k}: ${err}`);
    }
  });
  L.assert(bad.length === 0, () => `the quantile tables differ from the CLI:\n  ${bad.join('\n  ')}`);
  h.log(`levels: ${q.levels.map((r) => `${r.name} ${r.cells[1].shown}`).join(', ')}`);
  h.log(`intervals: ${q.intervals.map((r) => `${r.name} covers ${r.cells[1].shown}`).join(', ')}`);

  // The chart says each level's share (its aria-label), and it is drawn.
  for (const x of m.quantiles) L.assert(q.chartLabel?.includes(`${pct(x.q)} → ${pct(x.share)}`), `chart label names ${x.column}: ${q.chartLabel}`);
  L.assert(q.explain?.startsWith('The quantile set “quantiles”') || q.explain?.startsWith('The quantile set "quantiles"'), `explanation: ${q.explain}`);
  await L.eventually(
    async () => {
      const stats = await L.canvasStats(frame);
      const chart = stats.find((s) => s.label.startsWith('Quantile calibration'));
      L.assert(chart, 'the calibration chart is on the page');
      L.assertCanvasesDrawn([chart]);
    },
    { what: 'the calibration chart drawn', timeout: 15_000 },
  );

  // The pinball curves (#16 item 5): a V per level, the median level's residuals behind, in words.
  const pin = await frame.evaluate(() => {
    const section = document.querySelector('section[aria-labelledby="pinball-curves-title"]');
    const text = (el) => (el ? el.textContent.replace(/\s+/g, ' ').trim() : null);
    return { title: text(section?.querySelector('h2')), label: section?.querySelector('canvas')?.getAttribute('aria-label') ?? null, explain: text(section?.querySelector('.pinball-text')) };
  });
  L.assertEqual(pin.title, 'Pinball loss at each level against the residual', 'the pinball curves section');
  L.assert(pin.label?.includes(`at the levels ${m.quantiles.map((x) => x.q).join(', ')}`), `the pinball chart names every level: ${pin.label}`);
  L.assert(pin.explain?.includes('at q = 0.95 under-predicting costs 19× as much as over-predicting'), `the pinball words: ${pin.explain}`);
  L.assert(pin.explain?.includes('The bars are the residuals of “q50” (q = 0.5'), `the residuals behind are the median level's: ${pin.explain}`);
  await L.eventually(
    async () => {
      const stats = await L.canvasStats(frame);
      const chart = stats.find((s) => s.label.startsWith('Pinball loss of one row'));
      L.assert(chart, 'the pinball chart is on the page');
      L.assertCanvasesDrawn([chart]);
    },
    { what: 'the pinball chart drawn', timeout: 15_000 },
  );
  h.log(`pinball: ${pin.explain}`);

  // Each level's worst-rows shares in the robustness card (#16 item 5): the CLI's quantileRobustness.
  const rob = m.quantileRobustness;
  L.assert(rob && rob.worst1.share.length === m.quantiles.length, `the CLI has a share per level: ${JSON.stringify(rob)}`);
  const ranked = await frame.evaluate(readRankedLevels);
  L.assertEqual(ranked.map((r) => r.label), m.quantiles.map((x) => `pinball ${x.column}`), 'a robustness row per level');
  const rbad = [];
  m.quantiles.forEach((x, j) => {
    const w1 = rob.worst1.share[j];
    if (ranked[j].worst1 !== L.shownPercent(w1)) rbad.push(`${x.column} worst 1% shown ${ranked[j].worst1}, CLI ${w1}`);
    if (ranked[j].worst10 !== L.shownPercent(Math.max(w1, rob.worst10.share[j]))) rbad.push(`${x.column} worst 10% shown ${ranked[j].worst10}, CLI ${rob.worst10.share[j]}`);
    const err = L.checkShown(ranked[j].mean[0] ?? '', x.pinball) || L.checkShown(ranked[j].mean[1] ?? '', rob.worst1.without[j]);
    if (err) rbad.push(`${x.column} mean → without: ${err}`);
  });
  L.assertEqual(rbad, [], 'the levels’ shares are the CLI’s');
  h.log(`level shares: ${ranked.map((r) => `${r.label} ${r.worst1} · ${r.worst10}`).join(', ')}`);

  // The worst rows by one level's pinball loss (#16 item 5): the CLI's quantiles[].worst, q95's values shown.
  const q95 = m.quantiles.find((x) => x.column === 'q95');
  L.assert(q95?.worst?.length > 0, `the CLI lists q95's worst rows: ${JSON.stringify(q95?.worst)}`);
  const options = await frame.locator('#worst-rank option').evaluateAll((os) => os.map((o) => o.value));
  L.assertEqual(options.filter((v) => v.startsWith('q:')), m.quantiles.map((x) => `q:${x.column}`), 'the picker offers every level');
  await frame.locator('#worst-rank').selectOption('q:q95');
  const byLevel = await L.eventually(
    async () => {
      const got = await frame.evaluate(() => {
        const table = document.querySelector('#worst-title ~ div:not([hidden]) table.worst');
        return {
          head: [...(table?.querySelectorAll('thead th') ?? [])].map((th) => th.textContent.trim()),
          rows: [...(table?.querySelectorAll('tbody tr') ?? [])].map((tr) => [...tr.querySelectorAll('td')].map((td) => td.getAttribute('title') ?? td.textContent.trim())),
        };
      });
      L.assertEqual(got.rows.map((r) => Number(r[0])), q95.worst.map((r) => r.line), 'lines ranked by q95’s pinball loss, as the CLI');
      return got;
    },
    { what: 'the worst rows by the q95 pinball loss' },
  );
  L.assertEqual(byLevel.head[2], 'q95', 'the prediction column is the level’s');
  q95.worst.forEach((r, j) => {
    const cells = byLevel.rows[j];
    L.assertEqual([cells[2], cells[4]], [String(r.prediction), String(r.loss)], `row ${j + 1}: q95 value and loss`);
  });
  h.log(`worst rows by pinball q95: lines ${q95.worst.map((r) => r.line).join(', ')}`);

  // The crossing rows: the CLI's warning, shown.
  const crossing = cli.warnings.find((w) => w.startsWith('The quantiles of the set'));
  L.assert(crossing && crossing.includes('cross on 57 rows'), `the CLI warns of the crossing rows: ${crossing}`);
  L.assert(q.warnings.some((w) => w.includes(crossing.slice(0, 60))), `the report shows it: ${JSON.stringify(q.warnings)}`);
  await L.screenshotReport(page, frame, '29-quantiles');
});
