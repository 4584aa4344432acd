import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { JsonColumnsScanner } from '../../src/core/readers/jsonColumns';
import { peekJson } from '../../src/core/readers/jsonHead';
import { JsonRecordsOptions, JsonRecordsScanner } from '../../src/core/readers/jsonRecords';
import { LossInspectorError } from '../../src/core/errors';
import { classifyField } from '../../src/core/readers/numbers';
import { ByteScanner, RowSink, SkipReason } from '../../src/core/scanTypes';

// ------------------------------------------------------------------------------------------------
// Helpers
// ------------------------------------------------------------------------------------------------

type Ev = ['row', number, number, number[]] | ['skip', number, SkipReason];

const enc = (s: string | Uint8Array): Uint8Array => (typeof s === 'string' ? new TextEncoder().encode(s) : s);

class Collector implements RowSink {
  events: Ev[] = [];
  row(line: number, offset: number, values: Float64Array): void {
    this.events.push(['row', line, offset, Array.from(values)]);
  }
  skip(line: number, reason: SkipReason): void {
    this.events.push(['skip', line, reason]);
  }
}

const GARBAGE = 0x7b; // '{' — bytes past `end` must never be looked at

/**
 * Drives a scanner like the reader does: reads `chunk` bytes at a time behind the unconsumed ones,
 * moves the unconsumed tail to the front, sets bufferOffset. Bytes before `lead` and after the
 * valid data are garbage. Returns the absolute offset just after the consumed bytes.
 */
function feed(scanner: ByteScanner & { stoppedAt?: number }, input: Uint8Array, chunk: number, startOffset = 0, lead = 0): number {
  const buf = new Uint8Array(input.length + lead + 8).fill(GARBAGE);
  let have = lead;
  let read = 0;
  let fileOff = startOffset - lead; // absolute offset of buf[0]
  for (;;) {
    const n = Math.min(chunk, input.length - read);
    buf.set(input.subarray(read, read + n), have);
    have += n;
    read += n;
    const eof = read >= input.length;
    scanner.bufferOffset = fileOff;
    const c = scanner.scan(buf, lead, have, eof);
    assert.ok(c >= lead && c <= have, `scan returned ${c} outside [${lead}, ${have}]`);
    if (eof) {
      if (!(scanner.stoppedAt !== undefined && scanner.stoppedAt >= 0)) assert.equal(c, have, 'at eof everything is consumed');
      return fileOff + c;
    }
    if (scanner.stoppedAt !== undefined && scanner.stoppedAt >= 0) return fileOff + c;
    buf.copyWithin(lead, c, have);
    fileOff += c - lead;
    have = lead + (have - c);
    buf.fill(GARBAGE, have);
  }
}

/** Every chunk size from 1 byte to the whole input. */
function chunkSizes(len: number): number[] {
  return Array.from({ length: Math.max(1, len) }, (_, k) => k + 1);
}

interface RecordsResult {
  events: Ev[];
  line: number;
  records: number;
}

/** Scans with every chunk size (1 byte … whole input), asserting identical results. */
function records(input: string | Uint8Array, slots: string[], opts: JsonRecordsOptions = { lines: false }, sizes?: number[]): RecordsResult {
  const bytes = enc(input);
  let ref: RecordsResult | undefined;
  for (const chunk of sizes ?? chunkSizes(bytes.length)) {
    for (const lead of chunk === 1 || chunk === bytes.length ? [0, 3] : [0]) {
      const sink = new Collector();
      const sc = new JsonRecordsScanner(slots, sink, 'x.json', opts);
      feed(sc, bytes, chunk, 0, lead);
      const got = { events: sink.events, line: sc.line, records: sc.records };
      if (ref === undefined) ref = got;
      else assert.deepEqual(got, ref, `chunk size ${chunk}, lead ${lead}`);
    }
  }
  return ref as RecordsResult;
}

function expectError(run: () => void, code: string, message: string | RegExp): LossInspectorError {
  let caught: unknown;
  try {
    run();
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof LossInspectorError, `expected a LossInspectorError, got ${String(caught)}`);
  assert.equal(caught.code, code, caught.message);
  if (typeof message === 'string') assert.equal(caught.message, message);
  else assert.match(caught.message, message);
  return caught;
}

/** The same error for every chunk size. */
function recordsError(input: string, slots: string[], opts: JsonRecordsOptions, code: string, message: string | RegExp, file = 'x.json'): LossInspectorError {
  const bytes = enc(input);
  let err: LossInspectorError | undefined;
  for (const chunk of chunkSizes(bytes.length)) {
    err = expectError(
      () => feed(new JsonRecordsScanner(slots, new Collector(), file, opts), bytes, chunk),
      code,
      message,
    );
  }
  return err as LossInspectorError;
}

interface ColumnsResult {
  events: Ev[];
  columns: string[];
  line: number;
}

function columnsScan(input: string | Uint8Array, slots: string[]): ColumnsResult {
  const bytes = enc(input);
  let ref: ColumnsResult | undefined;
  for (const chunk of chunkSizes(bytes.length)) {
    const sc = new JsonColumnsScanner('c.json');
    feed(sc, bytes, chunk, 0, chunk === 1 ? 3 : 0);
    const sink = new Collector();
    sc.emit(slots, sink);
    const got = { events: sink.events, columns: sc.columns(), line: sc.line };
    if (ref === undefined) ref = got;
    else assert.deepEqual(got, ref, `chunk size ${chunk}`);
  }
  return ref as ColumnsResult;
}

function columnsError(input: string, code: string, message: string | RegExp): void {
  const bytes = enc(input);
  for (const chunk of chunkSizes(bytes.length)) {
    expectError(() => feed(new JsonColumnsScanner('c.json'), bytes, chunk), code, message);
  }
}

