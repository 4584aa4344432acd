/**
 * Intervals of the confusion metrics, average precision and ECE (#15 item 1, src/core/intervals/
 * confusion.ts): Wilson against scipy, the delta method's gradients against finite differences,
 * and coverage by simulation (1000 seeded data sets where the true value is known: a 95%
 * interval covers it 93–97% of the time), one model and the paired difference of two.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  averagePrecisionInterval,
  Cells,
  ConfusionSums,
  deltaInterval,
  DeltaMetric,
  eceInterval,
  GRADIENTS,
  pairedDeltaSe,
  precisionInterval,
  recallInterval,
  wilson,
  zOf,
} from '../../src/core/intervals/confusion';
import { CalibrationBins } from '../../src/core/tasks/classification/calibration';
import { ranking } from '../../src/core/tasks/classification/ranking';
import { countMetrics } from '../../src/core/tasks/classification/thresholds';
import { rng } from '../helpers/run';

const Z95 = zOf(0.95);

test("Wilson's interval equals scipy's binomtest(k, n).proportion_ci(0.95, method='wilson')", () => {
  // /usr/bin/python3 -c "from scipy.stats import binomtest; print(binomtest(37, 50).proportion_ci(0.95, method='wilson'))" (scipy 1.10.1)
  const cases: [number, number, number, number][] = [
    [37, 50, 0.6044684273515115, 0.8412847250644762],
    [0, 20, 0, 0.16112515805281935],
    [20, 20, 0.8388748419471808, 1],
    [612, 1000, 0.5814239245764211, 0.6417188815228144],
  ];
  for (const [k, n, low, high] of cases) {
    const iv = wilson(k / n, n, Z95);
    assert.ok(iv);
    assert.ok(Math.abs(iv.low - low) <= 1e-12 && Math.abs(iv.high - high) <= 1e-12, `${k}/${n}: [${iv.low}, ${iv.high}] vs [${low}, ${high}]`);
  }
  assert.equal(wilson(0.5, 0, Z95), null);
});

function metricOf(m: DeltaMetric, w: Cells): number {
  const r = countMetrics(w[0], w[1], w[2], w[3], w[0] + w[1] + w[2] + w[3]);
  return r[m] as number;
}

test('the gradients of precision, recall, F1, MCC and balanced accuracy are the derivatives of scikit-learn’s formulas', () => {
  const w: Cells = [412, 97, 61, 230];
  for (const m of Object.keys(GRADIENTS) as DeltaMetric[]) {
    const g = GRADIENTS[m](w);
    assert.ok(g);
    for (let c = 0; c < 4; c++) {
      const h = 1e-4;
      const up = [...w] as [number, number, number, number];
      const down = [...w] as [number, number, number, number];
      up[c] += h;
      down[c] -= h;
      const numeric = (metricOf(m, up) - metricOf(m, down)) / (2 * h);
      assert.ok(Math.abs(numeric - g[c]) <= 1e-7 * Math.max(1e-6, Math.abs(g[c])) + 1e-12, `${m} cell ${c}: ${g[c]} vs ${numeric}`);
    }
    // Scale invariance (Euler): Σ W_c·g_c = 0, which the variance formula relies on.
    assert.ok(Math.abs(g[0] * w[0] + g[1] * w[1] + g[2] * w[2] + g[3] * w[3]) < 1e-12, m);
  }
  // Undefined denominators: no gradient, no interval.
  assert.equal(GRADIENTS.precision([10, 0, 5, 0]), null);
  assert.equal(GRADIENTS.mcc([10, 0, 5, 0]), null);
  assert.equal(deltaInterval('f1', 1, { w: [10, 0, 0, 5], w2: [10, 0, 0, 5] }, Z95, 0, 1), null, 'a perfect table has no spread: no zero-width interval');
});

/** One draw from the discrete distribution `p` (sums to 1). */
function draw(next: () => number, p: readonly number[]): number {
  let u = next();
  for (let k = 0; k < p.length - 1; k++) {
    if (u < p[k]) return k;
    u -= p[k];
  }
  return p.length - 1;
}

const METRICS: DeltaMetric[] = ['precision', 'recall', 'f1', 'mcc', 'balancedAccuracy'];

function intervalOf(m: DeltaMetric, c: ConfusionSums): { low: number; high: number } | null {
  if (m === 'precision') return precisionInterval(c, Z95);
  if (m === 'recall') return recallInterval(c, Z95);
  return deltaInterval(m, metricOf(m, c.w), c, Z95, m === 'mcc' ? -1 : 0, 1);
}

test('coverage: precision, recall, F1, MCC and balanced accuracy, with and without weights, cover the true value 93–97% of the time', () => {
  const pi: Cells = [0.45, 0.15, 0.1, 0.3];
  const sets = 1000;
  const n = 800;
  for (const weighted of [false, true]) {
    const next = rng(weighted ? 152 : 151);
    const hits = Object.fromEntries(METRICS.map((m) => [m, 0])) as Record<DeltaMetric, number>;
    for (let s = 0; s < sets; s++) {
      const w = [0, 0, 0, 0];
      const w2 = [0, 0, 0, 0];
      for (let i = 0; i < n; i++) {
        const c = draw(next, pi);
        const wi = weighted ? 1 + Math.floor(next() * 4) : 1; // independent of the cell: the weighted truth is the same
        w[c] += wi;
        w2[c] += wi * wi;
      }
      const sums: ConfusionSums = { w: w as unknown as Cells, w2: w2 as unknown as Cells };
      for (const m of METRICS) {
        const iv = intervalOf(m, sums);
        const truth = metricOf(m, pi);
        if (iv && iv.low <= truth && truth <= iv.high) hits[m]++;
      }
    }
    for (const m of METRICS) assert.ok(hits[m] >= 930 && hits[m] <= 970, `${weighted ? 'weighted ' : ''}${m}: ${hits[m]} of ${sets}`);
  }
});

