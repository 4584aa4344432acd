import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText, rng } from '../helpers/run';

/** The reference: every row by |d| descending, then by line, cut to k. */
function reference(rows: [number, number][], k: number, firstLine = 2) {
  return rows
    .map(([t, p], i) => ({ line: i + firstLine, target: t, prediction: p, residual: p - t }))
    .sort((a, b) => Math.abs(b.residual) - Math.abs(a.residual) || a.line - b.line)
    .slice(0, k);
}

test('the worst rows are the K largest |d|, ties by line, in any row order (#19 item 4)', async () => {
  const r = rng(7);
  // Few distinct |d| (many ties), and orders that stress a heap: ascending |d| (every row
  // displaces the least bad one kept), descending, and shuffled.
  const base: [number, number][] = Array.from({ length: 3000 }, () => {
    const t = Math.round(r() * 100);
    return [t, t + Math.round((r() - 0.5) * 20) / 2];
  });
  const byAbs = (s: number) => (a: [number, number], b: [number, number]) => s * (Math.abs(a[1] - a[0]) - Math.abs(b[1] - b[0]));
  for (const rows of [base, base.slice().sort(byAbs(1)), base.slice().sort(byAbs(-1))]) {
    const text = `y_true,y_pred\n${rows.map(([t, p]) => `${t},${p}`).join('\n')}\n`;
    for (const k of [1, 2, 7, 100, 2999, 3000, 5000]) {
      const rep = await analyzeText('w.csv', text, { topK: k });
      assert.deepEqual(rep.models[0].worst, reference(rows, k), `k = ${k}`);
    }
  }
});

test('--top 0 keeps no rows', async () => {
  const rep = await analyzeText('w.csv', 'y_true,y_pred\n1,2\n3,5\n', { topK: 0 });
  assert.deepEqual(rep.models[0].worst, []);
});
