/**
 * Intervals of the multiclass metrics and the paired differences that are not means (#15;
 * src/core/intervals/multiConfusion.ts, rankInfluence.ts, eceInfluence.ts): the standard errors
 * against finite differences of scikit-learn's functions (test/fixtures/intervals/multiclass.json,
 * written by scripts/dev/multiclass-interval-reference.py), the gradients against finite
 * differences of the engine's own metrics, and coverage by simulation (1000 seeded data sets drawn
 * from a discrete distribution, whose metrics — the same functions with the probabilities as
 * weights — are the true values: a 95% interval covers them 93–97% of the time).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CliArgs, optionsOf, parseArgs } from '../../src/cli/cli';
import { analyzeFile } from '../../src/engine/analyze';
import { openFileSource } from '../../src/engine/source';
import type { FamilyReport } from '../../src/core/families';
import { zOf } from '../../src/core/intervals/confusion';
import { delongInterval, delongOf, placements } from '../../src/core/intervals/delong';
import { pairedEceSe } from '../../src/core/intervals/eceInfluence';
import { MULTI_DELTA_KEYS, MultiCells, multiDeltaInterval, MultiDeltaMetric, multiGradient, multiPairedSe } from '../../src/core/intervals/multiConfusion';
import { addRankInfluences, influenceSe } from '../../src/core/intervals/rankInfluence';
import type { Comparison, Interval } from '../../src/core/intervals/report';
import { CalibrationBins, ECE_BINS, eceBin } from '../../src/core/tasks/classification/calibration';
import { ranking } from '../../src/core/tasks/classification/ranking';
import { multiComparisons, multiIntervals } from '../../src/core/tasks/multiclass/intervals';
import { multiStats, MultiMetricKey } from '../../src/core/tasks/multiclass/metrics';
import { repoRoot } from '../helpers/paths';
import { rng } from '../helpers/run';

/** ECE's influence per row, g_i = (s_b·x_i − ECE)/W (src/core/intervals/eceInfluence.ts), the definition pairedEceSe's sums stand for; `confidence(i)` and `correct(i)` of row i (n rows), `w` the weights or null. */
function eceInfluences(n: number, confidence: (i: number) => number, correct: (i: number) => number, w: Float64Array | null): Float64Array | null {
  const D = new Float64Array(ECE_BINS);
  const bin = new Uint8Array(n);
  const x = new Float64Array(n);
  let W = 0;
  for (let i = 0; i < n; i++) {
    const c = confidence(i);
    const b = eceBin(c);
    const wi = w ? w[i] : 1;
    bin[i] = b;
    x[i] = correct(i) - c;
    D[b] += wi * x[i];
    W += wi;
  }
  if (!(W > 0)) return null;
  let ece = 0;
  for (let b = 0; b < ECE_BINS; b++) ece += Math.abs(D[b]);
  ece /= W;
  const g = x;
  for (let i = 0; i < n; i++) {
    const d = D[bin[i]];
    g[i] = ((d > 0 ? 1 : d < 0 ? -1 : 0) * x[i] - ece) / W;
  }
  return g;
}


const Z = zOf(0.95);
const PARAMS = { gamma: 2, labelSmoothing: 0 };
const dir = path.join(repoRoot, 'test/fixtures/intervals');

async function run(file: string, flags: string[]): Promise<FamilyReport> {
  const src = openFileSource(file);
  try {
    return await analyzeFile(src, optionsOf(parseArgs([file, ...flags]) as CliArgs));
  } finally {
    src.close();
  }
}

function close(x: number, want: number, rel: number, what: string): void {
  assert.ok(Math.abs(x - want) <= rel * Math.abs(want), `${what}: ${x} vs ${want} (${Math.abs(x - want) / Math.abs(want)} relative)`);
}

interface RefCase {
  file: string;
  weighted: boolean;
  models: Record<string, Record<string, [number, number]>>;
  paired: Record<string, [number, number]>;
}

const METHOD: Record<string, [string, string]> = {
  precision: ['confusion delta', 'paired confusion delta'],
  recall: ['confusion delta', 'paired confusion delta'],
  f1: ['confusion delta', 'paired confusion delta'],
  balancedAccuracy: ['confusion delta', 'paired confusion delta'],
  mcc: ['confusion delta', 'paired confusion delta'],
  rocAuc: ['delong ovr', 'delong ovr paired'],
  averagePrecision: ['ap influence', 'paired influence'],
  ece: ['ece delta', 'paired influence'],
};

