import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyze, ScanStats, splitPoints } from '../../src/engine/analyze';
import { inspectFile } from '../../src/engine/inspect';
import { openFileSource } from '../../src/engine/source';
import { Report } from '../../src/core/tasks/regression/report';
import { LossInspectorError } from '../../src/core/errors';
import { workerBundle } from '../helpers/bundle';
import { opts, rng } from '../helpers/run';

const worker = workerBundle();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'li-par-'));
process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const f = path.join(dir, name);
  fs.writeFileSync(f, text);
  return f;
}

/** ~5 MB of rows with 17-digit numbers, quoted notes, skipped rows. */
function table(rows: number, seed: number) {
  const next = rng(seed);
  const out: { t: number; p: number; note: string }[] = [];
  for (let i = 0; i < rows; i++) {
    const t = (next() - 0.3) * 10 ** Math.floor(next() * 6);
    out.push({ t, p: t + (next() - 0.5) * 3, note: i % 13 === 0 ? 'a, "b"' : `n${i}` });
  }
  return out;
}

interface RunOptions {
  threads: number;
  chunkSize?: number;
  rangesPerThread?: number;
  callerScans?: boolean;
  /**
   * The calling thread waits, before its first range, until a worker has claimed a range, so that
   * both scan some (without it the caller, which starts at once, may take them all).
   */
  waitForWorker?: boolean;
}

async function scan(file: string, o: RunOptions): Promise<{ report: Report; stats: ScanStats }> {
  const src = openFileSource(file);
  const stats = {} as ScanStats;
  const onCallerRange = o.waitForWorker
    ? (index: number, claimed: () => number) => {
        // Range 0 is the caller's; a claim count above 1 is a worker's claim.
        const t0 = Date.now();
        const nap = new Int32Array(new SharedArrayBuffer(4));
        while (index === 0 && claimed() < 2) {
          if (Date.now() - t0 > 60_000) throw new Error('no worker claimed a range within 60 s');
          Atomics.wait(nap, 0, 0, 1);
        }
      }
    : undefined;
  try {
    const { threads, chunkSize, rangesPerThread, callerScans } = o;
    const report = await analyze(src, opts({ threads, parallelThreshold: 0, chunkSize, ...worker, rangesPerThread, callerScans, stats, onCallerRange }));
    return { report, stats };
  } finally {
    src.close();
  }
}

async function run(file: string, threads: number, chunkSize?: number, rangesPerThread?: number, callerScans?: boolean): Promise<Report> {
  return (await scan(file, { threads, chunkSize, rangesPerThread, callerScans })).report;
}

// ~5 MiB each (a little over 4 BLOCK_BYTES, so that 4 and more ranges are possible): fewer
// records in JSON, whose records are longer.
const rows = table(100_000, 9);
const jsonRows = rows.slice(0, 62_000);

const files = {
  csv: write(
    'p.csv',
    'id,y_true,y_pred,note\n' + rows.map((r, i) => `${i},${r.t},${i % 1000 === 7 ? 'NA' : r.p},"${r.note.replace(/"/g, '""')}"`).join('\n') + '\n',
  ),
  json: write('p.json', '[\n' + jsonRows.map((r, i) => JSON.stringify({ id: i, y_true: r.t, y_pred: r.p, note: r.note })).join(',\n') + '\n]\n'),
  jsonl: write('p.jsonl', jsonRows.map((r, i) => JSON.stringify({ id: i, y_true: r.t, y_pred: r.p, note: r.note })).join('\n') + '\n'),
};
const rowCount = { csv: rows.length, json: jsonRows.length, jsonl: jsonRows.length };

