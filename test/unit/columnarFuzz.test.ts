/**
 * Mutation fuzzing of the Parquet and Arrow readers (#14 item 4), as fuzz.test.ts fuzzes the text
 * readers: real files (DuckDB's Parquet with snappy, zstd and no compression, dictionary strings
 * and NULLs; apache-arrow's IPC file, stream and LZ4 Feather) with bytes flipped, zeroed or
 * overwritten with 0xff, cut short, cut out or duplicated, from a fixed seed. Each one gives a sane
 * report or a one-sentence LossInspectorError (never another error, an internal one, or a hang:
 * under 2 s of CPU each). `npm run fuzz` runs it with every run count multiplied.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { compressionRegistry, CompressionType, Dictionary, Float64, Int32, Table, tableToIPC, Utf8, vectorFromArray } from 'apache-arrow';
import { compress as lz4 } from 'lz4js';
import { Footer } from 'apache-arrow/ipc/metadata/file';
import { lz4Frame } from '../../src/core/readers/arrow';
import { analyzeFile } from '../../src/engine/analyze';
import { memorySource } from '../../src/engine/source';
import type { Report } from '../../src/core/tasks/regression/report';
import { checkReportSanity, checkUserError, runs } from '../helpers/fuzzRef';
import { rng } from '../helpers/run';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'li-colfuzz-'));
process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));

async function seeds(): Promise<{ name: string; bytes: Uint8Array }[]> {
  const conn = await (await DuckDBInstance.create(':memory:')).connect();
  await conn.run(`CREATE TABLE t AS SELECT i::DOUBLE / 7 AS y_true,
      CASE WHEN i % 11 = 3 THEN NULL WHEN i % 13 = 5 THEN 'NaN'::DOUBLE ELSE i::DOUBLE / 7 + (i % 5) / 3.0 END AS y_pred,
      ['a', 'b', 'c'][1 + i % 3] AS g, (i % 4)::INTEGER AS w FROM range(3000) t(i)`);
  const out: { name: string; bytes: Uint8Array }[] = [];
  for (const codec of ['snappy', 'zstd', 'uncompressed']) {
    const file = path.join(dir, `${codec}.parquet`);
    await conn.run(`COPY t TO '${file}' (FORMAT parquet, COMPRESSION ${codec}, ROW_GROUP_SIZE 1024)`);
    out.push({ name: `${codec}.parquet`, bytes: fs.readFileSync(file) });
  }
  conn.closeSync();
  const y: number[] = [];
  const p: (number | null)[] = [];
  const g: string[] = [];
  for (let i = 0; i < 800; i++) {
    y.push(i / 7);
    p.push(i % 11 === 3 ? null : i / 7 + (i % 5) / 3);
    g.push(['a', 'b', 'c'][i % 3]);
  }
  const table = new Table({ y_true: vectorFromArray(y, new Float64()), y_pred: vectorFromArray(p, new Float64()), g: vectorFromArray(g, new Dictionary(new Utf8(), new Int32())) });
  const parts = [...table.slice(0, 400).batches, ...table.slice(400).batches];
  const many = new Table(parts);
  out.push({ name: 'x.arrow', bytes: tableToIPC(many, 'file') });
  out.push({ name: 'x.arrows', bytes: tableToIPC(many, 'stream') });
  compressionRegistry.set(CompressionType.LZ4_FRAME, { encode: (d: Uint8Array) => lz4(d), decode: lz4Frame });
  out.push({ name: 'lz4.feather', bytes: tableToIPC(many, 'file', CompressionType.LZ4_FRAME) });
  return out;
}

/** One seeded mutation of `b`. */
function mutate(b: Uint8Array, next: () => number): { bytes: Uint8Array; how: string } {
  const at = Math.floor(next() * b.length);
  const len = 1 + Math.floor(next() * Math.min(64, b.length - at));
  const kind = Math.floor(next() * 6);
  const out = Uint8Array.from(b);
  switch (kind) {
    case 0:
      for (let i = 0; i < 1 + Math.floor(next() * 8); i++) out[Math.floor(next() * out.length)] ^= 1 << Math.floor(next() * 8);
      return { bytes: out, how: 'bit flips' };
    case 1:
      out.fill(0, at, at + len);
      return { bytes: out, how: `zeros at ${at}` };
    case 2:
      out.fill(0xff, at, at + len);
      return { bytes: out, how: `0xff at ${at}` };
    case 3:
      return { bytes: b.subarray(0, at), how: `cut at ${at}` };
    case 4:
      return { bytes: Uint8Array.from([...b.subarray(0, at), ...b.subarray(at + len)]), how: `${len} bytes cut out at ${at}` };
    default:
      return { bytes: Uint8Array.from([...b.subarray(0, at + len), ...b.subarray(at, at + len), ...b.subarray(at + len)]), how: `${len} bytes doubled at ${at}` };
  }
}

