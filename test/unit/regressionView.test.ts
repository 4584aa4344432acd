import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText, csvOf, rng } from '../helpers/run';
import { CURVES, LossParams } from '../../src/core/tasks/regression/losses';
import { gradMagnitude, ROW_LOSSES, rowLoss } from '../../src/core/tasks/regression/losses';
import { Report } from '../../src/core/tasks/regression/report';
import { curveRange, gradientCurves, lossCurves, rowsBeyond } from '../../src/core/tasks/regression/view/curves';
import { EXPLOSIVE_RATIO, gradientDistribution } from '../../src/core/tasks/regression/view/gradients';
import { histogramBars, residualDensity } from '../../src/core/tasks/regression/view/histogram';
import { normalQuantile, qqPlot, qqView } from '../../src/core/tasks/regression/view/qq';
import { robustnessContrast, robustnessRows } from '../../src/core/tasks/regression/view/robustness';
import { scatter } from '../../src/core/tasks/regression/view/scatter';
import { rowSeries } from '../../src/core/tasks/regression/view/series';
import { bestModels } from '../../src/core/tasks/regression/view/summary';
import { sweepAt, sweepIndex, sweepSeries } from '../../src/core/tasks/regression/view/sweep';

/** n rows of target and prediction = target + noise·scale, with `outliers` rows far off. */
async function reportOf(n: number, scale: number, outliers: number[] = [], params: LossParams = { beta: 1, delta: 1 }): Promise<Report> {
  const r = rng(7);
  const rows: number[][] = [];
  for (let i = 0; i < n; i++) {
    const t = Math.round(r() * 1e4) / 100;
    const noise = (r() + r() + r() - 1.5) * scale;
    rows.push([t, Number((t + (i < outliers.length ? outliers[i] : noise)).toFixed(4))]);
  }
  return analyzeText('p.csv', csvOf(['y_true', 'y_pred'], rows), { params, topK: 10 });
}

const y = (pts: { x: number; y: number | null }[], x: number) => pts.find((p) => p.x === x)?.y;
const curve = (set: ReturnType<typeof lossCurves>, key: string) => {
  const c = set.curves.find((k) => k.key === key);
  assert.ok(c, `no curve ${key}`);
  return c.points;
};

test('the curve range covers every residual when there are no outliers', async () => {
  const r = await reportOf(500, 2);
  const range = curveRange(r);
  const max = r.models[0].absQuantiles.max;
  assert.ok(range.end >= max, `end ${range.end} < max |d| ${max}`);
  assert.ok(range.end <= 2 * max, `end ${range.end} is far beyond max |d| ${max}`);
  assert.equal(range.clipped, false);
  assert.deepEqual(rowsBeyond(r.models[0], range.end), { count: 0, atLeast: false });
  // every sample residual is inside the picture
  const density = residualDensity(r, 0, range.end);
  assert.equal(density.source, 'all');
  assert.equal(density.bars.reduce((s, b) => s + b.count, 0), r.rows.used);
});

test('huge outliers do not squash the curves: the range covers p99 and counts what it leaves out', async () => {
  const r = await reportOf(500, 2, [1e6, -3e5]);
  const q = r.models[0].absQuantiles;
  const range = curveRange(r);
  assert.ok(range.end >= q.p99, `end ${range.end} < p99 ${q.p99}`);
  assert.ok(range.end < 100, `end ${range.end} should ignore the 1e6 outlier`);
  assert.equal(range.clipped, true);
  assert.equal(range.maxAbs, 1e6);
  assert.deepEqual(rowsBeyond(r.models[0], range.end), { count: 2, atLeast: false });
  assert.deepEqual(curveRange(r, 0), range);
  const density = residualDensity(r, 0, range.end);
  assert.equal(density.bars.reduce((s, b) => s + b.count, 0), r.rows.used - 2);
});

test('the range of one model covers that model, the range of all covers every model', async () => {
  const rows: number[][] = [];
  for (let i = 0; i < 200; i++) rows.push([i, i + ((i % 5) - 2) * 0.1, i + ((i % 7) - 3) * 10]);
  const r = await analyzeText('p.csv', csvOf(['y_true', 'a', 'b'], rows), { columns: { predictions: ['a', 'b'] } });
  const [qa, qb] = r.models.map((m) => m.absQuantiles.max);
  const a = curveRange(r, 0);
  assert.ok(a.end >= qa && a.end < qb, `model a: ±${a.end} for max |d| ${qa}`);
  assert.ok(curveRange(r, 1).end >= qb);
  assert.ok(curveRange(r).end >= qb);
});

