/**
 * Multiclass scores as one JSON array per row (issue #13): `{"label":2,"probs":[0.1,0.2,0.7]}` in
 * JSON Lines, arrays of records and pandas' orient='table'. What a user checks: the task is found,
 * k is the arrays' length, every field is a model, a row with another length is a counted skip
 * with its lines, an ambiguous k or labels that are not 0 … k − 1 get a sentence, and the numbers
 * are the same on 1, 2 and 4 threads. (The numbers against scikit-learn and PyTorch are in
 * classification.test.ts, from the files scripts/dev/classification-reference.py writes with
 * pandas and json.dump: test/fixtures/classification/multiclass-array.*.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CliArgs, optionsOf, parseArgs } from '../../src/cli/cli';
import { AnalyzeOptions, analyzeFile, ScanStats, splitPoints } from '../../src/engine/analyze';
import { inspectFile } from '../../src/engine/inspect';
import { openFileSource } from '../../src/engine/source';
import type { MulticlassReport } from '../../src/core/tasks/multiclass/report';
import { workerBundle } from '../helpers/bundle';
import { repoRoot } from '../helpers/paths';
import { rng } from '../helpers/run';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'li-marr-'));
process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));

function put(name: string, text: string): string {
  const f = path.join(dir, name);
  fs.writeFileSync(f, text);
  return f;
}

const lines = (records: unknown[]) => records.map((r) => JSON.stringify(r)).join('\n') + '\n';

/** `loss-inspector FILE FLAGS… --json`, in-process; a multiclass report or a failure. */
async function multi(file: string, flags: string[] = [], over: Partial<AnalyzeOptions> = {}): Promise<MulticlassReport> {
  const src = openFileSource(file);
  try {
    const r = await analyzeFile(src, { ...optionsOf(parseArgs([file, ...flags]) as CliArgs), ...over });
    assert.equal('task' in r ? r.task : 'regression', 'multiclass', `${path.basename(file)} ${flags.join(' ')}: multiclass`);
    return r as MulticlassReport;
  } finally {
    src.close();
  }
}

async function sentence(file: string, flags: string[] = []): Promise<string> {
  return multi(file, flags).then(
    () => assert.fail(`${path.basename(file)}: no error`),
    (e: unknown) => {
      if (e instanceof assert.AssertionError) throw e;
      return (e as Error).message;
    },
  );
}

test('JSON Lines with two array fields: auto-detected, k from the arrays, one model per field', async () => {
  const f = put('two.jsonl', lines([
    { label: 0, probs: [0.7, 0.2, 0.1], logits: [2, 0.5, -1] },
    { label: 2, probs: [0.1, 0.3, 0.6], logits: [-1, 0, 1.5] },
    { label: 1, probs: [0.25, 0.5, 0.25], logits: [0, 1, 0] },
  ]));
  const r = await multi(f);
  assert.deepEqual(r.classes, ['0', '1', '2']);
  assert.deepEqual(r.models.map((m) => [m.prediction, m.array, m.scores, m.columns]), [
    ['probs', 'probs', 'probabilities', ['probs[0]', 'probs[1]', 'probs[2]']],
    ['logits', 'logits', 'logits', ['logits[0]', 'logits[1]', 'logits[2]']],
  ]);
  // log loss of the probabilities by hand: −(ln 0.7 + ln 0.6 + ln 0.5) / 3.
  assert.ok(Math.abs((r.models[0].metrics.logLoss as number) - -(Math.log(0.7) + Math.log(0.6) + Math.log(0.5)) / 3) < 1e-15);
  assert.equal(r.models[0].metrics.accuracy, 1);
  // --prediction names a model by its field.
  const one = await multi(f, ['--prediction', 'logits']);
  assert.deepEqual(one.models.map((m) => m.prediction), ['logits']);
  assert.deepEqual(one.models[0].metrics, r.models[1].metrics);
});

test('y_true with y_pred holding an array, in an array of records and in pandas orient=table', async () => {
  const recs = [
    { y_true: 1, y_pred: [0.2, 0.5, 0.2, 0.1] },
    { y_true: 3, y_pred: [0.1, 0.1, 0.1, 0.7] },
    { y_true: 0, y_pred: [0.4, 0.3, 0.2, 0.1] },
    { y_true: 2, y_pred: [0.3, 0.3, 0.3, 0.1] },
  ];
  const a = await multi(put('yp.json', '[\n' + recs.map((x) => JSON.stringify(x)).join(',\n') + '\n]\n'));
  assert.deepEqual(a.classes, ['0', '1', '2', '3']);
  assert.equal(a.models[0].prediction, 'y_pred');
  const schema = { fields: [{ name: 'index', type: 'integer' }, { name: 'y_true', type: 'integer' }, { name: 'y_pred', type: 'string' }], primaryKey: ['index'], pandas_version: '1.4.0' };
  const t = await multi(put('yp-table.json', JSON.stringify({ schema, data: recs.map((x, i) => ({ index: i, ...x })) })));
  assert.deepEqual(t.models[0].metrics, a.models[0].metrics);
});