test('mutated Parquet and Arrow files: a sane report or a sentence, under 2 s of CPU each', async () => {
  const next = rng(1414);
  const files = await seeds();
  const stats = { reports: 0, errors: 0 };
  const n = runs(40);
  for (const f of files) {
    for (let k = 0; k < n; k++) {
      const { bytes, how } = mutate(f.bytes, next);
      const what = `${f.name} (${how})`;
      const t0 = process.cpuUsage();
      try {
        const r = (await analyzeFile(memorySource(bytes, f.name), { task: 'regression', columns: { target: 'y_true', predictions: ['y_pred'], groupBy: 'g' }, params: { beta: 1, delta: 1 }, topK: 5, bins: 10 })) as Report;
        checkReportSanity(r, what);
        stats.reports++;
      } catch (e) {
        if (e instanceof assert.AssertionError) throw e;
        checkUserError(e, what);
        assert.ok((e as Error).message.includes(f.name), `${what}: the sentence names the file: ${(e as Error).message}`);
        stats.errors++;
      }
      const cpu = process.cpuUsage(t0);
      assert.ok(cpu.user + cpu.system < 2e6, `${what}: ${(cpu.user + cpu.system) / 1000} ms of CPU`);
    }
  }
  if (process.env.FUZZ_VERBOSE) console.log('columnar mutation fuzzing:', JSON.stringify(stats));
  assert.ok(stats.errors > 0 && stats.reports > 0, JSON.stringify(stats));
});

test('regression: an Arrow footer whose block offset is beyond 2^53 is a sentence (was apache-arrow\'s TypeError "… is not safe to convert to a number", found by npm run fuzz -- 5)', async () => {
  const table = new Table({ y_true: vectorFromArray([1, 2, 3], new Float64()), y_pred: vectorFromArray([1.5, 2, 2.5], new Float64()) });
  const bytes = tableToIPC(table, 'file').slice();
  // The footer's one record batch block: its offset (an int64 in the footer's bytes), found by value and set to 2^60.
  const view = new DataView(bytes.buffer);
  const footerLength = view.getInt32(bytes.length - 10, true);
  const start = bytes.length - 10 - footerLength;
  const batchAt = [...Footer.decode(bytes.subarray(start, bytes.length - 10)).recordBatches()].map((b) => BigInt(b.offset))[0];
  let patched = 0;
  for (let at = start; at + 8 <= bytes.length - 10; at += 4) {
    if (view.getBigInt64(at, true) === batchAt) {
      view.setBigInt64(at, 1n << 60n, true);
      patched++;
    }
  }
  assert.ok(patched >= 1, 'the block offset was found in the footer');
  await assert.rejects(
    analyzeFile(memorySource(bytes, 'big.arrow'), { params: { beta: 1, delta: 1 }, topK: 5, bins: 10, task: 'regression' }),
    (e: unknown) => e instanceof Error && e.constructor.name === 'LossInspectorError' && /'big\.arrow'.*footer cannot be decoded/.test(e.message),
  );
});
