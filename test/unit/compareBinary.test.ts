/**
 * `compare` of binary classifiers (#15 item 3): the joined report's numbers equal to the
 * one-file engine's on a file holding the joined rows, two and three files by key and by row
 * order, labels that must agree row by row ("1" and "1.0" are one class; otherwise a sentence with
 * both lines), the files' tasks, and the changed rows by log loss with their lines in their own files.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareFiles as compareAny } from '../../src/engine/compare';
import { fails, OPTS, src } from '../helpers/compare';
import { analyzeFile } from '../../src/engine/analyze';
import type { ClassCompareReport } from '../../src/core/compare/report';
import { compareTextReport } from '../../src/core/compare/text';
import type { ClassificationReport } from '../../src/core/tasks/classification/report';
import { compareRefusal } from '../../src/cli/compareCli';
import { parseArgs, type CliArgs } from '../../src/cli/cli';


function compareFiles(...a: Parameters<typeof compareAny>): ClassCompareReport {
  const r = compareAny(...a);
  assert.ok('task' in r && r.task === 'binary', 'a binary report');
  return r;
}


/** Deterministic scores in (0, 1) for row i of run `seed`. */
const score = (i: number, seed: number) => (0.5 + 0.45 * Math.sin(i * 1.7 + seed * 2.3)).toFixed(4);
const label = (i: number) => ((i * 5) % 7 < 3 ? 1 : 0);
const N = 200;

/** The one-file run of the joined rows: the same models' names, the same options. */
async function single(text: string, predictions: string[]): Promise<ClassificationReport> {
  const r = await analyzeFile(src('joined.csv', text), { ...OPTS, columns: { target: 'y', predictions } });
  assert.ok('task' in r && r.task === 'binary');
  return r;
}

test('two files by row order: the report is the one-file engine’s on the joined rows, bit for bit', async () => {
  const a = 'y,prob\n' + Array.from({ length: N }, (_, i) => `${label(i)},${score(i, 1)}`).join('\n') + '\n';
  const b = 'y,pred_gbm,pred_lin\n' + Array.from({ length: N }, (_, i) => `${label(i)},${score(i, 2)},${score(i, 3)}`).join('\n') + '\n';
  const r = compareFiles([src('a.csv', a), src('b.csv', b)], OPTS);
  assert.deepEqual(r.models.map((m) => m.prediction), ['a.csv:prob', 'b.csv:pred_gbm', 'b.csv:pred_lin']);
  assert.equal(r.compare.key, null);
  assert.equal(r.compare.rows.joined, N);
  const names = ['a.csv:prob', 'b.csv:pred_gbm', 'b.csv:pred_lin'];
  const joined = `y,${names.join(',')}\n` + Array.from({ length: N }, (_, i) => `${label(i)},${score(i, 1)},${score(i, 2)},${score(i, 3)}`).join('\n') + '\n';
  const one = await single(joined, names);
  // Same lines too: the joined file's rows are on the lines of a.csv.
  assert.deepEqual(r.models, one.models);
  assert.deepEqual(r.comparisons, one.comparisons);
  assert.deepEqual([r.classes, r.positive, r.rows, r.baseline], [one.classes, one.positive, one.rows, one.baseline]);
  assert.deepEqual(r.compare.changed.map((c) => [c.a, c.b, c.fileA, c.fileB, c.rows.length]), [
    ['a.csv:prob', 'b.csv:pred_gbm', 0, 1, 3],
    ['a.csv:prob', 'b.csv:pred_lin', 0, 1, 3],
  ]);
});

test('changed rows: the log loss of each model on the row (−log of the probability of its label), largest |change| first', () => {
  const a = 'id,y,prob\n1,1,0.9\n2,0,0.2\n3,1,0.6\n4,0,0.4\n5,1,0.3\n6,0,0.1\n';
  // Another order, a label written 1.0 (the same class), one row less in b.
  const b = 'id,y,prob\n6,0,0.3\n5,1.0,0.8\n4,0,0.7\n2,0,0.1\n1,1,0.95\n';
  const r = compareFiles([src('a.csv', a), src('b.csv', b)], { ...OPTS, key: 'id', topK: 2 });
  assert.deepEqual(r.compare.rows.files[1].missing, { count: 1, lines: [4] });
  const [m] = r.compare.changed;
  assert.deepEqual([m.a, m.b, m.fileA, m.fileB], ['a.csv:prob', 'b.csv:prob', 0, 1]);
  // id 5 (label 1): −log 0.8 + log 0.3; id 4 (label 0): −log 0.3 + log 0.6.
  assert.deepEqual(
    m.rows.map((x) => [x.key, x.lineA, x.lineB, x.label, x.a, x.b]),
    [
      ['5', 6, 3, '1', 0.3, 0.8],
      ['4', 5, 4, '0', 0.4, 0.7],
    ],
  );
  assert.ok(Math.abs(m.rows[0].lossA + Math.log(0.3)) < 1e-15 && Math.abs(m.rows[0].lossB + Math.log(0.8)) < 1e-15);
  assert.equal(m.rows[0].change, m.rows[0].lossB - m.rows[0].lossA);
  assert.ok(Math.abs(m.rows[1].change - (Math.log(0.6) - Math.log(0.3))) < 1e-15);
  const text = compareTextReport(r);
  assert.match(text, /Rows whose log loss changed most from a\.csv:prob to b\.csv:prob/);
  assert.match(text, /\n {2}line in a\.csv {2}line in b\.csv {2}id {2}label {2}a\.csv:prob {2}b\.csv:prob {2}log loss a\.csv:prob {2}log loss b\.csv:prob +change\n +6 +3 +5 +1 +0\.3 +0\.8 /);
});

