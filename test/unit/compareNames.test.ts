/** Compared files' model prefixes (core/compare/names.ts): distinct and readable when names collide. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { modelPrefixes } from '../../src/core/compare/names';

test('distinct names stay the file names; colliding ones get the folders that tell them apart', () => {
  assert.deepEqual(modelPrefixes(['a.csv', 'b.csv', 'c.csv']), ['a.csv', 'b.csv', 'c.csv']);
  assert.deepEqual(modelPrefixes(['runs/a/preds.csv', 'runs/b/preds.csv', 'other.csv']), ['a/preds.csv', 'b/preds.csv', 'other.csv']);
  assert.deepEqual(modelPrefixes(['x/run/preds.csv', 'y/run/preds.csv']), ['x/run/preds.csv', 'y/run/preds.csv']);
  assert.deepEqual(modelPrefixes(['C:\\d\\a\\p.csv', 'C:\\d\\b\\p.csv']), ['a/p.csv', 'b/p.csv']);
  // A name whose path is used up stays short; the other one is lengthened.
  assert.deepEqual(modelPrefixes(['./p.csv', 'sub/p.csv']), ['p.csv', 'sub/p.csv']);
});

test('the same path given twice is numbered in the order given', () => {
  assert.deepEqual(modelPrefixes(['a.csv', 'a.csv']), ['a.csv (1)', 'a.csv (2)']);
  assert.deepEqual(modelPrefixes(['d/a.csv', 'd/a.csv', 'b.csv']), ['d/a.csv (1)', 'd/a.csv (2)', 'b.csv']);
});
