/**
 * `.zst` text (#14): zstd's WebAssembly decoder (engine/zstdStream.ts, once zstdReady() has
 * resolved) and fzstd give the same text on files the zstd tool writes (levels, no checksum, no
 * content size, several frames, 0 bytes to several blocks), and damaged or cut-short files are a
 * sentence from both, never other text.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { LossInspectorError } from '../../src/core/errors';
import { decompressingSource } from '../../src/engine/compressed';
import { rawMemorySource } from '../../src/engine/source';
import { zstdReady, zstdWasm } from '../../src/engine/zstdPages';
import { rng } from '../helpers/run';

const ZSTD = spawnSync('zstd', ['--version'], { stdio: 'ignore' }).status === 0;

/** CSV-like text of about `n` bytes. */
function text(n: number, seed: number): Buffer {
  const r = rng(seed);
  let s = 'y_true,y_pred\n';
  while (s.length < n) s += `${(r() * 100).toFixed(5)},${(r() * 100).toFixed(4)}\n`;
  return Buffer.from(s.slice(0, n));
}
const zstd = (input: Buffer, ...args: string[]) => execFileSync('zstd', ['-q', '-c', ...args], { input, maxBuffer: 1 << 28 });

/** Everything `bytes` decompresses to, read in 64 KiB reads, or the error it gave. */
function decode(bytes: Uint8Array): Buffer | LossInspectorError {
  const src = decompressingSource(rawMemorySource(bytes, 'x.csv.zst'), 'zstd');
  const parts: Buffer[] = [];
  const buf = new Uint8Array(1 << 16);
  try {
    for (let pos = 0, n; (n = src.read(buf, 0, buf.length, pos)) > 0; pos += n) parts.push(Buffer.from(buf.subarray(0, n)));
    return Buffer.concat(parts);
  } catch (e) {
    if (e instanceof LossInspectorError) return e;
    throw e;
  } finally {
    src.close();
  }
}

test('the WebAssembly decoder and fzstd give the zstd tool\'s text; damaged files are a sentence from both', { skip: !ZSTD && 'needs the zstd command-line tool' }, async () => {
  const cases: { name: string; plain: Buffer; packed: Buffer }[] = [];
  for (const [k, n] of [0, 1, 100, 70_000, 128 << 10, (128 << 10) + 7, 3 << 20].entries()) {
    const plain = text(n, k + 1);
    cases.push({ name: `${n} bytes, default`, plain, packed: zstd(plain) });
    cases.push({ name: `${n} bytes, -19 --no-check`, plain, packed: zstd(plain, '-19', '--no-check') });
    // From a pipe the tool writes no content size.
    cases.push({ name: `${n} bytes, -1 no content size`, plain, packed: Buffer.from(execFileSync('bash', ['-c', 'cat | zstd -q -c -1 --no-content-size'], { input: plain, maxBuffer: 1 << 28 })) });
  }
  const two = text(300_000, 9);
  cases.push({ name: 'two frames', plain: two, packed: Buffer.concat([zstd(two.subarray(0, 100_003)), zstd(two.subarray(100_003), '--no-check')]) });
  const damaged: { name: string; packed: Buffer }[] = [];
  const big = zstd(text(1 << 20, 5));
  for (const at of [big.length >> 2, big.length >> 1, big.length - 2]) {
    const b = Buffer.from(big);
    b[at] ^= 0x04;
    damaged.push({ name: `bit flipped at ${at}`, packed: b });
  }
  for (const cut of [5, big.length >> 1, big.length - 2]) damaged.push({ name: `cut at ${cut}`, packed: big.subarray(0, cut) });

  const run = (wasm: boolean) => {
    assert.equal(zstdWasm() !== undefined, wasm, wasm ? 'the WebAssembly decoder is ready' : 'not yet');
    for (const c of cases) {
      const got = decode(c.packed);
      assert.ok(Buffer.isBuffer(got) && got.equals(c.plain), `${c.name} (${wasm ? 'WebAssembly' : 'fzstd'}): ${got instanceof Error ? got.message : `${got.length} bytes`}`);
    }
    for (const d of damaged) {
      const got = decode(d.packed);
      assert.ok(got instanceof LossInspectorError && got.code === 'corrupt' && /'x\.csv\.zst' is not a valid zstd file/.test(got.message), `${d.name} (${wasm ? 'WebAssembly' : 'fzstd'}): ${got instanceof Error ? got.message : 'decoded'}`);
    }
  };
  run(false);
  await zstdReady();
  run(true);
});