test('multiclass intervals and comparisons: standard errors equal Σw²g² of finite differences of scikit-learn’s functions (1e-6), values scikit-learn’s (1e-12)', async () => {
  const ref = JSON.parse(fs.readFileSync(path.join(dir, 'multiclass.json'), 'utf8')) as { cases: RefCase[] };
  for (const c of ref.cases) {
    const r = await run(path.join(dir, c.file), ['--task', 'multiclass', ...(c.weighted ? ['--weight', 'w'] : [])]);
    assert.ok('task' in r && r.task === 'multiclass');
    assert.deepEqual(r.models.map((m) => m.prediction), ['a', 'b']);
    for (const m of r.models) {
      for (const [key, [value, se]] of Object.entries(c.models[m.prediction])) {
        const iv = m.intervals?.[key as MultiMetricKey] as Interval;
        assert.equal(iv.method, METHOD[key][0], key);
        const v = m.metrics[key as MultiMetricKey] as number;
        close(v, value, 1e-12, `${c.file} ${m.prediction} ${key}`);
        // Not cut at a bound here: both ends are value ± z·se.
        close((iv.high - iv.low) / (2 * Z), se, 1e-6, `${c.file} ${m.prediction} ${key} se`);
        close((iv.high + iv.low) / 2, v, 1e-12, `${c.file} ${m.prediction} ${key} centre`);
      }
    }
    for (const [key, [diff, se]] of Object.entries(c.paired)) {
      const cmp = r.comparisons.find((x) => x.metric === key) as Comparison;
      assert.ok(cmp, `a comparison of ${key}`);
      assert.equal(cmp.method, METHOD[key][1], key);
      close(cmp.difference, diff, 1e-9, `${c.file} Δ${key}`);
      close((cmp.high - cmp.low) / (2 * Z), se, 1e-6, `${c.file} Δ${key} se`);
    }
  }
});

/** The metrics of k×k cells, from multiStats over one row per cell (weighted by the cell). */
function cellMetrics(w: ArrayLike<number>, k: number): Record<MultiMetricKey, number | null> {
  const rows: number[] = [];
  const ws: number[] = [];
  const s: number[] = [];
  for (let t = 0; t < k; t++) {
    for (let p = 0; p < k; p++) {
      if (!(w[t * k + p] > 0)) continue;
      rows.push(t);
      ws.push(w[t * k + p]);
      for (let c = 0; c < k; c++) s.push(c === p ? 0.7 : 0.3 / (k - 1));
    }
  }
  return multiStats(Int32Array.from(rows), Float64Array.from(s), k, Float64Array.from(ws), false, PARAMS).metrics;
}

test('the gradients of the macro metrics and MCC are the derivatives of the metrics (finite differences), and sum to 0 against the cells (Euler)', () => {
  // Class 3 is never predicted (precision 0, held there) and class 2 is a decision without a true row.
  const k = 4;
  const w = Float64Array.from([40, 7, 3, 0, 9, 55, 4, 0, 0, 0, 0, 0, 6, 5, 2, 0]);
  // Row 2 is empty: class 2 has decisions but no true row; class 3 true rows but no decision.
  for (const m of MULTI_DELTA_KEYS) {
    const g = multiGradient(m, w, k);
    assert.ok(g, m);
    let euler = 0;
    for (let j = 0; j < k * k; j++) {
      euler += g[j] * w[j];
      if (!(w[j] > 0)) continue; // a cell without rows cannot be moved down
      const h = 1e-5 * w[j];
      const up = w.slice();
      const dn = w.slice();
      up[j] += h;
      dn[j] -= h;
      const numeric = ((cellMetrics(up, k)[m] as number) - (cellMetrics(dn, k)[m] as number)) / (2 * h);
      assert.ok(Math.abs(numeric - g[j]) <= 1e-6 * Math.abs(g[j]) + 1e-10, `${m} cell ${j}: ${g[j]} vs ${numeric}`);
    }
    assert.ok(Math.abs(euler) < 1e-12, `${m}: Σ W·g = ${euler}`);
  }
  assert.equal(multiGradient('mcc', Float64Array.from([5, 0, 3, 0]), 2), null, 'one decision only: MCC is 0 (scikit-learn), no gradient');
  const perfect: MultiCells = { k: 2, w: Float64Array.from([5, 0, 0, 7]), w2: Float64Array.from([5, 0, 0, 7]) };
  assert.equal(multiDeltaInterval('f1', 1, perfect, Z, 0, 1), null, 'a perfect table has no spread: no zero-width interval');
});

