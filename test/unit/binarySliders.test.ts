/**
 * The binary report's sliders and curves (#13): the confusion counts and metrics at any threshold
 * of the report's grid equal what the CLI gives with `--threshold T` (probabilities and logits,
 * ties at the threshold, weights), focal at another γ is the CLI's `--gamma G`, the margin
 * histogram counts every row, and the loss and gradient curves against the margin with their
 * sentences.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ClassificationReport } from '../../src/core/tasks/classification/report';
import { countMetrics, thresholdAt, thresholdGrid, thresholdIndex, THRESHOLD_STEPS } from '../../src/core/tasks/classification/thresholds';
import { marginOf, marginRows, MARGIN_BINS, rowsBelowMargin } from '../../src/core/tasks/classification/margins';
import { fsum } from '../../src/core/exactSum';
import { logitTerms, probabilityTerms, T_FOCAL } from '../../src/core/tasks/classification/losses';
import { classify } from '../helpers/cli';
import { repoRoot } from '../helpers/paths';
import { rng } from '../helpers/run';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'li-sliders-'));
process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
const binaryCsv = path.join(repoRoot, 'test', 'fixtures', 'classification', 'binary.csv');

/** A file with many scores exactly on grid thresholds (ties), logits with ties at log(T/(1−T)), and weights. */
function tiesFile(): string {
  const next = rng(13);
  const lines = ['y,p,z,w'];
  for (let i = 0; i < 4000; i++) {
    const y = next() < 0.4 ? 1 : 0;
    // One row in three on a grid threshold (k/1000, written as Python writes it), the others anywhere.
    const p = i % 3 === 0 ? String(Math.floor(next() * 999 + 1) / 1000) : String(Math.min(1, Math.max(0, next() * 0.8 + (y ? 0.2 : 0))));
    const t = Math.floor(next() * 999 + 1) / 1000;
    const z = i % 4 === 0 ? String(Math.log(t / (1 - t))) : String((next() - 0.5) * 10);
    lines.push(`${y},${p},${z},${(0.1 + next() * 3).toFixed(4)}`);
  }
  const f = path.join(dir, 'ties.csv');
  fs.writeFileSync(f, lines.join('\n') + '\n');
  return f;
}

const KEYS = ['accuracy', 'balancedAccuracy', 'precision', 'recall', 'f1', 'mcc'] as const;

/** The table of `r` at T against the CLI's report at `--threshold T`: every count and metric, bit for bit. */
function sameAsCli(r: ClassificationReport, cli: ClassificationReport, T: number, what: string): void {
  r.models.forEach((m, k) => {
    const i = m.thresholds.values.indexOf(T);
    assert.ok(i >= 0, `${what}: ${T} is on the grid`);
    const at = thresholdAt(m.thresholds, i);
    const want = cli.models[k];
    assert.deepEqual(at.counts, want.confusion.counts, `${what} ${m.prediction}: confusion at ${T}`);
    for (const key of KEYS) assert.equal(at[key], want.metrics[key], `${what} ${m.prediction}: ${key} at ${T}`);
  });
}

test('the threshold grid: 0.001 … 0.999 as the CLI parses them, and the report’s own threshold', () => {
  const g = thresholdGrid(0.5);
  assert.equal(g.length, THRESHOLD_STEPS - 1);
  assert.equal(g[0], Number('0.001'));
  assert.equal(g[299], Number('0.3'));
  assert.equal(g[g.length - 1], Number('0.999'));
  const odd = thresholdGrid(0.3333);
  assert.equal(odd.length, THRESHOLD_STEPS);
  assert.equal(odd.indexOf(0.3333), 333, 'between 0.333 and 0.334');
  for (let i = 1; i < odd.length; i++) assert.ok(odd[i] > odd[i - 1]);
  assert.equal(thresholdIndex({ values: g }, 0.4004), 399);
  assert.equal(thresholdIndex({ values: g }, 0), 0);
});

test('counts and metrics at 0.05 … 0.95 equal the CLI’s --threshold T, on the fixture’s probabilities and logits', async () => {
  const r = await classify(binaryCsv, ['--prediction', 'prob,logit']);
  for (const T of [0.05, 0.1, 0.3, 0.5, 0.731, 0.95]) sameAsCli(r, await classify(binaryCsv, ['--prediction', 'prob,logit', '--threshold', String(T)]), T, 'binary.csv');
  // The table holds the report's own numbers at its threshold.
  const m = r.models[0];
  const own = thresholdAt(m.thresholds, m.thresholds.values.indexOf(0.5));
  assert.deepEqual(own.counts, m.confusion.counts);
  assert.equal(own.f1, m.metrics.f1);
  // Every row is counted once at every threshold; T grows, fewer positives.
  const t = m.thresholds;
  for (let i = 0; i < t.values.length; i++) assert.equal(t.tn[i] + t.fp[i] + t.fn[i] + t.tp[i], r.rows.used);
  for (let i = 1; i < t.values.length; i++) assert.ok(t.tp[i] + t.fp[i] <= t.tp[i - 1] + t.fp[i - 1]);
});

