/**
 * `compare` (#15 items 3 and 4): two or three files' rows joined by a key or by row order, the
 * joined report's numbers equal to the single-file engine's on the joined rows, the changed rows'
 * lines in their own files, and the sentences for files that do not hold the same rows (targets
 * that differ, duplicate keys, row counts), naming the file and line, with missing keys counted.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareFiles as compareAny } from '../../src/engine/compare';
import { fails, OPTS, src } from '../helpers/compare';
import type { CompareReport } from '../../src/core/compare/report';
import { analyze } from '../../src/engine/analyze';
import { compareTextReport } from '../../src/core/compare/text';
import { joinSentence } from '../../src/core/compare/words';
import { compareRefusal, splitKey } from '../../src/cli/compareCli';
import { parseArgs, type CliArgs } from '../../src/cli/cli';


const A = 'id,y,pred\n1,10,11\n2,20,18\n3,30,33\n4,40,40.5\n5,50,45\n';
// B: the same rows in another order, row 3 missing, a row 9 only in B, an empty key, new predictions.
const B = 'id,y,pred\n5,50,49\n2,20,20.5\n,7,7\n1,10,10\n9,1,2\n4,40,42\n';

/** These files hold regression predictions: their report is regression's (no `task`). */
function compareFiles(...a: Parameters<typeof compareAny>): CompareReport {
  const r = compareAny(...a);
  assert.ok(!('task' in r), 'a regression report');
  return r;
}


test('join by key: rows paired whatever their order, missing and empty keys counted with their lines', () => {
  const r = compareFiles([src('a.csv', A), src('b.csv', B)], { ...OPTS, key: 'id' });
  assert.deepEqual(r.models.map((m) => m.prediction), ['a.csv:pred', 'b.csv:pred']);
  const c = r.compare;
  assert.equal(c.key, 'id');
  assert.deepEqual([...c.rows.files.map((f) => f.read), c.rows.joined], [5, 6, 4]);
  assert.deepEqual(c.rows.files[1].missing, { count: 1, lines: [4] }, 'row 3 of a.csv (line 4) is not in b.csv');
  assert.deepEqual(c.rows.files[1].onlyHere, { count: 1, lines: [6] });
  assert.deepEqual(c.rows.files[1].noKey, { count: 1, lines: [4] });
  assert.equal(r.rows.used, 4);
  // Joined rows (B's order): 5, 2, 1, 4. MAE of A: (5 + 2 + 1 + 0.5) / 4; of B: (1 + 0.5 + 0 + 2) / 4.
  assert.equal(r.models[0].metrics.mae, 8.5 / 4);
  assert.equal(r.models[1].metrics.mae, 3.5 / 4);
  assert.equal(r.baseline, 'a.csv:pred');
  assert.ok(r.comparisons.some((x) => x.metric === 'mae' && x.a === 'a.csv:pred' && x.b === 'b.csv:pred' && x.difference === -5 / 4));
  // Changed most: row 5 (|−1| − |−5| = −4), then row 2 (−1.5), row 4 (+1.5: worse in B) after it (same |change|, later in B).
  assert.deepEqual([c.changed[0].fileA, c.changed[0].fileB], [0, 1]);
  assert.deepEqual(c.changed[0].rows.map((x) => [x.key, x.lineA, x.lineB, x.change]), [['5', 6, 2, -4], ['2', 3, 3, -1.5], ['4', 5, 7, 1.5]]);
  assert.equal(
    joinSentence(c),
    `4 rows of 'a.csv' (5 read) and 'b.csv' (6 read) joined by "id"; left out: 1 row of 'a.csv' not in 'b.csv' (line 4 of 'a.csv'); 1 row of 'b.csv' not in 'a.csv' (line 6 of 'b.csv'); 1 row without a key (line 4 of 'b.csv').`,
  );
  const text = compareTextReport(r);
  assert.ok(text.startsWith(joinSentence(c)), text);
  assert.match(text, /\n {2}line in a\.csv {2}line in b\.csv {2}id {2}target {2}a\.csv:pred {2}b\.csv:pred {2}change\n +6 +2 +5 +50 +45 +49 +-4\n/);
});

