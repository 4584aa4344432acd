import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { analyzeText, csvOf, rng } from '../helpers/run';
import { CURVES, huber, huberGrad, logCosh, logCoshGrad, smoothL1, smoothL1Grad } from '../../src/core/tasks/regression/losses';

const close = (a: number | null, b: number, rel = 1e-12) =>
  assert.ok(a !== null && Math.abs(a - b) <= rel * Math.max(1, Math.abs(b)), `${a} is not ≈ ${b}`);

test('the seed example: L1 = 3.1 and L2 = 2.15', async () => {
  const r = await analyzeText('seed.csv', csvOf(['y_pred', 'y_true'], [[0.1, 1], [0.2, 1], [0.3, 0], [0.4, 1], [0.5, 1]]));
  const m = r.models[0].metrics;
  close(m.l1, 3.1, 1e-15);
  close(m.l2, 2.15, 1e-15);
  close(m.mae, 0.62, 1e-15);
  close(m.mse, 0.43, 1e-15);
  close(m.rmse, Math.sqrt(0.43), 1e-15);
  // d = [-0.9,-0.8,0.3,-0.6,-0.5]: smooth L1 (β=1) = mean(0.405,0.32,0.045,0.18,0.125)
  close(m.smoothL1, (0.405 + 0.32 + 0.045 + 0.18 + 0.125) / 5, 1e-15);
  close(m.huber, (0.405 + 0.32 + 0.045 + 0.18 + 0.125) / 5, 1e-15);
  close(m.meanError, -2.5 / 5, 1e-15);
  close(m.maxError, 0.9, 1e-15);
  close(m.medianAE, 0.6, 1e-15);
  // targets [1,1,0,1,1]: mean 0.8, Σ(t−0.8)² = 4·0.04 + 0.64 = 0.8 → R² = 1 − 2.15/0.8
  close(m.r2, 1 - 2.15 / 0.8, 1e-14);
  assert.equal(r.rows.used, 5);
  assert.equal(r.target, 'y_true');
  assert.equal(r.models[0].prediction, 'y_pred');
});

test('hand-computed smooth L1 and Huber at several β and δ, including β = 0', async () => {
  const text = csvOf(['y_true', 'y_pred'], [[0, 0.5], [0, -2], [1, 4], [2, 2]]); // d = 0.5, -2, 3, 0
  const at = async (beta: number, delta: number) => (await analyzeText('x.csv', text, { params: { beta, delta } })).models[0].metrics;
  let m = await at(1, 1);
  close(m.smoothL1, (0.125 + 1.5 + 2.5 + 0) / 4);
  close(m.huber, (0.125 + 1.5 + 2.5 + 0) / 4);
  m = await at(0, 2);
  close(m.smoothL1, (0.5 + 2 + 3 + 0) / 4); // β = 0 is L1
  close(m.huber, (0.125 + 2 + 2 * (3 - 1) + 0) / 4); // δ = 2: |d| ≤ 2 quadratic
  m = await at(4, 0.25);
  close(m.smoothL1, ((0.5 * 0.25) / 4 + (0.5 * 4) / 4 + (0.5 * 9) / 4 + 0) / 4);
  close(m.huber, (0.25 * (0.5 - 0.125) + 0.25 * (2 - 0.125) + 0.25 * (3 - 0.125) + 0) / 4);
  m = await at(1e9, 1e9); // huge β: smooth L1 → 0.5·d²/β; huge δ: Huber = 0.5·d²
  close(m.smoothL1, (0.125 + 2 + 4.5) / 1e9 / 4);
  close(m.huber, (0.125 + 2 + 4.5) / 4);
  close(m.logCosh, (Math.log(Math.cosh(0.5)) + Math.log(Math.cosh(2)) + Math.log(Math.cosh(3))) / 4);
});

