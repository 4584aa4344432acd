/**
 * zstd Parquet pages (#14): the WebAssembly decoder gives fzstd's bytes, and whatever it cannot
 * decode (a damaged page, a page whose declared size is wrong, an empty or an oversized page)
 * goes to fzstd, whose result or error stands, so a report never depends on which one ran.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { decompress as fzstd } from 'fzstd';
import { zstdPage, zstdReady } from '../../src/engine/zstdPages';
import { rng } from '../helpers/run';

const ZSTD = spawnSync('zstd', ['--version'], { stdio: 'ignore' }).status === 0;

/** Text-like bytes (digits, commas, newlines) that compress into several blocks. */
function page(n: number, seed: number): Uint8Array {
  const r = rng(seed);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = i % 17 === 16 ? 10 : 48 + Math.floor(r() * 10);
  return out;
}
const compress = (b: Uint8Array, level = 3) => new Uint8Array(execFileSync('zstd', ['-q', '-c', `-${level}`], { input: b, maxBuffer: 64 << 20 }));

/** The outcome of a decoder on one page: its bytes, or that it threw. */
function outcome(f: () => Uint8Array): Uint8Array | 'threw' {
  try {
    return f();
  } catch {
    return 'threw';
  }
}

test('zstd pages: the WebAssembly decoder gives fzstd\'s bytes, before and after it is ready', { skip: !ZSTD && 'needs the zstd command-line tool' }, async () => {
  const sizes = [1, 100, 4096, 128 << 10, (128 << 10) + 1, 1 << 20, 3 << 20];
  const pages = sizes.map((n, k) => {
    const plain = page(n, k + 1);
    return { plain, z: compress(plain, k % 2 ? 19 : 3) };
  });
  for (const p of pages) assert.deepEqual(zstdPage(p.z, p.plain.length), p.plain, 'before zstdReady: fzstd');
  await zstdReady();
  await zstdReady(); // once per thread: a second call is the same promise
  for (const p of pages) {
    assert.deepEqual(zstdPage(p.z, p.plain.length), p.plain);
    assert.deepEqual(zstdPage(p.z, p.plain.length), fzstd(p.z));
  }
});

test('zstd pages: damaged, cut-short, mis-sized and empty pages give fzstd\'s outcome', { skip: !ZSTD && 'needs the zstd command-line tool' }, async () => {
  await zstdReady();
  const plain = page(300000, 7);
  const z = compress(plain);
  const r = rng(11);
  const cases: { input: Uint8Array; size: number }[] = [
    { input: z, size: plain.length - 1 }, // the header says one byte less
    { input: z, size: plain.length + 1 }, // … one more
    { input: z.subarray(0, z.length >> 1), size: plain.length }, // cut short
    { input: z.subarray(0, 3), size: plain.length },
    { input: new Uint8Array(0), size: 10 },
    { input: compress(new Uint8Array(0)), size: 0 },
  ];
  for (let k = 0; k < 200; k++) {
    const bad = z.slice();
    bad[Math.floor(r() * bad.length)] ^= 1 + Math.floor(r() * 255);
    cases.push({ input: bad, size: plain.length });
  }
  for (const c of cases) {
    const got = outcome(() => zstdPage(c.input, c.size));
    const ref = outcome(() => fzstd(c.input));
    assert.deepEqual(got, ref);
  }
  // After all that, a good page still decodes (the decoder's heap is intact).
  assert.deepEqual(zstdPage(z, plain.length), plain);
});
