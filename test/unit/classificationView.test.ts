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
  CURVE_X_MIN,
  focalRow,
  hingeRow,
  positiveRate,
  prPoints,
  reliabilityPoints,
  rocPoints,
  rowsBelow,
  trueClassBars,
  trueClassCurves,
  worstCalibrationBin,
} from '../../src/core/tasks/classification/view';
import {
  classSettingsNote,
  confusionCaption,
  paramsLine,
  robustnessSentence,
  scoresSentence,
  sharePercent,
  taskSentence,
  trueClassText,
} from '../../src/core/tasks/classification/words';
import type { Pieces } from '../../src/core/tasks/regression/words';
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

test('loss curves against p(true class): each loss of one row, exactly', () => {
  const set = trueClassCurves({ gamma: 2 }, true, 100);
  assert.deepEqual(set.curves.map((c) => c.key), ['logLoss', 'focal', 'brier', 'hinge']);
  assert.equal(set.xMin, CURVE_X_MIN);
  assert.equal(set.yMax, -Math.log(CURVE_X_MIN));
  const [log, focal, brier, hinge] = set.curves;
  assert.equal(log.points[0].x, CURVE_X_MIN);
  assert.equal(log.points[log.points.length - 1].x, 1);
  for (const c of set.curves) for (let i = 1; i < c.points.length; i++) assert.ok(c.points[i].x > c.points[i - 1].x, `${c.key}: x increases`);
  const at = (c: typeof log, x: number) => c.points.find((p) => Math.abs(p.x - x) < 1e-12)?.y;
  assert.equal(at(log, 0.5), Math.log(2));
  assert.equal(at(focal, 0.5), 0.25 * Math.log(2));
  assert.equal(at(brier, 0.5), 0.25);
  assert.equal(at(hinge, 0.5), 1, 'margin 0: hinge 1');
  assert.equal(at(log, 1), 0);
  assert.equal(at(focal, 1), 0);
  assert.equal(at(hinge, 1), 0);
  // Focal with γ = 0 is the log loss; hinge is 0 from margin 1 (p = σ(1)) on.
  assert.equal(focalRow(0.3, 0), -Math.log(0.3));
  assert.equal(hingeRow(1 / (1 + Math.exp(-1))), 0);
  assert.ok(Math.abs(hingeRow(0.1) - (1 - Math.log(0.1 / 0.9))) < 1e-15);
  assert.deepEqual(trueClassCurves({ gamma: 2 }, false).curves.map((c) => c.key), ['logLoss', 'focal', 'brier'], 'no hinge on probabilities');
  assert.equal(trueClassCurves({ gamma: 0.5 }, false).curves[1].label, 'focal: −(1 − p)^0.5·log p');
});

test('the histogram of p(true class) as bars, and the rows below a probability', async () => {
  const r = await binaryReport();
  const m = r.models[0];
  const bars = trueClassBars(m.trueClassHistogram);
  assert.equal(bars.length, 20);
  assert.equal(bars[0].x0, 0);
  assert.equal(bars[19].x1, 1);
  assert.ok(Math.abs(bars.reduce((a, b) => a + b.share, 0) - 1) < 1e-12);
  assert.equal(bars.reduce((a, b) => a + b.count, 0), r.rows.used);
  assert.equal(rowsBelow(m.trueClassHistogram, 0.5), m.trueClassHistogram.slice(0, 10).reduce((a, b) => a + b, 0));
  assert.equal(rowsBelow([1, 2, 3, 4], 0.5), 3);
  assert.deepEqual(trueClassBars([0, 0]).map((b) => b.share), [0, 0]);
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

test('the sentences: task, scores, parameters, robustness, the true class distribution', async () => {
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
  const below05 = rowsBelow(r.models[0].trueClassHistogram, 0.5);
  const below005 = r.models[0].trueClassHistogram[0];
  const text = read(trueClassText(r.models[0]));
  assert.ok(text.includes(`${((100 * below05) / 3000).toFixed(1)}% of the rows get less than 0.5`), text);
  assert.ok(text.includes(`${below005} rows (${((100 * below005) / 3000).toFixed(1)}%) get less than 0.05: confidently wrong`), text);
  assert.equal(sharePercent(0.004), '0.4%');
  assert.equal(sharePercent(0.38), '38%');
  assert.equal(sharePercent(null), '—');
  assert.equal(confusionCaption({ prediction: 'logit' }, 0.5, 'logits'), 'logit: true class by row, predicted class by column; predicted positive when logit ≥ 0 (p ≥ 0.5).');
  assert.equal(classSettingsNote({ threshold: 0.5, gamma: 2, alpha: 0.25 }, r.params), null);
  assert.equal(classSettingsNote({ threshold: 0.3, gamma: 2, alpha: 0.25 }, r.params), 'The settings now say threshold 0.3 (the report: 0.5). ');
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

test('the webview protocol accepts the task and score-kind controls, and nothing else', () => {
  assert.deepEqual(parseFromWebview({ type: 'setTask', task: 'regression' }), { type: 'setTask', task: 'regression' });
  assert.deepEqual(parseFromWebview({ type: 'setScores', scores: 'logits' }), { type: 'setScores', scores: 'logits' });
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
