/**
 * Intervals and comparisons (#15): the distributions against mpmath and scipy, the engine's
 * intervals and paired tests against scipy on files (test/fixtures/intervals/, written by
 * scripts/dev/interval-reference.py), coverage by simulation, and the words.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CliArgs, optionsOf, parseArgs } from '../../src/cli/cli';
import { analyzeFile } from '../../src/engine/analyze';
import { openFileSource } from '../../src/engine/source';
import type { FamilyReport } from '../../src/core/families';
import { binomialCdf, normalQuantileUpper, tQuantileUpper, tTwoSidedP } from '../../src/core/intervals/distributions';
import { meanInterval } from '../../src/core/intervals/mean';
import { medianRanks } from '../../src/core/intervals/median';
import type { Comparison, Interval } from '../../src/core/intervals/report';
import { repoRoot } from '../helpers/paths';
import { rng } from '../helpers/run';

const dir = path.join(repoRoot, 'test/fixtures/intervals');
const ref = JSON.parse(fs.readFileSync(path.join(dir, 'reference.json'), 'utf8'));

/** |x − want| within `rel` of max(|want|, scale). */
function close(x: number, want: number, rel: number, what: string, scale = 0): void {
  const tol = rel * Math.max(Math.abs(want), scale);
  assert.ok(Math.abs(x - want) <= tol, `${what}: ${x} vs ${want} (${Math.abs(x - want) / Math.max(Math.abs(want), scale)} relative)`);
}

async function run(file: string, flags: string[] = []): Promise<FamilyReport> {
  const args = parseArgs([file, ...flags]) as CliArgs;
  const src = openFileSource(file);
  try {
    return await analyzeFile(src, optionsOf(args));
  } finally {
    src.close();
  }
}

test('Student-t quantiles agree with mpmath to 1e-12 and with scipy t.isf to 1e-8 (scipy is ~5e-9 off)', () => {
  for (const [tail, nu, mp, sp] of ref.tQuantile as number[][]) {
    const q = tQuantileUpper(tail, nu);
    close(q, mp, 1e-12, `t.isf(${tail}, ${nu})`);
    close(q, sp, 1e-8, `scipy t.isf(${tail}, ${nu})`);
    // The lower quantile by symmetry (1 − tail is exact enough only for tails that are not tiny).
    if (tail >= 0.005) close(tQuantileUpper(1 - tail, nu), -mp, 1e-9, `t.ppf(${tail}, ${nu})`);
  }
  // p-values: ~1e-15 for small ν, ~1e-12 near ν = 1e5 (the continued fraction near its switch point).
  for (const [t, nu, p] of ref.tTwoSided as number[][]) close(tTwoSidedP(t, nu), p, nu > 1e4 ? 1e-10 : 1e-12, `p(${t}, ${nu})`);
  for (const [tail, z] of ref.normalQuantile as number[][]) close(normalQuantileUpper(tail), z, 1e-12, `norm.isf(${tail})`);
  for (const [k, n, p] of ref.binomialCdf as number[][]) close(binomialCdf(k, n, 0.5), p, 1e-9, `binom.cdf(${k}, ${n})`);
});

interface RegCase {
  file: string;
  weighted: boolean;
  models: Record<string, Record<string, number[]>>;
  paired: Record<string, number[]>;
  dm: Record<string, number[]>;
}

test('regression intervals and paired t equal scipy (t.interval, ttest_rel, binomial median, Kish weights) to 1e-9', async () => {
  for (const c of ref.regression as RegCase[]) {
    const flags = ['--prediction', 'pred_a,pred_b', ...(c.weighted ? ['--weight', 'w'] : [])];
    const r = await run(path.join(dir, c.file), flags);
    assert.ok(!('task' in r));
    for (const m of r.models) {
      const want = c.models[m.prediction];
      for (const [k, [mean, lo, hi]] of Object.entries(want)) {
        const iv = m.intervals?.[k as keyof typeof m.intervals] as Interval;
        assert.ok(iv, `${c.file} ${m.prediction} ${k} has an interval`);
        if (['r2', 'explainedVariance', 'd2AbsoluteError', 'd2Pinball', 'd2Tweedie'].includes(k)) assert.equal(iv.method, 'ratio delta', k);
        if (k !== 'medianAE') close(m.metrics[k as keyof typeof m.metrics] as number, mean, 1e-12, `${c.file} ${k}`);
        const width = hi - lo;
        // The engine cuts a non-negative loss's interval at 0 (none of these reach it).
        close(iv.low, lo, 1e-9, `${c.file} ${m.prediction} ${k} low`, width);
        close(iv.high, hi, 1e-9, `${c.file} ${m.prediction} ${k} high`, width);
      }
      if (c.weighted) assert.equal(m.intervals?.medianAE, null, 'no weighted median interval');
    }
    assert.equal(r.baseline, 'pred_a');
    for (const [k, [diff, lo, hi, p]] of Object.entries(c.paired)) {
      const cmp = r.comparisons.find((x: Comparison) => x.metric === k) as Comparison;
      assert.equal(cmp.method, 'paired t');
      close(cmp.difference, diff, 1e-9, `${c.file} Δ${k}`, hi - lo);
      close(cmp.low, lo, 1e-9, `${c.file} Δ${k} low`, hi - lo);
      close(cmp.high, hi, 1e-9, `${c.file} Δ${k} high`, hi - lo);
      close(cmp.p, p, 1e-9, `${c.file} Δ${k} p`, 1e-300);
    }
  }
});

