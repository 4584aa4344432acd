/**
 * `compare` of multiclass classifiers (#15 item 3): k score columns per model (or a JSON array),
 * the joined report equal to the one-file engine's on a file holding the joined rows, a file whose
 * class columns come in another order, files that do not score the same classes, labels that
 * differ, and the changed rows by log loss with their lines in each file.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareFiles as compareAny } from '../../src/engine/compare';
import { fails, OPTS, src } from '../helpers/compare';
import { analyzeFile } from '../../src/engine/analyze';
import type { MultiCompareReport } from '../../src/core/compare/report';
import { compareTextReport } from '../../src/core/compare/text';
import type { MulticlassReport } from '../../src/core/tasks/multiclass/report';

const CLASSES = ['cat', 'dog', 'bird'];

function compareFiles(...a: Parameters<typeof compareAny>): MultiCompareReport {
  const r = compareAny(...a);
  assert.ok('task' in r && r.task === 'multiclass', 'a multiclass report');
  return r;
}


const label = (i: number) => CLASSES[(i * 5) % 3];
/** Row i's probabilities of run `seed`, in CLASSES order (summing to 1 as written). */
function probs(i: number, seed: number): string[] {
  const raw = CLASSES.map((_, c) => 1 + Math.sin(i * 1.3 + c * 2.1 + seed));
  const t = raw.reduce((a, b) => a + b, 0);
  const p = raw.map((x) => Number((x / t).toFixed(4)));
  p[2] = Number((1 - p[0] - p[1]).toFixed(4));
  return p.map(String);
}
const N = 90;

async function single(text: string): Promise<MulticlassReport> {
  const r = await analyzeFile(src('joined.csv', text), { ...OPTS, task: 'multiclass' });
  assert.ok('task' in r && r.task === 'multiclass');
  return r;
}

test('two files by key, the second with its class columns in another order: the report is the one-file engine’s on the joined rows', async () => {
  const a = 'id,y,p_cat,p_dog,p_bird\n' + Array.from({ length: N }, (_, i) => `k${i},${label(i)},${probs(i, 1).join(',')}`).join('\n') + '\n';
  const order = Array.from({ length: N }, (_, i) => (i * 7) % N);
  const b = 'id,y,p_bird,p_cat,p_dog\n' + order.map((i) => { const p = probs(i, 2); return `k${i},${label(i)},${p[2]},${p[0]},${p[1]}`; }).join('\n') + '\n';
  const r = compareFiles([src('a.csv', a), src('b.csv', b)], { ...OPTS, key: 'id' });
  assert.deepEqual(r.models.map((m) => [m.prediction, m.columns]), [
    // In class order (bird, cat, dog) in both, though b's columns are written in another.
    ['a.csv:p', ['p_bird', 'p_cat', 'p_dog']],
    ['b.csv:p', ['p_bird', 'p_cat', 'p_dog']],
  ]);
  assert.equal(r.compare.rows.joined, N);
  // The joined rows in b's order, the first file's class order: b's columns renamed as a model "q".
  const joined = 'y,p_cat,p_dog,p_bird,q_cat,q_dog,q_bird\n' + order.map((i) => `${label(i)},${probs(i, 1).join(',')},${probs(i, 2).join(',')}`).join('\n') + '\n';
  const one = await single(joined);
  assert.deepEqual(r.classes, one.classes);
  r.models.forEach((m, i) => {
    const { worst: _w, prediction: _p, columns: _c, ...rest } = m;
    const { worst: _o, prediction: _q, columns: _d, ...same } = one.models[i];
    assert.deepEqual(rest, same, m.prediction);
  });
  assert.deepEqual(r.comparisons.map((c) => ({ ...c, a: '', b: '' })), one.comparisons.map((c) => ({ ...c, a: '', b: '' })));
  // Changed rows: lines in each file, the label, p(label) = e^−loss, largest |change| first.
  const [m] = r.compare.changed;
  assert.deepEqual([m.a, m.b, m.fileA, m.fileB, m.rows.length], ['a.csv:p', 'b.csv:p', 0, 1, 3]);
  for (const x of m.rows) {
    const i = Number((x.key ?? '').slice(1));
    assert.deepEqual([x.lineA, x.lineB, x.label], [i + 2, order.indexOf(i) + 2, label(i)]);
    const c = CLASSES.indexOf(label(i));
    const pa = Number(probs(i, 1)[c]) / probs(i, 1).reduce((s, v) => s + Number(v), 0);
    assert.ok(Math.abs(x.lossA + Math.log(pa)) < 1e-12 && Math.abs(x.a - Math.exp(-x.lossA)) < 1e-15);
    assert.equal(x.change, x.lossB - x.lossA);
  }
  const sorted = [...m.rows].sort((x, y) => Math.abs(y.change) - Math.abs(x.change));
  assert.deepEqual(m.rows, sorted);
  assert.match(compareTextReport(r), /Rows whose log loss changed most from a\.csv:p to b\.csv:p[^\n]*\n +line in a\.csv +line in b\.csv +id +label +p\(label\) a\.csv:p +p\(label\) b\.csv:p +log loss a\.csv:p/);
});

