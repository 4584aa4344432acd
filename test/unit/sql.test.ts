import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { analyze, analyzeFile } from '../../src/engine/analyze';
import { openFileSource } from '../../src/engine/source';
import { regressionSql, SQL_DIALECTS } from '../../src/core/tasks/regression/sql';
import { binarySql } from '../../src/core/tasks/classification/sql';
import type { FamilyReport } from '../../src/core/families';
import type { Report } from '../../src/core/tasks/regression/report';
import { opts, rng } from '../helpers/run';


const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'li-sql-'));
process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));

/** Two models, a weight column, and rows the CLI skips (NA, empty, text, inf, a negative weight). */
function table(): { csv: string; jsonl: string } {
  const next = rng(99);
  const lines = ['y_true,y_pred,pred_b,w'];
  const json: string[] = [];
  for (let i = 0; i < 3000; i++) {
    const t = Math.round((next() * 200 - 100) * 1e6) / 1e6;
    let p: string | number = t + Math.round((next() - 0.5) * 8 * 1e6) / 1e6;
    let b: string | number = t + Math.round((next() - 0.5) * 30 * 1e3) / 1e3;
    let w: string | number = Math.round(next() * 3 * 1e3) / 1e3;
    if (i % 97 === 5) p = 'NA';
    if (i % 89 === 7) b = '';
    if (i % 113 === 9) p = 'abc';
    if (i % 131 === 11) b = 'inf';
    if (i % 151 === 13) w = -1;
    lines.push(`${t},${p},${b},${w}`);
    const val = (x: string | number) => (x === '' ? null : typeof x === 'number' ? x : x === 'inf' ? 'inf' : x);
    json.push(JSON.stringify({ y_true: t, y_pred: val(p), pred_b: val(b), w }));
  }
  return { csv: lines.join('\n') + '\n', jsonl: json.join('\n') + '\n' };
}

async function duck(sql: string): Promise<Record<string, unknown>[]> {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    return (await conn.runAndReadAll(sql)).getRowObjectsJS();
  } finally {
    conn.closeSync();
  }
}

function near(got: unknown, want: number | null, what: string): void {
  if (want === null) return assert.equal(got, null, what);
  const g = Number(got);
  assert.ok(Math.abs(g - want) <= 1e-12 * Math.max(Math.abs(want), 1e-300), `${what}: DuckDB ${g}, the CLI ${want}`);
}

for (const weighted of [false, true]) {
  test(`the DuckDB statement gives the CLI's numbers on CSV, JSON Lines and Parquet (read_parquet)${weighted ? ', weighted' : ''} (#14 item 6)`, async () => {
    const { csv, jsonl } = table();
    for (const [name, text, format] of [['t.csv', csv, 'csv'], ['t.jsonl', jsonl, 'jsonl'], ['t.parquet', csv, 'parquet']] as const) {
      const file = path.join(dir, name);
      if (format === 'parquet') {
        // The CSV's table as DuckDB types it (doubles; NA, text and empty fields NULL, inf infinite) in Parquet: read_parquet.
        fs.writeFileSync(file + '.csv', text);
        await duck(`COPY (SELECT TRY_CAST(y_true AS DOUBLE) AS y_true, TRY_CAST(y_pred AS DOUBLE) AS y_pred, TRY_CAST(pred_b AS DOUBLE) AS pred_b, TRY_CAST(w AS DOUBLE) AS w FROM read_csv('${file}.csv', all_varchar = true)) TO '${file}' (FORMAT parquet, ROW_GROUP_SIZE 1000)`);
      } else fs.writeFileSync(file, text);
      const src = openFileSource(file);
      let report: Report;
      try {
        report = await analyze(src, opts({ columns: { target: 'y_true', predictions: ['y_pred', 'pred_b'], ...(weighted ? { weight: 'w' } : {}) }, params: { beta: 0.5, delta: 2, quantile: 0.3 } }));
      } finally {
        src.close();
      }
      const sql = regressionSql('duckdb', { file: { path: file, format } }, { target: 'y_true', predictions: ['y_pred', 'pred_b'], weight: weighted ? 'w' : undefined, params: report.params });
      const rows = await duck(sql);
      assert.equal(rows.length, 2, `${name}: one row per model`);
      for (const m of report.models) {
        const row = rows.find((r) => r.model === m.prediction) as Record<string, unknown>;
        assert.ok(row, `${name}: a row for ${m.prediction}`);
        assert.equal(Number(row.n), report.rows.used, `${name} ${m.prediction}: n is the rows used`);
        // Every key, the metrics of counts (#16) too: here the targets are negative, so MSLE and the deviances are NULL in both.
        for (const [k, v] of Object.entries(m.metrics)) {
          if (k === 'medianAE') assert.equal(Number(row[k]), v, `${name} ${m.prediction} medianAE is exact${weighted ? ' (scikit-learn’s weighted median)' : ''}`);
          else near(row[k], v, `${name} ${m.prediction} ${k}`);
        }
        assert.equal(m.metrics.msle, null, 'the negative targets null MSLE');
      }
    }
  });
}

