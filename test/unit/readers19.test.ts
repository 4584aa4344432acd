/**
 * Regression tests for the readers' items of issue #19 (2: rows with more fields than the header,
 * R's row-names layout; 3: JSON columns keep only the needed arrays; 8: the line of an unclosed
 * quote past the first MiB; 9: `.` in files with decimal commas; 12: CR-only line endings, files
 * of only blank lines).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../helpers/run';
import { LossInspectorError } from '../../src/core/errors';
import { JsonColumnsScanner } from '../../src/core/readers/jsonColumns';
import { pump } from '../../src/engine/pump';
import { memorySource } from '../../src/engine/source';

async function rejects(name: string, text: string | Uint8Array, code: string, pattern: RegExp, over = {}) {
  await assert.rejects(analyzeText(name, text, over), (e: unknown) => {
    assert.ok(e instanceof LossInspectorError, `not a LossInspectorError: ${String(e)}`);
    assert.equal(e.code, code, e.message);
    assert.match(e.message, pattern);
    return true;
  });
}

test('#19.8: an unclosed quote past the first MiB names the line where it opened', async () => {
  let text = 'y_true,y_pred\n';
  let line = 2;
  while (text.length < 1.2 * 2 ** 20) {
    text += '1,2\n';
    line++;
  }
  text += '3,"4\n5,6\n7,8\n';
  for (const chunkSize of [undefined, 4096, 7]) {
    await rejects('q.csv', text, 'unterminatedQuote', new RegExp(`opened on line ${line} that`), { chunkSize });
  }
  // The same after a quoted newline in an earlier record, and in a short file (read by the head).
  await rejects('q.csv', 'y_true,y_pred,n\n1,2,"a\nb"\n3,"4\n5,6\n', 'unterminatedQuote', /opened on line 4 that/);
  await rejects('q.csv', 'y_true,y_pred\n' + '1,2\n'.repeat(300_000) + '1,2,"a\nb"\n3,"4\n5,6\n', 'unterminatedQuote', /opened on line 300004 that/);
});

test('#19.2: a row with more fields than the header is a counted skip (an unquoted 1,234.5 was read as prediction 1)', async () => {
  const text = 'y_true,y_pred\n1,2\n4,1,234.5\n3,5\n6,6,\n';
  for (const chunkSize of [undefined, 7, 1]) {
    const r = await analyzeText('x.csv', text, { chunkSize });
    assert.equal(r.rows.used, 2);
    assert.deepEqual(r.rows.skippedByReason, { extraField: 2 });
    assert.deepEqual(r.rows.firstSkippedLines, { extraField: [3, 5] });
    assert.equal(r.models[0].metrics.l1, 3);
  }
  // Also with a value that is not a number: the extra field is the reason given.
  const r2 = await analyzeText('x.csv', 'y_true,y_pred,note\n1,2,a\nNA,2,a,b\n');
  assert.deepEqual(r2.rows.skippedByReason, { extraField: 1 });
  // Headerless files: the first record sets the field count.
  const r3 = await analyzeText('h.csv', '1,2\n3,5,7\n3,4\n', { columns: { target: 'col1', predictions: ['col2'] } });
  assert.deepEqual(r3.rows.skippedByReason, { extraField: 1 });
  await rejects('x.csv', 'y_true,y_pred\n4,1,234.5\n', 'noUsableRows', /1 with more fields than the header \(first at line 2\)/);
});

test("#19.2: R's write.table layout (a header one field short, row names first) is read with a row-names column \"\"", async () => {
  // write.table(data.frame(y_true = …, y_pred = …), sep = ",")
  const text = '"y_true","y_pred"\n"1",1.5,1.25\n"2",2,2.5\n"3",-1,0\n';
  const r = await analyzeText('r.csv', text);
  assert.deepEqual(r.columns, ['', 'y_true', 'y_pred']);
  assert.equal(r.target, 'y_true');
  assert.deepEqual(r.models.map((m) => m.prediction), ['y_pred']);
  assert.equal(r.rows.used, 3);
  assert.equal(r.models[0].metrics.l1, 0.25 + 0.5 + 1);
  // Named row names, and a row of the header's length after the 50 rows looked at (short in this
  // layout: a missing field).
  const rows = Array.from({ length: 50 }, (_, i) => `row ${i},${i},${i + 1}\n`).join('');
  const r2 = await analyzeText('r.csv', `y_true,y_pred\n${rows}7,8\n`, { columns: { target: 'y_true', predictions: ['y_pred'] } });
  assert.deepEqual(r2.rows.skippedByReason, { missingField: 1 });
  assert.equal(r2.models[0].metrics.l1, 50);
  const r5 = await analyzeText('r.csv', `y_true,y_pred\n${rows.replace('row 10,10,11\n', '10,11\n')}`);
  assert.deepEqual(r5.columns, ['y_true', 'y_pred'], 'a field count differs among the 50 rows looked at');
  assert.deepEqual(r5.rows.skippedByReason, { extraField: 49 });
  // A delimiter at the end of every data line: a blank last column, not row names.
  const r3 = await analyzeText('t.csv', 'y_true,y_pred\n1,2,\n3,5,\n');
  assert.deepEqual(r3.columns, ['y_true', 'y_pred', '']);
  assert.equal(r3.models[0].metrics.l1, 3);
  // Not R's layout: one data row, or first fields that repeat (row names are unique in R).
  await rejects('x.csv', 'y_true,y_pred\n1,1,2\n', 'noUsableRows', /more fields than the header/);
  const r4 = await analyzeText('x.csv', 'y_true,y_pred\n1,1,2\n1,3,5\n2,4\n');
  assert.deepEqual(r4.columns, ['y_true', 'y_pred']);
  assert.deepEqual(r4.rows.skippedByReason, { extraField: 2 });
  // The row-names column is never detected as the target or a prediction, nor asked for by name.
  await rejects('r.csv', 'a,b\n"1",1,2\n"2",3,4\n', 'noTarget', /Its columns are: "", "a", "b"/);
});

test('#19.12: files with old-Mac line endings (CR only) are read (was "only a header line")', async () => {
  const text = 'id,y_true,y_pred,note\r1,1,2,"a\rb"\r\r2,3,5,c\r3,NA,1,d\r';
  for (const chunkSize of [undefined, 7, 1]) {
    const r = await analyzeText('m.csv', text, { chunkSize });
    assert.deepEqual(r.columns, ['id', 'y_true', 'y_pred', 'note']);
    assert.equal(r.rows.used, 2);
    assert.equal(r.models[0].metrics.l1, 3);
    assert.deepEqual(r.models[0].worst.map((w) => w.line), [5, 2]);
    assert.deepEqual(r.rows.firstSkippedLines, { na: [6] });
  }
  const semi = await analyzeText('m.csv', '\ufeffy_true;y_pred\r1,5;2\r3;3,25');
  assert.equal(semi.models[0].metrics.l1, 0.75);
  // Past the first MiB, on several threads too.
  const big = 'y_true,y_pred\r' + '1,2\r'.repeat(300_000) + '1,4\r';
  const rb = await analyzeText('big.csv', big, { threads: 2, parallelThreshold: 0 });
  assert.equal(rb.rows.used, 300_001);
  assert.equal(rb.models[0].worst[0].line, 300_002);
});

test('#19.12: a file of only newlines or whitespace is empty (over 1 MiB it was "first line longer than 1 MiB")', async () => {
  for (const text of ['\n'.repeat(3 << 20), '\r\n \t'.repeat(1 << 20), '\n\n', '\ufeff' + ' '.repeat(2 << 20)]) {
    for (const name of ['w.csv', 'w.tsv', 'w.json', 'w.jsonl']) await rejects(name, text, 'emptyFile', /is empty \(it holds only whitespace( and a byte-order mark)?\)\.$/);
  }
  await rejects('w.csv', '\n'.repeat(2 << 20) + 'y_true,y_pred\n1,2\n', 'recordTooLong', /starts with more than 1048576 bytes of blank lines/);
});

test('#19.9: in a ; file with decimal commas a . is a thousands separator between groups of three digits, else a skip', async () => {
  const text = 'y_true;y_pred\n1.234,5;1.234\n2,5;2.5\n12.345.678;12.345.677,5\n0,5;0.500\n1.000;1000,25\n-1.234;-1234\n1;1.2345\n';
  for (const chunkSize of [undefined, 7, 1]) {
    const r = await analyzeText('de.csv', text, { chunkSize });
    assert.equal(r.rows.used, 4);
    assert.deepEqual(r.rows.skippedByReason, { nonNumeric: 3 });
    assert.deepEqual(r.rows.firstSkippedLines, { nonNumeric: [3, 5, 8] });
    assert.equal(r.models[0].metrics.l1, 0.5 + 0.5 + 0.25 + 0);
  }
  // Quoted fields (the slow path) read the same way.
  const q = await analyzeText('de.csv', 'y_true;y_pred\n"1.234,5";"1.234"\n"2,5";"2.5"\n');
  assert.equal(q.models[0].metrics.l1, 0.5);
  assert.deepEqual(q.rows.skippedByReason, { nonNumeric: 1 });
  // Headerless: numbers with thousands separators still make a headerless ; file.
  const h = await analyzeText('h.csv', '1.234,5;1.234\n2,5;3\n', { columns: { target: 'col1', predictions: ['col2'] } });
  assert.equal(h.models[0].metrics.l1, 1);
});

test('#19.9: a ; file whose numbers use a decimal point (and no decimal comma) is read as such', async () => {
  const r = await analyzeText('dot.csv', 'y_true;y_pred\n1.5;2\n2;2.25\n1.234;1.5\n');
  assert.equal(r.rows.used, 3);
  assert.ok(Math.abs(r.models[0].metrics.l1! - (0.5 + 0.25 + 0.266)) < 1e-12);
  // ... where a comma is no decimal separator.
  const r2 = await analyzeText('dot.csv', 'y_true;y_pred\n1.5;2\n' + '1;2\n'.repeat(60) + '1;2,5\n');
  assert.deepEqual(r2.rows.skippedByReason, { nonNumeric: 1 });
  // Only integers and thousands-like values: decimal commas (a ; file's default), 1.234 = 1234.
  const r3 = await analyzeText('de.csv', 'y_true;y_pred\n1.234;1.235\n7;8\n');
  assert.equal(r3.models[0].metrics.l1, 2);
});

/** A columnar JSON file: y_true, y_pred (3 values) and `n` one-element arrays x0, x1, … around them. */
function manyArrays(n: number): string {
  const xs = Array.from({ length: n }, (_, i) => `"x${i}":[${i}]`);
  const half = xs.length >> 1;
  return `{${[...xs.slice(0, half), '"y_true":[1,2,3]', ...xs.slice(half), '"y_pred":[1.5,2,"NA"]'].join(',\n')}}`;
}