test('the range brings β and δ into view when they are near the data, and is sane for perfect predictions', async () => {
  const r = await reportOf(200, 0.5, [], { beta: 2.5, delta: 0.1 });
  const range = curveRange(r);
  assert.ok(range.end > 2.5, `β = 2.5 is outside ±${range.end}`);
  const perfect = await analyzeText('p.csv', csvOf(['y_true', 'y_pred'], [[1, 1], [2, 2], [3, 3]]));
  const pr = curveRange(perfect);
  assert.ok(pr.end > 0 && Number.isFinite(pr.end));
  assert.equal(pr.clipped, false);
});

test('loss curves: the textbook values, and smooth L1 / Huber are continuous at |d| = β, δ', () => {
  const params = { beta: 0.7, delta: 1.3 };
  const end = 5;
  const set = lossCurves(end, params, 401);
  assert.deepEqual(
    set.curves.map((c) => c.key),
    CURVES.map((c) => c.key),
  );
  assert.equal(y(curve(set, 'l1'), end), end);
  assert.equal(y(curve(set, 'l2'), -end), end * end);
  assert.equal(y(curve(set, 'l1'), 0), 0);
  // the kinks are sample points, with the values where both pieces meet
  assert.equal(y(curve(set, 'smoothL1'), 0.7), 0.35);
  assert.equal(y(curve(set, 'smoothL1'), -0.7), 0.35);
  assert.ok(Math.abs((y(curve(set, 'huber'), 1.3) as number) - 0.5 * 1.3 * 1.3) < 1e-15);
  // no jump anywhere: |Δloss| ≤ (largest slope)·|Δd| between neighbouring points
  for (const [key, slope] of [['smoothL1', 1], ['huber', 1.3], ['l1', 1], ['logCosh', 1]] as const) {
    const pts = curve(set, key);
    for (let i = 1; i < pts.length; i++) {
      const dy = Math.abs((pts[i].y as number) - (pts[i - 1].y as number));
      assert.ok(dy <= slope * (pts[i].x - pts[i - 1].x) * (1 + 1e-9) + 1e-12, `${key} jumps between d = ${pts[i - 1].x} and ${pts[i].x}`);
    }
  }
  // symmetric in d, bounded point count, L2 may leave the chart but the others fit
  for (const c of set.curves) {
    assert.ok(c.points.length <= 405, `${c.key} has ${c.points.length} points`);
    assert.equal(c.points[0].y, c.points[c.points.length - 1].y);
  }
  assert.deepEqual(set.offChart, ['l2']);
  assert.ok(set.yMax >= end, 'L1 at the range end must be visible');
});

test('gradient curves: L2 is 2d up to the range end, L1 is ±1 with a break at 0, smooth L1 is bounded by 1', () => {
  const params = { beta: 1, delta: 1 };
  for (const end of [0.5, 4, 50]) {
    const set = gradientCurves(end, params, 201);
    const l2 = curve(set, 'l2');
    assert.equal(y(l2, end), 2 * end);
    assert.equal(y(l2, -end), -2 * end);
    const l1 = curve(set, 'l1');
    assert.equal(y(l1, 0), null, 'the L1 gradient has a break at 0');
    assert.ok(l1.every((p) => p.y === null || Math.abs(p.y) === 1));
    const s = curve(set, 'smoothL1');
    assert.ok(s.every((p) => p.y !== null && Math.abs(p.y) <= 1));
    assert.equal(y(s, 0), 0);
    assert.ok(set.yMax >= 1 && set.yMin === -set.yMax);
  }
  // every bounded gradient is inside the chart, whatever the range, β and δ
  for (const end of [0.04, 1, 30]) {
    for (const p of [{ beta: 0, delta: 0.5 }, { beta: 1, delta: 1 }, { beta: 0.01, delta: 20 }]) {
      const set = gradientCurves(end, p);
      for (const c of set.curves.filter((k) => k.key !== 'l2')) {
        assert.ok(c.points.every((q) => q.y === null || Math.abs(q.y) <= set.yMax), `${c.key} leaves the chart at end ${end}, ${JSON.stringify(p)}`);
      }
    }
  }
  // a wide range: L2 leaves the chart so the bounded curves stay readable
  assert.deepEqual(gradientCurves(50, params).offChart, ['l2']);
  assert.ok(gradientCurves(50, params).yMax < 5);
  // a narrow one: everything fits
  assert.deepEqual(gradientCurves(0.5, params).offChart, []);
  // β = 0: smooth L1 is L1, with the same break
  assert.equal(y(curve(gradientCurves(3, { beta: 0, delta: 1 }), 'smoothL1'), 0), null);
});