/** Counts (0…~20) and positive predictions, integer weights (exact running sums), two models. */
function countsTable(): string {
  const next = rng(16);
  const lines = ['y,rate,rate_b,w'];
  for (let i = 0; i < 3000; i++) {
    const mu = 0.5 + next() * 9;
    let y = 0;
    for (let u = next(), p = Math.exp(-mu), c = p; u > c && y < 40; ) c += p *= mu / ++y;
    const a = Math.round(mu * (0.8 + 0.4 * next()) * 1e4) / 1e4;
    const b = Math.round((mu + next() * 3) * 1e3) / 1e3;
    lines.push(`${y},${a},${b},${1 + Math.floor(next() * 3)}`);
  }
  return lines.join('\n') + '\n';
}

for (const weighted of [false, true]) {
  test(`the DuckDB statement gives the CLI's metrics of counts (MSLE … D², explained variance) at powers 1.5 and 3, log rates${weighted ? ', weighted' : ''} (#14, #16)`, async () => {
    const file = path.join(dir, 'counts.csv');
    fs.writeFileSync(file, countsTable());
    for (const params of [{ beta: 1, delta: 1, quantile: 0.5, power: 1.5 }, { beta: 1, delta: 1, quantile: 0.8, power: 3 }, { beta: 1, delta: 1, quantile: 0.5, power: 0, logInput: true }]) {
      const src = openFileSource(file);
      let report: Report;
      try {
        report = await analyze(src, opts({ columns: { target: 'y', predictions: ['rate', 'rate_b'], ...(weighted ? { weight: 'w' } : {}) }, params }));
      } finally {
        src.close();
      }
      const rows = await duck(regressionSql('duckdb', { file: { path: file, format: 'csv' } }, { target: 'y', predictions: ['rate', 'rate_b'], weight: weighted ? 'w' : undefined, params: report.params }));
      for (const m of report.models) {
        const row = rows.find((r) => r.model === m.prediction) as Record<string, unknown>;
        for (const k of ['msle', 'rmsle', 'poissonDeviance', 'gammaDeviance', 'tweedieDeviance', 'poissonNll', 'd2AbsoluteError', 'd2Pinball', 'd2Tweedie', 'explainedVariance', 'medianAE'] as const) {
          const v = m.metrics[k];
          if (k === 'gammaDeviance' || (k === 'd2Tweedie' && params.power === 3) || (k === 'tweedieDeviance' && params.power === 3)) {
            assert.equal(v, null, `${k} at power ${params.power}: zero counts are outside its domain`);
          } else assert.ok(v !== null, `${k} at power ${params.power} is defined`);
          near(row[k], v, `power ${params.power} ${m.prediction} ${k}`);
        }
      }
    }
  });
}

