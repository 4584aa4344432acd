/**
 * The sentences of the regression report (src/core/tasks/regression/words.ts): real numbers in,
 * the exact text a reader sees out. `read` joins the pieces as the webview shows them (bold text
 * as its text, a line link as its number); the tests that care also check what is bold and which
 * line is a link.
 */
import { test } from 'node:test';
import { runsTitle } from '../../src/core/trainingLog/words';
import assert from 'node:assert/strict';
import { analyzeText, csvOf } from '../helpers/run';
import type { ModelReport } from '../../src/core/tasks/regression/report';
import { gradientDistribution } from '../../src/core/tasks/regression/view/gradients';
import {
  betaInForce,
  gradientsLead,
  groupsLead,
  largestPull,
  lossCurvesText,
  Pieces,
  qqChartText,
  qqFindings,
  rowLossChartText,
  rowLossName,
  scatterChartText,
  groupsChartText,
  residualSummary,
  robustnessLead,
  scatterOutside,
  settingsNote,
  showRowsText,
  skippedReason,
  skippedTitle,
} from '../../src/core/tasks/regression/words';

const read = (p: Pieces | null): string => (p ?? []).map((x) => (typeof x === 'string' ? x : 'strong' in x ? x.strong : String(x.line))).join('');
const bold = (p: Pieces): string[] => p.flatMap((x) => (typeof x === 'object' && 'strong' in x ? [x.strong] : []));
const lines = (p: Pieces): number[] => p.flatMap((x) => (typeof x === 'object' && 'line' in x ? [x.line] : []));

/** 99 rows off by exactly 1 and one (the last, on line 101) off by 10. */
function oneOutlier(): Promise<import('../../src/core/tasks/regression/report').Report> {
  const rows = Array.from({ length: 100 }, (_, i) => [i, i < 99 ? i + 1 : i + 10]);
  return analyzeText('p.csv', csvOf(['y_true', 'y_pred'], rows));
}

test('the worst rows: one row off by 10 among 99 off by 1 carries half of L2 and a tenth of L1', async () => {
  const r = await oneOutlier();
  const said = robustnessLead(r.models[0], r.rows.used);
  // L2: 100 of 99 + 100; L1: 10 of 99 + 10. MSE 199/100 → 99/99, MAE 109/100 → 99/99.
  assert.equal(read(said.text), 'The worst row (1% of 100) of y_pred carries 50% of L2 but only 9% of L1. Without it, MSE falls from 1.99 to 1 and MAE from 1.09 to 1.');
  assert.deepEqual(bold(said.text), ['50% of L2', '9% of L1']);
  assert.equal(said.contrast, true);
});

test('the worst rows: shares within 10 points of each other, and a perfect fit', () => {
  const share = (v: number) => ({ l1: v, l2: v + 0.05, smoothL1: v + 0.02, huber: v + 0.02, logCosh: v + 0.01 });
  const m = {
    prediction: 'pred_b',
    absQuantiles: { p50: 1, p90: 2, p99: 3, max: 4 },
    metrics: { mae: 1, mse: 2, smoothL1: 0.6, huber: 0.6, logCosh: 0.4 },
    robustness: {
      worst1: { rows: 4, threshold: 3, share: share(0.03), without: { l1: 1, l2: 2, smoothL1: 0.6, huber: 0.6, logCosh: 0.4 } },
      worst10: { rows: 40, threshold: 2, share: share(0.2), without: {} },
    },
  } as unknown as ModelReport;
  assert.equal(read(robustnessLead(m, 400).text), 'The worst 4 rows (1% of 400) of pred_b carry between 3% and 8% of every loss: no loss is dominated by a few rows.');
  const exact = { ...m, absQuantiles: { p50: 0, p90: 0, p99: 0, max: 0 }, robustness: { ...m.robustness, worst1: { ...m.robustness.worst1, share: {} } } } as unknown as ModelReport;
  assert.deepEqual(robustnessLead(exact, 400), { text: ['Every prediction of pred_b is exact: no row adds to any loss.'], contrast: false });
  assert.equal(showRowsText(4, 10), 'Show these 4 rows');
  assert.equal(showRowsText(1, 10), 'Show this row');
  assert.equal(showRowsText(40, 10), 'Show the 10 largest');
});

test('the gradients: L2 pulls the outlier 10× as hard as the median row, the bounded losses cap it', async () => {
  const r = await oneOutlier();
  const m = r.models[0];
  const d = gradientDistribution(m, r.params, r.params);
  const lead = gradientsLead(d, m.prediction, r.params.beta, r.params.delta);
  assert.equal(
    read(lead),
    'L2’s largest gradient is 10× its median (20 against 2): a few rows dominate the updates. Bounded losses cap it: smooth L1 at 1, Huber at δ = 1, log-cosh at 1; L1 pulls every row with 1.',
  );
  assert.deepEqual(bold(lead), ['L2’s largest gradient is 10× its median']);
  const pull = largestPull(m, r.params, false, 16);
  assert.equal(read(pull), 'Here the largest residual of y_pred (d = 10, line 101) pulls with 2|d| = 20 under L2 but with 1 under smooth L1.');
  assert.deepEqual(lines(pull ?? []), [101]);
});

