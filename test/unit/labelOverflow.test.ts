/**
 * A Parquet target with more distinct values than a classifier's labels may have (MAX_GROUPS):
 * past them the reader no longer writes each number out as a label (readers/columnar.ts
 * internNumber), which must change nothing a user sees: auto detection reads it as regression,
 * and --task binary gets the CSV file's sentence.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { analyzeFile } from '../../src/engine/analyze';
import { openFileSource } from '../../src/engine/source';
import { MAX_GROUPS } from '../../src/core/groups';
import { opts } from '../helpers/run';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'li-overflow-'));
process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));

async function outcome(file: string, task: 'auto' | 'binary'): Promise<string> {
  const src = openFileSource(file);
  try {
    const r = await analyzeFile(src, { ...opts({ columns: { target: 'y', predictions: ['p'] } }), task });
    return 'task' in r ? r.task : 'regression';
  } catch (e) {
    return (e as Error).message.replace(/'[^']*'/g, "'F'").replace(/\b(line|row)s?\b/g, 'L');
  } finally {
    src.close();
  }
}

test('a Parquet target with more distinct values than labels may have: regression by default, the CSV\'s sentence for a binary classifier', async () => {
  const conn = await (await DuckDBInstance.create(':memory:')).connect();
  const csv = path.join(dir, 't.csv');
  const parquet = path.join(dir, 't.parquet');
  // Two values on the first rows, then a new value on each: past MAX_GROUPS within the first row group, over several row groups.
  await conn.run(`CREATE TABLE t AS SELECT CASE WHEN i < 3 THEN (i % 2)::DOUBLE ELSE i / 7.0 END AS y, 0.5 + (i % 3) / 10.0 AS p FROM range(0, 30000) r(i)`);
  await conn.run(`COPY t TO '${parquet}' (FORMAT parquet, ROW_GROUP_SIZE 5000)`);
  await conn.run(`COPY t TO '${csv}' (HEADER)`);
  conn.closeSync();
  assert.equal(await outcome(parquet, 'auto'), 'regression');
  const p = await outcome(parquet, 'binary');
  assert.match(p, /more than 1000 distinct values: it is not a class label/);
  assert.equal(p, await outcome(csv, 'binary'), "the Parquet file's sentence is the CSV's");
  assert.ok(MAX_GROUPS < 30000);
});
