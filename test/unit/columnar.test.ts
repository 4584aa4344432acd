/**
 * Parquet and Arrow IPC (#14 items 1, 2, 5): files written by the real tools — DuckDB's Parquet
 * writer with every codec, NULLs, NaN, ±∞, decimals, dictionary strings, booleans, integers and
 * several row groups; apache-arrow's IPC writer, plain and with LZ4-frame and ZSTD bodies — give
 * the report of the same table written as CSV by DuckDB: the same rows used and skipped, by
 * reason, at the same row numbers (the CSV's line minus its header), the same worst rows, groups
 * and classes, and the same numbers: bit for bit when the summation blocks agree (one row group
 * of ≤ 2^16 rows, a CSV under 1 MiB), else within 1e-12 relative (other blocks, the same terms).
 * Every family, weights and --group-by; 1, 2 and 4 threads give identical reports.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DuckDBInstance, DuckDBConnection } from '@duckdb/node-api';
import { Bool, compressionRegistry, CompressionType, Dictionary, Float64, Int32, RecordBatch, Table, tableToIPC, Utf8, vectorFromArray } from 'apache-arrow';
import { compress as lz4 } from 'lz4js';
import { lz4Frame } from '../../src/core/readers/arrow';
import { decompress as zstdDecode } from 'fzstd';
import { analyzeFile, AnalyzeOptions } from '../../src/engine/analyze';
import { memorySource, openFileSource, rawMemorySource } from '../../src/engine/source';
import { ParquetFile } from '../../src/core/readers/parquet';
import { LossInspectorError } from '../../src/core/errors';
import type { FamilyReport } from '../../src/core/families';
import { workerBundle } from '../helpers/bundle';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'li-columnar-'));
process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
const worker = workerBundle();

let conn: DuckDBConnection | undefined;
async function duck(sql: string): Promise<void> {
  conn ??= await (await DuckDBInstance.create(':memory:')).connect();
  await conn.run(sql);
}

/** A deterministic table in DuckDB: two models, a decimal and an integer one, weights, groups, labels; rows skipped for NULL, NaN, ±∞. */
async function duckTable(name: string, rows: number): Promise<void> {
  await duck(`CREATE OR REPLACE TABLE ${name} AS SELECT
      i AS id,
      ((i * 7919) % 10007)::DOUBLE / 37.0 - 100 AS y_true,
      CASE WHEN i % 97 = 5 THEN 'NaN'::DOUBLE WHEN i % 89 = 3 THEN NULL WHEN i % 131 = 11 THEN 'inf'::DOUBLE WHEN i % 137 = 12 THEN '-inf'::DOUBLE
           ELSE ((i * 7919) % 10007)::DOUBLE / 37.0 - 100 + ((i * 31337) % 1001 - 500) / 333.0 END AS pred_a,
      (((i * 7919) % 10007)::DOUBLE / 37.0 - 100 + ((i * 7) % 13 - 6) / 7.0)::DECIMAL(14, 4) AS pred_dec,
      CASE WHEN i % 53 = 1 THEN NULL ELSE (((i * 7919) % 10007) / 37)::INTEGER - 100 END AS pred_int,
      ((i % 4) + 1) / 2.0 AS w,
      ['north', 'south', 'east'][1 + (i * 13) % 3] AS region,
      (i % 5)::INTEGER AS fold,
      (i * 2654435761) % 1000 < 400 AS label_bool,
      CASE WHEN (i * 2654435761) % 1000 < 400 THEN 'spam' ELSE 'ham' END AS label_text,
      (((i * 40503) % 1000) + 0.5) / 1001.0 AS prob,
      ['cat', 'dog', 'owl'][1 + (i * 7) % 3] AS animal,
      (1 + (i * 3) % 5) / 10.0 AS p_cat, (1 + (i * 5) % 4) / 10.0 AS p_dog
    FROM range(${rows}) t(i)`);
  await duck(`ALTER TABLE ${name} ADD COLUMN p_owl DOUBLE; UPDATE ${name} SET p_owl = 1 - p_cat - p_dog`);
}

async function writeCsv(table: string): Promise<string> {
  const file = path.join(dir, `${table}.csv`);
  await duck(`COPY ${table} TO '${file}' (FORMAT csv, HEADER)`);
  return file;
}

