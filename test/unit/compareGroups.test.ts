/**
 * `compare --group-by COL` (#15): every model's metrics per value of the first file's group-by
 * column, on the joined rows — by hand on a small file, and equal to the one-file report of a
 * file holding both models' columns (regression, binary, multiclass; by row order and by key,
 * where a key join reads the group column in a pass of its own), the setting's optional column,
 * and the CLI.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareFiles } from '../../src/engine/compare';
import { analyzeFile } from '../../src/engine/analyze';
import { fails, OPTS, src } from '../helpers/compare';
import { compareRefusal } from '../../src/cli/compareCli';
import { parseArgs, type CliArgs } from '../../src/cli/cli';
import type { FamilyReport } from '../../src/core/families';
import { runMain } from '../helpers/cli';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** Each group's value, rows, weight and per-model MAE (or log loss), in the report's order. */
function groupsOf(r: FamilyReport): [string, number, number, (number | null)[]][] {
  assert.ok(r.groups, 'grouped');
  return r.groups.groups.map((g) => [g.value, g.rows, g.weight, g.metrics.map((m) => ('mae' in m ? m.mae : (m as { logLoss: number }).logLoss))]);
}

test('by key, by hand: each group of the first file’s column, every model’s MAE over the group’s joined rows (the second file’s own group column ignored)', () => {
  // Rows 1–5; b lacks row 3 and has them in another order, with a group column of its own that says otherwise.
  const a = 'id,g,y,pred\n1,east,10,11\n2,west,20,18\n3,east,30,33\n4,east,40,40.5\n5,west,50,45\n';
  const b = 'id,g,y,pred\n5,x,50,49\n2,x,20,20.5\n1,y,10,10\n4,y,40,42\n';
  const r = compareFiles([src('a.csv', a), src('b.csv', b)], { ...OPTS, key: 'id', columns: { groupBy: 'g' } });
  assert.equal(r.compare.rows.joined, 4);
  assert.equal(r.groups?.column, 'g');
  // east: rows 1, 4 → a: (1 + 0.5)/2, b: (0 + 2)/2; west: rows 2, 5 → a: (2 + 5)/2, b: (0.5 + 1)/2. Equal row counts: by value.
  assert.deepEqual(groupsOf(r), [
    ['east', 2, 2, [0.75, 1]],
    ['west', 2, 2, [3.5, 0.75]],
  ]);
  // Per-group comparisons: none, as in the one-file report (comparisons are the whole file's).
  assert.ok(r.comparisons.length > 0);
});

/** A file of n rows with a group column, a target and two models; `cols` picks which models it holds. */
function regressionFile(n: number, cols: ('p' | 'q')[], order: number[] = Array.from({ length: n }, (_, i) => i), withGroup = true): string {
  const y = (i: number) => ((i * 7) % 31) + i / 16;
  const pred = { p: (i: number) => y(i) + Math.sin(i), q: (i: number) => y(i) + Math.cos(i * 3) * 2 };
  const head = ['id', ...(withGroup ? ['g'] : []), 'y', ...cols.map((c) => `pred_${c}`)];
  const rows = order.map((i) => [`k${i}`, ...(withGroup ? [['north', 'south', '', 'east'][(i * 5) % 4]] : []), y(i), ...cols.map((c) => pred[c](i))].join(','));
  return head.join(',') + '\n' + rows.join('\n') + '\n';
}

test('regression by row order: the groups equal the one-file report’s of a file with both models’ columns, bit for bit', async () => {
  const n = 400;
  const r = compareFiles([src('a.csv', regressionFile(n, ['p'])), src('b.csv', regressionFile(n, ['q'], undefined, false))], { ...OPTS, columns: { groupBy: 'g' } });
  const one = await analyzeFile(src('both.csv', regressionFile(n, ['p', 'q'])), { ...OPTS, columns: { groupBy: 'g', predictions: ['pred_p', 'pred_q'] } });
  assert.ok(r.groups && one.groups);
  assert.equal(r.groups.groups.length, 4, 'north, south, east and the empty value');
  assert.deepEqual(r.groups, one.groups);
});