test('rank influences are the derivatives of weighted ROC AUC and AP (ties included); ECE’s of the calibration bins’ ECE', () => {
  const next = rng(401);
  const n = 60;
  const s = Float64Array.from({ length: n }, () => Math.round(next() * 12) / 12);
  const y = Uint8Array.from({ length: n }, (_, i) => (next() < 0.3 + 0.5 * s[i] ? 1 : 0));
  const w = Float64Array.from({ length: n }, () => 0.5 + next() * 2);
  const auc = new Float64Array(n);
  const ap = new Float64Array(n);
  const v = addRankInfluences(s, y, w, 1, auc, ap);
  assert.ok(v);
  const r0 = ranking(s, y, w);
  close(v.auc, r0.rocAuc as number, 1e-12, 'AUC');
  close(v.ap, r0.averagePrecision as number, 1e-12, 'AP');
  // DeLong's factors √(n/(n − 1)) per class, Kish's n: undone for the derivative.
  const kish = (c: number) => {
    let a = 0;
    let b = 0;
    for (let i = 0; i < n; i++) {
      if (y[i] !== c) continue;
      a += w[i];
      b += w[i] * w[i];
    }
    const e = (a * a) / b;
    return Math.sqrt(e / (e - 1));
  };
  const f = [kish(0), kish(1)];
  const conf = (i: number) => s[i];
  const ece = (ww: Float64Array) => {
    const cal = new CalibrationBins();
    for (let i = 0; i < n; i++) cal.add(s[i], y[i], ww[i]);
    return cal.result().ece as number;
  };
  const ge = eceInfluences(n, conf, (i) => y[i], w);
  assert.ok(ge);
  // The paired form from sums per pair of bins is Σ w²(g_b − g_a)² of these influences.
  const conf2 = (i: number) => Math.min(1, Math.max(0, s[i] * 0.8 + 0.15 * ((i * 7) % 3)));
  const gb = eceInfluences(n, conf2, (i) => y[i], w);
  assert.ok(gb);
  close(pairedEceSe(n, { confidence: conf, correct: (i) => y[i] }, { confidence: conf2, correct: (i) => y[i] }, w) as number, influenceSe(gb, w, ge) as number, 1e-12, 'paired ECE se');
  for (let i = 0; i < n; i++) {
    const h = 1e-6 * w[i];
    const up = w.slice();
    const dn = w.slice();
    up[i] += h;
    dn[i] -= h;
    const ru = ranking(s, y, up);
    const rd = ranking(s, y, dn);
    const dAuc = ((ru.rocAuc as number) - (rd.rocAuc as number)) / (2 * h);
    const dAp = ((ru.averagePrecision as number) - (rd.averagePrecision as number)) / (2 * h);
    const dEce = (ece(up) - ece(dn)) / (2 * h);
    assert.ok(Math.abs(auc[i] / f[y[i]] - dAuc) <= 1e-6 * Math.abs(dAuc) + 1e-9, `AUC row ${i}: ${auc[i] / f[y[i]]} vs ${dAuc}`);
    assert.ok(Math.abs(ap[i] - dAp) <= 1e-6 * Math.abs(dAp) + 1e-9, `AP row ${i}: ${ap[i]} vs ${dAp}`);
    assert.ok(Math.abs(ge[i] - dEce) <= 1e-6 * Math.abs(dEce) + 1e-9, `ECE row ${i}: ${ge[i]} vs ${dEce}`);
  }
});