async function writeParquet(table: string, codec: string, rowGroup: number, suffix = '.parquet'): Promise<string> {
  const file = path.join(dir, `${table}-${codec}-${rowGroup}${suffix}`);
  await duck(`COPY ${table} TO '${file}' (FORMAT parquet, COMPRESSION ${codec}, ROW_GROUP_SIZE ${rowGroup})`);
  return file;
}

async function report(file: string, o: Partial<AnalyzeOptions>, fromMemory = false): Promise<FamilyReport> {
  const src = fromMemory ? memorySource(fs.readFileSync(file), path.basename(file)) : openFileSource(file, path.basename(file));
  try {
    return await analyzeFile(src, { params: { beta: 1, delta: 1 }, topK: 10, bins: 20, ...o });
  } finally {
    src.close();
  }
}

/** A report with line numbers made row numbers (a CSV's minus its header line) and the file fields dropped. */
function normalized(r: FamilyReport, lineShift: number): unknown {
  const fix = (v: unknown, key?: string): unknown => {
    if (Array.isArray(v)) return v.map((x) => fix(x, key === 'firstSkippedLines' || key === 'lines' ? 'line' : key));
    if (v && typeof v === 'object') {
      const o: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) {
        // The scatter sample is drawn by a hash of each row's offset, which a columnar file has not.
        if (k === 'file' || k === 'format' || k === 'locations' || k === 'sample') continue;
        o[k] = key === 'firstSkippedLines' ? fix(x, 'firstSkippedLines') : fix(x, k);
      }
      return o;
    }
    if (typeof v === 'number' && (key === 'line' || key === 'firstSkippedLines')) return v - lineShift;
    // A warning's first lines (#16's domains) are rows in a columnar file: the numbers shifted, the word the same.
    if (typeof v === 'string' && key === 'warnings') return v.replace(/\b(first )?(lines?|rows?) ([\d, ]+)/g, (_, first: string | undefined, w: string, list: string) => `${first ?? ''}${w.replace('line', 'row')} ${list.split(', ').map((x) => (/^\d+$/.test(x) ? String(Number(x) - lineShift) : x)).join(', ')}`);
    return v;
  };
  return fix(r);
}

/** Deep equality, numbers within `rel` relative (0: identical); returns the first difference's path. */
function difference(a: unknown, b: unknown, rel: number, at = ''): string | undefined {
  if (typeof a === 'number' && typeof b === 'number') {
    if (a === b || (Number.isNaN(a) && Number.isNaN(b))) return undefined;
    return Math.abs(a - b) <= rel * Math.max(Math.abs(a), Math.abs(b)) ? undefined : `${at}: ${a} vs ${b}`;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return `${at}: length ${a.length} vs ${b.length}`;
    for (let i = 0; i < a.length; i++) {
      const d = difference(a[i], b[i], rel, `${at}[${i}]`);
      if (d) return d;
    }
    return undefined;
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    if (ka.join() !== kb.join()) return `${at}: keys ${ka.join()} vs ${kb.join()}`;
    for (const k of ka) {
      const d = difference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], rel, `${at}.${k}`);
      if (d) return d;
    }
    return undefined;
  }
  return a === b ? undefined : `${at}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`;
}

function same(columnar: FamilyReport, csv: FamilyReport, rel: number, what: string): void {
  const d = difference(normalized(columnar, 0), normalized(csv, 1), rel);
  assert.equal(d, undefined, `${what}: ${d}`);
}

/** The analyses every file is checked with: each family, weights, groups. */
const CASES: [string, Partial<AnalyzeOptions>][] = [
  ['regression, two models, group-by a dictionary string', { columns: { target: 'y_true', predictions: ['pred_a', 'pred_dec'], groupBy: 'region' } }],
  ['regression, weighted, integer model, group-by an integer', { columns: { target: 'y_true', predictions: ['pred_int'], weight: 'w', groupBy: 'fold' } }],
  ['binary, a boolean label, weighted', { task: 'binary', columns: { target: 'label_bool', predictions: ['prob'], weight: 'w' } }],
  ['binary, a text label, group-by', { columns: { target: 'label_text', predictions: ['prob'], groupBy: 'region' } }],
  ['multiclass, a text label', { columns: { target: 'animal' } }],
];