test('join by order: the joined report equals the one-file engine’s numbers bit for bit', async () => {
  const text = 'y,pred_p,pred_q\n' + Array.from({ length: 300 }, (_, i) => `${(i * 7) % 31},${((i * 7) % 31) + Math.sin(i)},${((i * 7) % 31) + Math.cos(i) * 2}`).join('\n') + '\n';
  const other = 'y,pred_p\n' + Array.from({ length: 300 }, (_, i) => `${(i * 7) % 31},${((i * 7) % 31) + Math.sin(i * 3) / 2}`).join('\n') + '\n';
  const r = compareFiles([src('a.csv', text), src('b.csv', other)], OPTS);
  assert.equal(r.compare.key, null);
  assert.deepEqual(r.models.map((m) => m.prediction), ['a.csv:pred_p', 'a.csv:pred_q', 'b.csv:pred_p']);
  const one = await analyze(src('a.csv', text), { params: OPTS.params, topK: 3, bins: 10, intervals: { confidence: 0.95 } });
  for (const i of [0, 1]) {
    assert.deepEqual(r.models[i].metrics, one.models[i].metrics, `model ${i}`);
    assert.deepEqual(r.models[i].intervals, one.models[i].intervals);
    assert.deepEqual(r.models[i].worst, one.models[i].worst, 'worst rows: the lines of the first file');
  }
  assert.deepEqual(r.comparisons.filter((c) => c.b === 'a.csv:pred_q'), one.comparisons.map((c) => ({ ...c, a: `a.csv:${c.a}`, b: `a.csv:${c.b}` })));
  // Every model against the baseline (the first file's first), with the file each line is in.
  assert.deepEqual(r.compare.changed.map((c) => [c.a, c.b, c.fileA, c.fileB]), [
    ['a.csv:pred_p', 'a.csv:pred_q', 0, 0],
    ['a.csv:pred_p', 'b.csv:pred_p', 0, 1],
  ]);
  for (const c of r.compare.changed) {
    assert.equal(c.rows.length, 3);
    assert.ok(c.rows.every((x) => x.key === null && x.lineA === x.lineB));
  }
  // Two models of one file: one line column in the text.
  assert.match(compareTextReport(r), /\n {2}line in a\.csv {2}target {2}a\.csv:pred_p {2}a\.csv:pred_q +change\n +2 +0 +0 +2 +2\n/);
});

test('join by order: a row whose target differs, or another row count, is a sentence with the first line that differs', () => {
  fails(() => compareFiles([src('a.csv', A), src('b.csv', B)], OPTS), /^Row 1 differs: its target is 10 on line 2 of 'a\.csv' and 50 on line 2 of 'b\.csv'\. Without --key/);
  fails(() => compareFiles([src('a.csv', A), src('b.csv', A.split('\n').slice(0, 4).join('\n') + '\n')], OPTS), /^'a\.csv' has 5 data rows and 'b\.csv' has 3: without --key/);
  // An unusable row keeps its place: its pair is left out, the next rows still pair.
  const r = compareFiles([src('a.csv', A.replace('3,30,33', '3,30,NA')), src('b.csv', A)], OPTS);
  assert.deepEqual([r.compare.rows.joined, r.compare.rows.files[0].unusable.count, r.compare.rows.files[0].unusable.lines[0]], [4, 1, 4]);
});

test('join by key: a duplicate key in either file, a key whose targets differ, a key column missing', () => {
  fails(() => compareFiles([src('a.csv', A + '2,20,19\n'), src('b.csv', B)], { ...OPTS, key: 'id' }), /^The key column "id" has the value "2" on two rows of 'a\.csv' \(lines 3 and 7\)/);
  fails(() => compareFiles([src('a.csv', A), src('b.csv', B + '2,20,1\n')], { ...OPTS, key: 'id' }), /^The key column "id" has the value "2" on two rows of 'b\.csv' \(lines 3 and 8\)/);
  fails(() => compareFiles([src('a.csv', A), src('b.csv', B + '9,1,1\n')], { ...OPTS, key: 'id' }), /value "9" on two rows of 'b\.csv' \(lines 6 and 8\)/);
  fails(() => compareFiles([src('a.csv', A), src('b.csv', B.replace('4,40,42', '4,41,42'))], { ...OPTS, key: 'id' }), /^The key "4" has the target 40 on line 5 of 'a\.csv' and 41 on line 7 of 'b\.csv'/);
  fails(() => compareFiles([src('a.csv', A), src('b.csv', B.replace('id,', 'row,'))], { ...OPTS, key: 'id' }), /^The key column "id" is not a column of 'b\.csv'/, 'unknownColumn');
  fails(() => compareFiles([src('a.csv', A), src('b.csv', 'id,y,pred\n7,1,1\n')], { ...OPTS, key: 'id' }), /^No row of 'a\.csv' has a partner in 'b\.csv' with the same "id"/, 'noUsableRows');
});

