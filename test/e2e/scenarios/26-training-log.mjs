// A training log (#17): right-click Lightning's metrics.csv → Compute Loss gives a training
// log's report (the CLI's minima and steps, charts drawn), and while a writer appends to the
// file the open report shows the new points without a recompute.
import path from 'node:path';
import fs from 'node:fs';
import * as h from '../harness.mjs';
import * as L from '../loss.mjs';

const lines = ['epoch,step,train_loss_step,val_loss'];
for (let i = 1; i <= 200; i++) lines.push(`${Math.floor(i / 50)},${i * 10},${(2 / (1 + i / 20)).toFixed(6)},${i % 50 === 0 ? (2.2 / (1 + i / 25)).toFixed(6) : ''}`);

const readSeries = (frame) =>
  frame.$$eval('table.log-series tbody tr', (trs) => trs.map((tr) => [tr.querySelector('th').textContent.trim(), ...[...tr.querySelectorAll('td')].map((td) => td.textContent.replace(/\s+/g, ' ').trim())]));

await h.scenario('26-training-log', async () => {
  const { folder, page } = await L.openLossWorkbench({ files: { 'metrics.csv': lines.join('\n') + '\n' } });
  const file = path.join(folder, 'metrics.csv');
  const cli = L.cliJson(file);
  L.assertEqual(cli.kind, 'trainingLog', 'the CLI reads it as a training log');

  await L.computeLossFromExplorer(page, 'metrics.csv');
  const { frame } = await L.waitForReport(page, 'metrics.csv', { until: (r) => r.status === 'unknown' && r.canvases > 0, what: 'a training log report' });
  const intro = await frame.$eval('.training-log', (el) => el.textContent);
  L.assert(intro.includes("Training log as PyTorch Lightning's CSVLogger writes it"), `the report says what it read: ${intro.slice(0, 200)}`);
  L.assert(intro.includes('Live:'), 'the report says it follows the file');

  let rows = await readSeries(frame);
  h.log(`series: ${JSON.stringify(rows)}`);
  for (const s of cli.series) {
    const row = rows.find((r) => r[0] === s.name);
    L.assert(row, `a row for ${s.name}`);
    L.assertEqual(Number(row[1]), s.min.value, `min of ${s.name}`);
    L.assertEqual(row[2], `step ${s.min.step.toLocaleString('en-US')}`, `step of the min of ${s.name}`);
    L.assertEqual(Number(row[3]), s.min.line, `line of the min of ${s.name}`);
  }
  await L.eventually(async () => L.assertCanvasesDrawn(await L.canvasStats(frame), { min: 1 }), { what: 'the loss chart drawn', timeout: 15_000 });
  await L.screenshotReport(page, frame, '26-training-log');

  // The run goes on: a writer appends 20 steps with a lower loss; the open report follows.
  let more = '';
  for (let i = 201; i <= 220; i++) more += `4,${i * 10},${(0.1 - i / 100000).toFixed(6)},\n`;
  fs.appendFileSync(file, more);
  const after = L.cliJson(file).series.find((s) => s.name === 'train_loss_step');
  rows = await L.eventually(
    async () => {
      const { frame: f } = await L.waitForReport(page, 'metrics.csv', { until: (r) => r.status === 'unknown', what: 'the report' });
      const r = await readSeries(f);
      const row = r.find((x) => x[0] === 'train_loss_step');
      L.assertEqual(Number(row[1]), after.min.value, 'the new minimum shows');
      L.assertEqual(row[2], 'step 2,200', 'at the last appended step');
      L.assertEqual(row[4], `${after.last.value} at step 2,200`, 'the last value is the appended one');
      return r;
    },
    { what: 'the appended steps in the open report', timeout: 15_000 },
  );
  h.log(`after the append: ${JSON.stringify(rows)}`);
  L.assertEqual(after.min.step, 2200, 'the CLI sees the appended minimum at step 2200');
});
