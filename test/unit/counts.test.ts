/**
 * Counts and positive targets (#16): the engine against scikit-learn 1.2 and PyTorch on files
 * pandas wrote (test/fixtures/counts/expected.json, by scripts/dev/counts-reference.py), the
 * domains and their sentences, the exact order statistics of the stored targets, the CLI flags.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from '../../src/cli/cli';
import { baselineWarnings, countMetrics } from '../../src/core/tasks/regression/countMetrics';
import { SUM_KEYS } from '../../src/core/tasks/regression/parts';
import { checkPower, outsideDomain, tweedieDev } from '../../src/core/tasks/regression/counts';
import { d2TweedieMeanWarning, domainWarning, linesText, nullReason } from '../../src/core/tasks/regression/countWords';
import type { Report } from '../../src/core/tasks/regression/report';
import { countTargetKeys, percentile, pinballAround, quantileBaseline, TARGET_KEYS, valuesAtRanks, weightedPercentile } from '../../src/core/tasks/regression/targetStats';
import { analyzeArgs, isClass } from '../helpers/cli';
import { repoRoot } from '../helpers/paths';
import { rng } from '../helpers/run';

const fixtures = path.join(repoRoot, 'test/fixtures/counts');
const KEYS = ['msle', 'rmsle', 'poissonDeviance', 'gammaDeviance', 'tweedieDeviance', 'poissonNll', 'd2AbsoluteError', 'd2Pinball', 'd2Tweedie', 'explainedVariance'] as const;
type Key = (typeof KEYS)[number];

interface ExpectedCase {
  file: string;
  flags: string[];
  models: Record<Key, number | null>[];
}

/** Within 1e-12 relative; a score 1 − A/B through its ratio A/B (a score near 0 has no relative digits of its own). */
function near(got: number | null | undefined, want: number | null, key: Key, what: string): void {
  if (want === null) {
    assert.equal(got, null, `${what}: null expected`);
    return;
  }
  assert.equal(typeof got, 'number', `${what}: a number expected, got ${String(got)}`);
  const score = key.startsWith('d2') || key === 'explainedVariance';
  const [a, b] = score ? [1 - (got as number), 1 - want] : [got as number, want];
  const rel = Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);
  assert.ok(rel <= 1e-12, `${what}: ${String(got)} vs ${want} (relative ${rel.toExponential(2)})`);
}

test('every counts metric agrees with scikit-learn 1.2 / PyTorch within 1e-12 on files pandas wrote, null exactly where they refuse, with a sentence', async () => {
  const cases = JSON.parse(fs.readFileSync(path.join(fixtures, 'expected.json'), 'utf8')) as ExpectedCase[];
  assert.ok(cases.length >= 10, 'the reference file has its cases');
  for (const c of cases) {
    const what = `${c.file} ${c.flags.join(' ')}`;
    const r = await analyzeArgs(path.join(fixtures, c.file), c.flags);
    assert.ok(!isClass(r), `${what}: a regression report`);
    const rep = r as Report;
    assert.equal(rep.models.length, c.models.length, `${what}: models`);
    c.models.forEach((want, k) => {
      const m = rep.models[k];
      for (const key of KEYS) near(m.metrics[key], want[key], key, `${what}, ${m.prediction}, ${key}`);
      // A null counts metric comes with a sentence naming the model, or the file-level one.
      const nulls = KEYS.filter((key) => m.metrics[key] === null);
      if (nulls.some((key) => !key.startsWith('d2') || key === 'd2Tweedie')) {
        assert.ok(rep.warnings.some((w) => w.includes(`of "${m.prediction}"`) && w.includes('undefined')), `${what}: a warning for ${m.prediction} (${JSON.stringify(rep.warnings)})`);
      }
      // No interval for a null metric; RMSLE's is the square roots of MSLE's.
      for (const key of nulls) assert.equal(m.intervals?.[key] ?? null, null, `${what}: no interval for the null ${key}`);
      if (m.metrics.msle !== null && m.intervals?.msle && m.intervals.rmsle) {
        assert.equal(m.intervals.rmsle.low, Math.sqrt(m.intervals.msle.low));
        assert.ok(m.intervals.msle.low <= (m.metrics.msle as number) && (m.metrics.msle as number) <= m.intervals.msle.high, `${what}: MSLE inside its interval`);
      }
    });
    const power = Number(c.flags[c.flags.indexOf('--power') + 1] ?? 1.5);
    assert.equal(rep.params.power, c.flags.includes('--power') ? power : 1.5, `${what}: the power in params`);
    assert.equal(rep.params.logInput, c.flags.includes('--log-input'), `${what}: logInput in params`);
  }
});

