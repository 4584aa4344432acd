/**
 * Compressed text (#14 item 3): `.gz` and `.zst` files written by the real tools (pandas, the
 * gzip and zstd command-line tools) give the plain file's report, byte for byte apart from the
 * file name, at every read-buffer size, through the local-file and the in-memory (virtual file)
 * sources; damaged, cut-short or misnamed files give a sentence; a bomb is read in bounded memory.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyzeFile, AnalyzeOptions } from '../../src/engine/analyze';
import { inspectFile } from '../../src/engine/inspect';
import { memorySource, openFileSource } from '../../src/engine/source';
import { optionsOf, parseArgs, CliArgs } from '../../src/cli/cli';
import { LossInspectorError } from '../../src/core/errors';
import { rng } from '../helpers/run';
import { workerBundle } from '../helpers/bundle';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'li-compressed-'));
process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));

const has = (tool: string, ...args: string[]) => spawnSync(tool, args, { stdio: 'ignore' }).status === 0;
const PANDAS = has('/usr/bin/python3', '-c', 'import pandas');
const ZSTD = has('zstd', '--version');
const GZIP = has('gzip', '--version');

const CHUNKS = [7, 64, 1000, 1 << 20];

/** The report as JSON without the file name, as the CLI's --json prints it. */
async function reportOf(src: ReturnType<typeof openFileSource>, args: string[], chunkSize: number, more: Partial<AnalyzeOptions> = {}): Promise<string> {
  try {
    const o: AnalyzeOptions = { ...optionsOf(parseArgs(['x', ...args]) as CliArgs), chunkSize, ...more };
    return JSON.stringify(await analyzeFile(src, o)).replace(/"file":"[^"]*"/g, '"file":""');
  } finally {
    src.close();
  }
}

/** Every compressed form of `plain` gives its report, from the disk and from memory, at every buffer size. */
async function sameReport(plain: string, packed: string[], args: string[] = [], ahead = false): Promise<void> {
  const want = await reportOf(openFileSource(plain, path.basename(plain)), args, 1 << 20);
  assert.ok(!want.includes('"error"'), want.slice(0, 200));
  for (const f of packed) {
    for (const chunk of CHUNKS) {
      const got = await reportOf(openFileSource(f, path.basename(f)), args, chunk);
      assert.ok(got === want, `${path.basename(f)}, read buffer ${chunk}: ${firstDifference(got, want)}`);
    }
    const got = await reportOf(memorySource(fs.readFileSync(f), path.basename(f)), args, 1000);
    assert.ok(got === want, `${path.basename(f)} from memory: ${firstDifference(got, want)}`);
    if (ahead) {
      const got = await reportOf(openFileSource(f, path.basename(f)), args, 1000, { ...AHEAD, threads: 2 });
      assert.ok(got === want, `${path.basename(f)} decompressed ahead in a worker: ${firstDifference(got, want)}`);
    }
  }
}

/** Any compressed local file decompressed in a worker while the scan reads it (aheadSource.ts), as large ones are. */
const AHEAD: Partial<AnalyzeOptions> = { ...workerBundle(), parallelThreshold: 0 };

function firstDifference(a: string, b: string): string {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return `differs at ${i}: …${a.slice(Math.max(0, i - 60), i + 60)}… vs …${b.slice(Math.max(0, i - 60), i + 60)}…`;
}

/** Deterministic rows: two models, weights, groups, and rows skipped for several reasons. */
function table(kind: 'regression' | 'binary' | 'multiclass', rows: number, seed: number): string[][] {
  const r = rng(seed);
  const out: string[][] = [];
  const classes = ['cat', 'dog', 'owl'];
  for (let i = 0; i < rows; i++) {
    const g = ['north', 'south', 'east'][Math.floor(r() * 3)];
    const w = (0.5 + Math.floor(r() * 4) / 2).toString();
    if (kind === 'regression') {
      const y = (r() * 200 - 50).toFixed(3);
      const skip = i % 97 === 5 ? 'NaN' : i % 89 === 3 ? '' : i % 83 === 7 ? 'oops' : undefined;
      out.push([y, skip ?? (Number(y) + r() * 4 - 2).toFixed(4), (Number(y) * 1.01 + r() - 0.5).toFixed(5), w, g]);
    } else if (kind === 'binary') {
      out.push([r() < 0.4 ? '1' : '0', i % 91 === 4 ? '' : r().toFixed(6), r().toFixed(4), w, g]);
    } else {
      const p = [r(), r(), r()];
      const s = p[0] + p[1] + p[2];
      out.push([classes[Math.floor(r() * 3)], ...p.map((x) => (x / s).toFixed(6)), w, g]);
    }
  }
  return out;
}