const rows = (r: { events: Ev[] }) => r.events.filter((e) => e[0] === 'row').map((e) => e[3] as number[]);
const lines = (r: { events: Ev[] }) => r.events.map((e) => e[1]);
const reasons = (r: { events: Ev[] }) => r.events.map((e) => (e[0] === 'row' ? 'ok' : e[2]));

// ------------------------------------------------------------------------------------------------
// peekJson
// ------------------------------------------------------------------------------------------------

test('peekJson: records, columns and JSON Lines shapes with their columns', () => {
  const p = (s: string, lines = false, end?: number) => {
    const b = enc(s);
    return peekJson(b, end ?? b.length, 'x.json', lines);
  };
  assert.deepEqual(p('[{"id":1,"y_true":1,"y_pred":{"a":[1]},"id":2}]'), { shape: 'records', columns: ['id', 'y_true', 'y_pred'] });
  assert.deepEqual(p('\ufeff \r\n [\n {"a\\u0022b": 1, "__proto__": 2, "constructor": 3}]'), {
    shape: 'records',
    columns: ['a"b', '__proto__', 'constructor'],
  });
  assert.deepEqual(p('{"meta":{"y":[1]},"y_true":[1,2],"n":3,"y_pred":[[1],2]}'), { shape: 'columns', columns: ['y_true', 'y_pred'] });
  assert.deepEqual(p('\n\n  \r\n{"y_true": 1, "y_pred": 2}\n{"other": 1}\n', true), { shape: 'records', columns: ['y_true', 'y_pred', 'other'] });
  // Keys the first record leaves out (serializers that omit nulls or zeros) come from the next
  // whole records in the chunk, in order of first appearance; an incomplete or broken record ends
  // the search quietly (the scan reports it).
  assert.deepEqual(p('[{"y_true":0},\n {"y_true":1,"y_pred":0.5}, {"y_pred":1,"w":2,"y_true":3}]'), { shape: 'records', columns: ['y_true', 'y_pred', 'w'] });
  assert.deepEqual(p('{"y_true":0}\r\n\n{"y_pred":0.5,"y_true":1}\n', true), { shape: 'records', columns: ['y_true', 'y_pred'] });
  assert.deepEqual(p('[{"a":1}, {"b":2}, {"c":3, "d"'), { shape: 'records', columns: ['a', 'b'] });
  assert.deepEqual(p('[{"a":1}, {"b":2} {"c":3}]'), { shape: 'records', columns: ['a', 'b'] });
  assert.deepEqual(p('{"a":1}\n{"b":\n2}\n{"c":3}\n', true), { shape: 'records', columns: ['a'] });
  assert.deepEqual(p('[{"a":1}, 5, {"c":3}]'), { shape: 'records', columns: ['a'] });
  // Only a part of the file in the chunk: what was seen.
  const big = '{"y_true":[1,2,3],"y_pred":[4,5,6]}';
  assert.deepEqual(p(big, false, 20), { shape: 'columns', columns: ['y_true'] });
  assert.deepEqual(p('[{"a":1,"b":2}]', false, 13), { shape: 'records', columns: ['a', 'b'] });
  assert.deepEqual(p('[{"a":1,"b":2}]', false, 9), { shape: 'records', columns: ['a'] });
  assert.deepEqual(p('[{"a":1,"b":2}]', false, 1), { shape: 'records', columns: [] });
  // A non-ASCII key.
  assert.deepEqual(p('[{"prédiction":1,"ß":2}]'), { shape: 'records', columns: ['prédiction', 'ß'] });
});

test('peekJson: empty files, empty arrays, unsupported shapes, syntax errors', () => {
  const p = (s: string, lines = false) => () => peekJson(enc(s), enc(s).length, 'x.json', lines);
  expectError(p(''), 'emptyFile', "'x.json' is empty (it holds no JSON).");
  expectError(p('\ufeff  \n\t\r\n'), 'emptyFile', /is empty/);
  expectError(p(' \n \n', true), 'emptyFile', /is empty/);
  expectError(p(' [ \n ] '), 'noUsableRows', "'x.json' holds an empty array, so there are no rows to score.");
  const shapes = /an array of objects like \[\{"y_true":1,"y_pred":0\.9\}\], or an object of equal-length arrays like \{"y_true":\[1,2\],"y_pred":\[0\.9,2\.1\]\}/;
  for (const s of ['42', '"text"', 'null', 'true', '[1,2,3]', '[[1,2],[3,4]]', '["a"]', '{"a":1,"b":{"c":[1]}}', '{}']) {
    const e = expectError(p(s), 'jsonShape', shapes);
    assert.match(e.message, /^Line 1, column \d+ of 'x.json' holds /);
  }
  expectError(p('[1]'), 'jsonShape', /^Line 1, column 2 of 'x.json' holds an array whose first element is a number, not an object; Loss Inspector reads/);
  expectError(p('[{"a" 1}]'), 'jsonSyntax', "Line 1, column 7 of 'x.json' is not valid JSON: expected ':' after a property name.");
  expectError(p('\n\n  [{"a":1,\n   x}]'), 'jsonSyntax', "Line 4, column 4 of 'x.json' is not valid JSON: expected a property name in double quotes.");
  expectError(p('<html>'), 'jsonSyntax', "Line 1, column 1 of 'x.json' is not valid JSON: expected '[' or '{' at the start of the file but found '<'.");
  expectError(p('\n[1,2]\n', true), 'jsonSyntax', /^Line 2, column 1 of 'x.json' is not valid JSON: each line of a JSON Lines file must hold one object like \{"y_true":1,"y_pred":0\.9\}, but this line starts with an array\.$/);
  expectError(p('{"a":1,\n"b":2}\n', true), 'jsonSyntax', /^Line 1, column 8 of 'x.json' is not valid JSON: the line ends before the value is complete/);
  const e = expectError(p('[{"a":tru}]'), 'jsonSyntax', /^Line 1, column 7 /);
  assert.deepEqual(e.location, { file: 'x.json', line: 1, column: 7 });
});