test('keys of JSON Lines files and string keys beyond the group-by limit (1000) are joined', () => {
  const n = 2500;
  const a = Array.from({ length: n }, (_, i) => JSON.stringify({ key: `k${i}`, y: i, pred: i + 1 })).join('\n') + '\n';
  const b = Array.from({ length: n }, (_, i) => JSON.stringify({ key: `k${n - 1 - i}`, y: n - 1 - i, pred: n - 1 - i + (i % 2 ? 2 : 0.5) })).join('\n') + '\n';
  const r = compareFiles([src('a.jsonl', a), src('b.jsonl', b)], { ...OPTS, key: 'key' });
  assert.equal(r.compare.rows.joined, n);
  assert.equal(r.models[0].metrics.mae, 1);
  assert.equal(r.models[1].metrics.mae, 1.25);
  assert.equal(r.compare.changed[0].rows[0].change, 1);
});

test('compare’s command line: --key taken out, two or more files, a weight and a group-by', () => {
  assert.deepEqual(splitKey(['a.csv', '--key', 'id', 'b.csv', '--json']), { key: 'id', rest: ['a.csv', 'b.csv', '--json'], missing: false });
  assert.equal(splitKey(['a.csv', 'b.csv', '--key']).missing, true);
  const args = (argv: string[]) => parseArgs(argv) as CliArgs;
  assert.equal(compareRefusal(args(['a.csv', 'b.csv'])), undefined);
  assert.equal(compareRefusal(args(['a.csv', 'b.csv', 'c.csv'])), undefined);
  assert.equal(compareRefusal(args(['a.csv'])), 'compare reads two or more files (got 1: a.csv).');
  assert.equal(compareRefusal(args(['a.csv', 'b.csv', '--weight', 'w'])), undefined);
  assert.equal(compareRefusal(args(['a.csv', 'b.csv', '--group-by', 'g'])), undefined);
  assert.equal(compareRefusal(args(['a.csv', 'b.csv', '--task', 'multiclass'])), undefined);
  assert.equal(compareRefusal(args(['a.csv', 'b.csv', '--task', 'binary'])), undefined);
});

// ---- three files ----------------------------------------------------------------------------

const N3 = 60;
const y3 = (i: number) => 10 + ((i * 7) % 13) + i / 8;
const predOf = {
  a: (i: number) => y3(i) + (((i * 5) % 7) - 3) * 0.5,
  b: (i: number) => (i % 11 === 4 ? y3(i) + 6 + i / 10 : y3(i) + (((i * 3) % 5) - 2) * 0.25),
  c: (i: number) => y3(i) + Math.sin(i) * 1.5,
};
/** A file of rows `order` (indices), its line of each: header on line 1. */
function file3(order: number[], pred: (i: number) => number, extra = ''): { text: string; line: Map<number, number> } {
  const line = new Map(order.map((i, at) => [i, at + 2]));
  return { text: 'id,y,pred\n' + order.map((i) => `k${i},${y3(i)},${pred(i)}`).join('\n') + '\n' + extra, line };
}
const all = Array.from({ length: N3 }, (_, i) => i);

/** The single-file engine on rows `joined` (in that order): target y, models a, b, c. */
function oneFile(joined: number[]) {
  const text = 'y,a,b,c\n' + joined.map((i) => `${y3(i)},${predOf.a(i)},${predOf.b(i)},${predOf.c(i)}`).join('\n') + '\n';
  return analyze(src('joined.csv', text), { ...OPTS, columns: { target: 'y', predictions: ['a', 'b', 'c'] } });
}

/** The K rows of largest |change| from a to m (ties: the earlier joined row), as the report lists them. */
function topChanged(joined: number[], m: 'b' | 'c', k: number) {
  return joined
    .map((i, at) => ({ i, at, change: Math.abs(predOf[m](i) - y3(i)) - Math.abs(predOf.a(i) - y3(i)) }))
    .filter((x) => x.change !== 0)
    .sort((x, y) => Math.abs(y.change) - Math.abs(x.change) || x.at - y.at)
    .slice(0, k);
}

