import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { analyzeInWorker, CancellationSignal, inspectInWorker } from '../../src/extension/workerClient';
import { LossInspectorError } from '../../src/core/errors';
import { analyzeFile } from '../../src/engine/analyze';
import { openFileSource } from '../../src/engine/source';
import { bundle } from '../helpers/bundle';
import { repoRoot } from '../helpers/paths';

// Cancellation reaches a worker job by callback (the token's onCancellationRequested), not by
// polling a flag.
const workerScript = bundle('worker');
const seed = path.join(repoRoot, 'test/fixtures/seed.csv');
const source = { kind: 'path' as const, path: seed, name: 'seed.csv' };
const settings = { columns: {}, beta: 1, delta: 1, quantile: 0.5, topK: 10, bins: 50, task: 'auto', classification: { scores: 'auto', threshold: 0.5, gamma: 2, alpha: 0.25 } } as const;

/** A minimal token source, as vscode.CancellationTokenSource behaves. */
function tokenSource() {
  const listeners = new Set<() => void>();
  let cancelled = false;
  const token: CancellationSignal = {
    get isCancellationRequested() {
      return cancelled;
    },
    onCancellationRequested(f) {
      listeners.add(f);
      return { dispose: () => listeners.delete(f) };
    },
  };
  return {
    token,
    listeners,
    cancel() {
      cancelled = true;
      for (const f of [...listeners]) f();
    },
  };
}

const isCancelled = (e: unknown) => e instanceof LossInspectorError && e.code === 'cancelled';

test('cancelling the token terminates the job at once', async () => {
  const cts = tokenSource();
  const job = analyzeInWorker(workerScript, source, settings, () => undefined, cts.token);
  assert.equal(cts.listeners.size, 1);
  cts.cancel();
  await assert.rejects(job.result, isCancelled);
  await job.exited;
  assert.equal(cts.listeners.size, 0, 'the listener is removed once the job has settled');
});

test('a token cancelled before the job starts cancels it; a finished job lets go of its token', async () => {
  const before = tokenSource();
  before.cancel();
  const job = inspectInWorker(workerScript, source, before.token);
  await assert.rejects(job.result, isCancelled);
  await job.exited;

  const cts = tokenSource();
  const done = inspectInWorker(workerScript, source, cts.token);
  const { info } = await done.result;
  assert.deepEqual(info.columns, ['y_pred', 'y_true']);
  assert.equal(cts.listeners.size, 0);
  cts.cancel(); // after the result: nothing to cancel, nothing thrown
  await done.exited;
});

test('the extension\'s worker gives a multiclass file its multiclass report, the CLI\'s numbers (#13)', async () => {
  const multi = path.join(repoRoot, 'test/fixtures/classification/multiclass.csv');
  const cts = tokenSource();
  const job = analyzeInWorker(workerScript, { kind: 'path', path: multi, name: 'multiclass.csv' }, { ...settings, columns: { target: 'label' } }, () => undefined, cts.token);
  const report = await job.result;
  await job.exited;
  assert.ok('task' in report && report.task === 'multiclass', 'a multiclass report');
  assert.deepEqual(report.classes, ['ant', 'bee', 'cat', 'dog', 'eel']);
  assert.deepEqual(report.models.map((m) => [m.prediction, m.scores]), [['proba', 'probabilities']], 'the proba_<class> columns (the logit_<i> ones are by index, not by the labels)');
  // The same file through the engine on this thread (what the CLI prints): the same report.
  const src = openFileSource(multi, 'multiclass.csv');
  try {
    const direct = await analyzeFile(src, { columns: { target: 'label' }, params: { beta: 1, delta: 1, quantile: 0.5 }, topK: 10, bins: 50, task: 'auto', classification: { scores: 'auto', binary: { threshold: 0.5, gamma: 2, alpha: 0.25 } }, intervals: { confidence: 0.95 } });
    assert.deepEqual(report, direct);
  } finally {
    src.close();
  }
  // The host asks which family the file gets (to pick its columns): multiclass.
  const inspected = await inspectInWorker(workerScript, { kind: 'path', path: multi, name: 'multiclass.csv' }, cts.token, { choice: 'auto', columns: { target: 'label' } }).result;
  assert.equal(inspected.task, 'multiclass');
});
