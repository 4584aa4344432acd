/**
 * The paired comparison of the median |d| (#15 item 3, intervals/pairedMedian.ts): the
 * difference is numpy's median|b| − median|a|, the bootstrap is deterministic (the same for any
 * chunking of the rows, as threads make it), tied residuals are drawn by key, and the 95%
 * interval covers the true difference 93–97% of the time over 1,000 seeded data sets (small n,
 * where every row is drawn, and larger n, where only the band around the medians is).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pairedMedianBootstrap, poisson, uniforms } from '../../src/core/intervals/pairedMedian';
import { analyze } from '../../src/engine/analyze';
import { textReport } from '../../src/core/format';
import { intervalCaption, MAX_ERROR_NO_INTERVAL } from '../../src/core/intervals/words';
import { src } from '../helpers/compare';
import { workerBundle } from '../helpers/bundle';
import { opts } from '../helpers/run';
import { openFileSource } from '../../src/engine/source';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** numpy.median of |x|. */
function medianAbs(x: readonly number[]): number {
  const s = x.map(Math.abs).sort((p, q) => p - q);
  const n = s.length;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

/** Standard normals from a seeded generator (Box–Muller). */
function normals(u: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
}

test('the difference is numpy’s median|b| − median|a|, odd and even n; p and the interval from the draws', () => {
  const a = [1, -3, 2, 0.5, -4, 2.5, 7];
  const b = [0.5, -1, 2, 0.25, -1, 1.5, 3];
  const r = pairedMedianBootstrap([Float64Array.from(a)], [Float64Array.from(b)], 0.95);
  assert.ok(r);
  assert.equal(r.difference, medianAbs(b) - medianAbs(a)); // 1 − 2.5
  assert.ok(r.low <= r.high && r.p > 0 && r.p <= 1);
  const even = pairedMedianBootstrap([Float64Array.from(a.slice(0, 6))], [Float64Array.from(b.slice(0, 6))], 0.95);
  assert.equal(even?.difference, medianAbs(b.slice(0, 6)) - medianAbs(a.slice(0, 6)));
  assert.equal(pairedMedianBootstrap([Float64Array.of(1)], [Float64Array.of(2)], 0.95), null, 'one row: no comparison');
});

test('deterministic, and the same whatever the chunks (threads cut the rows into other chunks)', () => {
  const z = normals(uniforms(7));
  const n = 30000; // the band path: only rows near the medians are drawn one by one
  const a = Float64Array.from({ length: n }, () => z());
  const b = Float64Array.from({ length: n }, (_, i) => 0.8 * a[i] + 0.7 * z());
  const whole = pairedMedianBootstrap([a], [b], 0.95);
  assert.ok(whole);
  assert.deepEqual(pairedMedianBootstrap([a], [b], 0.95), whole);
  const cut = [0, 1234, 20000, n];
  const chunks = (x: Float64Array) => cut.slice(1).map((e, i) => x.subarray(cut[i], e));
  assert.deepEqual(pairedMedianBootstrap(chunks(a), chunks(b), 0.95), whole);
  assert.ok(whole.low < whole.difference && whole.difference < whole.high);
});

test('tied residuals (integer targets and predictions) are drawn by key: the median of a few values, n = 200,000', () => {
  const u = uniforms(11);
  const n = 200000;
  const a = Float64Array.from({ length: n }, () => Math.floor(u() * 7) - 3); // |d| in 0…3, median 2
  const b = Float64Array.from({ length: n }, () => Math.floor(u() * 5) - 2); // |d| in 0…2, median 1
  const r = pairedMedianBootstrap([a], [b], 0.95);
  assert.ok(r);
  assert.equal(r.difference, medianAbs([...b]) - medianAbs([...a]));
  assert.equal(r.difference, -1);
  assert.ok(r.p < 0.01 && r.high <= -1 + 1e-12 && r.low >= -1.5);
});

test('Poisson draws have the mean and variance λ (inversion below 10, rejection above)', () => {
  for (const lambda of [0.5, 3, 12, 1000]) {
    const u = uniforms(3);
    let s = 0;
    let s2 = 0;
    const k = 20000;
    for (let i = 0; i < k; i++) {
      const x = poisson(lambda, u);
      s += x;
      s2 += x * x;
    }
    const mean = s / k;
    const variance = s2 / k - mean * mean;
    assert.ok(Math.abs(mean - lambda) < 5 * Math.sqrt(lambda / k), `λ = ${lambda}: mean ${mean}`);
    assert.ok(Math.abs(variance / lambda - 1) < 0.06, `λ = ${lambda}: variance ${variance}`);
  }
});

/**
 * 1,000 data sets of n correlated pairs (a ~ N(0, 1), b ~ N(0, 1.3²), correlation 0.6): the true
 * difference of the medians of |d| is 1.3·q − q, q = Φ⁻¹(0.75).
 */
function coverage(n: number, resamples: number, seed: number): number {
  const q = 0.6744897501960817;
  const truth = 1.3 * q - q;
  const z = normals(uniforms(seed));
  let covered = 0;
  const sets = 1000;
  for (let s = 0; s < sets; s++) {
    const a = new Float64Array(n);
    const b = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const x = z();
      a[i] = x;
      b[i] = 1.3 * (0.6 * x + 0.8 * z());
    }
    const r = pairedMedianBootstrap([a], [b], 0.95, resamples);
    if (r && r.low <= truth && truth <= r.high) covered++;
  }
  return covered / sets;
}