test('every dialect names every metric key once, quotes names, and needs a table except DuckDB', () => {
  const req = { target: 'y"true', predictions: ['p`1', 'p2'], params: { beta: 1, delta: 1, quantile: 0.5 } };
  for (const d of SQL_DIALECTS) {
    const sql = regressionSql(d, { table: 'preds' }, req);
    for (const key of ['model', 'n', 'l1', 'l2', 'mae', 'mse', 'rmse', 'smoothL1', 'huber', 'logCosh', 'meanError', 'maxError', 'medianAE', 'r2', 'mape', 'smape', 'pinball', 'msle', 'rmsle', 'poissonDeviance', 'gammaDeviance', 'tweedieDeviance', 'poissonNll', 'd2AbsoluteError', 'd2Pinball', 'd2Tweedie', 'explainedVariance']) {
      assert.equal(sql.split('UNION ALL').length, 2, `${d}: two models`);
      assert.ok(new RegExp(`AS [\`"]?${key}[\`"]?[,\\n]`).test(sql), `${d}: ${key}`);
    }
    assert.equal(/\bfsum\b|\bfavg\b/.test(sql), d === 'duckdb', `${d}: compensated sums only in DuckDB`);
    if (d !== 'duckdb') assert.throws(() => regressionSql(d, { file: { path: 'x.csv', format: 'csv' } }, req), /reads a table/);
  }
  assert.ok(regressionSql('duckdb', { table: 'preds' }, req).includes('TRY_CAST("y""true" AS DOUBLE)'));
  assert.ok(regressionSql('spark', { table: 'preds' }, req).includes('try_cast(`p\\`1` AS DOUBLE)'));
});

// ---- binary classifiers (classification/sql.ts) ------------------------------------------------

/** Labels as strings (three NA markers), a probability and a logit model, weights; rows the CLI skips. */
function binaryTable(): string {
  const next = rng(7);
  const lines = ['label,prob,logit,w'];
  for (let i = 0; i < 4000; i++) {
    const y = next() < 0.4 ? 'spam' : 'ham';
    const z = Math.round(((y === 'spam' ? 1.2 : -1.1) + (next() - 0.5) * 6) * 100) / 100; // rounded: many ties
    let p: string | number = Math.round((1 / (1 + Math.exp(-z))) * 1e3) / 1e3;
    let lab = y;
    if (i % 211 === 3) lab = 'NA';
    if (i % 97 === 5) p = '';
    if (i % 389 === 7) p = 'inf';
    if (i % 601 === 1) p = 0; // log loss clipping, BCE's −100
    const w = i % 151 === 13 ? -1 : Math.round(next() * 3 * 1e3) / 1e3;
    lines.push(`${lab},${p},${z},${w}`);
  }
  return lines.join('\n') + '\n';
}

for (const weighted of [false, true]) {
  test(`the DuckDB statement gives the CLI's binary metrics (probabilities and logits, string labels${weighted ? ', weighted' : ''}) (#14 item 6)`, async () => {
    const file = path.join(dir, 'binary.csv');
    fs.writeFileSync(file, binaryTable());
    const src = openFileSource(file);
    let report: FamilyReport;
    try {
      report = await analyzeFile(src, {
        ...opts({ columns: { target: 'label', predictions: ['prob', 'logit'], ...(weighted ? { weight: 'w' } : {}) } }),
        task: 'binary',
        classification: { scores: 'auto', binary: { threshold: 0.4, gamma: 1.5, alpha: 0.3 } },
      });
    } finally {
      src.close();
    }
    assert.ok('task' in report && report.task === 'binary');
    assert.deepEqual(report.models.map((m) => m.scores), ['probabilities', 'logits']);
    const rows = await duck(binarySql('duckdb', { file: { path: file, format: 'csv' } }, report));
    assert.equal(rows.length, 2);
    for (const m of report.models) {
      const row = rows.find((r) => r.model === m.prediction) as Record<string, unknown>;
      assert.equal(Number(row.n), report.rows.used, `${m.prediction}: n is the rows used`);
      for (const [k, v] of Object.entries(m.metrics)) near(row[k], v, `${m.prediction} ${k}`);
    }
  });
}

