/**
 * Quantile sets (#16 item 3): the engine against scikit-learn 1.2 / numpy on files pandas wrote
 * (test/fixtures/quantiles/expected.json, by scripts/dev/quantiles-reference.py), detection by
 * name and its ambiguous cases, --quantiles, crossing rows, and identical bits for any thread count.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from '../../src/cli/cli';
import { LossInspectorError } from '../../src/core/errors';
import { chooseColumns, ColumnChoice, ColumnRequest } from '../../src/core/tasks/regression/columns';
import { parseQuantileName, parseQuantilesArg } from '../../src/core/tasks/regression/quantileColumns';
import { intervalScore } from '../../src/core/tasks/regression/quantileSet';
import { crossingWarning } from '../../src/core/tasks/regression/quantileWords';
import type { Report } from '../../src/core/tasks/regression/report';
import { markdownSummary, textReport } from '../../src/core/format';
import { analyze } from '../../src/engine/analyze';
import { openFileSource } from '../../src/engine/source';
import { analyzeArgs, isClass } from '../helpers/cli';
import { workerBundle } from '../helpers/bundle';
import { repoRoot } from '../helpers/paths';
import { analyzeText, opts, rng } from '../helpers/run';

const fixtures = path.join(repoRoot, 'test/fixtures/quantiles');

interface ExpectedCase {
  file: string;
  flags: string[];
  model: string;
  quantiles: { column: string; q: number; pinball: number; share: number }[];
  quantileIntervals: { low: string; high: string; nominal: number; coverage: number; width: number; score: number }[];
  crossingRows: number;
}

function near(got: number | null | undefined, want: number, what: string): void {
  assert.equal(typeof got, 'number', `${what}: a number expected, got ${String(got)}`);
  const rel = Math.abs((got as number) - want) / Math.max(Math.abs(want), 1e-300);
  assert.ok(rel <= 1e-12, `${what}: ${String(got)} vs ${want} (relative ${rel.toExponential(2)})`);
}

test('pinball per level, shares, coverage, width and interval score agree with scikit-learn / numpy within 1e-12 on files pandas wrote, weighted or not', async () => {
  const cases = JSON.parse(fs.readFileSync(path.join(fixtures, 'expected.json'), 'utf8')) as ExpectedCase[];
  assert.ok(cases.length >= 4, 'the reference file has its cases');
  for (const c of cases) {
    const what = `${c.file} ${c.flags.join(' ')}`;
    const r = await analyzeArgs(path.join(fixtures, c.file), c.flags);
    assert.ok(!isClass(r), `${what}: a regression report`);
    const rep = r as Report;
    const m = rep.models.find((x) => x.prediction === c.model);
    assert.ok(m, `${what}: the model ${c.model} (got ${rep.models.map((x) => x.prediction).join(', ')})`);
    assert.deepEqual(m.quantiles?.map((q) => [q.column, q.q]), c.quantiles.map((q) => [q.column, q.q]), `${what}: levels`);
    c.quantiles.forEach((want, j) => {
      near(m.quantiles?.[j].pinball, want.pinball, `${what} ${want.column} pinball`);
      near(m.quantiles?.[j].share, want.share, `${what} ${want.column} share`);
    });
    assert.deepEqual(m.quantileIntervals?.map((i) => [i.low, i.high, i.nominal]), c.quantileIntervals.map((i) => [i.low, i.high, i.nominal]), `${what}: intervals`);
    c.quantileIntervals.forEach((want, j) => {
      for (const k of ['coverage', 'width', 'score'] as const) near(m.quantileIntervals?.[j][k], want[k], `${what} ${want.low}–${want.high} ${k}`);
    });
    const crossing = rep.warnings.filter((w) => w.startsWith('The quantiles of the set'));
    if (c.crossingRows === 0) assert.deepEqual(crossing, [], `${what}: no crossing`);
    else assert.ok(crossing.length === 1 && crossing[0].includes(` cross on ${c.crossingRows} rows `), `${what}: ${c.crossingRows} crossing rows in ${JSON.stringify(crossing)}`);
  }
});

test('a set with a median is one model whose point prediction is the median; a set named after a prediction belongs to it', async () => {
  const rep = (await analyzeArgs(path.join(fixtures, 'quantiles.csv'))) as Report;
  assert.deepEqual(rep.models.map((m) => m.prediction), ['q50'], 'one model: the median');
  assert.equal(rep.models[0].quantileSet, 'quantiles');
  assert.deepEqual(rep.models[0].quantileIntervals?.map((i) => i.nominal), [0.5, 0.8, 0.9], 'narrowest first');
  // The median's pinball loss is its MAE / 2.
  near(rep.models[0].quantiles?.find((q) => q.q === 0.5)?.pinball, (rep.models[0].metrics.mae as number) / 2, 'pinball at 0.5');
  const pre = (await analyzeArgs(path.join(fixtures, 'prefixed.jsonl'))) as Report;
  assert.deepEqual(pre.models.map((m) => m.prediction), ['y_pred']);
  assert.equal(pre.models[0].quantileSet, 'y_pred');
});

const choose = (columns: string[], req: ColumnRequest = {}): ColumnChoice => chooseColumns(columns, req, 'f.csv');
const sets = (c: ColumnChoice) => c.quantiles?.map((s) => [s.name, s.model, s.columns.map((x) => `${x.column}=${x.q}`).join(',')]);

test('quantile names: q10, q0.9, p90, quantile_0.1, pred_q10, y_pred_0.9, q97.5; not pred_2, q025, p0, temp90', () => {
  const cases: [string, string, number][] = [
    ['q10', '', 0.1],
    ['q0.9', '', 0.9],
    ['p90', '', 0.9],
    ['P5', '', 0.05],
    ['quantile_0.1', '', 0.1],
    ['pred_q10', 'pred', 0.1],
    ['y_pred_0.9', 'y_pred', 0.9],
    ['xgb-p97.5', 'xgb', 0.975],
    ['forecast 0.25', 'forecast', 0.25],
  ];
  for (const [name, prefix, q] of cases) assert.deepEqual(parseQuantileName(name), { prefix, q }, name);
  for (const name of ['pred_2', 'y_pred_10', 'q025', 'p0', 'q100', 'temp90', 'step', 'model_0.1', 'q', 'p']) assert.equal(parseQuantileName(name), null, name);
});

test('detection: a file of quantiles, a set named after its prediction, models named pred_1/pred_2 unchanged', () => {
  assert.deepEqual(sets(choose(['y', 'q10', 'q50', 'q90'])), [['quantiles', 'q50', 'q10=0.1,q50=0.5,q90=0.9']]);
  assert.deepEqual(choose(['y', 'q10', 'q50', 'q90']).predictions, ['q50']);
  const byName = choose(['y', 'pred', 'pred_q10', 'pred_q50', 'pred_q90']);
  assert.deepEqual(byName.predictions, ['pred'], 'the named prediction, not the median, is the point prediction');
  assert.deepEqual(sets(byName), [['pred', 'pred', 'pred_q10=0.1,pred_q50=0.5,pred_q90=0.9']]);
  const two = choose(['y', 'a_q10', 'a_q50', 'a_q90', 'b_q10', 'b_q50', 'b_q90']);
  assert.deepEqual(two.predictions, ['a_q50', 'b_q50'], 'two sets, two models');
  assert.deepEqual(choose(['y_true', 'pred_1', 'pred_2']), { target: 'y_true', predictions: ['pred_1', 'pred_2'] }, 'pred_1, pred_2 stay models');
  assert.deepEqual(choose(['y_true', 'y_pred', 'p90']), { target: 'y_true', predictions: ['y_pred'] }, 'a single p90 is not a set');
  assert.deepEqual(choose(['y_true', 'y_pred', 'q1', 'q2', 'q3']), { target: 'y_true', predictions: ['y_pred'] }, 'levels without a median or a central pair are not a set');
  assert.deepEqual(sets(choose(['y_true', 'y_pred', 'q25', 'q75'])), [['quantiles', 'y_pred', 'q25=0.25,q75=0.75']], 'a central pair is');
  assert.deepEqual(sets(choose(['y', 'forecast', 'q10', 'q90'])), [['quantiles', 'forecast', 'q10=0.1,q90=0.9']], 'no median: the only point prediction');
  assert.deepEqual(choose(['y', 'score', 'q10', 'q90'], {}).predictions, ['score']);
  assert.deepEqual(sets(choose(['y', 'y_q10', 'y_q50', 'y_q90'])), [['y', 'y_q50', 'y_q10=0.1,y_q50=0.5,y_q90=0.9']], 'y is the target of y_q10, not its point prediction');
  assert.deepEqual(sets(choose(['y', 'xgb', 'xgb_q10', 'xgb_q90'])), [['xgb', 'xgb', 'xgb_q10=0.1,xgb_q90=0.9']], 'a column named like the prefix, prediction word or not');
});

test('with --prediction named, a bare p90 is never a quantile; a set named after the prediction still is', () => {
  assert.deepEqual(choose(['y', 'p10', 'p50', 'p90'], { predictions: ['p90'] }), { target: 'y', predictions: ['p90'] });
  assert.deepEqual(choose(['y', 'p10', 'p50', 'p90'], { predictions: ['p50', 'p90'] }), { target: 'y', predictions: ['p50', 'p90'] });
  const named = choose(['y', 'm', 'm_q10', 'm_q90', 'q20', 'q80'], { predictions: ['m'] });
  assert.deepEqual(named.predictions, ['m']);
  assert.deepEqual(sets(named), [['m', 'm', 'm_q10=0.1,m_q90=0.9']]);
});

test('ambiguous sets are sentences naming the file and the way out', () => {
  const refuse = (columns: string[], re: RegExp, req: ColumnRequest = {}) =>
    assert.throws(() => choose(columns, req), (e: unknown) => e instanceof LossInspectorError && re.test(e.message) && e.message.includes("'f.csv'"), columns.join(','));
  refuse(['y', 'q10', 'q90'], /no median \(q = 0\.5\) column, and the file has no other column to be its point prediction; add a median column, or name the point prediction and the set: --prediction COL --quantiles COL=Q,…\./);
  refuse(['y', 'pred_a', 'pred_b', 'q10', 'q90'], /several point predictions \("pred_a", "pred_b"\), so which one it belongs to would be a guess.*--prediction/);
  refuse(['y', 'q10', 'p10', 'q50'], /"q10" and "p10" .* both predict the 0\.1 quantile.*--quantiles/);
  // The way out the sentence gives: both named.
  assert.deepEqual(sets(choose(['y', 'pred_a', 'pred_b', 'q10', 'q90'], { predictions: ['pred_a'], quantiles: [[{ column: 'q10', q: 0.1 }, { column: 'q90', q: 0.9 }]] })), [['quantiles', 'pred_a', 'q10=0.1,q90=0.9']]);
  refuse(['y', 'q10', 'q90'], /not in 'f\.csv'/, { quantiles: [[{ column: 'q10', q: 0.1 }, { column: 'q95', q: 0.95 }]] });
  refuse(['y', 'pred', 'q10', 'q90'], /"q10" cannot be both a prediction and a quantile of the set "quantiles"/, { predictions: ['pred', 'q10'], quantiles: [[{ column: 'q10', q: 0.1 }, { column: 'q90', q: 0.9 }]] });
  refuse(['y', 'q10', 'q50', 'w'], /"w" cannot be both the weight column and a quantile/, { weight: 'w', quantiles: [[{ column: 'w', q: 0.9 }, { column: 'q50', q: 0.5 }]] });
});

test('--quantiles: each flag one set, named after its columns; bad pairs are usage errors', () => {
  const args = parseArgs(['f.csv', '--quantiles', 'lo=0.05, mid=0.5,hi=0.95', '--quantiles', 'x_q20=0.2,x_q80=0.8']);
  assert.ok(typeof args === 'object');
  assert.deepEqual(args.quantiles, [
    [{ column: 'lo', q: 0.05 }, { column: 'mid', q: 0.5 }, { column: 'hi', q: 0.95 }],
    [{ column: 'x_q20', q: 0.2 }, { column: 'x_q80', q: 0.8 }],
  ]);
  const c = choose(['y', 'x', 'lo', 'mid', 'hi', 'x_q20', 'x_q80'], { quantiles: args.quantiles });
  assert.deepEqual(sets(c), [['quantiles', 'mid', 'lo=0.05,mid=0.5,hi=0.95'], ['x', 'x', 'x_q20=0.2,x_q80=0.8']]);
  assert.deepEqual(c.predictions, ['mid', 'x']);
  for (const bad of ['q10', 'q10=1', 'q10=0', '=0.5', 'q10=abc', '']) assert.equal(typeof parseQuantilesArg(bad), 'string', bad);
  assert.throws(() => parseArgs(['f.csv', '--quantiles', 'a=2']), /COL=Q pairs with 0 < Q < 1/);
});

test('crossing rows are counted with their lines, not sorted; the interval score is Gneiting & Raftery’s', async () => {
  const r = await analyzeText('c.csv', 'y,q10,q50,q90\n1,0,1,2\n1,3,1,2\n5,0,1,2\n-2,0,1,-1\n', {});
  const m = r.models[0];
  assert.equal(m.prediction, 'q50');
  assert.deepEqual(
    r.warnings.filter((w) => w.includes('cross')),
    [crossingWarning({ name: 'quantiles', columns: [{ column: 'q10', q: 0.1 }, { column: 'q50', q: 0.5 }, { column: 'q90', q: 0.9 }] }, 2, [3, 5])],
  );
  assert.match(r.warnings.find((w) => w.includes('cross')) ?? '', /cross on 2 rows \("q10" ≤ "q50" ≤ "q90" does not hold\), lines 3, 5\. They are used as written/);
  const iv = m.quantileIntervals?.[0];
  assert.equal(iv?.nominal, 0.8);
  // Rows: inside (width 2), y < l (3 > 1: width −1, below by 2), above (width 2, 3 over), y > u (width −1, 1 over).
  assert.equal(iv?.coverage, 0.25);
  assert.equal(iv?.width, (2 - 1 + 2 - 1) / 4);
  assert.equal(iv?.score, (intervalScore(1, 0, 2, 0.2) + intervalScore(1, 3, 2, 0.2) + intervalScore(5, 0, 2, 0.2) + intervalScore(-2, 0, -1, 0.2)) / 4);
  assert.equal(intervalScore(5, 0, 2, 0.2), 2 + 10 * 3);
  assert.deepEqual(m.quantiles?.map((q) => q.share), [0.5, 0.75, 0.75]);
});

test('quantile sets: identical to the last bit with 1, 2 and 4 threads, weighted', async () => {
  const worker = workerBundle();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'li-q-'));
  try {
    const next = rng(163);
    const lines = ['y,p05,p50,p95,w'];
    for (let i = 0; i < 90_000; i++) {
      const y = (next() - 0.5) * 10 ** Math.floor(next() * 4);
      lines.push(`${y},${y - 2 * next()},${y + next() - 0.5},${y + 2 * next() - 0.1},${1 + Math.floor(4 * next()) / 2}`);
    }
    const file = path.join(dir, 'q.csv');
    fs.writeFileSync(file, lines.join('\n') + '\n');
    assert.ok(fs.statSync(file).size > 4 << 20, 'big enough for 4 ranges');
    const go = async (threads: number, chunkSize?: number) => {
      const src = openFileSource(file);
      try {
        return (await analyze(src, opts({ threads, parallelThreshold: 0, chunkSize, ...worker, columns: { weight: 'w' } }))) as Report;
      } finally {
        src.close();
      }
    };
    const one = await go(1);
    assert.equal(one.models[0].quantiles?.length, 3);
    assert.equal(one.models[0].quantileRobustness?.worst10.share.length, 3, 'a share per level (#16 item 5), compared below too');
    assert.ok(one.warnings.some((w) => w.includes('cross on')), 'some rows cross');
    for (const o of [{ threads: 2 }, { threads: 4 }, { threads: 4, chunkSize: 4096 }]) {
      assert.deepEqual(await go(o.threads, o.chunkSize), one, JSON.stringify(o));
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the text report and the Markdown summary list each set’s levels and intervals under its model', async () => {
  const rep = (await analyzeArgs(path.join(fixtures, 'prefixed.jsonl'))) as Report;
  const text = textReport(rep);
  assert.match(text, /quantile set "y_pred" of model "y_pred" \(share: targets ≤ the column's prediction\):\n +column +q +share +pinball\n +y_pred_0\.1 +0\.1 +11\.1% +0\.46306678\n/);
  assert.match(text, /\n +y_pred_0\.1–y_pred_0\.9 +80% +77\.9% +5\.6234337 +9\.2107137\n/);
  const md = markdownSummary(rep);
  assert.ok(md.includes('| y\\_pred\\_0.1 | 0.1 | 11.1% | 0.463067 |\n'), md);
  assert.ok(md.includes('| y\\_pred\\_0.1–y\\_pred\\_0.9 | 80% | 77.9% | 5.62343 | 9.21071 |\n'), md);
  const plain = (await analyzeArgs(path.join(repoRoot, 'samples/predictions.csv'))) as Report;
  assert.doesNotMatch(textReport(plain) + markdownSummary(plain), /quantile set/i, 'nothing without a set');
});