test('two classes: the one-vs-rest macro ROC AUC interval is DeLong’s binary interval', () => {
  const next = rng(402);
  const n = 500;
  const y = Int32Array.from({ length: n }, () => (next() < 0.4 ? 1 : 0));
  const p1 = Float64Array.from(y, (c) => Math.round((0.25 * c + next() * 0.75) * 1000) / 1000);
  const probs = new Float64Array(2 * n);
  p1.forEach((p, i) => {
    probs[2 * i] = 1 - p;
    probs[2 * i + 1] = p;
  });
  const st = multiStats(y, probs, 2, null, false, PARAMS, false, true);
  const iv = multiIntervals(st, 0.95).rocAuc as Interval;
  const yb = Uint8Array.from(y);
  const d = delongOf(placements(p1, yb, null), yb, null);
  const want = delongInterval(d.pos, d.neg, 0.95);
  assert.ok(want);
  close(iv.high - iv.low, want.high - want.low, 1e-9, 'width');
  close(iv.low, want.low, 1e-9, 'low');
});

/** One draw from the discrete distribution `p` (sums to 1). */
function draw(next: () => number, p: readonly number[]): number {
  let u = next();
  for (let j = 0; j < p.length - 1; j++) {
    if (u < p[j]) return j;
    u -= p[j];
  }
  return p.length - 1;
}

const K = 3;

/**
 * A discrete model: for each class y, six probability vectors (drawn with equal chance), the top
 * probability 0.80 … 0.95 (A) or 0.70 … 0.90 (B), the top class wrong for two of the six, so that
 * every calibration bin's accuracy is well away from its confidence (ECE's linearisation holds).
 */
function vectorOf(model: 'a' | 'b', y: number, j: number): number[] {
  const top = model === 'a' ? 0.8 + 0.03 * j : 0.7 + 0.04 * j;
  const wrong = model === 'a' ? j % 3 === 2 : j % 3 === 0;
  const arg = wrong ? (y + 1 + (j % 2)) % K : y;
  const other = arg === y ? (y + 1 + (j % 2)) % K : y;
  const v = new Array<number>(K).fill(0);
  v[arg] = top;
  v[other] = (1 - top) * (0.55 + 0.05 * j);
  v[3 - arg - other] = 1 - top - v[other];
  return v;
}

/** The joint support (y, j): 18 points, y with prior [0.3, 0.45, 0.25], j uniform; B's vector index (j + y) mod 6. */
const PRIOR = [0.3, 0.45, 0.25];
const support = Array.from({ length: K * 6 }, (_, i) => ({ y: Math.floor(i / 6), j: i % 6, p: PRIOR[Math.floor(i / 6)] / 6 }));

const VECTORS = { a: [0, 1, 2].map((y) => [0, 1, 2, 3, 4, 5].map((j) => vectorOf('a', y, j))), b: [0, 1, 2].map((y) => [0, 1, 2, 3, 4, 5].map((j) => vectorOf('b', y, j))) };

function statsOf(model: 'a' | 'b', ys: number[], js: number[], w: Float64Array | null, keep: boolean) {
  const s = new Float64Array(ys.length * K);
  const v = VECTORS[model];
  for (let i = 0; i < ys.length; i++) {
    const row = v[ys[i]][model === 'a' ? js[i] : (js[i] + ys[i]) % 6];
    s[i * K] = row[0];
    s[i * K + 1] = row[1];
    s[i * K + 2] = row[2];
  }
  return multiStats(Int32Array.from(ys), s, K, w, false, PARAMS, keep, true);
}

const RANKED: MultiMetricKey[] = ['rocAuc', 'averagePrecision', 'ece', ...MULTI_DELTA_KEYS];