test('coverage: the paired difference of two models’ confusion metrics covers the true difference 93–97% of the time', () => {
  // Joint cells, index 4·y + 2·(a says positive) + (b says positive): the models agree on most rows.
  const joint = [0.36, 0.06, 0.04, 0.06, 0.04, 0.02, 0.06, 0.36];
  const marginal = (model: 'a' | 'b'): Cells => {
    const c = [0, 0, 0, 0];
    joint.forEach((p, j) => {
      const y = j >> 2;
      const d = model === 'a' ? (j >> 1) & 1 : j & 1;
      c[2 * y + d] += p;
    });
    return c as unknown as Cells;
  };
  const next = rng(153);
  const sets = 1000;
  const n = 1000;
  const hits = Object.fromEntries(METRICS.map((m) => [m, 0])) as Record<DeltaMetric, number>;
  for (let s = 0; s < sets; s++) {
    const jw2 = new Float64Array(8);
    const a = [0, 0, 0, 0];
    const b = [0, 0, 0, 0];
    for (let i = 0; i < n; i++) {
      const j = draw(next, joint);
      jw2[j]++;
      const y = j >> 2;
      a[2 * y + ((j >> 1) & 1)]++;
      b[2 * y + (j & 1)]++;
    }
    const A: ConfusionSums = { w: a as unknown as Cells, w2: a as unknown as Cells };
    const B: ConfusionSums = { w: b as unknown as Cells, w2: b as unknown as Cells };
    for (const m of METRICS) {
      const se = pairedDeltaSe(m, A, B, { w2: jw2 });
      assert.ok(se !== null);
      const d = metricOf(m, B.w) - metricOf(m, A.w);
      const truth = metricOf(m, marginal('b')) - metricOf(m, marginal('a'));
      if (d - Z95 * se <= truth && truth <= d + Z95 * se) hits[m]++;
    }
  }
  for (const m of METRICS) assert.ok(hits[m] >= 930 && hits[m] <= 970, `paired ${m}: ${hits[m]} of ${sets}`);
});

test('coverage: average precision (Boyd’s logit interval) covers the population AP 93–97% of the time', () => {
  // Ten score levels; the positives' scores lean high. Population AP as scikit-learn defines it
  // with ties: Σ over the distinct scores, descending, of (R_k − R_{k−1})·P_k.
  const levels = Array.from({ length: 10 }, (_, k) => (k + 0.5) / 10);
  const pos = [0.02, 0.03, 0.05, 0.07, 0.08, 0.1, 0.12, 0.15, 0.18, 0.2];
  const neg = [0.2, 0.18, 0.15, 0.12, 0.1, 0.08, 0.07, 0.05, 0.03, 0.02];
  const prior = 0.3;
  let truth = 0;
  let tp = 0;
  let fp = 0;
  for (let k = 9; k >= 0; k--) {
    const r0 = tp;
    tp += pos[k];
    fp += neg[k];
    truth += (tp - r0) * ((prior * tp) / (prior * tp + (1 - prior) * fp));
  }
  const next = rng(154);
  const sets = 1000;
  const n = 1000;
  let hits = 0;
  for (let s = 0; s < sets; s++) {
    const scores = new Float64Array(n);
    const y = new Uint8Array(n);
    let np = 0;
    for (let i = 0; i < n; i++) {
      y[i] = next() < prior ? 1 : 0;
      np += y[i];
      scores[i] = levels[draw(next, y[i] ? pos : neg)];
    }
    const ap = ranking(scores, y, null).averagePrecision;
    const iv = averagePrecisionInterval(ap, np, Z95);
    if (iv && iv.low <= truth && truth <= iv.high) hits++;
  }
  assert.ok(hits >= 930 && hits <= 970, `average precision: ${hits} of ${sets}`);
});

test('coverage: ECE (delta method over the bins) covers the true ECE of a miscalibrated model 93–97% of the time', () => {
  // One confidence per bin, the model over- or under-confident by 0.06–0.1 in each: true ECE = Σ share·|gap|.
  const conf = Array.from({ length: 15 }, (_, b) => (b + 0.5) / 15);
  const gap = conf.map((_, b) => (b % 2 ? 1 : -1) * (0.06 + 0.04 * ((b * 7) % 5) / 4));
  const acc = conf.map((c, b) => Math.min(0.99, Math.max(0.01, c + gap[b])));
  const raw = conf.map((_, b) => 1 + (b % 4));
  const share = raw.map((r) => r / raw.reduce((x, y) => x + y, 0));
  let truth = 0;
  conf.forEach((c, b) => (truth += share[b] * Math.abs(acc[b] - c)));
  const next = rng(155);
  const sets = 1000;
  const n = 2000;
  let hits = 0;
  for (let s = 0; s < sets; s++) {
    const cal = new CalibrationBins();
    for (let i = 0; i < n; i++) {
      const b = draw(next, share);
      cal.add(conf[b], next() < acc[b] ? 1 : 0, 1);
    }
    const iv = eceInterval(cal.result().ece, cal.eceSums(), Z95);
    if (iv && iv.low <= truth && truth <= iv.high) hits++;
  }
  assert.ok(hits >= 930 && hits <= 970, `ECE: ${hits} of ${sets}`);
});
