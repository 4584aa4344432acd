/**
 * `loss-inspector compare A B C …` through the CLI's main(): three files in, the text report and
 * --json naming every file, exit codes, and every failure one sentence naming the file (and
 * line) on stderr, never a stack trace.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runMain } from '../helpers/cli';
import type { ClassCompareReport, CompareReport } from '../../src/core/compare/report';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'li-compare-cli-'));
process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));

/** The CLI's main() in this process, from `dir` (so the files are named as typed). */
const cli = (...argv: string[]) => runMain(argv, dir);

function write(name: string, text: string): void {
  fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
  fs.writeFileSync(path.join(dir, name), text);
}

write('a.csv', 'id,y,pred,w\n1,10,11,1\n2,20,18,3\n3,30,33,1\n4,40,40.5,2\n5,50,45,1\n');
write('runs/x/b.csv', 'id,y,pred\n5,50,49\n2,20,20.5\n1,10,10\n4,40,42\n3,30,30\n');
write('runs/y/b.csv', 'id,y,pred\n3,30,31\n1,10,12\n2,20,20\n4,40,39\n5,50,50\n');
const files = ['a.csv', 'runs/x/b.csv', 'runs/y/b.csv'];

test('three files by key: the text report and --json name every file; the models are PREFIX:COLUMN', async () => {
  const json = await cli('compare', ...files, '--key', 'id', '--json', '--top', '2');
  assert.equal(json.code, 0, json.err);
  const r = JSON.parse(json.out) as CompareReport;
  assert.deepEqual(r.models.map((m) => m.prediction), ['a.csv:pred', 'x/b.csv:pred', 'y/b.csv:pred']);
  assert.deepEqual(r.compare.files, files);
  assert.deepEqual(r.compare.changed.map((c) => [c.b, c.fileB, c.rows.map((x) => [x.key, x.lineA, x.lineB])]), [
    ['x/b.csv:pred', 1, [['5', 6, 2], ['3', 4, 6]]],
    ['y/b.csv:pred', 2, [['5', 6, 6], ['3', 4, 2]]],
  ]);
  const text = await cli('compare', ...files, '--key', 'id', '--top', '2');
  assert.equal(text.code, 0, text.err);
  assert.ok(text.out.startsWith(`5 rows of 'a.csv' (5 read), 'runs/x/b.csv' (5 read) and 'runs/y/b.csv' (5 read) joined by "id".\n`), text.out.slice(0, 200));
  assert.match(text.out, /\n {2}line in a\.csv {2}line in runs\/y\/b\.csv +id +target +a\.csv:pred +y\/b\.csv:pred +change\n/);
  // --weight: the first file's column.
  const weighted = JSON.parse((await cli('compare', ...files, '--key', 'id', '--weight', 'w', '--json')).out) as CompareReport;
  assert.equal(weighted.weight, 'w');
  assert.equal(weighted.models[0].metrics.mae, (1 + 2 * 3 + 3 + 0.5 * 2 + 5) / 8);
});

test('a failure is one sentence naming the file, exit 1 (a group-by column the first file lacks too); fewer than two files, exit 2', async () => {
  const stackFree = (err: string) => assert.doesNotMatch(err, /\n\s+at |Error:/);
  const missing = await cli('compare', 'a.csv', 'runs/x/b.csv', 'nope.csv', '--key', 'id');
  assert.equal(missing.code, 1);
  assert.equal(missing.err, "loss-inspector: The file 'nope.csv' does not exist.\n");
  assert.equal(missing.out, '');
  const byOrder = await cli('compare', ...files);
  assert.equal(byOrder.code, 1);
  assert.match(byOrder.err, /^loss-inspector: Row 1 differs: its target is 10 on line 2 of 'a\.csv' and 50 on line 2 of 'runs\/x\/b\.csv'\./);
  stackFree(byOrder.err);
  write('c.csv', 'id,y,pred\n1,10,1\n2,20,2\n3,31,3\n');
  const target = await cli('compare', 'a.csv', 'runs/x/b.csv', 'c.csv', '--key', 'id');
  assert.equal(target.code, 1);
  assert.match(target.err, /^loss-inspector: The key "3" has the target 30 on line 4 of 'a\.csv' and 31 on line 4 of 'c\.csv'/);
  stackFree(target.err);
  const one = await cli('compare', 'a.csv', '--key', 'id');
  assert.equal(one.code, 2);
  assert.match(one.err, /^loss-inspector: compare reads two or more files \(got 1: a\.csv\)\.\n/);
  const grouped = await cli('compare', ...files, '--key', 'id', '--group-by', 'region');
  assert.equal(grouped.code, 1);
  assert.match(grouped.err, /^loss-inspector: The group-by column "region" is not in 'a\.csv'/);
  stackFree(grouped.err);
});

test('binary classifiers through main(): --json is the binary report with compare, --scores and --positive honoured; a label that differs is a sentence, exit code 1', async () => {
  write('ca.csv', 'id,y,score\n1,spam,2.0\n2,ham,-1.5\n3,spam,0.5\n4,ham,0.25\n');
  write('cb.csv', 'id,y,score\n4,ham,-0.5\n3,spam,1.5\n2,ham,0.5\n1,spam,3.0\n');
  const json = await cli('compare', 'ca.csv', 'cb.csv', '--key', 'id', '--json', '--scores', 'logits', '--positive', 'spam');
  assert.equal(json.code, 0, json.err);
  const r = JSON.parse(json.out) as ClassCompareReport;
  assert.equal(r.task, 'binary');
  assert.deepEqual([r.positive, r.models.map((m) => [m.prediction, m.scores])], ['spam', [['ca.csv:score', 'logits'], ['cb.csv:score', 'logits']]]);
  // Row 4 (ham): log(1 + e^0.25) → log(1 + e^−0.5), the largest |change| but row 2's.
  const rows = r.compare.changed[0].rows;
  assert.deepEqual(rows.map((x) => x.key), ['2', '4', '3', '1']);
  assert.ok(Math.abs(rows[1].change - (Math.log1p(Math.exp(-0.5)) - Math.log1p(Math.exp(0.25)))) < 1e-15);
  const text = await cli('compare', 'ca.csv', 'cb.csv', '--key', 'id');
  assert.equal(text.code, 0, text.err);
  assert.match(text.out, /binary classification: label "y", classes "ham" and "spam", positive "spam"/);
  assert.match(text.out, /Rows whose log loss changed most from ca\.csv:score to cb\.csv:score/);
  write('cc.csv', 'id,y,score\n1,spam,2.0\n2,spam,-1.5\n3,spam,0.5\n4,ham,0.25\n');
  const bad = await cli('compare', 'ca.csv', 'cc.csv');
  assert.equal(bad.code, 1);
  assert.equal(bad.err, `loss-inspector: Row 2 differs: its label is "ham" on line 3 of 'ca.csv' and "spam" on line 3 of 'cc.csv'. Without --key the files are joined by row order, so each row must have the same label in both; name a key column (--key COL) if the rows are in another order.\n`);
});

test('compare --sql is refused with the reason and what to do instead, exit 2', async () => {
  const r = await cli('compare', 'a.csv', 'runs/x/b.csv', '--key', 'id', '--sql', 'duckdb');
  assert.equal(r.code, 2);
  assert.equal(r.out, '');
  assert.match(r.err, /^loss-inspector: compare does not print SQL: a join in SQL would not stop at a repeated key or at targets that differ between the files, and tables have no row order\. Write the joined rows to one file .* run loss-inspector on it with --sql/);
});
