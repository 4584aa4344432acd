import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText, csvOf } from '../helpers/run';
import { LossInspectorError } from '../../src/core/errors';
import { Report } from '../../src/core/tasks/regression/report';

const l1 = (r: Report, i = 0) => r.models[i].metrics.l1;

async function rejects(name: string, text: string | Uint8Array, code: string, pattern: RegExp, over = {}) {
  await assert.rejects(analyzeText(name, text, over), (e: unknown) => {
    assert.ok(e instanceof LossInspectorError, `not a LossInspectorError: ${String(e)}`);
    assert.equal(e.code, code, e.message);
    assert.match(e.message, pattern);
    return true;
  });
}

test('chunk size does not change anything (records cut at every byte)', async () => {
  const text = 'id,y_true,y_pred,note\r\n1,1.5,"2.5","a ""quoted"", note"\r\n2,-3,"-1e0","multi\nline"\r\n3,1e2,99.5,x\r\n';
  const ref = await analyzeText('a.csv', text);
  for (const chunkSize of [1, 2, 3, 5, 7, 16, 64]) {
    const r = await analyzeText('a.csv', text, { chunkSize });
    assert.deepEqual(r, ref, `chunk ${chunkSize}`);
  }
  assert.equal(ref.rows.used, 3);
  assert.equal(l1(ref), 1 + 2 + 0.5);
  assert.deepEqual(ref.models[0].worst.map((w) => w.line), [3, 2, 5]);
});

test('quoted fields: delimiters, doubled quotes and newlines inside quotes; line numbers stay right', async () => {
  const text = 'y_true,y_pred,comment\n1,2,"a, b"\n2,"3","line one\nline two"\n3,x,"He said ""hi"""\n4,6,ok\n';
  const r = await analyzeText('q.csv', text);
  assert.equal(r.rows.used, 3);
  assert.deepEqual(r.rows.skippedByReason, { nonNumeric: 1 });
  assert.deepEqual(r.rows.firstSkippedLines, { nonNumeric: [5] });
  assert.deepEqual(r.models[0].worst.map((w) => w.line), [6, 2, 3]);
});

test('CRLF, UTF-8 BOM, semicolons with decimal commas, tabs, pipes', async () => {
  const bom = '\ufeff';
  const r1 = await analyzeText('b.csv', bom + 'y_true;y_pred\r\n-6,1171;-6,0955\r\n1,5;2\r\n');
  assert.equal(r1.rows.used, 2);
  assert.ok(Math.abs(l1(r1)! - (0.0216 + 0.5)) < 1e-12);
  assert.equal(r1.columns[0], 'y_true', 'the BOM is not part of the first column name');
  const r2 = await analyzeText('t.tsv', 'y_true\ty_pred\n1\t2\n');
  assert.equal(l1(r2), 1);
  const r3 = await analyzeText('p.csv', 'y_true|y_pred|x\n1|3|a,b\n2|2|c,d\n');
  assert.equal(l1(r3), 2);
  const r4 = await analyzeText('tab.csv', 'y_true\ty_pred\n1\t4\n');
  assert.equal(l1(r4), 3);
});

test('a numeric first row means no header: columns are col1, col2, …', async () => {
  await rejects('h.csv', '1,2\n3,4\n', 'noTarget', /col1.*col2/);
  const r = await analyzeText('h.csv', '1,2\n3,5\n', { columns: { target: 'col1', predictions: ['col2'] } });
  assert.equal(r.rows.used, 2);
  assert.equal(l1(r), 3);
  assert.deepEqual(r.models[0].worst.map((w) => w.line), [2, 1]);
});

test('every skip reason is counted with its first lines', async () => {
  const text = csvOf(['y_true', 'y_pred'], [
    [1, 1], [1, ''], [1, 'NA'], [1, 'N/A'], ['NaN', 1], [1, 'null'], [1, 'None'], [1, 'abc'], [1, 'inf'], [1, '-Infinity'], [1, '1e999'], ['2'],
  ]);
  const r = await analyzeText('s.csv', text);
  assert.equal(r.rows.total, 12);
  assert.equal(r.rows.used, 1);
  assert.equal(r.rows.skipped, 11);
  assert.deepEqual(r.rows.skippedByReason, { empty: 1, na: 5, nonNumeric: 1, infinite: 3, missingField: 1 });
  assert.deepEqual(r.rows.firstSkippedLines, { empty: [3], na: [4, 5, 6, 7, 8], nonNumeric: [9], infinite: [10, 11, 12], missingField: [13] });
});

test('blank lines are ignored and do not shift line numbers', async () => {
  const r = await analyzeText('b.csv', 'y_true,y_pred\n\n1,2\r\n\r\n3,9\n\n');
  assert.equal(r.rows.total, 2);
  assert.deepEqual(r.models[0].worst.map((w) => w.line), [5, 3]);
});

