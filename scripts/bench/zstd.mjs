#!/usr/bin/env node
// Micro benchmark of zstd decoders (#14): decodes the zstd pages of a Parquet file and a whole
// `.zst` file with fzstd (what Loss Inspector uses) and with the WebAssembly decoders found on npm.
// A measuring aid, not a test: it prints a table and checks that every decoder gives the bytes
// fzstd gives.
//
//   node scripts/bench/zstd.mjs [--parquet FILE] [--zst FILE] [--rounds N] [--modules DIR]
//
//   --parquet FILE  a zstd Parquet file (default .bench-data/csv-1000000.zstd.parquet, written by
//                   `npm run bench -- --only pqzstd1e6`)
//   --zst FILE      a .zst file (default: that file's CSV, .bench-data/csv-1000000.csv, compressed
//                   here with the zstd command-line tool at its default level)
//   --rounds N      alternating rounds (default 7): each round runs every decoder once over all
//                   pages, in turn, so that the load of this shared machine hits them alike;
//                   the table gives the median and the minimum
//   --modules DIR   where the candidates are installed when they are not the project's
//                   dependencies (e.g. `npm install --prefix /tmp/zb zstddec@0.3.4
//                   @bokuweb/zstd-wasm@0.0.27 zstd-codec@0.1.5` and `--modules /tmp/zb/node_modules`);
//                   a candidate that is not found is left out
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..', '..');
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const parquetFile = opt('--parquet', path.join(ROOT, '.bench-data', 'csv-1000000.zstd.parquet'));
const csvFile = path.join(ROOT, '.bench-data', 'csv-1000000.csv');
let zstFile = opt('--zst', undefined);
const rounds = Number(opt('--rounds', '7'));
const modulesDir = opt('--modules', path.join(ROOT, 'node_modules'));
const req = createRequire(path.join(modulesDir, 'x.js'));
const rootReq = createRequire(path.join(ROOT, 'x.js'));

async function load(name) {
  for (const r of [req, rootReq]) {
    try {
      const p = r.resolve(name);
      return p.endsWith('.mjs') ? await import(pathToFileURL(p).href) : r(name);
    } catch {
      /* next */
    }
  }
  return undefined;
}

// --- the inputs ------------------------------------------------------------------------------
if (!fs.existsSync(parquetFile)) {
  console.error(`${parquetFile} is missing: run \`npm run bench -- --only pqzstd1e6\` (or --quick) first, or give --parquet.`);
  process.exit(2);
}
const { parquetMetadataAsync, parquetRead, asyncBufferFromFile } = await import('hyparquet');
const pages = [];
{
  const file = await asyncBufferFromFile(parquetFile);
  const metadata = await parquetMetadataAsync(file);
  const fz = await load('fzstd');
  const record = (input, outputLength) => {
    pages.push({ input: input.slice(), outputLength });
    return fz.decompress(input);
  };
  await parquetRead({ file, metadata, compressors: { ZSTD: record }, onComplete: () => {} });
}
if (!zstFile) {
  zstFile = path.join(ROOT, '.bench-data', 'csv-1000000.csv.zst');
  if (!fs.existsSync(zstFile)) execFileSync('zstd', ['-qkf', csvFile, '-o', zstFile]);
}
const zst = new Uint8Array(fs.readFileSync(zstFile));

