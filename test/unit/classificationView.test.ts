/**
 * The classification report's view-model and sentences (src/core/tasks/classification/view.ts,
 * words.ts), and what the webview needs of a classifier's report: a real report of the binary
 * fixture in, the numbers and the exact text a reader sees out.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { analyzeFile } from '../../src/engine/analyze';
import { openFileSource, memorySource } from '../../src/engine/source';
import { standaloneHtml } from '../../src/engine/htmlReport';
import type { ClassificationReport } from '../../src/core/tasks/classification/report';
import { classMarkdownSummary } from '../../src/core/tasks/classification/markdown';
import {
  bestClassModels,
  CLASS_METRICS,
  classGroupOrder,
  confusionCells,
  type ClassCurve,
  gammaGrid,
  marginBars,
  marginLossCurves,
  marginPullCurves,
  marginXs,
  positiveRate,
  prPoints,
  reliabilityPoints,
  rocPoints,
  worstCalibrationBin,
} from '../../src/core/tasks/classification/view';
import {
  classSettingsNote,
  confusionCaption,
  gammaSource,
  marginBeyond,
  marginLossLabel,
  marginPullLabel,
  pullText,
  thresholdInForce,
  thresholdMoveText,
  paramsLine,
  robustnessSentence,
  scoresSentence,
  sharePercent,
  taskSentence,
} from '../../src/core/tasks/classification/words';
import type { Pieces } from '../../src/core/tasks/regression/words';
import { marginLoss, type MarginLossKey, marginPull, rowsBelowMargin } from '../../src/core/tasks/classification/margins';
import { thresholdAt } from '../../src/core/tasks/classification/thresholds';
import { parseFromWebview, settingsOfReport } from '../../src/shared/webviewProtocol';
import { repoRoot } from '../helpers/paths';

const fixturesDir = path.join(repoRoot, 'test', 'fixtures');

const read = (p: Pieces) => p.map((x) => (typeof x === 'string' ? x : 'strong' in x ? x.strong : String(x.line))).join('');

async function binaryReport(extra: string[] = []): Promise<ClassificationReport> {
  const src = openFileSource(path.join(fixturesDir, 'classification', 'binary.csv'), 'binary.csv');
  try {
    const r = await analyzeFile(src, { params: { beta: 1, delta: 1 }, topK: 10, bins: 20, columns: { target: 'y_true', predictions: ['prob', 'logit', ...extra] } });
    assert.ok('task' in r && r.task === 'binary', 'a binary classification report');
    return r;
  } finally {
    src.close();
  }
}

test('CLASS_METRICS lists every metric of the report once, in the CLI order', async () => {
  const r = await binaryReport();
  assert.deepEqual(CLASS_METRICS.map((d) => d.key).sort(), Object.keys(r.models[0].metrics).sort());
  assert.equal(new Set(CLASS_METRICS.map((d) => d.key)).size, CLASS_METRICS.length);
});

test('the best model: lowest loss, highest score; a metric only one model has picks none', async () => {
  const r = await binaryReport();
  // prob: log loss 0.849, logit: 0.814; AUC 0.6908 vs 0.6928.
  assert.deepEqual(bestClassModels(r, 'logLoss'), [1]);
  assert.deepEqual(bestClassModels(r, 'rocAuc'), [1]);
  assert.deepEqual(bestClassModels(r, 'hinge'), [], 'hinge: only the logit model has one');
  assert.deepEqual(bestClassModels({ models: [r.models[0]] }, 'logLoss'), [], 'one model: no comparison');
  assert.deepEqual(bestClassModels({ models: [r.models[0], r.models[0]] }, 'logLoss'), [], 'a tie: none');
});

test('loss and gradient curves against the margin: each loss of one row and its pull, exactly', () => {
  const set = marginLossCurves(2, true);
  assert.deepEqual(set.curves.map((c) => c.key), ['logLoss', 'focal', 'brier', 'hinge', 'squaredHinge']);
  const xs = marginXs();
  assert.equal(xs[0], -8);
  assert.equal(xs[xs.length - 1], 8);
  assert.ok(xs.includes(0) && xs.includes(1), 'margins 0 and 1 (hinge’s kink) are points');
  const at = (c: ClassCurve, x: number) => c.points.find((p) => p.x === x)?.y;
  const [log, focal, brier, hinge, sq] = set.curves;
  assert.equal(at(log, 0), Math.log(2));
  assert.equal(at(focal, 0), 0.25 * Math.log(2));
  assert.equal(at(brier, 0), 0.25);
  assert.equal(at(hinge, 0), 1);
  assert.equal(at(sq, -2), 9);
  assert.equal(at(hinge, 1), 0);
  assert.ok(Math.abs((at(log, -3) ?? 0) + Math.log(1 / (1 + Math.exp(3)))) < 1e-15, 'log loss = −log p at margin −3');
  assert.equal(set.yMax, 10, 'the axis fits hinge (9 at −8); squared hinge leaves it');
  assert.deepEqual(set.offChart, ['squaredHinge']);
  assert.deepEqual(marginLossCurves(0.5, false).curves.map((c) => c.label), ['log loss = BCE', 'focal (γ = 0.5)', 'Brier'], 'no hinge on probabilities');

  const pulls = marginPullCurves(2, true);
  const [gl, gf, gb, gh, gs] = pulls.curves;
  // BCE's pull is |p − y| = 1 − p(true class); the others as their derivatives.
  assert.equal(at(gl, 0), 0.5);
  assert.equal(at(gh, 0), 1);
  assert.equal(at(gh, 1), null, 'hinge’s step: no value at the kink');
  assert.equal(at(gh, 2), 0);
  assert.equal(at(gs, -1), 4);
  const d = (key: MarginLossKey, x: number, g = 2) => (marginLoss(key, x - 1e-6, g) - marginLoss(key, x + 1e-6, g)) / 2e-6;
  for (const x of [-5, -1.5, 0, 0.75, 3]) {
    for (const [c, key] of [[gl, 'logLoss'], [gf, 'focal'], [gb, 'brier']] as const) {
      assert.ok(Math.abs((at(c, x) ?? NaN) - d(key, x)) < 1e-8, `${key} pull at ${x}: ${at(c, x)} vs numeric ${d(key, x)}`);
    }
  }
  for (const g of [0, 0.5, 5]) assert.ok(Math.abs(marginPull('focal', -1.25, g) - d('focal', -1.25, g)) < 1e-8, `focal pull at γ = ${g}`);
  assert.equal(marginPull('focal', 1.5, 0), marginPull('logLoss', 1.5, 0), 'γ = 0: the log loss');
  assert.equal(pulls.yMax, 1.2);
  assert.deepEqual(pulls.offChart, ['squaredHinge']);
});

test('which rows each loss pulls hardest on: the sentences, with the model’s rows by margin', async () => {
  const r = await binaryReport();
  const [prob, logit] = r.models;
  const bars = marginBars(prob.marginHistogram);
  assert.equal(bars.length, 64);
  assert.deepEqual([bars[0].x0, bars[0].x1, bars[63].x1], [-8, -7.75, 8]);
  assert.equal(bars.reduce((a, b) => a + b.count, 0) + prob.marginHistogram.below + prob.marginHistogram.above, r.rows.used);
  // prob: 1203 rows below margin 0 (wrong at 0.5), 99 below −3, 631 at 2 or above (from the histogram).
  assert.equal(rowsBelowMargin(prob.marginHistogram, 0), 1203);
  const text = pullText(prob, 2).map(read);
  assert.deepEqual(text, [
    'Log loss (= BCE) pulls each row by 1 − p(true class), |p − y|: hardest on the confidently wrong rows, up to 1, and it never lets go of them. 1203 rows (40.1%) of prob are wrong at p = 0.5 (margin < 0) and pull at least 0.5 each; 99 rows (3.3%) are confidently wrong (margin < −3, p < 0.05) and pull more than 0.953.',
    'Focal (γ = 2) pulls the wrong rows as hard as log loss or harder — most (1.13) near margin −2.8, p = 0.057 — and lets go of the rows already right: at margin 2 (p = 0.88) it pulls 0.0049, 24.5× less than log loss. The 631 rows (21%) with margin ≥ 2 weigh little in it.',
    'Brier pulls hardest at margin −0.69 (p(true class) = 1/3), by 0.3, and less the more confidently wrong a row is: at margin −3 only 0.086, at −6 0.0049. The 99 rows (3.3%) that log loss pulls hardest, Brier nearly ignores: it gives up on the confidently wrong rows (label errors stay cheap under it).',
  ]);
  assert.deepEqual(pullText(prob, 2)[0][2], { strong: '99 rows (3.3%) are confidently wrong' });
  assert.equal(read(pullText(prob, 0)[1]), 'Focal (γ = 0) is log loss weighted by α_t: it pulls the same rows as hard.');
  const onLogits = pullText(logit, 2).map(read);
  assert.equal(onLogits.length, 5, 'hinge and squared hinge on logits');
  assert.equal(
    onLogits[3],
    'Hinge pulls every row with margin < 1 by exactly 1 and the others not at all: 1845 rows (61.5%) pull, the 1155 with margin ≥ 1 are done (a wrong row pulls no harder than one barely inside the margin).',
  );
  assert.equal(
    onLogits[4],
    'Squared hinge pulls by 2·(1 − margin), without bound: hardest on the most wrong rows, as log loss but growing instead of levelling off — a row at margin −3 pulls 4× as hard as one at margin 0. 91 rows (3%) are below −3.',
  );
  assert.equal(marginBeyond(prob), 'Beyond the chart: 3 rows below margin −8 (p(true class) < 0.00034, confidently wrong) and 2 rows at margin 8 or above (p > 0.9997).');
  assert.equal(marginBeyond({ prediction: 'm', marginHistogram: { ...prob.marginHistogram, below: 0, above: 0 } }), null);
  assert.equal(read(pullText({ prediction: 'm', scores: 'logits', marginHistogram: { min: -8, max: 8, counts: [0], below: 0, above: 0 } }, 2)[0]), 'No rows.');
  assert.ok(marginLossLabel(logit, 2).includes('log loss (= BCE), focal (γ = 2), Brier, hinge, squared hinge'));
  assert.ok(marginPullLabel(prob, 3).startsWith('Pull of one row |∂loss/∂logit| against its margin: log loss (= BCE), focal (γ = 3), Brier'));
});

test('the threshold slider’s sentences: what the tried threshold changes; where the report’s γ comes from', async () => {
  const r = await binaryReport();
  const t = r.models[0].thresholds;
  const at = (T: number) => thresholdAt(t, t.values.indexOf(T));
  assert.equal(
    thresholdMoveText('prob', at(0.3), at(0.5), false),
    'prob at 0.3 instead of 0.5: 479 more rows predicted positive (2251 of 3000); recall 0.757 → 0.879, precision 0.466 → 0.426, F1 0.577 → 0.574, accuracy 0.596 → 0.525.',
  );
  assert.equal(thresholdMoveText('prob', at(0.5), at(0.5), false), 'prob at the threshold in force, 0.5: 1772 of 3000 rows predicted positive.');
  assert.match(thresholdMoveText('prob', at(0.9), at(0.5), true), /^prob at 0\.9 instead of 0\.5: \d+ fewer weight predicted positive/);
  assert.equal(thresholdInForce(0.5, 0.5), '(the threshold in force: the report’s and the setting’s)');
  assert.equal(thresholdInForce(0.5, 0.3), '(in force: 0.5; the summary above shows its numbers)');
  assert.equal(gammaSource(3, 2, true), 'Every focal number of this report is at γ = 3, tried here; the setting lossInspector.focal.gamma is 2.');
  assert.equal(gammaSource(2, 2, false), 'Every focal number of this report is at γ = 2, the setting.');
});

test('ROC, precision–recall and reliability points come from the report, in order', async () => {
  const r = await binaryReport();
  const m = r.models[1];
  const roc = rocPoints(m);
  assert.equal(roc.length, m.roc.fpr.length);
  assert.deepEqual(roc[0], { x: m.roc.fpr[0], y: m.roc.tpr[0] });
  const pr = prPoints(m);
  for (let i = 1; i < pr.length; i++) assert.ok(pr[i].x >= pr[i - 1].x, 'recall increases');
  // The share of positives: 1091 of 3000 (the confusion counts' second row).
  assert.equal(positiveRate(m), 1091 / 3000);
  const rel = reliabilityPoints(m);
  assert.equal(rel.length, m.reliability.length);
  assert.equal(rel[0].gap, Math.abs(m.reliability[0].accuracy - m.reliability[0].confidence));
  const worst = worstCalibrationBin(m);
  assert.ok(worst && rel.every((p) => p.gap * p.rows <= worst.gap * worst.rows));
  assert.equal(worstCalibrationBin({ reliability: [] }), null);
});

test('the confusion matrix with each cell’s share of its true class', async () => {
  const r = await binaryReport();
  const c = confusionCells(r.models[0]);
  assert.deepEqual(c.labels, ['0', '1']);
  // prob at 0.5: [[963, 946], [265, 826]].
  assert.deepEqual(c.rows.map((row) => row.map((x) => x.count)), [[963, 946], [265, 826]]);
  assert.equal(c.rows[0][0].rowShare, 963 / 1909);
  assert.equal(c.rows[1][1].correct, true);
  assert.equal(c.rows[1][0].correct, false);
  assert.equal(confusionCells({ confusion: { labels: ['a', 'b'], counts: [[0, 0], [1, 1]] } }).rows[0][0].rowShare, null);
});

test('the sentences: task, scores, parameters, robustness', async () => {
  const r = await binaryReport();
  assert.equal(read(taskSentence(r)), 'Binary classification of the label “y_true”: classes “0” and “1”, positive class “1”.');
  assert.deepEqual(taskSentence(r)[0], { strong: 'Binary classification' });
  assert.equal(scoresSentence(r), '“prob” read as probabilities, “logit” as logits.');
  assert.equal(paramsLine(r), '3000 of 3000 rows used · threshold 0.5 · focal γ = 2, α = 0.25');
  // prob: the worst 30 rows carry 8.85% of the log loss, the worst 300 38.1%.
  const rob = robustnessSentence(r.models[0], r.rows.used);
  assert.equal(
    read(rob),
    'The worst 1% of rows (30 of 3000) carry 9% of the log loss of “prob”; the worst 10% (300) carry 38%. That is 8.8× an even share: a few confidently wrong rows — often label errors — weigh on the log loss (and on any model trained with it). Each of them adds at least 3.89.',
  );
  assert.deepEqual(rob[0], { strong: 'The worst 1% of rows (30 of 3000) carry 9% of the log loss' });
  const even = robustnessSentence({ prediction: 'm', robustness: { worst1: { rows: 10, share: 0.012, threshold: 1 }, worst10: { rows: 100, share: 0.11, threshold: 0.9 } } }, 1000);
  assert.equal(read(even), 'The worst 1% of rows (10 of 1000) carry 1% of the log loss of “m”; the worst 10% (100) carry 11%. The log loss is spread over many rows: no handful of rows dominates it.');
  const none = robustnessSentence({ prediction: 'm', robustness: { worst1: { rows: 1, share: null, threshold: 0 }, worst10: { rows: 1, share: null, threshold: 0 } } }, 5);
  assert.match(read(none), /is 0 \(or not finite\)/);
  assert.equal(sharePercent(0.004), '0.4%');
  assert.equal(sharePercent(0.38), '38%');
  assert.equal(sharePercent(null), '—');
  assert.equal(confusionCaption({ prediction: 'logit' }, 0.5, 'logits'), 'logit: true class by row, predicted class by column; predicted positive when logit ≥ 0 (p ≥ 0.5).');
  assert.equal(classSettingsNote({ threshold: 0.5, gamma: 2, alpha: 0.25 }, r.params), null);
  assert.equal(classSettingsNote({ threshold: 0.3, gamma: 2, alpha: 0.25 }, r.params), 'The settings now say threshold 0.3 (the report: 0.5). ');
  assert.equal(classSettingsNote({ threshold: 0.5, gamma: 3, alpha: 0.25 }, r.params), 'The settings now say γ = 3 (the report: 2). ');
  assert.equal(classSettingsNote({ threshold: 0.5, gamma: 3, alpha: 0.25, gammaTrial: 2 }, r.params), null, 'a γ tried on the slider is not stale');
  // The γ slider's values: 0 … 5 by 0.1, with the report's and the setting's γ.
  const g = gammaGrid(2, 2);
  assert.equal(g.length, 51);
  assert.deepEqual([g[0], g[20], g[50]], [0, 2, 5]);
  assert.equal(g[3], 0.3);
  const odd = gammaGrid(2.25, 7);
  assert.equal(odd[odd.length - 1], 7);
  assert.ok(odd.includes(2.25) && odd.includes(6.9));
  for (let i = 1; i < odd.length; i++) assert.ok(odd[i] > odd[i - 1]);
});

test('groups worst first: largest loss first, smallest score first', async () => {
  const src = openFileSource(path.join(fixturesDir, 'classification', 'binary.csv'), 'binary.csv');
  let r;
  try {
    r = await analyzeFile(src, { params: { beta: 1, delta: 1 }, topK: 5, bins: 20, columns: { target: 'y_true', predictions: ['prob'], groupBy: 'label' } });
  } finally {
    src.close();
  }
  assert.ok('task' in r && r.task === 'binary' && r.groups);
  const gs = r.groups.groups;
  const byLoss = classGroupOrder(r, 'logLoss', 0);
  const byAcc = classGroupOrder(r, 'accuracy', 0);
  for (let i = 1; i < byLoss.length; i++) assert.ok((gs[byLoss[i - 1]].metrics[0].logLoss ?? 0) >= (gs[byLoss[i]].metrics[0].logLoss ?? 0));
  for (let i = 1; i < byAcc.length; i++) assert.ok((gs[byAcc[i - 1]].metrics[0].accuracy ?? 0) <= (gs[byAcc[i]].metrics[0].accuracy ?? 0));
});

test('the webview protocol accepts the task and score-kind controls and the sliders, and nothing else', () => {
  assert.deepEqual(parseFromWebview({ type: 'setTask', task: 'regression' }), { type: 'setTask', task: 'regression' });
  assert.deepEqual(parseFromWebview({ type: 'setScores', scores: 'logits' }), { type: 'setScores', scores: 'logits' });
  // The sliders: a threshold strictly inside (0, 1), a focal γ ≥ 0 (null: back to the setting).
  assert.deepEqual(parseFromWebview({ type: 'setThreshold', threshold: 0.3 }), { type: 'setThreshold', threshold: 0.3 });
  assert.deepEqual(parseFromWebview({ type: 'tryGamma', gamma: 0 }), { type: 'tryGamma', gamma: 0 });
  assert.deepEqual(parseFromWebview({ type: 'tryGamma', gamma: null }), { type: 'tryGamma', gamma: null });
  assert.deepEqual(parseFromWebview({ type: 'setGamma', gamma: 3.5, extra: 1 }), { type: 'setGamma', gamma: 3.5 });
  for (const m of [
    { type: 'setThreshold', threshold: 0 },
    { type: 'setThreshold', threshold: 1 },
    { type: 'setThreshold', threshold: '0.3' },
    { type: 'setThreshold', threshold: NaN },
    { type: 'tryGamma', gamma: -1 },
    { type: 'tryGamma' },
    { type: 'setGamma', gamma: null },
    { type: 'setGamma', gamma: Infinity },
  ]) {
    assert.equal(parseFromWebview(m), undefined, JSON.stringify(m));
  }
  assert.deepEqual(parseFromWebview({ type: 'setTask', task: 'multiclass' }), { type: 'setTask', task: 'multiclass' });
  for (const m of [{ type: 'setTask', task: 'multiClass' }, { type: 'setTask' }, { type: 'setScores', scores: 1 }, { type: 'setScores', scores: 'prob' }]) {
    assert.equal(parseFromWebview(m), undefined, JSON.stringify(m));
  }
});

test('a classifier’s report: its settings, Markdown summary and HTML export', async () => {
  const r = await binaryReport();
  const s = settingsOfReport(r);
  assert.deepEqual([s.task, s.threshold, s.gamma, s.alpha, s.topRows], ['binary', 0.5, 2, 0.25, 10]);
  const md = classMarkdownSummary(r);
  assert.ok(md.startsWith('| metric | prob | logit |\n| --- | ---: | ---: |\n| log loss | 0.84927 | 0.813957 |\n'), md);
  assert.ok(md.includes('| hinge | — | 1.04702 |'));
  assert.ok(md.includes('positive class 1; scores prob as probabilities, logit as logits; threshold 0.5'));
  const html = standaloneHtml(r, { script: 'void 0', css: '' });
  const data = /<script type="application\/json" id="report-data">(.*?)<\/script>/s.exec(html)?.[1] ?? '';
  const state = JSON.parse(data);
  assert.equal(state.report.task, 'binary');
  assert.equal(state.settings.threshold, 0.5);
});

test('the engine reads a tiny binary file from memory as the webview will show it', async () => {
  const text = 'y,p\n0,0.1\n1,0.8\n0,0.6\n1,0.3\n';
  const r = await analyzeFile(memorySource(new TextEncoder().encode(text), 't.csv'), { params: { beta: 1, delta: 1 }, topK: 2, bins: 20, columns: { target: 'y', predictions: ['p'] } });
  assert.ok('task' in r && r.task === 'binary');
  assert.equal(read(taskSentence(r)), 'Binary classification of the label “y”: classes “0” and “1”, positive class “1”.');
  assert.equal(r.models[0].worst[0].line, 5, 'line 5 (1 given 0.3) is the most confidently wrong');
});