test('the summary’s “—” of a null metric carries the warning that says why', async () => {
  const r = (await analyzeArgs(path.join(fixtures, 'counts.csv'))) as Report;
  assert.match(nullReason(r, 'pred_b', 'gammaDeviance'), /^The Gamma deviance of "pred_b" is undefined: \d+ rows have a target or a prediction ≤ 0/);
  const mixed = (await analyzeArgs(path.join(fixtures, 'mixed.csv'))) as Report;
  assert.match(nullReason(mixed, 'pred_a', 'rmsle'), /^MSLE and RMSLE of "pred_a" are undefined: 11 rows have a negative target/);
  assert.match(nullReason(mixed, 'pred_a', 'd2Tweedie'), /^The Tweedie deviance and D² Tweedie at power 1.5 of "pred_a"/);
  assert.equal(nullReason({ warnings: [] }, 'x', 'msle'), 'not defined for this data');
  assert.match(nullReason({ warnings: [constantTargetWarningText] }, 'x', 'd2Pinball'), /is constant/);
});

test('a deviance or a baseline that rounding makes negative is null with a sentence, never a negative number', () => {
  const v = SUM_KEYS.map((k) => (k === 'poisson' ? -1e-9 : k === 'tweedie' ? 2 : 1));
  const base = { absAround: 1, pinAround: 1, tweedieAround: -3e-10, meanTarget: 1e12, median: 1e12, quantile: 1e12 };
  const { metrics, warnings } = countMetrics(v, 10, { counts: [0, 0, 0, 0, 0], lines: [[], [], [], [], []] }, base, 1, 4, 'p', 1.5);
  assert.equal(metrics.poissonDeviance, null);
  assert.match(warnings.join(' '), /^The Poisson deviance of "p" is undefined in double precision: .* < 0/);
  assert.equal(metrics.tweedieDeviance, 0.2);
  assert.equal(metrics.d2Tweedie, null, 'the baseline is not positive');
  assert.match(baselineWarnings(base, 4, 'y', 1.5, true).join(' '), /^D² Tweedie at power 1.5 is undefined: the deviance of "y" around its mean comes out as/);
  assert.match(baselineWarnings(base, Infinity, 'y', 1.5, false).join(' '), /^The explained variance is undefined: Σ\(target − mean\)² of "y" overflows/);
});

const constantTargetWarningText = 'The target "y" is constant, so R², explained variance and the D² scores are undefined (reported as null).';

test('comparisons leave out a metric that is null for either model', async () => {
  const r = (await analyzeArgs(path.join(fixtures, 'counts.csv'))) as Report;
  assert.ok(r.comparisons.some((c) => c.metric === 'poissonDeviance'), 'the Poisson deviance is compared');
  assert.ok(!r.comparisons.some((c) => c.metric === 'gammaDeviance'), 'the undefined Gamma deviance is not');
});

