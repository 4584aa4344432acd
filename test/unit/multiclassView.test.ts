/**
 * The multiclass report's view-model, sentences and Markdown (src/core/tasks/multiclass/view.ts,
 * words.ts, markdown.ts), and what the webview needs of it: a real report of the scenario-23
 * fixture in (its numbers checked against scikit-learn's, test/fixtures/multiclass/expected.json),
 * the numbers and the exact text a reader sees out.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeFile } from '../../src/engine/analyze';
import { memorySource, openFileSource } from '../../src/engine/source';
import { standaloneHtml } from '../../src/engine/htmlReport';
import { metricRows, reliabilityPoints } from '../../src/core/tasks/classification/view';
import { multiMarkdownSummary } from '../../src/core/tasks/multiclass/markdown';
import type { MulticlassReport } from '../../src/core/tasks/multiclass/report';
import { confusedPairs, MATRIX_MAX_CLASSES, MULTI_CLASS_METRICS, multiConfusionCells, nullReason, offDiagonalShare } from '../../src/core/tasks/multiclass/view';
import {
  confusedPairText,
  confusionIntro,
  multiParamsLine,
  multiReliabilityText,
  multiSettingsNote,
  multiTaskSentence,
  nullNote,
} from '../../src/core/tasks/multiclass/words';
import { MULTI_METRICS } from '../../src/core/tasks/multiclass/text';
import type { Pieces } from '../../src/core/tasks/regression/words';
import { settingsOfReport } from '../../src/shared/webviewProtocol';
import { repoRoot } from '../helpers/paths';

const dir = path.join(repoRoot, 'test', 'fixtures', 'multiclass');
const expected = JSON.parse(fs.readFileSync(path.join(dir, 'expected.json'), 'utf8'));
const read = (p: Pieces) => p.map((x) => (typeof x === 'string' ? x : 'strong' in x ? x.strong : String(x.line))).join('');

async function report(text?: string, extra: Record<string, unknown> = {}): Promise<MulticlassReport> {
  const src = text === undefined ? openFileSource(path.join(dir, 'animals.csv'), 'animals.csv') : memorySource(new TextEncoder().encode(text), 't.csv');
  try {
    const r = await analyzeFile(src, { params: { beta: 1, delta: 1 }, topK: 10, bins: 20, ...extra });
    assert.ok('task' in r && r.task === 'multiclass', 'a multiclass report');
    return r;
  } finally {
    src.close();
  }
}

test('the scenario-23 fixture: the engine detects multiclass and gives scikit-learn’s log loss, accuracy, F1 and confusion', async () => {
  const r = await report();
  assert.deepEqual(r.classes, expected.classes);
  assert.deepEqual([r.rows.total, r.rows.used, r.rows.skipped], [expected.rows.total, expected.rows.used, expected.rows.skipped]);
  assert.deepEqual(r.rows.firstSkippedLines.empty, expected.rows.skippedLines);
  assert.deepEqual(r.models.map((m) => [m.prediction, m.scores]), [['p', 'probabilities'], ['logit', 'logits']]);
  for (const m of r.models) {
    const e = expected.models[m.prediction];
    for (const key of ['logLoss', 'accuracy', 'f1'] as const) {
      const v = m.metrics[key] as number;
      assert.ok(Math.abs(v - e[key]) <= 1e-14 * Math.abs(e[key]), `${m.prediction} ${key}: ${v} vs scikit-learn ${e[key]}`);
    }
    assert.deepEqual(m.confusion.counts, e.confusion, `${m.prediction}: confusion = scikit-learn's`);
    assert.deepEqual(m.perClass.map((c) => c.support), e.support);
  }
});

test('MULTI_CLASS_METRICS lists every metric of the report once, with the CLI’s labels', async () => {
  const r = await report();
  assert.deepEqual(MULTI_CLASS_METRICS.map((d) => d.key).sort(), Object.keys(r.models[0].metrics).sort());
  assert.equal(new Set(MULTI_CLASS_METRICS.map((d) => d.key)).size, MULTI_CLASS_METRICS.length);
  assert.equal(MULTI_METRICS, MULTI_CLASS_METRICS, 'the CLI prints the same list');
  for (const d of MULTI_CLASS_METRICS) assert.ok(d.formula.length > 20, `${d.key} has a formula`);
});

test('the summary rows: the best model per metric, and why a value is “—”', async () => {
  const r = await report();
  const rows = metricRows(r.models, MULTI_CLASS_METRICS, (i, key) => nullReason(r.models[i], key));
  const row = (k: string) => rows.find((x) => x.key === k) ?? assert.fail(k);
  assert.deepEqual(row('logLoss').best, [0], 'p has the lower log loss (0.624 vs 0.844)');
  assert.deepEqual(row('accuracy').best, [0]);
  assert.deepEqual(row('ece').best, [1], 'logit is better calibrated (0.061 vs 0.084)');
  assert.deepEqual(row('hinge').values.map((v) => v === null), [true, false]);
  assert.deepEqual(row('hinge').best, [], 'hinge: only the logit model has one');
  assert.equal(row('hinge').reasons[0], 'the hinge loss needs logits (decision values); these scores are read as probabilities');
  assert.equal(row('hinge').reasons[1], null);
  assert.equal(nullNote('p', 'hinge (Crammer–Singer)', row('hinge').reasons[0] ?? ''), 'hinge (Crammer–Singer) of “p”: — because the hinge loss needs logits (decision values); these scores are read as probabilities.');
  // Default reason (the binary summary's): "not defined for this data".
  assert.equal(metricRows(r.models, MULTI_CLASS_METRICS).find((x) => x.key === 'hinge')?.reasons[0], 'not defined for this data');
});

test('why ROC AUC and cross-entropy are null: a class without a row, a probability of 0', async () => {
  // The only "emu" row weighs 0: the class has no weight, so one vs rest is undefined for it.
  const text = 'label,p_cat,p_dog,p_emu,w\n' + ['cat,0.7,0.2,0.1,1', 'dog,0.2,0.7,0.1,1', 'emu,0.1,0.1,0.8,0', 'cat,0.5,0.4,0.1,2', 'dog,0.1,0.8,0.1,1'].join('\n') + '\n';
  const r = await report(text, { columns: { target: 'label', weight: 'w' } });
  const m = r.models[0];
  assert.deepEqual(r.classes, ['cat', 'dog', 'emu']);
  assert.equal(m.metrics.rocAuc, null);
  assert.equal(nullReason(m, 'rocAuc'), 'one vs rest needs rows in and out of every class: “emu” has no row (or every row)');
  assert.equal(nullReason(m, 'averagePrecision'), nullReason(m, 'rocAuc'));
  assert.equal(nullReason({ ...m, metrics: { ...m.metrics, crossEntropy: null } }, 'crossEntropy'), 'a row gives probability 0 to a class, and log 0 is −∞ (the warnings say how many)');
  assert.equal(nullReason(m, 'logLoss'), null, 'a value: no reason');
});

test('the confusion matrix: cells with their row share, the most confused pairs, the share off the diagonal', async () => {
  const r = await report();
  const m = r.models[0];
  const cells = multiConfusionCells(m);
  assert.deepEqual(cells.labels, ['bird', 'cat', 'dog']);
  assert.equal(cells.rows[1][1].count, 208);
  assert.equal(cells.rows[1][0].rowShare, 42 / 280);
  assert.ok(cells.rows[2][2].correct && !cells.rows[2][0].correct);
  const pairs = confusedPairs(m, 3);
  assert.deepEqual(pairs.map((p) => [p.actual, p.predicted, p.count]), [[1, 0, 42], [1, 2, 30], [2, 1, 22]]);
  assert.equal(confusedPairText(r.classes, pairs[0], false), '“cat” taken for “bird”: 42 rows (15% of “cat”)');
  assert.equal(confusedPairs(m, 100).length, 6, 'every off-diagonal cell with a count');
  // Ties: by true class, then predicted class.
  const tie = confusedPairs({ confusion: { labels: ['a', 'b', 'c'], counts: [[1, 2, 2], [2, 1, 0], [0, 0, 3]] } }, 10);
  assert.deepEqual(tie.map((p) => [p.actual, p.predicted]), [[0, 1], [0, 2], [1, 0]]);
  const off = offDiagonalShare(m) ?? assert.fail('a share');
  assert.ok(Math.abs(off - (1 - expected.models.p.accuracy)) < 1e-15, 'off the diagonal = 1 − accuracy');
  assert.equal(offDiagonalShare({ confusion: { labels: [], counts: [] } }), null);
  assert.equal(confusionIntro(r, r.models), 'Rows off the diagonal (misclassified): “p”: 22.3%, “logit”: 37.9%. The predicted class is the highest score; the darker a cell, the larger its share of the true class (its row). Hover a cell for its count and share.');
  const many = { classes: Array.from({ length: MATRIX_MAX_CLASSES + 1 }, (_, i) => `c${i}`) };
  assert.match(confusionIntro(many, [m]), /^Rows off the diagonal \(misclassified\): 22\.3%\. With 51 classes the matrix would not be readable \(more than 50\): the most confused pairs are listed instead\.$/);
});

test('the sentences: task, parameters, settings changed, calibration', async () => {
  const r = await report();
  assert.equal(read(multiTaskSentence(r)), 'Multiclass classification of the label “label”: 3 classes (“bird”, “cat”, “dog”); the predicted class is the highest score.');
  const many = { ...r, classes: Array.from({ length: 15 }, (_, i) => `k${i}`), weight: 'w' };
  assert.equal(read(multiTaskSentence(many)), 'Multiclass classification of the label “label”: 15 classes (“k0”, “k1”, “k2”, “k3”, “k4”, “k5”, “k6”, “k7”, “k8”, “k9”, “k10”, “k11”, … (3 more)); the predicted class is the highest score, rows weighted by “w”.');
  assert.equal(multiParamsLine(r), '597 of 600 rows used · 3 skipped · focal γ = 2 · cross-entropy label smoothing 0');
  assert.equal(multiSettingsNote({ gamma: 2 }, r.params), null);
  assert.equal(multiSettingsNote({}, r.params), null);
  assert.equal(multiSettingsNote({ gamma: 1 }, r.params), 'The settings now say γ = 1 (the report: 2). ');
  const m = r.models[0];
  const text = read(multiReliabilityText(m));
  assert.ok(text.startsWith('Each point is one of 15 equal bins of the top-class confidence (the highest probability of a row)'), text);
  assert.ok(text.includes(`ECE ${(m.metrics.ece as number).toPrecision(3)}`), text);
  // The bin that adds most to the ECE, in the sentence: p is under-confident around 0.63.
  assert.match(text, /The bin that adds most: rows whose top class gets 0\.6–0\.67 \(mean 0\.634\) are right 80% of the time, more often than it is confident \(under-confident\)\.$/);
  // The reliability points are the report's bins (top-class confidence), each in its bin.
  const pts = reliabilityPoints(m);
  assert.equal(pts.length, m.reliability.length);
  for (const p of pts) assert.ok(p.x > p.lo && p.x <= p.hi && p.y >= 0 && p.y <= 1, JSON.stringify(p));
  assert.equal(pts.reduce((a, p) => a + p.rows, 0), r.rows.used);
});

test('a multiclass report: its settings, Markdown summary and HTML export', async () => {
  const r = await report();
  const s = settingsOfReport(r);
  assert.deepEqual([s.task, s.gamma, s.topRows], ['multiclass', 2, 10]);
  const md = multiMarkdownSummary(r);
  assert.ok(md.startsWith('| metric | p | logit |\n| --- | ---: | ---: |\n| log loss | 0.62411 | 0.844153 |\n'), md);
  assert.ok(md.includes('| hinge (Crammer–Singer) | — | 0.916768 |'), md);
  assert.ok(md.includes('\nMulticlass classification: 597 rows used of 600 in animals.csv; label label, 3 classes (bird, cat, dog); scores p as probabilities, logit as logits; focal γ = 2, label smoothing 0.\n'), md);
  const html = standaloneHtml(r, { script: 'void 0', css: '' });
  const data = /<script type="application\/json" id="report-data">(.*?)<\/script>/s.exec(html)?.[1] ?? '';
  const state = JSON.parse(data);
  assert.equal(state.report.task, 'multiclass');
  assert.deepEqual(state.report.classes, ['bird', 'cat', 'dog']);
  assert.equal(state.settings.task, 'multiclass');
});