test('several prediction columns are several models; explicit names win', async () => {
  const text = 'id,target,pred_a,pred_b,y_pred\n1,1,2,3,1\n2,2,2,0,2\n';
  const auto = await analyzeText('m.csv', text);
  assert.deepEqual(auto.models.map((m) => m.prediction), ['y_pred']);
  const both = await analyzeText('m.csv', text, { columns: { predictions: ['pred_a', 'pred_b'] } });
  assert.deepEqual(both.models.map((m) => [m.prediction, m.metrics.l1]), [['pred_a', 1], ['pred_b', 4]]);
  const prefixed = await analyzeText('m.csv', 'truth,pred_a,pred_b\n1,2,3\n');
  assert.deepEqual(prefixed.models.map((m) => m.prediction), ['pred_a', 'pred_b']);
});

test('hostile column names are ordinary names', async () => {
  const r = await analyzeText('h.csv', '__proto__,constructor,toString\n1,2,3\n', { columns: { target: '__proto__', predictions: ['constructor', 'toString'] } });
  assert.deepEqual(r.columns, ['__proto__', 'constructor', 'toString']);
  assert.deepEqual(r.models.map((m) => m.metrics.l1), [1, 2]);
});

test('bad files end with one clear sentence naming the problem and where', async () => {
  await rejects('e.csv', '', 'emptyFile', /'e\.csv' is empty/);
  await rejects('e.csv', '\ufeff', 'emptyFile', /empty/);
  await rejects('e.csv', '  \n\n', 'emptyFile', /empty/);
  await rejects('h.csv', 'y_true,y_pred\n', 'headerOnly', /only a header/);
  await rejects('h.csv', 'y_true,y_pred\r\n\r\n', 'headerOnly', /only a header/);
  await rejects('b.csv', new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0, 0, 1, 2]), 'binary', /binary/);
  await rejects('u.csv', new Uint8Array([0xff, 0xfe, 0x79, 0, 0x2c, 0]), 'utf16', /UTF-16/);
  await rejects('q.csv', 'y_true,y_pred\n1,2\n3,"4\n5,6\n', 'unterminatedQuote', /line 3/);
  await rejects('c.csv', 'a,b\n1,2\n', 'noTarget', /"a", "b"/);
  await rejects('c.csv', 'y,b\n1,2\n', 'noPrediction', /"y", "b"/);
  await rejects('c.csv', 'y,yhat\n1,2\n', 'unknownColumn', /"nope".*"y", "yhat"/, { columns: { target: 'nope' } });
  await rejects('c.csv', 'y,yhat\n1,2\n', 'unknownColumn', /prediction column "p2"/, { columns: { predictions: ['p2'] } });
  await rejects('c.csv', 'y,yhat\nx,2\n,3\n', 'noUsableRows', /no usable rows.*2 rows/);
  await rejects('c.csv', 'y,yhat\n1,2\n', 'badParameter', /β must be a number ≥ 0/, { params: { beta: -1, delta: 1 } });
  await rejects('c.csv', 'y,yhat\n1,2\n', 'badParameter', /δ must be a number > 0/, { params: { beta: 1, delta: 0 } });
  await rejects('d.csv', 'y,y,yhat\n1,2,3\n', 'duplicateColumn', /2 columns named "y"/);
});

test('R² is null for a constant target, with a warning', async () => {
  const r = await analyzeText('c.csv', 'y,yhat\n1,2\n1,0\n');
  assert.equal(r.models[0].metrics.r2, null);
  assert.match(r.warnings.join(' '), /constant/);
});

test('squares that overflow are reported, not printed as Infinity', async () => {
  const r = await analyzeText('o.csv', 'y,yhat\n0,1e200\n0,1\n');
  assert.equal(r.models[0].metrics.l2, null);
  assert.equal(r.models[0].metrics.l1, 1e200 + 1);
  assert.match(r.warnings.join(' '), /l2 of "yhat" is not a finite number/);
});

test('headerless semicolon files with decimal commas are read as `;`-separated', async () => {
  const text = '-6,1171;-6,0955\r\n1,5;2\r\n3;NA\r\n';
  const r = await analyzeText('h.csv', text, { columns: { target: 'col1', predictions: ['col2'] } });
  assert.deepEqual(r.columns, ['col1', 'col2']);
  assert.equal(r.rows.used, 2);
  assert.deepEqual(r.rows.skippedByReason, { na: 1 });
  assert.ok(Math.abs(l1(r)! - (0.0216 + 0.5)) < 1e-12);
  // Comma-separated, with a `;` in a text field on every line: still comma-separated.
  const c = await analyzeText('c.csv', 'y_true,y_pred,note\n1,2,a;b\n3,5,c;d\n');
  assert.deepEqual(c.columns, ['y_true', 'y_pred', 'note']);
  assert.equal(l1(c), 3);
});