test('three files by key: the report is the one-file engine’s on the joined rows (the last file’s order)', async () => {
  const ids = Array.from({ length: 60 }, (_, i) => i);
  const file = (seed: number, order: number[]) => 'key,y,score\n' + order.map((i) => `k${i},${label(i)},${score(i, seed)}`).join('\n') + '\n';
  const rev = [...ids].reverse();
  const shuffled = ids.map((i) => (i * 17) % 60);
  const r = compareFiles([src('a.csv', file(1, ids)), src('b.csv', file(2, rev)), src('c.csv', file(3, shuffled))], { ...OPTS, key: 'key' });
  const names = ['a.csv:score', 'b.csv:score', 'c.csv:score'];
  assert.deepEqual(r.models.map((m) => m.prediction), names);
  assert.equal(r.compare.rows.joined, 60);
  const joined = `y,${names.join(',')}\n` + shuffled.map((i) => `${label(i)},${score(i, 1)},${score(i, 2)},${score(i, 3)}`).join('\n') + '\n';
  const one = await single(joined, names);
  r.models.forEach((m, i) => {
    const { worst: _w, ...rest } = m;
    const { worst: _o, ...same } = one.models[i];
    assert.deepEqual(rest, same, names[i]);
  });
  assert.deepEqual(r.comparisons, one.comparisons);
  // Each line in its own file: key k i is on line i + 2 of a.csv, 61 − i of b.csv.
  for (const c of r.compare.changed) {
    for (const x of c.rows) {
      const i = Number((x.key ?? '').slice(1));
      assert.equal(x.lineA, i + 2);
      assert.equal(x.lineB, c.fileB === 1 ? 61 - i : shuffled.indexOf(i) + 2);
    }
  }
});

test('three files by row order', async () => {
  const file = (seed: number) => 'y,score\n' + Array.from({ length: 50 }, (_, i) => `${label(i) ? 'yes' : 'no'},${score(i, seed)}`).join('\n') + '\n';
  const r = compareFiles([src('a.csv', file(1)), src('b.csv', file(2)), src('c.csv', file(3))], OPTS);
  assert.deepEqual([r.classes, r.positive], [['no', 'yes'], 'yes']);
  const names = ['a.csv:score', 'b.csv:score', 'c.csv:score'];
  const joined = `y,${names.join(',')}\n` + Array.from({ length: 50 }, (_, i) => `${label(i) ? 'yes' : 'no'},${score(i, 1)},${score(i, 2)},${score(i, 3)}`).join('\n') + '\n';
  const one = await single(joined, names);
  assert.deepEqual(r.models, one.models);
  assert.deepEqual(r.comparisons, one.comparisons);
  assert.deepEqual(r.compare.changed.map((c) => [c.fileA, c.fileB]), [[0, 1], [0, 2]]);
  assert.ok(r.compare.changed.every((c) => c.rows.every((x) => x.key === null && x.lineA === x.lineB)));
});

