/**
 * The pure parts of comparing binary classifiers (core/compare): the joiner with label ids (the
 * caller's sameTarget, the label's text and word in the sentence, no changed rows of its own,
 * the key id handed to emit), sameLabel, and the changed rows by log loss over stored rows in
 * chunks (lines in each model's file, logits and probabilities, ties to the earlier row).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { changedClassRows, JoinedLines, sameLabel } from '../../src/core/compare/changedClass';
import { JoinerN } from '../../src/core/compare/joinN';
import { isLossInspectorError } from '../../src/core/errors';

test('sameLabel: the same text, or the same number as each file writes numbers', () => {
  assert.ok(sameLabel('1', '1.0', false, false));
  assert.ok(sameLabel('0,5', '0.5', true, false));
  assert.ok(sameLabel('spam', 'spam', false, false));
  assert.ok(!sameLabel('1', 'yes', false, false));
  assert.ok(!sameLabel('Spam', 'spam', false, false));
  assert.ok(!sameLabel('NaN', 'NaN ', false, false));
});

test('the joiner with label ids: the caller says which ids agree; a sentence names the labels and both lines', () => {
  const texts = ['1', '0', '1.0', 'no'];
  const emitted: { lines: number[]; values: number[]; key: number }[] = [];
  const j = new JoinerN({
    files: ['a.csv', 'b.csv'],
    key: null,
    models: [1, 1],
    names: ['a.csv:p', 'b.csv:p'],
    label: () => '',
    top: 5,
    targetWord: 'label',
    targetText: (id) => JSON.stringify(texts[id]),
    sameTarget: (a, b) => sameLabel(texts[a], texts[b], false, false),
    changes: false,
    emit: (lines, values, key) => emitted.push({ lines: [...lines], values: [...values], key }),
  });
  j.row(0, 2, Float64Array.of(0, 0.9), -1);
  j.row(0, 3, Float64Array.of(1, 0.2), -1);
  j.row(1, 2, Float64Array.of(2, 0.8), -1);
  assert.deepEqual(emitted, [{ lines: [2, 2], values: [0, 0.9, 0.8], key: -1 }], "'1.0' is the class '1': the first file's id is kept");
  assert.throws(
    () => j.row(1, 3, Float64Array.of(3, 0.1), -1),
    (e: unknown) => isLossInspectorError(e) && e.code === 'filesDiffer' && e.location.file === 'b.csv' && e.location.line === 3 && /^Row 2 differs: its label is "0" on line 3 of 'a\.csv' and "no" on line 3 of 'b\.csv'\..* the same label in both/.test(e.message),
  );
  assert.deepEqual(j.finish().changed, [], 'no changed rows of its own');
});

test('changed rows by log loss over stored chunks: lines in each model’s file, the key, logits, ties to the earlier row', () => {
  const lines = new JoinedLines(2);
  // Three joined rows: lines in a.csv 2, 3, 4; in b.csv 9, 8, 7; key ids 0, 1, 2.
  [
    [2, 9],
    [3, 8],
    [4, 7],
  ].forEach((l, i) => lines.push(Float64Array.from(l), i));
  const keys = ['k1', 'k2', 'k3'];
  const texts = ['yes', 'no'];
  const setup = {
    names: ['a.csv:p', 'b.csv:p', 'b.csv:z'],
    models: [1, 2],
    baseline: 0,
    top: 2,
    kinds: ['probabilities', 'probabilities', 'logits'] as ('probabilities' | 'logits')[],
    positive: (id: number) => (id === 0 ? 1 : 0),
    labelText: (id: number) => texts[id],
    keyText: (id: number) => keys[id],
  };
  // Two chunks (rows 0–1, then row 2), as the family stores them.
  const stored = {
    labelIds: [Uint16Array.of(0, 1), Uint16Array.of(0)],
    scores: [
      [Float64Array.of(0.5, 0.5), Float64Array.of(0.8)],
      [Float64Array.of(0.25, 0.75), Float64Array.of(0.2)],
      [Float64Array.of(0, 0), Float64Array.of(Math.log(4))],
    ],
  };
  const [p, z] = changedClassRows(stored, lines, setup);
  assert.deepEqual([p.a, p.b, p.fileA, p.fileB, z.b], ['a.csv:p', 'b.csv:p', 0, 1, 'b.csv:z']);
  // b.csv:p: row 0 (yes) −log 0.25 + log 0.5 = log 2; row 1 (no) −log 0.25 + log 0.5 = log 2 (a tie: row 0 first); row 2 −log 0.2 + log 0.8 = log 4.
  assert.deepEqual(
    p.rows.map((r) => [r.key, r.lineA, r.lineB, r.label, r.a, r.b]),
    [
      ['k3', 4, 7, 'yes', 0.8, 0.2],
      ['k1', 2, 9, 'yes', 0.5, 0.25],
    ],
  );
  assert.ok(Math.abs(p.rows[0].change - Math.log(4)) < 1e-15 && Math.abs(p.rows[1].change - Math.log(2)) < 1e-15);
  // b.csv:z (logits): rows 0 and 1 at logit 0 lose log 2 as the baseline does (no change: not listed); row 2, σ(log 4) = 0.8.
  assert.deepEqual(z.rows.map((r) => r.key), ['k3']);
  assert.ok(Math.abs(z.rows[0].lossB - -Math.log(0.8)) < 1e-15 && Math.abs(z.rows[0].change) < 1e-15);
});
