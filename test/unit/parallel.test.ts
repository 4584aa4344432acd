import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyze, splitPoints } from '../../src/engine/analyze';
import { inspectFile } from '../../src/engine/inspect';
import { openFileSource } from '../../src/engine/source';
import { Report } from '../../src/core/report';
import { opts, rng } from '../helpers/run';

const workerScript = path.join(__dirname, '../helpers/tsWorker.cjs');
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

async function run(file: string, threads: number, chunkSize?: number, rangesPerThread?: number, callerScans?: boolean): Promise<Report> {
  const src = openFileSource(file);
  try {
    return await analyze(src, opts({ threads, parallelThreshold: 0, chunkSize, workerScript, rangesPerThread, callerScans }));
  } finally {
    src.close();
  }
}

const rows = table(120_000, 9);

const files = {
  csv: write(
    'p.csv',
    'id,y_true,y_pred,note\n' + rows.map((r, i) => `${i},${r.t},${i % 1000 === 7 ? 'NA' : r.p},"${r.note.replace(/"/g, '""')}"`).join('\n') + '\n',
  ),
  json: write('p.json', '[\n' + rows.map((r, i) => JSON.stringify({ id: i, y_true: r.t, y_pred: r.p, note: r.note })).join(',\n') + '\n]\n'),
  jsonl: write('p.jsonl', rows.map((r, i) => JSON.stringify({ id: i, y_true: r.t, y_pred: r.p, note: r.note })).join('\n') + '\n'),
};

for (const [kind, file] of Object.entries(files)) {
  test(`${kind}: identical results to the last bit with 1, 2 and 4 threads and any read-buffer size`, async () => {
    const size = fs.statSync(file).size;
    assert.ok(size > 4 << 20, 'big enough for 4 ranges');
    const src = openFileSource(file);
    const starts = splitPoints(src, inspectFile(src), 4);
    src.close();
    assert.equal(starts.length, 4, 'the file really is split in 4');
    const one = await run(file, 1);
    assert.equal(one.rows.total, rows.length);
    for (const [threads, chunk, perThread, callerScans] of [
      [2, undefined, undefined, undefined],
      [4, undefined, undefined, undefined],
      [4, 4096, undefined, undefined],
      [1, 777, undefined, undefined],
      // More ranges than threads: the threads claim them in turn.
      [2, undefined, 3, undefined],
      // Workers only (the CLI's way).
      [2, undefined, undefined, false],
      [4, undefined, 2, false],
    ] as const) {
      const other = await run(file, threads, chunk, perThread, callerScans);
      assert.deepEqual(other, one, `${threads} threads, chunk ${chunk ?? 'default'}, ${perThread ?? 1} ranges per thread${callerScans === false ? ', workers only' : ''}`);
    }
  });
}

test('a split inside a quoted newline is detected and the file is read on one thread', async () => {
  // Every record holds a quoted field with newlines, so most split points land inside quotes.
  const lines = ['y_true,y_pred,note'];
  for (let i = 0; i < 60_000; i++) lines.push(`${i % 10},${(i % 7) + 0.5},"line one\nline two\n${'x'.repeat(40)}"`);
  const file = write('quoted.csv', lines.join('\n') + '\n');
  const one = await run(file, 1);
  const four = await run(file, 4);
  assert.deepEqual(four, one);
  assert.deepEqual(await run(file, 4, undefined, undefined, false), one, 'workers only');
  assert.equal(one.rows.used, 60_000);
  assert.equal(one.models[0].worst[0].line % 3, 2, 'line numbers count the quoted newlines');
});

test('workers only: progress still reaches the caller, and a bad row in the first range is the file’s error', async () => {
  const src = openFileSource(files.csv);
  const seen: number[] = [];
  try {
    await analyze(src, opts({ threads: 2, parallelThreshold: 0, workerScript, callerScans: false, chunkSize: 1 << 16, onProgress: (done) => seen.push(done) }));
  } finally {
    src.close();
  }
  const size = fs.statSync(files.csv).size;
  assert.ok(seen.length > 0, 'progress was reported');
  assert.ok(seen.every((d, i) => d <= size && (i === 0 || d >= seen[i - 1])), 'progress never goes back nor past the size');

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
