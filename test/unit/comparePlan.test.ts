/**
 * Compare Loss in VS Code (#15 item 3): which files an Explorer selection compares (every one, the
 * first selected deciding the rows), which columns could be the key (in every file), and the
 * sentences the extension shows.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareFailure, comparePlan, compareTitle, keyCandidates, needTwoFiles, groupSettingUnused } from '../../src/core/compare/plan';

const id = (s: string) => s;

test('a selection of two: in the order selected, whichever was right-clicked', () => {
  assert.deepEqual(comparePlan('b.csv', ['a.csv', 'b.csv'], id), { ok: true, files: ['a.csv', 'b.csv'] });
  assert.deepEqual(comparePlan('a.csv', ['a.csv', 'b.csv'], id), { ok: true, files: ['a.csv', 'b.csv'] });
});

test('a right-click outside the selection adds the clicked file after it; duplicates count once', () => {
  assert.deepEqual(comparePlan('c.csv', ['a.csv'], id), { ok: true, files: ['a.csv', 'c.csv'] });
  assert.deepEqual(comparePlan('a.csv', ['a.csv', 'a.csv'], id), { ok: false, have: ['a.csv'] });
});

test('three or more: every selected file compared, in the order selected, the clicked one after the selection', () => {
  assert.deepEqual(comparePlan('c.csv', ['a.csv', 'b.csv', 'c.csv', 'd.csv'], id), { ok: true, files: ['a.csv', 'b.csv', 'c.csv', 'd.csv'] });
  assert.deepEqual(comparePlan('e.csv', ['c.csv', 'a.csv', 'b.csv'], id), { ok: true, files: ['c.csv', 'a.csv', 'b.csv', 'e.csv'] });
});

test('fewer than two (the Command Palette, one file): what there is, to ask for the rest', () => {
  assert.deepEqual(comparePlan(undefined, undefined, id), { ok: false, have: [] });
  assert.deepEqual(comparePlan('a.csv', undefined, id), { ok: false, have: ['a.csv'] });
  assert.match(needTwoFiles(0), /^Compare Loss needs two or more predictions files: select them in the Explorer/);
  assert.match(needTwoFiles(1), /a second predictions file/);
});

test('works on any handle through its key (URIs in the extension)', () => {
  const u = (s: string) => ({ s });
  const p = comparePlan(u('b'), [u('a'), u('b')], (x) => x.s);
  assert.ok(p.ok);
  assert.deepEqual(p.files.map((x) => x.s), ['a', 'b']);
});

test('key candidates: columns of every file, not a target or a prediction, in the first file’s order', () => {
  assert.deepEqual(keyCandidates([['id', 'y', 'pred', 'fold', 'only_a'], ['pred', 'fold', 'y', 'id', 'only_b']], ['y', 'pred']), ['id', 'fold']);
  assert.deepEqual(keyCandidates([['y', 'pred'], ['y', 'pred']], ['y', 'pred']), []);
  assert.deepEqual(keyCandidates([['id', 'id', 'y'], ['id']], ['y']), ['id']);
  // A third file without "fold": only "id" is in all three.
  assert.deepEqual(keyCandidates([['id', 'y', 'pred', 'fold'], ['fold', 'id', 'y', 'pred'], ['y', 'id', 'pred']], ['y', 'pred']), ['id']);
});

test('the sentences name the files and settings', () => {
  assert.equal(compareTitle(['a.csv', 'b.csv']), 'a.csv vs b.csv');
  assert.equal(compareTitle(['a.csv', 'b.csv', 'c.csv']), 'a.csv vs b.csv vs c.csv');
  assert.equal(compareTitle(['a.csv', 'b.csv', 'c.csv', 'd.csv', 'e.csv']), 'a.csv vs 4 files');
  assert.deepEqual(groupSettingUnused({ groupBy: '' }, false, 'a.csv'), []);
  assert.deepEqual(groupSettingUnused({ groupBy: 'region' }, true, 'a.csv'), [], 'grouped: nothing to say');
  assert.deepEqual(groupSettingUnused({ groupBy: 'region' }, false, 'runs/a.csv'), [
    `The setting lossInspector.columns.groupBy names "region", which is not a column of 'runs/a.csv' (the first file, whose rows' groups a comparison reports) other than its target, predictions and weight, so the report is not grouped.`,
  ]);
});

test('a failed comparison: the engine’s sentence, with where VS Code sets the key when that is the advice', () => {
  const differ = "Row 1 differs: its target is 1 on line 2 of 'a.csv' and 2 on line 2 of 'b.csv'.";
  assert.equal(compareFailure(differ, 'filesDiffer', { name: null, fromSetting: false }), `${differ} In VS Code, choose the key column when Compare Loss asks, or set lossInspector.compare.key.`);
  assert.equal(compareFailure(differ, 'filesDiffer', { name: 'id', fromSetting: false }), differ);
  assert.match(compareFailure('The key column "id" is not a column of \'b.csv\'.', 'unknownColumn', { name: 'id', fromSetting: true }), /The key is the setting lossInspector\.compare\.key: clear it/);
  assert.equal(compareFailure('No file.', 'notFound', { name: null, fromSetting: false }), 'No file.');
});
