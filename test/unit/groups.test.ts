import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyze } from '../../src/engine/analyze';
import { openFileSource } from '../../src/engine/source';
import { fsum } from '../../src/core/exactSum';
import { huber, logCosh, smoothL1 } from '../../src/core/tasks/regression/losses';
import { Report } from '../../src/core/tasks/regression/report';
import { textReport } from '../../src/core/format';
import { workerBundle } from '../helpers/bundle';
import { analyzeText, opts, rng } from '../helpers/run';

const worker = workerBundle();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'li-groups-'));
process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));

interface Row {
  g: string;
  t: number;
  p: number;
  w?: number;
}

/** The reference: each group's metrics from the rows of that group, with math.fsum-exact sums. */
function expectGroups(rows: Row[], beta = 1, delta = 1) {
  const by = new Map<string, Row[]>();
  for (const r of rows) {
    const list = by.get(r.g);
    if (list) list.push(r);
    else by.set(r.g, [r]);
  }
  const out = new Map<string, Record<string, number | null>>();
  for (const [g, rs] of by) {
    const w = rs.map((r) => r.w ?? 1);
    const W = fsum(w);
    const d = rs.map((r) => r.p - r.t);
    const mean = (f: (x: number, i: number) => number) => fsum(d.map((x, i) => w[i] * f(x, i))) / W;
    const tMean = fsum(rs.map((r, i) => w[i] * r.t)) / W;
    const ss = fsum(rs.map((r, i) => w[i] * (r.t - tMean) ** 2));
    out.set(g, {
      rows: rs.length,
      mae: mean((x) => Math.abs(x)),
      mse: mean((x) => x * x),
      smoothL1: mean((x) => smoothL1(x, beta)),
      huber: mean((x) => huber(x, delta)),
      logCosh: mean((x) => logCosh(x)),
      meanError: mean((x) => x),
      maxError: Math.max(...d.map(Math.abs)),
      r2: ss > 0 ? 1 - fsum(d.map((x, i) => w[i] * x * x)) / ss : null,
    });
  }
  return out;
}

function assertGroupsMatch(report: Report, rows: Row[], what: string) {
  const want = expectGroups(rows);
  const got = report.groups;
  assert.ok(got, `${what}: groups are reported`);
  assert.equal(got.distinct, want.size, `${what}: number of groups`);
  for (const g of got.groups) {
    const e = want.get(g.value);
    assert.ok(e, `${what}: unexpected group ${JSON.stringify(g.value)}`);
    assert.equal(g.rows, e.rows, `${what}: rows of ${g.value}`);
    const m = g.metrics[0];
    for (const k of ['mae', 'mse', 'smoothL1', 'huber', 'logCosh', 'meanError', 'maxError'] as const) {
      const x = e[k] as number;
      assert.ok(Math.abs((m[k] as number) - x) <= 4e-16 * Math.max(1, Math.abs(x)), `${what}: ${k} of ${g.value}: ${m[k]} vs ${x}`);
    }
    if (e.r2 === null) assert.equal(m.r2, null);
    else assert.ok(Math.abs((m.r2 as number) - e.r2) < 1e-12, `${what}: R² of ${g.value}: ${m.r2} vs ${e.r2}`);
    assert.equal(m.medianAE, null, 'no per-group median');
  }
}

const small: Row[] = [
  { g: 'north', t: 1, p: 1.5 },
  { g: 'south', t: 2, p: 2 },
  { g: 'north', t: 3, p: 2 },
  { g: '', t: 4, p: 5 },
  { g: 'so"uth, 2', t: 1, p: 0 },
  { g: 'south', t: 10, p: 7.25 },
  { g: 'north', t: -2, p: 0.1 },
];

test('per-group metrics of a CSV equal the metrics of each group computed on its own', async () => {
  const csv =
    'region,y_true,y_pred\n' +
    small.map((r, i) => `${/[",]/.test(r.g) || i === 2 ? `"${r.g.replace(/"/g, '""')}"` : r.g},${r.t},${r.p}`).join('\n') +
    '\neast,5,not a number\n';
  const r = await analyzeText('g.csv', csv, { columns: { groupBy: 'region' } });
  assertGroupsMatch(r, small, 'csv');
  assert.deepEqual(
    r.groups?.groups.map((g) => [g.value, g.rows]),
    [
      ['north', 3],
      ['south', 2],
      ['', 1],
      ['so"uth, 2', 1],
    ],
    'most rows first, then by value; a quoted "north" is the same group as north; the skipped row counts nowhere',
  );
  assert.equal(r.rows.skipped, 1);
  // The whole-file numbers do not change when grouping.
  const plain = await analyzeText('g.csv', csv);
  assert.deepEqual(r.models, plain.models);
  assert.equal(plain.groups, null);
  const text = textReport(r);
  assert.match(text, /groups by "region" \(4 values, most rows first\):/);
  assert.match(text, /\(empty\)\s+1/);
});

