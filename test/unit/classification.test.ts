/**
 * Binary classification (issue #13) as a user checks it: the numbers against scikit-learn 1.2 and
 * PyTorch (test/fixtures/classification/expected.json, written by
 * scripts/dev/classification-reference.py), one answer whatever the format and the number of
 * threads, the task the file's label calls for, a sentence or a counted skip for bad input, the
 * positive class, the worst rows and their lines, and groups. The engine runs in-process, with the
 * CLI's own argument parsing (parseArgs + optionsOf).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AnalyzeOptions, SAMPLE_ROWS, ScanStats, splitPoints } from '../../src/engine/analyze';
import { inspectFile } from '../../src/engine/inspect';
import { openFileSource } from '../../src/engine/source';
import type { ClassificationReport } from '../../src/core/tasks/classification/report';
import { DEFAULT_BINARY_PARAMS, logitTerms, probabilityTerms, T_LOG } from '../../src/core/tasks/classification/losses';
import { workerBundle } from '../helpers/bundle';
import { analyzeArgs, classify, isClass } from '../helpers/cli';
import { repoRoot } from '../helpers/paths';
import { rng } from '../helpers/run';

const fixtures = path.join(repoRoot, 'test/fixtures/classification');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'li-cls-'));
process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const f = path.join(dir, name);
  fs.writeFileSync(f, text);
  return f;
}

/** The message of the error the analysis ends with (a failure if it returns a report). */
async function errorOf(file: string, flags: string[] = []): Promise<string> {
  try {
    const r = await analyzeArgs(file, flags);
    assert.fail(`no error: ${JSON.stringify(isClass(r) ? r.models.map((m) => m.metrics) : r.models.map((m) => m.metrics))}`);
  } catch (e) {
    if (e instanceof assert.AssertionError) throw e;
    return (e as Error).message;
  }
}

/** Equal within 1e-12 relative; null only where null is expected. */
function near(got: number | null | undefined, want: number | null, what: string): void {
  if (want === null) {
    assert.equal(got, null, `${what}: null expected`);
    return;
  }
  assert.equal(typeof got, 'number', `${what}: a number expected, got ${String(got)}`);
  const rel = Math.abs((got as number) - want) / Math.max(Math.abs(want), 1e-300);
  assert.ok(rel <= 1e-12, `${what}: ${String(got)} vs ${want} (relative ${rel.toExponential(2)})`);
}

const csv = (header: string, rows: (string | number)[][]) => header + '\n' + rows.map((r) => r.join(',')).join('\n') + '\n';

// ------------------------------------------------------------------------------------------------
// 1. scikit-learn and PyTorch
// ------------------------------------------------------------------------------------------------

interface ExpectedCase {
  file: string;
  flags: string[];
  models: Record<string, number | null>[];
}

test('every metric of every reference case agrees with scikit-learn 1.2 / PyTorch within 1e-12 relative', async () => {
  const cases = JSON.parse(fs.readFileSync(path.join(fixtures, 'expected.json'), 'utf8')) as ExpectedCase[];
  assert.ok(cases.length >= 10, 'the reference file has its cases (binary and multiclass)');
  for (const c of cases) {
    const what = `${c.file} ${c.flags.join(' ')}`;
    // Binary and multiclass cases (the multiclass ones name their classes' columns by a prefix).
    const r = await analyzeArgs(path.join(fixtures, c.file), c.flags);
    assert.ok(isClass(r), `${what}: a classification report`);
    assert.equal(r.models.length, c.models.length, `${what}: one model per score column`);
    c.models.forEach((want, k) => {
      const got = r.models[k].metrics as Record<string, number | null>;
      assert.deepEqual(Object.keys(got).sort(), Object.keys(want).sort(), `${what}: the same metrics`);
      for (const key of Object.keys(want)) near(got[key], want[key], `${what}, model ${r.models[k].prediction}, ${key}`);
    });
    assert.deepEqual(r.warnings, [], `${what}: no warning`);
  }
});

// ------------------------------------------------------------------------------------------------
// 2. Formats
// ------------------------------------------------------------------------------------------------