test('per-element functions and their gradients', () => {
  assert.equal(smoothL1(0.5, 1), 0.125);
  assert.equal(smoothL1(-3, 1), 2.5);
  assert.equal(smoothL1(-3, 0), 3);
  assert.equal(smoothL1Grad(0.5, 1), 0.5);
  assert.equal(smoothL1Grad(-3, 1), -1);
  assert.equal(smoothL1Grad(0, 0), 0);
  assert.equal(huber(3, 1), 2.5);
  assert.equal(huberGrad(3, 2), 2);
  assert.equal(huberGrad(-0.5, 2), -0.5);
  assert.equal(logCoshGrad(0), 0);
  // log-cosh: accurate near 0 (log(cosh 1e-8) = 5e-17, cosh rounds to 1) and finite for huge d.
  assert.ok(Math.abs(logCosh(1e-8) - 5e-17) < 1e-30);
  assert.equal(Math.log(Math.cosh(1e-8)), 0, 'the naive formula loses it');
  assert.ok(Math.abs(logCosh(1000) - (1000 - Math.LN2)) < 1e-12);
  assert.equal(Math.log(Math.cosh(1000)), Infinity, 'the naive formula overflows');
  for (const c of CURVES) {
    // Derivative agrees with a central difference away from the kinks.
    for (const d of [-3.3, -0.4, 0.7, 2.2]) {
      const p = { beta: 1, delta: 1 };
      const h = 1e-6;
      const num = (c.value(d + h, p) - c.value(d - h, p)) / (2 * h);
      assert.ok(Math.abs(num - c.grad(d, p)) < 1e-5, `${c.key} at ${d}: ${num} vs ${c.grad(d, p)}`);
    }
  }
});

test('every metric matches a naive reference on random data (property)', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.tuple(fc.double({ min: -1e3, max: 1e3, noNaN: true }), fc.double({ min: -1e3, max: 1e3, noNaN: true })), { minLength: 1, maxLength: 40 }),
      fc.double({ min: 0, max: 10, noNaN: true }),
      fc.double({ min: 0.01, max: 10, noNaN: true }),
      async (rows, beta, delta) => {
        const text = csvOf(['target', 'prediction'], rows.map(([t, p]) => [String(t), String(p)]));
        const r = await analyzeText('p.csv', text, { params: { beta, delta } });
        const m = r.models[0].metrics;
        const d = rows.map(([t, p]) => p - t);
        const n = d.length;
        const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
        close(m.l1, sum(d.map(Math.abs)), 1e-9);
        close(m.l2, sum(d.map((x) => x * x)), 1e-9);
        close(m.mae, sum(d.map(Math.abs)) / n, 1e-9);
        close(m.mse, sum(d.map((x) => x * x)) / n, 1e-9);
        close(m.smoothL1, sum(d.map((x) => smoothL1(x, beta))) / n, 1e-9);
        close(m.huber, sum(d.map((x) => huber(x, delta))) / n, 1e-9);
        close(m.maxError, Math.max(...d.map(Math.abs)), 0);
        const sorted = d.map(Math.abs).sort((a, b) => a - b);
        const med = n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        close(m.medianAE, med, 0);
      },
    ),
    { seed: 11, numRuns: 300 },
  );
});

test('accuracy: a million rows agree with exact summation where naive summation drifts', async () => {
  const next = rng(5);
  const rows: string[] = ['y_true,y_pred'];
  const t: number[] = [];
  const p: number[] = [];
  for (let i = 0; i < 200_000; i++) {
    const ti = 1e6 + Math.floor(next() * 1000) / 10;
    const pi = ti + (next() - 0.5) * 1e-3 + (i % 1000 === 0 ? 1e5 : 0);
    t.push(ti);
    p.push(pi);
    rows.push(`${ti},${pi}`);
  }
  const r = await analyzeText('big.csv', rows.join('\n'));
  const d = t.map((x, i) => p[i] - x);
  // Reference: exact sum via BigInt over the same per-element values.
  const exact = (xs: number[]) => {
    const scaled = xs.map((x) => BigInt(Math.round(x * 2 ** 60)));
    return Number(scaled.reduce((a, b) => a + b, 0n)) / 2 ** 60;
  };
  const absRef = exact(d.map(Math.abs));
  const naive = d.map(Math.abs).reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(r.models[0].metrics.l1! - absRef) / absRef < 2e-16, `${r.models[0].metrics.l1} vs ${absRef}`);
  assert.notEqual(naive, r.models[0].metrics.l1, 'naive summation differs (so this test can fail)');
});