const HEADERS = {
  regression: ['y_true', 'y_pred', 'y_pred_b', 'w', 'g'],
  binary: ['label', 'prob', 'prob_b', 'w', 'g'],
  multiclass: ['label', 'cat', 'dog', 'owl', 'w', 'g'],
};
const ARGS = ['--weight', 'w', '--group-by', 'g'];

function writeCsv(file: string, header: string[], rows: string[][], sep = ','): void {
  fs.writeFileSync(file, [header, ...rows].map((r) => r.join(sep)).join('\n') + '\n');
}

function writeJsonl(file: string, header: string[], rows: string[][]): void {
  const value = (s: string) => (s === '' ? null : /^-?\d/.test(s) ? Number(s) : s === 'NaN' ? null : s);
  fs.writeFileSync(file, rows.map((r) => JSON.stringify(Object.fromEntries(header.map((h, i) => [h, value(r[i])]))) + '\n').join(''));
}

function writeJsonArray(file: string, header: string[], rows: string[][]): void {
  const value = (s: string) => (s === '' || s === 'NaN' ? null : /^-?\d/.test(s) ? Number(s) : s);
  fs.writeFileSync(file, '[\n' + rows.map((r) => JSON.stringify(Object.fromEntries(header.map((h, i) => [h, value(r[i])])))).join(',\n') + '\n]\n');
}

/** gzip and zstd command-line forms of `file`: default level, multi-member / multi-frame, and others. */
function toolForms(file: string): string[] {
  const forms: string[] = [];
  const ext = path.extname(file);
  const other = (tag: string, suffix: string) => file.slice(0, -ext.length) + `-${tag}${ext}.${suffix}`;
  if (GZIP) {
    execFileSync('gzip', ['-kf', file]);
    forms.push(file + '.gz');
    // two members (what `cat a.gz b.gz` and parallel gzip tools write): split at a line end
    const text = fs.readFileSync(file);
    const cut = text.indexOf(10, text.length >> 1) + 1;
    const a = execFileSync('gzip', ['-c', '-1'], { input: text.subarray(0, cut) });
    const b = execFileSync('gzip', ['-c', '-9'], { input: text.subarray(cut) });
    fs.writeFileSync(other('members', 'gz'), Buffer.concat([a, b]));
    forms.push(other('members', 'gz'));
  }
  if (ZSTD) {
    execFileSync('zstd', ['-qkf', file, '-o', file + '.zst']);
    forms.push(file + '.zst');
    execFileSync('zstd', ['-qkf', '-19', '--no-check', file, '-o', other('19', 'zst')]);
    forms.push(other('19', 'zst'));
    const text = fs.readFileSync(file);
    const cut = text.indexOf(10, text.length >> 2) + 1;
    const a = execFileSync('zstd', ['-q', '-c', '-1'], { input: text.subarray(0, cut) });
    const b = execFileSync('zstd', ['-q', '-c', '--no-check'], { input: text.subarray(cut) });
    fs.writeFileSync(other('frames', 'zst'), Buffer.concat([a, b]));
    forms.push(other('frames', 'zst'));
  }
  return forms;
}

for (const kind of ['regression', 'binary', 'multiclass'] as const) {
  test(`gzip and zstd files (the command-line tools) give the plain file's ${kind} report, in every format and at every read-buffer size`, { skip: !GZIP && !ZSTD && 'neither gzip nor zstd is installed' }, async () => {
    const rows = table(kind, 1500, kind.length);
    const header = HEADERS[kind];
    const files = {
      csv: path.join(dir, `${kind}.csv`),
      tsv: path.join(dir, `${kind}.tsv`),
      jsonl: path.join(dir, `${kind}.jsonl`),
      json: path.join(dir, `${kind}.json`),
    };
    writeCsv(files.csv, header, rows);
    writeCsv(files.tsv, header, rows, '\t');
    writeJsonl(files.jsonl, header, rows);
    writeJsonArray(files.json, header, rows);
    // Decompressed ahead by a worker too (the same text whatever the family: one family is enough).
    for (const f of Object.values(files)) await sameReport(f, toolForms(f), ARGS, kind === 'regression');
  });
}