test('CSV, JSON records, JSON Lines and a JSON object of arrays give the same classification', async () => {
  const next = rng(13);
  type R = { y: string | null; name: string | null; prob: number | string; logit: number | string; w: number };
  const rows: R[] = [];
  for (let i = 0; i < 400; i++) {
    const y = next() < 0.4 ? 1 : 0;
    const logit = Math.round((next() * 6 - 3 + (y ? 0.8 : -0.8)) * 1000) / 1000;
    rows.push({ y: String(y), name: y ? 'spam' : 'ham', prob: 1 / (1 + Math.exp(-logit)), logit, w: Math.round(next() * 3000) / 1000 });
  }
  // Skipped rows: an empty label, a missing one, a score NA, an infinite score, and a third label
  // on a row that is skipped anyway (its score is missing: not a class of the file).
  rows[5].y = null;
  rows[5].name = null;
  rows[17].prob = 'NA';
  rows[29].logit = 'inf';
  rows[41] = { y: '2', name: 'eggs', prob: 'NA', logit: 'NA', w: 1 };
  const cell = (v: string | number | null) => (v === null ? '' : String(v));
  const jsonValue = (v: string | number | null) => (v === null ? null : typeof v === 'number' ? v : /^-?\d+$/.test(v) ? Number(v) : v);
  const files = {
    csv: write('f.csv', csv('y,name,prob,logit,w', rows.map((r) => [cell(r.y), cell(r.name), cell(r.prob), cell(r.logit), r.w]))),
    records: write('f.json', '[\n' + rows.map((r) => JSON.stringify({ y: jsonValue(r.y), name: r.name, prob: jsonValue(r.prob), logit: jsonValue(r.logit), w: r.w })).join(',\n') + '\n]\n'),
    lines: write('f.jsonl', rows.map((r) => JSON.stringify({ y: jsonValue(r.y), name: r.name, prob: jsonValue(r.prob), logit: jsonValue(r.logit), w: r.w })).join('\n') + '\n'),
    columns: write(
      'fc.json',
      JSON.stringify({
        y: rows.map((r) => jsonValue(r.y)),
        name: rows.map((r) => r.name),
        prob: rows.map((r) => jsonValue(r.prob)),
        logit: rows.map((r) => jsonValue(r.logit)),
        w: rows.map((r) => r.w),
      }),
    ),
  };
  const same = (r: ClassificationReport) => ({
    classes: r.classes,
    positive: r.positive,
    used: r.rows.used,
    // Reasons differ by format (an empty CSV field is "empty", JSON null is "na"); counts do not.
    skipped: r.rows.skipped,
    models: r.models.map((m) => ({ scores: m.scores, metrics: m.metrics, confusion: m.confusion, perClass: m.perClass, reliability: m.reliability, roc: m.roc, pr: m.pr })),
  });
  for (const flags of [
    ['--task', 'binary', '--target', 'y', '--prediction', 'prob,logit', '--weight', 'w'],
    ['--task', 'binary', '--target', 'name', '--prediction', 'prob', '--positive', 'spam', '--top', '5'],
  ]) {
    const want = same(await classify(files.csv, flags));
    const byName = flags.includes('name');
    assert.equal(want.used, 400 - (byName ? 3 : 4), 'the skipped rows');
    assert.deepEqual(want.classes, byName ? ['ham', 'spam'] : ['0', '1'], 'the label of a skipped row is no class');
    for (const [kind, file] of Object.entries(files)) assert.deepEqual(same(await classify(file, flags)), want, `${kind} ${flags.join(' ')}`);
  }
});

// ------------------------------------------------------------------------------------------------
// 3. Threads
// ------------------------------------------------------------------------------------------------

