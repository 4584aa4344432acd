// A predicted variance (#16 item 2): right-click a CSV with a mean and a variance column per
// model (pred_a + pred_a_var, pred_b_mean + pred_b_std) → Compute Loss: the spread columns are
// not models, the "Predicted spread" section shows each model's Gaussian NLL, CRPS, ±1σ/±2σ
// coverage and d/σ's mean and SD as the CLI computes them, and its d/σ charts are drawn; the
// robustness card's spread table shows the CLI's shares of the CRPS and z² (#16 item 5), its bars
// drawn, and says why the Gaussian NLL has none; "Worst rows" ranked by the Gaussian NLL lists
// each model's CLI worstByLoss.gaussianNll lines, σ and losses. A file with a negative variance
// shows the warning's sentence instead of the chart.
import path from 'node:path';
import * as h from '../harness.mjs';
import * as L from '../loss.mjs';

/** What the spread section shows, read in the report frame. */
function readSpread() {
  const text = (el) => (el ? el.textContent.replace(/\s+/g, ' ').trim() : null);
  const sec = document.querySelector('section[aria-labelledby="spread-title"]');
  if (!sec) return null;
  return {
    title: text(sec.querySelector('h2')),
    models: [...sec.querySelectorAll('.grid-auto > div')].map((d) => ({
      head: text(d.querySelector('h3')),
      canvases: d.querySelectorAll('canvas').length,
      caption: text(d.querySelector('figcaption')),
      rows: Object.fromEntries([...d.querySelectorAll('table.spread tbody tr')].map((tr) => [text(tr.querySelector('th')), text(tr.querySelector('td'))])),
      paragraphs: [...d.querySelectorAll(':scope > p')].map(text),
    })),
  };
}

/** Runs in the report frame: per robustness card, the spread and quantile levels' table (#16 item 5). */
function readRanked() {
  const text = (el) => (el ? el.textContent.replace(/\s+/g, ' ').trim() : null);
  return [...document.querySelectorAll('.robust-card')]
    .map((card) => card.querySelector('table.robust-ranked'))
    .filter(Boolean)
    .map((t) => ({
      rows: [...t.querySelectorAll('tbody tr')].map((tr) => {
        const tds = tr.querySelectorAll('td');
        return {
          key: (/\branked-([\w-]+)/.exec(tr.className) || [])[1],
          worst1: text(tds[1]?.querySelector('strong')),
          worst10: text(tds[1]?.querySelector('span.muted'))?.replace(/^·\s*/, ''),
          mean: tds[2] ? [...tds[2].childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent.trim()) : [],
          bar: (() => {
            const b = tds[0]?.querySelector('.share-1');
            return b ? { width: b.style.width, color: getComputedStyle(b).backgroundColor } : null;
          })(),
        };
      }),
      note: text(t.closest('div')?.parentElement?.querySelector('p.muted')),
    }));
}