test('every dialect names every binary metric key once and quotes names', async () => {
  const file = path.join(dir, 'binary-dialects.csv');
  fs.writeFileSync(file, binaryTable());
  const src = openFileSource(file);
  let report: FamilyReport;
  try {
    report = await analyzeFile(src, { ...opts({ columns: { target: 'label', predictions: ['prob', 'logit'] } }), task: 'binary' });
  } finally {
    src.close();
  }
  assert.ok('task' in report && report.task === 'binary');
  for (const d of SQL_DIALECTS) {
    const sql = binarySql(d, { table: 'preds' }, report);
    assert.equal(sql.split('UNION ALL').length, 2, `${d}: two models`);
    for (const key of ['model', 'n', ...Object.keys(report.models[0].metrics)]) assert.ok(new RegExp(`AS [\`"]?${key}[\`"]?[,\\n]|^  ${key},$`, 'm').test(sql), `${d}: ${key}`);
    assert.equal(/\bfsum\b/.test(sql), d === 'duckdb', `${d}: compensated sums only in DuckDB`);
    assert.ok(!/CAST\(NULL AS DOUBLE\)/.test(sql) || d === 'duckdb' || d === 'spark', `${d}: its own double type`);
  }
});

// ---- a predicted variance (sqlVariance.ts) ---------------------------------------------------

/**
 * Two models with a spread column each (as variances and as standard deviations of the same
 * spread), rows the CLI skips (a spread that is not a number), σ = 0 (CRPS |d|, the NLL's clamp),
 * σ tiny enough for z beyond 37 and beyond 1e150, and optionally one negative spread.
 */
function spreadTable(negative: boolean): string {
  const next = rng(21);
  const lines = ['y,a,b,var_a,var_b,sd_a,sd_b,w'];
  for (let i = 0; i < 3000; i++) {
    const y = Math.round((next() * 20 - 10) * 1e4) / 1e4;
    const a = Math.round((y + (next() - 0.5) * 4) * 1e4) / 1e4;
    const b = Math.round((y + (next() - 0.5) * 9) * 1e3) / 1e3;
    let sa = Math.round((0.2 + next() * 2) * 1e4) / 1e4;
    let sb = Math.round((0.5 + next() * 4) * 1e3) / 1e3;
    if (i % 173 === 3) sa = 0;
    if (i % 181 === 5) sb = 1e-200; // z = |d|/σ beyond 1e150: the CRPS is |d|
    if (i % 191 === 7) sa = Math.abs(a - y) / 50; // z = 50: past the density term's clamp at 37
    const va: number | string = i % 211 === 9 ? 'NA' : sa * sa;
    const vb: number | string = negative && i === 1500 ? -0.25 : sb * sb;
    const w = Math.round(next() * 3 * 1e3) / 1e3;
    lines.push(`${y},${a},${b},${va},${vb},${i % 211 === 9 ? 'NA' : sa},${negative && i === 1500 ? -0.5 : sb},${w}`);
  }
  return lines.join('\n') + '\n';
}

