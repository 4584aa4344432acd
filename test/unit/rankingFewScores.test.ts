/**
 * ROC AUC, AP and the curves of scores with few distinct values (classification/ranking.ts: counted
 * in a hash table, only the distinct values sorted) equal those of the sorting walk: the weighted
 * path with every weight 1 sums the same integer counts per score in another code path, so the
 * results must agree to the bit — for three decimals, for a table that grows several times, for
 * −0 and +0 (one score), negative logits, and for mostly distinct scores (the fallback).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ranking, rankingOfSegments } from '../../src/core/tasks/classification/ranking';
import { rng } from '../helpers/run';

function data(n: number, value: (u: number) => number, seed: number): { s: Float64Array; y: Uint8Array } {
  const r = rng(seed);
  const s = Float64Array.from({ length: n }, () => value(r()));
  const y = Uint8Array.from(s, (x) => (r() < 1 / (1 + Math.exp(-4 * x)) ? 1 : 0));
  return { s, y };
}

const cases: [string, number, (u: number) => number][] = [
  ['three decimals', 200_000, (u) => Math.round(u * 1000) / 1000],
  ['5000 distinct values (the table grows)', 100_000, (u) => Math.floor(u * 5000) / 5000 - 0.5],
  ['−0, +0 and a few logits', 50_000, (u) => (u < 0.3 ? -0 : u < 0.6 ? 0 : Math.round((u - 0.8) * 40))],
  ['mostly distinct (more than 65536)', 150_000, (u) => u - 0.5],
];

for (const [name, n, value] of cases) {
  test(`ranking of scores with ${name}: the counted walk equals the weighted one`, () => {
    const { s, y } = data(n, value, n);
    // Split into segments as the stored rows are (several chunks).
    const cut = Math.floor(n / 3);
    const segments = [
      { y: y.slice(0, cut), s: s.slice(0, cut) },
      { y: y.slice(cut), s: s.slice(cut) },
    ];
    const counted = rankingOfSegments(segments, new Uint8Array(n));
    const weighted = ranking(s, y, new Float64Array(n).fill(1));
    assert.ok(counted.rocAuc !== null && counted.rocAuc > 0.5 && counted.rocAuc < 1, `AUC ${counted.rocAuc}`);
    assert.equal(counted.rocAuc, weighted.rocAuc);
    assert.equal(counted.averagePrecision, weighted.averagePrecision);
    assert.deepEqual(counted.roc, weighted.roc);
    assert.deepEqual(counted.pr, weighted.pr);
    assert.equal(counted.delong.pos.s1, weighted.delong.pos.s1);
    assert.equal(counted.delong.neg.s2, weighted.delong.neg.s2);
  });
}