for (const [kind, file] of Object.entries(files) as [keyof typeof files, string][]) {
  test(`${kind}: identical results to the last bit with 1, 2 and 4 threads and any read-buffer size`, async () => {
    const size = fs.statSync(file).size;
    assert.ok(size > 4 << 20, 'big enough for 4 ranges');
    const src = openFileSource(file);
    const starts = splitPoints(src, inspectFile(src), 4);
    src.close();
    assert.equal(starts.length, 4, 'the file really is split in 4');
    const one = await run(file, 1);
    assert.equal(one.rows.total, rowCount[kind]);
    for (const o of [
      { threads: 2 },
      { threads: 4 },
      { threads: 4, chunkSize: 4096 },
      { threads: 1, chunkSize: 777 },
      // More ranges than threads, claimed in turn; the caller waits for a worker's first claim so
      // that the worker scans some (and it the others).
      { threads: 2, rangesPerThread: 3, waitForWorker: true },
      // Workers only (the CLI's way).
      { threads: 2, callerScans: false },
      { threads: 4, rangesPerThread: 2, callerScans: false },
    ] satisfies RunOptions[]) {
      const what = JSON.stringify(o);
      const { report, stats } = await scan(file, o);
      assert.deepEqual(report, one, what);
      if (o.threads === 1) continue;
      assert.equal(stats.fellBack, false, `${what}: no fallback to one thread`);
      if (o.callerScans === false) assert.equal(stats.rangesOnWorkers, stats.ranges, `${what}: workers scanned every range`);
      if (o.waitForWorker) assert.ok(stats.rangesOnWorkers > 0 && stats.rangesOnWorkers < stats.ranges, `${what}: workers and caller both scanned (${stats.rangesOnWorkers} of ${stats.ranges} on workers)`);
    }
  });
}

test('counts and positive targets (#16): identical to the last bit with 1, 2 and 4 threads, weighted and grouped, with a domain broken late', async () => {
  const next = rng(16);
  const lines = ['y_true,pred_a,pred_b,w,g'];
  for (let i = 0; i < 130_000; i++) {
    const mu = Math.exp(3 * next());
    const y = Math.floor(mu * 2 * next()); // counts, zeros included (the Gamma deviance is undefined)
    // pred_b leaves the Poisson NLL's domain (a prediction < −1e-8) once, late in the file.
    lines.push(`${y},${mu * (0.8 + 0.4 * next())},${i === 120_001 ? -0.5 : mu + next()},${1 + Math.floor(4 * next()) / 2},g${i % 3}`);
  }
  const file = write('counts.csv', lines.join('\n') + '\n');
  assert.ok(fs.statSync(file).size > 4 << 20, 'big enough for 4 ranges');
  for (const extra of [{}, { weight: 'w', groupBy: 'g' }]) {
    const go = async (threads: number, chunkSize?: number) => {
      const src = openFileSource(file);
      try {
        return await analyze(src, opts({ threads, parallelThreshold: 0, chunkSize, ...worker, columns: { target: 'y_true', predictions: ['pred_a', 'pred_b'], ...extra }, params: { beta: 1, delta: 1, quantile: 0.3, power: 1.4 } }));
      } finally {
        src.close();
      }
    };
    const one = (await go(1)) as Report;
    const a = one.models[0].metrics;
    for (const k of ['msle', 'poissonDeviance', 'tweedieDeviance', 'poissonNll', 'd2AbsoluteError', 'd2Pinball', 'd2Tweedie', 'explainedVariance'] as const) {
      assert.equal(typeof a[k], 'number', `${k} is defined for pred_a`);
    }
    assert.equal(a.gammaDeviance, null, 'zero counts: no Gamma deviance');
    assert.equal(one.models[1].metrics.poissonNll, null, 'pred_b has a negative prediction');
    assert.ok(one.warnings.some((w) => /Poisson NLL of "pred_b" is undefined: 1 row has .*line 120003\./.test(w)), JSON.stringify(one.warnings));
    for (const o of [{ threads: 2 }, { threads: 4 }, { threads: 4, chunkSize: 4096 }, { threads: 1, chunkSize: 777 }]) {
      assert.deepEqual(await go(o.threads, o.chunkSize), one, `${JSON.stringify(extra)} ${JSON.stringify(o)}`);
    }
  }
});

test('a split inside a quoted newline is detected and the file is read on one thread', async () => {
  // Every record holds a quoted field with newlines, so most split points land inside quotes.
  const lines = ['y_true,y_pred,note'];
  for (let i = 0; i < 60_000; i++) lines.push(`${i % 10},${(i % 7) + 0.5},"line one\nline two\n${'x'.repeat(40)}"`);
  const file = write('quoted.csv', lines.join('\n') + '\n');
  const one = await run(file, 1);
  const four = await scan(file, { threads: 4 });
  assert.deepEqual(four.report, one);
  assert.equal(four.stats.fellBack, true, 'the wrong split was seen');
  const workersOnly = await scan(file, { threads: 4, callerScans: false });
  assert.deepEqual(workersOnly.report, one, 'workers only');
  assert.equal(workersOnly.stats.fellBack, true, 'workers only: the wrong split was seen');
  assert.equal(one.rows.used, 60_000);
  assert.equal(one.models[0].worst[0].line % 3, 2, 'line numbers count the quoted newlines');
});

