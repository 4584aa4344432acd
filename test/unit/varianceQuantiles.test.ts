/**
 * A model with both a predicted variance (#16 item 2) and a quantile set (#16 item 3), weighted:
 * the spread columns and the set's own columns are read in separate slots after the weight, so
 * neither reads the other's values. Expected values from the definitions, computed here.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyze } from '../../src/engine/analyze';
import { openFileSource } from '../../src/engine/source';
import { opts, rng } from '../helpers/run';

test('a predicted variance and a quantile set on one model, weighted: each metric from its own columns', async () => {
  const next = rng(29);
  const rows: number[][] = [];
  const lines = ['y,pred,pred_var,pred_q10,pred_q90,w'];
  for (let i = 0; i < 500; i++) {
    const y = Math.round(next() * 1e4) / 100;
    const p = Math.round((y + (next() - 0.5) * 6) * 100) / 100;
    const v = Math.round((0.5 + next() * 2) * 100) / 100;
    const lo = Math.round((p - 1 - next()) * 100) / 100;
    const hi = Math.round((p + 1 + next()) * 100) / 100;
    const w = 1 + Math.floor(next() * 3);
    rows.push([y, p, v, lo, hi, w]);
    lines.push([y, p, v, lo, hi, w].join(','));
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'li-vq-'));
  const file = path.join(dir, 'vq.csv');
  fs.writeFileSync(file, lines.join('\n') + '\n');
  const src = openFileSource(file);
  let r;
  try {
    r = await analyze(src, opts({ columns: { weight: 'w' } }));
  } finally {
    src.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  assert.equal(r.models.length, 1);
  const m = r.models[0];
  assert.equal(m.prediction, 'pred');
  let W = 0;
  let nll = 0;
  let pin10 = 0;
  let pin90 = 0;
  let in1 = 0;
  let covered = 0;
  for (const [y, p, v, lo, hi, w] of rows) {
    W += w;
    nll += w * 0.5 * (Math.log(v) + ((y - p) * (y - p)) / v);
    pin10 += w * (y >= lo ? 0.1 * (y - lo) : 0.9 * (lo - y));
    pin90 += w * (y >= hi ? 0.9 * (y - hi) : 0.1 * (hi - y));
    if (Math.abs(p - y) <= Math.sqrt(v)) in1 += w;
    if (lo <= y && y <= hi) covered += w;
  }
  const close = (got: number | null | undefined, want: number, what: string) => assert.ok(typeof got === 'number' && Math.abs(got - want) <= 1e-12 * Math.abs(want), `${what}: ${got} vs ${want}`);
  close(m.metrics.gaussianNll, nll / W, 'gaussianNll');
  close(m.sigmaCoverage?.within1, in1 / W, 'within 1σ');
  assert.deepEqual(m.quantiles?.map((x) => x.column), ['pred_q10', 'pred_q90']);
  close(m.quantiles?.[0].pinball, pin10 / W, 'pinball at 0.1');
  close(m.quantiles?.[1].pinball, pin90 / W, 'pinball at 0.9');
  close(m.quantileIntervals?.[0].coverage, covered / W, '80% interval coverage');
});