test('the loss curves: the share in the quadratic zone, and the rows beyond the chart with a link to the largest', async () => {
  const r = await oneOutlier();
  const text = lossCurvesText(r.models[0], 2, 0.99, { count: 1, atLeast: false }, 8);
  assert.equal(
    read(text),
    'Each curve is the loss one row adds, as a function of its residual d. The bars behind show where y_pred’s residuals lie. At β = 2, 99% of the rows are in smooth L1’s quadratic zone (between the ±β lines), the rest in its linear zone. 1 row with |d| beyond 8 is not drawn (largest: d = 10, line 101).',
  );
  assert.deepEqual(lines(text), [101]);
  // No share (β off the sweep grid), every row drawn: a dash, and no sentence on rows beyond.
  const bare = lossCurvesText(r.models[0], 1, null, { count: 0, atLeast: false }, 16);
  assert.equal(
    read(bare),
    'Each curve is the loss one row adds, as a function of its residual d. The bars behind show where y_pred’s residuals lie. At β = 1, — of the rows are in smooth L1’s quadratic zone (between the ±β lines), the rest in its linear zone.',
  );
  assert.deepEqual(lines(bare), []);
});

test('the groups: the worst value of the column, against every row', async () => {
  const r = await analyzeText('g.csv', csvOf(['y_true', 'y_pred', 'region'], [[1, 2, 'north'], [2, 3, 'north'], [3, 6, 'south'], [4, 9, 'south']]), { columns: { groupBy: 'region' } });
  const lead = groupsLead(r, 'mae', 0);
  assert.equal(read(lead), 'Of the 2 values of “region”, south has the largest MAE: 4 over 2 rows, against 2.5 over all 4 rows.');
  assert.deepEqual(bold(lead ?? []), ['south', '4']);
  // R² of south: 1 − (3² + 5²)/0.5; over all rows: 1 − 36/5.
  assert.equal(read(groupsLead(r, 'r2', 0)), 'Of the 2 values of “region”, south has the smallest R²: -67 over 2 rows, against -6.2 over all 4 rows.');
});

test('the Q-Q plot: heavy tails and an outlier, light tails, an extreme, nothing to say', () => {
  const heavy = qqFindings({ tailRatio: 1.634, extreme: { d: 80, line: 7, sigmas: 52.3 }, slope: 1.5, normalReach: 2.58, rows: 400 });
  assert.deepEqual(heavy.map(read), [
    'Heavy tails. Between the 1st and 99th percentiles the residuals spread 1.6× as far as normal ones with the same quartiles would: large errors are more common than a normal model of the noise expects, and they carry much of L2 (see above).',
    'Outliers. The most extreme residual, d = 80 (line 7), is 52.3 σ̂ from the median; the largest of 400 normal residuals would be about 2.6 σ̂ away.',
  ]);
  assert.deepEqual(heavy.map(bold), [['Heavy tails. '], ['Outliers. ']]);
  assert.deepEqual(lines(heavy[1]), [7]);
  const light = qqFindings({ tailRatio: 0.7, extreme: { d: -6, line: 3, sigmas: 6 }, slope: 1, normalReach: 2.58, rows: 400 });
  assert.deepEqual(light.map(read), [
    'Light tails. Between the 1st and 99th percentiles the residuals spread only 0.7× as far as normal ones with the same quartiles would: the errors are bounded more tightly than normal noise.',
    'Extremes. The most extreme residual, d = -6 (line 3), is 6 σ̂ from the median; the largest of 400 normal residuals would be about 2.6 σ̂ away.',
  ]);
  assert.deepEqual(qqFindings({ tailRatio: 1, extreme: { d: 3, line: 3, sigmas: 3 }, slope: 1, normalReach: 2.58, rows: 400 }).map(read), [
    'Close to normal in the body. Between the 1st and 99th percentiles the residuals follow the line (spread 1× the normal one).',
  ]);
  assert.deepEqual(qqFindings({ tailRatio: null, extreme: null, slope: 0, normalReach: 1, rows: 10 }), []);
});

test('the residuals in one sentence, with the bias', () => {
  const m = { absQuantiles: { p50: 0.5, p90: 1.2, p99: 3, max: 80 }, metrics: { meanError: 0.25 } } as unknown as ModelReport;
  assert.equal(residualSummary(m), 'Median |d| 0.5, 90% of rows within ±1.2, 99% within ±3, largest |d| 80. Mean error 0.25 (over-predicts on average).');
  const under = { ...m, metrics: { meanError: -1.5 } } as unknown as ModelReport;
  assert.match(residualSummary(under), /Mean error -1\.5 \(under-predicts on average\)\.$/);
  const none = { ...m, metrics: { meanError: null } } as unknown as ModelReport;
  assert.equal(residualSummary(none), 'Median |d| 0.5, 90% of rows within ±1.2, 99% within ±3, largest |d| 80.');
});