test('R² survives targets near 1e12 that differ by 1e-3 (naive Σt² − (Σt)²/n does not)', async () => {
  const t = Array.from({ length: 3000 }, (_, i) => 1e12 + (i % 7) * 1e-3);
  const p = t.map((x, i) => x + ((i % 3) - 1) * 1e-3);
  const text = csvOf(['y_true', 'y_pred'], t.map((x, i) => [x.toFixed(3), p[i].toFixed(3)]));
  const r = await analyzeText('t.csv', text);
  // Reference: exact rational arithmetic on the doubles the file's decimals round to. Near 1e12
  // a double is a multiple of 2^-13, so x·2^13 is an exact integer.
  const T = t.map((x) => BigInt(Number(x.toFixed(3)) * 2 ** 13));
  const P = p.map((x) => BigInt(Number(x.toFixed(3)) * 2 ** 13));
  const n = BigInt(T.length);
  const S = T.reduce((a, b) => a + b, 0n);
  const ssNum = n * T.reduce((a, b) => a + b * b, 0n) - S * S; // n²·Σ(t − mean)², scaled by 2^26
  const sse = T.reduce((a, x, i) => a + (P[i] - x) * (P[i] - x), 0n); // scaled by 2^26
  const ref = 1 - (Number(sse) * Number(n)) / Number(ssNum);
  close(r.models[0].metrics.r2, ref, 1e-12);
  const naiveSS = t.reduce((a, x) => a + x * x, 0) - t.reduce((a, x) => a + x, 0) ** 2 / t.length;
  const trueSS = Number(ssNum) / Number(n) / 2 ** 26;
  assert.ok(Math.abs(naiveSS - trueSS) / trueSS > 0.01, 'the naive formula is far off (so this test can fail)');
});

test('robustness: the share of each loss carried by the worst rows, and the loss without them', async () => {
  // 99 rows with |d| = 1 and one with |d| = 10; then 10 more rows tied at |d| = 3.
  const rows: number[][] = [];
  for (let i = 0; i < 99; i++) rows.push([0, i % 2 ? 1 : -1]);
  rows.push([0, 10]);
  const m = (await analyzeText('r.csv', csvOf(['y_true', 'y_pred'], rows))).models[0];
  const w1 = m.robustness.worst1;
  assert.ok(m.gradients);
  assert.equal(w1.rows, 1);
  assert.equal(w1.threshold, 10);
  close(w1.share.l2, 100 / 199);
  close(w1.share.l1, 10 / 109);
  close(w1.without.l2, 1);
  close(w1.without.l1, 1);
  close(w1.share.smoothL1, 9.5 / (9.5 + 99 * 0.5));
  assert.equal(m.robustness.worst10.rows, 10);
  close(m.robustness.worst10.share.l2, (100 + 9) / 199, 1e-12);
  // L2's gradient explodes (max 20 vs median 2), smooth L1's stays bounded by 1.
  assert.deepEqual({ ...m.gradients.l2, p99: 0 }, { median: 2, p99: 0, max: 20, ratio: 10 });
  close(m.gradients.l2.p99, 2 * (1 + 9 * 0.01), 1e-12); // numpy's linear p99 of |d| is 1.09
  assert.deepEqual(m.gradients.smoothL1, { median: 1, p99: 1, max: 1, ratio: 1 });
  assert.deepEqual(m.gradients.huber, { median: 1, p99: 1, max: 1, ratio: 1 });
  const tied = (await analyzeText('t.csv', csvOf(['y_true', 'y_pred'], [...rows, ...Array.from({ length: 10 }, () => [0, 3])]))).models[0];
  // n = 110: worst 10% = 11 rows = the 10 and ten rows tied at 3.
  close(tied.robustness.worst10.share.l2, (100 + 90) / (199 + 90));
  const h = m.absLogHistogram;
  assert.equal(h.counts.reduce((a, b) => a + b, 0) + h.below, 100);
  assert.ok(h.edges[h.edges.length - 1] >= 10 && h.edges[0] < 10 / 2 ** 19, "20 octaves below the largest |d|");
});

test('MAPE, sMAPE and pinball loss, hand-computed (scikit-learn definitions)', async () => {
  // target, prediction: d = 1, -2, 0.5, 0 ; targets 2, 4, 0 (MAPE floor ε), 3
  const text = csvOf(['y_true', 'y_pred'], [[2, 3], [4, 2], [0, 0.5], [3, 3]]);
  const m = (await analyzeText('m.csv', text, { params: { beta: 1, delta: 1, quantile: 0.9 } })).models[0].metrics;
  close(m.mape, (1 / 2 + 2 / 4 + 0.5 / 2.220446049250313e-16 + 0) / 4);
  close(m.smape, ((2 * 1) / 5 + (2 * 2) / 6 + (2 * 0.5) / 0.5 + 0) / 4);
  // diff = target − prediction = -1, 2, -0.5, 0: q = 0.9 → 0.1·1, 0.9·2, 0.1·0.5, 0
  close(m.pinball, (0.1 + 1.8 + 0.05 + 0) / 4);
  const half = (await analyzeText('m.csv', text)).models[0].metrics;
  close(half.pinball, (half.mae as number) / 2, 1e-15);
});

