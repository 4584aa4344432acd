/**
 * `compare` (#15 item 4): two files' rows joined by a key or by row order, the joined report's
 * numbers equal to the single-file engine's, and the sentences for files that do not hold the
 * same rows (targets that differ, duplicate keys, row counts), with missing keys counted.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareFiles, type CompareOptions } from '../../src/engine/compare';
import { analyze } from '../../src/engine/analyze';
import { memorySource } from '../../src/engine/source';
import { isLossInspectorError } from '../../src/core/errors';
import { compareTextReport } from '../../src/core/compare/text';
import { joinSentence } from '../../src/core/compare/words';
import { compareRefusal, splitKey } from '../../src/cli/compareCli';
import { parseArgs, type CliArgs } from '../../src/cli/cli';

const enc = new TextEncoder();
const src = (name: string, text: string) => memorySource(enc.encode(text), name);
const OPTS: CompareOptions = { params: { beta: 1, delta: 1, quantile: 0.5 }, topK: 3, bins: 10, intervals: { confidence: 0.95 } };

const A = 'id,y,pred\n1,10,11\n2,20,18\n3,30,33\n4,40,40.5\n5,50,45\n';
// B: the same rows in another order, row 3 missing, a row 9 only in B, an empty key, new predictions.
const B = 'id,y,pred\n5,50,49\n2,20,20.5\n,7,7\n1,10,10\n9,1,2\n4,40,42\n';

function fails(f: () => unknown, re: RegExp, code = 'filesDiffer'): void {
  assert.throws(f, (e: unknown) => {
    assert.ok(isLossInspectorError(e), String(e));
    assert.equal(e.code, code);
    assert.match(e.message, re);
    return true;
  });
}

test('join by key: rows paired whatever their order, missing and empty keys counted with their lines', () => {
  const r = compareFiles(src('a.csv', A), src('b.csv', B), { ...OPTS, key: 'id' });
  assert.deepEqual(r.models.map((m) => m.prediction), ['a.csv:pred', 'b.csv:pred']);
  const c = r.compare;
  assert.equal(c.key, 'id');
  assert.deepEqual([c.rows.a, c.rows.b, c.rows.joined], [5, 6, 4]);
  assert.deepEqual(c.rows.onlyInA, { count: 1, lines: [4] });
  assert.deepEqual(c.rows.onlyInB, { count: 1, lines: [6] });
  assert.deepEqual(c.rows.noKey.b, { count: 1, lines: [4] });
  assert.equal(r.rows.used, 4);
  // Joined rows (B's order): 5, 2, 1, 4. MAE of A: (5 + 2 + 1 + 0.5) / 4; of B: (1 + 0.5 + 0 + 2) / 4.
  assert.equal(r.models[0].metrics.mae, 8.5 / 4);
  assert.equal(r.models[1].metrics.mae, 3.5 / 4);
  assert.equal(r.baseline, 'a.csv:pred');
  assert.ok(r.comparisons.some((x) => x.metric === 'mae' && x.a === 'a.csv:pred' && x.b === 'b.csv:pred' && x.difference === -5 / 4));
  // Changed most: row 5 (|−1| − |−5| = −4), then row 2 (−1.5), row 4 (+1.5: worse in B) after it (same |change|, later in B).
  assert.deepEqual(c.changed[0].rows.map((x) => [x.key, x.lineA, x.lineB, x.change]), [['5', 6, 2, -4], ['2', 3, 3, -1.5], ['4', 5, 7, 1.5]]);
  assert.equal(
    joinSentence(c),
    `4 rows of 'a.csv' (5 read) and 'b.csv' (6 read) joined by "id"; left out: 1 row only in 'a.csv' (line 4 of 'a.csv'); 1 row only in 'b.csv' (line 6 of 'b.csv'); 1 row without a key (line 4 of 'b.csv').`,
  );
  const text = compareTextReport(r);
  assert.ok(text.startsWith(joinSentence(c)), text);
  assert.match(text, /line A {2}line B {2}id {2}target/);
});

test('join by order: the joined report equals the one-file engine’s numbers bit for bit', async () => {
  const text = 'y,pred_p,pred_q\n' + Array.from({ length: 300 }, (_, i) => `${(i * 7) % 31},${((i * 7) % 31) + Math.sin(i)},${((i * 7) % 31) + Math.cos(i) * 2}`).join('\n') + '\n';
  const other = 'y,pred_p\n' + Array.from({ length: 300 }, (_, i) => `${(i * 7) % 31},${((i * 7) % 31) + Math.sin(i * 3) / 2}`).join('\n') + '\n';
  const r = compareFiles(src('a.csv', text), src('b.csv', other), OPTS);
  assert.equal(r.compare.key, null);
  assert.deepEqual(r.models.map((m) => m.prediction), ['a.csv:pred_p', 'a.csv:pred_q', 'b.csv:pred_p']);
  const one = await analyze(src('a.csv', text), { params: OPTS.params, topK: 3, bins: 10, intervals: { confidence: 0.95 } });
  for (const i of [0, 1]) {
    assert.deepEqual(r.models[i].metrics, one.models[i].metrics, `model ${i}`);
    assert.deepEqual(r.models[i].intervals, one.models[i].intervals);
    assert.deepEqual(r.models[i].worst, one.models[i].worst, 'worst rows: the lines of the first file');
  }
  assert.deepEqual(r.comparisons.filter((c) => c.b === 'a.csv:pred_q'), one.comparisons.map((c) => ({ ...c, a: `a.csv:${c.a}`, b: `a.csv:${c.b}` })));
  // Pairs of models in the same place: A's first with B's first only.
  assert.deepEqual(r.compare.changed.map((c) => [c.a, c.b]), [['a.csv:pred_p', 'b.csv:pred_p']]);
  assert.equal(r.compare.changed[0].rows.length, 3);
  assert.ok(r.compare.changed[0].rows.every((x) => x.key === null && x.lineA === x.lineB));
});

test('join by order: a row whose target differs, or another row count, is a sentence with the first line that differs', () => {
  fails(() => compareFiles(src('a.csv', A), src('b.csv', B), OPTS), /^Row 1 differs: its target is 10 on line 2 of 'a\.csv' and 50 on line 2 of 'b\.csv'\. Without --key/);
  fails(() => compareFiles(src('a.csv', A), src('b.csv', A.split('\n').slice(0, 4).join('\n') + '\n'), OPTS), /^'a\.csv' has 5 data rows and 'b\.csv' has 3: without --key/);
  // An unusable row keeps its place: its pair is left out, the next rows still pair.
  const r = compareFiles(src('a.csv', A.replace('3,30,33', '3,30,NA')), src('b.csv', A), OPTS);
  assert.deepEqual([r.compare.rows.joined, r.compare.rows.unusableA.count, r.compare.rows.unusableA.lines[0]], [4, 1, 4]);
});

test('join by key: a duplicate key in either file, a key whose targets differ, a key column missing', () => {
  fails(() => compareFiles(src('a.csv', A + '2,20,19\n'), src('b.csv', B), { ...OPTS, key: 'id' }), /^The key column "id" has the value "2" on two rows of 'a\.csv' \(lines 3 and 7\)/);
  fails(() => compareFiles(src('a.csv', A), src('b.csv', B + '2,20,1\n'), { ...OPTS, key: 'id' }), /^The key column "id" has the value "2" on two rows of 'b\.csv' \(lines 3 and 8\)/);
  fails(() => compareFiles(src('a.csv', A), src('b.csv', B + '9,1,1\n'), { ...OPTS, key: 'id' }), /value "9" on two rows of 'b\.csv' \(lines 6 and 8\)/);
  fails(() => compareFiles(src('a.csv', A), src('b.csv', B.replace('4,40,42', '4,41,42')), { ...OPTS, key: 'id' }), /^The key "4" has the target 40 on line 5 of 'a\.csv' and 41 on line 7 of 'b\.csv'/);
  fails(() => compareFiles(src('a.csv', A), src('b.csv', B.replace('id,', 'row,')), { ...OPTS, key: 'id' }), /^The key column "id" is not a column of 'b\.csv'/, 'unknownColumn');
  fails(() => compareFiles(src('a.csv', A), src('b.csv', 'id,y,pred\n7,1,1\n'), { ...OPTS, key: 'id' }), /^No row of 'a\.csv' has a partner in 'b\.csv' with the same "id"/, 'noUsableRows');
});

test('keys of JSON Lines files and string keys beyond the group-by limit (1000) are joined', () => {
  const n = 2500;
  const a = Array.from({ length: n }, (_, i) => JSON.stringify({ key: `k${i}`, y: i, pred: i + 1 })).join('\n') + '\n';
  const b = Array.from({ length: n }, (_, i) => JSON.stringify({ key: `k${n - 1 - i}`, y: n - 1 - i, pred: n - 1 - i + (i % 2 ? 2 : 0.5) })).join('\n') + '\n';
  const r = compareFiles(src('a.jsonl', a), src('b.jsonl', b), { ...OPTS, key: 'key' });
  assert.equal(r.compare.rows.joined, n);
  assert.equal(r.models[0].metrics.mae, 1);
  assert.equal(r.models[1].metrics.mae, 1.25);
  assert.equal(r.compare.changed[0].rows[0].change, 1);
});

test('compare’s command line: --key taken out, two files, no weight or group-by', () => {
  assert.deepEqual(splitKey(['a.csv', '--key', 'id', 'b.csv', '--json']), { key: 'id', rest: ['a.csv', 'b.csv', '--json'], missing: false });
  assert.equal(splitKey(['a.csv', 'b.csv', '--key']).missing, true);
  const args = (argv: string[]) => parseArgs(argv) as CliArgs;
  assert.equal(compareRefusal(args(['a.csv', 'b.csv'])), undefined);
  assert.equal(compareRefusal(args(['a.csv'])), 'compare reads two files (got 1: a.csv).');
  assert.equal(compareRefusal(args(['a.csv', 'b.csv', '--weight', 'w'])), 'compare does not take --weight yet.');
  assert.match(compareRefusal(args(['a.csv', 'b.csv', '--task', 'binary'])) ?? '', /regression predictions only/);
});