test('workers only: progress still reaches the caller, and a bad row in the first range is the file’s error', async () => {
  const src = openFileSource(files.csv);
  const seen: number[] = [];
  try {
    await analyze(src, opts({ threads: 2, parallelThreshold: 0, ...worker, callerScans: false, chunkSize: 1 << 16, onProgress: (done) => seen.push(done) }));
  } finally {
    src.close();
  }
  const size = fs.statSync(files.csv).size;
  assert.ok(seen.length > 1, 'progress was reported while the workers ran, and at the end');
  assert.ok(seen.every((d, i) => d <= size && (i === 0 || d >= seen[i - 1])), 'progress never goes back nor past the size');
  assert.equal(seen[seen.length - 1], size - inspectFile(openFileSource(files.csv)).dataStart, 'the last report is the whole data');

  // What onProgress throws (the extension's cancellation) ends the analysis with that error.
  const again = openFileSource(files.csv);
  try {
    const cancel = new LossInspectorError('cancelled', 'Cancelled.');
    await assert.rejects(
      analyze(again, opts({ threads: 2, parallelThreshold: 0, ...worker, callerScans: false, onProgress: () => { throw cancel; } })),
      (e: unknown) => e === cancel,
    );
  } finally {
    again.close();
  }

  // Broken JSON early in the file: the same sentence as on one thread.
  const text = fs.readFileSync(files.jsonl, 'utf8').replace('\n{"id":5,', '\n{"id":5,,');
  assert.notEqual(text, fs.readFileSync(files.jsonl, 'utf8'));
  const bad = write('bad.jsonl', text);
  const err = (threads: number, callerScans?: boolean) =>
    run(bad, threads, undefined, undefined, callerScans).then(
      () => assert.fail('no error'),
      (e: Error) => e.message,
    );
  const one = await err(1);
  assert.match(one, /Line 6, column 9 of .*bad\.jsonl' is not valid JSON/);
  assert.equal(await err(2, false), one);
});

test('pass B in the scan workers (#20): buckets of one |d| (exact predictions) and of many (one-decimal data) give the same report for 1, 2 and 4 threads, with the right quantiles and shares', async () => {
  const next = rng(20);
  for (const mode of ['exact', 'tenth'] as const) {
    const lines = ['y_true,y_pred,note'];
    const abs: number[] = [];
    for (let i = 0; i < 300_000; i++) {
      const t = Math.round(next() * 1000) / 10;
      // 'exact': 60% of rows with |d| = 0 (one key of > 65,536 rows, all one value); 'tenth': most |d| near 0.1 (one key, several values).
      const off = mode === 'exact' ? (next() < 0.6 ? 0 : (next() - 0.5) * 4) : next() < 0.7 ? 0.1 : (next() - 0.5) * 3;
      const p = Math.round((t + off) * 10) / 10;
      lines.push(`${t},${p},note-${i % 1000}`);
      abs.push(Math.abs(p - t));
    }
    const file = write(`heavy-${mode}.csv`, lines.join('\n') + '\n');
    assert.ok(fs.statSync(file).size > 4 << 20, 'big enough for 4 ranges');
    const one = await run(file, 1);
    for (const o of [{ threads: 2, callerScans: false }, { threads: 4, callerScans: false }, { threads: 4 }] satisfies RunOptions[]) {
      const { report, stats } = await scan(file, o);
      assert.equal(stats.fellBack, false);
      assert.deepEqual(report, one, `${mode} ${JSON.stringify(o)}`);
    }
    // numpy.percentile's linear interpolation, and the worst 10% rows' share of Σ|d|.
    const sorted = Float64Array.from(abs).sort();
    const pct = (q: number) => {
      const pos = q * (sorted.length - 1);
      const lo = Math.floor(pos);
      return sorted[lo] + (sorted[Math.min(lo + 1, sorted.length - 1)] - sorted[lo]) * (pos - lo);
    };
    const m = one.models[0];
    assert.equal(m.absQuantiles.p90, pct(0.9), `${mode}: p90`);
    assert.equal(m.absQuantiles.p99, pct(0.99), `${mode}: p99`);
    const k = Math.ceil(0.1 * sorted.length);
    let top = 0;
    let all = 0;
    for (let i = 0; i < sorted.length; i++) {
      all += sorted[i];
      if (i >= sorted.length - k) top += sorted[i];
    }
    const share = m.robustness.worst10.share.l1 as number;
    assert.ok(Math.abs(share - top / all) < 1e-12, `${mode}: worst 10% share of L1 ${share} against ${top / all}`);
  }
});
