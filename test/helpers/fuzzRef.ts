/**
 * Fuzz and property-test helpers: an exact (BigInt) reference for every metric, and checks of the
 * report and of the errors users see. Independent of the engine's summation code: sums are exact
 * integer sums of the doubles scaled by 2^1074, rounded once (correctly) at the end.
 */
import assert from 'node:assert/strict';
import { huber, logCosh, LossParams, MAPE_EPSILON, MetricKey, pinball, smoothL1 } from '../../src/core/tasks/regression/losses';
import { LossInspectorError } from '../../src/core/errors';
import type { Report } from '../../src/core/tasks/regression/report';
import type { SkipReason } from '../../src/core/scanTypes';

/** `FUZZ_RUNS=20 npm run fuzz`: multiplies every run count (default 1 under `npm test`). */
export const FUZZ_RUNS = Math.max(1, Number(process.env.FUZZ_RUNS) || 1);
export const runs = (n: number): number => Math.max(1, Math.round(n * FUZZ_RUNS));

// ------------------------------------------------------------------------------------------------
// Exact arithmetic
// ------------------------------------------------------------------------------------------------

const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);
const MAX = Number.MAX_VALUE;

/** x · 2^1074 as an exact integer (x finite). */
export function scaled(x: number): bigint {
  F64[0] = x;
  const hi = U32[1];
  const e = (hi >>> 20) & 0x7ff;
  if (e === 0x7ff) throw new Error(`scaled(${x}): not finite`);
  let m = (BigInt(hi & 0xfffff) << 32n) | BigInt(U32[0]);
  if (e !== 0) m = (m | (1n << 52n)) << BigInt(e - 1);
  return hi >>> 31 ? -m : m;
}

function bitLen(b: bigint): number {
  return b === 0n ? 0 : b.toString(2).length;
}

function ldexp(x: number, k: number): number {
  while (k > 600) {
    x *= 2 ** 600;
    k -= 600;
  }
  while (k < -600) {
    x *= 2 ** -600;
    k += 600;
  }
  return x * 2 ** k;
}

/**
 * RN(v) for v = q · 2^E (q ≥ 0), or, when `sticky`, v slightly above q · 2^E (strictly inside
 * (q, q + 1) · 2^E; q must then have ≥ 70 bits). Handles subnormal results and overflow (∞).
 */
export function roundToDouble(q: bigint, E: number, sticky: boolean): number {
  if (q === 0n) return 0;
  let L = bitLen(q);
  if (L < 70) {
    if (sticky) throw new Error('roundToDouble: a sticky quotient needs 70 bits');
    q <<= BigInt(70 - L);
    E -= 70 - L;
    L = 70;
  }
  const lead = L - 1 + E;
  if (lead >= 1024) return Infinity;
  const prec = lead < -1022 ? 53 - (-1022 - lead) : 53;
  if (prec < 0) return 0;
  const shift = L - prec;
  let mant = q >> BigInt(shift);
  const rem = q - (mant << BigInt(shift));
  const half = 1n << BigInt(shift - 1);
  if (rem > half || (rem === half && (sticky || (mant & 1n) === 1n))) mant += 1n;
  return ldexp(Number(mant), E + shift);
}

/** The correctly rounded sum (±∞ when it overflows or a term is infinite; NaN for ∞ − ∞). */
export function exactSum(xs: ArrayLike<number>): number {
  let s = 0n;
  let special = 0;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i];
    if (Number.isFinite(x)) s += scaled(x);
    else special += x;
  }
  if (special !== 0 || Number.isNaN(special)) return special;
  const neg = s < 0n;
  const v = roundToDouble(neg ? -s : s, -1074, false);
  return neg ? -v : v;
}

/** Σ(t − mean t)², correctly rounded from the exact rational value. */
export function exactCentralSumSquares(ts: ArrayLike<number>): number {
  let s1 = 0n;
  let s2 = 0n;
  for (let i = 0; i < ts.length; i++) {
    const T = scaled(ts[i]);
    s1 += T;
    s2 += T * T;
  }
  const n = BigInt(ts.length);
  const num = n * s2 - s1 * s1; // = n · Σ(t − mean)² · 2^2148
  if (num === 0n) return 0;
  const k = Math.max(0, 71 + bitLen(n) - bitLen(num));
  const scaledNum = num << BigInt(k);
  const q = scaledNum / n;
  return roundToDouble(q, -2148 - k, scaledNum % n !== 0n);
}

// ------------------------------------------------------------------------------------------------
// The reference report
// ------------------------------------------------------------------------------------------------