test('a row whose array has another length is a counted skip with its lines; null, text and a missing field are skips too', async () => {
  const f = put('skips.jsonl', lines([
    { y: 0, probs: [0.7, 0.2, 0.1] },
    { y: 1, probs: [0.2, 0.7, 0.1] },
    { y: 2, probs: [0.1, 0.2, 0.6, 0.1] },
    { y: 2, probs: [0.1, null, 0.7] },
    { y: 1, probs: 'x' },
    { y: 1 },
    { y: 1, probs: null },
    { y: 0, probs: [0.5, 0.25, 0.25] },
    { y: 2, probs: [0.1, 0.2] },
    { y: 2, probs: [] },
    { y: 2, probs: [0.1, 0.2, 0.7] },
  ]));
  const r = await multi(f);
  assert.equal(r.rows.used, 4);
  assert.deepEqual(r.rows.skippedByReason, { na: 2, nonNumeric: 1, missingField: 1, arrayLength: 3 });
  assert.deepEqual(r.rows.firstSkippedLines, { na: [4, 7], nonNumeric: [5], missingField: [6], arrayLength: [3, 9, 10] });
  assert.ok(Math.abs((r.models[0].metrics.logLoss as number) - -(Math.log(0.7) * 3 + Math.log(0.5)) / 4) < 1e-15);
});