await h.scenario('29-variance', async () => {
  const gauss = L.fixture('variance/gauss.csv');
  const negative = L.fixture('variance/negative.csv');
  const { folder, page } = await L.openLossWorkbench({ files: { 'gauss.csv': gauss, 'negative.csv': negative } });
  const cli = L.cliJson(path.join(folder, 'gauss.csv'));
  L.assertEqual(cli.models.map((m) => m.prediction), ['pred_a', 'pred_b_mean'], 'the CLI finds two models');

  await L.computeLossFromExplorer(page, 'gauss.csv');
  const { frame, report } = await L.waitForReport(page, 'gauss.csv');
  L.assertSummaryMatchesCli(report.summary, cli);
  const spread = await L.eventually(async () => {
    const s = await frame.evaluate(readSpread);
    L.assert(s && s.models.length === 2, `the spread section with two models: ${JSON.stringify(s)}`);
    return s;
  }, { what: 'the Predicted spread section' });
  h.log(`spread: ${JSON.stringify(spread)}`);
  L.assertEqual(spread.title, 'Predicted spread', 'section title');
  cli.models.forEach((m, i) => {
    const shown = spread.models[i];
    L.assert(shown.head.includes(m.prediction) && shown.head.includes(m.spread.column), `heading names the model and its column: ${shown.head}`);
    L.assertEqual(shown.canvases, 1, `one chart for ${m.prediction}`);
    const bad = [
      L.checkShown(shown.rows['Gaussian NLL'], m.metrics.gaussianNll),
      L.checkShown(shown.rows['CRPS (Gaussian)'], m.metrics.crps),
      L.checkShown(shown.rows['mean of d/σ'], m.spread.standardized.mean),
      L.checkShown(shown.rows['SD of d/σ'], m.spread.standardized.sd),
    ].filter(Boolean);
    L.assertEqual(bad, [], `${m.prediction}: the numbers are the CLI's`);
    L.assertEqual(shown.rows['within ±1σ'], `${(100 * m.sigmaCoverage.within1).toFixed(1)}%`, `${m.prediction}: ±1σ coverage`);
    L.assertEqual(shown.rows['within ±2σ'], `${(100 * m.sigmaCoverage.within2).toFixed(1)}%`, `${m.prediction}: ±2σ coverage`);
    L.assert(/d\/σ of 1000 rows/.test(shown.caption ?? ''), `caption: ${shown.caption}`);
  });
  await L.eventually(async () => L.assertCanvasesDrawn(await L.canvasStats(frame), { min: 7 }), { what: 'every chart drawn', timeout: 15_000 });
  await frame.evaluate(() => document.querySelector('section[aria-labelledby="spread-title"]')?.scrollIntoView());
  await L.screenshotReport(page, frame, '29-variance');

  // The robustness card's rows of the spread (#16 item 5): the CRPS's and z²'s worst 1%/10% shares and means, the CLI's.
  const ranked = await frame.evaluate(readRanked);
  L.assertEqual(ranked.length, cli.models.length, 'a spread table in each model’s robustness card');
  cli.models.forEach((m, i) => {
    const rob = m.spreadRobustness;
    L.assert(rob, `the CLI has spreadRobustness for ${m.prediction}`);
    L.assertEqual(ranked[i].rows.map((r) => r.key), ['crps', 'zSquared'], `${m.prediction}: the CRPS and z² rows`);
    const bad = [];
    for (const r of ranked[i].rows) {
      const w1 = rob.worst1.share[r.key];
      if (r.worst1 !== L.shownPercent(w1)) bad.push(`${r.key} worst 1% shown ${r.worst1}, CLI ${w1}`);
      if (parseFloat(r.bar?.width ?? '') !== Number((w1 * 100).toFixed(2))) bad.push(`${r.key} 1% bar ${JSON.stringify(r.bar)}, CLI ${w1}`);
      if (!r.bar || /^(transparent|rgba\(0, 0, 0, 0\))$/.test(r.bar.color)) bad.push(`${r.key} 1% bar not coloured: ${JSON.stringify(r.bar)}`);
      if (r.worst10 !== L.shownPercent(Math.max(w1, rob.worst10.share[r.key]))) bad.push(`${r.key} worst 10% shown ${r.worst10}, CLI ${rob.worst10.share[r.key]}`);
      const err = L.checkShown(r.mean[0] ?? '', r.key === 'crps' ? m.metrics.crps : rob.zSquaredMean) || L.checkShown(r.mean[1] ?? '', rob.worst1.without[r.key]);
      if (err) bad.push(`${r.key} mean → without: ${err}`);
    }
    L.assertEqual(bad, [], `${m.prediction}: the spread's shares are the CLI's`);
    h.log(`${m.prediction} spread shares: ${ranked[i].rows.map((r) => `${r.key} ${r.worst1} · ${r.worst10}`).join(', ')}`);
  });
  L.assert(ranked[0].note.includes('The Gaussian NLL, ½·log σ² + ½·z², is negative'), `the note says why the NLL has no share: ${ranked[0].note}`);
  await frame.evaluate(() => document.querySelector('table.robust-ranked')?.scrollIntoView());
  await L.screenshotReport(page, frame, '29-variance-shares');

  // The worst rows by the Gaussian NLL (#16 item 5): each model's table is the CLI's worstByLoss.gaussianNll, with σ.
  await frame.locator('#worst-rank').selectOption('gaussianNll');
  const byNll = await L.eventually(
    async () => {
      const tables = await frame.evaluate(() =>
        [...document.querySelectorAll('#worst-title ~ div:not([hidden]) table.worst')].map((t) => ({
          head: [...t.querySelectorAll('thead th')].map((th) => th.textContent.trim()),
          rows: [...t.querySelectorAll('tbody tr')].map((tr) => [...tr.querySelectorAll('td')].map((td) => td.getAttribute('title') ?? td.textContent.trim())),
        })),
      );
      L.assertEqual(tables.length, cli.models.length, 'a table per model');
      cli.models.forEach((m, i) => L.assertEqual(tables[i].rows.map((r) => Number(r[0])), m.worstByLoss.gaussianNll.map((r) => r.line), `${m.prediction}: lines ranked by the NLL, as the CLI`));
      return tables;
    },
    { what: 'the worst rows by the Gaussian NLL' },
  );
  cli.models.forEach((m, i) => {
    L.assertEqual(byNll[i].head[4], 'σ', `${m.prediction}: a σ column`);
    m.worstByLoss.gaussianNll.forEach((r, j) => L.assertEqual([byNll[i].rows[j][4], byNll[i].rows[j][5]], [String(r.sigma), String(r.loss)], `${m.prediction} row ${j + 1}: σ and NLL`));
  });
  h.log(`worst rows by the Gaussian NLL: ${cli.models.map((m) => `${m.prediction} lines ${m.worstByLoss.gaussianNll.map((r) => r.line).join(', ')}`).join('; ')}`);

  await L.computeLossFromExplorer(page, 'negative.csv');
  const neg = await L.waitForReport(page, 'negative.csv');
  const s2 = await L.eventually(async () => {
    const s = await neg.frame.evaluate(readSpread);
    L.assert(s && s.models.length === 1, `the spread section of negative.csv: ${JSON.stringify(s)}`);
    return s;
  }, { what: 'the spread section of negative.csv' });
  L.assertEqual(s2.models[0].canvases, 0, 'no chart for an undefined spread');
  L.assert(/3 rows have a negative variance in "pred_var".*lines 5, 42, 43\./.test(s2.models[0].paragraphs.join(' ')), `the warning's sentence: ${JSON.stringify(s2.models[0].paragraphs)}`);
});