/** One record of the generated file as the engine must see it. */
export type RefRecord = { line: number; values: number[] } | { line: number; skip: SkipReason };

export interface Expectation {
  /** The exact value (possibly non-finite: then the report must say null). */
  value: number;
  /** Allowed |report − value| when both are finite. */
  tol: number;
  /** A null in the report is acceptable (overflow or underflow within reach of rounding). */
  nullOk?: boolean;
  /** Any finite value or null is acceptable (double precision cannot represent the quantity). */
  anything?: boolean;
}

export interface RefModel {
  /** The metrics checked against the reference (the counts metrics of #16 are checked in counts.test.ts). */
  metrics: Partial<Record<MetricKey, Expectation>>;
  worst: { line: number; target: number; prediction: number; residual: number }[];
}

export interface RefReport {
  total: number;
  used: number;
  skippedByReason: Partial<Record<SkipReason, number>>;
  firstSkippedLines: Partial<Record<SkipReason, number[]>>;
  usedLines: number[];
  targets: number[];
  predictions: number[][];
  models: RefModel[];
  constantTarget: boolean;
  /** Known engine issue (see the todo tests in fuzz.test.ts): an overflowing Σ(t − mean)² makes R² null without a warning. */
  ssOverflow: boolean;
}

const U = 2 ** -53;
const REL = 1e-12;
const TINY = 1e-323;

function rel(value: number, r = REL): number {
  return Number.isFinite(value) ? Math.abs(value) * r + TINY : 0;
}

/** numpy.median of non-negative values (mean of the two middle ones), in double arithmetic. */
function median(sorted: Float64Array): number {
  const n = sorted.length;
  const h = n >> 1;
  return n % 2 ? sorted[h] : (sorted[h - 1] + sorted[h]) / 2;
}

export function referenceReport(records: RefRecord[], nModels: number, params: LossParams, topK: number): RefReport {
  const skippedByReason: Partial<Record<SkipReason, number>> = {};
  const firstSkippedLines: Partial<Record<SkipReason, number[]>> = {};
  const usedLines: number[] = [];
  const targets: number[] = [];
  const predictions: number[][] = Array.from({ length: nModels }, () => []);
  for (const rec of records) {
    // A row whose residual (prediction − target) overflows to ±∞ is skipped as infinite.
    const r: RefRecord =
      'values' in rec && rec.values.slice(1, nModels + 1).some((p) => !Number.isFinite(p - rec.values[0])) ? { line: rec.line, skip: 'infinite' } : rec;
    if ('skip' in r) {
      skippedByReason[r.skip] = (skippedByReason[r.skip] ?? 0) + 1;
      const f = (firstSkippedLines[r.skip] ??= []);
      if (f.length < 10) f.push(r.line);
      continue;
    }
    usedLines.push(r.line);
    targets.push(r.values[0]);
    for (let m = 0; m < nModels; m++) predictions[m].push(r.values[m + 1]);
  }
  const n = targets.length;
  const ss = n > 0 ? exactCentralSumSquares(targets) : 0;
  const models: RefModel[] = [];
  for (let m = 0; m < nModels && n > 0; m++) {
    const d = new Float64Array(n);
    for (let i = 0; i < n; i++) d[i] = predictions[m][i] - targets[i];
    const abs = d.map(Math.abs);
    const l1 = exactSum(abs);
    const l2 = exactSum(d.map((x) => x * x));
    const sd = exactSum(d);
    const sl = exactSum(d.map((x) => smoothL1(x, params.beta)));
    const hb = exactSum(d.map((x) => huber(x, params.delta)));
    const lc = exactSum(d.map((x) => logCosh(x)));
    // MAPE, sMAPE and pinball per element as documented in losses.ts (METRICS) and the README.
    const ts = targets;
    const ps = predictions[m];
    const ape = exactSum(d.map((x, i) => Math.abs(x) / Math.max(Math.abs(ts[i]), MAPE_EPSILON)));
    const sape = exactSum(d.map((x, i) => (Math.abs(ts[i]) + Math.abs(ps[i]) > 0 ? (2 * Math.abs(x)) / (Math.abs(ts[i]) + Math.abs(ps[i])) : 0)));
    const pin = exactSum(d.map((_, i) => pinball(ts[i], ps[i], params.quantile ?? 0.5)));
    const sorted = abs.slice().sort();
    const maxAbs = n ? sorted[n - 1] : 0;
    // Near the top of the double range, compensated partial sums may overflow before the end.
    const nearTop = (v: number) => !(Math.abs(v) < MAX / 4);
    const sum = (v: number): Expectation => ({ value: v, tol: rel(v), nullOk: nearTop(v) });
    const mean = (v: number, e?: Partial<Expectation>): Expectation => ({ value: v / n, tol: rel(v / n), nullOk: nearTop(v), ...e });
    // Σd cancels: Neumaier's error bound is 2u|S| + O(n u²) Σ|d|.
    const meTol = rel(sd / n) + (Number.isFinite(l1) ? (1e-18 * l1) / n : 0);
    let r2: Expectation;
    if (ss === 0) r2 = { value: NaN, tol: 0 };
    else if (!Number.isFinite(ss) || ss > MAX / 8 || ss < 1e-280 || nearTop(l2)) r2 = { value: NaN, tol: 0, anything: true };
    else {
      const v = 1 - l2 / ss;
      // Σ(t − mean)² from shifted per-block sums: relative error up to a few n·u (see accumulate.ts).
      r2 = { value: v, tol: Math.abs(l2 / ss) * (REL + 16 * n * U) + 1e-15, nullOk: !Number.isFinite(v) || Math.abs(v) > MAX / 4 };
    }
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => abs[b] - abs[a] || usedLines[a] - usedLines[b]);
    models.push({
      metrics: {
        l1: sum(l1),
        l2: sum(l2),
        mae: mean(l1),
        mse: mean(l2),
        rmse: { value: Math.sqrt(l2 / n), tol: rel(Math.sqrt(l2 / n)), nullOk: nearTop(l2) },
        smoothL1: mean(sl),
        huber: mean(hb),
        logCosh: mean(lc),
        meanError: { value: sd / n, tol: meTol, nullOk: nearTop(l1) },
        maxError: { value: maxAbs, tol: 0 },
        medianAE: { value: median(sorted), tol: 0 },
        r2,
        mape: mean(ape),
        smape: mean(sape),
        pinball: mean(pin),
      },
      worst: order.slice(0, topK).map((i) => ({ line: usedLines[i], target: targets[i], prediction: predictions[m][i], residual: d[i] })),
    });
  }
  return {
    total: records.length,
    used: n,
    skippedByReason,
    firstSkippedLines,
    usedLines,
    targets,
    predictions,
    models,
    constantTarget: n > 0 && ss === 0,
    ssOverflow: !(ss <= MAX / 8),
  };
}

