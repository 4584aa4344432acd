/**
 * Training logs (issue #17): each writer's format as its documentation describes it (small files
 * written here: the writers themselves are not installable), TensorBoard's smoothing, spikes,
 * gaps, the end of the run, decimation, and the live tail reading only appended bytes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyzeLog, analyzeLogFiles } from '../../src/engine/trainingLog';
import { LogTail } from '../../src/engine/logTail';
import { openFileSource } from '../../src/engine/source';
import { classicSmoothing, Ema, smoothPoints } from '../../src/core/trainingLog/smoothing';
import { Decimator, MAX_POINTS } from '../../src/core/trainingLog/series';
import type { LogSeriesReport, TrainingLogReport } from '../../src/core/trainingLog/report';
import { logTextReport } from '../../src/core/trainingLog/text';
import { endOfRun } from '../../src/core/trainingLog/build';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'li-log-'));
process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));

function write(rel: string, text: string): string {
  const file = path.join(dir, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

function log(file: string, kind: 'auto' | 'log' | 'predictions' = 'auto', smoothing?: number): TrainingLogReport {
  const src = openFileSource(file, path.basename(file));
  try {
    const r = analyzeLog(src, { kind, ...(smoothing !== undefined ? { smoothing } : {}) });
    assert.ok(r, `${file} is read as a training log`);
    return r;
  } finally {
    src.close();
  }
}

function series(r: TrainingLogReport, name: string): LogSeriesReport {
  const s = r.series.find((x) => x.name === name);
  assert.ok(s, `series ${name} in ${r.series.map((x) => x.name).join(', ')}`);
  return s;
}

/** TensorBoard's classicSmoothing, transcribed from data_transformer.ts for one series of y values. */
function tensorboardReference(ys: number[], smoothingWeight: number): number[] {
  const initialYVal = ys[0];
  if (ys.every((y) => y === initialYVal)) return ys.slice();
  let last = ys.length > 0 ? 0 : NaN;
  let numAccum = 0;
  return ys.map((nextVal) => {
    if (!Number.isFinite(nextVal)) return nextVal;
    last = last * smoothingWeight + (1 - smoothingWeight) * nextVal;
    numAccum++;
    const debiasWeight = smoothingWeight === 1 ? 1 : 1 - Math.pow(smoothingWeight, numAccum);
    return last / debiasWeight;
  });
}

