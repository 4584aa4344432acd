/**
 * The N-way join of Compare Loss (core/compare/joinN.ts), fed rows directly as the readers would:
 * by key (rows missing in one file counted with their lines, rows only in one file), by row
 * order (the target check against the first file, a sentence naming the file and line), and the
 * changed rows naming the file each line is in.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JoinerN } from '../../src/core/compare/joinN';
import { isLossInspectorError } from '../../src/core/errors';

type Row = [line: number, key: string, target: number, ...preds: number[]];

function run(files: { name: string; rows: (Row | [number, 'skip'])[] }[], key: string | null) {
  const labels: string[] = [];
  const id = (k: string) => {
    const i = labels.indexOf(k);
    return i >= 0 ? i : labels.push(k) - 1;
  };
  const emitted: { lines: number[]; values: number[] }[] = [];
  const models = files.map((f) => (f.rows.find((r) => r[1] !== 'skip')?.length ?? 3) - 3);
  const j = new JoinerN({
    files: files.map((f) => f.name),
    key,
    models,
    names: files.flatMap((f, i) => Array.from({ length: models[i] }, (_, m) => `${f.name}:p${m}`)),
    label: (i) => labels[i] ?? '',
    top: 2,
    emit: (lines, values) => emitted.push({ lines: [...lines], values: [...values] }),
  });
  files.forEach((f, i) => {
    for (const r of f.rows) {
      if (r[1] === 'skip') j.skip(i, r[0]);
      else j.row(i, r[0], Float64Array.from(r.slice(2) as number[]), id(r[1]));
    }
  });
  return { ...j.finish(), emitted };
}

function fails(f: () => unknown, re: RegExp): void {
  assert.throws(f, (e: unknown) => {
    assert.ok(isLossInspectorError(e), String(e));
    assert.equal(e.code, 'filesDiffer');
    assert.match(e.message, re);
    return true;
  });
}

const A = { name: 'a.csv', rows: [[2, '1', 10, 11], [3, '2', 20, 18], [4, '3', 30, 33], [5, '4', 40, 40]] as Row[] };

test('three files by key: rows paired whatever their order, rows missing in one file counted with the first file\'s lines', () => {
  const B = { name: 'b.csv', rows: [[2, '4', 40, 41], [3, '2', 20, 20], [4, '1', 10, 10], [5, '9', 1, 1]] as Row[] }; // 3 missing, 9 only here
  const C = { name: 'c.csv', rows: [[2, '2', 20, 25, 21], [3, '1', 10, 13, 10], [4, '3', 30, 30, 30]] as Row[] }; // 4 missing
  const r = run([A, B, C], 'id');
  assert.deepEqual(r.emitted, [
    { lines: [3, 3, 2], values: [20, 18, 20, 25, 21] },
    { lines: [2, 4, 3], values: [10, 11, 10, 13, 10] },
  ]);
  assert.equal(r.rows.joined, 2);
  assert.deepEqual(r.rows.files.map((f) => f.read), [4, 4, 3]);
  assert.deepEqual(r.rows.files[1].missing, { count: 1, lines: [4] });
  assert.deepEqual(r.rows.files[1].onlyHere, { count: 1, lines: [5] });
  assert.deepEqual(r.rows.files[2].missing, { count: 1, lines: [5] });
  // Every model against the baseline (a.csv:p0), each line in its own file.
  assert.deepEqual(r.changed.map((c) => [c.a, c.b, c.fileA, c.fileB]), [
    ['a.csv:p0', 'b.csv:p0', 0, 1],
    ['a.csv:p0', 'c.csv:p0', 0, 2],
    ['a.csv:p0', 'c.csv:p1', 0, 2],
  ]);
  assert.deepEqual(r.changed[1].rows[0], { lineA: 3, lineB: 2, key: '2', target: 20, a: 18, b: 25, change: 3 });
});

test('by key: a duplicate key or a target that differs names the file and both lines', () => {
  const dup = { name: 'c.csv', rows: [[2, '1', 10, 1], [7, '1', 10, 2]] as Row[] };
  fails(() => run([A, { name: 'b.csv', rows: A.rows }, dup], 'id'), /on two rows of 'c\.csv' \(lines 2 and 7\)/);
  const other = { name: 'c.csv', rows: [[9, '3', 31, 1]] as Row[] };
  fails(() => run([A, { name: 'b.csv', rows: A.rows }, other], 'id'), /line 4 of 'a\.csv' and 31 on line 9 of 'c\.csv'/);
});

test('by row order: the target is checked against the first file, and the sentence names the file and line', () => {
  const B = { name: 'b.csv', rows: A.rows.map(([l, k, t, p]) => [l + 1, k, t, p + 1]) as Row[] };
  const C = { name: 'c.csv', rows: A.rows.map(([l, k, t, p], i) => [l, k, i === 2 ? t + 1 : t, p]) as Row[] };
  fails(() => run([A, B, C], null), /^Row 3 differs: its target is 30 on line 4 of 'a\.csv' and 31 on line 4 of 'c\.csv'/);
  const ok = run([A, B, { name: 'c.csv', rows: A.rows }], null);
  assert.equal(ok.rows.joined, 4);
  assert.deepEqual(ok.emitted[0], { lines: [2, 3, 2], values: [10, 11, 12, 11] });
  fails(() => run([A, B, { name: 'c.csv', rows: A.rows.slice(0, 3) }], null), /'a\.csv' has 4 data rows and 'c\.csv' has 3/);
});

test('by row order: an unusable row in any file leaves its row out of the join, counted in its file', () => {
  const B = { name: 'b.csv', rows: [A.rows[0], [3, 'skip'], ...A.rows.slice(2)] as (Row | [number, 'skip'])[] };
  const r = run([A, B, { name: 'c.csv', rows: A.rows }], null);
  assert.equal(r.rows.joined, 3);
  assert.deepEqual(r.rows.files[1].unusable, { count: 1, lines: [3] });
  assert.deepEqual(r.emitted.map((e) => e.lines[0]), [2, 4, 5]);
});

test('the changed rows kept: the largest |change| per model, ties to the earlier row, none for an unchanged row', () => {
  // top 2 of a.csv:p0 → b.csv:p0; changes by row: 0 (not kept), +1, −3, +1 (tie: the earlier stays), +2.
  const B = { name: 'b.csv', rows: [[2, '1', 10, 11], [3, '2', 20, 19], [4, '3', 30, 30], [5, '4', 40, 41]] as Row[] };
  const A5 = { name: 'a.csv', rows: [[2, '1', 10, 11], [3, '2', 20, 20], [4, '3', 30, 33], [5, '4', 40, 40]] as Row[] };
  const r = run([A5, B], null);
  assert.deepEqual(r.changed[0].rows.map((x) => [x.lineB, x.change]), [[4, -3], [3, 1]]);
  const more = run([{ name: 'a.csv', rows: [...A5.rows, [6, '5', 50, 50]] }, { name: 'b.csv', rows: [...B.rows, [6, '5', 50, 52]] }], null);
  assert.deepEqual(more.changed[0].rows.map((x) => [x.lineB, x.change]), [[4, -3], [6, 2]]);
});

test('file 0’s extra values (its weight) are carried to the end of the joined row, whatever file streams last', () => {
  const labels = ['1', '2'];
  const emitted: number[][] = [];
  const j = new JoinerN({
    files: ['a.csv', 'b.csv', 'c.csv'],
    key: 'id',
    models: [1, 2, 1],
    extra: 1,
    names: ['a.csv:p', 'b.csv:p', 'b.csv:q', 'c.csv:p'],
    label: (i) => labels[i] ?? '',
    top: 1,
    emit: (_lines, values) => emitted.push([...values]),
  });
  // a.csv: [target, pred, weight]; b.csv: [target, p, q]; c.csv: [target, p].
  j.row(0, 2, Float64Array.from([10, 11, 0.5]), 0);
  j.row(0, 3, Float64Array.from([20, 19, 2]), 1);
  j.row(1, 2, Float64Array.from([20, 21, 22]), 1);
  j.row(1, 3, Float64Array.from([10, 12, 13]), 0);
  j.row(2, 2, Float64Array.from([10, 9]), 0);
  j.row(2, 3, Float64Array.from([20, 20]), 1);
  assert.deepEqual(emitted, [
    [10, 11, 12, 13, 9, 0.5],
    [20, 19, 21, 22, 20, 2],
  ]);
  assert.equal(j.finish().rows.joined, 2);
});