test('labels that differ: a sentence with both lines (by order and by key)', () => {
  const a = 'id,y,prob\n1,1,0.9\n2,0,0.2\n3,1,0.6\n';
  fails(() => compareFiles([src('a.csv', a), src('b.csv', 'id,y,prob\n1,1,0.5\n2,1,0.5\n3,0,0.5\n')], OPTS), /^Row 2 differs: its label is "0" on line 3 of 'a\.csv' and "1" on line 3 of 'b\.csv'\. Without --key the files are joined by row order, so each row must have the same label in both/);
  fails(
    () => compareFiles([src('a.csv', a), src('b.csv', 'id,y,prob\n3,1,0.5\n2,no,0.5\n1,1,0.5\n')], { ...OPTS, key: 'id' }),
    /^The key "2" has the label "0" on line 3 of 'a\.csv' and "no" on line 3 of 'b\.csv': rows joined by their key must have the same label\.$/,
  );
  // The third file is checked against the first too.
  fails(() => compareFiles([src('a.csv', a), src('b.csv', a), src('c.csv', 'id,y,prob\n1,1,0.5\n2,0,0.5\n3,0,0.5\n')], OPTS), /^Row 3 differs: its label is "1" on line 4 of 'a\.csv' and "0" on line 4 of 'c\.csv'/);
});

test('the task: detected from every file, the same for all; --task honoured', () => {
  const a = 'y,prob\n1,0.9\n0,0.2\n1,0.6\n0,0.3\n';
  const reg = 'y,pred\n1.5,0.9\n0.2,0.2\n3,0.6\n4,0.3\n';
  fails(() => compareAny([src('a.csv', a), src('r.csv', reg)], OPTS), /^'r\.csv' holds regression predictions \(a numeric target\) where 'a\.csv' holds a binary classifier's scores \(a label of two classes\), as their first rows tell: compared files must hold predictions of one task\./);
  // Asked as regression, the 0/1 labels are numbers.
  const r = compareAny([src('a.csv', a), src('b.csv', a)], { ...OPTS, task: 'regression', columns: { predictions: ['prob'] } });
  assert.ok(!('task' in r));
  const multi = 'y,a,b,c\na,0.7,0.2,0.1\nb,0.1,0.8,0.1\nc,0.2,0.2,0.6\n';
  fails(() => compareAny([src('m.csv', multi), src('a.csv', a)], OPTS), /^'a\.csv' holds a binary classifier's scores \(a label of two classes\) where 'm\.csv' holds a multiclass classifier's scores/);
  const args = parseArgs(['a.csv', 'b.csv', '--task', 'binary']) as CliArgs;
  assert.equal(compareRefusal(args), undefined, 'the CLI compares binary classifiers');
});

test('scores read as the whole file says: a later value outside [0, 1] makes the model’s scores logits, its changed rows too', () => {
  const a = 'y,prob\n1,0.9\n0,0.2\n1,0.6\n0,0.3\n';
  // b's first values are in [0, 1], its last is not: logits (the scan's guess was wrong).
  const b = 'y,score\n1,0.5\n0,0.2\n1,0.6\n0,2.5\n';
  const r = compareFiles([src('a.csv', a), src('b.csv', b)], { ...OPTS, topK: 1 });
  assert.deepEqual(r.models.map((m) => m.scores), ['probabilities', 'logits']);
  const [x] = r.compare.changed[0].rows;
  // The last row (label 0, logit 2.5): log(1 + e^2.5) against −log(1 − 0.3).
  assert.deepEqual([x.lineA, x.label, x.b], [5, '0', 2.5]);
  assert.ok(Math.abs(x.lossB - Math.log1p(Math.exp(2.5))) < 1e-14);
  assert.ok(Math.abs(x.lossA + Math.log(0.7)) < 1e-15);
});

test('a sample weight (the first file’s): a row of negative weight is left out, the changed rows keep their lines', async () => {
  const a = 'y,prob,w\n1,0.9,1\n0,0.8,-1\n1,0.6,2\n0,0.3,1\n';
  const b = 'y,prob\n1,0.2,\n0,0.1\n1,0.7\n0,0.35\n'.replace(',\n', '\n');
  const r = compareFiles([src('a.csv', a), src('b.csv', b)], { ...OPTS, columns: { weight: 'w' } });
  assert.equal(r.rows.used, 3);
  assert.equal(r.weight, 'w');
  const rows = r.compare.changed[0].rows;
  assert.deepEqual(rows.map((x) => x.lineA), [2, 4, 5], 'line 3 (weight −1) is not a changed row');
  assert.deepEqual(rows.map((x) => [x.a, x.b]), [[0.9, 0.2], [0.6, 0.7], [0.3, 0.35]]);
  const one = await analyzeFile(src('joined.csv', 'y,a.csv:prob,b.csv:prob,w\n1,0.9,0.2,1\n0,0.8,0.1,-1\n1,0.6,0.7,2\n0,0.3,0.35,1\n'), { ...OPTS, columns: { target: 'y', predictions: ['a.csv:prob', 'b.csv:prob'], weight: 'w' } });
  assert.ok('task' in one && one.task === 'binary');
  assert.deepEqual(r.models.map((m) => m.metrics), one.models.map((m) => m.metrics));
});