// ------------------------------------------------------------------------------------------------
// JsonRecordsScanner
// ------------------------------------------------------------------------------------------------

test('records: values, lines, offsets, unused keys of any kind', () => {
  const text =
    '[\n' +
    '  {"id": 1, "y_true": 1.5, "y_pred": 2, "note": "abc"},\n' +
    '  {"y_pred": -0.25e1, "meta": {"a": [1, {"b": null}], "s": "x\\"}]{"}, "y_true": 0},\n' +
    '  {"y_true": 1E2, "note": [], "y_pred": 100.125, "t": true, "f": false, "n": null}\n' +
    ']\n';
  const r = records(text, ['y_true', 'y_pred']);
  assert.deepEqual(r.events, [
    ['row', 2, text.indexOf('{"id"'), [1.5, 2]],
    ['row', 3, text.indexOf('{"y_pred": -0.25'), [0, -2.5]],
    ['row', 4, text.indexOf('{"y_true": 1E2'), [100, 100.125]],
  ]);
  assert.equal(r.records, 3);
  assert.equal(r.line, 6, 'every newline consumed, including the last one');
  // More slots (e.g. a weight) and a different order.
  const r2 = records(text, ['y_pred', 'y_true', 'id']);
  assert.deepEqual(reasons(r2), ['ok', 'missingField', 'missingField']);
  assert.deepEqual(rows(r2), [[2, 1.5, 1]]);
});

test('records: classification of every kind of value; the first bad slot in slot order wins', () => {
  const vals: [string, string][] = [
    ['"1.5"', 'ok'],
    ['" 2 "', 'ok'],
    ['"-3e2"', 'ok'],
    ['null', 'na'],
    ['"NaN"', 'na'],
    ['"NA"', 'na'],
    ['"n/a"', 'na'],
    ['"null"', 'na'],
    ['""', 'empty'],
    ['"   "', 'empty'],
    ['"inf"', 'infinite'],
    ['"-Infinity"', 'infinite'],
    ['1e999', 'infinite'],
    ['-1e999', 'infinite'],
    ['"1e999"', 'infinite'],
    ['"abc"', 'nonNumeric'],
    ['"0x10"', 'nonNumeric'],
    ['true', 'nonNumeric'],
    ['false', 'nonNumeric'],
    ['{}', 'nonNumeric'],
    ['{"v": 1}', 'nonNumeric'],
    ['[]', 'nonNumeric'],
    ['[1]', 'nonNumeric'],
    ['"\\u0031\\u002e5"', 'ok'],
    ['"N\\u0041"', 'na'],
    ['0', 'ok'],
    ['-0', 'ok'],
    ['1.7976931348623157e308', 'ok'],
    ['5e-324', 'ok'],
    ['123456789012345678901234567890', 'ok'],
  ];
  const text = '[' + vals.map(([v]) => `{"y_pred": ${v}, "y_true": 1}`).join(',') + ']';
  const r = records(text, ['y_true', 'y_pred']);
  assert.deepEqual(reasons(r), vals.map(([, k]) => k));
  assert.deepEqual(rows(r).map((v) => v[1]), [1.5, 2, -300, 1.5, 0, -0, 1.7976931348623157e308, 5e-324, 123456789012345678901234567890]);
  assert.ok(Object.is(rows(r)[5][1], -0));
  // The first bad slot in slot order decides the reason.
  const r2 = records('[{"c": "x", "b": null, "a": 1}, {"a": "", "b": "x"}, {"c": 1e999}]', ['a', 'b', 'c']);
  assert.deepEqual(reasons(r2), ['na', 'empty', 'missingField']);
});

test('records: missing keys, duplicate keys (last wins), empty objects', () => {
  const r = records('[{"y_true": 1}, {}, {"y_pred": 2, "y_true": 1, "y_pred": "x"}, {"y_true": null, "y_true": 3, "y_pred": 4}]', ['y_true', 'y_pred']);
  assert.deepEqual(reasons(r), ['missingField', 'missingField', 'nonNumeric', 'ok']);
  assert.deepEqual(rows(r), [[3, 4]]);
});

test('records: escaped keys and strange key names are matched exactly (no prototype lookups)', () => {
  const text =
    '[{"__proto__": 1, "constructor": 2, "toString": 3, "a\\u0022b": 4, "y\\u005ftrue": 5, "\\u00e9": 6, "é": 7, "hasOwnProperty": 8},' +
    ' {"a\\"b": 40, "\\u005f_proto__": 10, "constructor": 20, "toString": 30, "y_true": 50, "\\u00e9": 60, "hasOwnProperty": 80}]';
  const slots = ['__proto__', 'constructor', 'toString', 'a"b', 'y_true', 'é', 'hasOwnProperty'];
  const r = records(text, slots);
  // "é" twice in the first record: the last one (raw UTF-8) wins.
  assert.deepEqual(rows(r), [
    [1, 2, 3, 4, 5, 7, 8],
    [10, 20, 30, 40, 50, 60, 80],
  ]);
  // Keys that are not slots, like "valueOf", are not found through the prototype.
  const r2 = records('[{"y": 1}]', ['y', 'valueOf', '__proto__']);
  assert.deepEqual(reasons(r2), ['missingField']);
  // The same column named twice gets the same value twice.
  const r3 = records('[{"y": 1, "p": 2}, {"p": 3, "y": null}]', ['y', 'p', 'y']);
  assert.deepEqual(r3.events.map((e) => e.slice(0, 1).concat(e.slice(3))), [['row', [1, 2, 1]], ['skip']]);
});

