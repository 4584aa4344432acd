/**
 * The worst rows' shares of each pinball level of a quantile set and of a predicted variance's
 * CRPS and z² (#16 item 5): the engine against numpy on the files pandas wrote
 * (test/fixtures/shares16/expected.json, by scripts/dev/shares16-reference.py), and the shared
 * cut (lossShares.ts) against a plain sort, with ties, zeros, weights and a few rows that carry
 * nearly all of the total. Identical bits for 1, 2 and 4 threads are checked in quantiles.test.ts
 * and variance.test.ts (the whole report, these keys included).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { lossShares } from '../../src/core/tasks/regression/lossShares';
import type { Report } from '../../src/core/tasks/regression/report';
import { spreadRowLoss } from '../../src/core/tasks/regression/varianceShares';
import { rankedShareRows } from '../../src/core/tasks/regression/view/robustness';
import { analyzeArgs, isClass } from '../helpers/cli';
import { repoRoot } from '../helpers/paths';
import { analyzeText, rng } from '../helpers/run';

const fixtures = path.join(repoRoot, 'test/fixtures');

interface Cut {
  rows: number;
  share: number;
  without: number;
}
type Case =
  | { kind: 'spread'; file: string; flags: string[]; models: { prediction: string; crps: Cut[]; zSquared: Cut[]; zSquaredMean: number }[] }
  | { kind: 'quantiles'; file: string; flags: string[]; model: string; levels: { column: string; q: number; shares: Cut[] }[] };

function near(got: number | null | undefined, want: number, what: string): void {
  assert.equal(typeof got, 'number', `${what}: a number expected, got ${String(got)}`);
  const rel = Math.abs((got as number) - want) / Math.max(Math.abs(want), 1e-300);
  assert.ok(rel <= 1e-12, `${what}: ${String(got)} vs ${want} (relative ${rel.toExponential(2)})`);
}

test('the shares of each pinball level, of the CRPS and of z² agree with numpy within 1e-12 on files pandas wrote, weighted or not', async () => {
  const cases = JSON.parse(fs.readFileSync(path.join(fixtures, 'shares16', 'expected.json'), 'utf8')) as Case[];
  assert.ok(cases.filter((c) => c.kind === 'spread').length >= 4 && cases.filter((c) => c.kind === 'quantiles').length >= 3, 'the reference file has its cases');
  for (const c of cases) {
    const what = `${c.file} ${c.flags.join(' ')}`;
    const r = await analyzeArgs(path.join(fixtures, c.file), c.flags);
    assert.ok(!isClass(r), `${what}: a regression report`);
    const rep = r as Report;
    if (c.kind === 'spread') {
      for (const want of c.models) {
        const rob = rep.models.find((m) => m.prediction === want.prediction)?.spreadRobustness;
        assert.ok(rob, `${what} ${want.prediction}: spreadRobustness`);
        for (const key of ['crps', 'zSquared'] as const) {
          (['worst1', 'worst10'] as const).forEach((g, i) => {
            assert.equal(rob[g].rows, want[key][i].rows, `${what} ${want.prediction} ${g} rows`);
            near(rob[g].share[key], want[key][i].share, `${what} ${want.prediction} ${key} ${g} share`);
            near(rob[g].without[key], want[key][i].without, `${what} ${want.prediction} ${key} ${g} without`);
          });
        }
        near(rob.zSquaredMean, want.zSquaredMean, `${what} ${want.prediction} z² mean`);
      }
    } else {
      const m = rep.models.find((x) => x.prediction === c.model);
      const rob = m?.quantileRobustness;
      assert.ok(rob, `${what}: quantileRobustness`);
      assert.deepEqual(m.quantiles?.map((q) => q.column), c.levels.map((l) => l.column), `${what}: the shares follow the levels`);
      c.levels.forEach((lv, j) => {
        (['worst1', 'worst10'] as const).forEach((g, i) => {
          assert.equal(rob[g].rows, lv.shares[i].rows);
          near(rob[g].share[j], lv.shares[i].share, `${what} ${lv.column} ${g} share`);
          near(rob[g].without[j], lv.shares[i].without, `${what} ${lv.column} ${g} without`);
        });
      });
    }
  }
});

/** The worst ⌈f·n⌉ rows by a stable sort (ties: the earlier rows), summed plainly. */
function bySort(loss: number[], w: number[] | null, f: number): { share: number; without: number } {
  const k = Math.max(1, Math.ceil(f * loss.length));
  const order = loss.map((_, i) => i).sort((a, b) => loss[b] - loss[a] || a - b);
  const top = new Set(order.slice(0, k));
  let all = 0;
  let sum = 0;
  let rest = 0;
  let restW = 0;
  loss.forEach((v, i) => {
    const wi = w ? w[i] : 1;
    all += wi * v;
    if (top.has(i)) sum += wi * v;
    else {
      rest += wi * v;
      restW += wi;
    }
  });
  return { share: sum / all, without: rest / restW };
}

const chunk = (v: number[], size: number): Float64Array[] => {
  const out: Float64Array[] = [];
  for (let i = 0; i < v.length; i += size) out.push(Float64Array.from(v.slice(i, i + size)));
  return out;
};