test("PyTorch Lightning's CSVLogger metrics.csv: sparse rows, NaN, the epoch-level training loss paired with val_loss", () => {
  const file = write(
    'lightning_logs/version_3/metrics.csv',
    [
      'epoch,step,train_loss_epoch,train_loss_step,val_acc,val_loss',
      '0,49,,0.6931471824645996,,',
      '0,99,,0.6012,,',
      '0,99,,,0.61,0.58',
      '0,99,0.65,,,',
      '1,149,,0.5,,',
      '1,199,,nan,,',
      '1,199,,,0.7,0.52',
      '1,199,0.48,,,',
      '',
    ].join('\n'),
  );
  const r = log(file);
  assert.equal(r.writer, 'lightning');
  assert.equal(r.run, 'version_3');
  assert.deepEqual(r.x, { column: 'step', kind: 'step' });
  assert.deepEqual(series(r, 'train_loss_step').min, { value: 0.5, step: 149, line: 6 });
  assert.deepEqual(series(r, 'train_loss_step').firstNonFinite, { step: 199, line: 7, value: 'NaN' });
  assert.deepEqual(series(r, 'train_loss_step').last, { value: 0.5, step: 149, line: 6 });
  assert.deepEqual(series(r, 'val_loss').best, { value: 0.52, step: 199, line: 8 });
  assert.deepEqual(series(r, 'val_acc').best, { value: 0.7, step: 199, line: 8 });
  assert.equal(series(r, 'val_loss').values, 2);
  assert.equal(r.gaps.length, 1);
  assert.equal(r.gaps[0].train, 'train_loss_epoch');
  assert.deepEqual(r.gaps[0].points.x, [99, 199]);
  assert.ok(Math.abs((r.gaps[0].points.gap[0] as number) - (0.58 - 0.65)) < 1e-15);
  assert.deepEqual(r.gaps[0].last, { step: 199, value: 0.52 - 0.48 });
  assert.equal(r.end?.verdict, 'diverged');
  assert.deepEqual(
    r.charts.map((c) => [c.title, c.series]),
    [
      ['loss', ['train_loss_epoch', 'train_loss_step', 'val_loss']],
      ['Metrics', ['val_acc']],
    ],
  );
  const text = logTextReport(r);
  assert.match(text, /Training diverged at step 199: train_loss_step is NaN there \(line 7\)\./);
  assert.match(text, /Training log as PyTorch Lightning's CSVLogger writes it/);
  assert.match(text, /--kind predictions/);
});

test("Keras' CSVLogger: epoch numbers as written (from 0), val_loss's best epoch, overfitting at the end", () => {
  const rows = ['epoch,accuracy,loss,val_accuracy,val_loss'];
  for (let e = 0; e < 30; e++) {
    const loss = 1 / (1 + e);
    const val = 0.5 + Math.abs(e - 15) * 0.02; // best at epoch 15, rising after
    rows.push(`${e},${(0.5 + e / 100).toFixed(4)},${loss},${(0.5 + e / 120).toFixed(4)},${val}`);
  }
  const r = log(write('keras/training.log.csv', rows.join('\r\n') + '\r\n'));
  assert.equal(r.writer, 'keras');
  assert.deepEqual(r.x, { column: 'epoch', kind: 'epoch' });
  assert.deepEqual(series(r, 'val_loss').best, { value: 0.5, step: 15, line: 17 });
  assert.deepEqual(series(r, 'loss').min, { value: 1 / 30, step: 29, line: 31 });
  assert.equal(series(r, 'loss').phase, 'train');
  assert.equal(series(r, 'val_loss').phase, 'val');
  assert.equal(r.gaps[0].train, 'loss');
  assert.deepEqual(r.gaps[0].atBest, { step: 15, value: 0.5 - 1 / 16 });
  assert.equal(r.end?.verdict, 'overfitting');
  assert.equal(r.end?.series, 'val_loss');
  assert.equal(r.end?.train, 'loss');
});

const HF_STATE = `{
  "best_global_step": null,
  "best_metric": null,
  "best_model_checkpoint": null,
  "epoch": 2.0,
  "eval_steps": 10,
  "global_step": 20,
  "is_hyper_param_search": false,
  "is_local_process_zero": true,
  "is_world_process_zero": true,
  "log_history": [
    {
      "epoch": 0.5,
      "grad_norm": 3.2101,
      "learning_rate": 4.5e-05,
      "loss": 2.3141,
      "step": 5
    },
    {
      "epoch": 1.0,
      "grad_norm": 2.9,
      "learning_rate": 3.5e-05,
      "loss": 1.9,
      "step": 10
    },
    {
      "epoch": 1.0,
      "eval_accuracy": 0.41,
      "eval_loss": 1.7734,
      "eval_runtime": 0.5123,
      "eval_samples_per_second": 195.2,
      "eval_steps_per_second": 13.66,
      "step": 10
    },
    {
      "epoch": 1.5,
      "grad_norm": NaN,
      "learning_rate": 2.5e-05,
      "loss": NaN,
      "step": 15
    },
    {
      "epoch": 2.0,
      "eval_accuracy": 0.45,
      "eval_loss": 1.6502,
      "eval_runtime": 0.5,
      "eval_samples_per_second": 200.0,
      "eval_steps_per_second": 14.0,
      "step": 20
    },
    {
      "epoch": 2.0,
      "step": 20,
      "total_flos": 2616270766080.0,
      "train_loss": 2.05,
      "train_runtime": 12.34,
      "train_samples_per_second": 12.96,
      "train_steps_per_second": 1.62
    }
  ],
  "logging_steps": 5,
  "max_steps": 20,
  "num_input_tokens_seen": 0,
  "num_train_epochs": 2,
  "save_steps": 500,
  "stateful_callbacks": {
    "TrainerControl": {
      "args": {
        "should_epoch_stop": false,
        "should_evaluate": false,
        "should_log": false,
        "should_save": true,
        "should_training_stop": true
      },
      "attributes": {}
    }
  },
  "total_flos": 2616270766080.0,
  "train_batch_size": 8,
  "trial_name": null,
  "trial_params": null
}
`;

test("Hugging Face Trainer's trainer_state.json: log_history's keys from every record, lines where each record starts", () => {
  const r = log(write('out/checkpoint-20/trainer_state.json', HF_STATE));
  assert.equal(r.writer, 'huggingface');
  assert.equal(r.run, 'checkpoint-20');
  assert.deepEqual(r.x, { column: 'step', kind: 'step' });
  assert.deepEqual(
    r.series.map((s) => [s.name, s.role, s.phase]),
    [
      ['grad_norm', 'other', 'train'],
      ['learning_rate', 'lr', 'train'],
      ['loss', 'loss', 'train'],
      ['eval_accuracy', 'metric', 'val'],
      ['eval_loss', 'loss', 'val'],
    ],
  );
  assert.deepEqual(series(r, 'loss').min, { value: 1.9, step: 10, line: 19 });
  assert.deepEqual(series(r, 'loss').firstNonFinite, { step: 15, line: 35, value: 'NaN' });
  assert.deepEqual(series(r, 'eval_loss').best, { value: 1.6502, step: 20, line: 42 });
  assert.deepEqual(series(r, 'eval_loss').last, { value: 1.6502, step: 20, line: 42 });
  assert.equal(HF_STATE.split('\n')[41].trim(), '{', 'line 42 opens the record');
  assert.deepEqual(r.gaps[0].points.x, [10, 20]);
  // Step 20's training value is the latest before it: step 15's NaN is no value to pair.
  assert.ok(Math.abs((r.gaps[0].points.gap[0] as number) - (1.7734 - 1.9)) < 1e-15);
  assert.equal(r.rows.used, 6);
});

test("Ultralytics YOLO's results.csv: names padded to 23 characters are trimmed, values too", () => {
  const keys = ['train/box_loss', 'train/cls_loss', 'train/dfl_loss', 'metrics/precision(B)', 'metrics/recall(B)', 'metrics/mAP50(B)', 'metrics/mAP50-95(B)', 'val/box_loss', 'val/cls_loss', 'val/dfl_loss', 'lr/pg0', 'lr/pg1', 'lr/pg2'];
  const p = (s: string | number) => (typeof s === 'number' ? formatG5(s) : s).padStart(23);
  const lines = [['epoch', ...keys].map(p).join(',')];
  for (let e = 1; e <= 10; e++) {
    const v = [1.5 - e * 0.05, 2.5 - e * 0.1, 1.2 - e * 0.01, 0.3 + e * 0.05, 0.2 + e * 0.04, 0.25 + e * 0.05, 0.1 + e * 0.03, e === 7 ? 1.0 : 1.4 - e * 0.02, 2.0 - e * 0.05, 1.3 - e * 0.01, 0.0033, 0.0033, 0.07];
    lines.push([e, ...v].map(p).join(','));
  }
  const r = log(write('runs/detect/train7/results.csv', lines.join('\n') + '\n'));
  assert.equal(r.writer, 'yolo');
  assert.equal(r.run, 'train7');
  assert.deepEqual(r.x, { column: 'epoch', kind: 'epoch' });
  assert.deepEqual(series(r, 'val/box_loss').best, { value: 1.0, step: 7, line: 8 });
  assert.deepEqual(series(r, 'train/box_loss').last, { value: 1, step: 10, line: 11 });
  assert.deepEqual(
    r.charts.map((c) => c.title),
    ['box_loss', 'cls_loss', 'dfl_loss', 'Metrics', 'Learning rate'],
  );
  assert.deepEqual(r.gaps.map((g) => `${g.val}−${g.train}`), ['val/box_loss−train/box_loss', 'val/cls_loss−train/cls_loss', 'val/dfl_loss−train/dfl_loss']);
});

/** Python's '%.5g'. */
function formatG5(x: number): string {
  const s = x.toPrecision(5);
  return s.includes('e') ? s : s.replace(/\.?0+$/, '');
}

test("TensorBoard's scalar CSV export (Wall time,Step,Value): the series is named after the file's tag", () => {
  const rows = ['Wall time,Step,Value'];
  for (let i = 0; i < 12; i++) rows.push(`${1617000000.5 + i * 3.25},${i * 100},${i === 4 ? 'inf' : 1 / (i + 1)}`);
  const r = log(write('exports/run-version_0-tag-train_loss.csv', rows.join('\n') + '\n'));
  assert.equal(r.writer, 'tensorboard');
  assert.deepEqual(r.x, { column: 'Step', kind: 'step' });
  assert.deepEqual(r.series.map((s) => s.name), ['train_loss']);
  const s = series(r, 'train_loss');
  assert.deepEqual(s.firstNonFinite, { step: 400, line: 6, value: 'Infinity' });
  assert.deepEqual(s.min, { value: 1 / 12, step: 1100, line: 13 });
});

test("Weights & Biases' CSV export: quoted cells, empty ones, the __MIN/__MAX columns left out, the run kept", () => {
  const r = log(
    write(
      'wandb/export.csv',
      [
        '"Step","crimson-sun-12 - loss","crimson-sun-12 - loss__MIN","crimson-sun-12 - loss__MAX","crimson-sun-12 - val_loss","crimson-sun-12 - val_loss__MIN","crimson-sun-12 - val_loss__MAX"',
        '"0","0.9","0.9","0.9","",""," "',
        '"50","0.7","0.69","0.71","0.8","0.8","0.8"',
        '"100","0.5","0.5","0.5","",""," "',
        '"150","0.45","0.45","0.45","0.75","0.75","0.75"',
        '',
      ].join('\n'),
    ),
  );
  assert.equal(r.writer, 'wandb');
  assert.deepEqual(r.series.map((s) => [s.name, s.run, s.quantity, s.phase]), [
    ['crimson-sun-12 - loss', 'crimson-sun-12', 'loss', 'train'],
    ['crimson-sun-12 - val_loss', 'crimson-sun-12', 'loss', 'val'],
  ]);
  assert.deepEqual(series(r, 'crimson-sun-12 - val_loss').best, { value: 0.75, step: 150, line: 5 });
  assert.deepEqual(r.gaps[0].points.x, [50, 150]);
});

test('a hand-written loop: step,train_loss,val_loss with text, a step missing and infinities counted, not fatal', () => {
  const r = log(write('mine/log.csv', 'step,train_loss,val_loss\n1,2.0,\n2,1.5,1.9\n,1.2,\n4,oops,\n5,-inf,1.7\n6,1.1,\n'));
  assert.equal(r.writer, 'generic');
  assert.equal(r.rows.total, 6);
  assert.equal(r.rows.used, 5);
  assert.deepEqual(r.rows.firstSkippedLines, { empty: [4] });
  assert.deepEqual(series(r, 'train_loss').firstNonFinite, { step: 5, line: 6, value: 'Infinity' });
  assert.equal(series(r, 'train_loss').textValues, 1);
  assert.match(r.warnings.join(' '), /1 value of 'train_loss' is text that is not a number \(first on line 5\); it is left out\./);
  assert.deepEqual(series(r, 'train_loss').last, { value: 1.1, step: 6, line: 7 });
});

test('the auto rule: a predictions file stays one; --kind log reads any file as a log, by record without an x column', () => {
  const pred = write('p/predictions.csv', 'step,y_true,y_pred\n1,1,1.5\n2,2,2.5\n');
  const src = openFileSource(pred, 'predictions.csv');
  try {
    assert.equal(analyzeLog(src, { kind: 'auto' }), undefined);
    assert.equal(analyzeLog(src, { kind: 'predictions' }), undefined);
  } finally {
    src.close();
  }
  const bare = log(write('p/bare.csv', 'a,b\n3,4\n5,6\n'), 'log');
  assert.deepEqual(bare.x, { column: null, kind: 'index' });
  assert.deepEqual(series(bare, 'a').min, { value: 3, step: 1, line: 2 });
  const jsonl = log(write('p/log.jsonl', '{"iteration": 10, "loss": 1.5}\n{"iteration": 20, "loss": 1.25, "val_loss": 1.4}\n'));
  assert.deepEqual(series(jsonl, 'val_loss').best, { value: 1.4, step: 20, line: 2 });
});

test("TensorBoard's smoothing: classicSmoothing's formula to the last bit, constant series and non-finite points pass through", () => {
  // By hand: last = 0.4, 1.04, 1.824; debiased by 1 − 0.6ⁿ = 0.4, 0.64, 0.784.
  const hand = [1, 1.625, 1.824 / 0.784];
  classicSmoothing([1, 2, 3], 0.6).forEach((v, i) => assert.ok(Math.abs(v - hand[i]) <= 1e-15 * hand[i]));
  const ys: number[] = [];
  let seed = 7;
  for (let i = 0; i < 5000; i++) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    ys.push(i % 997 === 5 ? NaN : i === 1234 ? Infinity : Math.exp(-i / 1000) + (seed / 2147483648) * 0.1);
  }
  for (const w of [0, 0.6, 0.9, 0.999, 1]) {
    const ref = tensorboardReference(ys, w);
    const got = classicSmoothing(ys, w);
    for (let i = 0; i < ys.length; i++) {
      if (!Number.isFinite(ref[i])) assert.equal(String(got[i]), String(ref[i]));
      else assert.ok(Math.abs(got[i] - ref[i]) <= 1e-12 * Math.abs(ref[i]), `w=${w} i=${i}`);
    }
    // The streaming form and the slider's form (one value per point) are the same numbers.
    const ema = new Ema(w);
    const streamed = ys.map((y) => ema.next(y));
    assert.deepEqual(streamed.map(String), ref.map(String));
    const slider = smoothPoints(
      ys.map((y) => (Number.isFinite(y) ? y : null)),
      ys.map(() => 1),
      w,
    );
    ys.forEach((y, i) => Number.isFinite(y) && assert.equal(slider[i], ref[i]));
  }
  assert.deepEqual(classicSmoothing([2, 2, 2], 0.6), [2, 2, 2]);
  assert.deepEqual(classicSmoothing([1, 2], 7), [0, 0], "the weight is clamped to 1, where TensorBoard's average stays at 0");
  assert.deepEqual(classicSmoothing([1, 2], NaN), [1, 2], 'a weight that is not a number is 0: no smoothing');
});