test('an ambiguous k, labels that are not 0 … k − 1, and arrays of different lengths get a sentence', async () => {
  const odd = put('odd.jsonl', lines([{ y: 0, p: 1, probs: [0.7, 0.2, 0.05, 0.05] }, { y: 1, probs: [0.2, 0.7, 0.1] }, { y: 2, probs: [0.1, 0.2, 0.7] }]));
  assert.match(await sentence(odd), /The array "probs" on line 1 of '.*odd\.jsonl' holds 4 scores, but 2 of the first 3 records' arrays hold 3 \(the first on line 2\): the number of classes is ambiguous/);
  const big = put('big-label.jsonl', lines([{ y: 0, probs: [0.7, 0.2, 0.1] }, { y: 1, probs: [0.2, 0.7, 0.1] }, { y: 3, probs: [0.1, 0.2, 0.7] }]));
  assert.match(await sentence(big), /The label "3" of "y" in the first rows of '.*' is not a class index of the 3 scores that the array "probs" holds on line 1 \(0 … 2\), so the number of classes is ambiguous\./);
  const names = put('names.jsonl', lines([{ y: 'cat', probs: [0.7, 0.2, 0.1] }, { y: 'dog', probs: [0.2, 0.7, 0.1] }, { y: 'eel', probs: [0.1, 0.2, 0.7] }]));
  assert.match(await sentence(names), /The labels of "y" in '.*' must be class indices 0 … 2 when the scores are arrays \("probs" holds 3 per row\), but they include "cat"\./);
  const two = put('disagree.jsonl', lines([0, 1, 2].map((y) => ({ y, probs: [0.7, 0.2, 0.1], logits: [1, 2, 3, 4] }))));
  assert.match(await sentence(two), /The score arrays of '.*' disagree on the number of classes: "probs" holds 3 on line 1, "logits" 4 on line 1; name one model with --prediction\./);
  assert.equal((await multi(two, ['--prediction', 'logits'])).classes.length, 4);
  const pair = put('pair.jsonl', lines([0, 1, 2].map((y) => ({ y, probs: [0.5, 0.5] }))));
  assert.match(await sentence(pair, ['--task', 'multiclass']), /holds 2 scores; a multiclass model needs one per class, at least 3/);
  // pandas' default orient ('columns') writes a list column as an object of arrays: a sentence pointing to records.
  const cols = put('cols.json', JSON.stringify({ y: { 0: 0, 1: 1, 2: 2 }, probs: { 0: [0.7, 0.2, 0.1], 1: [0.2, 0.7, 0.1], 2: [0.1, 0.2, 0.7] } }));
  assert.match(await sentence(cols, ['--task', 'multiclass']), /a column of lists, such as one array of class scores per row, is read from orient='records' or lines=True/);
});

test('a real key spelled like an element ("probs[0]") is not read into the array\'s slots', async () => {
  const f = put('spelled.jsonl', lines([
    { y: 0, 'probs[0]': 'junk', probs: [0.7, 0.2, 0.1] },
    { y: 1, probs: [0.2, 0.7, 0.1], 'probs[1]': null },
    { y: 2, probs: [0.1, 0.2, 0.7] },
  ]));
  const r = await multi(f, ['--prediction', 'probs']);
  assert.equal(r.rows.used, 3);
  assert.equal(r.models[0].metrics.accuracy, 1);
});

test('a 5 MB JSON Lines file and array of records of score arrays give bit-identical reports on 1, 2 and 4 threads', async () => {
  const worker = workerBundle();
  const next = rng(29);
  const k = 7;
  const recs: string[] = [];
  for (let i = 0; i < 40_000; i++) {
    const y = Math.floor(next() * k);
    const z = Array.from({ length: k }, (_, c) => (next() - 0.5) * 6 + (c === y ? 1.5 : 0));
    const e = z.map(Math.exp);
    const s = e.reduce((a, b) => a + b, 0);
    // 17 significant digits, as Python's json writes floats; some skips.
    const probs: (number | null)[] = e.map((x) => Number((x / s).toPrecision(17)));
    if (i % 1009 === 5) probs.pop();
    if (i % 1511 === 7) probs[2] = null;
    recs.push(JSON.stringify({ label: y, probs, logits: z.map((x) => Math.round(x * 1000) / 1000), w: Math.round(next() * 2000) / 1000, g: `g${i % 5}` }));
  }
  for (const [name, text] of [['big.jsonl', recs.join('\n') + '\n'], ['big.json', '[\n' + recs.join(',\n') + '\n]\n']]) {
    const file = put(name, text);
    const src = openFileSource(file);
    assert.equal(splitPoints(src, inspectFile(src), 4).length, 4, `${name} really is split in 4`);
    src.close();
    const flags = ['--weight', 'w', '--group-by', 'g', '--top', '20'];
    const one = await multi(file, flags, { threads: 1, parallelThreshold: 0 });
    assert.equal(one.rows.skippedByReason.arrayLength, Math.ceil((40_000 - 5) / 1009));
    assert.equal(one.models.length, 2);
    assert.equal(one.groups?.groups.length, 5);
    for (const o of [{ threads: 2 }, { threads: 4 }, { threads: 4, chunkSize: 4096 }, { threads: 1, chunkSize: 777 }, { threads: 2, callerScans: false }] as Partial<AnalyzeOptions>[]) {
      const stats = {} as ScanStats;
      const r = await multi(file, flags, { parallelThreshold: 0, ...worker, stats, ...o });
      assert.deepEqual(r, one, `${name} ${JSON.stringify(o)}`);
      if (o.threads !== 1) assert.equal(stats.fellBack, false, `${name} ${JSON.stringify(o)}: no fallback to one thread`);
    }
  }
});

test('the reference files written by pandas and json.dump are read as score arrays', async () => {
  const fixtures = path.join(repoRoot, 'test/fixtures/classification');
  const jl = await multi(path.join(fixtures, 'multiclass-array.jsonl'));
  assert.deepEqual(jl.models.map((m) => [m.prediction, m.scores]), [['probs', 'probabilities'], ['logits', 'logits']]);
  assert.equal(jl.classes.length, 6);
  const js = await multi(path.join(fixtures, 'multiclass-array.json'));
  assert.deepEqual(js.models.map((m) => m.prediction), ['y_prob']);
  assert.equal(js.rows.used, 1200);
});

test('cross-entropy without label smoothing is −log p of the true class even when another class gets 0 (as PyTorch)', async () => {
  // torch: F.cross_entropy(torch.log(P), y) = 0.6931… for P = [[0.5, 0.5, 0], [0.2, 0.3, 0.5]], y = [0, 2];
  // with label_smoothing=0.1 it is inf (log 0 of the third class in the first row).
  const f = put('zero.jsonl', lines([{ y: 0, probs: [0.5, 0.5, 0] }, { y: 2, probs: [0.2, 0.3, 0.5] }, { y: 1, probs: [0.25, 0.5, 0.25] }]));
  const r = await multi(f);
  assert.equal(r.models[0].metrics.crossEntropy, -(Math.log(0.5) + Math.log(0.5) + Math.log(0.5)) / 3);
  assert.deepEqual(r.warnings, []);
  const smoothed = await multi(f, ['--label-smoothing', '0.1']);
  assert.equal(smoothed.models[0].metrics.crossEntropy, null);
  assert.match(smoothed.warnings.join('\n'), /crossEntropy of "probs" is not finite: 1 row gives probability 0 to a class/);
});