test('histogram bars keep every count and stay bounded', () => {
  const counts = Array.from({ length: 1000 }, (_, i) => i % 7);
  const h = { min: -3, max: 7, counts };
  const bars = histogramBars(h, 200);
  assert.equal(bars.length, 200);
  assert.equal(bars.reduce((s, b) => s + b.count, 0), counts.reduce((s, c) => s + c, 0));
  assert.equal(bars[0].x0, -3);
  assert.equal(bars[bars.length - 1].x1, 7);
  assert.deepEqual(histogramBars({ min: 0, max: 1, counts: [1, 2] }).map((b) => b.count), [1, 2]);
  // all residuals equal: one degenerate bin, still drawable
  assert.deepEqual(histogramBars({ min: 2, max: 2, counts: [5] }), [{ x0: 2, x1: 2, x: 2, count: 5 }]);
});

test('per-row loss along the file is the loss of min and max |d| of each point', async () => {
  const r = await reportOf(5000, 3);
  const s = r.models[0].series;
  assert.ok(s.rowsPerPoint > 1);
  const params = { beta: 0.5, delta: 2 };
  for (const def of CURVES) {
    const rs = rowSeries(s, def.key, params);
    assert.equal(rs.x.length, s.maxAbs.length);
    assert.ok(rs.x.length <= 2000);
    assert.equal(rs.x[0], 1);
    assert.equal(rs.x[1], 1 + s.rowsPerPoint);
    assert.equal(rs.max[3], def.value(s.maxAbs[3], params));
    assert.ok(rs.max.every((m, i) => (m as number) >= (rs.min[i] as number)));
  }
  // the largest per-row L1 is the largest |d| of the file
  assert.equal(Math.max(...(rowSeries(s, 'l1', params).max as number[])), r.models[0].absQuantiles.max);
});

test('sweepAt returns the exact grid value for a grid β and agrees with the metric at the β in force', async () => {
  const r = await reportOf(400, 2, [], { beta: 0.37, delta: 1.9 });
  const m = r.models[0];
  const sw = m.sweep;
  const k = Math.floor(sw.values.length / 2);
  const at = sweepAt(sw, sw.values[k]);
  assert.deepEqual(at, { index: k, value: sw.values[k], smoothL1: sw.smoothL1[k], huber: sw.huber[k], quadraticShare: sw.quadraticShare[k] });
  const here = sweepAt(sw, 0.37);
  assert.equal(here?.value, 0.37);
  assert.ok(Math.abs((here?.smoothL1 as number) - (m.metrics.smoothL1 as number)) < 1e-9);
  assert.ok(Math.abs((sweepAt(sw, 1.9)?.huber as number) - (m.metrics.huber as number)) < 1e-9);
  // nearest on a log scale; β = 0 (plain L1) snaps to the smallest β
  const between = Math.sqrt(sw.values[k] * sw.values[k + 1]) * 1.001;
  assert.equal(sweepIndex(sw, between), k + 1);
  assert.equal(sweepIndex(sw, 0), 0);
  assert.equal(sweepIndex({ values: [] }, 1), -1);
  // a larger β puts more rows in the quadratic zone
  assert.ok(sw.quadraticShare.every((q, i) => i === 0 || q >= sw.quadraticShare[i - 1]));
  const series = sweepSeries(sw);
  assert.equal(series.smoothL1.length, sw.values.length);
  assert.equal(series.huber[k].y, sw.huber[k]);
});