test('pandas: to_csv("x.csv.gz") (gzip from the name) and to_json(lines=True, compression="gzip") read as the plain files', { skip: !PANDAS && 'pandas is not installed (/usr/bin/python3)' }, async () => {
  const script = `
import numpy as np, pandas as pd, sys
d = sys.argv[1]
rs = np.random.RandomState(7)
n = 2500
y = rs.normal(10, 3, n)
df = pd.DataFrame({'y_true': y, 'y_pred': y + rs.normal(0, 1, n), 'w': rs.randint(1, 4, n), 'g': rs.choice(['a', 'b', 'c'], n)})
df.loc[5, 'y_pred'] = np.nan
df.to_csv(d + '/pd.csv')
df.to_csv(d + '/pd.csv.gz')
df.to_json(d + '/pd.jsonl', orient='records', lines=True)
df.to_json(d + '/pd.jsonl.gz', orient='records', lines=True, compression='gzip')
df.to_csv(d + '/pd-zstd.csv')
try:
    df.to_csv(d + '/pd.csv.zst')
except Exception:
    pass
`;
  execFileSync('/usr/bin/python3', ['-c', script, dir]);
  assert.equal(fs.readFileSync(path.join(dir, 'pd.csv.gz'))[0], 0x1f, 'pandas wrote gzip');
  await sameReport(path.join(dir, 'pd.csv'), [path.join(dir, 'pd.csv.gz')], ARGS);
  await sameReport(path.join(dir, 'pd.jsonl'), [path.join(dir, 'pd.jsonl.gz')], ARGS);
  // pandas writes .zst only with the zstandard module, which Debian's pandas may lack.
  if (fs.existsSync(path.join(dir, 'pd.csv.zst'))) await sameReport(path.join(dir, 'pd-zstd.csv'), [path.join(dir, 'pd.csv.zst')], ARGS);
});

test('a compressed file\'s line numbers are those of its decompressed text (skipped rows, worst rows)', { skip: !GZIP && 'gzip is not installed' }, async () => {
  const plain = path.join(dir, 'lines.csv');
  fs.writeFileSync(plain, 'y_true,y_pred\n1,1\n2,x\n3,3\n4,40\n\n5,5\n');
  execFileSync('gzip', ['-kf', plain]);
  const src = openFileSource(plain + '.gz', 'lines.csv.gz');
  try {
    const r = (await analyzeFile(src, { ...optionsOf(parseArgs(['x']) as CliArgs) })) as unknown as { models: { worst: { line: number }[] }[]; rows: { firstSkippedLines?: Record<string, number[]> } };
    assert.equal(r.models[0].worst[0].line, 5);
    assert.match(JSON.stringify(r.rows), /\b3\b/);
  } finally {
    src.close();
  }
});

async function expectSentence(file: string, bytes: Uint8Array, code: string, pattern: RegExp): Promise<void> {
  const p = path.join(dir, file);
  fs.writeFileSync(p, bytes);
  const ways: [() => ReturnType<typeof openFileSource>, Partial<AnalyzeOptions>][] = [
    [() => openFileSource(p, file), {}],
    [() => memorySource(bytes, file), {}],
    [() => openFileSource(p, file), AHEAD],
  ];
  for (const [src, more] of ways) {
    await assert.rejects(
      reportOf(src(), [], 1000, more),
      (e: unknown) => {
        assert.ok(e instanceof LossInspectorError, `${file}: ${String(e)}`);
        assert.equal(e.code, code, `${file}: ${e.message}`);
        assert.match(e.message, pattern, file);
        assert.ok(e.message.includes(`'${file}'`), e.message);
        return true;
      },
    );
  }
}