test('a 5 MB binary CSV gives bit-identical reports on 1, 2 and 4 threads and with tiny read buffers', async () => {
  const worker = workerBundle();
  const next = rng(7);
  const lines = ['y_true,prob,logit,w,g'];
  for (let i = 0; i < 150_000; i++) {
    const y = next() < 0.3 ? 1 : 0;
    const z = (next() - 0.5) * 8 + (y ? 1 : -1);
    // 17 significant digits, as Python writes probabilities; ties in the logits.
    const p = i % 997 === 3 ? 'NA' : (1 / (1 + Math.exp(-z))).toPrecision(17);
    lines.push(`${i % 1499 === 11 ? '' : y},${p},${Math.round(z * 100) / 100},${(next() * 2).toFixed(3)},g${i % 7}`);
  }
  const file = write('big.csv', lines.join('\n') + '\n');
  const size = fs.statSync(file).size;
  assert.ok(size > 4 << 20, `big enough for 4 ranges (${size} bytes)`);
  const src = openFileSource(file);
  const starts = splitPoints(src, inspectFile(src), 4);
  src.close();
  assert.equal(starts.length, 4, 'the file really is split in 4');

  const flags = ['--prediction', 'prob,logit', '--weight', 'w', '--group-by', 'g', '--top', '25'];
  const run = (o: Partial<AnalyzeOptions>, waitForWorker = false) => {
    const stats = {} as ScanStats;
    const onCallerRange = waitForWorker
      ? (index: number, claimed: () => number) => {
          // Range 0 is the caller's; it waits until a worker has claimed another one.
          const t0 = Date.now();
          const nap = new Int32Array(new SharedArrayBuffer(4));
          while (index === 0 && claimed() < 2) {
            if (Date.now() - t0 > 60_000) throw new Error('no worker claimed a range within 60 s');
            Atomics.wait(nap, 0, 0, 1);
          }
        }
      : undefined;
    return classify(file, flags, { parallelThreshold: 0, ...worker, stats, onCallerRange, ...o }).then((report) => ({ report, stats }));
  };
  const one = (await run({ threads: 1 })).report;
  assert.equal(one.rows.used, 150_000 - Math.ceil((150_000 - 3) / 997) - Math.ceil((150_000 - 11) / 1499));
  assert.equal(one.models[1].scores, 'logits');
  assert.equal(one.models[0].worst.length, 25);
  assert.equal(one.groups?.groups.length, 7);
  for (const [o, wait] of [
    [{ threads: 2 }, false],
    [{ threads: 4 }, false],
    [{ threads: 4, chunkSize: 4096 }, false],
    [{ threads: 1, chunkSize: 777 }, false],
    [{ threads: 2, rangesPerThread: 3 }, true],
    [{ threads: 2, callerScans: false }, false],
    [{ threads: 4, rangesPerThread: 2, callerScans: false }, false],
  ] as [Partial<AnalyzeOptions>, boolean][]) {
    const what = JSON.stringify(o);
    const { report, stats } = await run(o, wait);
    assert.deepEqual(report, one, what);
    if (o.threads === 1) continue;
    assert.equal(stats.fellBack, false, `${what}: no fallback to one thread`);
    // Who scans which range is up to the scheduler, except with callerScans false or the wait.
    if (o.callerScans === false) assert.equal(stats.rangesOnWorkers, stats.ranges, `${what}: workers scanned every range`);
    if (wait) assert.ok(stats.rangesOnWorkers > 0 && stats.rangesOnWorkers < stats.ranges, `${what}: workers and caller both scanned`);
  }
});

// ------------------------------------------------------------------------------------------------
// 4. Auto-detection
// ------------------------------------------------------------------------------------------------