test('the report smooths over every value of the file, and shows the same numbers at its points', () => {
  const rows = ['step,loss'];
  const ys: number[] = [];
  for (let i = 0; i < 500; i++) {
    const y = 2 / (1 + i / 50) + (i % 7) * 0.01;
    ys.push(y);
    rows.push(`${i * 10},${y}`);
  }
  const r = log(write('smooth/log.csv', rows.join('\n') + '\n'), 'auto', 0.9);
  const s = series(r, 'loss');
  assert.deepEqual(s.smoothed, tensorboardReference(ys, 0.9));
  assert.deepEqual(s.points.x, ys.map((_, i) => i * 10));
});

test('decimation: at most 2000 points whose min/max envelope holds every value, in bounded buckets', () => {
  const d = new Decimator();
  let lo = Infinity;
  let hi = -Infinity;
  const n = 1_234_567;
  for (let i = 0; i < n; i++) {
    const y = Math.sin(i / 1000) + (i === 777_777 ? 50 : 0);
    lo = Math.min(lo, y);
    hi = Math.max(hi, y);
    d.add(i, y, y, i + 2);
  }
  const r = d.result();
  assert.ok(r.x.length <= MAX_POINTS && r.x.length > MAX_POINTS / 2, `${r.x.length} points`);
  assert.equal(r.count.reduce((a, b) => a + b, 0), n);
  assert.equal(Math.max(...(r.max as number[])), hi);
  assert.equal(Math.min(...(r.min as number[])), lo);
  assert.equal(r.x[r.x.length - 1], n - 1);
  assert.equal(r.line[r.line.length - 1], n + 1);
});