test('lossShares: the cut of a plain sort, with ties, zeros and weights, whatever the weights’ chunks', () => {
  const next = rng(16);
  const n = 2999;
  // Repeated values (ties at the cuts), zeros, and a spread of magnitudes.
  const loss = Array.from({ length: n }, () => (next() < 0.2 ? 0 : next() < 0.3 ? 1.5 : next() * 10 ** Math.floor(next() * 6 - 2)));
  const w = loss.map(() => Math.floor(next() * 5) / 2);
  for (const weights of [null, w]) {
    const a = lossShares(Float64Array.from(loss), weights ? chunk(weights, 1000) : null);
    const b = lossShares(Float64Array.from(loss), weights ? chunk(weights, 7) : null);
    assert.deepEqual(a, b, 'the weights’ chunks do not matter');
    assert.deepEqual(a.map((c) => c.rows), [30, 300]);
    [0.01, 0.1].forEach((f, g) => {
      const want = bySort(loss, weights, f);
      assert.ok(Math.abs((a[g].share as number) - want.share) <= 1e-12, `${f} share ${a[g].share} vs ${want.share}`);
      assert.ok(Math.abs((a[g].without as number) - want.without) <= 1e-12 * want.without, `${f} without ${a[g].without} vs ${want.without}`);
    });
  }
  // All ties: the first rows are the worst; every share is k/n.
  const flat = lossShares(new Float64Array(200).fill(2), null);
  assert.deepEqual(flat, [{ rows: 2, share: 0.01, without: 2 }, { rows: 20, share: 0.1, without: 2 }]);
  // A zero total: no share; nothing left: no mean.
  assert.deepEqual(lossShares(new Float64Array(5), null), [{ rows: 1, share: null, without: 0 }, { rows: 1, share: null, without: 0 }]);
  assert.deepEqual(lossShares(Float64Array.from([3]), null), [{ rows: 1, share: 1, without: null }, { rows: 1, share: 1, without: null }]);
});

test('lossShares: the mean without the worst rows keeps its digits when those rows carry nearly all of the total', () => {
  // 20 rows of 1e12 and 1980 of about 0.65: the total minus the top's would keep ~4 digits of the rest's 1287.
  const loss = Array.from({ length: 2000 }, (_, i) => (i % 100 === 7 ? 1e12 : 0.5 + ((i * 37) % 101) / 333));
  const [w1] = lossShares(Float64Array.from(loss), null);
  const rest = loss.filter((v) => v !== 1e12);
  const want = rest.reduce((a, b) => a + b, 0) / rest.length;
  assert.ok(Math.abs((w1.without as number) - want) <= 1e-14 * want, `${w1.without} vs ${want}`);
  assert.ok((w1.share as number) > 0.9999999, `the top carries nearly all: ${w1.share}`);
});

test('a spread column with ±σ rows: the shares of z² are those of d²/max(σ², 1e-6), and a negative variance gives none', async () => {
  const rows = ['y,pred,pred_var'];
  const d: number[] = [];
  const v: number[] = [];
  for (let i = 0; i < 500; i++) {
    const di = i === 250 ? 40 : ((i * 13) % 17) / 10 - 0.8;
    const vi = i % 50 === 0 ? 0 : 0.25 + (i % 7) / 10;
    d.push(di);
    v.push(vi);
    rows.push(`${i / 10},${i / 10 + di},${vi}`);
  }
  const rep = await analyzeText('s.csv', rows.join('\n') + '\n');
  const rob = rep.models[0].spreadRobustness;
  assert.ok(rob, 'a spread column: shares');
  const z2 = d.map((x, i) => spreadRowLoss('zSquared', 'variance', x, v[i]));
  assert.equal(z2[0], (d[0] * d[0]) / 1e-6, 'σ² = 0 is clamped to 1e-6 as in the NLL');
  const want = bySort(z2, null, 0.01);
  assert.ok(Math.abs((rob.worst1.share.zSquared as number) - want.share) <= 1e-12);
  assert.ok((rob.worst1.share.crps as number) > 0 && (rob.worst1.share.crps as number) < 1);
  const neg = await analyzeText('n.csv', 'y,pred,pred_var\n1,2,0.5\n2,2,-1\n3,3.5,1\n');
  assert.equal(neg.models[0].spreadRobustness, undefined, 'a negative variance: the metrics are null, no shares');
});

test('the robustness card’s rows of the spread and the quantile levels: each share and mean as the report’s, the 10% never below the 1%', async () => {
  const spread = (await analyzeArgs(path.join(fixtures, 'variance', 'gauss.csv'), [])) as Report;
  const a = spread.models[0];
  const rows = rankedShareRows(a);
  assert.deepEqual(rows.map((r) => r.key), ['crps', 'zSquared']);
  assert.equal(rows[0].mean, a.metrics.crps);
  assert.equal(rows[0].worst1, a.spreadRobustness?.worst1.share.crps);
  assert.equal(rows[1].mean, a.spreadRobustness?.zSquaredMean);
  assert.equal(rows[1].without1, a.spreadRobustness?.worst1.without.zSquared);
  assert.ok(rows.every((r) => (r.worst10 as number) >= (r.worst1 as number)));
  const q = (await analyzeArgs(path.join(fixtures, 'quantiles', 'quantiles.csv'), [])) as Report;
  const m = q.models[0];
  const qr = rankedShareRows(m);
  assert.deepEqual(qr.map((r) => r.label), (m.quantiles ?? []).map((l) => `pinball ${l.column}`));
  qr.forEach((r, j) => {
    assert.equal(r.mean, m.quantiles?.[j].pinball);
    assert.equal(r.worst1, m.quantileRobustness?.worst1.share[j]);
    assert.equal(r.worst10, Math.max(r.worst1 as number, m.quantileRobustness?.worst10.share[j] as number));
  });
  assert.deepEqual(rankedShareRows((await analyzeText('p.csv', 'y,pred\n1,2\n2,2\n')).models[0]), [], 'a point prediction: no rows');
});