test('auto-detection: two-valued labels are binary, numeric targets with few values are regression', async () => {
  const scores = [0.2, 0.8, 0.4, 0.9, 0.1, 0.6];
  const file = (name: string, labels: string[], header = 'y_true,score') => write(name, csv(header, labels.map((l, i) => [l, scores[i % scores.length]])));
  const binary: [string, string[], string[]][] = [
    ['zeroOne.csv', ['0', '1', '0', '1', '1', '0'], ['0', '1']],
    ['pm.csv', ['-1', '1', '-1', '+1', '1', '-1'], ['-1', '1']],
    ['tf.csv', ['false', 'true', 'false', 'true', 'true', 'false'], ['false', 'true']],
    ['TF.csv', ['False', 'True', 'False', 'True', 'True', 'False'], ['False', 'True']],
    ['yn.csv', ['no', 'yes', 'no', 'yes', 'yes', 'no'], ['no', 'yes']],
    ['names.csv', ['cat', 'dog', 'cat', 'dog', 'dog', 'cat'], ['cat', 'dog']],
    ['zeroOneDot.csv', ['0.0', '1.0', '0', '1', '1', '0'], ['0.0', '1.0']],
  ];
  for (const [name, labels, classes] of binary) {
    const r = await analyzeArgs(file(name, labels));
    assert.ok(isClass(r), `${name}: binary`);
    assert.deepEqual(r.classes, classes, `${name}: classes in order`);
    assert.equal(r.models[0].prediction, 'score', `${name}: the score column is the model`);
    assert.equal(r.rows.used, 6);
  }
  // Numbers other than 0/1 and ±1, even with few distinct values, are a numeric target.
  for (const [name, labels] of [
    ['five.csv', ['0', '1', '2', '3', '4', '2']],
    ['oneTwo.csv', ['1', '2', '1', '2', '2', '1']],
    ['zeroTwo.csv', ['0', '2', '0', '2', '2', '0']],
  ] as [string, string[]][]) {
    const r = await analyzeArgs(file(name, labels));
    assert.ok(!isClass(r), `${name}: regression`);
    assert.equal(r.models[0].metrics.mae === null, false);
  }
  // --task regression on a 0/1 file: the regression losses of 0/1 against the scores.
  const forced = await analyzeArgs(file('forced.csv', ['0', '1', '0', '1', '1', '0']), ['--task', 'regression']);
  assert.ok(!isClass(forced), '--task regression forces regression');
  near(forced.models[0].metrics.mae, (0.2 + 0.2 + 0.4 + 0.1 + 0.9 + 0.6) / 6, 'MAE of 0/1 against the scores');
  // --task binary on 1/2 labels: binary, positive 1 (the 1/true/yes rule).
  const one2 = await classify(file('forcedBinary.csv', ['1', '2', '1', '2', '2', '1']), ['--task', 'binary']);
  assert.deepEqual([one2.classes, one2.positive], [['1', '2'], '1']);
});

test('a label with two values in its first rows and a third later is refused with a sentence', async () => {
  const lines = ['y,prob'];
  for (let i = 0; i < SAMPLE_ROWS + 500; i++) lines.push(`${i < SAMPLE_ROWS ? i % 2 : i % 3},0.5`);
  const f = write('third.csv', lines.join('\n') + '\n');
  const jsonl = write('third.jsonl', lines.slice(1).map((l) => `{"y":${l.split(',')[0]},"prob":0.5}`).join('\n') + '\n');
  for (const file of [f, jsonl]) {
    for (const flags of [[], ['--task', 'binary']]) {
      const msg = await errorOf(file, flags);
      assert.match(msg, /The label column "y" of '.*third\.(csv|jsonl)' has 3 distinct values \("0", "1", "2"\), so it is not a binary label/);
      assert.doesNotMatch(msg, /\d\.\d/, 'no numbers in the sentence');
    }
  }
  // The sample is of the first SAMPLE_ROWS rows: a third value within them means regression.
  const early = write('early.csv', 'y,score\n0,0.5\n1,0.5\n2,0.5\n' + '0,0.5\n'.repeat(10));
  assert.ok(!isClass(await analyzeArgs(early)), 'three values at once: a numeric target');
});

// ------------------------------------------------------------------------------------------------
// 5. Bad input
// ------------------------------------------------------------------------------------------------

test('--scores probabilities with a score outside [0, 1] names the line; auto reads such scores as logits', async () => {
  // Two blank lines before the header and one among the rows: lines are the file's.
  const f = write('outside.csv', '\n\ny,prob\n0,0.2\n\n1,0.7\n0,1.5\n1,-0.1\n');
  const msg = await errorOf(f, ['--scores', 'probabilities']);
  assert.match(msg, /The scores of "prob" are not all probabilities: line 7 holds a value outside \[0, 1\]/);
  const auto = await classify(f);
  assert.equal(auto.models[0].scores, 'logits');
  assert.notEqual(auto.models[0].metrics.hinge, null, 'logits have a hinge loss');
  const jsonl = write('outside.jsonl', '{"y":0,"prob":0.2}\n{"y":1,"prob":0.7}\n\n{"y":0,"prob":1.0000001}\n');
  assert.match(await errorOf(jsonl, ['--scores', 'probabilities']), /line 4 holds a value outside/);
});