test('records: keys change between records (the key cache falls back correctly)', () => {
  const text =
    '[{"a":1,"y_true":2,"y_pred":3},{"y_true":4,"y_pred":5,"a":6},{"y_pred":7,"y_true":8},{"y_tru":9,"y_pred":10},' +
    '{"y_true":11,"y_pred2":12,"y_pred":13},{"y_true":14,"y_pred":15}]';
  const r = records(text, ['y_true', 'y_pred']);
  assert.deepEqual(reasons(r), ['ok', 'ok', 'ok', 'missingField', 'ok', 'ok']);
  assert.deepEqual(rows(r), [[2, 3], [4, 5], [8, 7], [11, 13], [14, 15]]);
});

test('records: a UTF-8 BOM, CRLF line ends and records spread over several lines', () => {
  const text = '\ufeff[\r\n  {\r\n    "y_true": 1,\r\n    "y_pred": 2\r\n  },\r\n\r\n  {\r\n    "y_true":\r\n 3, "y_pred": "4"\r\n  }\r\n]\r\n';
  const r = records(text, ['y_true', 'y_pred']);
  const b = enc(text);
  const firstBrace = b.indexOf(0x7b);
  assert.deepEqual(r.events, [
    ['row', 2, firstBrace, [1, 2]],
    ['row', 7, b.indexOf(0x7b, firstBrace + 1), [3, 4]],
  ]);
  assert.equal(r.line, 12);
});

test('records: big nested metadata, long strings with escapes, deep nesting', () => {
  const meta = {
    list: Array.from({ length: 200 }, (_, k) => ({ k, s: `v"\\${k}\n\t\u00e9\u{1F600}`, arr: [k, null, true, false, [k / 3]] })),
    long: 'x'.repeat(5000) + '\\"' + 'y'.repeat(5000),
  };
  let deep = '1';
  for (let k = 0; k < 2000; k++) deep = k % 2 ? `{"d":${deep}}` : `[${deep}]`;
  const text = `[{"y_true":1,"meta":${JSON.stringify(meta)},"y_pred":2},\n{"deep":${deep},"y_true":3,"y_pred":4},\n{"y_true":5,"y_pred":${deep}}]`;
  // Big records: chunk sizes from 16 bytes (every scan restarts the incomplete record, so 1-byte
  // chunks would be quadratic in the record size; small chunks are covered by the other tests).
  const r = records(text, ['y_true', 'y_pred'], { lines: false }, [16, 61, 1000, 4096, enc(text).length]);
  assert.deepEqual(r.events.map((e) => e.slice(0, 2).concat(e.slice(3))), [
    ['row', 1, [1, 2]],
    ['row', 2, [3, 4]],
    ['skip', 3],
  ]);
  assert.deepEqual(reasons(r), ['ok', 'ok', 'nonNumeric']);
});

test('records: an empty array and whitespace around it', () => {
  const r = records(' \n[ \n ]\n ', ['a']);
  assert.deepEqual(r.events, []);
  assert.equal(r.line, 4);
});

test('JSON Lines: blank lines, CRLF, BOM, whitespace-only lines, last line without a newline', () => {
  const text = '\ufeff{"y_true": 1, "y_pred": 2}\r\n\r\n   \t\r\n{"y_pred": "3", "y_true": 4} \r\n\n{"y_true": null, "y_pred": 1}\n{"y_true":5,"y_pred":6}';
  const r = records(text, ['y_true', 'y_pred'], { lines: true });
  const b = enc(text);
  assert.deepEqual(r.events, [
    ['row', 1, 3, [1, 2]],
    ['row', 4, b.indexOf(0x7b, 4), [4, 3]],
    ['skip', 6, 'na'],
    ['row', 7, b.lastIndexOf(0x7b), [5, 6]],
  ]);
  assert.equal(r.records, 4);
  assert.equal(r.line, 7);
  const r2 = records('{"a":1}\n\n\n', ['a'], { lines: true });
  assert.equal(r2.line, 4);
  assert.deepEqual(records('', ['a'], { lines: true }).events, []);
});