// --- the decoders ----------------------------------------------------------------------------
// Each: { name, version, page(input, outputLength) → Uint8Array, whole(input) → Uint8Array }
const version = (name) => {
  for (const r of [req, rootReq]) {
    try {
      let dir = path.dirname(r.resolve(name));
      while (!fs.existsSync(path.join(dir, 'package.json')) || JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).name !== name) dir = path.dirname(dir);
      return JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).version;
    } catch {
      /* next */
    }
  }
  return '?';
};
const decoders = [];
{
  const fz = await load('fzstd');
  decoders.push({
    name: 'fzstd',
    page: (b) => fz.decompress(b),
    whole: (b) => {
      // As compressed.ts streams it: pushes of ~1 MiB, the chunks kept.
      const out = [];
      const d = new fz.Decompress((c) => out.push(c));
      const step = 1 << 20;
      for (let i = 0; i < b.length; i += step) d.push(b.subarray(i, Math.min(b.length, i + step)), i + step >= b.length);
      return concat(out);
    },
  });
}
{
  const m = await load('zstddec');
  if (m) {
    const d = new m.ZSTDDecoder();
    await d.init();
    const ms = await load('zstddec/stream');
    let ds;
    if (ms) {
      ds = new ms.ZSTDDecoder();
      await ds.init();
    }
    decoders.push({
      name: 'zstddec',
      page: (b, n) => d.decode(b, n),
      whole: (b) => (ds ? concat([...ds.decodeStreaming(chunks(b, 1 << 20))]) : d.decode(b)),
    });
  }
}
{
  const m = await load('@bokuweb/zstd-wasm');
  if (m) {
    await m.init();
    decoders.push({ name: '@bokuweb/zstd-wasm', page: (b) => m.decompress(b), whole: (b) => m.decompress(b, { defaultHeapSize: 64 << 20 }) });
  }
}
{
  const m = await load('zstd-codec');
  if (m) {
    const codec = await new Promise((resolve) => m.ZstdCodec.run((z) => resolve(z)));
    const simple = new codec.Simple();
    const streaming = new codec.Streaming();
    decoders.push({ name: 'zstd-codec', page: (b) => simple.decompress(b), whole: (b) => streaming.decompressChunks(chunks(b, 1 << 20)) });
  }
}
for (const d of decoders) d.version = version(d.name);

function concat(parts) {
  const n = parts.reduce((s, p) => s + p.length, 0);
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
function chunks(b, step) {
  const out = [];
  for (let i = 0; i < b.length; i += step) out.push(b.subarray(i, Math.min(b.length, i + step)));
  return out;
}

// --- check, then time ------------------------------------------------------------------------
const same = (a, b) => a.length === b.length && Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.length), Buffer.from(b.buffer, b.byteOffset, b.length)) === 0;
const refPages = pages.map((p) => decoders[0].page(p.input, p.outputLength));
const refWhole = decoders[0].whole(zst);
for (const d of decoders.slice(1)) {
  d.okPages = pages.every((p, i) => same(d.page(p.input, p.outputLength), refPages[i]));
  d.okWhole = same(d.whole(zst), refWhole);
}
decoders[0].okPages = decoders[0].okWhole = true;

const inBytes = pages.reduce((s, p) => s + p.input.length, 0);
const outBytes = refPages.reduce((s, p) => s + p.length, 0);
const times = decoders.map(() => ({ pages: [], whole: [] }));
for (let r = 0; r < rounds; r++) {
  decoders.forEach((d, i) => {
    let t = performance.now();
    for (const p of pages) d.page(p.input, p.outputLength);
    times[i].pages.push(performance.now() - t);
    t = performance.now();
    d.whole(zst);
    times[i].whole.push(performance.now() - t);
  });
}
const med = (a) => a.slice().sort((x, y) => x - y)[a.length >> 1];
const min = (a) => Math.min(...a);
const mib = (b) => (b / 2 ** 20).toFixed(1);
console.log(`Node ${process.version}; ${rounds} alternating rounds; medians (min)`);
console.log(`Parquet pages: ${path.relative(ROOT, parquetFile)}, ${pages.length} zstd pages, ${mib(inBytes)} MiB → ${mib(outBytes)} MiB`);
console.log(`.zst file: ${path.relative(ROOT, zstFile)}, ${mib(zst.length)} MiB → ${mib(refWhole.length)} MiB\n`);
console.log('| decoder | version | Parquet pages ms | MB/s out | .zst ms | MB/s out | same bytes |');
console.log('| --- | --- | ---: | ---: | ---: | ---: | --- |');
decoders.forEach((d, i) => {
  const p = med(times[i].pages);
  const w = med(times[i].whole);
  console.log(
    `| ${d.name} | ${d.version} | ${p.toFixed(1)} (${min(times[i].pages).toFixed(1)}) | ${(outBytes / 1e6 / (p / 1e3)).toFixed(0)} | ${w.toFixed(1)} (${min(times[i].whole).toFixed(1)}) | ${(refWhole.length / 1e6 / (w / 1e3)).toFixed(0)} | ${d.okPages && d.okWhole ? 'yes' : `pages ${d.okPages}, .zst ${d.okWhole}`} |`,
  );
});
