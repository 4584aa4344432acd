import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RangeAccumulator } from '../../src/core/tasks/regression/accumulate';
import { NBASE, SUM_KEYS } from '../../src/core/tasks/regression/parts';
import { ExactSum } from '../../src/core/exactSum';
import type { Report } from '../../src/core/tasks/regression/report';
import { analyzeText, csvOf, rng } from '../helpers/run';

/** Two models' rows with count targets ≥ 1, so that every loss of counts is defined and summed too. */
function rowsOf(n: number): Float64Array[] {
  const next = rng(7);
  return Array.from({ length: n }, () => {
    const t = 1 + Math.floor(next() * 20);
    return new Float64Array([t, t + 0.3 + next() * 4, t + 1 + next()]);
  });
}

function sumsOf(squares: boolean): number[][] {
  const acc = new RangeAccumulator(2, { beta: 1, delta: 1 }, 5, false, undefined, undefined, -1, undefined, null, squares);
  rowsOf(5000).forEach((v, i) => acc.row(i + 1, i * 40, v));
  return acc.result(5000).models.map((m) => SUM_KEYS.map((k) => ExactSum.from(m.sums[k]).value()));
}

test('without intervals the losses are summed as with them, and their squares are not summed', () => {
  const on = sumsOf(true);
  const off = sumsOf(false);
  for (let m = 0; m < 2; m++) {
    assert.deepEqual(off[m].slice(0, NBASE), on[m].slice(0, NBASE), `model ${m}: the losses' sums`);
    assert.ok(on[m].slice(NBASE).every((x) => x > 0), `model ${m}: with intervals every square is summed`);
    assert.ok(off[m].slice(NBASE).every((x) => x === 0), `model ${m}: without them none is`);
  }
});

test('--confidence 0 reports the same metrics as the default, without intervals', async () => {
  const text = csvOf(['y', 'a', 'b'], rowsOf(3000).map((v) => Array.from(v)));
  const strip = (r: Report) => r.models.map((m) => ({ ...m, intervals: null }));
  const columns = { target: 'y', predictions: ['a', 'b'] };
  const with95 = await analyzeText('c.csv', text, { columns, intervals: { confidence: 0.95 } });
  const without = await analyzeText('c.csv', text, { columns, intervals: { confidence: 0 } });
  assert.ok(with95.models.every((m) => m.intervals !== null));
  assert.ok(without.models.every((m) => m.intervals === null));
  assert.deepEqual(strip(without), strip(with95));
});