test('the scatter pairs target and prediction with their line, and the y = x line spans both', async () => {
  const r = await analyzeText('p.csv', csvOf(['y_true', 'a', 'b'], [[1, 2, 0], ['NA', 5, 5], [3, 3, 9], [-4, -1, 1]]), { columns: { predictions: ['a', 'b'] } });
  const s = scatter(r, 1);
  assert.deepEqual(s.points, [
    { x: 1, y: 0, line: 2 },
    { x: 3, y: 9, line: 4 },
    { x: -4, y: 1, line: 5 },
  ]);
  assert.equal(s.lo, -4);
  assert.equal(s.hi, 9);
  assert.equal(s.outside, 0);
  assert.ok(scatter(r, 0, 2).points.length <= 2);
});

test('one wild prediction does not squash the scatter: the view keeps every target and says what it leaves out', async () => {
  const rows: number[][] = [];
  for (let i = 0; i < 300; i++) rows.push([i % 50, (i % 50) + (i === 7 ? 1e4 : 0.5)]);
  const r = await analyzeText('p.csv', csvOf(['y_true', 'y_pred'], rows));
  const s = scatter(r, 0);
  assert.ok(s.lo <= 0 && s.hi >= 49.5, `[${s.lo}, ${s.hi}] must cover the targets and ordinary predictions`);
  assert.ok(s.hi < 100, `the 1e4 prediction squashes the view to [${s.lo}, ${s.hi}]`);
  assert.equal(s.outside, 1);
  assert.equal(s.points.length, 300);
});

test('the best model per metric: lowest loss, highest R², bias closest to 0; none when all tie', async () => {
  const r = await analyzeText('p.csv', csvOf(['y_true', 'good', 'bad'], [[1, 1.1, 3], [2, 1.9, 0], [3, 3.2, 3], [4, 3.9, 4.5]]), {
    columns: { predictions: ['good', 'bad'] },
  });
  assert.deepEqual(bestModels(r, 'mse'), [0]);
  assert.deepEqual(bestModels(r, 'r2'), [0]);
  assert.deepEqual(bestModels(r, 'meanError'), [0]);
  const one = await analyzeText('p.csv', csvOf(['y_true', 'y_pred'], [[1, 2], [2, 2]]));
  assert.deepEqual(bestModels(one, 'mse'), []);
  const tie = await analyzeText('p.csv', csvOf(['y_true', 'a', 'b'], [[1, 2, 2], [2, 2, 2]]), { columns: { predictions: ['a', 'b'] } });
  assert.deepEqual(bestModels(tie, 'mae'), []);
});

// ---- robustness, gradients over the rows, Q-Q ------------------------------------------------

/** Rows y_true, y_pred with residuals drawn by `noise` (seeded), plus `outliers` as the first residuals. */
async function reportOfResiduals(n: number, noise: (r: () => number) => number, outliers: number[] = [], params: LossParams = { beta: 1, delta: 1 }) {
  const r = rng(11);
  const rows: number[][] = [];
  const ds: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = Math.round(r() * 1e4) / 100;
    const d = i < outliers.length ? outliers[i] : noise(r);
    const p = Number((t + d).toFixed(6));
    rows.push([t, p]);
    ds.push(p - t);
  }
  const report = await analyzeText('p.csv', csvOf(['y_true', 'y_pred'], rows), { params, topK: 10 });
  return { report, ds };
}
/** A standard normal variate (Box–Muller). */
const gauss = (r: () => number) => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());

test('Φ⁻¹ matches the textbook quantiles of the standard normal', () => {
  const close = (p: number, want: number, tol = 1e-13) => {
    const got = normalQuantile(p);
    assert.ok(Math.abs(got - want) <= tol * Math.max(1, Math.abs(want)), `Φ⁻¹(${p}) = ${got}, want ${want}`);
  };
  close(0.975, 1.959963984540054);
  close(0.025, -1.959963984540054);
  close(0.5, 0);
  close(0.75, 0.6744897501960817);
  close(0.8, 0.8416212335729144);
  close(0.995, 2.5758293035489004);
  close(0.001, -3.090232306167813);
  close(1e-10, -6.361340902404056);
  close(1e-20, -9.262340089798408, 1e-12);
  for (const p of [0.01, 0.2, 0.4, 0.6, 0.93]) assert.ok(Math.abs(normalQuantile(p) + normalQuantile(1 - p)) < 1e-14, `Φ⁻¹(${p}) ≠ −Φ⁻¹(${1 - p})`);
  assert.equal(normalQuantile(0), -Infinity);
  assert.equal(normalQuantile(1), Infinity);
  assert.ok(Number.isNaN(normalQuantile(-0.1)) && Number.isNaN(normalQuantile(1.5)) && Number.isNaN(normalQuantile(NaN)));
  // increasing across the branches of the approximation (|p − 0.5| = 0.425, r = 5)
  const ps = [1e-12, 1e-11, 0.0001, 0.074, 0.075, 0.076, 0.3, 0.924, 0.925, 0.926, 0.9999];
  for (let i = 1; i < ps.length; i++) assert.ok(normalQuantile(ps[i]) > normalQuantile(ps[i - 1]));
});

