/**
 * A compressed file decompressed ahead by a worker (engine/aheadSource.ts, aheadProducer.ts): the
 * reader gets exactly the text the in-thread decoder gives, through a ring smaller than the text,
 * at any read size, after a read that goes back, and with the progress of the compressed bytes;
 * analyses give the same report whether a worker decompresses or not; a worker bundle that is
 * missing means decompressing on the scanning thread, not waiting for a worker forever.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AHEAD_THRESHOLD, analyzeFile } from '../../src/engine/analyze';
import { analyzeInWorker } from '../../src/extension/workerClient';
import { optionsOf, parseArgs, CliArgs } from '../../src/cli/cli';
import { openFileSource } from '../../src/engine/source';
import type { ByteSource } from '../../src/engine/byteSource';
import { workerBundle } from '../helpers/bundle';
import { rng } from '../helpers/run';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'li-ahead-'));
process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
const has = (tool: string) => spawnSync(tool, ['--version'], { stdio: 'ignore' }).status === 0;
const GZIP = has('gzip');
const ZSTD = has('zstd');
const { workerScript } = workerBundle();

/** ~20 MiB of CSV (more than the ring's 8 MiB), and its gzip (two members) and zstd forms. */
function files(): { plain: string; packed: string[] } {
  const plain = path.join(dir, 'big.csv');
  if (!fs.existsSync(plain)) {
    const r = rng(11);
    const lines = ['y_true,y_pred'];
    for (let i = 0; i < 700_000; i++) {
      const y = (r() * 1000).toFixed(6);
      lines.push(`${y},${(Number(y) + r() - 0.5).toFixed(7)}`);
    }
    const text = Buffer.from(lines.join('\n') + '\n');
    fs.writeFileSync(plain, text);
    const cut = text.indexOf(10, text.length >> 1) + 1;
    if (GZIP) {
      const a = execFileSync('gzip', ['-c', '-1'], { input: text.subarray(0, cut), maxBuffer: 1 << 30 });
      const b = execFileSync('gzip', ['-c'], { input: text.subarray(cut), maxBuffer: 1 << 30 });
      fs.writeFileSync(plain + '.gz', Buffer.concat([a, b]));
    }
    if (ZSTD) execFileSync('zstd', ['-q', '-f', plain, '-o', plain + '.zst']);
  }
  return { plain, packed: [GZIP ? plain + '.gz' : '', ZSTD ? plain + '.zst' : ''].filter((f) => f) };
}

/** Reads `src` from `from` to its end in reads of `step` bytes. */
function readAll(src: ByteSource, from: number, step: number): Buffer {
  const parts: Buffer[] = [];
  const buf = new Uint8Array(step);
  for (let pos = from, n; (n = src.read(buf, 0, step, pos)) > 0; pos += n) parts.push(Buffer.from(buf.subarray(0, n)));
  return Buffer.concat(parts);
}

test('the text read ahead is the file\'s text, at any read size and after a read that goes back', { skip: !GZIP && !ZSTD && 'neither gzip nor zstd is installed' }, () => {
  const { plain, packed } = files();
  const text = fs.readFileSync(plain);
  for (const f of packed) {
    const base = openFileSource(f, path.basename(f));
    const ahead = base.ahead?.(workerScript);
    assert.ok(ahead, `${f}: a local compressed file can be read ahead`);
    try {
      assert.ok(readAll(ahead, 0, 1 << 20).equals(text), `${f}: 1 MiB reads`);
      const p = ahead.progress?.();
      assert.deepEqual(p, { done: fs.statSync(f).size, total: fs.statSync(f).size }, `${f}: progress at the end`);
      // Back to an earlier offset (a new worker), odd read sizes that straddle the slots.
      assert.ok(readAll(ahead, 1_000_003, 77_777).equals(text.subarray(1_000_003)), `${f}: from an offset, odd reads`);
      assert.ok(readAll(ahead, 5, (3 << 20) + 1).equals(text.subarray(5)), `${f}: reads larger than a slot`);
    } finally {
      ahead.close();
      base.close();
    }
  }
});

test('reports are the same whether a worker decompresses the file or the scanning thread does (1, 2 and 4 threads)', { skip: !GZIP && !ZSTD && 'neither gzip nor zstd is installed' }, async () => {
  const { plain, packed } = files();
  const reportOf = async (f: string, threads: number, script = workerScript) => {
    const src = openFileSource(f, path.basename(f));
    try {
      const r = await analyzeFile(src, { ...optionsOf(parseArgs(['x']) as CliArgs), threads, parallelThreshold: 0, workerScript: script, workerExecArgv: [] });
      return JSON.stringify(r).replace(/"file":"[^"]*"/g, '"file":""');
    } finally {
      src.close();
    }
  };
  const want = await reportOf(plain, 1);
  for (const f of packed) {
    for (const threads of [1, 2, 4]) assert.equal(await reportOf(f, threads), want, `${path.basename(f)}, ${threads} threads`);
    // No worker bundle where it should be: decompressed on this thread, the same report.
    assert.equal(await reportOf(f, 2, path.join(dir, 'no-such-worker.js')), want, `${path.basename(f)} without a worker bundle`);
  }
});

test('in the extension\'s analysis worker (a worker starting a worker, Atomics.wait off the main thread) a large compressed file gives the plain file\'s report', { skip: !GZIP && !ZSTD && 'neither gzip nor zstd is installed' }, async () => {
  const { plain, packed } = files();
  const settings = { columns: {}, beta: 1, delta: 1, quantile: 0.5, topK: 10, bins: 50, task: 'auto', classification: { scores: 'auto', threshold: 0.5, gamma: 2, alpha: 0.25 } } as const;
  const reportOf = async (f: string) => {
    let last = { done: 0, total: 0 };
    const r = await analyzeInWorker(workerScript, { kind: 'path', path: f, name: path.basename(f) }, settings, (done, total) => (last = { done, total })).result;
    return { json: JSON.stringify(r).replace(/"file":"[^"]*"/g, '"file":""'), last };
  };
  const want = (await reportOf(plain)).json;
  for (const f of packed) {
    assert.ok(fs.statSync(f).size >= AHEAD_THRESHOLD, `${path.basename(f)} is large enough to be decompressed ahead`);
    const got = await reportOf(f);
    assert.equal(got.json, want, path.basename(f));
    // The progress is that of the compressed bytes, up to the whole file.
    assert.deepEqual(got.last, { done: fs.statSync(f).size, total: fs.statSync(f).size }, path.basename(f));
  }
});
