/**
 * #16 item 5: the worst rows ranked by the Gaussian NLL and the CRPS of a spread column
 * (`worstByLoss.gaussianNll`, `.crps`, with σ) and by each quantile level's pinball loss
 * (`quantiles[].worst`, the level's own value as the prediction): kept by a bounded heap per loss
 * in the scan and merged across ranges, they are a plain sort of the file's rows by that loss
 * (ties to the earlier line), weighted or not, identical with 1, 2 and 4 threads.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { LossRow } from '../../src/core/tasks/regression/parts';
import type { Report } from '../../src/core/tasks/regression/report';
import { crpsGaussian, GAUSSIAN_NLL_EPS } from '../../src/core/tasks/regression/variance';
import { mergeLossRows, TopRows } from '../../src/core/tasks/regression/topRows';
import { analyze } from '../../src/engine/analyze';
import { openFileSource } from '../../src/engine/source';
import { workerBundle } from '../helpers/bundle';
import { opts, rng } from '../helpers/run';

const TOP = 9;

/** The lines (row i on line i + 2) of a plain sort by loss, worst first, ties to the earlier row. */
function plainSort(loss: readonly number[], k: number): number[] {
  return loss
    .map((_, i) => i)
    .sort((x, y) => loss[y] - loss[x] || x - y)
    .slice(0, k)
    .map((i) => i + 2);
}

