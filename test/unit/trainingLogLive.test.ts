/**
 * The live report of a training log (#17): the worker the extension starts follows the file while
 * a writer appends to it, and posts a report with the new points (it polls; the test waits for
 * its messages, never for a time).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { workerBundle } from '../helpers/bundle';
import type { FollowLogRequest, FromLogWorker } from '../../src/shared/logProtocol';
import type { TrainingLogReport } from '../../src/core/trainingLog/report';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'li-live-'));
process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));

test('the followed log gets the appended points, and a predictions file is answered notLog', async () => {
  const { workerScript } = workerBundle();
  const file = path.join(dir, 'version_0', 'metrics.csv');
  fs.mkdirSync(path.dirname(file));
  fs.writeFileSync(file, 'epoch,step,train_loss_step\n0,1,2.0\n0,2,1.8\n');
  const worker = new Worker(workerScript);
  const reports: TrainingLogReport[] = [];
  let wake: (() => void) | undefined;
  worker.on('message', (m: FromLogWorker) => {
    if (m.type === 'logReport' && m.report.kind === 'trainingLog') reports.push(m.report);
    wake?.();
  });
  const next = (n: number) =>
    new Promise<void>((resolve) => {
      const check = () => (reports.length >= n ? resolve() : undefined);
      wake = check;
      check();
    });
  try {
    const req: FollowLogRequest = { type: 'followLog', files: [{ path: file, name: 'metrics.csv' }], settings: { kind: 'auto', smoothing: 0.6, spikeK: 3 }, live: true };
    worker.postMessage(req);
    await next(1);
    assert.equal(reports[0].run, 'version_0');
    assert.equal(reports[0].series[0].values, 2);
    // The writer appends while the report is open (a record, then half of one, then its end).
    fs.appendFileSync(file, '0,3,1.5\n0,4,1.');
    await next(2);
    assert.equal(reports[1].series[0].values, 3);
    fs.appendFileSync(file, '25\n');
    await next(3);
    assert.deepEqual(reports[2].series[0].last, { value: 1.25, step: 4, line: 5 });
    assert.deepEqual(reports[2].series[0].min, { value: 1.25, step: 4, line: 5 });
  } finally {
    await worker.terminate();
  }
  const pred = path.join(dir, 'p.csv');
  fs.writeFileSync(pred, 'y_true,y_pred\n1,2\n');
  const w2 = new Worker(workerScript);
  try {
    const answer = await new Promise<FromLogWorker>((resolve) => {
      w2.once('message', resolve);
      w2.postMessage({ type: 'followLog', files: [{ path: pred, name: 'p.csv' }], settings: { kind: 'auto', smoothing: 0.6, spikeK: 3 }, live: true } satisfies FollowLogRequest);
    });
    assert.equal(answer.type, 'notLog');
  } finally {
    await w2.terminate();
  }
});