test('sample weights: weighted means and the weighted median as scikit-learn computes them', async () => {
  const text = 'y_true,y_pred,w\n1,2,1\n2,2,3\n3,5,0.5\n4,3,2\n5,9,0\n6,6,-1\n';
  const r = await analyzeText('w.csv', text, { columns: { weight: 'w' } });
  assert.equal(r.weight, 'w');
  assert.deepEqual(r.rows.skippedByReason, { negativeWeight: 1 });
  assert.deepEqual(r.rows.firstSkippedLines, { negativeWeight: [7] });
  const m = r.models[0].metrics;
  // scikit-learn 1.2.1 with sample_weight=[1, 3, 0.5, 2, 0] on the five rows used:
  close(m.mae, 0.6153846153846154, 1e-15);
  close(m.mse, 0.7692307692307693, 1e-15);
  close(m.r2, 0.3434343434343434, 1e-15);
  close(m.mape, 0.28205128205128205, 1e-15);
  close(m.pinball, 0.3076923076923077, 1e-15);
  assert.equal(m.medianAE, 1); // median_absolute_error(sample_weight=…): the lower weighted median
  assert.equal(m.maxError, 4, 'max_error has no weights: the weight-0 row still counts');
  // Weights of 1 change nothing.
  const ones = await analyzeText('o.csv', 'y_true,y_pred,w\n1,2,1\n2,2,1\n3,5,1\n4,3,1\n', { columns: { weight: 'w' } });
  const plain = await analyzeText('o.csv', 'y_true,y_pred,w\n1,2,1\n2,2,1\n3,5,1\n4,3,1\n');
  assert.deepEqual(ones.models[0].metrics, plain.models[0].metrics);
  await assert.rejects(analyzeText('z.csv', 'y_true,y_pred,w\n1,2,0\n', { columns: { weight: 'w' } }), /add up to 0/);
});

test('weighted reports: the β sweep and the robustness shares are weighted like the metrics', async () => {
  const { analyzeText } = await import('../helpers/run');
  const { smoothL1: sl1, huber: hub } = await import('../../src/core/tasks/regression/losses');
  const next = (() => {
    let a = 12345;
    return () => ((a = (a * 16807) % 2147483647) / 2147483647);
  })();
  const rows = Array.from({ length: 500 }, (_, i) => {
    const t = next() * 10;
    const d = (next() - 0.5) * (i % 50 === 0 ? 200 : 3); // distinct |d|: no ties at the thresholds
    return { t, p: t + d, w: 0.25 + next() * 3 };
  });
  const csv = 'y_true,y_pred,w\n' + rows.map((r) => `${r.t},${r.p},${r.w}`).join('\n') + '\n';
  const r = await analyzeText('w.csv', csv, { columns: { weight: 'w' } });
  const m = r.models[0];
  const W = rows.reduce((s, x) => s + x.w, 0);
  const z = rows.map((x) => Math.abs(x.p - x.t));
  const close = (a: number | null, b: number, what: string) => assert.ok(a !== null && Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);
  // The sweep at every grid value: Σ w·loss(β) / Σ w, and the weighted share of |d| < β.
  m.sweep.values.forEach((v, i) => {
    close(m.sweep.smoothL1[i], rows.reduce((s, x, j) => s + x.w * sl1(z[j], v), 0) / W, `smooth L1 at β = ${v}`);
    close(m.sweep.huber[i], rows.reduce((s, x, j) => s + x.w * hub(z[j], v), 0) / W, `Huber at δ = ${v}`);
    close(m.sweep.quadraticShare[i], rows.reduce((s, x, j) => s + (z[j] < v ? x.w : 0), 0) / W, `quadratic share at ${v}`);
  });
  // Robustness: the 5 (1%) and 50 (10%) rows with the largest |d|, their weighted share and the weighted mean of the rest.
  const order = z.map((_, i) => i).sort((a, b) => z[b] - z[a]);
  for (const [key, k] of [['worst1', 5], ['worst10', 50]] as const) {
    const inG = new Set(order.slice(0, k));
    const wl2 = (j: number) => rows[j].w * z[j] * z[j];
    const total = rows.reduce((s, _, j) => s + wl2(j), 0);
    const top = [...inG].reduce((s, j) => s + wl2(j), 0);
    const restW = rows.reduce((s, x, j) => s + (inG.has(j) ? 0 : x.w), 0);
    close(m.robustness[key].share.l2, top / total, `${key} L2 share`);
    close(m.robustness[key].without.l2, (total - top) / restW, `${key} L2 without`);
  }
  // At the β in force (always in the sweep) the sweep agrees with the summary.
  const at = m.sweep.values.indexOf(r.params.beta);
  assert.ok(at >= 0, 'the sweep holds the β in force');
  close(m.sweep.smoothL1[at], m.metrics.smoothL1 as number, 'sweep at β in force');
});

