/** The command-line tool: flags, exit codes, what reaches the terminal (issue #19). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../src/cli/cli';
import { textReport } from '../../src/core/format';
import { analyzeText } from '../helpers/run';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'li-cli-'));
process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));

/** Runs the CLI's main() in this process and collects what it writes. */
async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const ow = process.stdout.write;
  const ew = process.stderr.write;
  const grab = (to: string[]) =>
    ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      to.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      const cb = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
      cb?.();
      return true;
    }) as typeof process.stdout.write;
  process.stdout.write = grab(out);
  process.stderr.write = grab(err);
  let code: number;
  try {
    code = await main(argv);
  } finally {
    process.stdout.write = ow;
    process.stderr.write = ew;
  }
  return { code, out: out.join(''), err: err.join('') };
}

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

const csv = write('ok.csv', 'y_true,y_pred\n1,1.5\n2,2.5\n3,2\n');

/** The first line of stderr: the sentence (usage errors add the help after a blank line). */
const sentence = (err: string) => err.split('\n')[0];

test('every numeric flag out of range is a usage error (exit 2) naming the allowed range', async () => {
  const cases: [string[], RegExp][] = [
    [['--quantile', '2'], /--quantile must be a number strictly between 0 and 1 \(got 2\)/],
    [['--quantile', '0'], /strictly between 0 and 1/],
    [['--quantile=1'], /strictly between 0 and 1/],
    [['--beta', '-1'], /--beta must be a number ≥ 0 \(got -1\)/],
    [['--delta', '0'], /--delta must be a number > 0 \(got 0\)/],
    [['--delta', '-3'], /--delta must be a number > 0/],
    [['--top', '-1'], /--top must be an integer from 0 to 10000 \(got -1\)/],
    [['--top', '10001'], /--top must be an integer from 0 to 10000 \(got 10001\)/],
    [['--top', '1e9'], /--top must be an integer from 0 to 10000/],
    [['--top', '1e15'], /--top must be an integer from 0 to 10000/],
    [['--top', '1.5'], /--top must be an integer from 0 to 10000 \(got 1\.5\)/],
    [['--bins', '0'], /--bins must be an integer from 1 to 10000 \(got 0\)/],
    [['--bins', '10001'], /--bins must be an integer from 1 to 10000/],
    [['--threads', '0'], /--threads must be an integer from 1 to 64 \(got 0\)/],
    [['--threads', '65'], /--threads must be an integer from 1 to 64/],
    [['--beta', 'abc'], /--beta must be a number ≥ 0 \(got "abc"\)/],
    [['--beta', 'Infinity'], /--beta must be a number ≥ 0/],
    [['--quantile', 'NaN'], /strictly between 0 and 1/],
  ];
  for (const [flags, pattern] of cases) {
    const r = await cli(csv, ...flags);
    assert.equal(r.code, 2, `${flags.join(' ')}: exit 2, stderr: ${r.err}`);
    assert.match(sentence(r.err), pattern, flags.join(' '));
    assert.match(sentence(r.err), /\.$/, 'a sentence');
    assert.equal(r.out, '', 'nothing on stdout');
  }
});

test('numeric flags at the ends of their ranges are accepted', async () => {
  for (const flags of [
    ['--top', '10000'],
    ['--top', '0'],
    ['--bins', '1'],
    ['--bins', '10000'],
    ['--threads', '1'],
    ['--beta', '0'],
    ['--delta', '1e-300'],
    ['--quantile', '0.999'],
  ]) {
    const r = await cli(csv, ...flags);
    assert.equal(r.code, 0, `${flags.join(' ')}: ${r.err}`);
  }
});

test('--help states the bound of --top', async () => {
  const r = await cli('--help');
  assert.equal(r.code, 0);
  assert.match(r.out, /--top K .*0\.\.10000|--top K .*0 to 10000|--top K .*≤ 10000/);
});

test('the text report lists many worst rows without a spread into Math.max', async () => {
  const r = await analyzeText('many.csv', 'y_true,y_pred\n1,2\n2,4\n');
  const w = r.models[0].worst[0];
  // Far more rows than any argument list can hold (V8 throws "Maximum call stack size exceeded").
  r.models[0].worst = Array.from({ length: 400_000 }, (_, i) => ({ ...w, line: i + 2 }));
  const text = textReport(r);
  assert.ok(text.includes('\n  400001 '), 'the last row is listed');
});