/** Compares a report with the reference: rows, skip reasons and lines, metrics, worst rows, sample, warnings. */
export function checkAgainstReference(report: Report, ref: RefReport, what: string): void {
  assert.equal(report.rows.total, ref.total, `${what}: rows.total`);
  assert.equal(report.rows.used, ref.used, `${what}: rows.used`);
  assert.equal(report.rows.skipped, ref.total - ref.used, `${what}: rows.skipped`);
  assert.deepEqual(report.rows.skippedByReason, ref.skippedByReason, `${what}: skippedByReason`);
  assert.deepEqual(report.rows.firstSkippedLines, ref.firstSkippedLines, `${what}: firstSkippedLines`);
  if (ref.used <= 2000) {
    // Small files: the scatter sample holds every used row, in file order.
    assert.deepEqual(report.sample.lines, ref.usedLines, `${what}: sample lines`);
    assert.deepEqual(report.sample.target, ref.targets, `${what}: sample targets`);
    assert.deepEqual(report.sample.predictions, ref.predictions, `${what}: sample predictions`);
  }
  assert.equal(report.models.length, ref.models.length, `${what}: models`);
  report.models.forEach((m, i) => {
    const rm = ref.models[i];
    for (const key of Object.keys(rm.metrics) as MetricKey[]) {
      const e = rm.metrics[key] as Expectation;
      const got = m.metrics[key];
      const where = `${what}: model ${i} (${JSON.stringify(m.prediction)}) ${key} = ${got}, reference ${e.value}`;
      assert.ok(got === null || Number.isFinite(got), `${where}: not finite and not null`);
      if (e.anything) continue;
      if (!Number.isFinite(e.value)) {
        assert.equal(got, null, `${where}: must be null`);
        continue;
      }
      if (got === null) {
        assert.ok(e.nullOk, `${where}: null but the value is finite`);
        continue;
      }
      assert.ok(Math.abs(got - e.value) <= e.tol, `${where}: off by ${Math.abs(got - e.value)} (tolerance ${e.tol})`);
      if (e.tol === 0) assert.ok(Object.is(got, e.value) || got === e.value, where);
    }
    // Every null metric (other than R² of a constant target) comes with a warning naming it.
    for (const key of Object.keys(m.metrics) as MetricKey[]) {
      if (m.metrics[key] !== null || (key === 'r2' && (ref.constantTarget || ref.ssOverflow))) continue;
      // The counts metrics (#16) are null with a sentence saying why they are undefined (a row
      // outside the domain, a constant target), which names them by their labels.
      if (!(key in rm.metrics) && report.warnings.some((w) => w.includes('undefined'))) continue;
      assert.ok(
        // Names are JSON-quoted in messages (control characters escaped); these are short.
        report.warnings.some((w) => w.startsWith(`${key} of ${JSON.stringify(m.prediction)}`)),
        `${what}: ${key} of model ${i} is null without a warning (warnings: ${JSON.stringify(report.warnings)})`,
      );
    }
    assert.deepEqual(m.worst, rm.worst, `${what}: worst rows of model ${i}`);
  });
  if (ref.constantTarget) assert.ok(report.warnings.some((w) => /constant/.test(w)), `${what}: constant-target warning`);
}