test('regression by key, the second file in another order: the groups equal the one-file report’s (the group column read in a pass of its own)', async () => {
  const n = 300;
  const shuffled = Array.from({ length: n }, (_, i) => (i * 7) % n);
  const a = regressionFile(n, ['p']);
  const r = compareFiles([src('a.csv', a), src('b.csv', regressionFile(n, ['q'], shuffled, false))], { ...OPTS, key: 'id', columns: { groupBy: 'g' } });
  // The joined rows come in b's order: the one-file reference holds them in that order.
  const one = await analyzeFile(src('both.csv', regressionFile(n, ['p', 'q'], shuffled)), { ...OPTS, columns: { groupBy: 'g', predictions: ['pred_p', 'pred_q'] } });
  assert.ok(r.groups && one.groups);
  assert.deepEqual(
    r.groups.groups.map((g) => [g.value, g.rows, g.weight]),
    one.groups.groups.map((g) => [g.value, g.rows, g.weight]),
  );
  r.groups.groups.forEach((g, i) => {
    g.metrics.forEach((m, k) => {
      const o = one.groups?.groups[i].metrics[k];
      assert.ok(o);
      for (const [name, v] of Object.entries(m) as [string, number | null][]) {
        const w: number | null = (o as unknown as Record<string, number | null>)[name];
        if (v === null || w === null) assert.equal(v, w, name);
        else assert.ok(Math.abs(v - w) <= 1e-12 * Math.max(1, Math.abs(w)), `${g.value} model ${k} ${name}: ${v} vs ${w}`);
      }
    });
  });
});

test('key join with a group-by: records the readers skip, JSON records on one line and ragged rows keep each row’s own group', () => {
  // Line 3's target is not a number (skipped), line 4 lacks the prediction (ragged): the groups stay in step.
  const a = 'id,g,y,pred\n1,u,1,2\n2,v,x,2\n3,v,3\n4,w,4,6\n5,u,5,5\n';
  const b = 'id,y,pred\n5,5,6\n4,4,4\n1,1,1\n';
  const r = compareFiles([src('a.csv', a), src('b.csv', b)], { ...OPTS, key: 'id', columns: { groupBy: 'g' } });
  assert.deepEqual(r.compare.rows.files[0].unusable.count, 2);
  assert.deepEqual(groupsOf(r), [
    ['u', 2, 2, [0.5, 0.5]],
    ['w', 1, 1, [2, 0]],
  ]);
  const ja = '[{"id":1,"g":"u","y":1,"pred":2},{"id":2,"g":"v","y":"x","pred":2},{"id":4,"g":"w","y":4,"pred":6},{"id":5,"g":"u","y":5,"pred":5}]';
  const rj = compareFiles([src('a.json', ja), src('b.csv', b)], { ...OPTS, key: 'id', columns: { groupBy: 'g' } });
  assert.deepEqual(groupsOf(rj), groupsOf(r));
  const jc = '{"id":{"0":1,"1":2,"2":4,"3":5},"g":{"0":"u","1":"v","2":"w","3":"u"},"y":{"0":1,"1":"x","2":4,"3":5},"pred":{"0":2,"1":2,"2":6,"3":5}}';
  const rc = compareFiles([src('a.json', jc), src('b.csv', b)], { ...OPTS, key: 'id', columns: { groupBy: 'g' } });
  assert.deepEqual(groupsOf(rc), groupsOf(r));
});

test('the group-by column is the first file’s: a sentence naming it when it lacks the column; from the setting (optional), no groups', () => {
  const a = 'id,y,pred\n1,1,2\n2,2,2\n';
  const b = 'id,g,y,pred\n1,u,1,1\n2,u,2,3\n';
  fails(() => compareFiles([src('a.csv', a), src('b.csv', b)], { ...OPTS, columns: { groupBy: 'g' } }), /The group-by column "g" is not in 'a\.csv'/, 'unknownColumn');
  const r = compareFiles([src('a.csv', a), src('b.csv', b)], { ...OPTS, key: 'id', columns: { groupBy: 'g', groupByOptional: true } });
  assert.equal(r.groups, null);
  assert.equal(r.compare.rows.joined, 2);
});

const label = (i: number) => ((i * 5) % 7 < 3 ? 1 : 0);
const score = (i: number, seed: number) => (0.5 + 0.45 * Math.sin(i * 1.7 + seed * 2.3)).toFixed(4);
const team = (i: number) => ['red', 'blue', 'green'][(i * 3) % 5 % 3];