test('--time-ordered: Diebold–Mariano with Newey–West and HLN equals the Python reference', async () => {
  const c = (ref.regression as RegCase[]).find((x) => Object.keys(x.dm).length > 0) as RegCase;
  const r = await run(path.join(dir, c.file), ['--prediction', 'pred_a,pred_b', '--time-ordered']);
  assert.ok(!('task' in r));
  for (const [k, [diff, lo, hi, p]] of Object.entries(c.dm)) {
    const cmp = r.comparisons.find((x) => x.metric === k) as Comparison;
    assert.equal(cmp.method, 'diebold-mariano', k);
    close(cmp.difference, diff, 1e-9, `DM Δ${k}`, hi - lo);
    close(cmp.low, lo, 1e-9, `DM ${k} low`, hi - lo);
    close(cmp.high, hi, 1e-9, `DM ${k} high`, hi - lo);
    close(cmp.p, p, 1e-9, `DM ${k} p`, 1e-300);
  }
  // MAPE and sMAPE need the targets, which are not kept: paired t for them.
  assert.equal(r.comparisons.find((x) => x.metric === 'mape')?.method, 'paired t');
});

/** A standard normal draw from two uniforms (Box–Muller). */
function normal(next: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
}

test('coverage: over 1000 seeded data sets a 95% interval covers the true mean and median 93–97% of the time', () => {
  const next = rng(15);
  let meanHits = 0;
  let medianHits = 0;
  let weightedHits = 0;
  const sets = 1000;
  for (let s = 0; s < sets; s++) {
    // |d| of normal residuals, σ = 2, n = 40: true mean 2·√(2/π), true median 2·0.6744897501960817.
    const n = 40;
    const z = Float64Array.from({ length: n }, () => Math.abs(2 * normal(next)));
    let s1 = 0;
    let s2 = 0;
    for (const v of z) {
      s1 += v;
      s2 += v * v;
    }
    const iv = meanInterval({ rows: n, w: n, w2: n, s1, s2 }, 0.95);
    const mu = 2 * Math.sqrt(2 / Math.PI);
    if (iv && iv.low <= mu && mu <= iv.high) meanHits++;
    const r = medianRanks(n, 0.95);
    assert.ok(r);
    const sorted = z.slice().sort();
    const med = 2 * 0.6744897501960817;
    if (sorted[r.low] <= med && med <= sorted[r.high]) medianHits++;
    // Weights 1–4 (independent of the values): Kish's effective n.
    let w = 0;
    let w2 = 0;
    let ws1 = 0;
    let ws2 = 0;
    for (const v of z) {
      const wi = 1 + Math.floor(next() * 4);
      w += wi;
      w2 += wi * wi;
      ws1 += wi * v;
      ws2 += wi * v * v;
    }
    const wiv = meanInterval({ rows: n, w, w2, s1: ws1, s2: ws2 }, 0.95);
    if (wiv && wiv.low <= mu && mu <= wiv.high) weightedHits++;
  }
  for (const [what, hits] of [['mean', meanHits], ['median', medianHits], ['weighted mean', weightedHits]] as const) {
    assert.ok(hits >= 930 && hits <= 970, `${what}: ${hits} of ${sets}`);
  }
});

test('median ranks: the order statistics the binomial gives (n = 10: X(2), X(9); too few rows: none)', () => {
  assert.deepEqual(medianRanks(10, 0.95), { low: 1, high: 8 });
  assert.equal(medianRanks(5, 0.95), null);
  assert.deepEqual(medianRanks(6, 0.95), { low: 0, high: 5 });
});