test('coverage: macro ROC AUC, AP, ECE, precision, recall, F1, balanced accuracy and MCC, one model and the paired difference, cover the true value 93–97% of the time', () => {
  const truthW = Float64Array.from(support, (x) => x.p);
  const ta = statsOf('a', support.map((x) => x.y), support.map((x) => x.j), truthW, false).metrics;
  const tb = statsOf('b', support.map((x) => x.y), support.map((x) => x.j), truthW, false).metrics;
  const next = rng(403);
  const sets = 1000;
  const n = 500;
  const hits: Record<string, number> = {};
  const hit = (key: string, iv: { low: number; high: number } | null | undefined, truth: number | null) => {
    hits[key] ??= 0;
    if (iv && truth !== null && iv.low <= truth && truth <= iv.high) hits[key]++;
  };
  const probs = support.map((x) => x.p);
  for (let set = 0; set < sets; set++) {
    const ys: number[] = [];
    const js: number[] = [];
    for (let i = 0; i < n; i++) {
      const x = support[draw(next, probs)];
      ys.push(x.y);
      js.push(x.j);
    }
    const a = statsOf('a', ys, js, null, true);
    const b = statsOf('b', ys, js, null, true);
    const iv = multiIntervals(a, 0.95);
    const cmp = multiComparisons(['a', 'b'], [a, b], Int32Array.from(ys), null, 0, { confidence: 0.95 });
    for (const key of RANKED) {
      hit(key, iv[key], ta[key]);
      const c = cmp.find((x) => x.metric === key);
      hit(`Δ${key}`, c, (tb[key] as number) - (ta[key] as number));
    }
  }
  for (const [key, h] of Object.entries(hits)) assert.ok(h >= 930 && h <= 970, `${key}: ${h} of ${sets}`);
});

test('coverage: the macro confusion metrics with weights (independent of the cell) cover the true value 93–97% of the time', () => {
  // Cells of a 3-class table, row-major (true, decision).
  const pi = [0.22, 0.05, 0.03, 0.06, 0.25, 0.04, 0.04, 0.07, 0.24];
  const truth = cellMetrics(pi, K);
  const next = rng(404);
  const sets = 1000;
  const n = 800;
  const hits = Object.fromEntries(MULTI_DELTA_KEYS.map((m) => [m, 0])) as Record<MultiDeltaMetric, number>;
  for (let set = 0; set < sets; set++) {
    const cells: MultiCells = { k: K, w: new Float64Array(K * K), w2: new Float64Array(K * K) };
    for (let i = 0; i < n; i++) {
      const c = draw(next, pi);
      const wi = 1 + Math.floor(next() * 4);
      cells.w[c] += wi;
      cells.w2[c] += wi * wi;
    }
    const value = cellMetrics(cells.w, K);
    for (const m of MULTI_DELTA_KEYS) {
      const iv = multiDeltaInterval(m, value[m], cells, Z, m === 'mcc' ? -1 : 0, 1);
      if (iv && iv.low <= (truth[m] as number) && (truth[m] as number) <= iv.high) hits[m]++;
    }
  }
  for (const m of MULTI_DELTA_KEYS) assert.ok(hits[m] >= 930 && hits[m] <= 970, `weighted ${m}: ${hits[m]} of ${sets}`);
  // The paired form without rows to pair: zero variance is no interval.
  const one: MultiCells = { k: 2, w: Float64Array.from([1, 0, 0, 1]), w2: Float64Array.from([1, 0, 0, 1]) };
  assert.equal(multiPairedSe('f1', one, one, Int32Array.from([0, 1]), [0, 1], [0, 1], null), null);
});

