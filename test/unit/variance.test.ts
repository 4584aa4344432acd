/**
 * A predicted variance (#16 item 2): the engine against PyTorch's GaussianNLLLoss and scipy's
 * Gaussian CRPS on files pandas wrote (test/fixtures/variance/expected.json, by
 * scripts/dev/variance-reference.py), the column detection, the domain's sentence, the same bits
 * for any number of threads.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyze } from '../../src/engine/analyze';
import { openFileSource } from '../../src/engine/source';
import { chooseColumns } from '../../src/core/tasks/regression/columns';
import type { Report } from '../../src/core/tasks/regression/report';
import { crpsGaussian, erf, gaussianNll, normalCdf, zBin, Z_BINS } from '../../src/core/tasks/regression/variance';
import { chooseSpread } from '../../src/core/tasks/regression/varianceColumns';
import { spreadChartText, spreadDomainWarning } from '../../src/core/tasks/regression/varianceWords';
import { groupableColumns } from '../../src/core/tasks/regression/view/groups';
import { NOMINAL, spreadFindings, spreadNullReason, spreadSummaryRows, spreadView } from '../../src/core/tasks/regression/view/variance';
import { markdownSummary, textReport } from '../../src/core/format';
import { analyzeArgs, isClass } from '../helpers/cli';
import { repoRoot } from '../helpers/paths';
import { workerBundle } from '../helpers/bundle';
import { opts, rng } from '../helpers/run';

const fixtures = path.join(repoRoot, 'test/fixtures/variance');
const KEYS = ['gaussianNll', 'crps', 'within1', 'within2', 'zMean', 'zSd'] as const;
type Key = (typeof KEYS)[number];

interface Expected {
  cases: {
    file: string;
    flags: string[];
    models: (Record<Key, number | null> & { prediction: string; spread: string })[];
    groups?: Record<string, { prediction: string; gaussianNll: number | null; crps: number | null }[]>;
  }[];
  functions: { crps: { y: number; mu: number; sigma: number; crps: number }[]; cdf: { z: number; cdf: number }[]; erf: { x: number; erf: number }[] };
}
const expected = JSON.parse(fs.readFileSync(path.join(fixtures, 'expected.json'), 'utf8')) as Expected;

function rel(got: number, want: number): number {
  return Math.abs(got - want) / Math.max(Math.abs(want), 1e-300);
}

function near(got: number | null | undefined, want: number | null, what: string, tol = 1e-12): void {
  if (want === null) {
    assert.equal(got ?? null, null, `${what}: null expected`);
    return;
  }
  assert.equal(typeof got, 'number', `${what}: a number expected, got ${String(got)}`);
  assert.ok(rel(got as number, want) <= tol, `${what}: ${String(got)} vs ${want} (relative ${rel(got as number, want).toExponential(2)})`);
}

test('Gaussian NLL, CRPS, ±σ coverage and d/σ agree with PyTorch / scipy within 1e-12 on files pandas wrote, null with a sentence for a negative variance', async () => {
  assert.ok(expected.cases.length >= 6, 'the reference file has its cases');
  for (const c of expected.cases) {
    const what = `${c.file} ${c.flags.join(' ')}`;
    const r = await analyzeArgs(path.join(fixtures, c.file), c.flags);
    assert.ok(!isClass(r), `${what}: a regression report`);
    const rep = r as Report;
    assert.deepEqual(rep.models.map((m) => m.prediction), c.models.map((m) => m.prediction), `${what}: the models (a spread column is not a model)`);
    c.models.forEach((want, k) => {
      const m = rep.models[k];
      assert.equal(m.spread?.column, want.spread, `${what}: ${m.prediction}'s spread column`);
      const z = m.spread?.standardized ?? null;
      const got: Record<Key, number | null | undefined> = {
        gaussianNll: m.metrics.gaussianNll,
        crps: m.metrics.crps,
        within1: m.sigmaCoverage?.within1 ?? null,
        within2: m.sigmaCoverage?.within2 ?? null,
        zMean: z?.mean ?? null,
        zSd: z?.sd ?? null,
      };
      for (const key of KEYS) near(got[key], want[key], `${what}, ${m.prediction}, ${key}`);
      if (want.gaussianNll === null) {
        assert.equal(m.sigmaCoverage, null);
        assert.ok(rep.warnings.some((w) => w.startsWith('The Gaussian NLL, the CRPS and the ±σ coverage of "pred" are undefined: 3 rows have a negative variance in "pred_var"') && w.includes('lines 5, 42, 43.')), JSON.stringify(rep.warnings));
        // The other metrics are unaffected.
        assert.equal(typeof m.metrics.mse, 'number');
      } else {
        const h = z?.histogram;
        assert.ok(h, 'a histogram');
        assert.equal(h.counts.length, Z_BINS);
        assert.equal(h.counts.reduce((a, b) => a + b, 0) + h.below + h.above, rep.rows.used, 'every used row is counted once');
      }
    });
    for (const [value, wants] of Object.entries(c.groups ?? {})) {
      const g = rep.groups?.groups.find((x) => x.value === value);
      assert.ok(g, `${what}: group ${value}`);
      wants.forEach((want, k) => {
        near(g.metrics[k].gaussianNll, want.gaussianNll, `${what}, group ${value}, ${want.prediction}, gaussianNll`);
        near(g.metrics[k].crps, want.crps, `${what}, group ${value}, ${want.prediction}, crps`);
      });
    }
  }
  assert.ok(expected.cases.some((c) => c.groups), 'a grouped case');
});

test('erf, Φ and the closed-form CRPS against scipy (the CRPS checked there against its integral)', () => {
  for (const { x, erf: want } of expected.functions.erf) near(erf(x), want, `erf(${x})`, 2e-16 * 4);
  for (const { z, cdf } of expected.functions.cdf) near(normalCdf(z), cdf, `Φ(${z})`, 1e-14);
  for (const { y, mu, sigma, crps } of expected.functions.crps) near(crpsGaussian(mu - y, sigma), crps, `CRPS(${y}; ${mu}, ${sigma})`);
  assert.equal(crpsGaussian(-2.5, 0), 2.5, 'σ = 0: the absolute error');
  assert.equal(crpsGaussian(1e300, 1e-300), 1e300, 'z beyond double precision: the absolute error');
  assert.equal(gaussianNll(0.001, 0), 0.5 * (Math.log(1e-6) + 1), 'the variance is clamped to eps = 1e-6');
  assert.equal(zBin(-6), -1);
  assert.equal(zBin(5), Z_BINS - 1);
  assert.equal(zBin(0), Z_BINS / 2);
});

test('spread columns: named for every model or per model, detected per model or shared, never taken for a model', () => {
  const cols = ['y_true', 'pred_a', 'pred_a_var', 'pred_b_mean', 'pred_b_std', 'w'];
  const choice = chooseColumns(cols, {}, 'f.csv');
  assert.deepEqual(choice.predictions, ['pred_a', 'pred_b_mean'], 'pred_a_var and pred_b_std are spreads, not models');
  assert.deepEqual(chooseSpread(cols, choice.predictions, ['y_true'], {}, 'f.csv'), [
    { column: 'pred_a_var', kind: 'variance' },
    { column: 'pred_b_std', kind: 'std' },
  ]);
  assert.deepEqual(chooseSpread(['y', 'y_pred', 'y_std'], ['y_pred'], ['y'], {}, 'f.csv'), [{ column: 'y_std', kind: 'std' }], 'y_pred_std is y_pred’s; y_std is shared');
  assert.deepEqual(chooseSpread(['y', 'pred', 'pred_var', 'sigma'], ['pred'], ['y'], {}, 'f.csv'), [{ column: 'pred_var', kind: 'variance' }], 'a model’s own column wins');
  assert.deepEqual(chooseSpread(['y', 'a', 'b', 'sigma'], ['a', 'b'], ['y'], {}, 'f.csv'), [
    { column: 'sigma', kind: 'std' },
    { column: 'sigma', kind: 'std' },
  ]);
  assert.equal(chooseSpread(['y', 'pred', 'x'], ['pred'], ['y'], {}, 'f.csv'), undefined, 'none: no spread');
  assert.throws(() => chooseSpread(['y', 'pred', 'var', 'std'], ['pred'], ['y'], {}, 'f.csv'), /several columns that could be the predicted spread \("var" and "std"\); choose one with --variance or --std/);
  assert.throws(() => chooseSpread(['y', 'a', 'b', 's'], ['a', 'b'], ['y'], { std: ['s', 's', 's'] }, 'f.csv'), /--std names 3 columns for 2 models/);
  assert.throws(() => chooseSpread(['y', 'a'], ['a'], ['y'], { variance: ['v'] }, 'f.csv'), /The variance column "v" is not in 'f.csv'/);
  assert.throws(() => chooseSpread(['y', 'a', 'w'], ['a'], ['y', 'w'], { std: ['w'] }, 'f.csv'), /cannot be both the predicted spread and the target, a prediction, the weight/);
  assert.throws(() => chooseSpread(['y', 'a', 'v'], ['a'], ['y'], { std: ['v'], variance: ['v'] }, 'f.csv'), /either as variances \(--variance\) or as standard deviations \(--std\), not both/);
  assert.equal(
    spreadDomainWarning('m', { column: 's', kind: 'std' }, 12, [1, 2], 'row'),
    'The Gaussian NLL, the CRPS and the ±σ coverage of "m" are undefined: 12 rows have a negative standard deviation in "s" (PyTorch’s GaussianNLLLoss refuses them), first rows 1, 2, … (10 more). They are reported as null.',
  );
});

test('the text report has a paragraph of the predicted spreads; the Markdown summary their rows', async () => {
  const r = (await analyzeArgs(path.join(fixtures, 'shared.jsonl'))) as Report;
  assert.match(markdownSummary(r), /\n\| Gaussian NLL \| 0\.218466 \|\n\| CRPS \(Gaussian\) \| 0\.462448 \|\n/);
  const plain = (await analyzeArgs(path.join(repoRoot, 'test/fixtures/two-models.csv'))) as Report;
  assert.doesNotMatch(markdownSummary(plain) + textReport(plain), /Gaussian|predicted spread/, 'nothing without a spread column');
  assert.match(textReport(r), /predicted spread \(Gaussian N\(prediction, σ²\)\):\n {2}"y_pred" \(std "sigma"\): Gaussian NLL 0\.218465\d*, CRPS \(Gaussian\) 0\.462447\d*; within ±1σ 68\.5% \(68\.3% expected\), ±2σ 94\.9% \(95\.4%\); d\/σ mean/);
});

const worker = workerBundle();

test('a predicted variance: identical to the last bit with 1, 2 and 4 threads, weighted, with a negative variance late in the file, grouped', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'li-var-'));
  try {
    const next = rng(162);
    const lines = ['y_true,pred_a,pred_a_var,pred_b,pred_b_std,w,g'];
    for (let i = 0; i < 130_000; i++) {
      const s = 0.1 + 2 * next();
      const y = 10 * next();
      lines.push(`${y},${y + s * (next() - 0.5) * 3},${i % 1000 === 0 ? 0 : s * s},${y + next() - 0.5},${i === 120_001 ? -1 : s},${1 + Math.floor(4 * next()) / 2},g${i % 3}`);
    }
    const file = path.join(dir, 'var.csv');
    fs.writeFileSync(file, lines.join('\n') + '\n');
    assert.ok(fs.statSync(file).size > 4 << 20, 'big enough for 4 ranges');
    for (const extra of [{}, { weight: 'w', groupBy: 'g' }]) {
      const go = async (threads: number, chunkSize?: number) => {
        const src = openFileSource(file);
        try {
          return (await analyze(src, opts({ threads, parallelThreshold: 0, chunkSize, ...worker, columns: { target: 'y_true', predictions: ['pred_a', 'pred_b'], ...extra } }))) as Report;
        } finally {
          src.close();
        }
      };
      const one = await go(1);
      assert.equal(typeof one.models[0].metrics.gaussianNll, 'number');
      assert.equal(one.models[1].metrics.crps, null, 'pred_b has a negative standard deviation');
      assert.ok(one.models[0].spreadRobustness && one.models[0].spreadRobustness.worst1.rows === 1300, 'pred_a has its shares (#16 item 5), compared below too');
      assert.equal(one.models[1].spreadRobustness, undefined, 'none where the spread is negative');
      if (one.groups) {
        assert.equal(one.groups.groups.length, 3);
        for (const g of one.groups.groups) {
          assert.equal(typeof g.metrics[0].gaussianNll, 'number', `group ${g.value}: pred_a's NLL`);
          assert.equal(g.metrics[1].crps, null, `group ${g.value}: pred_b's CRPS is null as the file's`);
        }
      }
      assert.ok(one.warnings.some((w) => /of "pred_b" are undefined: 1 row has a negative standard deviation in "pred_b_std" .*line 120003\./.test(w)), JSON.stringify(one.warnings));
      for (const o of [{ threads: 2 }, { threads: 4 }, { threads: 4, chunkSize: 4096 }, { threads: 1, chunkSize: 777 }]) {
        assert.deepEqual(await go(o.threads, o.chunkSize), one, `${JSON.stringify(extra)} ${JSON.stringify(o)}`);
      }
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the spread view: d/σ as a density comparable with N(0, 1), the findings, the summary rows', async () => {
  const r = (await analyzeArgs(path.join(fixtures, 'gauss.csv'))) as Report;
  const v = spreadView(r.models[1]);
  assert.ok(v);
  assert.equal(v.bars.length, Z_BINS);
  assert.equal(v.bars[0].x0, -5);
  assert.equal(v.bars[Z_BINS - 1].x1, 5, 'the last edge is the range’s end, not a rounded sum');
  const mass = v.bars.reduce((a, b) => a + b.density * (b.x1 - b.x0), 0);
  assert.ok(Math.abs(mass - (v.rows - v.below - v.above) / v.rows) < 1e-12, 'the bars integrate to the share of rows in range');
  assert.ok(Math.abs(v.normal[100].y - 1 / Math.sqrt(2 * Math.PI)) < 1e-15, 'the N(0, 1) density peaks at 0');
  assert.ok(Math.abs(NOMINAL.within1 - 0.6826894921370859) < 1e-15 && Math.abs(NOMINAL.within2 - 0.9544997361036416) < 1e-15, 'a Gaussian’s coverage');
  assert.deepEqual(spreadFindings(v), [], 'pred_b_mean’s σ is calibrated on average');
  const a = spreadView(r.models[0]);
  assert.ok(a);
  assert.match(spreadFindings(a).join(' '), /too small on average — over-confident \(18 rows beyond ±5 weigh in/);
  assert.deepEqual(spreadSummaryRows(r).map((d) => d.key), ['gaussianNll', 'crps']);
  assert.deepEqual(spreadSummaryRows({ models: [{ ...r.models[0], metrics: { ...r.models[0].metrics, gaussianNll: undefined, crps: undefined } }] }), []);
  assert.match(spreadNullReason(r, 'p', 'crps', false), /^p has no predicted variance or standard-deviation column, so its CRPS is not defined\.$/);
  assert.match(spreadChartText(v).caption, /^d\/σ of 1000 rows \(σ from "pred_b_std"\), as a density over \[-5, 5\]\. Mean -0\.00924 \(0 expected\), SD 1 \(1 expected\)\. Within ±1σ: 73\.8%/);
});

test('a spread column is not offered as a group-by column', async () => {
  const r = (await analyzeArgs(path.join(fixtures, 'gauss.csv'))) as Report;
  assert.deepEqual(groupableColumns(r), ['w', 'region'], 'not pred_a_var nor pred_b_std');
});