test('coverage by simulation: 1,000 seeded data sets, the 95% interval covers the true difference 93–97% of the time (n = 120, every row drawn)', () => {
  const c = coverage(120, 300, 1);
  assert.ok(c >= 0.93 && c <= 0.97, `coverage ${c}`);
});

test('coverage by simulation with the band (n = 500: only the rows ranked within 3·√n of a median drawn one by one): 93–97%', () => {
  const c = coverage(500, 200, 2);
  assert.ok(c >= 0.93 && c <= 0.97, `coverage ${c}`);
});

test('the regression report compares the median |d| (paired bootstrap), not with weights or --time-ordered; the max error never', async () => {
  const rows = Array.from({ length: 300 }, (_, i) => {
    const y = (i * 7) % 31;
    return `${y},${y + Math.sin(i * 1.3) * 2},${y + Math.cos(i * 0.7)},${1 + (i % 3)}`;
  });
  const text = 'y,pred_a,pred_b,w\n' + rows.join('\n') + '\n';
  const opts = { params: { beta: 1, delta: 1, quantile: 0.5 }, topK: 3, bins: 10 };
  const r = await analyze(src('m.csv', text), { ...opts, columns: { predictions: ['pred_a', 'pred_b'] }, intervals: { confidence: 0.95 } });
  const c = r.comparisons.find((x) => x.metric === 'medianAE');
  assert.ok(c, 'a median comparison');
  assert.equal(c.method, 'paired bootstrap');
  assert.equal(c.difference, (r.models[1].metrics.medianAE ?? NaN) - (r.models[0].metrics.medianAE ?? NaN));
  assert.equal(c.significant, c.p < 0.05);
  assert.ok(!r.comparisons.some((x) => x.metric === 'maxError'));
  assert.equal(r.models[0].intervals?.maxError, null);
  // The words say why, where the intervals are explained: the text report and the summary's caption.
  const printed = textReport(r);
  assert.ok(printed.includes(`\n  ${MAX_ERROR_NO_INTERVAL}\n`), printed);
  assert.match(printed, /pred_b and pred_a do not differ significantly in median AE|pred_b has a (lower|higher) median AE than pred_a/);
  assert.match(intervalCaption(0.95, true), /max error: none, a sample maximum has no sound interval/);
  assert.doesNotMatch(intervalCaption(0.95), /max error/, 'a classifier’s caption has no max error');
  const weighted = await analyze(src('m.csv', text), { ...opts, columns: { predictions: ['pred_a', 'pred_b'], weight: 'w' }, intervals: { confidence: 0.95 } });
  assert.ok(!weighted.comparisons.some((x) => x.metric === 'medianAE'));
  const timed = await analyze(src('m.csv', text), { ...opts, columns: { predictions: ['pred_a', 'pred_b'] }, intervals: { confidence: 0.95, timeOrdered: true } });
  assert.ok(!timed.comparisons.some((x) => x.metric === 'medianAE'));
});

test('the median comparison is identical to the last bit with 1, 2 and 4 threads (the residuals merged in file order)', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'li-pmed-'));
  try {
    const z = normals(uniforms(21));
    const lines = ['y,pred_a,pred_b'];
    // ~5 MiB: more than 4 blocks, so that 4 ranges are read by 4 threads.
    for (let i = 0; i < 110_000; i++) {
      const y = z() * 10;
      const e = z();
      lines.push(`${y},${y + e},${y + 0.8 * e + 0.6 * z()}`);
    }
    const file = path.join(dir, 'p.csv');
    fs.writeFileSync(file, lines.join('\n') + '\n');
    assert.ok(fs.statSync(file).size > 4 << 20);
    const worker = workerBundle();
    const reports = [];
    for (const threads of [1, 2, 4]) {
      const s = openFileSource(file);
      try {
        reports.push(await analyze(s, opts({ threads, parallelThreshold: 0, ...worker, intervals: { confidence: 0.95 } })));
      } finally {
        s.close();
      }
    }
    const med = reports.map((r) => r.comparisons.find((c) => c.metric === 'medianAE'));
    assert.ok(med[0] && med[0].method === 'paired bootstrap');
    assert.deepEqual(med[1], med[0]);
    assert.deepEqual(med[2], med[0]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