test('#19.3: JSON columns keep only the needed arrays (10^5 one-element arrays took 1.3 KB each)', () => {
  const n = 100_000;
  const bytes = new TextEncoder().encode(manyArrays(n));
  const mem = () => {
    const m = process.memoryUsage();
    return m.heapUsed + m.arrayBuffers;
  };
  const before = mem();
  const sc = new JsonColumnsScanner('m.json', false, undefined, ['y_true', 'y_pred']);
  pump(memorySource(bytes, 'm.json'), sc, 0, 1 << 16);
  const grew = mem() - before;
  assert.deepEqual(sc.columns(), ['y_true', 'y_pred'], 'only the wanted arrays are stored');
  // Before: four 64-element typed arrays per array, 207 MB for these 10^5 arrays (measured); now ~0.
  assert.ok(grew < 60e6, `the scan kept ${(grew / 1e6).toFixed(0)} MB`);
  assert.ok(sc.line > n);
  // The names-only pass (inspectFile's, for a file past its head) keeps no values either.
  const keys = new JsonColumnsScanner('m.json', true);
  pump(memorySource(bytes, 'm.json'), keys, 0, 1 << 16);
  const names = keys.columns();
  assert.equal(names.length, n + 2);
  assert.deepEqual([names[0], names[n >> 1], names[(n >> 1) + 1], names[n + 1]], ['x0', 'y_true', `x${n >> 1}`, 'y_pred']);
});