test('three files by key: the report equals the one-file engine on the joined rows; each changed line is in its own file', async () => {
  const A3 = file3(all, predOf.a);
  // b.csv: reversed, without k7, with a row only it has; c.csv: rotated, without k20.
  const B3 = file3([...all].reverse().filter((i) => i !== 7), predOf.b, 'x1,3,4\n');
  const cOrder = [...all.slice(13), ...all.slice(0, 13)].filter((i) => i !== 20);
  const C3 = file3(cOrder, predOf.c);
  const r = compareFiles([src('a.csv', A3.text), src('b.csv', B3.text), src('c.csv', C3.text)], { ...OPTS, key: 'id' });
  // The joined rows: c.csv's order (the last file streams), those every file has.
  const joined = cOrder.filter((i) => i !== 7);
  assert.deepEqual(r.models.map((m) => m.prediction), ['a.csv:pred', 'b.csv:pred', 'c.csv:pred']);
  assert.equal(r.rows.used, joined.length);
  const one = await oneFile(joined);
  const name = (m: string) => `${m}.csv:pred`;
  for (const [i, m] of ['a', 'b', 'c'].entries()) {
    assert.deepEqual(r.models[i].metrics, one.models[i].metrics, `${m}: metrics`);
    assert.deepEqual(r.models[i].intervals, one.models[i].intervals, `${m}: intervals`);
    // The worst rows: the same rows, at their line in a.csv.
    assert.deepEqual(
      r.models[i].worst,
      one.models[i].worst.map((w) => ({ ...w, line: A3.line.get(joined[w.line - 2]) })),
      `${m}: worst rows at a.csv's lines`,
    );
  }
  assert.deepEqual(r.comparisons, one.comparisons.map((c) => ({ ...c, a: name(c.a), b: name(c.b) })));

  const c = r.compare;
  assert.deepEqual(c.files, ['a.csv', 'b.csv', 'c.csv']);
  assert.deepEqual(c.prefixes, ['a.csv', 'b.csv', 'c.csv']);
  assert.deepEqual(c.columns, [0, 1, 2].map(() => ({ target: 'y', predictions: ['pred'] })));
  assert.equal(c.rows.joined, joined.length);
  assert.deepEqual(c.rows.files.map((f) => f.read), [60, 60, 59]);
  assert.deepEqual(c.rows.files[1].missing, { count: 1, lines: [A3.line.get(7)] });
  assert.deepEqual(c.rows.files[1].onlyHere, { count: 1, lines: [61] });
  assert.deepEqual(c.rows.files[2].missing, { count: 1, lines: [A3.line.get(20)] });
  assert.equal(
    joinSentence(c),
    `58 rows of 'a.csv' (60 read), 'b.csv' (60 read) and 'c.csv' (59 read) joined by "id"; left out: 1 row of 'a.csv' not in 'b.csv' (line 9 of 'a.csv'); 1 row of 'b.csv' not in 'a.csv' (line 61 of 'b.csv'); 1 row of 'a.csv' not in 'c.csv' (line 22 of 'a.csv').`,
  );
  assert.deepEqual(c.changed.map((m) => [m.a, m.b, m.fileA, m.fileB]), [
    ['a.csv:pred', 'b.csv:pred', 0, 1],
    ['a.csv:pred', 'c.csv:pred', 0, 2],
  ]);
  const lineIn = { b: B3.line, c: C3.line };
  for (const [at, m] of (['b', 'c'] as const).entries()) {
    assert.deepEqual(
      c.changed[at].rows.map((x) => [x.key, x.lineA, x.lineB, x.change]),
      topChanged(joined, m, OPTS.topK).map((x) => [`k${x.i}`, A3.line.get(x.i), lineIn[m].get(x.i), x.change]),
      `changed rows a → ${m}: the key's line in a.csv and in ${m}.csv`,
    );
  }
  const text = compareTextReport(r);
  assert.match(text, /\n {2}line in a\.csv {2}line in c\.csv +id +target +a\.csv:pred +c\.csv:pred +change\n/);
});

test('three files by row order: the report equals the one-file engine’s, lines and all', async () => {
  const [A3, B3, C3] = [file3(all, predOf.a), file3(all, predOf.b), file3(all, predOf.c)];
  const r = compareFiles([src('a.csv', A3.text), src('runs/b.csv', B3.text), src('other/b.csv', C3.text)], OPTS);
  // Two files named b.csv: told apart by their folders.
  assert.deepEqual(r.compare.prefixes, ['a.csv', 'runs/b.csv', 'other/b.csv']);
  assert.deepEqual(r.models.map((m) => m.prediction), ['a.csv:pred', 'runs/b.csv:pred', 'other/b.csv:pred']);
  const one = await oneFile(all);
  for (const i of [0, 1, 2]) {
    assert.deepEqual(r.models[i].metrics, one.models[i].metrics, `model ${i}`);
    assert.deepEqual(r.models[i].worst, one.models[i].worst, `model ${i}: worst rows (the same lines)`);
  }
  assert.equal(r.compare.rows.joined, N3);
  assert.deepEqual(r.compare.changed.map((m) => [m.fileA, m.fileB]), [[0, 1], [0, 2]]);
  assert.deepEqual(
    r.compare.changed[1].rows.map((x) => [x.lineA, x.lineB, x.change]),
    topChanged(all, 'c', OPTS.topK).map((x) => [x.i + 2, x.i + 2, x.change]),
  );
});