test('ties at the threshold are positive (p ≥ T, z ≥ log(T/(1−T))), weighted or not, and a threshold off the grid is in the table', async () => {
  const f = tiesFile();
  const flags = ['--target', 'y', '--prediction', 'p,z', '--scores', 'auto'];
  const r = await classify(f, flags);
  assert.deepEqual(r.models.map((m) => m.scores), ['probabilities', 'logits']);
  const probs = fs.readFileSync(f, 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
  for (const T of [0.001, 0.2, 0.333, 0.5, 0.6, 0.999]) {
    sameAsCli(r, await classify(f, [...flags, '--threshold', String(T)]), T, 'ties');
    // By hand: rows on the threshold count as positive.
    const i = r.models[0].thresholds.values.indexOf(T);
    const tp = probs.filter(([y, p]) => y === '1' && Number(p) >= T).length;
    const onIt = probs.filter(([, p]) => Number(p) === T).length;
    assert.equal(r.models[0].thresholds.tp[i], tp, `tp at ${T} by hand`);
    if (T === 0.5) assert.ok(onIt > 0, 'some rows sit on 0.5');
  }
  const weighted = await classify(f, [...flags, '--weight', 'w']);
  for (const T of [0.01, 0.25, 0.5, 0.777]) sameAsCli(weighted, await classify(f, [...flags, '--weight', 'w', '--threshold', String(T)]), T, 'ties weighted');
  // --threshold 0.3333 is in the report's table, with the report's own numbers.
  const odd = await classify(f, [...flags, '--threshold', '0.3333']);
  sameAsCli(odd, odd, 0.3333, 'off the grid');
  // …and the rest of its grid is the same as the report's at 0.5, weighted too (exact sums: the
  // extra cut at 0.3333 splits a bucket without changing a bit of the counts).
  const oddW = await classify(f, [...flags, '--weight', 'w', '--threshold', '0.3333']);
  for (const [a, b] of [[odd, r], [oddW, weighted]]) {
    for (let k = 0; k < 2; k++) {
      const ta = a.models[k].thresholds;
      const tb = b.models[k].thresholds;
      const cut = ta.values.indexOf(0.3333);
      for (const key of ['tn', 'fp', 'fn', 'tp'] as const) assert.deepEqual([...ta[key].slice(0, cut), ...ta[key].slice(cut + 1)], tb[key], `${key} of model ${k}`);
    }
  }
});

test('the weighted confusion counts are correctly rounded sums of the weights', async () => {
  const f = tiesFile();
  const r = await classify(f, ['--target', 'y', '--prediction', 'p', '--weight', 'w', '--threshold', '0.4']);
  const rows = fs.readFileSync(f, 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
  // BigInt fixed point: the weights have 4 decimals.
  const exact = (keep: (y: string, p: number) => boolean) => rows.filter(([y, p]) => keep(y, Number(p))).reduce((a, r) => a + BigInt(Math.round(Number(r[3]) * 1e4)), 0n);
  const c = r.models[0].confusion.counts;
  assert.equal(c[1][1], Number(exact((y, p) => y === '1' && p >= 0.4)) / 1e4);
  assert.equal(c[0][1], Number(exact((y, p) => y === '0' && p >= 0.4)) / 1e4);
  assert.equal(c[0][0], Number(exact((y, p) => y === '0' && p < 0.4)) / 1e4);
});

test('countMetrics is scikit-learn’s: zero_division 0, one class present, MCC 0 on an empty marginal', () => {
  assert.deepEqual(countMetrics(5, 0, 0, 0, 5), { accuracy: 1, balancedAccuracy: 1, precision: 0, recall: 0, f1: 0, mcc: 0 });
  const m = countMetrics(50, 10, 5, 35, 100);
  assert.equal(m.precision, 35 / 45);
  assert.equal(m.recall, 35 / 40);
  assert.equal(m.accuracy, 0.85);
  assert.equal(m.balancedAccuracy, (35 / 40 + 50 / 60) / 2);
  assert.ok(Math.abs(m.mcc - (35 * 50 - 10 * 5) / Math.sqrt(45 * 40 * 60 * 55)) < 1e-15);
});

test('focal at another γ (what the γ slider has the host recompute) is the mean of the rows’ focal terms at γ', async () => {
  const rows = fs.readFileSync(binaryCsv, 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
  for (const G of ['0', '0.5', '1', '3.7']) {
    const r = await classify(binaryCsv, ['--prediction', 'prob,logit', '--gamma', G]);
    assert.equal(r.params.gamma, Number(G));
    const q = { threshold: 0.5, gamma: Number(G), alpha: 0.25 };
    const terms = new Float64Array(5);
    for (const [k, logits] of [[1, false], [2, true]] as const) {
      const want = fsum(rows.map((row) => ((logits ? logitTerms : probabilityTerms)(Number(row[k]), Number(row[0]), q, terms), terms[T_FOCAL]))) / rows.length;
      const got = r.models[k - 1].metrics.focal ?? NaN;
      assert.ok(Math.abs(got - want) <= 2e-16 * want, `focal of model ${k} at γ = ${G}: ${got} vs ${want}`);
    }
  }
});

test('the margin histogram: every row once, in 64 bins over [−8, 8), the rest below and above', async () => {
  const r = await classify(binaryCsv, ['--prediction', 'prob,logit']);
  for (const m of r.models) {
    const h = m.marginHistogram;
    assert.equal(h.counts.length, MARGIN_BINS);
    assert.equal(marginRows(h), r.rows.used, `${m.prediction}: every row`);
    // Wrong at p = 0.5 (margin < 0) are the rows that give their class less than 0.5.
    const [[tn, fp], [fn, tp]] = m.confusion.counts;
    assert.ok(Math.abs(rowsBelowMargin(h, 0) - (fp + fn)) <= h.counts[31] + h.counts[32], `${m.prediction}: about the wrong rows (${rowsBelowMargin(h, 0)} vs ${fp + fn}, ${tn + tp} right)`);
  }
  assert.equal(marginOf(2, 1, true), 2);
  assert.equal(marginOf(2, 0, true), -2);
  assert.equal(marginOf(0.5, 1, false), 0);
  assert.ok(Math.abs(marginOf(0.9, 0, false) + Math.log(9)) < 1e-15);
  assert.equal(marginOf(1, 1, false), Infinity);
  assert.equal(marginOf(1, 0, false), -Infinity);
});