test('#19.3: a JSON columns file of many arrays gives the report of its needed columns', async () => {
  for (const chunkSize of [undefined, 4096]) {
    const r = await analyzeText('m.json', manyArrays(200_000), { chunkSize });
    assert.equal(r.rows.used, 2);
    assert.deepEqual(r.rows.skippedByReason, { na: 1 });
    assert.equal(r.models[0].metrics.l1, 0.5);
    assert.equal(r.columns.length, 200_002);
  }
  // Duplicates and arrays replaced by a later non-array value keep their JSON.parse meaning.
  const r = await analyzeText('d.json', '{"y_true":[9],"x":[1],"y_pred":[1,2],"y_true":[1,3],"x":"scalar","z":[[1],{"a":[2]}]}');
  assert.equal(r.rows.used, 2);
  assert.equal(r.models[0].metrics.l1, 1);
  // A chosen array that the scan does not find (the file changed after inspection) is named.
  const sc = new JsonColumnsScanner('c.json', false, undefined, ['y_true', 'y_pred']);
  pump(memorySource(new TextEncoder().encode(manyArrays(40)), 'c.json'), sc, 0, 64);
  assert.throws(() => sc.emit(['y_true', 'nope'], { row() {}, skip() {} }), /has no array named "nope"; its arrays are: "x0", "x1", .*"x28", … \(42 array-valued properties in all\)\.$/);
});