test('records: every syntax and shape error names the file, line and column', () => {
  const L = { lines: true };
  const J = { lines: false };
  const slots = ['y_true', 'y_pred'];
  recordsError('{"y_true":1}\n\n{"y_true":1 "y_pred":2}\n', slots, L, 'jsonSyntax', "Line 3, column 13 of 'x.jsonl' is not valid JSON: expected ',' or '}' after a property value but found '\"'.", 'x.jsonl');
  recordsError('{"a":1}\n[1,2]\n', slots, L, 'jsonSyntax', /^Line 2, column 1 of 'x.json' is not valid JSON: each line of a JSON Lines file must hold one object/);
  recordsError('{"a":1}\n  42\n', slots, L, 'jsonSyntax', /^Line 2, column 3 .*but this line starts with a number\.$/);
  recordsError('{"a":1} {"a":2}\n', slots, L, 'jsonSyntax', "Line 1, column 9 of 'x.json' is not valid JSON: expected the end of the line after the object's closing '}' but found '{'.");
  recordsError('{"a":1,\n"b":2}\n', slots, L, 'jsonSyntax', /^Line 1, column 8 of 'x.json' is not valid JSON: the line ends before the value is complete/);
  recordsError('{"a":1}\n{"a":"x\n', slots, L, 'jsonSyntax', /^Line 2, column 8 of 'x.json' is not valid JSON: the string that starts at column 6 is not closed before the end of the line\.$/);
  recordsError('{"a":1}\n{"a": [1, 2', slots, L, 'jsonSyntax', "Line 2, column 12 of 'x.json' is not valid JSON: the file ends before the object's closing '}'.");
  recordsError('{"a":1}\n{"a": "abc', slots, L, 'jsonSyntax', "Line 2, column 7 of 'x.json' starts a string that is never closed.");

  recordsError('[{"y_true":1},\n {"y_true":2}\n', slots, J, 'jsonSyntax', "'x.json' ends before the closing ']' of the array that starts on line 1, column 1.");
  recordsError('\n [', slots, J, 'jsonSyntax', "'x.json' ends before the closing ']' of the array that starts on line 2, column 2.");
  recordsError('[{"y_true":1},\n {"y_true":2,\n "y_pred": 3', slots, J, 'jsonSyntax', "'x.json' ends before the closing '}' of the record that starts on line 2, column 2.");
  recordsError('[{"y_true":1},\n {"note":\n  "abc\\"}]', slots, J, 'jsonSyntax', "Line 3, column 3 of 'x.json' starts a string that is never closed.");
  recordsError('[{"y_true":1},\n {"note":\n  "abc\\"}]\n', slots, J, 'jsonSyntax', "Line 3, column 11 of 'x.json' is not valid JSON: the string that starts at column 3 is not closed before the end of the line.");
  recordsError('[{"a":1}] x', slots, J, 'jsonSyntax', "Line 1, column 11 of 'x.json' is not valid JSON: unexpected 'x' after the closing ']' of the array.");
  recordsError('[{"a":1}]\n\n]', slots, J, 'jsonSyntax', /^Line 3, column 1 .*unexpected '\]' after the closing '\]'/);
  recordsError('[{"a":1},\n]', slots, J, 'jsonSyntax', "Line 2, column 1 of 'x.json' is not valid JSON: expected a record after ',' but found ']' (remove the trailing comma).");
  recordsError('[{"a":1} {"a":2}]', slots, J, 'jsonSyntax', "Line 1, column 10 of 'x.json' is not valid JSON: expected ',' or ']' after a record but found '{'.");
  recordsError('[{"a":1},\n 2]', slots, J, 'jsonShape', /^Line 2, column 2 of 'x.json' holds an array element that is a number, not an object; Loss Inspector reads an array of objects/);
  recordsError('{"y_true":[1]}', slots, J, 'jsonShape', /^Line 1, column 1 of 'x.json' holds an object at the top level/);
  recordsError('', slots, J, 'emptyFile', "'x.json' is empty (it holds no JSON).");
  recordsError('  \n ', slots, J, 'emptyFile', /is empty/);
  recordsError('[{"a":"x\ty"}]', slots, J, 'jsonSyntax', "Line 1, column 9 of 'x.json' is not valid JSON: a string holds a raw control character (U+0009), which must be written as an escape such as \\t.");
  recordsError('[{"a\tb":1}]', slots, J, 'jsonSyntax', /^Line 1, column 5 .*raw control character \(U\+0009\)/);
  recordsError('[{"a":"x\\qy"}]', slots, J, 'jsonSyntax', "Line 1, column 9 of 'x.json' is not valid JSON: a string holds the invalid escape '\\q'.");
  recordsError('[{"a\\q":1}]', ['y'], J, 'jsonSyntax', /^Line 1, column 5 .*invalid escape '\\q'/);
  recordsError('[{"y_true":"\\u12G4"}]', slots, J, 'jsonSyntax', /^Line 1, column 13 .*\\u escape/);
  recordsError('[{"y_true":-x}]', slots, J, 'jsonSyntax', "Line 1, column 13 of 'x.json' is not valid JSON: a number needs a digit after '-'.");
  recordsError('[{"other":1.}]', slots, J, 'jsonSyntax', /^Line 1, column 13 .*decimal point/);
  recordsError('[{"y_true":1e+}]', slots, J, 'jsonSyntax', /^Line 1, column 15 .*exponent/);
  recordsError('[{"y_true":01}]', slots, J, 'jsonSyntax', /^Line 1, column 13 .*expected ',' or '\}' after a property value but found '1'/);
  recordsError('[{"y_true":tru}]', slots, J, 'jsonSyntax', /^Line 1, column 12 .*expected a value/);
  // Bare NaN / Infinity are read (Python's json writes them); other non-JSON words are not.
  recordsError('[{"y_true":+1}]', slots, J, 'jsonSyntax', /^Line 1, column 12 .*expected a value .* but found '\+'/);
  recordsError('[{"y_true":Nan}]', slots, J, 'jsonSyntax', /^Line 1, column 12 .*expected a value/);
  recordsError('[{"m":{"a" 1}}]', slots, J, 'jsonSyntax', /^Line 1, column 12 .*expected ':' after a property name/);
  recordsError('[{"m":[1 2]}]', slots, J, 'jsonSyntax', /^Line 1, column 10 .*expected ',' or '\]' after an array element/);
  recordsError('[{"m":{"a":1,}}]', slots, J, 'jsonSyntax', /^Line 1, column 14 .*expected a property name in double quotes/);
  recordsError('[{y_true:1}]', slots, J, 'jsonSyntax', "Line 1, column 3 of 'x.json' is not valid JSON: expected a property name in double quotes or '}' but found 'y'.");
  recordsError('[{"a":1,}]', slots, J, 'jsonSyntax', /^Line 1, column 9 .*expected a property name in double quotes after ','/);
  // Columns count characters, not bytes, when the line is at hand.
  const e = expectError(() => feed(new JsonRecordsScanner(slots, new Collector(), 'x.json', J), enc('[{"é€😀":1 2}]'), 1 << 20), 'jsonSyntax', /^Line 1, column 11 /);
  assert.deepEqual(e.location, { file: 'x.json', line: 1, column: 11 });
});