test('domains follow scikit-learn 1.2: MSLE refuses any negative value, Poisson y ≥ 0 and μ > 0, Gamma both > 0, Tweedie by its power, the NLL p + eps > 0', () => {
  const P = 1.5;
  assert.equal(outsideDomain(0, -0.5, 1, P, false), true, 'log1p(−0.5) exists, but scikit-learn refuses negatives');
  assert.equal(outsideDomain(0, 0, 0, P, false), false);
  assert.equal(outsideDomain(1, 0, 1, P, false), false, 'a zero count is a Poisson count');
  assert.equal(outsideDomain(1, 1, 0, P, false), true, 'a zero rate is not');
  assert.equal(outsideDomain(2, 0, 1, P, false), true, 'Gamma needs y > 0');
  assert.equal(outsideDomain(3, 0, 1, 1.5, false), false);
  assert.equal(outsideDomain(3, 0, 1, 2.5, false), true, 'from power 2 on, y > 0');
  assert.equal(outsideDomain(3, -3, 1, -1, false), false, 'below power 0 any y');
  assert.equal(outsideDomain(3, 1, 0, -1, false), true, 'but μ > 0');
  assert.equal(outsideDomain(3, -3, -1, 0, false), false, 'power 0 is the squared error');
  assert.equal(outsideDomain(4, 1, -1e-8, P, false), true, 'log(0) is not defined');
  assert.equal(outsideDomain(4, 1, -5, P, true), false, 'a log rate can be anything');
  assert.equal(checkPower(0.5)?.includes('between 0 and 1'), true);
  assert.equal(checkPower(1), undefined);
  assert.equal(checkPower(-2), undefined);
  // The unit deviances at their special powers.
  assert.equal(tweedieDev(3, 2, 0), 1);
  assert.equal(tweedieDev(0, 2, 1), 4, '2·(0 − 0 + 2)');
  assert.ok(Math.abs(tweedieDev(2, 2, 2)) < 1e-15 && Math.abs(tweedieDev(2, 2, 1.5)) < 1e-15, 'zero at μ = y');
});