test('JSON records, JSON Lines and an object of arrays give the same groups as the CSV', async () => {
  const recs = small.map((r) => ({ y_true: r.t, region: r.g, y_pred: r.p }));
  // An escaped name is the same group as the plain one.
  const json = JSON.stringify(recs).replace('"north"', '"\\u006eorth"');
  const jsonl = recs.map((r) => JSON.stringify(r)).join('\n') + '\n';
  const cols = JSON.stringify({ y_true: recs.map((r) => r.y_true), region: recs.map((r) => r.region), y_pred: recs.map((r) => r.y_pred) });
  for (const [name, text] of [
    ['g.json', json],
    ['g.jsonl', jsonl],
    ['c.json', cols],
  ]) {
    const r = await analyzeText(name, text, { columns: { groupBy: 'region' } });
    assertGroupsMatch(r, small, name);
  }
});

test('JSON group values: numbers and literals as written, a missing key is the empty group', async () => {
  const text = '{"y":1,"yhat":2,"fold":1}\n{"y":1,"yhat":3,"fold":"1"}\n{"y":2,"yhat":2,"fold":true}\n{"y":2,"yhat":2}\n{"y":5,"yhat":2,"fold":null}\n';
  const r = await analyzeText('f.jsonl', text, { columns: { groupBy: 'fold' } });
  assert.deepEqual(
    r.groups?.groups.map((g) => [g.value, g.rows, g.metrics[0].mae]),
    [
      ['1', 2, 1.5],
      ['', 1, 0],
      ['null', 1, 3],
      ['true', 1, 0],
    ],
  );
});

test('weighted groups: weighted means per group', async () => {
  const rows: Row[] = small.map((r, i) => ({ ...r, w: (i % 3) + 0.5 }));
  const csv = 'region,y_true,y_pred,w\n' + rows.map((r) => `"${r.g.replace(/"/g, '""')}",${r.t},${r.p},${r.w}`).join('\n') + '\n';
  const r = await analyzeText('w.csv', csv, { columns: { groupBy: 'region', weight: 'w' } });
  assertGroupsMatch(r, rows, 'weighted');
  for (const g of r.groups?.groups ?? []) {
    assert.equal(g.weight, fsum(rows.filter((x) => x.g === g.value).map((x) => x.w as number)));
  }
});

test('a column with more than 1000 distinct values gives no groups and says why', async () => {
  const csv = 'id,y_true,y_pred\n' + Array.from({ length: 1500 }, (_, i) => `${i},${i},${i + 1}`).join('\n') + '\n';
  const r = await analyzeText('ids.csv', csv, { columns: { groupBy: 'id' } });
  assert.equal(r.groups?.distinct, null);
  assert.deepEqual(r.groups?.groups, []);
  assert.ok(r.warnings.some((w) => w.includes('"id" has more than 1000 distinct values')), r.warnings.join('; '));
  assert.equal(r.rows.used, 1500, 'the rest of the report is unaffected');
  // Exactly 1000 values are still groups.
  const ok = 'id,y_true,y_pred\n' + Array.from({ length: 3000 }, (_, i) => `${i % 1000},${i},${i + 1}`).join('\n') + '\n';
  assert.equal((await analyzeText('ok.csv', ok, { columns: { groupBy: 'id' } })).groups?.distinct, 1000);
});

test('group-by mistakes are sentences naming the column', async () => {
  const csv = 'region,y_true,y_pred\nn,1,2\n';
  await assert.rejects(analyzeText('g.csv', csv, { columns: { groupBy: 'y_true' } }), /"y_true" cannot be both the group-by column and the target/);
  await assert.rejects(analyzeText('g.csv', csv, { columns: { groupBy: 'regoin' } }), /The group-by column "regoin" is not in 'g.csv'\. Its columns are: "region", "y_true", "y_pred"/);
  await assert.rejects(
    analyzeText('g.json', '{"y_true":[1],"y_pred":[2],"region":["a","b"]}', { columns: { groupBy: 'region' } }),
    /arrays "y_true" \(1 value\) and "region" \(2 values\) differ in length/,
  );
});

test('a ragged CSV row without the group field is in the empty group', async () => {
  const r = await analyzeText('r.csv', 'y_true,y_pred,region\n1,2,a\n1,3\n', { columns: { groupBy: 'region' } });
  assert.deepEqual(
    r.groups?.groups.map((g) => [g.value, g.rows]),
    [
      ['', 1],
      ['a', 1],
    ],
  );
});

