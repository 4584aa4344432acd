// "Copy as SQL" (#14 item 6): the regression report's button puts one DuckDB statement on the
// clipboard; run by DuckDB (@duckdb/node-api, a dev dependency) over the same file, it gives the
// numbers of the CLI's --json: every metric of both models within 1e-12 relative, the median
// exactly, and n = the rows used (a row with NA is skipped by both). A binary classifier's report
// (string labels, a probability and a logit model) has the button too, with the same check.
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import * as h from '../harness.mjs';
import * as L from '../loss.mjs';

function csv() {
  const rows = ['y_true,pred_a,pred_b'];
  for (let i = 0; i < 200; i++) {
    const y = ((i * 37) % 101) / 4;
    rows.push(`${y},${i === 17 ? 'NA' : y + (((i * 7) % 13) - 6) / 8},${y + (((i * 11) % 17) - 8) / 3}`);
  }
  return rows.join('\n') + '\n';
}

function binaryCsv() {
  const rows = ['label,prob,logit'];
  for (let i = 0; i < 300; i++) {
    const z = (((i * 53) % 97) - 48) / 12;
    const y = ((i * 31) % 7 < 3) !== (i % 11 === 0) ? 'spam' : 'ham';
    rows.push(`${y},${i === 40 ? 'NA' : Math.round((1 / (1 + Math.exp(-z))) * 1000) / 1000},${z}`);
  }
  return rows.join('\n') + '\n';
}

await h.scenario('22-copy-as-sql', async () => {
  const { folder, server, page } = await L.openLossWorkbench({ files: { 'sql.csv': csv(), 'spam.csv': binaryCsv() }, expectFile: 'sql.csv' });
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
  await checkCopiedSql(page, path.join(folder, 'sql.csv'), 'sql.csv');
  await h.runCommandFromPalette(page, 'View: Close All Editors');
  await checkCopiedSql(page, path.join(folder, 'spam.csv'), 'spam.csv');
});

/** Computes `name`'s report, clicks Copy as SQL, runs the clipboard in DuckDB: the CLI's numbers. */
async function checkCopiedSql(page, file, name) {
  const cli = L.cliJson(file);
  await L.computeLossFromExplorer(page, name);
  const { frame } = await L.waitForReport(page, name);
  await page.evaluate(() => navigator.clipboard.writeText(''));
  await frame.getByRole('button', { name: 'Copy as SQL' }).click();
  const sql = await L.eventually(async () => {
    const t = await page.evaluate(() => navigator.clipboard.readText());
    if (!/^-- Loss Inspector/.test(t)) throw new Error(`the clipboard holds ${JSON.stringify(t.slice(0, 60))}`);
    return t;
  }, { what: 'the SQL statement on the clipboard' });
  h.log(`clipboard: ${sql.split('\n')[0]}`);
  L.assert(sql.includes(`read_csv('${file.replace(/'/g, "''")}'`), 'the statement reads the report\'s file');
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  const rows = (await conn.runAndReadAll(sql)).getRowObjectsJS();
  conn.closeSync();
  L.assertEqual(rows.length, 2, 'one row per model');
  for (const m of cli.models) {
    const row = rows.find((r) => r.model === m.prediction);
    L.assert(row, `a row for ${m.prediction}`);
    L.assertEqual(Number(row.n), cli.rows.used, `${m.prediction}: n`);
    for (const [k, v] of Object.entries(m.metrics)) {
      L.assert(k in row, `${name} ${m.prediction}: ${k} is in the statement`);
      const got = Number(row[k]);
      if (k === 'medianAE') L.assertEqual(got, v, `${m.prediction}: medianAE`);
      else if (v === null) L.assertEqual(row[k], null, `${name} ${m.prediction}: ${k} is null`);
      else L.assert(Math.abs(got - v) <= 1e-12 * Math.max(Math.abs(v), 1e-300), `${name} ${m.prediction}: ${k} DuckDB ${got}, CLI ${v}`);
    }
  }
  h.log(`${name}: ${cli.models.length} models, every metric as the CLI's`);
}