test('the sentences name the metric, the model, the rows and the rule', () => {
  assert.equal(
    domainWarning('poisson', 'pred', 3, [4, 9, 12], 1.5),
    'The Poisson deviance of "pred" is undefined: 3 rows have a negative target or a prediction ≤ 0 (the Poisson deviance needs y ≥ 0 and μ > 0), lines 4, 9, 12. It is reported as null.',
  );
  assert.equal(
    domainWarning('msle', 'm', 12, [1, 2], 1.5),
    'MSLE and RMSLE of "m" are undefined: 12 rows have a negative target or prediction (scikit-learn’s mean_squared_log_error refuses them), first lines 1, 2, … (10 more). They are reported as null.',
  );
  assert.match(domainWarning('tweedie', 'm', 1, [7], 3), /^The Tweedie deviance and D² Tweedie at power 3 of "m" are undefined: 1 row has a target or a prediction ≤ 0 \(from power 2 on .*line 7\. They are reported as null\.$/);
  assert.equal(linesText(1, [5]), 'line 5');
  assert.equal(d2TweedieMeanWarning('y', 0, 1.5), 'D² Tweedie at power 1.5 is undefined: the mean of "y" is 0, and its deviance (the baseline) needs a mean > 0. It is reported as null.');
});

test('order statistics of the stored targets are exact (numpy percentile, scikit-learn weighted percentile), whatever the chunks', () => {
  const next = rng(7);
  for (const n of [1, 2, 3, 10, 1000, 5000]) {
    const xs = Array.from({ length: n }, () => (next() < 0.1 ? -1 : 1) * Math.round(next() * 50) * (next() < 0.5 ? 1 : 0.001));
    const ws = xs.map(() => Math.floor(next() * 4) * 0.5);
    const sorted = [...xs].sort((a, b) => a - b);
    const split = (v: number[]) => [new Float64Array(v.slice(0, Math.floor(n / 3))), new Float64Array(v.slice(Math.floor(n / 3)))];
    assert.deepEqual(valuesAtRanks(split(xs), [0, n - 1, Math.floor(n / 2)]), [sorted[0], sorted[n - 1], sorted[Math.floor(n / 2)]]);
    for (const q of [0.1, 0.5, 0.9]) {
      const vi = (n - 1) * q;
      const lo = Math.floor(vi);
      const hi = Math.min(lo + 1, n - 1);
      const t = vi - lo;
      const want = t >= 0.5 ? sorted[hi] - (sorted[hi] - sorted[lo]) * (1 - t) : sorted[lo] + (sorted[hi] - sorted[lo]) * t;
      assert.equal(percentile(split(xs), n, q), want, `n = ${n}, q = ${q}`);
      const total = ws.reduce((a, b) => a + b, 0);
      if (total === 0) continue;
      const order = xs.map((x, i) => [x, ws[i]]).sort((a, b) => a[0] - b[0]);
      let cum = 0;
      const wp = order.find(([, w]) => (cum += w) >= q * total)?.[0];
      assert.equal(weightedPercentile(split(xs), split(ws), total, q), wp, `weighted, n = ${n}, q = ${q}`);
    }
    const m = percentile(split(xs), n, 0.5);
    const naive = xs.reduce((a, x) => a + (x - m >= 0 ? 0.5 * (x - m) : -0.5 * (x - m)), 0);
    assert.ok(Math.abs(pinballAround(split(xs), null, m, 0.5) - naive) <= 1e-12 * Math.max(1, naive), 'the pinball baseline');
  }
});

test('the one-pass quantile baseline gives the quantile of the plain passes and their pinball sum (1e-13), ties, signs and weights included', () => {
  const next = rng(11);
  for (let run = 0; run < 60; run++) {
    const n = 1 + Math.floor(next() * 3000);
    const spread = [1e-3, 1, 1e6][run % 3];
    const base = run % 4 === 0 ? 1e9 : 0; // large values that differ a little: no cancellation allowed
    const xs = Array.from({ length: n }, () => base + (run % 5 === 0 ? Math.round(next() * 6) : (next() - 0.3) * spread));
    const ws = xs.map(() => 0.5 + Math.floor(next() * 4));
    const chunks = [new Float64Array(xs.slice(0, n >> 1)), new Float64Array(xs.slice(n >> 1))];
    const wchunks = [new Float64Array(ws.slice(0, n >> 1)), new Float64Array(ws.slice(n >> 1))];
    const rows = new Uint32Array(TARGET_KEYS);
    for (const c of chunks) countTargetKeys(rows, c);
    const total = ws.reduce((a, b) => a + b, 0);
    for (const q of [0.5, 0.1, 0.93]) {
      const plain = percentile(chunks, n, q);
      const one = quantileBaseline(chunks, null, n, q, rows);
      assert.equal(one.center, plain, `run ${run} q ${q}: the quantile`);
      const want = pinballAround(chunks, null, plain, q);
      assert.ok(Math.abs(one.pinball - want) <= 1e-13 * want + 1e-300, `run ${run} q ${q}: ${one.pinball} vs ${want}`);
      const wq = weightedPercentile(chunks, wchunks, total, q);
      const wone = quantileBaseline(chunks, { chunks: wchunks, total }, n, q, null);
      assert.equal(wone.center, wq, `run ${run} q ${q}: the weighted quantile`);
      const wwant = pinballAround(chunks, wchunks, wq, q);
      assert.ok(Math.abs(wone.pinball - wwant) <= 1e-13 * wwant + 1e-300, `run ${run} q ${q} weighted: ${wone.pinball} vs ${wwant}`);
    }
  }
});

test('--power and --log-input: parsed, checked, in the usage text', () => {
  const a = parseArgs(['f.csv', '--power', '2', '--log-input']);
  assert.ok(typeof a === 'object');
  assert.equal(a.power, 2);
  assert.equal(a.logInput, true);
  const d = parseArgs(['f.csv']);
  assert.ok(typeof d === 'object' && d.power === 1.5 && d.logInput === false);
  assert.throws(() => parseArgs(['f.csv', '--power', '0.5']), /--power must be a number ≤ 0 or ≥ 1/);
});
