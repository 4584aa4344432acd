/** The command-line tool: flags, exit codes, what reaches the terminal (issue #19). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runMain } from '../helpers/cli';
import { textReport } from '../../src/core/format';
import { analyzeText } from '../helpers/run';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'li-cli-'));
process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));

const cli = (...argv: string[]) => runMain(argv);

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

/** Characters a terminal acts on: C0 (but the newlines of the output), DEL, C1, bidi controls. */
// eslint-disable-next-line no-control-regex
const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/u;

function assertNoRaw(s: string, what: string) {
  const m = RAW.exec(s);
  assert.equal(m, null, `${what} holds a raw U+${m?.[0].codePointAt(0)?.toString(16).padStart(4, '0')}: ${JSON.stringify(s)}`);
}

const ESC_NAME = 'pred\u001b]0;pwned\u0007\u009b2J\u007f\u202egbm';
const ESC_NAME_SHOWN = 'pred\\u001b]0;pwned\\u0007\\u009b2J\\u007f\\u202egbm';

test('escape sequences in column names are shown escaped in the text report, raw in --json', async () => {
  const file = write('names.csv', `"y_true\u001b[2J",${ESC_NAME},"w\u202e",g\u0085x\n1,1.5,1,"a\u202eb"\n2,2.5,2,x\n3,3,1,x\n`);
  const flags = [file, '--target', 'y_true\u001b[2J', '--weight', 'w\u202e', '--group-by', 'g\u0085x'];
  const r = await cli(...flags);
  assert.equal(r.code, 0, r.err);
  assertNoRaw(r.out, 'text report');
  assert.ok(r.out.includes(`target "y_true\\u001b[2J"`), r.out);
  assert.ok(r.out.includes(ESC_NAME_SHOWN), 'the prediction column, escaped');
  assert.ok(r.out.includes(`weighted by "w\\u202e"`));
  assert.ok(r.out.includes(`groups by "g\\u0085x"`));
  assert.ok(r.out.includes('a\\u202eb'), 'a group value with a bidi override, escaped');
  // The JSON report keeps the real names (JSON escapes what it must, nothing more).
  const j = await cli(...flags, '--json');
  assert.equal(j.code, 0, j.err);
  const report = JSON.parse(j.out);
  assert.equal(report.target, 'y_true\u001b[2J');
  assert.equal(report.models[0].prediction, ESC_NAME);
  assert.equal(j.out, JSON.stringify(report) + '\n');
});

test('escape sequences in file names and names in messages are escaped on stderr', async () => {
  // A missing file.
  const missing = path.join(dir, 'gone\u001b]0;pwned\u0007\u202e.csv');
  let r = await cli(missing);
  assert.equal(r.code, 1);
  assertNoRaw(r.err, 'missing-file message');
  assert.ok(r.err.includes('gone\\u001b]0;pwned\\u0007\\u202e.csv'), r.err);
  // An existing file named with escapes: its name heads the text report.
  const named = write('data\u001b[31m\u009b.csv', 'y_true,y_pred\n1,2\n2,3\n');
  r = await cli(named);
  assert.equal(r.code, 0, r.err);
  assertNoRaw(r.out, 'text report of a file named with escapes');
  assert.ok(r.out.includes('data\\u001b[31m\\u009b.csv'));
  // A column that is not there: the message quotes the request and the file's columns.
  r = await cli(csv, '--target', 'nope\u009b\u202e');
  assert.equal(r.code, 1);
  assertNoRaw(r.err, 'unknown-column message');
  assert.ok(r.err.includes('nope\\u009b\\u202e'), r.err);
  // A warning naming a column (a constant target).
  const constant = write('constant.csv', 'y\u202e,y_pred\n1,2\n1,3\n');
  r = await cli(constant, '--target', 'y\u202e');
  assert.equal(r.code, 0, r.err);
  assertNoRaw(r.out, 'warning');
  assert.match(r.out, /warning: The target "y\\u202e" is constant/);
  // Usage errors: an unknown option, a bad value, two files.
  for (const argv of [[csv, '--frob\u001b[2J'], [csv, '--top', '\u001b[2J'], [csv, 'second\u001b[2J.csv']]) {
    r = await cli(...argv);
    assert.equal(r.code, 2);
    assertNoRaw(r.err, `usage error for ${JSON.stringify(argv)}`);
    assert.ok(r.err.includes('\\u001b[2J'), r.err);
  }
});

