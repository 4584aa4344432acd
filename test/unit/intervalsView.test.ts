/**
 * The report's display of intervals and comparisons (#15 item 3): the summary cells' tooltip, the
 * "Is the difference real?" sentences in order, the Markdown summary of every family, and the
 * baseline message the webview sends.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { CliArgs, optionsOf, parseArgs } from '../../src/cli/cli';
import { analyzeFile } from '../../src/engine/analyze';
import { openFileSource } from '../../src/engine/source';
import type { FamilyReport } from '../../src/core/families';
import { markdownSummary } from '../../src/core/format';
import { comparisonsMarkdown, markdownCell } from '../../src/core/intervals/markdown';
import type { Comparison } from '../../src/core/intervals/report';
import { comparisonItems, intervalOf, significantCount, timeOrdered } from '../../src/core/intervals/view';
import { comparisonsLead, comparisonSentence, intervalTitle } from '../../src/core/intervals/words';
import { classMarkdownSummary } from '../../src/core/tasks/classification/markdown';
import { CLASS_METRICS } from '../../src/core/tasks/classification/view';
import { METRICS } from '../../src/core/tasks/regression/losses';
import { parseFromWebview } from '../../src/shared/webviewProtocol';
import { repoRoot } from '../helpers/paths';

async function run(file: string, flags: string[] = []): Promise<FamilyReport> {
  const args = parseArgs([path.join(repoRoot, file), ...flags]) as CliArgs;
  const src = openFileSource(path.join(repoRoot, file));
  try {
    return await analyzeFile(src, optionsOf(args));
  } finally {
    src.close();
  }
}

const cmp = (b: string, metric: string, significant: boolean): Comparison => ({ a: 'base', b, metric, difference: significant ? -1 : 0.01, low: significant ? -1.5 : -0.2, high: significant ? -0.5 : 0.22, p: significant ? 1e-6 : 0.5, significant, method: 'paired t' });

test('comparison items: by model, then in the table’s metric order; none when intervals are off', () => {
  const comparisons = [cmp('m2', 'rmse', true), cmp('m1', 'mse', false), cmp('m2', 'mae', false), cmp('m1', 'mae', true)];
  const items = comparisonItems({ confidence: 0.95, comparisons }, METRICS);
  assert.deepEqual(items.map((c) => `${c.model}:${c.metric}`), ['m2:mae', 'm2:rmse', 'm1:mae', 'm1:mse']);
  assert.equal(items[1].text, 'm2 has a lower RMSE than base by 1 [0.5, 1.5], p = 1e-6.');
  assert.equal(items[0].text, 'm2 and base do not differ significantly in MAE at 95% (m2 − base = 0.01 [-0.2, 0.22], p = 0.5).');
  assert.deepEqual(significantCount(items), { significant: 2, total: 4 });
  assert.deepEqual(comparisonItems({ confidence: 0, comparisons }, METRICS), []);
  assert.equal(timeOrdered({ comparisons }), false);
  assert.equal(timeOrdered({ comparisons: [{ ...comparisons[0], method: 'diebold-mariano' }] }), true);
});

test('interval words: the cell tooltip names the method; the lead says the baseline and the test', () => {
  assert.equal(intervalTitle({ low: 1.1, high: 1.674, method: 't' }, 0.95), "95% confidence interval [1.1, 1.674] (Student's t: mean ± t·s/√n)");
  assert.equal(intervalTitle({ low: 0.9, high: 1.2, method: 'order statistics' }, 0.9), '90% confidence interval [0.9, 1.2] (order statistics of |d| (distribution-free))');
  assert.equal(
    comparisonsLead('pred_gbm', 0.95, false),
    'Each model against the baseline pred_gbm, metric by metric: the difference (model − baseline) with its 95% interval and a two-sided p-value from paired tests over the same rows. A difference is called real when p < 0.05.',
  );
  assert.match(comparisonsLead('a', 0.99, true), /Diebold–Mariano tests \(rows in time order\)\. A difference is called real when p < 0\.01\.$/);
  assert.equal(markdownCell(1.388257, { low: 1.102, high: 1.674, method: 't' }), '1.38826 [1.1, 1.67]');
  assert.equal(markdownCell(null, { low: 1, high: 2, method: 't' }), '—');
  assert.equal(markdownCell(55.764, null), '55.764');
});

test('the regression Markdown summary carries each interval and one line per comparison', async () => {
  const r = await run('samples/predictions.csv');
  assert.ok(!('task' in r));
  assert.equal(r.confidence, 0.95);
  const md = markdownSummary(r);
  const mae = r.models.map((m, i) => markdownCell(m.metrics.mae, intervalOf(r, i, 'mae')));
  assert.ok(md.includes(`| MAE | ${mae.join(' | ')} |`), md);
  assert.match(mae[0], /^\d+\.\d+ \[\d+\.\d+, \d+\.\d+\]$/);
  assert.ok(md.includes('| max error | ' + r.models.map((m) => String(m.metrics.maxError)).join(' | ') + ' |'), 'max error has no interval');
  assert.ok(md.includes('\nBrackets: 95% confidence intervals.\n'));
  assert.ok(md.includes('\nIs the difference real? Each model against the baseline pred\\_gbm:\n'), md);
  const bullets = md.split('\n').filter((l) => l.startsWith('- '));
  assert.equal(bullets.length, r.comparisons.length);
  const maeCmp = r.comparisons.find((c) => c.metric === 'mae');
  assert.ok(maeCmp);
  assert.ok(bullets.includes(`- ${comparisonSentence({ ...maeCmp, a: 'pred\\_gbm', b: 'pred\\_linear' }, 'MAE', 0.95)}`), bullets.join('\n'));
  const notSig = r.comparisons.filter((c) => !c.significant).length;
  assert.equal(bullets.filter((l) => l.startsWith('- (not significant) ')).length, notSig);
  // Off: the table as before, nothing after it.
  const off = await run('samples/predictions.csv', ['--confidence', '0']);
  assert.ok(!('task' in off));
  assert.ok(!markdownSummary(off).includes('['));
  assert.deepEqual(comparisonsMarkdown(off, METRICS), []);
});

test('a binary classifier’s Markdown summary: intervals of the means and AUC, the comparisons against --baseline', async () => {
  const r = await run('test/fixtures/intervals/bin-two.csv', ['--target', 'label', '--prediction', 'p_a,p_b', '--baseline', 'p_b']);
  assert.ok('task' in r && r.task === 'binary');
  assert.equal(r.baseline, 'p_b');
  const md = classMarkdownSummary(r);
  const auc = r.models.map((m, i) => markdownCell(m.metrics.rocAuc, intervalOf(r, i, 'rocAuc')));
  assert.ok(md.includes(`| ROC AUC | ${auc.join(' | ')} |`), md);
  assert.match(auc[0], / \[/);
  assert.ok(md.includes('Is the difference real? Each model against the baseline p\\_b:'), md);
  assert.equal(md.split('\n').filter((l) => l.startsWith('- ')).length, r.comparisons.length);
  assert.ok(comparisonItems(r, CLASS_METRICS).every((c) => c.model === 'p_a'));
});

test('the baseline message is validated like the other column names', () => {
  assert.deepEqual(parseFromWebview({ type: 'setBaseline', baseline: 'pred_linear' }), { type: 'setBaseline', baseline: 'pred_linear' });
  assert.deepEqual(parseFromWebview({ type: 'setBaseline', baseline: null }), { type: 'setBaseline', baseline: null });
  for (const m of [{ type: 'setBaseline' }, { type: 'setBaseline', baseline: 3 }, { type: 'setBaseline', baseline: 'x'.repeat(100_001) }]) {
    assert.equal(parseFromWebview(m), undefined, JSON.stringify(m).slice(0, 60));
  }
});
