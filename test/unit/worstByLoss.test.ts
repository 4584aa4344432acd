/**
 * #16 item 5: the worst rows ranked by each loss of counts (`worstByLoss`), kept by a bounded heap
 * per loss in the scan and merged across ranges: the same rows as a plain sort of the file by
 * that loss (ties to the earlier line), weighted or not, identical with 1, 2 and 4 threads.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { COUNT_ROW_KEYS, countRowLoss } from '../../src/core/tasks/regression/countRobustness';
import type { LossRow } from '../../src/core/tasks/regression/parts';
import type { Report } from '../../src/core/tasks/regression/report';
import { countLossLabel, worstLossKeys } from '../../src/core/tasks/regression/view/worstCounts';
import { analyze } from '../../src/engine/analyze';
import { openFileSource } from '../../src/engine/source';
import { workerBundle } from '../helpers/bundle';
import { opts, rng } from '../helpers/run';

test('the worst rows by each loss of counts are a plain sort’s, ties to the earlier line, the same for 1, 2 and 4 threads', async () => {
  const worker = workerBundle();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'li-wbl-'));
  try {
    const next = rng(23);
    const lines = ['y,a,b,w'];
    const t: number[] = [];
    const a: number[] = [];
    for (let i = 0; i < 90_000; i++) {
      const y = 1 + Math.floor(next() * 6);
      // Few distinct (target, prediction) pairs: many exact ties in every loss, some at the cut.
      const p = [0.5, 1, 2, 4, 8][Math.floor(next() * 5)];
      t.push(y);
      a.push(p);
      // Model b leaves every domain once (a negative prediction): no list for it.
      lines.push(`${y},${p},${i === 500 ? -1 : y + 1},${Math.floor(next() * 3)}`);
    }
    const file = path.join(dir, 'c.csv');
    fs.writeFileSync(file, lines.join('\n') + '\n');
    const go = async (threads: number, weighted: boolean) => {
      const src = openFileSource(file);
      try {
        return (await analyze(src, opts({ threads, parallelThreshold: 0, topK: 7, ...worker, columns: { predictions: ['a', 'b'], ...(weighted ? { weight: 'w' } : {}) } }))) as Report;
      } finally {
        src.close();
      }
    };
    for (const weighted of [false, true]) {
      const one = await go(1, weighted);
      const lists = one.models[0].worstByLoss;
      assert.ok(lists, 'model a has lists');
      assert.equal(one.models[1].worstByLoss, undefined, 'model b: no loss of counts is defined');
      for (const key of COUNT_ROW_KEYS) {
        const got: LossRow[] | undefined = lists[key];
        assert.ok(got, key);
        const l = t.map((y, i) => countRowLoss(key, y, a[i], 1.5));
        const idx = l.map((_, i) => i).sort((x, y) => l[y] - l[x] || x - y).slice(0, 7);
        // Line 1 is the header: row i is on line i + 2. A weight (even 0) does not change the ranking.
        assert.deepEqual(
          got.map((r) => r.line),
          idx.map((i) => i + 2),
          `${key}${weighted ? ', weighted' : ''}: the lines of a plain sort`,
        );
        got.forEach((r, j) => {
          assert.equal(r.target, t[idx[j]]);
          assert.equal(r.prediction, a[idx[j]]);
          assert.equal(r.loss, l[idx[j]]);
        });
      }
      for (const threads of [2, 4]) {
        const many = await go(threads, weighted);
        assert.deepEqual(many.models.map((m) => m.worstByLoss), one.models.map((m) => m.worstByLoss), `${threads} threads${weighted ? ', weighted' : ''}`);
      }
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('no list with --top 0, and none for a loss whose metric is null', async () => {
  const worker = workerBundle();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'li-wbl-'));
  try {
    const file = path.join(dir, 'z.csv');
    // A zero target: the Gamma deviance is undefined, the others are not.
    fs.writeFileSync(file, 'y,pred\n0,1\n2,1\n3,3\n1,4\n');
    const go = async (topK: number) => {
      const src = openFileSource(file);
      try {
        return (await analyze(src, opts({ threads: 1, topK, ...worker }))) as Report;
      } finally {
        src.close();
      }
    };
    const r = await go(10);
    const lists = r.models[0].worstByLoss;
    assert.ok(lists);
    assert.equal(lists.gammaDeviance, undefined, 'Gamma is null: no list');
    const ys = [0, 2, 3, 1];
    const ps = [1, 1, 3, 4];
    const dev = ys.map((y, i) => countRowLoss('poissonDeviance', y, ps[i], 1.5));
    const order = [0, 1, 2, 3].sort((x, y) => dev[y] - dev[x] || x - y);
    assert.deepEqual(lists.poissonDeviance?.map((x) => x.line), order.map((i) => i + 2));
    assert.equal(lists.poissonDeviance?.[order.length - 1].loss, 0, 'a perfect row is listed last, with loss 0');
    const none = await go(0);
    for (const key of COUNT_ROW_KEYS) assert.deepEqual(none.models[0].worstByLoss?.[key] ?? [], [], `${key} with --top 0`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the worst-rows picker offers the losses some model has a list for, in a fixed order, Tweedie with its power', () => {
  const none = {};
  const some = { worstByLoss: { gammaDeviance: [], msle: [] } };
  assert.deepEqual(worstLossKeys([none, some]), ['msle', 'gammaDeviance']);
  assert.deepEqual(worstLossKeys([none]), []);
  assert.match(countLossLabel('tweedieDeviance', 1.2), /p = 1\.2/);
  assert.doesNotMatch(countLossLabel('poissonDeviance', 1.2), /p =/);
});