test('empty and NA labels are counted skips, in every format', async () => {
  const clean = [
    ['0', 0.2],
    ['1', 0.7],
    ['0', 0.6],
    ['1', 0.9],
    ['0', 0.1],
  ];
  const want = await classify(write('clean.csv', csv('y,prob', clean)));
  const dirty = write('dirty.csv', csv('y,prob', [clean[0], ['', 0.3], clean[1], ['NA', 0.4], clean[2], [' ', 0.5], clean[3], ['null', 0.5], clean[4]]));
  const r = await classify(dirty);
  assert.deepEqual(r.rows.skippedByReason, { empty: 2, na: 2 });
  assert.deepEqual(r.rows.firstSkippedLines, { empty: [3, 7], na: [5, 9] });
  assert.deepEqual(r.models[0].metrics, want.models[0].metrics);
  const jsonl = write(
    'dirty.jsonl',
    ['{"y":0,"prob":0.2}', '{"y":"","prob":0.3}', '{"y":1,"prob":0.7}', '{"y":null,"prob":0.4}', '{"y":0,"prob":0.6}', '{"y":"NA","prob":0.5}', '{"y":1,"prob":0.9}', '{"prob":0.5}', '{"y":0,"prob":0.1}'].join('\n') + '\n',
  );
  const j = await classify(jsonl);
  assert.deepEqual(j.classes, ['0', '1'], 'a "NA" string is no class');
  assert.deepEqual(j.rows.skippedByReason, { empty: 1, na: 2, missingField: 1 });
  assert.deepEqual(j.models[0].metrics, want.models[0].metrics);
});

test('one class only: ROC AUC and average precision are null with a warning, the other metrics still hold', async () => {
  const p = [0.2, 0.7, 0.4, 0.9];
  const positives = await classify(write('allOnes.csv', csv('y,prob', p.map((x) => ['1', x]))), ['--task', 'binary']);
  const negatives = await classify(write('allZeros.csv', csv('y,prob', p.map((x) => ['0', x]))), ['--task', 'binary']);
  for (const r of [positives, negatives]) {
    assert.equal(r.models[0].metrics.rocAuc, null);
    assert.equal(r.models[0].metrics.averagePrecision, null);
    assert.equal(r.warnings.length, 1);
    assert.match(r.warnings[0], /holds one class only \("[01]"\), so ROC AUC and average precision are undefined/);
  }
  // The scores are the probability of class 1 in both files (log_loss(labels=[0, 1])).
  assert.equal(positives.positive, '1');
  assert.equal(negatives.positive, '1', 'a file of 0s has no positive row: 1 stays the positive class');
  near(positives.models[0].metrics.logLoss, -p.reduce((s, x) => s + Math.log(x), 0) / 4, 'log loss of 1s');
  near(negatives.models[0].metrics.logLoss, -p.reduce((s, x) => s + Math.log(1 - x), 0) / 4, 'log loss of 0s');
  assert.equal(negatives.models[0].metrics.accuracy, 0.5, 'two of four scored below 0.5');
  assert.equal(negatives.models[0].metrics.recall, 0, 'no positive: recall 0 (zero_division)');
  assert.deepEqual(negatives.models[0].confusion, { labels: ['0', '1'], counts: [[2, 2], [0, 0]] });
  // Strings: no/false alone are negatives too.
  const no = await classify(write('allNo.csv', csv('y,prob', p.map((x) => ['no', x]))), ['--task', 'binary']);
  assert.equal(no.positive, 'yes');
  near(no.models[0].metrics.logLoss, negatives.models[0].metrics.logLoss as number, 'no alone = 0 alone');
  // --positive may name the class the file lacks.
  const asked = await classify(write('allZeros2.csv', csv('y,prob', p.map((x) => ['0', x]))), ['--task', 'binary', '--positive', '1']);
  assert.deepEqual(asked.models[0].metrics, negatives.models[0].metrics);
});

