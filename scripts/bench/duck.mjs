// DuckDB side of `npm run bench`: the same losses as `loss-inspector FILE --json`,
// computed by DuckDB (@duckdb/node-api, in-memory database, default threads).
//
//   node scripts/bench/duck.mjs FILE [--target target] [--prediction prediction]
//   node scripts/bench/duck.mjs FILE --task binary [--target label] [--prediction probability]
//   node scripts/bench/duck.mjs FILE --task multiclass [--target label] [--prefix proba_] [--classes 10]
//   node scripts/bench/duck.mjs --version
//   node scripts/bench/duck.mjs --to-parquet CSV OUT.parquet CODEC   (writes the bench's Parquet files)
//
// FILE ending in .csv/.tsv (or .csv.gz, decompressed by DuckDB) is read with read_csv, .parquet with read_parquet, .json/.jsonl/.ndjson with read_json
// (format and types auto-detected, as a user would call them). Rows whose target or
// prediction is NULL are left out, like the CLI's skipped rows.
// Prints one JSON object: { file, rows: { used }, queryMs, metrics: { l1, l2, mae, … } } with
// the metric names of the CLI's report (β = δ = 1, q = 0.5): every metric of the CLI's `metrics`
// (MAPE, sMAPE and pinball included) and the |d| quantiles of its `absQuantiles` (p90AE, p99AE),
// so that both tools compute the same aggregates. The CLI's report has more than these
// (histograms, β sweep, robustness, worst rows, a sample), which DuckDB is not asked for.
//
// With --task binary, the target is a 0/1 label and the prediction the probability of 1, and
// DuckDB computes what SQL expresses directly of the CLI's binary metrics: log loss (scikit-learn's
// log_loss: clipped to [ε, 1 − ε], ε = 2^-52, renormalised as it does), Brier score, accuracy at
// p ≥ 0.5 and ROC AUC from ranks with ties (Mann–Whitney: Σ over positives of the negatives
// scored below plus half of those tied, / (P·N)). The AUC is written the fast way a DuckDB user
// would: one GROUP BY per distinct score, then a running sum over the (fewer) groups, in exact
// integers; per-row rank() windows would be slower. What SQL cannot say simply (average precision
// is close, but the curves, calibration bins, worst rows, robustness shares) is left out.
//
// With --task multiclass, the label is a class index 0 … K − 1 and PREFIX0 … PREFIX{K−1} its class
// probabilities: log loss (scikit-learn 1.2's: each p clipped to [ε, 1 − ε], ε = 2^-52, the row
// renormalised by the sum of its clipped values), Brier (Σ_k (p_k − [y = k])², averaged) and
// accuracy of the argmax (the first of equal scores, as numpy's argmax). One-vs-rest AUC, F1, MCC,
// ECE, the confusion matrix, worst rows and shares are the CLI's only.
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
const toParquet = args.indexOf('--to-parquet');
const task = opt('--task', 'regression');
const binary = task === 'binary';
const multi = task === 'multiclass';
const prefix = opt('--prefix', 'proba_');
const K = Number(opt('--classes', '10'));
const target = opt('--target', binary || multi ? 'label' : 'target');
const prediction = opt('--prediction', binary ? 'probability' : 'prediction');
const file = args.find((a) => !a.startsWith('--'));

const instance = await DuckDBInstance.create(':memory:');
const conn = await instance.connect();

function lit(s) {
  return `'${s.replace(/'/g, "''")}'`;
}

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
if (toParquet >= 0) {
  // DuckDB's defaults (row groups of 122,880 rows) and the codec asked for.
  const [csv, out, codec] = args.slice(toParquet + 1);
  await conn.run(`COPY (SELECT * FROM read_csv(${lit(csv)})) TO ${lit(out)} (FORMAT parquet, COMPRESSION ${codec})`);
  conn.closeSync();
  process.exit(0);
}
if (!file) {
  console.error('usage: node scripts/bench/duck.mjs FILE [--target COL] [--prediction COL]');
  process.exit(2);
}

const ident = (s) => `"${s.replace(/"/g, '""')}"`;
const reader = /\.(csv|tsv)(\.gz)?$/i.test(file) ? `read_csv(${lit(file)})` : /\.parquet$/i.test(file) ? `read_parquet(${lit(file)})` : `read_json(${lit(file)})`;