test('three files by row order, logits in one: the report is the one-file engine’s', async () => {
  const logits = (i: number) => CLASSES.map((_, c) => (Math.cos(i + c) * 3).toFixed(3));
  const a = 'y,cat,dog,bird\n' + Array.from({ length: N }, (_, i) => `${label(i)},${probs(i, 1).join(',')}`).join('\n') + '\n';
  const b = 'y,logit_cat,logit_dog,logit_bird\n' + Array.from({ length: N }, (_, i) => `${label(i)},${logits(i).join(',')}`).join('\n') + '\n';
  const c = 'y,p_cat,p_dog,p_bird\n' + Array.from({ length: N }, (_, i) => `${label(i)},${probs(i, 3).join(',')}`).join('\n') + '\n';
  const r = compareFiles([src('a.csv', a), src('b.csv', b), src('c.csv', c)], OPTS);
  assert.deepEqual(r.models.map((m) => [m.prediction, m.scores]), [
    ['a.csv:y', 'probabilities'],
    ['b.csv:logit', 'logits'],
    ['c.csv:p', 'probabilities'],
  ]);
  const joined = 'y,cat,dog,bird,logit_cat,logit_dog,logit_bird,p_cat,p_dog,p_bird\n' + Array.from({ length: N }, (_, i) => `${label(i)},${probs(i, 1).join(',')},${logits(i).join(',')},${probs(i, 3).join(',')}`).join('\n') + '\n';
  const one = await single(joined);
  r.models.forEach((m, i) => {
    const { prediction: _p, ...rest } = m;
    const { prediction: _q, ...same } = one.models[i];
    assert.deepEqual(rest, same, m.prediction);
  });
  assert.deepEqual(r.compare.changed.map((x) => [x.fileA, x.fileB]), [[0, 1], [0, 2]]);
  // The logits' changed rows: −log softmax of the label.
  for (const x of r.compare.changed[0].rows) {
    const z = logits(x.lineA - 2).map(Number);
    const lse = Math.log(z.reduce((s, v) => s + Math.exp(v), 0));
    assert.ok(Math.abs(x.lossB - (lse - z[CLASSES.indexOf(x.label)])) < 1e-12, `${x.lossB}`);
  }
});

test('multiclass files that differ: other classes, a label that differs (a sentence with both lines)', () => {
  const a = 'y,p_cat,p_dog,p_bird\ncat,0.7,0.2,0.1\ndog,0.1,0.8,0.1\nbird,0.2,0.2,0.6\n';
  const other = 'y,p_cat,p_dog,p_fish\ncat,0.7,0.2,0.1\ndog,0.1,0.8,0.1\nfish,0.2,0.2,0.6\n';
  fails(() => compareFiles([src('a.csv', a), src('b.csv', other)], OPTS), /^'b\.csv' scores the classes "cat", "dog", "fish" where 'a\.csv' scores "bird", "cat", "dog": compared multiclass files must score the same classes\.$/);
  const swapped = 'y,p_cat,p_dog,p_bird\ncat,0.7,0.2,0.1\nbird,0.1,0.8,0.1\ndog,0.2,0.2,0.6\n';
  fails(() => compareFiles([src('a.csv', a), src('b.csv', swapped)], OPTS), /^Row 2 differs: its label is "dog" on line 3 of 'a\.csv' and "bird" on line 3 of 'b\.csv'/);
});

test('JSON Lines with an array of scores per row: each model’s numbers are its own file’s one-file run (the same rows)', async () => {
  const lines = (seed: number) => Array.from({ length: 40 }, (_, i) => JSON.stringify({ y: CLASSES.indexOf(label(i)), probs: probs(i, seed).map(Number) })).join('\n') + '\n';
  const r = compareFiles([src('a.jsonl', lines(1)), src('b.jsonl', lines(2))], OPTS);
  assert.deepEqual(r.models.map((m) => [m.prediction, m.array]), [
    ['a.jsonl:probs', 'probs'],
    ['b.jsonl:probs', 'probs'],
  ]);
  for (const [i, text] of [lines(1), lines(2)].entries()) {
    const one = await analyzeFile(src('x.jsonl', text), { ...OPTS, task: 'multiclass' });
    assert.ok('task' in one && one.task === 'multiclass');
    assert.deepEqual(r.models[i].metrics, one.models[0].metrics);
    assert.deepEqual(r.models[i].worst, one.models[0].worst, 'the same lines');
  }
});