test('bad input sentences: --positive not a class, weights adding up to 0, more than 1000 labels', async () => {
  const f = write('pos.csv', csv('y,prob', [['0', 0.2], ['1', 0.7], ['0', 0.4]]));
  assert.match(await errorOf(f, ['--positive', '2']), /^--positive "2" is not a value of the label column "y" \(its values are "0" and "1"\)\.$/);
  const w = write('w0.csv', csv('y,prob,w', [['0', 0.2, 0], ['1', 0.7, 0], ['0', 0.4, 0]]));
  assert.match(await errorOf(w, ['--weight', 'w']), /The weights in column "w" of '.*w0\.csv' add up to 0, so no weighted mean exists\./);
  const many = write('many.csv', csv('y,prob', Array.from({ length: 1200 }, (_, i) => [`c${i}`, 0.5])));
  assert.match(await errorOf(many, ['--task', 'binary']), /The label column "y" of '.*many\.csv' has more than 1000 distinct values: it is not a class label/);
});

test('infinite scores are counted skips, never NaN metrics', async () => {
  const base = [
    ['0', '0.2', '-1.5'],
    ['1', '0.7', '0.5'],
    ['0', '0.6', '2'],
    ['1', '0.9', '3'],
  ];
  const want = await classify(write('finite.csv', csv('y,prob,logit', base)), ['--prediction', 'prob,logit']);
  for (const bad of ['inf', '-inf', 'Infinity', '1e999', '-1e400']) {
    const rows = [base[0], ['1', bad, '1'], base[1], ['0', '0.5', bad], base[2], base[3]];
    const r = await classify(write('inf.csv', csv('y,prob,logit', rows)), ['--prediction', 'prob,logit']);
    assert.deepEqual(r.rows.skippedByReason, { infinite: 2 }, bad);
    assert.deepEqual(r.rows.firstSkippedLines, { infinite: [3, 5] }, bad);
    assert.deepEqual(r.models.map((m) => m.metrics), want.models.map((m) => m.metrics), bad);
    assert.deepEqual(r.warnings, []);
  }
  const jsonl = write('inf.jsonl', '{"y":0,"prob":0.2,"logit":-1.5}\n{"y":1,"prob":"Infinity","logit":1}\n{"y":1,"prob":0.7,"logit":0.5}\n{"y":0,"prob":0.6,"logit":2}\n{"y":1,"prob":0.9,"logit":1e999}\n{"y":1,"prob":0.9,"logit":3}\n');
  const j = await classify(jsonl, ['--prediction', 'prob,logit']);
  assert.deepEqual(j.rows.skippedByReason, { infinite: 2 });
  assert.deepEqual(j.models.map((m) => m.metrics), want.models.map((m) => m.metrics));
});

// ------------------------------------------------------------------------------------------------
// 6. The positive class
// ------------------------------------------------------------------------------------------------