test('records: stopAt / startInsideArray / stoppedAt split a file into ranges that add up', () => {
  const text =
    '[\n{"y_true":1,"y_pred":2},\n  {"y_true":3,\n"y_pred":"x"} ,{"y_true":5,"y_pred":6},\n\n{"note":"{\\"y_true\\":9}","y_true":7,"y_pred":8}\n]\n';
  const bytes = enc(text);
  const full = records(text, ['y_true', 'y_pred']);
  const starts = full.events.map((e) => (e[0] === 'row' ? e[2] : -1));
  // Skipped records have no offset in the events: compute the record starts by hand.
  const recStarts = [text.indexOf('{"y_true":1'), text.indexOf('{"y_true":3'), text.indexOf('{"y_true":5'), text.indexOf('{"note"')];
  assert.deepEqual(starts, [recStarts[0], -1, recStarts[2], recStarts[3]]);
  for (let stopAt = 0; stopAt <= bytes.length + 1; stopAt++) {
    for (const chunk of [1, 4, 1000]) {
      const s1 = new Collector();
      const a = new JsonRecordsScanner(['y_true', 'y_pred'], s1, 'x.json', { lines: false, stopAt });
      const end1 = feed(a, bytes, chunk);
      const expectStop = recStarts.find((o) => o >= stopAt) ?? -1;
      assert.equal(a.stoppedAt, expectStop, `stopAt ${stopAt}`);
      if (expectStop < 0) {
        assert.deepEqual(s1.events, full.events);
        continue;
      }
      assert.equal(end1, expectStop, 'the stop position is the next record');
      const s2 = new Collector();
      const b = new JsonRecordsScanner(['y_true', 'y_pred'], s2, 'x.json', { lines: false, startInsideArray: true });
      feed(b, bytes.subarray(expectStop), chunk, expectStop);
      assert.equal(b.stoppedAt, -1);
      const shifted = s2.events.map((e) => [e[0], e[1] + a.line - 1, ...e.slice(2)] as Ev);
      assert.deepEqual([...s1.events, ...shifted], full.events, `stopAt ${stopAt} chunk ${chunk}`);
      assert.equal(a.records + b.records, 4);
      assert.equal(a.line + b.line - 1, full.line);
    }
  }
  // A middle range: starts inside the array and stops before the end.
  const s = new Collector();
  const mid = new JsonRecordsScanner(['y_true', 'y_pred'], s, 'x.json', { lines: false, startInsideArray: true, stopAt: recStarts[3] });
  feed(mid, bytes.subarray(recStarts[1]), 3, recStarts[1]);
  assert.equal(mid.stoppedAt, recStarts[3]);
  assert.equal(mid.records, 2);
  assert.deepEqual(s.events, [
    ['skip', 1, 'nonNumeric'],
    ['row', 2, recStarts[2], [5, 6]],
  ]);
  assert.equal(mid.line, 4);
});

test('JSON Lines: stopAt splits at line starts', () => {
  const text = '{"y_true":1,"y_pred":2}\n\n{"y_true":3,"y_pred":4}\r\n  \n{"y_true":5,"y_pred":"x"}\n{"y_true":7,"y_pred":8}';
  const bytes = enc(text);
  const full = records(text, ['y_true', 'y_pred'], { lines: true });
  const lineStarts = [0];
  for (let k = 0; k < bytes.length; k++) if (bytes[k] === 10) lineStarts.push(k + 1);
  for (let stopAt = 0; stopAt <= bytes.length + 1; stopAt++) {
    for (const chunk of [1, 5, 1000]) {
      const s1 = new Collector();
      const a = new JsonRecordsScanner(['y_true', 'y_pred'], s1, 'x.jsonl', { lines: true, stopAt });
      feed(a, bytes, chunk);
      const expectStop = lineStarts.find((o) => o >= stopAt) ?? -1;
      assert.equal(a.stoppedAt, expectStop, `stopAt ${stopAt}`);
      if (expectStop < 0) {
        assert.deepEqual(s1.events, full.events);
        continue;
      }
      const s2 = new Collector();
      const b = new JsonRecordsScanner(['y_true', 'y_pred'], s2, 'x.jsonl', { lines: true });
      feed(b, bytes.subarray(expectStop), chunk, expectStop);
      const shifted = s2.events.map((e) => [e[0], e[1] + a.line - 1, ...e.slice(2)] as Ev);
      assert.deepEqual([...s1.events, ...shifted], full.events, `stopAt ${stopAt} chunk ${chunk}`);
      assert.equal(a.records + b.records, 4);
    }
  }
});