test('a newline in a column name cannot forge a line of the text report', async () => {
  const file = write('newline.csv', 'y_true,"pred_a\r\nMAE  0",pred_b\n1,1.5,2\n2,2.5,2\n');
  // Without the intervals table, whose MAE row is a second real line starting with MAE.
  const r = await cli(file, '--confidence', '0');
  assert.equal(r.code, 0, r.err);
  assertNoRaw(r.out, 'text report');
  assert.ok(r.out.includes('"pred_a\\u000d\\u000aMAE  0" worst 1%'), r.out);
  assert.equal(r.out.split('\n').filter((l) => l.startsWith('MAE')).length, 1, 'one MAE line');
});

test('--html refuses to overwrite its own input (same path, symbolic link, hard link)', async () => {
  const text = 'y_true,y_pred\n1,2\n2,3\n';
  const input = write('self.csv', text);
  fs.symlinkSync(input, path.join(dir, 'self-symlink.csv'));
  fs.linkSync(input, path.join(dir, 'self-hardlink.csv'));
  const rel = path.relative(process.cwd(), input);
  for (const out of [input, rel, path.join(dir, '.', 'sub', '..', 'self.csv'), path.join(dir, 'self-symlink.csv'), path.join(dir, 'self-hardlink.csv')]) {
    const r = await cli(input, '--html', out);
    assert.equal(r.code, 2, `--html ${out}: exit 2, stderr: ${r.err}`);
    assert.match(sentence(r.err), /^loss-inspector: --html .* is the input file .*; choose another path for the HTML report\.$/);
    assert.equal(fs.readFileSync(input, 'utf8'), text, 'the input is untouched');
  }
  // Also when the input is given through the link.
  const r = await cli(path.join(dir, 'self-symlink.csv'), '--html', input);
  assert.equal(r.code, 2, r.err);
  assert.equal(fs.readFileSync(input, 'utf8'), text);
});

test('--fail-if: exit 3 when a condition holds for a model, 0 when none does, 2 for a condition that cannot be checked (#18 item 6)', async () => {
  const file = write('failif.csv', 'y_true,pred_good,pred_bad\n1,1.1,3\n2,2.1,0\n3,2.9,6\n4,4.2,1\n');
  // good: MAE 0.125; bad: MAE 2.5.
  const pass = await cli(file, '--fail-if', 'mae>1', '--fail-if', 'pred_good:rmse>=0.5');
  assert.equal(pass.code, 3, 'bad has MAE 2.5 > 1');
  assert.equal(pass.err, 'loss-inspector: --fail-if mae>1: pred_bad has mae = 2.5.\n');
  assert.ok(pass.out.includes('MAE'), 'the report is printed before the exit');
  const ok = await cli(file, '--fail-if', 'pred_good:mae>1', '--fail-if', 'r2<-10');
  assert.equal(ok.code, 0, ok.err);
  assert.equal(ok.err, '');
  const bound = await cli(file, '--fail-if', 'pred_bad:mae>=2.5');
  assert.equal(bound.code, 3, '>= includes the bound');
  const unknown = await cli(file, '--fail-if', 'nope>1');
  assert.equal(unknown.code, 2);
  assert.match(unknown.err, /no metric "nope"/);
  const noModel = await cli(file, '--fail-if', 'other:mae>1');
  assert.equal(noModel.code, 2);
  assert.match(noModel.err, /no model "other" \(its models: pred_good, pred_bad\)/);
  const malformed = await cli(file, '--fail-if', 'mae=1');
  assert.equal(malformed.code, 2);
  assert.match(malformed.err, /--fail-if takes METRIC<VALUE/);
  // A metric that is null for the data fails the check: R² of a constant target.
  const constant = write('failif-constant.csv', 'y_true,y_pred\n1,1.5\n1,0.5\n');
  const nul = await cli(constant, '--fail-if', 'r2<0');
  assert.equal(nul.code, 3);
  assert.match(nul.err, /y_pred has r2 = null/);
});