test('three files: the baseline may be another file’s model; the changed rows then start from its file', () => {
  const [A3, B3, C3] = [file3(all, predOf.a), file3(all, predOf.b), file3(all, predOf.c)];
  const r = compareFiles([src('a.csv', A3.text), src('b.csv', B3.text), src('c.csv', C3.text)], { ...OPTS, intervals: { confidence: 0.95, baseline: 'b.csv:pred' } });
  assert.equal(r.baseline, 'b.csv:pred');
  assert.deepEqual(r.compare.changed.map((m) => [m.a, m.b, m.fileA, m.fileB]), [
    ['b.csv:pred', 'a.csv:pred', 1, 0],
    ['b.csv:pred', 'c.csv:pred', 1, 2],
  ]);
});

test('three files: a file that does not hold the same rows is named, with its line', () => {
  const ok = file3(all, predOf.b).text;
  const A3 = file3(all, predOf.a).text;
  const three = (c: string, key?: string) => () => compareFiles([src('a.csv', A3), src('b.csv', ok), src('c.csv', c)], { ...OPTS, ...(key ? { key } : {}) });
  fails(three(ok.replace(`k4,${y3(4)},`, `k4,${y3(4) + 1},`)), new RegExp(`^Row 5 differs: its target is ${y3(4)} on line 6 of 'a\\.csv' and ${y3(4) + 1} on line 6 of 'c\\.csv'\\.`));
  fails(three(ok.split('\n').slice(0, 30).join('\n') + '\n'), /^'a\.csv' has 60 data rows and 'c\.csv' has 29: without --key/);
  fails(three(ok + `k3,${y3(3)},1\n`, 'id'), /^The key column "id" has the value "k3" on two rows of 'c\.csv' \(lines 5 and 62\)/);
  fails(three(ok.replace('id,', 'name,'), 'id'), /^The key column "id" is not a column of 'c\.csv'/, 'unknownColumn');
  fails(three('id,y,pred\nz,1,1\n', 'id'), /^No row of 'a\.csv' has a partner in each of 'b\.csv' and 'c\.csv' with the same "id" whose values are all numbers\.$/, 'noUsableRows');
  fails(() => compareFiles([src('a.csv', A3)], OPTS), /^A comparison needs two or more predictions files \(got 1: 'a\.csv'\)\.$/, 'badParameter');
});

test('three files with the first file’s weight: every mean weighted as the one-file engine weights the joined rows', async () => {
  const wOf = (i: number) => 1 + (i % 4) * 0.5;
  const A3 = 'id,y,pred,w\n' + all.map((i) => `k${i},${y3(i)},${predOf.a(i)},${wOf(i)}`).join('\n') + '\n';
  // b.csv and c.csv have no weight column: the weight is a row's, as its target, taken from the first file.
  const B3 = file3([...all].reverse(), predOf.b).text;
  const cOrder = [...all.slice(7), ...all.slice(0, 7)].filter((i) => i !== 3);
  const C3 = file3(cOrder, predOf.c).text;
  const r = compareFiles([src('a.csv', A3), src('b.csv', B3), src('c.csv', C3)], { ...OPTS, key: 'id', columns: { weight: 'w' } });
  const text = 'y,a,b,c,w\n' + cOrder.map((i) => `${y3(i)},${predOf.a(i)},${predOf.b(i)},${predOf.c(i)},${wOf(i)}`).join('\n') + '\n';
  const one = await analyze(src('joined.csv', text), { ...OPTS, columns: { target: 'y', predictions: ['a', 'b', 'c'], weight: 'w' } });
  assert.equal(r.weight, 'w');
  for (const i of [0, 1, 2]) {
    assert.deepEqual(r.models[i].metrics, one.models[i].metrics, `model ${i}: weighted metrics`);
    assert.deepEqual(r.models[i].intervals, one.models[i].intervals, `model ${i}: weighted intervals`);
  }
  assert.notDeepEqual(r.models[0].metrics.mae, compareFiles([src('a.csv', A3), src('b.csv', B3), src('c.csv', C3)], { ...OPTS, key: 'id' }).models[0].metrics.mae, 'the weight changes the MAE');
  assert.deepEqual(r.comparisons, one.comparisons.map((c) => ({ ...c, a: `${c.a}.csv:pred`, b: `${c.b}.csv:pred` })));
  fails(() => compareFiles([src('a.csv', B3), src('b.csv', A3)], { ...OPTS, key: 'id', columns: { weight: 'w' } }), /^The weight column "w" is not in 'a\.csv'/, 'unknownColumn');
});
