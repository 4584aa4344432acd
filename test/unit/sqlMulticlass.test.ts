/**
 * The multiclass SQL statement (multiclass/sql.ts, #13, #14 item 6): DuckDB's answer is the CLI's
 * for every metric key, ≤ 1e-12 relative, on CSV, JSON Lines and Parquet, with and without
 * weights, with label smoothing, on probabilities (one model with zeros on other classes, one
 * with a zero on the true class: cross-entropy and focal null in both) and logits, string and
 * integer labels, class columns and score arrays; the other dialects name every key.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { analyzeFile } from '../../src/engine/analyze';
import { openFileSource } from '../../src/engine/source';
import { SQL_DIALECTS } from '../../src/core/tasks/regression/sql';
import { multiclassSql } from '../../src/core/tasks/multiclass/sql';
import type { MulticlassReport } from '../../src/core/tasks/multiclass/report';
import type { FileFormat } from '../../src/core/fileInfo';
import { opts, rng } from '../helpers/run';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'li-sqlmc-'));
process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));

const CLASSES = ['ant', 'bee', 'cat', 'dog'];

/**
 * k probabilities in thousandths that sum to 1000 (so the parsed row sums to 1 within 1e-15): the
 * favoured class the most, a few other classes 0 but never the true one, unless `zeroTrue`.
 */
function thousandths(next: () => number, k: number, favour: number, truth: number, zeroTrue = false): number[] {
  const raw = Array.from({ length: k }, (_, c) => (c === favour ? 2 + next() * 3 : 0.05 + next()) * (c !== truth && c !== favour && next() < 0.1 ? 0 : 1));
  if (zeroTrue) raw[truth] = 0;
  const total = raw.reduce((a, b) => a + b, 0);
  const t = raw.map((x) => Math.floor((x / total) * 1000));
  t[favour === truth && zeroTrue ? (favour + 1) % k : favour] += 1000 - t.reduce((a, b) => a + b, 0);
  return t;
}

interface Rows {
  header: string[];
  rows: (string | number | null)[][];
}

/** Labels (a few NA), models p_ (probabilities, many ties), q_ (a zero on the true class once), z_ (logits with 7 decimals), a weight. */
function table(labels: string[]): Rows {
  const next = rng(13);
  const k = labels.length;
  const header = ['label', ...labels.map((c) => `p_${c}`), ...labels.map((c) => `q_${c}`), ...labels.map((c) => `z_${c}`), 'w'];
  const rows: (string | number | null)[][] = [];
  for (let i = 0; i < 3000; i++) {
    const y = Math.floor(next() * k);
    const guess = next() < 0.6 ? y : Math.floor(next() * k);
    const p = thousandths(next, k, guess, y).map((x) => x / 1000);
    const q = thousandths(next, k, guess, y, i === 17).map((x) => x / 1000);
    const z = labels.map((_, c) => Math.round(((c === guess ? 1.5 : 0) + (next() - 0.5) * 4) * 1e7) / 1e7);
    let lab: string | null = labels[y];
    if (i % 211 === 3) lab = null;
    const w: number = i % 151 === 13 ? -1 : Math.round(next() * 3 * 1e3) / 1e3;
    const row: (string | number | null)[] = [lab, ...p, ...q, ...z, w];
    if (i % 97 === 5) row[1 + Math.floor(next() * 3 * k)] = null;
    rows.push(row);
  }
  return { header, rows };
}

const csvOf = (t: Rows) => [t.header.join(','), ...t.rows.map((r) => r.map((x) => (x === null ? '' : String(x))).join(','))].join('\n') + '\n';
const jsonlOf = (t: Rows) => t.rows.map((r) => JSON.stringify(Object.fromEntries(t.header.map((h, j) => [h, r[j]])))).join('\n') + '\n';

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
  if (want === null) return assert.equal(got, null, `${what}: the CLI's null`);
  const g = Number(got);
  assert.ok(Math.abs(g - want) <= 1e-12 * Math.max(Math.abs(want), 1e-300), `${what}: DuckDB ${g}, the CLI ${want}`);
}

async function report(file: string, weighted: boolean, labelSmoothing: number, gamma: number, predictions?: string[]): Promise<MulticlassReport> {
  const src = openFileSource(file);
  try {
    const r = await analyzeFile(src, {
      ...opts({ columns: { target: 'label', ...(predictions ? { predictions } : {}), ...(weighted ? { weight: 'w' } : {}) } }),
      task: 'multiclass',
      classification: { scores: 'auto', labelSmoothing, binary: { gamma, threshold: 0.5, alpha: 0.25 } },
    });
    assert.ok('task' in r && r.task === 'multiclass', 'a multiclass report');
    return r;
  } finally {
    src.close();
  }
}

/**
 * Every metric of every model of `r`, from DuckDB running the statement over `file`. With
 * `tiedLogits`, a logit model's ROC AUC and average precision only to 1e-5: they rank softmax
 * probabilities that each engine computes with its own exp and ln, so where two rows' logits give
 * probabilities equal in one and one ulp apart in the other, that tie differs (README, SQL).
 */