const T = ident(target);
const P = ident(prediction);
const binarySql = `
WITH v AS (
  SELECT CAST(${T} AS DOUBLE) AS y, CAST(${P} AS DOUBLE) AS p
  FROM ${reader}
  WHERE ${T} IS NOT NULL AND ${P} IS NOT NULL
), c AS (
  SELECT y, p, greatest(least(p, 1 - 2.220446049250313e-16), 2.220446049250313e-16) AS pc FROM v
), agg AS (
  SELECT
    count(*)                                                            AS n,
    count(*) FILTER (WHERE y = 1)                                       AS npos,
    favg(-ln((CASE WHEN y = 1 THEN pc ELSE 1 - pc END) / ((1 - pc) + pc))) AS "logLoss",
    favg((y - p) * (y - p))                                             AS brier,
    favg(CASE WHEN (p >= 0.5) = (y = 1) THEN 1 ELSE 0 END)              AS accuracy
  FROM c
), ties AS (
  SELECT p, count(*) FILTER (WHERE y = 1) AS pos, count(*) FILTER (WHERE y <> 1) AS neg FROM v GROUP BY p
), below AS (
  SELECT pos, neg, coalesce(sum(neg) OVER (ORDER BY p ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS lower FROM ties
)
SELECT agg.*, (SELECT sum(pos * (2 * lower + neg)) FROM below) AS "aucTwice" FROM agg`;

const EPS = '2.220446049250313e-16';
const cls = Array.from({ length: K }, (_, c) => c);
const pc = (c) => ident(`${prefix}${c}`);
const multiSql = `
WITH v AS (
  SELECT CAST(${T} AS INTEGER) AS y, ${cls.map((c) => `CAST(${pc(c)} AS DOUBLE) AS p${c}`).join(', ')}
  FROM ${reader}
  WHERE ${[T, ...cls.map(pc)].map((x) => `${x} IS NOT NULL`).join(' AND ')}
), c AS (
  SELECT y, ${cls.map((c) => `p${c}`).join(', ')},
    ${cls.map((c) => `greatest(least(p${c}, 1 - ${EPS}), ${EPS})`).join(' + ')} AS cs,
    greatest(least(CASE y ${cls.map((c) => `WHEN ${c} THEN p${c}`).join(' ')} END, 1 - ${EPS}), ${EPS}) AS py,
    greatest(${cls.map((c) => `p${c}`).join(', ')}) AS top
  FROM v
)
SELECT
  count(*)                                                    AS n,
  favg(-ln(py / cs))                                          AS "logLoss",
  favg(${cls.map((c) => `(p${c} - CASE WHEN y = ${c} THEN 1 ELSE 0 END) ** 2`).join(' + ')}) AS brier,
  favg(CASE WHEN (CASE ${cls.map((c) => `WHEN p${c} = top THEN ${c}`).join(' ')} END) = y THEN 1 ELSE 0 END) AS accuracy
FROM c`;

const sql = binary ? binarySql : multi ? multiSql : `
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

if (binary) {
  // AUC = Σ pos·(2·lower + tied neg) / (2·P·N), both integers exact in doubles (< 2^53).
  const n = Number(row.n);
  const np = Number(row.npos);
  const auc = np > 0 && np < n ? Number(row.aucTwice) / (2 * np * (n - np)) : null;
  const metrics = { logLoss: Number(row.logLoss), brier: Number(row.brier), accuracy: Number(row.accuracy), rocAuc: auc };
  console.log(JSON.stringify({ file, rows: { used: n }, queryMs: Math.round(ms), metrics }));
  process.exit(0);
}
if (multi) {
  const metrics = { logLoss: Number(row.logLoss), brier: Number(row.brier), accuracy: Number(row.accuracy) };
  console.log(JSON.stringify({ file, rows: { used: Number(row.n) }, queryMs: Math.round(ms), metrics }));
  process.exit(0);
}
const { n, q, ...rest } = row;
const [medianAE, p90AE, p99AE] = q;
const metrics = { ...rest, medianAE, p90AE, p99AE };
for (const k of Object.keys(metrics)) metrics[k] = metrics[k] === null ? null : Number(metrics[k]);
console.log(JSON.stringify({ file, rows: { used: Number(n) }, queryMs: Math.round(ms), metrics }));