test('worst rows by the Gaussian NLL, the CRPS and each pinball level: a plain sort’s, ties to the earlier line, the same for 1, 2 and 4 threads', async () => {
  const worker = workerBundle();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'li-wsq-'));
  try {
    const next = rng(41);
    const lines = ['y,pred,pred_var,pred_q10,pred_q90,alt,alt_std,w'];
    const ys: number[] = [];
    const ps: number[] = [];
    const vs: number[] = [];
    const lo: number[] = [];
    const hi: number[] = [];
    for (let i = 0; i < 260_000; i++) {
      // Few distinct values: many exact ties in every loss, some at each range's cut.
      const y = 1 + Math.floor(next() * 6);
      const p = [0.5, 1, 2, 4, 8][Math.floor(next() * 5)];
      const v = [0.25, 1, 4][Math.floor(next() * 3)];
      const l = p - Math.floor(next() * 2);
      const h = p + Math.floor(next() * 2);
      ys.push(y);
      ps.push(p);
      vs.push(v);
      lo.push(l);
      hi.push(h);
      // Model alt has a negative standard deviation once: no NLL or CRPS, so no list.
      lines.push(`${y},${p},${v},${l},${h},${y + 1},${i === 777 ? -1 : 1},${Math.floor(next() * 3)}`);
    }
    const file = path.join(dir, 'sq.csv');
    fs.writeFileSync(file, lines.join('\n') + '\n');
    assert.ok(fs.statSync(file).size > 4 << 20, 'big enough for 4 ranges');
    const go = async (threads: number, weighted: boolean) => {
      const src = openFileSource(file);
      try {
        return (await analyze(src, opts({ threads, parallelThreshold: 0, topK: TOP, ...worker, columns: { target: 'y', predictions: ['pred', 'alt'], ...(weighted ? { weight: 'w' } : {}) } }))) as Report;
      } finally {
        src.close();
      }
    };
    const nll = ys.map((y, i) => {
      const v = Math.max(vs[i], GAUSSIAN_NLL_EPS);
      const d = ps[i] - y;
      return 0.5 * (Math.log(v) + (d * d) / v);
    });
    const crps = ys.map((y, i) => crpsGaussian(ps[i] - y, Math.sqrt(vs[i])));
    const pinball = (q: number, at: readonly number[]) =>
      ys.map((y, i) => {
        const d = at[i] - y;
        return d <= 0 ? -q * d : (1 - q) * d;
      });
    const expect = (got: readonly LossRow[] | undefined, loss: readonly number[], pred: readonly number[], what: string, sigma: boolean) => {
      assert.ok(got, what);
      const want = plainSort(loss, TOP);
      assert.deepEqual(got.map((r) => r.line), want, `${what}: the lines of a plain sort`);
      got.forEach((r, j) => {
        const i = want[j] - 2;
        assert.equal(r.target, ys[i], what);
        assert.equal(r.prediction, pred[i], what);
        assert.equal(r.loss, loss[i], what);
        if (sigma) assert.equal(r.sigma, Math.sqrt(vs[i]), `${what}: σ`);
        else assert.equal(r.sigma, undefined, what);
      });
    };
    for (const weighted of [false, true]) {
      const one = await go(1, weighted);
      const [pred, alt] = one.models;
      const tag = weighted ? ', weighted' : '';
      expect(pred.worstByLoss?.gaussianNll, nll, ps, `Gaussian NLL${tag}`, true);
      expect(pred.worstByLoss?.crps, crps, ps, `CRPS${tag}`, true);
      assert.deepEqual(pred.quantiles?.map((q) => q.column), ['pred_q10', 'pred_q90']);
      expect(pred.quantiles?.[0].worst, pinball(0.1, lo), lo, `pinball q10${tag}`, false);
      expect(pred.quantiles?.[1].worst, pinball(0.9, hi), hi, `pinball q90${tag}`, false);
      assert.equal(alt.metrics.gaussianNll, null);
      assert.equal(alt.worstByLoss?.gaussianNll, undefined, 'no NLL list where the NLL is null');
      assert.equal(alt.worstByLoss?.crps, undefined, 'no CRPS list where the CRPS is null');
      for (const threads of [2, 4]) {
        const many = await go(threads, weighted);
        assert.deepEqual(many.models.map((m) => m.worstByLoss), one.models.map((m) => m.worstByLoss), `${threads} threads${tag}`);
        assert.deepEqual(many.models.map((m) => m.quantiles), one.models.map((m) => m.quantiles), `${threads} threads${tag}: quantiles`);
      }
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('no worst-rows lists for the spread and the quantiles with --top 0', async () => {
  const worker = workerBundle();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'li-wsq-'));
  try {
    const file = path.join(dir, 'z.csv');
    fs.writeFileSync(file, 'y,pred,pred_std,pred_q10,pred_q90\n1,2,1,1,3\n2,2,0.5,1,3\n4,1,2,0,2\n');
    const src = openFileSource(file);
    try {
      const r = (await analyze(src, opts({ threads: 1, topK: 0, ...worker }))) as Report;
      const m = r.models[0];
      assert.equal(typeof m.metrics.crps, 'number');
      assert.equal(m.worstByLoss?.crps, undefined);
      assert.equal(m.worstByLoss?.gaussianNll, undefined);
      assert.ok(m.quantiles && m.quantiles.length === 2);
      for (const q of m.quantiles) assert.equal(q.worst, undefined, q.column);
    } finally {
      src.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('TopRows keeps the k largest losses, ties to the earlier line, and ignores NaN', () => {
  const top = new TopRows(3);
  const losses = [1, 5, NaN, 5, 2, 5, 0, 7, 7];
  losses.forEach((l, i) => top.push(10 + i, 0, 0, l));
  assert.deepEqual(top.rows().map((r) => [r.line, r.loss]), [[17, 7], [18, 7], [11, 5]]);
  assert.deepEqual(
    mergeLossRows([top.rows(), [{ line: 5, target: 0, prediction: 0, loss: 7 }]], 2).map((r) => r.line),
    [5, 17],
    'merged ranges: ties to the earlier line',
  );
  const ties = new TopRows(2);
  for (const line of [1, 2, 3]) ties.push(line, 0, 0, 5);
  assert.deepEqual(ties.rows().map((r) => r.line), [1, 2], 'a row tied with the cut stays out');
  const none = new TopRows(0);
  none.push(1, 0, 0, 1e300);
  assert.deepEqual(none.rows(), []);
});