test('skipped rows, settings changed, the β in force, wild predictions', () => {
  assert.equal(skippedTitle({ skipped: 3, total: 40 }), '3 of 40 rows skipped (7.5%)');
  const few = skippedReason(5, 'a value that is not a number', [3, 8]);
  assert.equal(read(few), '5 × a value that is not a number — first lines 3, 8, … (3 more)');
  assert.deepEqual(lines(few), [3, 8]);
  assert.deepEqual(bold(few), ['5 × ']);
  assert.equal(read(skippedReason(1, 'an empty cell', [12])), '1 × an empty cell — line 12');
  assert.equal(settingsNote({ beta: 0.5, delta: 1 }, { beta: 1, delta: 1 }), 'The settings now say β = 0.5, δ = 1; this report was computed with β = 1, δ = 1. ');
  assert.equal(settingsNote({ beta: 1, delta: 1 }, { beta: 1, delta: 1 }), null);
  assert.equal(betaInForce(0.6012270967, 1, false), ' (0.601227 at β = 1 in force)');
  assert.equal(betaInForce(0.6, 1, true), ' (the β in force)');
  assert.equal(scatterOutside([{ prediction: 'pred_a', count: 3 }, { prediction: 'pred_b', count: 0 }]), ' Wild predictions outside the view: 3 of pred_a.');
  assert.equal(scatterOutside([{ prediction: 'pred_a', count: 0 }]), '');
});

test('the charts’ text summaries: Q-Q, per-row loss, scatter, groups', () => {
  const qq = qqChartText({ source: 'sample', rows: 2000, slope: 1.23456 }, 'pred_a', 50000, 3, true);
  assert.equal(qq.label, 'Normal Q-Q plot of the residuals of pred_a (a sample of 2000 of the 50000 rows): sorted residuals against standard normal quantiles, with the line through the quartiles (slope 1.23). 3 points beyond the view sit on its edge (triangles).');
  assert.equal(qq.caption, 'A sample of 2000 of the 50000 rows: the i-th smallest d against Φ⁻¹((i − 0.5)/2000). 3 points beyond the view sit on its edge (triangles). Click a point to open its line.');
  assert.equal(qqChartText({ source: 'all', rows: 40, slope: 2 }, 'y_pred', 40, 0, false).caption, 'All 40 rows: the i-th smallest d against Φ⁻¹((i − 0.5)/40).');

  assert.equal(rowLossName('smoothL1', 0.25, 1), 'smooth L1 (β = 0.25)');
  assert.equal(rowLossName('huber', 0.25, 2), 'Huber (δ = 2)');
  const rows = rowLossChartText('pred_a', rowLossName('l2', 1, 1), 1000, 50);
  assert.equal(rows.label, 'Per-row L2 d² of pred_a along the file, 1000 points of 50 rows each.');
  assert.equal(rows.caption.join(''), 'Each point covers 50 consecutive used rows: the line is the largest loss among them, the band goes down to the smallest. Spikes are rows worth a look; the worst ones are listed below.');

  const sc = scatterChartText({ sampled: 5000, used: 120000, models: 2 }, [{ prediction: 'pred_a', count: 0 }, { prediction: 'pred_b', count: 2 }], false);
  assert.equal(sc.label, 'Predicted against target for a sample of 5000 of the 120000 rows, 2 models, with the line y = x.');
  assert.equal(sc.caption, 'A deterministic sample of 5000 of the 120000 used rows. Points on the dashed line y = x are perfect predictions; above it the model over-predicts. Wild predictions outside the view: 2 of pred_b.');

  const g = groupsChartText({ column: 'region', metric: 'MAE', worst: 'largest', labels: ['s', 'n', 'e', 'w', 'c', 'x'], values: [4, 3.5, 2, 1.25, 1, 0.5], groups: 40 });
  assert.equal(g.label, 'MAE per value of region, worst first: s 4, n 3.5, e 2, w 1.25, c 1, …');
  assert.equal(g.caption.join(''), 'The 6 values with the largest MAE of 40. The dashed line is the value over all rows.');
});

test("a report of several runs is titled by the runs' shared file name and their folders", () => {
  assert.equal(runsTitle(['/w/lightning_logs/version_0/metrics.csv']), 'metrics.csv');
  assert.equal(runsTitle(['/w/lightning_logs/version_0/metrics.csv', '/w/lightning_logs/version_1/metrics.csv']), 'metrics.csv (version_0, version_1)');
  assert.equal(runsTitle(['/a/v0/m.csv', '/a/v1/m.csv', '/a/v2/m.csv', '/a/v3/m.csv', '/a/v4/m.csv']), 'm.csv (v0, v1, v2 +2)');
  assert.equal(runsTitle(['/a/x/m.csv', '/b/x/m.csv']), 'm.csv (2 runs)');
  assert.equal(runsTitle(['/runs/a.csv', '/runs/b.jsonl']), 'a.csv, b.jsonl');
});