test('records: random files agree with a JSON.parse reference at every chunk size (property)', () => {
  const keyPool = ['y_true', 'y_pred', 'w', 'note', '__proto__', 'constructor', 'y\\u005fpred', 'a\\"b', 'é'];
  const decodedKey = (k: string) => JSON.parse(`"${k}"`) as string;
  const value = fc.oneof(
    fc.double().filter((x) => Number.isFinite(x)).map((x) => JSON.stringify(x)),
    fc.integer().map(String),
    fc.constantFrom('1e999', '-1e999', '0', '-0', '1E+2', '2.5e-3'),
    fc.constantFrom('"1.5"', '"NaN"', '"NA"', '""', '"inf"', '"abc"', '" 7 "', '"\\u0032"'),
    fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
  );
  const ws = fc.constantFrom('', ' ', '\n', '\r\n', '\t');
  const rec = fc.array(fc.tuple(fc.constantFrom(...keyPool), value, ws, ws), { maxLength: 6 });
  const slots = ['y_true', 'y_pred', 'a"b', '__proto__'];
  fc.assert(
    fc.property(fc.array(rec, { maxLength: 6 }), fc.boolean(), (recs, lines) => {
      const texts = recs.map((pairs) => '{' + pairs.map(([k, v, w1, w2]) => `${lines ? '' : w1}"${k}"${lines ? ' ' : w2}:${v}`).join(',') + '}');
      const text = lines ? texts.join('\n') + '\n' : '[\n' + texts.join(',\n') + '\n]';
      // Reference: JSON.parse, the last duplicate wins.
      const expected: string[] = [];
      for (const pairs of recs) {
        const last = new Map<string, string>();
        for (const [k, v] of pairs) last.set(decodedKey(k), v);
        let reason = 'ok';
        for (const s of slots) {
          const v = last.get(s);
          let r: string;
          if (v === undefined) r = 'missingField';
          else {
            const x: unknown = JSON.parse(v);
            if (typeof x === 'number') r = Number.isFinite(x) ? 'ok' : 'infinite';
            else if (x === null) r = 'na';
            else if (typeof x === 'string') {
              const k = classifyField(x, false).kind;
              r = k === 'number' ? 'ok' : k;
            } else r = 'nonNumeric';
          }
          if (r !== 'ok') {
            reason = r;
            break;
          }
        }
        expected.push(reason);
      }
      const bytes = enc(text);
      for (const chunk of [1, 2, 7, bytes.length]) {
        const sink = new Collector();
        feed(new JsonRecordsScanner(slots, sink, 'p.json', { lines }), bytes, chunk);
        assert.deepEqual(reasons(sink), expected);
      }
    }),
    { numRuns: 300 },
  );
});

// ------------------------------------------------------------------------------------------------
// JsonColumnsScanner
// ------------------------------------------------------------------------------------------------

test('columns: arrays become rows; non-array properties are skipped; element lines', () => {
  const text =
    '\ufeff{\n  "meta": {"y_true": [9, 9], "s": "a\\"]}"},\n  "y_true": [1, 2.5,\n    "3", null],\n  "n": 5,\n' +
    '  "y_pred": [\n    1.5,\n    2,\n    "NaN",\n    4\n  ],\n  "ids": [[1], {"a": 2}, true, "x"]\n}\n';
  const r = columnsScan(text, ['y_true', 'y_pred']);
  assert.deepEqual(r.columns, ['y_true', 'y_pred', 'ids']);
  const off = (needle: string) => text.indexOf(needle) + 2; // the BOM is 1 character but 3 bytes
  assert.deepEqual(r.events, [
    ['row', 3, off('"y_true": [1') + 11, [1, 1.5]],
    ['row', 3, off('2.5,'), [2.5, 2]],
    ['skip', 4, 'na'],
    ['skip', 4, 'na'],
  ]);
  assert.equal(r.line, 14);
  const r2 = columnsScan(text, ['ids', 'y_true']);
  assert.deepEqual(reasons(r2), ['nonNumeric', 'nonNumeric', 'nonNumeric', 'nonNumeric']);
  assert.deepEqual(lines(r2), [12, 12, 12, 12]);
});

test('columns: classification, empty arrays, duplicates, strange names', () => {
  const text =
    '{"__proto__": [1, "2", "", "inf", 1e999, true, {}, "abc", "NA", -0],' +
    ' "constructor": [0, 0, 0, 0, 0, 0, 0, 0, 0, 0], "a\\u0022b": [], "x": [1], "x": "scalar wins"}';
  const r = columnsScan(text, ['__proto__', 'constructor']);
  assert.deepEqual(r.columns, ['__proto__', 'constructor', 'a"b']);
  assert.deepEqual(reasons(r), ['ok', 'ok', 'empty', 'infinite', 'infinite', 'nonNumeric', 'nonNumeric', 'nonNumeric', 'na', 'ok']);
  assert.deepEqual(rows(r), [[1, 0], [2, 0], [-0, 0]]);
  const r2 = columnsScan('{"a": [1, 2], "b": [3, 4], "a": [5, 6, 7], "b": [8, 9, 10]}', ['a', 'b']);
  assert.deepEqual(r2.columns, ['a', 'b']);
  assert.deepEqual(rows(r2), [[5, 8], [6, 9], [7, 10]]);
  const r3 = columnsScan(' {"a": [], "b": [ ]} ', ['a', 'b']);
  assert.deepEqual(r3.events, []);
});

