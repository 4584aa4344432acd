/**
 * A binary label with one score column per class (scikit-learn's predict_proba written as
 * proba_0, proba_1): not read as two models, nor guessed; a sentence names the positive class's
 * column, and following it gives the binary report.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyzeFile } from '../../src/engine/analyze';
import { openFileSource } from '../../src/engine/source';
import { LossInspectorError } from '../../src/core/errors';
import { opts } from '../helpers/run';

async function run(text: string, predictions?: string[], positive?: string, name = 'p.csv') {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'li-pairs-'));
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  const src = openFileSource(file);
  try {
    return await analyzeFile(src, { ...opts({ columns: predictions ? { predictions } : {} }), ...(positive ? { classification: { positive } } : {}) });
  } finally {
    src.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const rows = ['label,proba_0,proba_1', '0,0.8,0.2', '1,0.3,0.7', '1,0.45,0.55', '0,0.6,0.4'].join('\n') + '\n';

test('predict_proba columns of a binary label: a sentence naming the positive class column, then --prediction works', async () => {
  await assert.rejects(run(rows), (e: unknown) => {
    assert.ok(e instanceof LossInspectorError && e.code === 'noPrediction');
    assert.match(e.message, /one score column per class \("proba_0" and "proba_1"\).*positive class "1"\. Name it with --prediction proba_1/);
    return true;
  });
  const r = await run(rows, ['proba_1']);
  assert.ok('task' in r && r.task === 'binary');
  assert.equal(r.models[0].metrics.accuracy, 1);
});

test('string labels: the positive class is the one --positive names (or the greater), and its column is the one named', async () => {
  const text = ['label,p_ham,p_spam', 'ham,0.9,0.1', 'spam,0.2,0.8'].join('\n') + '\n';
  await assert.rejects(run(text), /positive class "spam"\. Name it with --prediction p_spam/);
  await assert.rejects(run(text, undefined, 'ham'), /positive class "ham"\. Name it with --prediction p_ham/);
});

test('JSON Lines with a two-score array per row and a 0/1 label: a sentence that says what to write, not “name them with --prediction”', async () => {
  const text = ['{"label":0,"probs":[0.8,0.2]}', '{"label":1,"probs":[0.3,0.7]}', '{"label":1,"probs":[0.4,0.6]}'].join('\n') + '\n';
  await assert.rejects(run(text, undefined, undefined, 'p.jsonl'), (e: unknown) => {
    assert.ok(e instanceof LossInspectorError && e.code === 'noPrediction');
    assert.match(e.message, /array of two per row \("probs" on line 1\).*write the positive class's probability as a field of its own/);
    return true;
  });
});
