/**
 * Compare Loss from the Command Palette (core/compare/palette.ts): the baseline first (the active
 * file offered first), then one file at a time, each chosen file left out of the next question,
 * Done offered from the third question on, and nothing more asked once every file is chosen.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { paletteStep, type PaletteFile } from '../../src/core/compare/palette';

const f = (path: string): PaletteFile<string> => ({ file: path, key: `file:///w/${path}`, name: path.split('/').pop() ?? path, path });
const found = ['runs/b/preds.csv', 'a.csv', 'runs/a/preds.csv', 'c.csv'].map(f);

test('the first question: the baseline, the active file first, then every file by path', () => {
  const s = paletteStep(found, [], 'file:///w/c.csv');
  assert.ok(s);
  assert.equal(s.title, 'Loss Inspector: Compare Loss (1): the baseline file');
  assert.equal(s.done, null);
  assert.deepEqual(s.choices.map((c) => c.path), ['c.csv', 'a.csv', 'runs/a/preds.csv', 'runs/b/preds.csv']);
  // No active file (or one that is not a data file): by path only.
  assert.deepEqual(paletteStep(found, [], undefined)?.choices.map((c) => c.path), ['a.csv', 'c.csv', 'runs/a/preds.csv', 'runs/b/preds.csv']);
});

test('then one file at a time: the chosen ones left out, Done first from the third question on, the files in the order chosen', () => {
  const chosen = [f('c.csv')];
  const second = paletteStep(found, chosen, 'file:///w/c.csv');
  assert.ok(second);
  assert.equal(second.title, 'Loss Inspector: Compare Loss (2): a file compared with c.csv');
  assert.equal(second.done, null, 'one file is not a comparison: no Done yet');
  // The active file is the baseline already: the rest by path.
  assert.deepEqual(second.choices.map((c) => c.path), ['a.csv', 'runs/a/preds.csv', 'runs/b/preds.csv']);
  chosen.push(second.choices[2]);
  const third = paletteStep(found, chosen, 'file:///w/c.csv');
  assert.ok(third);
  assert.equal(third.title, 'Loss Inspector: Compare Loss (3): one more file compared with c.csv, or Done');
  assert.equal(third.done, 'Done: compare c.csv vs preds.csv');
  assert.equal(third.placeHolder, 'Done (or Escape) compares the 2 files chosen.');
  assert.deepEqual(third.choices.map((c) => c.path), ['a.csv', 'runs/a/preds.csv']);
  chosen.push(third.choices[0], third.choices[1]);
  assert.equal(paletteStep(found, chosen, undefined), null, 'every file chosen: nothing more to ask');
});

test('two files in the workspace: both questions, then nothing more; a file found twice is offered once', () => {
  const two = [f('a.csv'), f('b.csv'), f('a.csv')];
  const first = paletteStep(two, [], undefined);
  assert.deepEqual(first?.choices.map((c) => c.path), ['a.csv', 'b.csv']);
  const second = paletteStep(two, [two[1]], undefined);
  assert.deepEqual(second?.choices.map((c) => c.path), ['a.csv']);
  assert.equal(paletteStep(two, [two[1], two[0]], undefined), null);
});