test('columns: unknown columns, length mismatch and syntax errors', () => {
  const sc = new JsonColumnsScanner('x.json');
  feed(sc, enc('{"y_true": [1, 2, 3, 4, 5], "y_pred": [1, 2, 3, 4], "meta": {"a": 1}}'), 7);
  assert.deepEqual(sc.columns(), ['y_true', 'y_pred']);
  expectError(() => sc.emit(['y_true', 'y_pred'], new Collector()), 'lengthMismatch', `In 'x.json' the arrays "y_true" (5 values) and "y_pred" (4 values) differ in length.`);
  expectError(() => sc.emit(['y_true', 'meta'], new Collector()), 'unknownColumn', `'x.json' has no array named "meta"; its arrays are: "y_true", "y_pred".`);
  const empty = new JsonColumnsScanner('x.json');
  feed(empty, enc('{"a": 1}'), 3);
  expectError(() => empty.emit(['a'], new Collector()), 'jsonShape', /^'x.json' holds no array-valued property; Loss Inspector reads an array of objects/);

  columnsError('', 'emptyFile', "'c.json' is empty (it holds no JSON).");
  columnsError('{"y_true": [1, 2,\n 3', 'jsonSyntax', `'c.json' ends before the closing ']' of the array "y_true" that starts on line 1.`);
  columnsError('{"y_true": [1, 2], "meta": {"a": ', 'jsonSyntax', `'c.json' ends before the closing '}' of the top-level object.`);
  columnsError('{"y_true": [1, 2]', 'jsonSyntax', `'c.json' ends before the closing '}' of the top-level object.`);
  columnsError('{"y_true": [1, "ab\\"]}', 'jsonSyntax', "Line 1, column 16 of 'c.json' starts a string that is never closed.");
  columnsError('{"y_true": [1, 2]} []', 'jsonSyntax', "Line 1, column 20 of 'c.json' is not valid JSON: unexpected '[' after the closing '}' of the top-level object.");
  columnsError('{"y_true": [1,\n 2,]}', 'jsonSyntax', "Line 2, column 4 of 'c.json' is not valid JSON: expected an array element after ',' but found ']' (remove the trailing comma).");
  columnsError('{"y_true": [1 2]}', 'jsonSyntax', /^Line 1, column 15 .*expected ',' or '\]' after an array element but found '2'/);
  columnsError('{"y_true" [1]}', 'jsonSyntax', /^Line 1, column 11 .*expected ':' after a property name/);
  columnsError('{"y_true": [1]\n "y_pred": [2]}', 'jsonSyntax', /^Line 2, column 2 .*expected ',' or '\}' after a property value/);
  columnsError('{"y_true": [1],}', 'jsonSyntax', /^Line 1, column 16 .*expected a property name in double quotes after ','/);
  columnsError('[1, 2]', 'jsonShape', /^Line 1, column 1 of 'c.json' holds an array at the top level instead of an object of arrays/);
  columnsError('{"y_true": [-]}', 'jsonSyntax', /^Line 1, column 14 .*digit after '-'/);
});

// ------------------------------------------------------------------------------------------------
// Speed
// ------------------------------------------------------------------------------------------------

test('many records: 250,000 records over many 1 MiB chunks, none lost, no accidental quadratic behaviour', () => {
  // Not a speed test (that is npm run bench): the bound is CPU time (robust to other processes'
  // load) with a margin of five times or more, so that only a scan gone super-linear trips it.
  const N = 250_000;
  // Built straight as bytes (building that many strings takes longer than scanning them).
  const tails = Array.from({ length: 1000 }, (_, k) => enc(`,"y_true":${k},"y_pred":${k + 0.5},"note":"abc"}`));
  const head = enc('{"id":');
  for (const lines of [false, true]) {
    const bytes = new Uint8Array(N * 64);
    let n = 0;
    if (!lines) bytes[n++] = 0x5b;
    for (let i = 0; i < N; i++) {
      if (i > 0 && !lines) bytes[n++] = 0x2c;
      bytes.set(head, n);
      n += head.length;
      const digits = String(i);
      for (let d = 0; d < digits.length; d++) bytes[n++] = digits.charCodeAt(d);
      const tail = tails[i % 1000];
      bytes.set(tail, n);
      n += tail.length;
      bytes[n++] = 0x0a;
    }
    if (!lines) bytes[n++] = 0x5d;
    const data = bytes.subarray(0, n);
    let used = 0;
    let sum = 0;
    const sink: RowSink = {
      row(_line, _offset, v) {
        used++;
        sum += v[1] - v[0];
      },
      skip() {},
    };
    const sc = new JsonRecordsScanner(['y_true', 'y_pred'], sink, 'big.json', { lines });
    const chunk = 1 << 20;
    const buf = new Uint8Array(chunk * 2);
    let have = 0;
    let read = 0;
    let off = 0;
    const c0 = process.cpuUsage();
    for (;;) {
      const n = Math.min(chunk, data.length - read);
      buf.set(data.subarray(read, read + n), have);
      have += n;
      read += n;
      const eof = read >= data.length;
      sc.bufferOffset = off;
      const c = sc.scan(buf, 0, have, eof);
      if (eof) break;
      buf.copyWithin(0, c, have);
      have -= c;
      off += c;
    }
    const cpu = process.cpuUsage(c0);
    const ms = (cpu.user + cpu.system) / 1000;
    assert.equal(used, N);
    assert.equal(sum, N * 0.5);
    assert.ok(ms < 3000, `${lines ? 'JSON Lines' : 'JSON'}: ${ms.toFixed(0)} ms of CPU for ${N} records (${(data.length / 1e6).toFixed(1)} MB)`);
  }
});

test('records: a column that the first record leaves out is found; that record is a counted skip', async () => {
  const { analyzeText } = await import('../helpers/run');
  for (const [name, text] of [
    ['omit.json', '[{"y_true": 0},\n{"y_true": 1, "y_pred": 1.5},\n{"y_true": 2, "y_pred": 1}]\n'],
    ['omit.jsonl', '{"y_true": 0}\n{"y_true": 1, "y_pred": 1.5}\n{"y_true": 2, "y_pred": 1}\n'],
  ]) {
    const r = await analyzeText(name, text);
    assert.deepEqual(r.columns, ['y_true', 'y_pred'], name);
    assert.equal(r.rows.used, 2, name);
    assert.deepEqual(r.rows.skippedByReason, { missingField: 1 }, name);
    assert.deepEqual(r.rows.firstSkippedLines.missingField, [1], name);
    assert.equal(r.models[0].metrics.mae, 0.75, name);
  }
  // A broken record after the first: the scan's sentence, with its line and column.
  await assert.rejects(analyzeText('bad.jsonl', '{"y_true": 0, "y_pred": 1}\n{"y_true": 1, "y_pred": 1.5,}\n'), /Line 2, column 29 of 'bad\.jsonl' is not valid JSON/);
});