test('groups are identical to the last bit with 1, 2 and 4 threads and any read-buffer size', async () => {
  const next = rng(21);
  const regions = ['north', 'south', 'east', 'west', 'centre, old', 'a "quoted" one'];
  const rows: Row[] = [];
  for (let i = 0; i < 100_000; i++) {
    const t = (next() - 0.3) * 10 ** Math.floor(next() * 8);
    rows.push({ g: regions[Math.floor(next() * next() * regions.length)], t, p: t + (next() - 0.5) * 3 * (1 + Math.abs(t) * 1e-3) });
  }
  const csvFile = path.join(dir, 'g.csv');
  fs.writeFileSync(csvFile, 'id,y_true,y_pred,region,note\n' + rows.map((r, i) => `${i},${r.t},${r.p},"${r.g.replace(/"/g, '""')}",n${i}`).join('\n') + '\n');
  const jsonlFile = path.join(dir, 'g.jsonl');
  fs.writeFileSync(jsonlFile, rows.map((r, i) => JSON.stringify({ id: i, y_true: r.t, y_pred: r.p, region: r.g })).join('\n') + '\n');
  for (const file of [csvFile, jsonlFile]) {
    assert.ok(fs.statSync(file).size > 4 << 20, 'big enough for 4 ranges');
    const run = async (threads: number, chunkSize?: number) => {
      const src = openFileSource(file);
      try {
        return await analyze(src, opts({ threads, parallelThreshold: 0, chunkSize, ...worker, columns: { groupBy: 'region' } }));
      } finally {
        src.close();
      }
    };
    const one = await run(1);
    assertGroupsMatch(one, rows, path.basename(file));
    for (const [threads, chunk] of [[2, undefined], [4, undefined], [4, 4096]] as const) {
      assert.deepEqual((await run(threads, chunk)).groups, one.groups, `${path.basename(file)}: ${threads} threads, chunk ${chunk ?? 'default'}`);
    }
  }
});

test('Copy as Markdown adds the MAE per group, with hostile values escaped', async () => {
  const { markdownSummary } = await import('../../src/core/format');
  const csv = 'region,y_true,y_pred\nnorth,1,2\n"a|b <i>",1,1.5\nnorth,3,3\n';
  const md = markdownSummary(await analyzeText('g.csv', csv, { columns: { groupBy: 'region' } }));
  assert.match(md, /\| region \| rows \| MAE y\\_pred \|/);
  assert.match(md, /\| north \| 2 \| 0\.5 \|/);
  assert.match(md, /\| a\\\|b \\<i\\> \| 1 \| 0\.5 \|/);
  const plain = markdownSummary(await analyzeText('g.csv', csv));
  assert.doesNotMatch(plain, /\| rows \|/);
});

test('the Σ(target − mean)² overflow warning is kept when a group-by column is set (issue #12, point 8)', async () => {
  const text = 'y_true,y_pred,g\n1e300,1e300,a\n-1e300,-1e300,b\n1e300,1e300,a\n';
  const overflow = /overflows double precision, so R² is reported as null/;
  const plain = await analyzeText('o.csv', text);
  assert.ok(plain.warnings.some((w) => overflow.test(w)), plain.warnings.join(' | '));
  const grouped = await analyzeText('o.csv', text, { columns: { groupBy: 'g' } });
  assert.equal(grouped.models[0].metrics.r2, null);
  assert.ok(grouped.warnings.some((w) => overflow.test(w)), grouped.warnings.join(' | '));
});

test('group labels longer than V8 hashes (16,383 characters) are keyed by all their characters (#19 item 7)', async () => {
  const { LabelMap } = await import('../../src/core/groups');
  // Equal length, differing only at the end: V8's own string hash sees only the length, so a
  // Map of 1000 of them compared each new label with all the others (95 KB each: seconds).
  const labels = Array.from({ length: 1000 }, (_, i) => 'x'.repeat(20000) + String(i).padStart(4, '0'));
  assert.equal(new Set(labels.map((l) => LabelMap.hash(l))).size, 1000);
  const m = new LabelMap<number>();
  labels.forEach((l, i) => m.set(l, i));
  m.set(labels[3], 33);
  assert.equal(m.size, 1000);
  assert.equal(m.get(labels[3]), 33);
  assert.equal(m.get(labels[999]), 999);
  assert.equal(m.get('x'.repeat(20004)), undefined);
  assert.deepEqual([...m.entries()].slice(2, 5).map(([l, v]) => [l.slice(-4), v]), [['0002', 2], ['0003', 33], ['0004', 4]]); // first-insertion order
  const { analyzeText } = await import('../helpers/run');
  const long = (i: number) => 'g'.repeat(17000) + i;
  const rows = Array.from({ length: 40 }, (_, i) => `${i},${i + (i % 4)},${long(i % 8)}`);
  const r = await analyzeText('long.csv', `y_true,y_pred,g\n${rows.join('\n')}\n`, { columns: { groupBy: 'g' } });
  assert.equal(r.groups?.distinct, 8);
  const g3 = r.groups?.groups.find((g) => g.value === long(3));
  assert.equal(g3?.rows, 5);
  assert.equal(g3?.metrics[0].mae, 3); // rows 3, 11, 19, 27, 35: |d| = i % 4 = 3
});