for (const weighted of [false, true]) {
  test(`the DuckDB statement gives the CLI's Gaussian NLL, CRPS (Cody's erf in SQL) and ±1σ/±2σ coverage on CSV, JSON Lines and Parquet, variances and standard deviations${weighted ? ', weighted' : ''} (#14 item 6, #16 item 2)`, async () => {
    for (const [negative, format] of [[false, 'csv'], [true, 'csv'], [false, 'jsonl'], [true, 'parquet']] as const) {
      const csv = path.join(dir, `spread-${negative}.csv`);
      fs.writeFileSync(csv, spreadTable(negative));
      const file = path.join(dir, `spread-${negative}.${format}`);
      if (format === 'jsonl') {
        const [head, ...body] = spreadTable(negative).trim().split('\n');
        const names = head.split(',');
        const cell = (x: string) => (x === 'NA' ? null : Number(x));
        fs.writeFileSync(file, body.map((l) => JSON.stringify(Object.fromEntries(l.split(',').map((x, j) => [names[j], cell(x)])))).join('\n') + '\n');
      } else if (format === 'parquet') {
        const typed = ['y', 'a', 'b', 'var_a', 'var_b', 'sd_a', 'sd_b', 'w'].map((c) => `TRY_CAST(${c} AS DOUBLE) AS ${c}`).join(', ');
        await duck(`COPY (SELECT ${typed} FROM read_csv('${csv}', all_varchar = true)) TO '${file}' (FORMAT parquet, ROW_GROUP_SIZE 1000)`);
      }
      for (const kind of ['variance', 'std'] as const) {
        const spreadCols = kind === 'variance' ? ['var_a', 'var_b'] : ['sd_a', 'sd_b'];
        const src = openFileSource(file);
        let report: Report;
        try {
          report = await analyze(src, opts({ columns: { target: 'y', predictions: ['a', 'b'], [kind]: spreadCols, ...(weighted ? { weight: 'w' } : {}) } }));
        } finally {
          src.close();
        }
        const spread = report.models.map((m) => (m.spread ? { column: m.spread.column, kind: m.spread.kind } : null));
        assert.deepEqual(spread.map((s) => s?.column), spreadCols, 'each model has its spread column');
        const sql = regressionSql('duckdb', { file: { path: file, format } }, { target: 'y', predictions: ['a', 'b'], weight: weighted ? 'w' : undefined, params: report.params, spread });
        const rows = await duck(sql);
        for (const m of report.models) {
          const row = rows.find((r) => r.model === m.prediction) as Record<string, unknown>;
          const what = `${format} ${kind}${negative ? ', a negative spread' : ''} ${m.prediction}`;
          assert.equal(Number(row.n), report.rows.used, `${what}: n is the rows used (a spread that is not a number skips the row)`);
          const nulled = negative && m.prediction === 'b';
          assert.equal(m.metrics.crps === null, nulled, `${what}: the CLI's CRPS is null only for a negative spread`);
          near(row.gaussianNll, m.metrics.gaussianNll ?? null, `${what} gaussianNll`);
          near(row.crps, m.metrics.crps ?? null, `${what} crps`);
          near(row.sigmaCoverage_within1, m.sigmaCoverage?.within1 ?? null, `${what} sigmaCoverage.within1`);
          near(row.sigmaCoverage_within2, m.sigmaCoverage?.within2 ?? null, `${what} sigmaCoverage.within2`);
          for (const k of ['mae', 'mse', 'medianAE'] as const) near(row[k], m.metrics[k], `${what} ${k}`);
        }
      }
    }
  });
}

test('every dialect has the four variance columns (NULL for a model without a spread column) and no erf function', () => {
  const req = { target: 'y', predictions: ['a', 'b'], params: { beta: 1, delta: 1, quantile: 0.5 }, spread: [{ column: 'var_a', kind: 'variance' as const }, null] };
  for (const d of SQL_DIALECTS) {
    const sql = regressionSql(d, { table: 'preds' }, req);
    const [first, second] = sql.split('\nUNION ALL\n');
    for (const key of ['gaussianNll', 'crps', 'sigmaCoverage_within1', 'sigmaCoverage_within2']) {
      assert.ok(new RegExp(`AS [\`"]?${key}[\`"]?[,\\n]`).test(first.slice(first.lastIndexOf('SELECT\n  '))), `${d}: ${key} for the model with a spread`);
      assert.ok(new RegExp(`CAST\\(NULL AS \\w+( precision)?\\) AS [\`"]?${key}[\`"]?[,\\n]`).test(second), `${d}: ${key} NULL for the model without one`);
    }
    assert.ok(!/\berf\(/.test(sql), `${d}: Cody's approximation, not an erf function`);
  }
  assert.ok(!/sigmaCoverage/.test(regressionSql('duckdb', { table: 'preds' }, { ...req, spread: undefined })), 'no spread column: no variance columns');
});