test('spikes: a value above k× the median of the 20 before it, with its step and line', () => {
  const rows = ['step,loss'];
  for (let i = 1; i <= 60; i++) rows.push(`${i},${i === 30 ? 3.5 : i === 45 ? 2.5 : 1 + (i % 3) * 0.01}`);
  const r = log(write('spikes/log.csv', rows.join('\n') + '\n'));
  const s = series(r, 'loss');
  assert.equal(s.spikeCount, 1);
  assert.deepEqual(
    s.spikes.map((p) => [p.step, p.line, p.value]),
    [[30, 31, 3.5]],
  );
});

test('the end of the run: still improving, plateau', () => {
  const make = (f: (i: number) => number) =>
    ({ name: 'loss', role: 'loss', phase: 'train', quantity: 'loss', finite: 100, firstNonFinite: null, points: { x: Array.from({ length: 100 }, (_, i) => i), mean: Array.from({ length: 100 }, (_, i) => f(i)), count: Array.from({ length: 100 }, () => 1) } }) as unknown as LogSeriesReport;
  assert.equal(endOfRun([make((i) => 1 / (1 + i))])?.verdict, 'improving');
  assert.equal(endOfRun([make((i) => 0.5 + 1e-5 * Math.sin(i))])?.verdict, 'plateau');
  assert.equal(endOfRun([make((i) => 0.5 + i * 0.01)])?.verdict, 'rising');
  // Noise around a falling trend: the fit sees the trend (0.5 ± 0.05 noise, falling 0.002 per step).
  assert.equal(endOfRun([make((i) => 0.5 - 0.002 * i + ((i * 7919) % 11) * 0.01)])?.verdict, 'improving');
});