test('Parquet from DuckDB, every codec, several row groups: the CSV report within 1e-12 (#14 items 1, 5)', async () => {
  await duckTable('t', 9000);
  const csv = await writeCsv('t');
  const want = await Promise.all(CASES.map(([, o]) => report(csv, o)));
  for (const codec of ['snappy', 'zstd', 'gzip', 'brotli', 'lz4', 'uncompressed']) {
    const file = await writeParquet('t', codec, 2048);
    for (let c = 0; c < CASES.length; c++) {
      const got = await report(file, CASES[c][1]);
      assert.equal(got.format, 'parquet');
      assert.equal(got.locations, 'rows');
      assert.equal(want[c].locations, 'lines');
      same(got, want[c], 1e-12, `${codec}, ${CASES[c][0]}`);
    }
  }
});

test('Parquet of one row group under 2^16 rows and its CSV under 1 MiB: one summation block each, identical to the last bit', async () => {
  await duckTable('one', 6000);
  const csv = await writeCsv('one');
  assert.ok(fs.statSync(csv).size < 1 << 20);
  const file = await writeParquet('one', 'snappy', 100000);
  for (const [what, o] of CASES) same(await report(file, o), await report(csv, o), 0, what);
  // From memory (the extension's virtual files) too.
  same(await report(file, CASES[0][1], true), await report(csv, CASES[0][1]), 0, 'from memory');
});

test('Parquet: 1, 2 and 4 threads give identical reports, across row groups as ranges (#14 item 1)', async () => {
  await duckTable('par', 40000);
  const file = await writeParquet('par', 'zstd', 4096);
  for (const [what, o] of CASES.slice(0, 3)) {
    const one = JSON.stringify(await report(file, { ...o, threads: 1 }));
    for (const threads of [2, 4]) {
      const stats = { ranges: 0, rangesOnWorkers: 0, fellBack: false };
      const got = JSON.stringify(await report(file, { ...o, threads, parallelThreshold: 0, ...worker, rangesPerThread: 2, stats }));
      assert.ok(stats.ranges > 1 && !stats.fellBack, `${what}: ${JSON.stringify(stats)}`);
      assert.ok(got === one, `${what}, ${threads} threads`);
    }
  }
});

test('Parquet: the names .parq and .pq, and the row numbers of NULL, NaN and ±∞ skips', async () => {
  await duck(`CREATE OR REPLACE TABLE s AS SELECT * FROM (VALUES (1.0, 1.5), (2.0, NULL), (3.0, 'NaN'::DOUBLE), (4.0, 'inf'::DOUBLE), (5.0, 4.0)) v(y_true, y_pred)`);
  for (const suffix of ['.parq', '.pq']) {
    const file = await writeParquet('s', 'snappy', 100, suffix);
    const r = await report(file, {});
    assert.ok(!('task' in r));
    assert.deepEqual(r.rows, { total: 5, used: 2, skipped: 3, skippedByReason: { empty: 1, na: 1, infinite: 1 }, firstSkippedLines: { empty: [2], na: [3], infinite: [4] } });
  }
});

/** apache-arrow's writer: a table with nulls, a dictionary (categorical) column, booleans and integers. */
function arrowTable(rows: number): { table: Table; csv: string } {
  const y: number[] = [];
  const p: (number | null)[] = [];
  const q: number[] = [];
  const g: string[] = [];
  const b: boolean[] = [];
  const lines = ['y_true,pred_a,pred_int,region,label_bool'];
  for (let i = 0; i < rows; i++) {
    const t = ((i * 7919) % 10007) / 37 - 100;
    const a = i % 89 === 3 ? null : i % 97 === 5 ? NaN : t + (((i * 31337) % 1001) - 500) / 333;
    y.push(t);
    p.push(a);
    q.push(Math.round(t));
    g.push(['north', 'south', 'east'][(i * 13) % 3]);
    b.push((i * 2654435761) % 1000 < 400);
    lines.push(`${t},${a === null ? '' : a},${Math.round(t)},${g[i]},${b[i]}`);
  }
  const table = new Table({
    y_true: vectorFromArray(y, new Float64()),
    pred_a: vectorFromArray(p, new Float64()),
    pred_int: vectorFromArray(q, new Int32()),
    region: vectorFromArray(g, new Dictionary(new Utf8(), new Int32())),
    label_bool: vectorFromArray(b, new Bool()),
  });
  return { table, csv: lines.join('\n') + '\n' };
}

