/**
 * Files as common writers write them with their default settings (issue #14 item 4): pandas
 * `to_json` in every orient, numpy `savetxt` (its `# ` header, its space delimiter), JSON Lines
 * under a `.json` name, Python's `json.dump` with bare NaN / Infinity. The fixtures and the
 * metrics pandas / scikit-learn give are written by scripts/dev/writer-fixtures.py.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeFile } from '../../src/engine/analyze';
import { inspectFile } from '../../src/engine/inspect';
import { memorySource, openFileSource } from '../../src/engine/source';
import { LossInspectorError } from '../../src/core/errors';
import type { Report } from '../../src/core/tasks/regression/report';
import { repoRoot } from '../helpers/paths';
import { opts } from '../helpers/run';

const dir = path.join(repoRoot, 'test', 'fixtures', 'writers');

interface Expected {
  n: number;
  mae: number;
  mse: number;
  skipped: Record<string, number>;
  skippedLines?: number[];
  worstLine?: number;
}
const expected = JSON.parse(fs.readFileSync(path.join(dir, 'expected.json'), 'utf8')) as Record<string, Expected>;

async function run(name: string, chunkSize?: number, names?: [string, string]): Promise<Report> {
  const src = openFileSource(path.join(dir, name), name);
  const columns = names ? { target: names[0], predictions: [names[1]] } : undefined;
  try {
    return (await analyzeFile(src, opts({ task: 'regression', chunkSize, columns }))) as Report;
  } finally {
    src.close();
  }
}

function close(actual: number | null, want: number, what: string): void {
  assert.ok(actual !== null && Math.abs(actual - want) <= 1e-12 * Math.max(1, Math.abs(want)), `${what}: ${actual} ≠ ${want}`);
}

async function check(name: string, names: [string, string] = ['y_true', 'y_pred']): Promise<Report> {
  const want = expected[name];
  assert.ok(want, `no expected metrics for ${name}`);
  // The default buffer, and a tiny one: every record boundary falls across two reads.
  let first: Report | undefined;
  for (const chunk of [undefined, 7]) {
    const r = await run(name, chunk, names[0] === 'y_true' ? undefined : names);
    assert.equal(r.target, names[0], name);
    assert.deepEqual(r.models.map((m) => m.prediction), [names[1]], name);
    assert.equal(r.rows.used, want.n, `${name}: rows used`);
    close(r.models[0].metrics.mae, want.mae, `${name}: MAE`);
    close(r.models[0].metrics.mse, want.mse, `${name}: MSE`);
    assert.deepEqual(r.rows.skippedByReason, want.skipped, `${name}: skip reasons`);
    if (want.skippedLines) {
      const lines = Object.values(r.rows.firstSkippedLines).flat().sort((a, b) => a - b);
      assert.deepEqual(lines, want.skippedLines, `${name}: skipped lines`);
    }
    if (want.worstLine !== undefined) assert.equal(r.models[0].worst[0].line, want.worstLine, `${name}: line of the worst row`);
    if (first) assert.deepEqual(r.models[0].metrics, first.models[0].metrics, `${name}: the same with a 7-byte buffer`);
    first = r;
  }
  return first as Report;
}

function refuses(name: string, text: string, pattern: RegExp): void {
  assert.throws(
    () => inspectFile(memorySource(new TextEncoder().encode(text), name)),
    (e: unknown) => e instanceof LossInspectorError && pattern.test(e.message),
    name,
  );
}

test('pandas to_json: the default orient (columns) and split, index, table, records', async () => {
  for (const orient of ['columns', 'split', 'index', 'table', 'records']) {
    await check(`pandas-${orient}.json`);
    await check(`pandas-${orient === 'records' ? 'index' : orient}-indent.json`);
  }
});

test("pandas to_json(orient='values') has no column names: a sentence that suggests records", () => {
  refuses('pandas-values.json', fs.readFileSync(path.join(dir, 'pandas-values.json'), 'utf8'), /array of arrays.*orient='values'.*orient='records'/);
});

test('numpy savetxt: its "# " header, comma- or space-delimited, with leading spaces, without a header', async () => {
  await check('numpy-header.csv');
  await check('numpy-space.txt');
  await check('numpy-space-noheader.dat', ['col1', 'col2']);
  await check('numpy-fixed.txt');
});

test('comment lines above a header are skipped', async () => {
  await check('comment-lines.csv');
});

test('JSON Lines under a .json name is read as JSON Lines, and the report says so', async () => {
  const r = await check('pandas-lines.json');
  assert.equal(r.format, 'jsonl');
  assert.ok(r.warnings.some((w) => /JSON Lines/.test(w) && /\.json/.test(w)), r.warnings.join(' | '));
});

test("Python's json.dump: bare NaN, Infinity and -Infinity are skipped rows (na / infinite)", async () => {
  await check('python-nan.json');
  await check('python-nan.jsonl');
  await check('python-nan-columns.json');
});

test('every refused JSON shape gets a sentence that names it and what is read', () => {
  refuses('a.json', '[[1,2],[3,4]]', /array of arrays/);
  refuses('a.json', '{"columns":["y_true","y_pred"],"data":[{"y_true":1}]}', /orient='split'/);
  refuses('a.json', '{"schema":{"fields":[]},"data":[[1,2]]}', /orient='table'/);
  refuses('a.json', '{"y_true":1,"y_pred":2}', /without any array-valued/);
  refuses('a.json', '{"a":{"b":{"c":1}},"d":{"e":{"f":2}}}', /object of objects/);
});

test('whitespace detection leaves one-column and comma files alone', () => {
  const one = inspectFile(memorySource(new TextEncoder().encode('name\nhello world\nfoo bar baz\n'), 'a.csv'));
  assert.equal(one.dialect?.spaces, undefined);
  const comma = inspectFile(memorySource(new TextEncoder().encode('a b,c d\n1,2\n'), 'a.csv'));
  assert.deepEqual(comma.columns, ['a b', 'c d']);
  const sp = inspectFile(memorySource(new TextEncoder().encode('  y_true   y_pred  \n  1   2 \n3 4\n'), 'a.txt'));
  assert.deepEqual(sp.columns, ['y_true', 'y_pred']);
  assert.equal(sp.dialect?.spaces, true);
});