test('robustness: the worst 1% of rows carry most of L2 but little of L1, as counted by hand', async () => {
  const { report, ds } = await reportOfResiduals(500, (r) => gauss(r), [60, -45, 38, -52, 41]);
  const m = report.models[0];
  const rows = robustnessRows(m);
  assert.deepEqual(rows.map((r) => r.key), [...ROW_LOSSES]);
  for (const r of rows) {
    assert.ok(r.worst1 !== null && r.worst10 !== null);
    assert.ok(r.worst1 >= 0 && r.worst1 <= 1 && r.worst10 <= 1, `${r.key}: ${r.worst1}, ${r.worst10}`);
    assert.ok(r.worst10 >= r.worst1, `${r.key}: the worst 10% carry less than the worst 1%`);
    assert.ok(r.without1 !== null && r.mean !== null && r.without1 < r.mean, `${r.key}: dropping the worst rows must lower the mean`);
  }
  // by hand: the 5 largest |d| of 500 rows
  const sorted = ds.map(Math.abs).sort((a, b) => b - a);
  const params = report.params;
  for (const key of ROW_LOSSES) {
    const loss = sorted.map((z) => rowLoss(key, z, params));
    const total = loss.reduce((s, v) => s + v, 0);
    const top = loss.slice(0, 5).reduce((s, v) => s + v, 0);
    const row = rows.find((r) => r.key === key);
    assert.ok(Math.abs((row?.worst1 as number) - top / total) < 1e-6, `${key}: ${row?.worst1} vs ${top / total}`);
    assert.ok(Math.abs((row?.without1 as number) - (total - top) / 495) < 1e-6 * (total / 495));
  }
  const l2 = rows.find((r) => r.key === 'l2') as (typeof rows)[number];
  const l1 = rows.find((r) => r.key === 'l1') as (typeof rows)[number];
  assert.ok((l2.worst1 as number) > 0.8 && (l1.worst1 as number) < 0.4, `L2 ${l2.worst1}, L1 ${l1.worst1}`);
  const c = robustnessContrast(m);
  assert.equal(c?.most.key, 'l2');
  assert.equal(c?.least.key, 'l1');
  assert.equal(c?.similar, false);
  // a perfect fit: no share is defined, so no sentence
  const perfect = await analyzeText('p.csv', csvOf(['y_true', 'y_pred'], [[1, 1], [2, 2], [3, 3]]));
  assert.equal(robustnessContrast(perfect.models[0]), undefined);
  assert.ok(robustnessRows(perfect.models[0]).every((r) => r.worst1 === null));
});