/** zstd for apache-arrow's writer: the zstd command-line tool (the package has only a decoder). */
const ZSTD_TOOL = spawnSync('zstd', ['--version'], { stdio: 'ignore' }).status === 0;

test('Arrow IPC file and stream from apache-arrow, plain, LZ4 frame and ZSTD: the CSV report (#14 item 2)', async () => {
  // Encoders for the writer; the decoders are the reader's own (registering replaces both).
  compressionRegistry.set(CompressionType.LZ4_FRAME, { encode: (d: Uint8Array) => lz4(d), decode: lz4Frame });
  if (ZSTD_TOOL) compressionRegistry.set(CompressionType.ZSTD, { encode: (d: Uint8Array) => new Uint8Array(execFileSync('zstd', ['-q', '-c'], { input: d })), decode: (d: Uint8Array) => zstdDecode(d) });
  const { table, csv } = arrowTable(5000);
  const csvFile = path.join(dir, 'a.csv');
  fs.writeFileSync(csvFile, csv);
  const cases: [string, Partial<AnalyzeOptions>][] = [
    ['regression, group-by a dictionary', { columns: { target: 'y_true', predictions: ['pred_a', 'pred_int'], groupBy: 'region' } }],
    ['binary, a boolean label', { task: 'binary', columns: { target: 'label_bool', predictions: ['pred_a'] } }],
  ];
  const want = await Promise.all(cases.map(([, o]) => report(csvFile, o)));
  const kinds: [string, 'file' | 'stream', CompressionType | null][] = [
    ['x.arrow', 'file', null],
    ['x.feather', 'file', CompressionType.LZ4_FRAME],
    ['x.ipc', 'stream', null],
    ['lz4.arrows', 'stream', CompressionType.LZ4_FRAME],
  ];
  if (ZSTD_TOOL) kinds.push(['zstd.feather', 'file', CompressionType.ZSTD]);
  for (const [name, kind, codec] of kinds) {
    const bytes = tableToIPC(table, kind, codec);
    if (codec !== null) assert.ok(bytes.length < tableToIPC(table, kind).length, `${name} is compressed`);
    const file = path.join(dir, name);
    fs.writeFileSync(file, bytes);
    for (let c = 0; c < cases.length; c++) {
      const got = await report(file, cases[c][1]);
      assert.equal(got.format, 'arrow');
      assert.equal(got.locations, 'rows');
      same(got, want[c], 1e-12, `${name}, ${cases[c][0]}`);
    }
  }
});

test('Arrow: several record batches as ranges give identical reports for 1, 2 and 4 threads', async () => {
  const { table } = arrowTable(30000);
  const batches: RecordBatch[] = [];
  for (let s = 0; s < 30000; s += 3000) batches.push(...table.slice(s, s + 3000).batches);
  const file = path.join(dir, 'many.arrow');
  fs.writeFileSync(file, tableToIPC(new Table(batches), 'file'));
  const o = { columns: { target: 'y_true', predictions: ['pred_a'], groupBy: 'region' } };
  const one = JSON.stringify(await report(file, { ...o, threads: 1 }));
  for (const threads of [2, 4]) {
    const stats = { ranges: 0, rangesOnWorkers: 0, fellBack: false };
    const got = JSON.stringify(await report(file, { ...o, threads, parallelThreshold: 0, ...worker, stats }));
    assert.ok(stats.ranges > 1 && !stats.fellBack, JSON.stringify(stats));
    assert.ok(got === one, `${threads} threads`);
  }
});

/** The sentence of the error analysing `file` gives (it must be a LossInspectorError naming the file). */
async function refusal(file: string, o: Partial<AnalyzeOptions> = {}): Promise<string> {
  try {
    await report(file, o);
  } catch (e) {
    assert.ok(e instanceof LossInspectorError, `${path.basename(file)}: ${String(e)}`);
    assert.ok(e.message.includes(path.basename(file)), e.message);
    return e.message;
  }
  assert.fail(`${path.basename(file)} was not refused`);
}