test('truncated, damaged or misnamed gzip and zstd files get a sentence naming the file and the problem', { skip: (!GZIP || !ZSTD) && 'gzip and zstd are needed' }, async () => {
  const plain = path.join(dir, 'bad.csv');
  writeCsv(plain, HEADERS.regression, table('regression', 4000, 3));
  const gz = execFileSync('gzip', ['-c', plain]);
  const zst = execFileSync('zstd', ['-q', '-c', plain]);
  // Cut short anywhere: in the header, in the data, in the trailer.
  for (const cut of [1, 5, 12, gz.length >> 1, gz.length - 5, gz.length - 1]) {
    await expectSentence('cut.csv.gz', gz.subarray(0, cut), 'corrupt', /not a valid gzip file/);
  }
  for (const cut of [2, 5, zst.length >> 1, zst.length - 2]) {
    await expectSentence('cut.csv.zst', zst.subarray(0, cut), 'corrupt', /not a valid zstd file/);
  }
  // One bit flipped in the compressed data: refused (checksums), never other numbers.
  for (const at of [gz.length >> 2, gz.length >> 1, gz.length - 6]) {
    const b = Buffer.from(gz);
    b[at] ^= 0x04;
    await expectSentence('flip.csv.gz', b, 'corrupt', /not a valid gzip file/);
  }
  for (const at of [zst.length >> 2, zst.length >> 1, zst.length - 2]) {
    const b = Buffer.from(zst);
    b[at] ^= 0x04;
    await expectSentence('flip.csv.zst', b, 'corrupt', /not a valid zstd file/);
  }
  // Garbage after the compressed data.
  await expectSentence('tail.csv.gz', Buffer.concat([gz, Buffer.from('junk after the end\n')]), 'corrupt', /not a valid gzip file/);
  await expectSentence('tail.csv.zst', Buffer.concat([zst, Buffer.from('junk after the end\n')]), 'corrupt', /after frame 1/);
  // Names that lie: plain text, or the other compression.
  await expectSentence('plain.csv.gz', fs.readFileSync(plain), 'corrupt', /does not start with the gzip signature/);
  await expectSentence('other.csv.zst', gz, 'corrupt', /does not start with the zstd signature/);
  await expectSentence('other.csv.gz', zst, 'corrupt', /does not start with the gzip signature/);
  // A compressed file under a plain name: the suffix to add.
  await expectSentence('packed.csv', gz, 'binary', /gzip-compressed .*add that suffix/);
  await expectSentence('packed.jsonl', zst, 'binary', /zstd-compressed .*add that suffix/);
  // Empty: nothing at all, or an empty text compressed.
  await expectSentence('empty.csv.gz', new Uint8Array(0), 'emptyFile', /is empty/);
  await expectSentence('empty2.csv.gz', execFileSync('gzip', ['-c'], { input: '' }), 'emptyFile', /is empty/);
  await expectSentence('empty.csv.zst', execFileSync('zstd', ['-q', '-c'], { input: '' }), 'emptyFile', /is empty/);
  await expectSentence('blank.csv.zst', execFileSync('zstd', ['-q', '-c'], { input: '\n\n  \n' }), 'emptyFile', /only whitespace/);
});

test('a zip bomb (512 MiB of blank lines in a few MiB) is read in bounded memory, to the sentence for a blank file', { skip: (!GZIP || !ZSTD) && 'gzip and zstd are needed' }, () => {
  const text = path.join(dir, 'bomb.txt');
  execFileSync('bash', ['-c', `head -c 536870912 /dev/zero | tr '\\0' '\\n' > ${text}`]);
  execFileSync('zstd', ['-q', '-f', text, '-o', path.join(dir, 'bomb.csv.zst')]);
  execFileSync('gzip', ['-9', '-c', text], { stdio: ['ignore', fs.openSync(path.join(dir, 'bomb.csv.gz'), 'w'), 'inherit'] });
  fs.rmSync(text);
  for (const f of ['bomb.csv.zst', 'bomb.csv.gz']) {
    assert.ok(fs.statSync(path.join(dir, f)).size < 8 << 20, f);
    global.gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
    const base = openFileSource(path.join(dir, f), f);
    try {
      // Read through (as the blank check does), sampling the memory as it goes: on this thread,
      // then decompressed ahead by a worker (aheadSource.ts), as large files are.
      const ahead = base.ahead?.(AHEAD.workerScript as string);
      assert.ok(ahead, f);
      for (const src of [base, ahead]) {
        const buf = new Uint8Array(1 << 20);
        let pos = 0;
        for (let n; (n = src.read(buf, 0, buf.length, pos)) > 0; pos += n) peak = Math.max(peak, process.memoryUsage().rss);
        assert.equal(pos, 1 << 29);
        src.close();
      }
    } finally {
      clearInterval(timer);
      base.close();
    }
    assert.ok(peak - before < 256 << 20, `${f}: memory grew by ${((peak - before) / 2 ** 20).toFixed(0)} MiB`);
  }
  // The blank check reads a file of only newlines to its end too (one pass more of the same
  // decoder: shown on a 4 MiB bomb rather than the 512 MiB one, which would double the time).
  const small = path.join(dir, 'small-bomb.txt');
  execFileSync('bash', ['-c', `head -c 4194304 /dev/zero | tr '\\0' '\\n' > ${small}`]);
  execFileSync('zstd', ['-q', '-f', small, '-o', path.join(dir, 'small-bomb.csv.zst')]);
  execFileSync('gzip', ['-9', '-c', small], { stdio: ['ignore', fs.openSync(path.join(dir, 'small-bomb.csv.gz'), 'w'), 'inherit'] });
  for (const f of ['small-bomb.csv.zst', 'small-bomb.csv.gz']) {
    const src = openFileSource(path.join(dir, f), f);
    try {
      assert.throws(() => inspectFile(src), (e: unknown) => e instanceof LossInspectorError && e.code === 'emptyFile' && /only whitespace/.test(e.message), f);
    } finally {
      src.close();
    }
  }
});
