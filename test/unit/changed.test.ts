import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyze, ScanStats } from '../../src/engine/analyze';
import { openFileSource } from '../../src/engine/source';
import { workerBundle } from '../helpers/bundle';
import { opts } from '../helpers/run';

const worker = workerBundle();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'li-changed-'));
process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));

/** A CSV of n rows whose every |d| is `err` (so MAE = err). */
function csv(n: number, err: number): string {
  const rows = Array.from({ length: n }, (_, i) => `${i % 97},${(i % 97) + (i % 2 ? err : -err)}`);
  return `y_true,y_pred\n${rows.join('\n')}\n`;
}

test('a file replaced by rename before the scan workers open it is an error, not a mixture (#19 item 1)', async () => {
  const file = path.join(dir, 'saved.csv');
  fs.writeFileSync(file, csv(400_000, 1)); // over 2 MiB: two ranges of whole 1 MiB blocks
  const src = openFileSource(file); // the analysis has opened version 1 …
  try {
    const next = path.join(dir, 'saved.csv.tmp');
    fs.writeFileSync(next, csv(400_000, 2));
    fs.renameSync(next, file); // … and an editor saves version 2 the usual way
    await assert.rejects(
      analyze(src, opts({ threads: 2, parallelThreshold: 0, callerScans: false, ...worker })),
      /saved\.csv' changed while it was being read/,
    );
  } finally {
    src.close();
  }
});

test('every worker reads the file the analysis opened: with no change, 1 and 2 threads agree', async () => {
  const file = path.join(dir, 'same.csv');
  fs.writeFileSync(file, csv(400_000, 1));
  const one = openFileSource(file);
  const two = openFileSource(file);
  try {
    const a = await analyze(one, opts({ threads: 1 }));
    const stats = {} as ScanStats;
    const b = await analyze(two, opts({ threads: 2, parallelThreshold: 0, callerScans: false, ...worker, stats }));
    assert.equal(stats.rangesOnWorkers, 2);
    assert.equal(b.models[0].metrics.mae, 1);
    assert.deepEqual(b.models[0].metrics, a.models[0].metrics);
  } finally {
    one.close();
    two.close();
  }
});

test('a rewrite in place that keeps the size and restores the modification time is still noticed', () => {
  const file = path.join(dir, 'inplace.csv');
  fs.writeFileSync(file, csv(100, 1));
  fs.utimesSync(file, 1e9, 1e9); // whole seconds: restored exactly below
  const before = fs.statSync(file);
  const src = openFileSource(file);
  try {
    fs.writeFileSync(file, csv(100, 1).replace(/1\n/g, '3\n').slice(0, before.size).padEnd(before.size, ' '));
    assert.equal(fs.statSync(file).size, before.size);
    fs.utimesSync(file, 1e9, 1e9);
    assert.equal(fs.statSync(file).mtimeMs, before.mtimeMs);
    assert.throws(() => src.verifyUnchanged?.(), /inplace\.csv' changed while it was being read \(it was rewritten\)/);
  } finally {
    src.close();
  }
});