test('coverage: a binary model pair’s differences of average precision and ECE (paired influences) cover the true difference 93–97% of the time', () => {
  // Ten score levels per model, independent given the class; each model's score is its level's
  // posterior + 0.15 (overconfident everywhere, so no calibration bin sits at its confidence).
  const prior = 0.35;
  const pos = [[0.02, 0.03, 0.05, 0.07, 0.08, 0.1, 0.12, 0.15, 0.18, 0.2], [0.01, 0.02, 0.03, 0.04, 0.06, 0.09, 0.12, 0.16, 0.21, 0.26]];
  const neg = pos.map((p) => [...p].reverse());
  const scoreOf = pos.map((p, m) => p.map((pp, l) => Math.min(0.99, (prior * pp) / (prior * pp + (1 - prior) * neg[m][l]) + 0.15)));
  // The population: every (y, level of a, level of b) with its probability, as weighted rows.
  const sy: number[] = [];
  const sa: number[] = [];
  const sb: number[] = [];
  const sw: number[] = [];
  for (const yy of [0, 1]) {
    for (let la = 0; la < 10; la++) {
      for (let lb = 0; lb < 10; lb++) {
        sy.push(yy);
        sa.push(scoreOf[0][la]);
        sb.push(scoreOf[1][lb]);
        sw.push((yy ? prior : 1 - prior) * (yy ? pos[0][la] * pos[1][lb] : neg[0][la] * neg[1][lb]));
      }
    }
  }
  const eceOf = (s: ArrayLike<number>, y: ArrayLike<number>, w: ArrayLike<number> | null) => {
    const cal = new CalibrationBins();
    for (let i = 0; i < y.length; i++) cal.add(s[i], y[i], w ? w[i] : 1);
    return cal.result().ece as number;
  };
  const Y = Uint8Array.from(sy);
  const W = Float64Array.from(sw);
  const truthAp = (ranking(Float64Array.from(sb), Y, W).averagePrecision as number) - (ranking(Float64Array.from(sa), Y, W).averagePrecision as number);
  const truthEce = eceOf(sb, sy, sw) - eceOf(sa, sy, sw);
  const next = rng(405);
  const sets = 1000;
  const n = 800;
  let apHits = 0;
  let eceHits = 0;
  for (let set = 0; set < sets; set++) {
    const y = new Uint8Array(n);
    const a = new Float64Array(n);
    const b = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      y[i] = next() < prior ? 1 : 0;
      a[i] = scoreOf[0][draw(next, y[i] ? pos[0] : neg[0])];
      b[i] = scoreOf[1][draw(next, y[i] ? pos[1] : neg[1])];
    }
    const ga = new Float64Array(n);
    const gb = new Float64Array(n);
    const va = addRankInfluences(a, y, null, 1, null, ga);
    const vb = addRankInfluences(b, y, null, 1, null, gb);
    const seAp = influenceSe(gb, null, ga);
    if (va && vb && seAp !== null && Math.abs(vb.ap - va.ap - truthAp) <= Z * seAp) apHits++;
    const seEce = pairedEceSe(n, { confidence: (i) => a[i], correct: (i) => y[i] }, { confidence: (i) => b[i], correct: (i) => y[i] }, null);
    if (seEce !== null && Math.abs(eceOf(b, y, null) - eceOf(a, y, null) - truthEce) <= Z * seEce) eceHits++;
  }
  assert.ok(apHits >= 930 && apHits <= 970, `ΔAP: ${apHits} of ${sets}`);
  assert.ok(eceHits >= 930 && eceHits <= 970, `ΔECE: ${eceHits} of ${sets}`);
});

test('the multiclass metrics are the same to the last bit with intervals on (ranking from the influences’ grouping) and off (its own sort), weighted with ties and not', () => {
  const next = rng(406);
  const n = 3000;
  const y = Int32Array.from({ length: n }, () => Math.floor(next() * K));
  // Two decimals: many ties within each class's column.
  const s = new Float64Array(n * K);
  y.forEach((c, i) => {
    const z = [0, 1, 2].map((j) => Math.exp(next() * 2 + (j === c ? 1 : 0)));
    const t = z[0] + z[1] + z[2];
    z.forEach((v, j) => (s[i * K + j] = Math.round((100 * v) / t) / 100));
  });
  for (const w of [null, Float64Array.from({ length: n }, () => 0.1 + Math.floor(next() * 7) / 3)]) {
    const off = multiStats(y, s, K, w, false, PARAMS, false, false).metrics;
    const on = multiStats(y, s, K, w, false, PARAMS, true, true).metrics;
    assert.deepEqual(on, off, w ? 'weighted' : 'unweighted');
  }
});

test('binary comparisons of average precision and ECE: the standard errors equal Σw²(g_b − g_a)² of finite differences of scikit-learn’s AP and torchmetrics’ ECE (1e-6)', async () => {
  const ref = JSON.parse(fs.readFileSync(path.join(dir, 'multiclass.json'), 'utf8')) as { binary: { file: string; paired: Record<string, [number, number]> } };
  const r = await run(path.join(dir, ref.binary.file), ['--prediction', 'p_a,p_b', '--weight', 'w']);
  assert.ok('task' in r && r.task === 'binary');
  for (const [key, [diff, se]] of Object.entries(ref.binary.paired)) {
    const cmp = r.comparisons.find((x) => x.metric === key) as Comparison;
    assert.equal(cmp.method, 'paired influence', key);
    close(cmp.difference, diff, 1e-9, `Δ${key}`);
    close((cmp.high - cmp.low) / (2 * Z), se, 1e-6, `Δ${key} se`);
  }
});
