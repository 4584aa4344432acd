import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hashOffset, SAMPLE_SIZE } from '../../src/core/tasks/regression/parts';
import { RangeAccumulator } from '../../src/core/tasks/regression/accumulate';

/** Feeds rows at the given offsets (target = offset, prediction = offset + 1) and returns the sample's offsets. */
function sampleOf(offsets: number[]): number[] {
  const acc = new RangeAccumulator(1, { beta: 1, delta: 1 }, 5);
  offsets.forEach((o, i) => acc.row(i + 1, o, new Float64Array([o, o + 1])));
  return acc.result(offsets.length).sample.map((s) => s.offset);
}

/** The reference: the SAMPLE_SIZE smallest (hash, offset), in that order. */
function expected(offsets: number[]): number[] {
  return offsets
    .map((o) => [hashOffset(o), o] as const)
    .sort((a, b) => a[0] - b[0] || a[1] - b[1])
    .slice(0, SAMPLE_SIZE)
    .map((p) => p[1]);
}

test('the scatter sample is the SAMPLE_SIZE smallest hashes, through many trims', () => {
  const offsets = Array.from({ length: 50_000 }, (_, i) => i * 37 + 11);
  const got = sampleOf(offsets);
  assert.equal(got.length, SAMPLE_SIZE);
  assert.deepEqual(got, expected(offsets));
});

test('a hash tie at the trim cut keeps the smaller offsets', () => {
  // Two offsets with the same 31-bit hash (a birthday search), made the SAMPLE_SIZE-th and
  // (SAMPLE_SIZE + 1)-th smallest of the candidates when the first trim happens.
  const seen = new Map<number, number>();
  let pair: [number, number] | undefined;
  for (let o = 0; !pair; o++) {
    const h = hashOffset(o);
    const other = seen.get(h);
    if (other !== undefined) pair = [other, o];
    else seen.set(h, o);
  }
  const tie = hashOffset(pair[0]);
  const lower: number[] = [];
  const higher: number[] = [];
  for (const [h, o] of seen) {
    if (o === pair[0]) continue;
    if (h < tie && lower.length < SAMPLE_SIZE - 1) lower.push(o);
    else if (h > tie && higher.length < 3 * SAMPLE_SIZE) higher.push(o);
  }
  assert.equal(lower.length, SAMPLE_SIZE - 1, 'enough offsets hash below the tie');
  // The first 2·SAMPLE_SIZE candidates (the first trim) hold both, with room for one of them; the
  // larger offset arrives first, so keeping ties in arrival order would keep the wrong one.
  const offsets = [pair[1], ...lower, pair[0], ...higher];
  assert.equal(offsets.indexOf(higher[SAMPLE_SIZE - 2]), 2 * SAMPLE_SIZE - 1, 'both are in the first trim');
  const got = sampleOf(offsets);
  assert.deepEqual(got, expected(offsets));
  assert.ok(got.includes(pair[0]) && !got.includes(pair[1]), 'the smaller offset of the tie is kept');
});