test('bad Parquet and Arrow: cut short, damaged, encrypted, nested columns, timestamps, a missing codec — a sentence each (#14 item 4)', async () => {
  await duckTable('bad', 3000);
  const good = await writeParquet('bad', 'snappy', 1024);
  const bytes = fs.readFileSync(good);
  const put = (name: string, b: Uint8Array) => {
    const f = path.join(dir, name);
    fs.writeFileSync(f, b);
    return f;
  };
  const o = { columns: { target: 'y_true', predictions: ['pred_a'] } };
  assert.match(await refusal(put('cut.parquet', bytes.subarray(0, bytes.length - 100)), o), /does not end with the Parquet signature PAR1, so it was probably cut short/);
  assert.match(await refusal(put('tiny.parquet', bytes.subarray(0, 6)), o), /too short/);
  assert.match(await refusal(put('text.parquet', new TextEncoder().encode('y_true,y_pred\n1,2\n')), o), /does not start with the Parquet signature/);
  const enc = Uint8Array.from(bytes);
  enc.set([0x50, 0x41, 0x52, 0x45], 0);
  enc.set([0x50, 0x41, 0x52, 0x45], enc.length - 4);
  assert.match(await refusal(put('enc.parquet', enc), o), /encrypted Parquet file/);
  // A footer length past the file, and pages cut out of the middle.
  const long = Uint8Array.from(bytes);
  new DataView(long.buffer).setUint32(long.length - 8, long.length * 2, true);
  assert.match(await refusal(put('long.parquet', long), o), /footer says it is/);
  const holed = Uint8Array.from(bytes);
  holed.fill(0xff, 4, Math.floor(holed.length * 0.4));
  assert.match(await refusal(put('holed.parquet', holed), o), /not a valid Parquet file: column "(y_true|pred_a)" of row group 1/);
  // Nested and timestamp columns.
  await duck(`CREATE OR REPLACE TABLE n AS SELECT i::DOUBLE AS y_true, [i::DOUBLE, 1 - i] AS y_pred, {'a': i} AS s, TIMESTAMP '2024-01-01' + INTERVAL (i) SECOND AS ts FROM range(10) t(i)`);
  const nested = path.join(dir, 'nested.parquet');
  await duck(`COPY n TO '${nested}' (FORMAT parquet)`);
  assert.match(await refusal(nested), /column "y_pred" of 'nested.parquet' holds lists \(one array per row\), which Loss Inspector does not read/);
  assert.match(await refusal(nested, { columns: { target: 'y_true', predictions: ['s'] } }), /holds structs/);
  assert.match(await refusal(nested, { columns: { target: 'y_true', predictions: ['ts'] } }), /holds timestamps/);
  // A codec without a decompressor (as LZO has none): the reader given no zstd.
  const zst = fs.readFileSync(await writeParquet('bad', 'zstd', 100000));
  const noZstd = new ParquetFile(rawMemorySource(zst, 'z.parquet'), {});
  assert.throws(
    () => noZstd.scan({ numbers: ['y_true', 'pred_a'] }, {}, { row() {}, skip() {} }, 0, Infinity),
    (e: unknown) => e instanceof LossInspectorError && /The column "y_true" of 'z.parquet' is compressed with ZSTD, which Loss Inspector cannot decompress/.test(e.message),
  );
  // Under another name, and inside gzip.
  assert.match(await refusal(put('p.csv', bytes), o), /is a Parquet file under a name without '.parquet'/);
  // Arrow: cut short, and a nested column.
  const { table } = arrowTable(100);
  const arrow = tableToIPC(table, 'file');
  assert.match(await refusal(put('cut.arrow', arrow.subarray(0, arrow.length - 50)), o), /does not end with the Arrow signature ARROW1/);
  assert.match(await refusal(put('cut.arrows', tableToIPC(table, 'stream').subarray(0, 900)), o), /not a valid Arrow IPC \(Feather\) file/);
  assert.match(await refusal(put('junk.arrow', new TextEncoder().encode('y_true,y_pred\n1,2\n')), o), /not a valid Arrow IPC/);
  assert.match(await refusal(put('a.csv', arrow), o), /is a Arrow IPC \(Feather\) file under a name without '.arrow'/);
});
