// DuckDB side of `npm run bench`: the same losses as `loss-inspector FILE --json`,
// computed by DuckDB (@duckdb/node-api, in-memory database, default threads).
//
//   node scripts/bench/duck.mjs FILE [--target target] [--prediction prediction]
//   node scripts/bench/duck.mjs --version
//
// FILE ending in .csv/.tsv (or .csv.gz, decompressed by DuckDB) is read with read_csv, .json/.jsonl/.ndjson with read_json
// (format and types auto-detected, as a user would call them). Rows whose target or
// prediction is NULL are left out, like the CLI's skipped rows.
// Prints one JSON object: { file, rows: { used }, queryMs, metrics: { l1, l2, mae, … } } with
// the metric names of the CLI's report (β = δ = 1, q = 0.5): every metric of the CLI's `metrics`
// (MAPE, sMAPE and pinball included) and the |d| quantiles of its `absQuantiles` (p90AE, p99AE),
// so that both tools compute the same aggregates. The CLI's report has more than these
// (histograms, β sweep, robustness, worst rows, a sample), which DuckDB is not asked for.
//
// Sums and means use DuckDB's fsum/favg (Kahan–Babuška compensated summation):
// plain sum/avg over 1e7 doubles, added in a thread-dependent order, can be off
// by more than the 1e-12 relative tolerance the bench checks MAE/MSE against,
// while the CLI sums exactly.
import { DuckDBInstance } from '@duckdb/node-api';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  if (i < 0) return dflt;
  const v = args[i + 1];
  args.splice(i, 2);
  return v;
};
const version = args.includes('--version');
const target = opt('--target', 'target');
const prediction = opt('--prediction', 'prediction');
const file = args.find((a) => !a.startsWith('--'));

const instance = await DuckDBInstance.create(':memory:');
const conn = await instance.connect();

async function one(sql) {
  const reader = await conn.runAndReadAll(sql);
  return reader.getRowObjectsJS()[0];
}

if (version) {
  const { v } = await one('SELECT version() AS v');
  console.log(JSON.stringify({ duckdb: v }));
  conn.closeSync();
  process.exit(0);
}
if (!file) {
  console.error('usage: node scripts/bench/duck.mjs FILE [--target COL] [--prediction COL]');
  process.exit(2);
}

const lit = (s) => `'${s.replace(/'/g, "''")}'`;
const ident = (s) => `"${s.replace(/"/g, '""')}"`;
const reader = /\.(csv|tsv)(\.gz)?$/i.test(file) ? `read_csv(${lit(file)})` : `read_json(${lit(file)})`;

const sql = `
WITH r AS (
  SELECT CAST(${ident(target)} AS DOUBLE) AS t, CAST(${ident(prediction)} AS DOUBLE) AS p, CAST(${ident(prediction)} AS DOUBLE) - CAST(${ident(target)} AS DOUBLE) AS d
  FROM ${reader}
), v AS (
  SELECT t, p, d, abs(d) AS a FROM r WHERE d IS NOT NULL
)
SELECT
  count(*)                                                  AS n,
  fsum(a)                                                   AS l1,
  fsum(d * d)                                               AS l2,
  favg(a)                                                   AS mae,
  favg(d * d)                                               AS mse,
  sqrt(favg(d * d))                                         AS rmse,
  favg(CASE WHEN a < 1 THEN 0.5 * d * d ELSE a - 0.5 END)   AS "smoothL1",
  favg(CASE WHEN a <= 1 THEN 0.5 * d * d ELSE a - 0.5 END)  AS huber,
  favg(a + ln(1 + exp(-2 * a)) - ln(2))                     AS "logCosh",
  favg(d)                                                   AS "meanError",
  max(a)                                                    AS "maxError",
  quantile_cont(a, [0.5, 0.9, 0.99])                        AS q,
  1 - fsum(d * d) / (var_pop(t) * count(*))                 AS r2,
  favg(a / greatest(abs(t), 2.220446049250313e-16))         AS mape,
  favg(CASE WHEN abs(t) + abs(p) > 0 THEN 2 * a / (abs(t) + abs(p)) ELSE 0 END) AS smape,
  favg(CASE WHEN d <= 0 THEN -0.5 * d ELSE 0.5 * d END)     AS pinball,
FROM v`;
// The three |d| quantiles in one aggregate (one selection pass), as a DuckDB user would write them.

const t0 = performance.now();
const row = await one(sql);
const ms = performance.now() - t0;
conn.closeSync();

const { n, q, ...rest } = row;
const [medianAE, p90AE, p99AE] = q;
const metrics = { ...rest, medianAE, p90AE, p99AE };
for (const k of Object.keys(metrics)) metrics[k] = metrics[k] === null ? null : Number(metrics[k]);
console.log(JSON.stringify({ file, rows: { used: Number(n) }, queryMs: Math.round(ms), metrics }));
