/** The CLI on training logs (issue #17): the summary, --json's contract, --kind, --smoothing, several runs. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { bundle } from '../helpers/bundle';
import type { AnyLogReport, TrainingLogReport } from '../../src/core/trainingLog/report';
import { classicSmoothing } from '../../src/core/trainingLog/smoothing';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'li-logcli-'));
process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
const cliJs = bundle('cli');

function run(...args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, [cliJs, ...args], { encoding: 'utf8' });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

function write(rel: string, text: string): string {
  const file = path.join(dir, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

const ys = [2.5, 2.1, 1.9, 1.95, 1.6, 9.9, 1.5, 1.45, 1.4, 1.42, 1.3, 1.35];
const keras = write('run1/log.csv', 'epoch,loss,val_loss\n' + ys.map((y, e) => `${e},${y},${e % 2 ? y + 0.1 : ''}`).join('\n') + '\n');

test('the text summary: min and its step and line, last, best validation step, first non-finite, spikes', () => {
  const r = run(keras);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /Training log as Keras' CSVLogger writes it: 2 series against 'epoch'/);
  assert.match(r.out, /\n +loss +1\.3 @ 10 +12 +1\.35 @ 11 +— +1\n/);
  assert.match(r.out, /\n +val_loss +1\.45 @ 11 +13 +1\.45 @ 11 +11 +— +0\n/);
  assert.match(r.out, /\nloss has 1 spike \(a value above 3× the median of the values before it\): 9\.9 at epoch 5 \(line 7\)\.\n/);
});

test('--json: kind trainingLog, series with points, smoothed (TensorBoard at --smoothing), min, last, firstNonFinite, spikes', () => {
  const r = run(keras, '--json', '--smoothing', '0.3', '--spike-k', '2');
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out) as TrainingLogReport;
  assert.equal(j.kind, 'trainingLog');
  assert.deepEqual(j.params, { smoothing: 0.3, spikeK: 2, spikeWindow: 20 });
  const loss = j.series[0];
  assert.equal(loss.name, 'loss');
  assert.equal(loss.x, 'epoch');
  assert.deepEqual(loss.points.x, ys.map((_, e) => e));
  assert.deepEqual(loss.smoothed, classicSmoothing(ys, 0.3));
  assert.deepEqual(loss.min, { value: 1.3, step: 10, line: 12 });
  assert.deepEqual(loss.last, { value: 1.35, step: 11, line: 13 });
  assert.equal(loss.firstNonFinite, null);
  assert.deepEqual(loss.spikes, [{ step: 5, line: 7, value: 9.9, median: 1.95 }]);
});

test('--kind predictions reads a log as predictions (and says what is missing); --kind with another value is bad usage', () => {
  const r = run(keras, '--kind', 'predictions');
  assert.equal(r.code, 1);
  assert.match(r.err, /target/);
  assert.equal(run(keras, '--kind', 'metrics').code, 2);
  assert.equal(run(keras, '--smoothing', '1.5').code, 2);
  const h = run(keras, '--html', path.join(dir, 'x.html'));
  assert.equal(h.code, 1);
  assert.match(h.err, /--html applies to predictions files, and .* is a training log/);
});

test('several logs: one report, a run per file named by its folder', () => {
  const other = write('run2/log.csv', 'epoch,loss\n0,3\n1,2\n');
  const r = run(keras, other, '--json');
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out) as AnyLogReport;
  assert.equal(j.kind, 'trainingLogRuns');
  if (j.kind === 'trainingLogRuns') assert.deepEqual(j.runs.map((x) => x.run), ['run1', 'run2']);
  const t = run(keras, other);
  assert.match(t.out, /^run run1: /);
  assert.match(t.out, /\n\nrun run2: /);
});
