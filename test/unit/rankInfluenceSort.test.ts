/**
 * The sort under the rank influences (src/core/intervals/rankInfluence.ts sortedRows): a counting
 * sort by the keys' top 16 bits, then each bin by insertion (small) or radix (large). Checked
 * against a plain stable sort on scores built to hit every path: ties (rows of one score must stay
 * in row order, the walk sums them in that order), −0 and +0 (one score), negatives, tiny and huge
 * magnitudes, a crowded bin (radix) and sparse ones (insertion).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addRankInfluences, RankScratch, sortedRows } from '../../src/core/intervals/rankInfluence';
import { rng } from '../helpers/run';

function scores(n: number, seed: number): Float64Array {
  const r = rng(seed);
  const s = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const u = r();
    if (u < 0.5) s[i] = 0.125 + r() * 0.01; // one crowded bin: the radix path
    else if (u < 0.6) s[i] = Math.round(r() * 20) / 20; // ties
    else if (u < 0.65) s[i] = r() < 0.5 ? -0 : 0;
    else if (u < 0.8) s[i] = -Math.exp(40 * (r() - 0.5));
    else s[i] = Math.exp(600 * (r() - 0.5)); // sparse bins: insertion
  }
  return s;
}

test('sortedRows orders the rows as a stable sort of their scores, −0 with +0, each row tagged with its index and class', () => {
  for (const [n, seed] of [[1, 1], [70, 2], [5000, 3], [40000, 4]]) {
    const s = scores(n, seed);
    const pos = Uint8Array.from(s, (_, i) => (i % 3 === 0 ? 1 : 0));
    const rows = sortedRows(s, pos, new RankScratch());
    const expected = Array.from(s.keys()).sort((a, b) => (s[a] === s[b] ? a - b : s[a] - s[b]));
    assert.equal(rows.length, 3 * n);
    const got = Array.from({ length: n }, (_, j) => rows[3 * j + 2] >>> 1);
    assert.deepEqual(got, expected, `n = ${n}`);
    for (let j = 0; j < n; j++) assert.equal(rows[3 * j + 2] & 1, pos[got[j]]);
    // Equal scores, equal keys (the walk's groups); different scores, different keys.
    for (let j = 1; j < n; j++) {
      const same = rows[3 * j] === rows[3 * j - 3] && rows[3 * j + 1] === rows[3 * j - 2];
      assert.equal(same, s[got[j]] === s[got[j - 1]], `rows ${got[j - 1]} and ${got[j]}`);
    }
  }
});

test('the influences of both metrics at once equal each one alone (the paired and the single scatter)', () => {
  const n = 30000;
  const s = scores(n, 9);
  const r = rng(10);
  const pos = Uint8Array.from(s, () => (r() < 0.3 ? 1 : 0));
  const w = Float64Array.from(s, () => 0.5 + r());
  const scratch = new RankScratch();
  for (const weights of [null, w]) {
    const both = [new Float64Array(n).fill(0.25), new Float64Array(n).fill(-0.5)];
    const auc = new Float64Array(n).fill(0.25);
    const ap = new Float64Array(n).fill(-0.5);
    const v = addRankInfluences(s, pos, weights, 0.1, both[0], both[1], scratch);
    addRankInfluences(s, pos, weights, 0.1, auc, null, scratch);
    addRankInfluences(s, pos, weights, 0.1, null, ap, new RankScratch());
    assert.ok(v && v.auc > 0 && v.auc < 1);
    assert.deepEqual(both[0], auc);
    assert.deepEqual(both[1], ap);
  }
});