async function check(r: MulticlassReport, file: string, format: FileFormat, what: string, tiedLogits = false): Promise<void> {
  const rows = await duck(multiclassSql('duckdb', { file: { path: file, format } }, r));
  assert.equal(rows.length, r.models.length, `${what}: one row per model`);
  for (const m of r.models) {
    const row = rows.find((x) => x.model === m.prediction) as Record<string, unknown>;
    assert.ok(row, `${what}: a row for ${m.prediction}`);
    assert.equal(Number(row.n), r.rows.used, `${what} ${m.prediction}: n is the rows used`);
    for (const [key, v] of Object.entries(m.metrics)) {
      if (tiedLogits && m.scores === 'logits' && (key === 'rocAuc' || key === 'averagePrecision') && v !== null) {
        assert.ok(Math.abs(Number(row[key]) - v) <= 1e-5, `${what} ${m.prediction} ${key}: DuckDB ${String(row[key])}, the CLI ${v}`);
      } else near(row[key], v, `${what} ${m.prediction} ${key}`);
    }
  }
}

for (const weighted of [false, true]) {
  test(`the DuckDB multiclass statement gives the CLI's metrics on CSV, JSON Lines and Parquet${weighted ? ', weighted' : ''} (#13, #14 item 6)`, async () => {
    const t = table(CLASSES);
    const csv = path.join(dir, 'mc.csv');
    fs.writeFileSync(csv, csvOf(t));
    const jsonl = path.join(dir, 'mc.jsonl');
    fs.writeFileSync(jsonl, jsonlOf(t));
    const parquet = path.join(dir, 'mc.parquet');
    const typed = t.header.map((h) => (h === 'label' ? h : `TRY_CAST(${h} AS DOUBLE) AS ${h}`)).join(', ');
    await duck(`COPY (SELECT ${typed} FROM read_csv('${csv}', all_varchar = true)) TO '${parquet}' (FORMAT parquet, ROW_GROUP_SIZE 1000)`);
    for (const [E, gamma] of [[0, 2], [0.1, 1.5]]) {
      for (const [file, format] of [[csv, 'csv'], [jsonl, 'jsonl'], [parquet, 'parquet']] as const) {
        const r = await report(file, weighted, E, gamma);
        assert.deepEqual(r.models.map((m) => m.scores), ['probabilities', 'probabilities', 'logits'], `${format}: the score kinds`);
        assert.equal(r.models[1].metrics.crossEntropy, null, 'q gives 0 to a true class once: cross-entropy is null');
        assert.equal(r.models[0].metrics.crossEntropy === null, E > 0, 'p has zeros on other classes: null only with label smoothing');
        await check(r, file, format, `${format} E=${E}`);
      }
    }
  });
}

test('the DuckDB multiclass statement: integer labels ("2" and "2.0" are one class) and JSON score arrays', async () => {
  const next = rng(5);
  const records: string[] = [];
  const csvLines = ['label,p0,p1,p2'];
  for (let i = 0; i < 2000; i++) {
    const y = Math.floor(next() * 3);
    const p = thousandths(next, 3, next() < 0.7 ? y : Math.floor(next() * 3), y).map((x) => x / 1000);
    const label = i % 7 === 0 ? `${y}.0` : String(y);
    records.push(JSON.stringify({ label: y, probs: p, logits: p.map((x) => Math.round(Math.log(x + 0.01) * 100) / 100) }));
    csvLines.push(`${label},${p.join(',')}`);
  }
  const jsonl = path.join(dir, 'arrays.jsonl');
  fs.writeFileSync(jsonl, records.join('\n') + '\n');
  const r = await report(jsonl, false, 0, 2);
  assert.deepEqual(r.models.map((m) => m.array), ['probs', 'logits']);
  await check(r, jsonl, 'jsonl', 'arrays', true);
  const csv = path.join(dir, 'ints.csv');
  fs.writeFileSync(csv, csvLines.join('\n') + '\n');
  const ri = await report(csv, false, 0, 2);
  assert.deepEqual(ri.classes, ['0', '1', '2']);
  await check(ri, csv, 'csv', 'integer labels');
});

test('every dialect names every multiclass metric key once and quotes names', async () => {
  const file = path.join(dir, 'dialects.csv');
  fs.writeFileSync(file, csvOf(table(CLASSES)));
  const r = await report(file, true, 0.1, 2);
  for (const d of SQL_DIALECTS) {
    const sql = multiclassSql(d, { table: 'preds' }, r);
    assert.equal(sql.split('\nUNION ALL\n').length, 3, `${d}: three models`);
    // The final SELECT of each model (the first is after the CTEs).
    const selects = sql.split('\nUNION ALL\n').map((s) => s.slice(s.lastIndexOf('SELECT\n  ')));
    for (const key of ['model', 'n', ...Object.keys(r.models[0].metrics)]) {
      const once = selects.every((s) => (s.match(new RegExp(`AS [\`"]?${key}[\`"]?(,|\\n|$)|^  ${key},$`, 'gm')) ?? []).length === 1);
      assert.ok(once, `${d}: ${key} once a model`);
    }
    assert.equal(/\bfsum\b/.test(sql), d === 'duckdb', `${d}: compensated sums only in DuckDB`);
    if (d !== 'duckdb') assert.throws(() => multiclassSql(d, { file: { path: file, format: 'csv' } }, r), /reads a table/);
  }
  assert.ok(multiclassSql('spark', { table: 'preds' }, r).includes('`p_ant`'));
  assert.ok(multiclassSql('postgres', { table: 'preds' }, r).includes('"p_ant"'));
});