// ------------------------------------------------------------------------------------------------
// Report and error sanity
// ------------------------------------------------------------------------------------------------

const SQRT_MAX = 2 ** 512;

/** The path of the first non-finite number in `v`, or undefined. */
export function nonFinitePath(v: unknown, path: string): string | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? undefined : `${path} = ${v}`;
  if (v === null || typeof v !== 'object') return undefined;
  for (const [key, x] of Object.entries(v as Record<string, unknown>)) {
    const p = nonFinitePath(x, `${path}.${key}`);
    if (p) return p;
  }
  return undefined;
}

/** Every number in the report is finite (metrics: or null), the row counts add up. */
export function checkReportSanity(r: Report, what: string): void {
  const huge = r.models.some((m) => !(m.absQuantiles.max < SQRT_MAX));
  const bad = nonFinitePath(r, 'report');
  assert.equal(bad, undefined, `${what}: a number in the report is not finite: ${bad}`);
  assert.equal(r.rows.total, r.rows.used + r.rows.skipped, `${what}: total = used + skipped`);
  const bySum = Object.values(r.rows.skippedByReason).reduce((a, b) => a + (b ?? 0), 0);
  assert.equal(bySum, r.rows.skipped, `${what}: skippedByReason adds up`);
  assert.ok(r.rows.used > 0, `${what}: a report has used rows`);
  if (huge) return;
  for (const m of r.models) {
    assert.equal(m.histogram.counts.reduce((a, b) => a + b, 0), r.rows.used, `${what}: histogram counts add up to the used rows`);
  }
}

/** Strips quoted parts (file names, column names, bytes shown) so the checks look at our words only. */
function ownWords(msg: string): string {
  return msg.replace(/"(?:[^"\\]|\\.)*"/g, '""').replace(/'[^'\n]*'/g, "''");
}

/** The error a user may see: a LossInspectorError with a one-sentence message and no internals. */
export function checkUserError(e: unknown, what: string, input?: Uint8Array): LossInspectorError {
  if (!(e instanceof LossInspectorError)) {
    const detail = e instanceof Error ? `${e.name}: ${e.message}\n${e.stack}` : String(e);
    assert.fail(`${what}: threw something other than a LossInspectorError: ${detail}`);
  }
  const msg = e.message;
  assert.notEqual(e.code, 'internal', `${what}: an internal error reached the user: ${msg}`);
  assert.match(msg, /^[A-Z'"]/, `${what}: the message does not start a sentence: ${msg}`);
  assert.match(msg, /[.?]$/, `${what}: the message does not end a sentence: ${msg}`);
  assert.doesNotMatch(msg, /\n\s*at |\bat .*:\d+:\d+\)?$/m, `${what}: stack trace text in the message: ${msg}`);
  const own = ownWords(msg);
  assert.doesNotMatch(own, /\bundefined\b|\bNaN\b|\[object /, `${what}: the message leaks a JavaScript value: ${msg}`);
  if (e.location.line !== undefined) {
    assert.ok(Number.isInteger(e.location.line) && e.location.line >= 1, `${what}: bad line ${e.location.line}`);
    if (input) {
      let lines = 1;
      for (let i = 0; i < input.length; i++) if (input[i] === 10) lines++;
      assert.ok(e.location.line <= lines, `${what}: line ${e.location.line} is past the end of the file (${lines} lines): ${msg}`);
    }
  }
  if (e.location.column !== undefined) assert.ok(Number.isInteger(e.location.column) && e.location.column >= 1, `${what}: bad column ${e.location.column}`);
  return e;
}