test('the positive class: 1, true or yes, else the greater label; --positive overrides; "1" and "1.0" are one class', async () => {
  const p = [0.2, 0.8, 0.4, 0.9, 0.3];
  const labels = (a: string, b: string) => [a, b, a, b, b];
  const file = (name: string, a: string, b: string) => write(name, csv('y,prob', labels(a, b).map((l, i) => [l, p[i]])));
  for (const [a, b, positive] of [
    ['0', '1', '1'],
    ['-1', '1', '1'],
    ['false', 'true', 'true'],
    ['FALSE', 'TRUE', 'TRUE'],
    ['no', 'yes', 'yes'],
    ['ham', 'spam', 'spam'],
    ['b', 'a', 'b'],
    ['yes', 'maybe', 'yes'],
  ]) {
    const r = await classify(file(`pos-${a}.csv`, a, b));
    assert.equal(r.positive, positive, `${a}/${b}`);
  }
  // The same rows with 0/1 labels: the metrics of "spam" as positive, and of "ham" with 1 − p.
  const ref = await classify(file('ref.csv', '0', '1'));
  const spam = await classify(file('spam.csv', 'ham', 'spam'));
  assert.deepEqual(spam.models[0].metrics, ref.models[0].metrics);
  const hamFirst = write('ham.csv', csv('y,prob', labels('1', '0').map((l, i) => [l, p[i]])));
  const flipped = await classify(hamFirst);
  const ham = await classify(file('ham2.csv', 'ham', 'spam'), ['--positive', 'ham']);
  assert.equal(ham.positive, 'ham');
  assert.deepEqual(ham.models[0].metrics, flipped.models[0].metrics, '--positive ham: the scores are P(ham)');
  assert.deepEqual(ham.models[0].confusion.labels, ['spam', 'ham'], 'negative first');
  assert.deepEqual((await classify(file('one.csv', '0', '1'), ['--positive', '1.0'])).models[0].metrics, ref.models[0].metrics, '--positive 1.0 is class 1');
  // "1" and "1.0" (and " 1"): one class, named as first written.
  const mixed = write('mixed.csv', csv('y,prob', [['0', 0.2], ['1.0', 0.8], ['0.0', 0.4], ['1', 0.9], [' 1', 0.3]]));
  const m = await classify(mixed);
  assert.deepEqual(m.classes, ['0', '1.0']);
  assert.equal(m.positive, '1.0');
  assert.deepEqual(m.models[0].metrics, ref.models[0].metrics);
});

// ------------------------------------------------------------------------------------------------
// 7. Worst rows
// ------------------------------------------------------------------------------------------------

/** The K rows of largest log loss, ties to the earlier line, from every row (the reference). */
function expectedWorst(rows: { line: number; y: number; s: number }[], logits: boolean, k: number) {
  const t = new Float64Array(5);
  return rows
    .map((r) => {
      if (logits) logitTerms(r.s, r.y, DEFAULT_BINARY_PARAMS, t);
      else probabilityTerms(r.s, r.y, DEFAULT_BINARY_PARAMS, t);
      return { line: r.line, loss: t[T_LOG] };
    })
    .sort((a, b) => b.loss - a.loss || a.line - b.line)
    .slice(0, k);
}