test('several files: one report, a run per file named by its folder', () => {
  const a = write('multi/version_0/metrics.csv', 'epoch,step,train_loss_step\n0,10,1.0\n0,20,0.8\n');
  const b = write('multi/version_1/metrics.csv', 'epoch,step,train_loss_step\n0,10,0.9\n0,20,0.6\n');
  const r = analyzeLogFiles(
    [
      { path: a, name: 'a' },
      { path: b, name: 'b' },
    ],
    {},
  );
  assert.equal(r.kind, 'trainingLogRuns');
  if (r.kind !== 'trainingLogRuns') return;
  assert.deepEqual(r.runs.map((x) => x.run), ['version_0', 'version_1']);
  assert.deepEqual(r.runs.map((x) => x.series[0].min?.value), [0.8, 0.6]);
  const p = write('multi/p.csv', 'y_true,y_pred\n1,2\n');
  assert.throws(() => analyzeLogFiles([{ path: a, name: 'a' }, { path: p, name: 'p.csv' }], {}), /'p\.csv' is not a training log/);
});

test('the live tail reads only the appended bytes, waits for an incomplete line, and gives the numbers of a full read', () => {
  const file = write('live/version_0/metrics.csv', 'step,train_loss,val_loss\n');
  const lines: string[] = [];
  const append = (s: string) => fs.appendFileSync(file, s);
  for (let i = 1; i <= 100; i++) lines.push(`${i},${1 / i},${i % 10 === 0 ? 2 / i : ''}\n`);
  append(lines.join(''));
  const tail = new LogTail([{ path: file, name: 'metrics.csv' }], {});
  const before = fs.statSync(file).size;
  assert.equal(tail.stats.bytesRead, before);
  assert.equal(tail.poll(), false, 'nothing new');
  let more = '';
  for (let i = 101; i <= 150; i++) more += `${i},${1 / i},${i % 10 === 0 ? 2 / i : ''}\n`;
  append(more + '151,0.0066');
  assert.equal(tail.poll(), true);
  assert.equal(tail.stats.bytesRead, before + more.length + '151,0.0066'.length, 'only the appended bytes were read');
  let r = tail.report() as TrainingLogReport;
  assert.equal(series(r, 'train_loss').values, 150, 'the incomplete line waits');
  append('23,\n');
  tail.poll();
  r = tail.report() as TrainingLogReport;
  assert.equal(series(r, 'train_loss').values, 151);
  assert.deepEqual(series(r, 'train_loss').last, { value: 0.006623, step: 151, line: 152 });
  const full = log(file);
  assert.deepEqual(r.series, full.series);
  assert.deepEqual(r.gaps, full.gaps);
  assert.equal(tail.stats.rereads, 0);
  // Lightning rewrites the file with a new header when a metric appears: read again from the start.
  fs.writeFileSync(file, 'step,lr,train_loss,val_loss\n1,0.1,0.9,\n');
  assert.equal(tail.poll(), true);
  assert.equal(tail.stats.rereads, 1);
  r = tail.report() as TrainingLogReport;
  assert.deepEqual(series(r, 'train_loss').last, { value: 0.9, step: 1, line: 2 });
});