test('gradients over the rows: every row is counted once per loss, where its gradient lies', async () => {
  const { report, ds } = await reportOfResiduals(2000, (r) => 3 * gauss(r), [80, -120]);
  const m = report.models[0];
  const n = report.rows.used;
  const dist = gradientDistribution(m, report.params, report.params);
  assert.ok(dist.edges.length >= 2 && dist.edges.length <= 161);
  assert.equal(dist.rows, n);
  for (const l of dist.losses) {
    assert.equal(l.counts.length, dist.edges.length - 1);
    const total = l.counts.reduce((s, c) => s + c, 0) + l.below;
    assert.equal(total, n, `${l.key}: ${total} rows counted of ${n}`);
    assert.ok(l.counts.every((c) => c >= 0));
  }
  const loss = (k: string) => dist.losses.find((l) => l.key === k) as (typeof dist.losses)[number];
  const binOf = (g: number) => dist.edges.findIndex((e, i) => i < dist.edges.length - 1 && g >= e && g < dist.edges[i + 1]);
  const shareAtOrAbove = (k: string, g: number) => loss(k).counts.slice(binOf(g)).reduce((s, c) => s + c, 0) / n;
  // rows with |d| below the |d| histogram's range are counted apart, as the data says
  assert.equal(dist.belowRows, ds.filter((d) => Math.abs(d) < dist.belowAbs).length);
  assert.ok(dist.losses.every((l) => l.below === dist.belowRows));
  // L1: every other row pulls with 1
  assert.equal(loss('l1').counts[binOf(1)], n - dist.belowRows);
  // smooth L1 (β = 1) and Huber (δ = 1): capped at 1, and the rows at the cap are those with |d| ≥ 1
  const beyond = ds.filter((d) => Math.abs(d) >= 1).length / n;
  for (const k of ['smoothL1', 'huber']) {
    assert.equal(loss(k).counts.slice(binOf(1) + 1).reduce((s, c) => s + c, 0), 0, `${k} has gradients above its cap`);
    assert.ok(Math.abs(shareAtOrAbove(k, 1) - beyond) < 0.02, `${k}: ${shareAtOrAbove(k, 1)} at the cap, ${beyond} rows with |d| ≥ 1`);
  }
  // L2: the largest gradient is 2·max|d| = 240, in the last non-empty bin; half the rows pull less than 2·median|d|
  const l2 = loss('l2');
  const last = l2.counts.reduce((at, c, i) => (c > 0 ? i : at), -1);
  assert.equal(last, binOf(240));
  const half = 1 - shareAtOrAbove('l2', 2 * m.absQuantiles.p50);
  const binShare = l2.counts[binOf(2 * m.absQuantiles.p50)] / n;
  assert.ok(half <= 0.5 && half + binShare >= 0.5, `${half}…${half + binShare} of the rows below the median gradient`);
  // the summary figures are the engine's, and the ratio is large for L2 only
  for (const l of dist.losses) assert.deepEqual(l.stats, m.gradients?.[l.key]);
  assert.ok((l2.stats.ratio as number) >= EXPLOSIVE_RATIO);
  assert.equal(loss('l1').stats.ratio, 1);
  // another β (the slider's): smooth L1 follows it, the others keep the engine's figures
  const tried = gradientDistribution(m, { beta: 50, delta: 1 }, report.params);
  const s = tried.losses.find((l) => l.key === 'smoothL1');
  assert.equal(s?.stats.median, gradMagnitude('smoothL1', m.absQuantiles.p50, { beta: 50, delta: 1 }));
  assert.equal(s?.stats.max, 1);
  assert.deepEqual(tried.losses.find((l) => l.key === 'l2')?.stats, m.gradients?.l2);
  assert.equal((s?.counts.reduce((a, c) => a + c, 0) as number) + (s?.below as number), n);
  // bounded bins whatever β
  assert.ok(gradientDistribution(m, { beta: 1e-9, delta: 1e9 }, report.params, 160).edges.length <= 161);
});

test('gradients of a perfect fit: every row is below the chart, nothing explodes', async () => {
  const perfect = await analyzeText('p.csv', csvOf(['y_true', 'y_pred'], [[1, 1], [2, 2], [3, 3]]));
  const dist = gradientDistribution(perfect.models[0], perfect.params, perfect.params);
  assert.deepEqual(dist.edges, []);
  assert.ok(dist.losses.every((l) => l.below === 3 && l.counts.length === 0 && l.stats.ratio === null));
});

test('Q-Q: normal residuals lie on the line through the quartiles, whose slope is their σ', async () => {
  const { report } = await reportOfResiduals(1000, (r) => 2 * gauss(r));
  const qq = qqPlot(report, 0);
  assert.equal(qq.rows, 1000);
  assert.equal(qq.source, 'all');
  assert.equal(qq.points.length, 1000);
  assert.equal(qq.points[0].x, normalQuantile(0.5 / 1000));
  for (let i = 1; i < qq.points.length; i++) {
    assert.ok(qq.points[i].x > qq.points[i - 1].x && qq.points[i].y >= qq.points[i - 1].y);
  }
  assert.ok(Math.abs(qq.slope - 2) < 0.2, `slope ${qq.slope} for σ = 2`);
  assert.ok(Math.abs(qq.intercept) < 0.2, `intercept ${qq.intercept}`);
  for (const p of qq.points.filter((q) => Math.abs(q.x) < 2)) {
    assert.ok(Math.abs(p.y - (qq.intercept + qq.slope * p.x)) < 0.5, `(${p.x}, ${p.y}) is off the line`);
  }
  assert.ok(qq.tailRatio !== null && Math.abs(qq.tailRatio - 1) < 0.15, `tail ratio ${qq.tailRatio}`);
  assert.ok(qq.extreme !== null && qq.extreme.sigmas < 1.3 * qq.normalReach, `extreme ${qq.extreme?.sigmas}σ, normal reach ${qq.normalReach}`);
  // each point keeps the line of its row
  const lines = new Set(report.sample.lines);
  assert.ok(qq.points.every((p) => lines.has(p.line)));
  // bounded, the extremes kept
  const few = qqPlot(report, 0, 100);
  assert.ok(few.points.length <= 100);
  assert.deepEqual(few.points[0], qq.points[0]);
  assert.deepEqual(few.points[few.points.length - 1], qq.points[qq.points.length - 1]);
});