test('worst rows: the most confidently wrong by log loss, their lines (header offset, blank lines), ties by line, K from --top', async () => {
  const f = write('worst.csv', '\n\ny,prob\n1,0.1\n\n0,0.9\n1,0.5\n0,0.95\n1,0.1\n');
  const r = await classify(f, ['--top', '3']);
  // 1 − 0.9 is 0.09999999999999998: line 6 is a little worse than lines 4 and 9 (a tie: 4 first).
  assert.deepEqual(
    r.models[0].worst.map((w) => [w.line, w.label, w.predicted, w.probability]),
    [
      [8, '0', '1', 1 - 0.95],
      [6, '0', '1', 1 - 0.9],
      [4, '1', '0', 0.1],
    ],
  );
  near(r.models[0].worst[0].loss, -Math.log(1 - 0.95), 'its loss is its log loss');
  assert.equal((await classify(f, ['--top', '0'])).models[0].worst.length, 0);
  assert.deepEqual(
    (await classify(f, ['--top', '100'])).models[0].worst.map((w) => w.line),
    [8, 6, 4, 9, 7],
    'every row, worst first, ties (4, 9) by line',
  );

  // Probabilities 0 and 1e-20 (and 1 and 1 − 1e-16) are clipped to the same ε: equal losses, so
  // the earlier lines win.
  const clipped = write('clipped.csv', csv('y,prob', [['1', '1e-20'], ['1', '0'], ['0', '1'], ['1', '0'], ['0', '0.9999999999999999'], ['0', '0.3']]));
  assert.deepEqual(
    (await classify(clipped, ['--top', '2'])).models[0].worst.map((w) => w.line),
    [2, 3],
    'the first two of the five rows of loss −log ε',
  );
  assert.deepEqual((await classify(clipped, ['--top', '4'])).models[0].worst.map((w) => w.line), [2, 3, 4, 5]);

  // Random rows with many ties and blank lines, in CSV and JSON Lines, probabilities and logits.
  const next = rng(99);
  const rows: { line: number; y: number; p: number; z: number }[] = [];
  const csvLines = ['y,prob,logit'];
  const jsonLines: string[] = [];
  for (let i = 0; i < 3000; i++) {
    if (next() < 0.05) {
      csvLines.push('');
      jsonLines.push('');
    }
    const y = next() < 0.5 ? 1 : 0;
    const p = Math.round(next() * 20) / 20;
    const z = Math.round((next() - 0.5) * 16) / 2;
    csvLines.push(`${y},${p},${z}`);
    jsonLines.push(JSON.stringify({ y, prob: p, logit: z }));
    rows.push({ line: csvLines.length, y, p, z });
  }
  const rc = write('ties.csv', csvLines.join('\n') + '\n');
  const rj = write('ties.jsonl', jsonLines.join('\n') + '\n');
  for (const k of [1, 7, 50]) {
    const c = await classify(rc, ['--prediction', 'prob,logit', '--top', String(k)]);
    const j = await classify(rj, ['--prediction', 'prob,logit', '--top', String(k)]);
    for (const [m, logits] of [
      [0, false],
      [1, true],
    ] as [number, boolean][]) {
      const want = expectedWorst(rows.map((r) => ({ line: r.line, y: r.y, s: logits ? r.z : r.p })), logits, k);
      assert.deepEqual(c.models[m].worst.map((w) => ({ line: w.line, loss: w.loss })), want, `CSV, model ${m}, K ${k}`);
      assert.deepEqual(j.models[m].worst.map((w) => ({ line: w.line + 1, loss: w.loss })), want, `JSON Lines (no header line), model ${m}, K ${k}`);
      for (const w of c.models[m].worst) {
        const row = rows.find((x) => x.line === w.line);
        assert.ok(row);
        assert.equal(w.label, String(row.y));
      }
    }
  }
});

// ------------------------------------------------------------------------------------------------
// 8. Groups
// ------------------------------------------------------------------------------------------------

test('group-by: each group’s metrics are the metrics of its rows alone', async () => {
  const next = rng(5);
  type R = { g: string; y: number; p: number; z: number; w: number };
  const rows: R[] = [];
  for (let i = 0; i < 600; i++) {
    const g = ['north', 'south', 'east', 'west'][Math.floor(next() * 4)];
    // "west" holds negatives only: its AUC and AP are undefined.
    const y = g === 'west' ? 0 : next() < 0.45 ? 1 : 0;
    const z = Math.round(((next() - 0.5) * 6 + (y ? 0.7 : -0.7)) * 100) / 100;
    rows.push({ g, y, p: 1 / (1 + Math.exp(-z)), z, w: Math.round(next() * 2000) / 1000 });
  }
  const line = (r: R) => [r.y, r.p, r.z, r.w, r.g];
  const all = write('groups.csv', csv('y,prob,logit,w,g', rows.map(line)));
  for (const weighted of [false, true]) {
    const flags = ['--task', 'binary', '--positive', '1', '--prediction', 'prob,logit', ...(weighted ? ['--weight', 'w'] : [])];
    const r = await classify(all, [...flags, '--group-by', 'g']);
    assert.ok(r.groups);
    assert.equal(r.groups.distinct, 4);
    assert.deepEqual(r.groups.groups.map((g) => g.value).sort(), ['east', 'north', 'south', 'west']);
    for (const g of r.groups.groups) {
      const mine = rows.filter((x) => x.g === g.value);
      assert.equal(g.rows, mine.length);
      const alone = await classify(write(`g-${g.value}.csv`, csv('y,prob,logit,w,g', mine.map(line))), flags);
      assert.deepEqual(g.metrics, alone.models.map((m) => m.metrics), `${g.value}${weighted ? ', weighted' : ''}`);
      if (g.value === 'west') assert.equal(g.metrics[0].rocAuc, null);
    }
  }
});