test('the β sweep is exact when β lies next to a grid value (both in one radix key)', async () => {
  const { analyzeText } = await import('../helpers/run');
  const { smoothL1: sl1 } = await import('../../src/core/tasks/regression/losses');
  // Residuals packed around 0.251 (a grid value) and β = 0.2512 beside it.
  const ds = Array.from({ length: 400 }, (_, i) => 0.2505 + i * 0.000002 * (i % 2 ? 1 : -1) + (i % 7) * 0.0001);
  ds.push(0.9);
  const csv = 'y_true,y_pred\n' + ds.map((d, i) => `${i},${i + d}`).join('\n') + '\n';
  const r = await analyzeText('b.csv', csv, { params: { beta: 0.2512, delta: 1 } });
  const m = r.models[0];
  const z = ds.map((d, i) => Math.abs(i + d - i));
  for (const v of [0.251, 0.2512]) {
    const at = m.sweep.values.indexOf(v);
    assert.ok(at >= 0, `${v} is in the sweep`);
    const want = z.reduce((s, x) => s + sl1(x, v), 0) / z.length;
    assert.ok(Math.abs(m.sweep.smoothL1[at] - want) <= 1e-12 * want, `smooth L1 at β = ${v}: ${m.sweep.smoothL1[at]} vs ${want}`);
    assert.equal(m.sweep.quadraticShare[at], z.filter((x) => x < v).length / z.length, `quadratic share at ${v}`);
  }
});

test('quantiles and robustness when most rows share one |d| (a bucket too big to collect)', async () => {
  // 100,000 rows: 70% exact predictions (|d| = 0), 25% at |d| = 0.5, 5% spread in (3, 5); then
  // the 70% at |d| = 2 (a non-zero constant, also holding the worst 10%'s threshold: ties), and
  // at |d| in [2, 2.002) (one key, less than 1/128 octave wide, but many values).
  const next = rng(5);
  for (const [name, big] of [
    ['zeros', () => 0],
    ['twos', () => 2],
    ['varied', () => 2 + next() * 2e-3],
  ] as const) {
    const ds: number[] = [];
    for (let i = 0; i < 100_000; i++) {
      const u = next();
      ds.push(u < 0.7 ? big() : u < 0.95 ? 0.5 : 3 + 2 * next());
    }
    const rows = ds.map((d, i) => [i % 7, (i % 7) + (i % 2 ? d : -d)]);
    const m = (await analyzeText(`${name}.csv`, csvOf(['y_true', 'y_pred'], rows))).models[0];
    // The reference: |d| sorted (numpy's quantiles), the worst k by |d| with ties cut anywhere.
    const z = rows.map(([t, p]) => Math.abs(p - t)).sort((a, b) => a - b);
    const n = z.length;
    const q = (f: number) => {
      const pos = f * (n - 1);
      const lo = Math.floor(pos);
      const hi = Math.ceil(pos);
      return f === 0.5 ? (z[lo] + z[hi]) / 2 : z[lo] + (z[hi] - z[lo]) * (pos - lo);
    };
    close(m.absQuantiles.p50, q(0.5), 1e-15);
    close(m.absQuantiles.p90, q(0.9), 1e-15);
    close(m.absQuantiles.p99, q(0.99), 1e-15);
    for (const [key, f] of [['worst1', 0.01], ['worst10', 0.1]] as const) {
      const k = Math.ceil(f * n);
      const top = z.slice(n - k);
      const sq = (xs: number[]) => xs.reduce((a, x) => a + x * x, 0);
      assert.equal(m.robustness[key].threshold, z[n - k], `${name} ${key} threshold`);
      if (name !== 'zeros' && key === 'worst10') assert.ok(z[n - k] >= 2 && z[n - k] < 2.002, 'the threshold is in the big bucket');
      close(m.robustness[key].share.l2, sq(top) / sq(z), 1e-9);
      close(m.robustness[key].share.l1, top.reduce((a, x) => a + x, 0) / z.reduce((a, x) => a + x, 0), 1e-9);
    }
  }
});