test('binary classifiers by key: the groups equal the one-file report’s of a file with both models’ columns', async () => {
  const n = 150;
  const order = Array.from({ length: n }, (_, i) => (i * 11) % n);
  const a = 'id,team,y,prob\n' + Array.from({ length: n }, (_, i) => `${i},${team(i)},${label(i)},${score(i, 1)}`).join('\n') + '\n';
  const b = 'id,y,prob\n' + order.map((i) => `${i},${label(i)},${score(i, 2)}`).join('\n') + '\n';
  const r = compareFiles([src('a.csv', a), src('b.csv', b)], { ...OPTS, key: 'id', columns: { groupBy: 'team' } });
  assert.ok('task' in r && r.task === 'binary');
  const both = 'team,y,a.csv:prob,b.csv:prob\n' + order.map((i) => `${team(i)},${label(i)},${score(i, 1)},${score(i, 2)}`).join('\n') + '\n';
  const one = await analyzeFile(src('both.csv', both), { ...OPTS, columns: { target: 'y', predictions: ['a.csv:prob', 'b.csv:prob'], groupBy: 'team' } });
  assert.ok('task' in one && one.task === 'binary');
  assert.equal(r.groups?.groups.length, 3);
  assert.deepEqual(r.groups, one.groups);
});

test('multiclass by row order: the groups equal the one-file report’s', async () => {
  const classes = ['cat', 'dog', 'bird'];
  const probs = (i: number, seed: number) => {
    const raw = classes.map((_, c) => 1 + Math.sin(i * 1.3 + c * 2.1 + seed));
    const t = raw.reduce((x, y) => x + y, 0);
    return raw.map((x) => (x / t).toFixed(4));
  };
  const n = 90;
  const lab = (i: number) => classes[(i * 5) % 3];
  const a = 'team,y,a_cat,a_dog,a_bird\n' + Array.from({ length: n }, (_, i) => `${team(i)},${lab(i)},${probs(i, 1).join(',')}`).join('\n') + '\n';
  const b = 'y,b_cat,b_dog,b_bird\n' + Array.from({ length: n }, (_, i) => `${lab(i)},${probs(i, 2).join(',')}`).join('\n') + '\n';
  const r = compareFiles([src('a.csv', a), src('b.csv', b)], { ...OPTS, task: 'multiclass', columns: { groupBy: 'team' } });
  assert.ok('task' in r && r.task === 'multiclass');
  const both = 'team,y,a_cat,a_dog,a_bird,b_cat,b_dog,b_bird\n' + Array.from({ length: n }, (_, i) => `${team(i)},${lab(i)},${probs(i, 1).join(',')},${probs(i, 2).join(',')}`).join('\n') + '\n';
  const one = await analyzeFile(src('both.csv', both), { ...OPTS, task: 'multiclass', columns: { groupBy: 'team' } });
  assert.ok('task' in one && one.task === 'multiclass' && r.groups && one.groups);
  assert.equal(r.groups.groups.length, 3);
  // The models' names differ (a.csv:a_ and a_): the numbers are the same.
  assert.deepEqual(r.groups, one.groups);
});

test('the CLI: compare --group-by is taken, --json has the groups and the text their table', async () => {
  assert.equal(compareRefusal(parseArgs(['a.csv', 'b.csv', '--group-by', 'g']) as CliArgs), undefined);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'li-cmpgroups-'));
  try {
    fs.writeFileSync(path.join(dir, 'a.csv'), 'id,g,y,pred\n1,east,10,11\n2,west,20,18\n3,east,30,33\n4,east,40,40.5\n5,west,50,45\n');
    fs.writeFileSync(path.join(dir, 'b.csv'), 'id,y,pred\n5,50,49\n2,20,20.5\n1,10,10\n4,40,42\n');
    const json = await runMain(['compare', 'a.csv', 'b.csv', '--key', 'id', '--group-by', 'g', '--json'], dir);
    assert.equal(json.code, 0, json.err);
    assert.deepEqual(groupsOf(JSON.parse(json.out) as FamilyReport), [
      ['east', 2, 2, [0.75, 1]],
      ['west', 2, 2, [3.5, 0.75]],
    ]);
    const text = await runMain(['compare', 'a.csv', 'b.csv', '--key', 'id', '--group-by', 'g'], dir);
    assert.equal(text.code, 0, text.err);
    assert.match(text.out, /east/);
    assert.match(text.out, /west/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
