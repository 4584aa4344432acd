/**
 * The delta-method intervals of R², the explained variance and the D² scores (#15 item 1,
 * src/core/tasks/regression/ratioIntervals.ts): coverage by simulation where the true value is
 * known in closed form (normal targets and residuals), and the end-to-end numbers against the
 * Python reference (scripts/dev/interval-reference.py) in intervals.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { zOf } from '../../src/core/intervals/confusion';
import { ratioIntervals, RatioKey } from '../../src/core/tasks/regression/ratioIntervals';
import { rng } from '../helpers/run';

function normal(next: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
}

/** numpy.percentile (linear) of sorted values. */
function percentile(sorted: Float64Array, q: number): number {
  const vi = (sorted.length - 1) * q;
  const lo = Math.floor(vi);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (vi - lo);
}

const pinball = (u: number, q: number) => (u > 0 ? q * u : (q - 1) * u);

test('coverage: R², explained variance, D² absolute error and D² pinball (q = 0.8) cover their true values 93–97% of the time', () => {
  // t ~ N(0, 1), prediction = 0.8·t + N(0, 0.5²): d = −0.2·t + ε, σ_d² = 0.04 + 0.25.
  const sd = Math.sqrt(0.04 + 0.25);
  const q = 0.8;
  const zq = 0.8416212335729143; // Φ⁻¹(0.8)
  const phi = (x: number) => Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
  const truth: Record<'r2' | 'explainedVariance' | 'd2AbsoluteError' | 'd2Pinball', number> = {
    r2: 1 - sd * sd,
    explainedVariance: 1 - sd * sd,
    d2AbsoluteError: 1 - sd, // E|d| / E|t − median| = σ_d
    d2Pinball: 1 - sd / Math.sqrt(2 * Math.PI) / phi(zq), // E pinball of N(0, σ²) about 0 is σ/√(2π); of N(0, 1) about its q-quantile, φ(z_q)
  };
  const next = rng(161);
  const sets = 1000;
  const n = 400;
  const hits: Record<string, number> = { r2: 0, explainedVariance: 0, d2AbsoluteError: 0, d2Pinball: 0 };
  for (let s = 0; s < sets; s++) {
    const t = new Float64Array(n);
    const d = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      t[i] = normal(next);
      d[i] = 0.8 * t[i] + 0.5 * normal(next) - t[i];
    }
    let mt = 0;
    let md = 0;
    for (let i = 0; i < n; i++) {
      mt += t[i] / n;
      md += d[i] / n;
    }
    const sorted = t.slice().sort();
    const median = percentile(sorted, 0.5);
    const quantile = percentile(sorted, q);
    let ss = 0;
    let sd2 = 0;
    let spread = 0;
    let absM = 0;
    let absB = 0;
    let pinM = 0;
    let pinB = 0;
    for (let i = 0; i < n; i++) {
      ss += (t[i] - mt) ** 2;
      sd2 += d[i] * d[i];
      spread += (d[i] - md) ** 2;
      absM += Math.abs(d[i]);
      absB += Math.abs(t[i] - median);
      pinM += pinball(-d[i], q);
      pinB += pinball(t[i] - quantile, q);
    }
    const metrics: Record<RatioKey, number | null> = {
      r2: 1 - sd2 / ss,
      explainedVariance: 1 - spread / ss,
      d2AbsoluteError: 1 - absM / absB,
      d2Pinball: 1 - pinM / pinB,
      d2Tweedie: null,
    };
    const iv = ratioIntervals(
      metrics,
      { targets: [t], residuals: [d], weights: null, W: n },
      { meanTarget: mt, meanD: md, median, quantile, q, power: 0 },
      { ssTarget: ss, absAround: absB / 2, pinAround: pinB, tweedieAround: null },
      zOf(0.95),
    );
    assert.equal(iv.d2Tweedie, null, 'a null score has no interval');
    for (const k of Object.keys(hits) as (keyof typeof truth)[]) {
      const x = iv[k];
      assert.ok(x && x.method === 'ratio delta', k);
      if (x.low <= truth[k] && truth[k] <= x.high) hits[k]++;
    }
  }
  for (const [k, h] of Object.entries(hits)) assert.ok(h >= 930 && h <= 970, `${k}: ${h} of ${sets}`);
});

test('chunks that do not line up give no interval rather than a wrong one', () => {
  const iv = ratioIntervals(
    { r2: 0.5, explainedVariance: null, d2AbsoluteError: null, d2Pinball: null, d2Tweedie: null },
    { targets: [new Float64Array([1, 2, 3])], residuals: [new Float64Array([0.1, -0.2])], weights: null, W: 3 },
    { meanTarget: 2, meanD: 0, median: 2, quantile: 2, q: 0.5, power: 0 },
    { ssTarget: 2, absAround: 1, pinAround: 1, tweedieAround: null },
    zOf(0.95),
  );
  assert.equal(iv.r2, null);
});