test('Q-Q: heavy tails bend away from the line, and an outlier stands far beyond a normal sample’s reach', async () => {
  // Laplace residuals: heavier tails than normal (1%–99% spread ≈ 1.6× the line's)
  const laplace = (r: () => number) => (r() < 0.5 ? 1 : -1) * Math.log(1 - r());
  const heavy = qqPlot((await reportOfResiduals(1500, laplace)).report, 0);
  assert.ok((heavy.tailRatio as number) > 1.3, `Laplace tail ratio ${heavy.tailRatio}`);
  // uniform residuals: lighter tails
  const light = qqPlot((await reportOfResiduals(1500, (r) => 2 * r() - 1)).report, 0);
  assert.ok((light.tailRatio as number) < 0.8, `uniform tail ratio ${light.tailRatio}`);
  // one wild row among normal ones
  const { report } = await reportOfResiduals(500, gauss, [-40]);
  const qq = qqPlot(report, 0);
  assert.equal(qq.extreme?.d, -40);
  assert.equal(qq.extreme?.line, 2);
  assert.ok((qq.extreme?.sigmas as number) > 5 * qq.normalReach);
  assert.equal(qq.points[0].y, -40);
  // the view keeps the body readable, leaves out only the wild row, and says so
  const view = qqView(qq);
  assert.equal(view.clipped, true);
  assert.equal(view.outside, 1);
  assert.ok(view.lo > -40 && view.hi >= qq.points[qq.points.length - 1].y);
  assert.ok(view.hi - view.lo < 15, `the view [${view.lo}, ${view.hi}] is squashed by the outlier`);
  // normal residuals: everything in view
  const normalView = qqView(qqPlot((await reportOfResiduals(500, gauss)).report, 0));
  assert.deepEqual([normalView.clipped, normalView.outside], [false, 0]);
  // no residuals at all: nothing to plot
  const empty = qqPlot({ sample: { lines: [], target: [], predictions: [[]] }, rows: report.rows }, 0);
  assert.deepEqual(empty.points, []);
});

test('groups: worst first by the chosen metric (R² smallest, bias by size), the overall value alongside', async () => {
  const { groupRows, groupableColumns, badness } = await import('../../src/core/tasks/regression/view/groups');
  const csv = 'g,y_true,y_pred,other,w\n' + ['a,1,2', 'a,2,2', 'b,1,-3', 'b,5,5', 'c,0,0.5', 'c,2,1'].map((r) => `${r},x,1`).join('\n') + '\n';
  const r = await analyzeText('g.csv', csv, { columns: { groupBy: 'g', weight: 'w' } });
  assert.deepEqual(groupableColumns(r), ['g', 'other']);
  const byMae = groupRows(r, 'mae', 0);
  assert.deepEqual(byMae.order.map((i) => r.groups?.groups[i].value), ['b', 'c', 'a'], 'MAE: b 2, c 0.75, a 0.5');
  assert.deepEqual(byMae.values[0], [2, 0.75, 0.5]);
  assert.equal(byMae.overall[0], r.models[0].metrics.mae);
  // bias: a +0.5, b −2, c −0.25 → by |bias|
  assert.deepEqual(groupRows(r, 'meanError', 0).order.map((i) => r.groups?.groups[i].value), ['b', 'a', 'c']);
  assert.deepEqual(groupRows(r, 'mae', 0, 2).order.length, 2);
  assert.ok(badness('r2', 0.2) > badness('r2', 0.9), 'a smaller R² is worse');
  assert.equal(badness('mae', null), -Infinity, 'undefined values go last');
});
