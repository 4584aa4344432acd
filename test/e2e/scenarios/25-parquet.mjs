// Right-click a Parquet file (written by DuckDB, zstd, three row groups, a NULL and a NaN) →
// Compute Loss: the report's numbers are the CLI's, its header says PARQUET, the skipped rows are
// counted by reason, the worst rows are numbered by row (a Parquet file has no lines: nothing to
// open in the editor), and the charts are drawn (#14).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import * as h from '../harness.mjs';
import * as L from '../loss.mjs';

async function writeParquet(file) {
  const conn = await (await DuckDBInstance.create(':memory:')).connect();
  try {
    await conn.run(`COPY (SELECT i AS id, 10 + (i % 37) * 0.5 AS y_true,
      CASE WHEN i = 10 THEN NULL ELSE 10 + (i % 37) * 0.5 + ((i * 7919) % 101 - 50) / 40.0 END AS pred_gbm,
      CASE WHEN i = 20 THEN 'NaN'::DOUBLE ELSE 10 + (i % 37) * 0.5 + ((i * 104729) % 211 - 105) / 30.0 END AS pred_linear
      FROM range(1, 601) t(i)) TO '${file.replace(/'/g, "''")}' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 256)`);
  } finally {
    conn.closeSync();
  }
}

await h.scenario('25-parquet', async () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'li-pq-'));
  const written = path.join(tmp, 'predictions.parquet');
  await writeParquet(written);
  const { folder, page } = await L.openLossWorkbench({ files: { 'predictions.parquet': fs.readFileSync(written) } });
  fs.rmSync(tmp, { recursive: true, force: true });
  const file = path.join(folder, 'predictions.parquet');
  const cli = L.cliJson(file);
  L.assertEqual(cli.format, 'parquet', 'CLI format');
  L.assertEqual(cli.locations, 'rows', 'the CLI counts locations in rows');
  L.assertEqual(cli.rows.skippedByReason, { empty: 1, na: 1 }, 'the NULL is empty, the NaN is na');

  await L.computeLossFromExplorer(page, 'predictions.parquet');
  const { frame, report } = await L.waitForReport(page, 'predictions.parquet');
  h.log(`report: ${report.meta}`);
  L.assert(report.meta.startsWith('PARQUET · '), `header names the format: ${report.meta}`);
  L.assert(report.meta.includes(`${cli.rows.used} of ${cli.rows.total} rows used`), `row counts: ${report.meta}`);
  L.assertSummaryMatchesCli(report.summary, cli);
  L.assert(/\brow 10\b/.test(report.skipped ?? '') && /\brow 20\b/.test(report.skipped ?? ''), `the skipped rows are named by row: ${report.skipped}`);

  // Worst rows: the CLI's rows, as plain numbers (no button opening a line).
  const worst = await frame.$$eval('table.worst', (ts) => ts.map((t) => [...t.querySelectorAll('tbody tr')].map((tr) => ({ first: tr.querySelector('td')?.textContent.trim(), buttons: tr.querySelectorAll('button').length }))));
  cli.models.forEach((m, i) => {
    L.assertEqual(worst[i].map((r) => Number(r.first)), m.worst.map((w) => w.line), `worst rows of ${m.prediction}`);
    L.assert(worst[i].every((r) => r.buttons === 0), `no line to open in a Parquet file (${m.prediction})`);
  });

  await L.eventually(
    async () => L.assertCanvasesDrawn(await L.canvasStats(frame), { min: 5 + cli.models.length }),
    { what: 'every chart drawn', timeout: 15_000 },
  );
  // No sentence names a line: a Parquet file's locations are rows ("largest: d = …, row 32").
  const text = await frame.evaluate(() => document.body.innerText);
  const lines = text.match(/\blines? \d[^\n]{0,40}/g) ?? [];
  L.assertEqual(lines, [], 'no "line N" in a Parquet report');
  L.assert(/\brow \d/.test(text), 'the sentences name rows');
  await L.screenshotReport(page, frame, '25-parquet');
});
