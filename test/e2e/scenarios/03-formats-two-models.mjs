// A JSON file and a JSON Lines file give the CLI's numbers; a file with two prediction
// columns shows two models side by side (two value columns in table.summary). The seed files'
// target holds 0 and 1 only, which the auto rule reads as a binary label (#13): this scenario is
// about regression, so it asks for it (setting lossInspector.task, CLI --task regression).
import path from 'node:path';
import * as h from '../harness.mjs';
import * as L from '../loss.mjs';

await h.scenario('03-formats-two-models', async () => {
  const files = {
    'seed.json': L.fixture('seed.json'),
    'seed.jsonl': L.fixture('seed.jsonl'),
    'two-models.csv': L.fixture('two-models.csv'),
  };
  const { folder, page } = await L.openLossWorkbench({ files, expectFile: 'two-models.csv', settings: { 'lossInspector.task': 'regression' } });

  for (const [name, format] of [
    ['seed.json', 'JSON'],
    ['seed.jsonl', 'JSONL'],
  ]) {
    const cli = L.cliJson(path.join(folder, name), ['--task', 'regression']);
    L.assertEqual(cli.format, format.toLowerCase(), `CLI format of ${name}`);
    await L.computeLossFromExplorer(page, name);
    const { frame, report } = await L.waitForReport(page, name);
    h.log(`${name}: ${report.meta}`);
    L.assert(report.meta.startsWith(`${format} · `), `${name}: header names the format ${format}: ${report.meta}`);
    L.assert(report.meta.includes(`${cli.rows.used} of ${cli.rows.total} rows used`), `${name}: row counts: ${report.meta}`);
    L.assertSummaryMatchesCli(report.summary, cli, name);
    L.assertEqual(report.summary.headers, ['metric', 'y_pred'], `${name}: one model`);
    L.assertCanvasesDrawn(await L.eventually(async () => {
      const s = await L.canvasStats(frame);
      L.assertCanvasesDrawn(s, { min: 6 });
      return s;
    }, { what: `${name} charts drawn` }));
    await L.screenshotReport(page, frame, `03-formats-${name.replace('.', '-')}`);
    await h.runCommandFromPalette(page, 'View: Close All Editors');
  }

  // Two prediction columns, detected by name (pred_a, pred_b) against "target".
  const cli = L.cliJson(path.join(folder, 'two-models.csv'), ['--task', 'regression']);
  L.assertEqual(cli.models.map((m) => m.prediction), ['pred_a', 'pred_b'], 'CLI models of two-models.csv');
  await L.computeLossFromExplorer(page, 'two-models.csv');
  const { frame, report } = await L.waitForReport(page, 'two-models.csv');
  h.log(`two-models.csv: ${report.meta}`);
  L.assertEqual(report.summary.headers, ['metric', 'pred_a', 'pred_b'], 'two value columns, one per model');
  for (const row of report.summary.rows) L.assertEqual(row.cells.length, 2, `${row.label}: two values`);
  L.assertSummaryMatchesCli(report.summary, cli, 'two-models.csv');
  L.assert(report.meta.includes('2 models'), `header says 2 models: ${report.meta}`);
  // The best model per metric is marked (both equal on mean error? then both or none).
  const maeRow = report.summary.rows.find((r) => r.label === 'MAE');
  L.assertEqual(maeRow.cells.map((c) => c.best), [true, false], 'pred_a (MAE 0.5 < 1.33) is marked best for MAE');
  // Both models in the other per-model parts: the model picker and one worst-rows table each.
  const parts = await frame.evaluate(() => ({
    options: [...document.querySelectorAll('#model-select option')].map((o) => o.textContent),
    worstCaptions: [...document.querySelectorAll('table.worst caption')].map((c) => c.textContent.trim()),
  }));
  L.assertEqual(parts.options, ['pred_a', 'pred_b'], 'model picker options');
  L.assertEqual(parts.worstCaptions.map((c) => c.split(':')[0]), ['pred_a', 'pred_b'], 'one worst-rows table per model');

  // Picking the second model redraws the per-model charts for it.
  const before = await L.canvasStats(frame);
  await frame.locator('#model-select').selectOption('1');
  await L.eventually(async () => {
    const s = await L.canvasStats(frame);
    const loss = s.find((c) => c.label.startsWith('Per-element loss'));
    L.assert(loss && /residuals of pred_b/.test(loss.label), `loss chart is about pred_b: ${loss?.label}`);
    L.assertCanvasesDrawn(s, { min: 7 });
    L.assert(s.some((c, i) => before[i] && c.hash !== before[i].hash), 'some chart changed');
  }, { what: 'charts for pred_b' });
  const sel = await frame.locator('#model-select').inputValue();
  L.assertEqual(sel, '1', 'model picker keeps pred_b');
  await frame.evaluate(() => window.scrollTo(0, 0));
  await L.screenshotReport(page, frame, '03-formats-two-models');
});
