/**
 * #16 item 5: the curves of the counts' losses against the prediction and of the pinball loss
 * against the residual, the worst-rows shares of the counts' losses (against a plain sort, and
 * identical for any number of threads), and the sentences that explain them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { countRobustness, countRowLoss, CountRowKey } from '../../src/core/tasks/regression/countRobustness';
import { countCurveText, countCurvesIntro, pinballIntro } from '../../src/core/tasks/regression/curveWords';
import type { Report } from '../../src/core/tasks/regression/report';
import { countCurves, countRowGrad, predictionXs } from '../../src/core/tasks/regression/view/countCurves';
import { pinballAt, pinballCurves } from '../../src/core/tasks/regression/view/pinballCurves';
import { countRobustnessRows } from '../../src/core/tasks/regression/view/robustness';
import { worstCountColumn } from '../../src/core/tasks/regression/view/worstCounts';
import { GROUP_METRICS, groupMetricsFor, groupQuantileTables } from '../../src/core/tasks/regression/view/groups';
import { analyze } from '../../src/engine/analyze';
import { openFileSource } from '../../src/engine/source';
import { analyzeArgs } from '../helpers/cli';
import { workerBundle } from '../helpers/bundle';
import { repoRoot } from '../helpers/paths';
import { opts, rng } from '../helpers/run';

const text = (p: readonly (string | { strong: string } | { line: number })[]) => p.map((x) => (typeof x === 'string' ? x : 'strong' in x ? x.strong : String(x.line))).join('');

/** The shares by a plain sort: rows by loss, largest first, ties by file order. */
function bySort(t: number[], p: number[], w: number[] | null, key: CountRowKey, power: number, f: number): { share: number; without: number } {
  const n = t.length;
  const k = Math.max(1, Math.ceil(f * n));
  const l = t.map((y, i) => countRowLoss(key, y, y + (p[i] - y), power));
  const idx = l.map((_, i) => i).sort((a, b) => l[b] - l[a] || a - b);
  const top = new Set(idx.slice(0, k));
  let all = 0;
  let sum = 0;
  let rest = 0;
  let restW = 0;
  l.forEach((v, i) => {
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

test('the counts’ worst-rows shares are those of a plain sort by each loss, weighted or not, chunked anyhow', () => {
  const next = rng(5);
  const n = 3001;
  const t = Array.from({ length: n }, () => Math.floor(next() * 8) + (next() < 0.5 ? 0.5 : 1));
  // Repeated predictions make ties in the losses.
  const p = t.map((y) => (next() < 0.3 ? 2 : y * (0.3 + 2 * next())));
  const w = t.map(() => Math.floor(next() * 4) / 2);
  const d = p.map((x, i) => x - t[i]);
  const chunk = (v: number[], size: number) => {
    const out: Float64Array[] = [];
    for (let i = 0; i < v.length; i += size) out.push(Float64Array.from(v.slice(i, i + size)));
    return out;
  };
  const keys: CountRowKey[] = ['msle', 'poissonDeviance', 'gammaDeviance', 'tweedieDeviance'];
  for (const weights of [null, w]) {
    const a = countRobustness(chunk(t, 1000), chunk(d, 1000), weights ? chunk(weights, 1000) : null, 1.5, keys);
    const b = countRobustness(chunk(t, 7), chunk(d, 7), weights ? chunk(weights, 7) : null, 1.5, keys);
    assert.deepEqual(a, b, 'the chunks do not matter');
    assert.equal(a.worst1.rows, 31);
    assert.equal(a.worst10.rows, 301);
    for (const key of keys) {
      for (const [g, f] of [['worst1', 0.01], ['worst10', 0.1]] as const) {
        const want = bySort(t, p, weights, key, 1.5, f);
        const got = a[g];
        assert.ok(Math.abs((got.share[key] as number) - want.share) <= 1e-12, `${key} ${g} share ${got.share[key]} vs ${want.share}`);
        assert.ok(Math.abs((got.without[key] as number) - want.without) <= 1e-12 * want.without, `${key} ${g} without`);
      }
    }
  }
  const none = countRobustness([Float64Array.from([1])], [Float64Array.from([0])], null, 1.5, ['poissonDeviance']);
  assert.equal(none.worst1.share.poissonDeviance, null, 'a perfect fit has no share');
  assert.equal(none.worst1.share.gammaDeviance, null, 'a loss not asked for is null');
});

test('the report carries the counts’ shares where the metric is defined, identical with 1, 2 and 4 threads, weighted', async () => {
  const worker = workerBundle();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'li-cc-'));
  try {
    const next = rng(11);
    const lines = ['y,a,b,w,g'];
    // Group "x": its rows' weighted Poisson deviance, summed here as the definition says.
    let xs = 0;
    let xw = 0;
    for (let i = 0; i < 120_000; i++) {
      const y = Math.floor(next() * 20);
      const a = (y + 0.5) * (0.5 + next());
      const w = 1 + Math.floor(4 * next()) / 2;
      const g = next() < 0.3 ? 'x' : 'z';
      if (g === 'x') {
        xs += w * countRowLoss('poissonDeviance', y, Number(String(a)), 1.5);
        xw += w;
      }
      lines.push(`${y},${a},${next() < 0.001 ? -1 : y + next()},${w},${g}`);
    }
    const file = path.join(dir, 'c.csv');
    fs.writeFileSync(file, lines.join('\n') + '\n');
    const go = async (threads: number) => {
      const src = openFileSource(file);
      try {
        return (await analyze(src, opts({ threads, parallelThreshold: 0, ...worker, columns: { weight: 'w', predictions: ['a', 'b'], groupBy: 'g' } }))) as Report;
      } finally {
        src.close();
      }
    };
    const one = await go(1);
    const gx = one.groups?.groups.find((g) => g.value === 'x');
    const px = gx?.metrics[0].poissonDeviance as number;
    assert.ok(Math.abs(px - xs / xw) <= 1e-12 * px, `group x: weighted Poisson deviance ${px} vs ${xs / xw}`);
    assert.equal(gx?.metrics[1].poissonDeviance, null, 'model b is outside the domain in the file, so in every group');
    const [a, b] = one.models;
    assert.ok(a.countRobustness, 'model a has shares');
    assert.equal(a.countRobustness.worst1.share.gammaDeviance, null, 'Gamma is undefined: zero targets');
    assert.ok((a.countRobustness.worst1.share.poissonDeviance as number) > 0.01);
    assert.equal(b.countRobustness, undefined, 'a negative prediction: no loss of counts is defined but the NLL');
    assert.deepEqual(countRobustnessRows(a).map((r) => r.key), ['msle', 'poissonDeviance', 'tweedieDeviance']);
    for (const threads of [2, 4]) assert.deepEqual(await go(threads), one, `${threads} threads`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('deviance curves: zero at the target, gradients the derivatives, limits over μ ≥ y/4, predictions behind', async () => {
  const r = (await analyzeArgs(path.join(repoRoot, 'test/fixtures/counts/positive.csv'), ['--prediction', 'pred_a'])) as Report;
  assert.equal(typeof r.targetMedian, 'number');
  const y = r.targetMedian as number;
  const c = countCurves(r, 0, r.models[0], y);
  assert.deepEqual(c.panels.map((p) => p.key), ['msle', 'poissonDeviance', 'gammaDeviance', 'tweedieDeviance']);
  assert.ok(predictionXs(y, c.end).includes(y));
  for (const p of c.panels) {
    const at = p.loss.points.find((q) => q.x === y);
    assert.ok(at && Math.abs(at.y as number) < 1e-12, `${p.key} is 0 at μ = y`);
    // The gradient is the loss's slope (central difference).
    const mu = 1.7 * y;
    const h = 1e-5 * mu;
    const num = (countRowLoss(p.key, y, mu + h, 1.5) - countRowLoss(p.key, y, mu - h, 1.5)) / (2 * h);
    assert.ok(Math.abs(countRowGrad(p.key, y, mu, 1.5) - num) <= 1e-6 * Math.max(1, Math.abs(num)), `${p.key} gradient`);
    assert.ok(p.loss.points.filter((q) => q.x >= y / 4).every((q) => (q.y as number) <= p.loss.yMax), `${p.key} within its limit from y/4 on`);
    assert.ok(p.atHalf !== null && p.atDouble !== null);
  }
  assert.ok(c.density.rows > 0 && c.density.shares.reduce((s, x) => s + x, 0) <= 1 + 1e-12);
  const gamma = c.panels.find((p) => p.key === 'gammaDeviance') as (typeof c.panels)[number];
  assert.match(text(countCurveText(gamma, y)), /under-predicting by half costs more than over-predicting twofold/);
  const poisson = c.panels.find((p) => p.key === 'poissonDeviance') as (typeof c.panels)[number];
  assert.match(text(countCurveText(poisson, y)), /over-predicting twofold costs more/);
  assert.match(text(countCurvesIntro(c, 'pred_a')), /median target, y = /);
});

test('pinball curves: a V per level with slopes −q and 1 − q, the residuals of the level nearest 0.5 behind', async () => {
  const r = (await analyzeArgs(path.join(repoRoot, 'test/fixtures/quantiles/quantiles.csv'))) as Report;
  const mi = r.models.findIndex((m) => m.quantiles);
  assert.ok(mi >= 0);
  const m = r.models[mi];
  assert.equal(r.sample.quantiles?.[mi]?.length, m.quantiles?.length, 'the sample holds each level');
  const c = pinballCurves(r, mi, m);
  assert.ok(c);
  assert.equal(c.curves.length, m.quantiles?.length);
  for (const v of c.curves) {
    assert.deepEqual(v.points.map((p) => p.y), [v.q * c.end, 0, (1 - v.q) * c.end]);
    assert.equal(pinballAt(v.q, -2), 2 * v.q);
  }
  assert.equal(c.behind?.q, 0.5);
  assert.ok((c.behind?.density.rows ?? 0) > 0);
  // The level's mean pinball loss from the sample's residuals is the report's when the sample holds every row.
  const res = r.sample.quantiles?.[mi]?.[0].map((p, i) => p - r.sample.target[i]) ?? [];
  if (res.length === r.rows.used && r.weight === null) {
    const mean = res.reduce((s, d) => s + pinballAt(c.curves[0].q, d), 0) / res.length;
    assert.ok(Math.abs(mean - (m.quantiles?.[0].pinball as number)) <= 1e-12 * mean);
  }
  assert.match(text(pinballIntro(c, m.prediction)), /costs 19× as much|costs 9× as much/);
  assert.equal(pinballCurves(r, mi, { quantiles: [] }), null);
});

test('groups offer the counts’ means and the variances’ where some model has them', () => {
  for (const k of ['msle', 'rmsle', 'poissonDeviance', 'gammaDeviance', 'tweedieDeviance', 'poissonNll', 'gaussianNll', 'crps'] as const) assert.ok(GROUP_METRICS.includes(k), k);
  const of = (metrics: Record<string, number | null>) => groupMetricsFor({ models: [{ metrics }] } as unknown as Report);
  assert.deepEqual(of({ mae: 1, msle: null, poissonDeviance: 2 }).filter((k) => GROUP_METRICS.indexOf(k) >= 14), ['poissonDeviance']);
  assert.ok(of({ mae: 1, gaussianNll: 0.5, crps: 0.2 }).includes('crps'));
  assert.ok(!of({ mae: 1 }).includes('gaussianNll'), 'no spread column: no Gaussian NLL per group');
});

test('quantile sets per group: each level’s weighted pinball loss over the group, identical with 1, 2 and 4 threads', async () => {
  const worker = workerBundle();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'li-qg-'));
  try {
    const next = rng(29);
    const lines = ['y,q10,q50,q90,w,g'];
    const want = new Map<string, { s: number[]; w: number }>();
    for (let i = 0; i < 90_000; i++) {
      const y = (next() - 0.3) * 100;
      const q = [y - 20 * next(), y + 10 * (next() - 0.5), y + 20 * next() - 2].map((x) => Number(String(x)));
      const w = Math.floor(next() * 5) / 2;
      const g = ['a', 'b', 'c'][Math.floor(next() * 3)];
      const e = want.get(g) ?? { s: [0, 0, 0], w: 0 };
      [0.1, 0.5, 0.9].forEach((lv, j) => (e.s[j] += w * pinballAt(lv, q[j] - y)));
      e.w += w;
      want.set(g, e);
      lines.push(`${y},${q.join(',')},${w},${g}`);
    }
    const file = path.join(dir, 'q.csv');
    fs.writeFileSync(file, lines.join('\n') + '\n');
    const go = async (threads: number) => {
      const src = openFileSource(file);
      try {
        return (await analyze(src, opts({ threads, parallelThreshold: 0, ...worker, columns: { weight: 'w', groupBy: 'g' } }))) as Report;
      } finally {
        src.close();
      }
    };
    const one = await go(1);
    const mi = one.models.findIndex((m) => m.quantiles);
    assert.ok(mi >= 0 && one.groups && one.groups.groups.length === 3);
    for (const g of one.groups.groups) {
      const e = want.get(g.value) as { s: number[]; w: number };
      const got = g.quantiles?.[mi] ?? [];
      assert.equal(got.length, 3);
      got.forEach((v, j) => assert.ok(Math.abs((v as number) - e.s[j] / e.w) <= 1e-12 * (e.s[j] / e.w), `group ${g.value} level ${j}: ${v} vs ${e.s[j] / e.w}`));
    }
    for (const threads of [2, 4]) assert.deepEqual(await go(threads), one, `${threads} threads`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the per-group quantile table: worst group first by the mean over the levels, the whole file last', () => {
  const report = {
    models: [{ quantiles: [{ column: 'q10', q: 0.1, pinball: 1, share: 0.1 }, { column: 'q90', q: 0.9, pinball: 2, share: 0.9 }] }],
    groups: {
      column: 'g',
      distinct: 2,
      limit: 1000,
      groups: [
        { value: 'a', rows: 5, weight: 5, metrics: [], quantiles: [[1, 1]] },
        { value: 'b', rows: 3, weight: 3, metrics: [], quantiles: [[3, 2]] },
      ],
    },
  } as unknown as Report;
  const [t] = groupQuantileTables(report);
  assert.deepEqual(t.rows.map((r) => r.value), ['b', 'a']);
  assert.deepEqual(t.overall, [1, 2]);
  assert.deepEqual(t.levels.map((l) => l.column), ['q10', 'q90']);
});

test('the worst rows carry a deviance of their own when the model has one, and none without', async () => {
  const r = (await analyzeArgs(path.join(repoRoot, 'test/fixtures/counts/positive.csv'), ['--prediction', 'pred_a'])) as Report;
  const m = r.models[0];
  const col = worstCountColumn(m, r.params);
  assert.equal(col?.key, 'poissonDeviance');
  assert.equal(col?.values.length, m.worst.length);
  m.worst.forEach((w, k) => assert.equal(col?.values[k], countRowLoss('poissonDeviance', w.target, w.prediction, 1.5)));
  assert.equal(worstCountColumn({ metrics: { ...m.metrics, msle: null, poissonDeviance: null, gammaDeviance: null, tweedieDeviance: null }, worst: m.worst }, r.params), null);
});

test('per group and weighted, the counts’ means and each level’s pinball loss agree with scikit-learn 1.2 within 1e-12 (pandas file)', async () => {
  const dir = path.join(repoRoot, 'test/fixtures/groups16');
  const want = JSON.parse(fs.readFileSync(path.join(dir, 'expected.json'), 'utf8')) as {
    flags: string[];
    groups: Record<string, { models: Record<string, Record<string, number>>; pinball: number[] }>;
  };
  const r = (await analyzeArgs(path.join(dir, 'grouped.csv'), want.flags)) as Report;
  const near = (got: number | null | undefined, w: number, what: string) => {
    assert.equal(typeof got, 'number', what);
    const rel = Math.abs((got as number) - w) / Math.abs(w);
    assert.ok(rel <= 1e-12, `${what}: ${got} vs ${w} (relative ${rel.toExponential(2)})`);
  };
  assert.equal(r.groups?.groups.length, 3);
  const qi = r.models.findIndex((m) => m.quantiles);
  for (const g of r.groups?.groups ?? []) {
    const e = want.groups[g.value];
    for (const [name, metrics] of Object.entries(e.models)) {
      const mi = r.models.findIndex((m) => m.prediction === name);
      for (const [key, v] of Object.entries(metrics)) near(g.metrics[mi][key as 'msle'], v, `${g.value} ${name} ${key}`);
      assert.equal(g.metrics[mi].gammaDeviance, null, 'zero targets: no Gamma deviance in any group');
    }
    e.pinball.forEach((v, j) => near(g.quantiles?.[qi]?.[j], v, `${g.value} pinball level ${j}`));
  }
});