test('intervals and comparisons are bit-identical JSON for 1, 2 and 4 threads (regression, binary and multiclass, weighted and not)', async () => {
  const { workerBundle } = await import('../helpers/bundle');
  const os = await import('node:os');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'li-iv-'));
  try {
    const next = rng(77);
    const lines = ['y_true,pred_a,pred_b,w'];
    for (let i = 0; i < 110_000; i++) {
      const t = (next() - 0.3) * 10 ** Math.floor(next() * 5);
      lines.push(`${t},${t + (next() - 0.5) * 3},${t + (next() - 0.4) * 2.5},${1 + Math.floor(next() * 4)}`);
    }
    const file = path.join(tmp, 'iv.csv');
    fs.writeFileSync(file, lines.join('\n') + '\n');
    assert.ok(fs.statSync(file).size > 4 << 20);
    const bin = ['label,p_a,p_b,w'];
    for (let i = 0; i < 150_000; i++) {
      const y = next() < 0.4 ? 1 : 0;
      bin.push(`${y},${Math.min(1, Math.max(0, 0.3 * y + next() * 0.7))},${(0.2 * y + next() * 0.8).toFixed(3)},${1 + Math.floor(next() * 3)}`);
    }
    const binFile = path.join(tmp, 'bin.csv');
    fs.writeFileSync(binFile, bin.join('\n') + '\n');
    assert.ok(fs.statSync(binFile).size > 4 << 20);
    const multi = ['label,a_x,a_y,a_z,b_x,b_y,b_z,w'];
    for (let i = 0; i < 110_000; i++) {
      const y = Math.floor(next() * 3);
      const row = [0.8, 1.3].flatMap((sharp) => {
        const e = [0, 1, 2].map((c) => Math.exp((next() - 0.5) * 3 + (c === y ? sharp : 0)));
        const t = e[0] + e[1] + e[2];
        const p = e.map((v) => Number((v / t).toFixed(5)));
        p[2] = Number((1 - p[0] - p[1]).toFixed(5));
        return p;
      });
      multi.push(`${'xyz'[y]},${row.join(',')},${1 + Math.floor(next() * 3)}`);
    }
    const multiFile = path.join(tmp, 'multi.csv');
    fs.writeFileSync(multiFile, multi.join('\n') + '\n');
    assert.ok(fs.statSync(multiFile).size > 4 << 20);
    for (const [f, flags] of [
      [multiFile, ['--task', 'multiclass']],
      [multiFile, ['--task', 'multiclass', '--weight', 'w', '--baseline', 'b']],
      [file, ['--prediction', 'pred_a,pred_b', '--baseline', 'pred_b']],
      [file, ['--prediction', 'pred_a,pred_b', '--weight', 'w']],
      [binFile, ['--prediction', 'p_a,p_b']],
      [binFile, ['--prediction', 'p_a,p_b', '--weight', 'w']],
    ] as [string, string[]][]) {
      const args = parseArgs([f, ...flags]) as CliArgs;
      const out: string[] = [];
      for (const threads of [1, 2, 4]) {
        const src = openFileSource(f);
        try {
          out.push(JSON.stringify(await analyzeFile(src, { ...optionsOf(args), threads, parallelThreshold: 0, ...workerBundle() })));
        } finally {
          src.close();
        }
      }
      const r = JSON.parse(out[0]) as FamilyReport;
      assert.ok(r.comparisons.length > 0 && r.models.every((m) => m.intervals !== null), 'intervals and comparisons are there');
      if ('task' in r && r.task === 'multiclass') {
        // Every metric has its interval and its comparison (the probabilities give no hinge).
        for (const m of r.models) assert.deepEqual(Object.entries(m.intervals ?? {}).filter(([, iv]) => iv === null).map(([k]) => k), ['hinge'], flags.join(' '));
        assert.equal(r.comparisons.length, 13, flags.join(' '));
      }
      if ('task' in r && r.task === 'binary') {
        // Average precision and ECE are compared too (by their per-row influences).
        const methods = Object.fromEntries(r.comparisons.map((c) => [c.metric, c.method]));
        assert.deepEqual([methods.averagePrecision, methods.ece], ['paired influence', 'paired influence'], flags.join(' '));
      }
      assert.equal(out[1], out[0], `${flags.join(' ')}: 2 threads`);
      assert.equal(out[2], out[0], `${flags.join(' ')}: 4 threads`);
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

interface BinCase {
  file: string;
  models: Record<string, Record<string, number[]>>;
  paired: Record<string, number[]>;
}

const BINARY_METHOD: Record<string, string> = { rocAuc: 'delong', precision: 'wilson', recall: 'wilson', f1: 'confusion delta', mcc: 'confusion delta', balancedAccuracy: 'confusion delta', averagePrecision: 'boyd logit', ece: 'ece delta' };
const PAIRED_METHOD: Record<string, string> = { rocAuc: 'delong paired', precision: 'paired confusion delta', recall: 'paired confusion delta', f1: 'paired confusion delta', mcc: 'paired confusion delta', balancedAccuracy: 'paired confusion delta' };

test('binary intervals (t, DeLong, Wilson, delta, Boyd) and comparisons (paired t, paired DeLong, paired delta) equal the Python reference to 1e-9', async () => {
  for (const c of ref.binary as BinCase[]) {
    const r = await run(path.join(dir, c.file), ['--prediction', 'p_a,p_b']);
    assert.ok('task' in r && r.task === 'binary');
    for (const m of r.models) {
      for (const [k, [mean, lo, hi]] of Object.entries(c.models[m.prediction])) {
        const iv = m.intervals?.[k as keyof typeof m.intervals] as Interval;
        assert.equal(iv.method, BINARY_METHOD[k] ?? 't', k);
        close(m.metrics[k as keyof typeof m.metrics] as number, mean, 1e-12, `${m.prediction} ${k}`);
        close(iv.low, lo, 1e-9, `${m.prediction} ${k} low`, hi - lo);
        close(iv.high, hi, 1e-9, `${m.prediction} ${k} high`, hi - lo);
      }
      for (const k of Object.keys(BINARY_METHOD)) assert.ok(k in c.models[m.prediction], `the reference has ${k}`);
    }
    for (const [k, [diff, lo, hi, p]] of Object.entries(c.paired)) {
      const cmp = r.comparisons.find((x) => x.metric === k) as Comparison;
      assert.equal(cmp.method, PAIRED_METHOD[k] ?? 'paired t', k);
      close(cmp.difference, diff, 1e-9, `Δ${k}`, hi - lo);
      close(cmp.low, lo, 1e-9, `Δ${k} low`, hi - lo);
      close(cmp.high, hi, 1e-9, `Δ${k} high`, hi - lo);
      close(cmp.p, p, 1e-9, `Δ${k} p`, 1e-300);
    }
  }
});

test('comparison sentences in words: lower/higher with the interval as a magnitude, non-significant marked, p formatted', async () => {
  const { comparisonSentence, pText } = await import('../../src/core/intervals/words');
  const c: Comparison = { a: 'pred_linear', b: 'pred_gbm', metric: 'mae', difference: -3.1488, low: -3.4274, high: -2.8702, p: 1.6e-75, significant: true, method: 'paired t' };
  assert.equal(comparisonSentence(c, 'MAE', 0.95), 'pred_gbm has a lower MAE than pred_linear by 3.15 [2.87, 3.43], p < 1e-15.');
  assert.equal(comparisonSentence({ ...c, difference: 0.5, low: 0.1, high: 0.9, p: 0.0123, method: 'diebold-mariano' }, 'MAE', 0.95), 'pred_gbm has a higher MAE than pred_linear by 0.5 [0.1, 0.9], p = 0.012, Diebold–Mariano.');
  assert.equal(
    comparisonSentence({ ...c, difference: -0.0823, low: -0.576, high: 0.411, p: 0.7433, significant: false }, 'mean error (bias)', 0.9),
    'pred_gbm and pred_linear do not differ significantly in mean error (bias) at 90% (pred_gbm − pred_linear = -0.0823 [-0.576, 0.411], p = 0.74).',
  );
  assert.equal(pText(3.75e-13), 'p = 3.8e-13');
  assert.equal(pText(0.05), 'p = 0.05');
});

test('--confidence 0 turns intervals and comparisons off; a baseline that is no model is refused', async () => {
  const file = path.join(dir, 'reg-plain.csv');
  const off = await run(file, ['--prediction', 'pred_a,pred_b', '--confidence', '0']);
  assert.equal(off.confidence, 0);
  assert.deepEqual(off.comparisons, []);
  assert.ok(off.models.every((m) => m.intervals === null));
  const b = await run(file, ['--prediction', 'pred_a,pred_b', '--baseline', 'pred_b']);
  assert.equal(b.baseline, 'pred_b');
  assert.ok(b.comparisons.every((c) => c.a === 'pred_b' && c.b === 'pred_a'));
  await assert.rejects(run(file, ['--prediction', 'pred_a,pred_b', '--baseline', 'nope']), /The baseline "nope" is not a model/);
});
