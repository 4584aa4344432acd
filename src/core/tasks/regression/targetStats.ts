/**
 * Statistics of the stored targets (and residuals) after the scan, for the D² baselines and the
 * explained variance (#16). Every pass runs on the calling thread over the chunks in file order
 * (a sequential Neumaier sum), so the results are the same to the last bit whatever the number of
 * threads or ranges; the quantiles are exact order statistics (radix selection: a count per key of
 * the top bits, then a sort of the one or two keys that hold the wanted ranks).
 */
import { neumaier } from '../../exactSum';
import { tweedieDev } from './counts';

const KEY_BITS = 18;
const SHIFT = 32 - KEY_BITS;

/** The order-preserving key of a double's high word (negative numbers reversed). */
function keyOf(hi: number): number {
  return (hi & 0x80000000 ? ~hi >>> 0 : (hi | 0x80000000) >>> 0) >>> SHIFT;
}

/** Adds the keys of a chunk of targets to `hist` (during the scan, per full chunk, while it is in cache). */
export function countTargetKeys(hist: Uint32Array, c: Float64Array): void {
  const w32 = new Uint32Array(c.buffer, c.byteOffset, c.length * 2);
  for (let i = 0; i < c.length; i++) hist[keyOf(w32[2 * i + 1])]++;
}

export const TARGET_KEYS = 1 << KEY_BITS;

/** The lowest and the highest double whose key is k. */
function keyBounds(k: number): [number, number] {
  const f = new Float64Array(2);
  const u = new Uint32Array(f.buffer);
  const w0 = (k << SHIFT) >>> 0;
  const w1 = (w0 | ((1 << SHIFT) - 1)) >>> 0;
  if (w0 & 0x80000000) {
    u[1] = w0 & 0x7fffffff;
    u[3] = w1 & 0x7fffffff;
    u[2] = 0xffffffff;
  } else {
    u[1] = ~w0 >>> 0;
    u[0] = 0xffffffff;
    u[3] = ~w1 >>> 0;
  }
  return [f[0], f[1]];
}

/** Rows per key (and, with weights, Σw per key), in file order. Plain loops: a callback per value was 10× slower. */
function keyCounts(chunks: Float64Array[], weights: Float64Array[] | null): { rows: Uint32Array; weight: Float64Array | null } {
  const rows = new Uint32Array(1 << KEY_BITS);
  const weight = weights ? new Float64Array(1 << KEY_BITS) : null;
  chunks.forEach((c, ci) => {
    const w32 = new Uint32Array(c.buffer, c.byteOffset, c.length * 2);
    const wc = weights ? weights[ci] : null;
    for (let i = 0; i < c.length; i++) {
      const k = keyOf(w32[2 * i + 1]);
      rows[k]++;
      if (weight && wc) weight[k] += wc[i];
    }
  });
  return { rows, weight };
}

/** The values (and weights) of the rows whose key is `key`, in file order. */
function valuesOfKey(chunks: Float64Array[], weights: Float64Array[] | null, key: number, count: number): { xs: Float64Array; ws: Float64Array | null } {
  const xs = new Float64Array(count);
  const ws = weights ? new Float64Array(count) : null;
  let j = 0;
  chunks.forEach((c, ci) => {
    const w32 = new Uint32Array(c.buffer, c.byteOffset, c.length * 2);
    const wc = weights ? weights[ci] : null;
    for (let i = 0; i < c.length; i++) {
      if (keyOf(w32[2 * i + 1]) !== key) continue;
      if (ws && wc) ws[j] = wc[i];
      xs[j++] = c[i];
    }
  });
  return { xs, ws };
}

/** The values of the given 0-based ranks (ascending order), exactly. */
export function valuesAtRanks(chunks: Float64Array[], ranks: number[]): number[] {
  const { rows } = keyCounts(chunks, null);
  const sorted = new Map<number, { before: number; xs: Float64Array }>();
  return ranks.map((r) => {
    let cum = 0;
    let k = 0;
    for (; k < rows.length && r >= cum + rows[k]; k++) cum += rows[k];
    if (k === rows.length) return NaN;
    let b = sorted.get(k);
    if (!b) {
      b = { before: cum, xs: valuesOfKey(chunks, null, k, rows[k]).xs.sort() };
      sorted.set(k, b);
    }
    return b.xs[r - b.before];
  });
}

/** numpy.percentile(values, 100·q) (the "linear" method, numpy's _lerp) of the n stored values. */
export function percentile(chunks: Float64Array[], n: number, q: number): number {
  const qq = (q * 100) / 100; // numpy divides the percentile by 100
  const vi = (n - 1) * qq;
  const lo = Math.floor(vi);
  const hi = Math.min(lo + 1, n - 1);
  const [a, b] = valuesAtRanks(chunks, [lo, hi]);
  const t = vi - lo;
  const diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

/**
 * scikit-learn's _weighted_percentile(values, weights, 100·q): the first value, in ascending
 * order, whose cumulative weight reaches q·Σw (cumulative weights summed per key in file order,
 * then in ascending order within the key).
 */
export function weightedPercentile(chunks: Float64Array[], weights: Float64Array[], total: number, q: number): number {
  const { rows, weight } = keyCounts(chunks, weights);
  const hist = weight as Float64Array;
  const threshold = ((q * 100) / 100) * total;
  let cum = 0;
  let key = -1;
  let last = -1;
  for (let k = 0; k < hist.length; k++) {
    if (rows[k] === 0) continue;
    last = k;
    if (cum + hist[k] >= threshold) {
      key = k;
      break;
    }
    cum += hist[k];
  }
  if (key < 0) key = last; // rounding left the threshold beyond the total: the largest value
  const { xs, ws } = valuesOfKey(chunks, weights, key, rows[key]);
  const w = ws as Float64Array;
  const idx = Array.from({ length: xs.length }, (_, i) => i).sort((a, b) => xs[a] - xs[b] || a - b);
  for (const i of idx) {
    cum += w[i];
    if (cum >= threshold) return xs[i];
  }
  return xs[idx[idx.length - 1]];
}

/** Neumaier's step on [sum, compensation] (inlined by hand in the loops below: a call per term would box it). */
type Acc = Float64Array;

/** Σw·pinball_q(t − Q): mean_pinball_loss(targets, Q, alpha = q) times Σw. Sequential Neumaier in file order: identical for any split. */
export function pinballAround(targets: Float64Array[], weights: Float64Array[] | null, center: number, q: number): number {
  let sum = 0;
  let comp = 0;
  for (let ci = 0; ci < targets.length; ci++) {
    const c = targets[ci];
    const wc = weights ? weights[ci] : null;
    for (let i = 0; i < c.length; i++) {
      const diff = c[i] - center;
      // q·diff for diff ≥ 0, else (q − 1)·diff: the same bits as scikit-learn's terms.
      const x = (wc ? wc[i] : 1) * diff * (q - (diff < 0 ? 1 : 0));
      const r = sum + x;
      comp += Math.abs(sum) >= Math.abs(x) ? sum - r + x : x - r + sum;
      sum = r;
    }
  }
  return sum + comp;
}

/** Σw·(Tweedie deviance of t against the constant μ): d2_tweedie_score's denominator times Σw. */
export function tweedieAround(targets: Float64Array[], weights: Float64Array[] | null, mu: number, power: number): number {
  const acc: Acc = new Float64Array(2);
  targets.forEach((c, ci) => {
    const wc = weights ? weights[ci] : null;
    for (let i = 0; i < c.length; i++) neumaier(acc, 0, (wc ? wc[i] : 1) * tweedieDev(c[i], mu, power));
  });
  return acc[0] + acc[1];
}

/** Σw·(d − m)² over the stored residuals in file order (the explained variance's numerator times Σw). */
export function spreadAround(residuals: Float64Array[], weights: Float64Array[] | null, m: number): number {
  const acc: Acc = new Float64Array(2);
  residuals.forEach((c, ci) => {
    const wc = weights ? weights[ci] : null;
    for (let i = 0; i < c.length; i++) {
      const e = c[i] - m;
      const x = (wc ? wc[i] : 1) * e * e;
      const s0 = acc[0];
      const r = s0 + x;
      acc[1] += Math.abs(s0) >= Math.abs(x) ? s0 - r + x : x - r + s0;
      acc[0] = r;
    }
  });
  return acc[0] + acc[1];
}

/**
 * The q-quantile Q of the targets (numpy.percentile, or scikit-learn's weighted percentile) and
 * Σw·pinball_q(t − Q), in one pass once the key of Q is known: rows of lower keys add w·(lo − t)
 * and rows of higher keys w·(t − hi), lo and hi the bounds of Q's key, all terms ≥ 0, so no
 * cancellation; the rows of Q's key are collected and sorted. `rows`: the key counts from the scan
 * (unweighted), or null. When the two ranks numpy interpolates between have different keys (rare),
 * the plain passes (percentile, pinballAround).
 */
export function quantileBaseline(
  chunks: Float64Array[],
  weights: { chunks: Float64Array[]; total: number } | null,
  n: number,
  q: number,
  rows: Uint32Array | null,
): { center: number; pinball: number } {
  const counts = weights ? keyCounts(chunks, weights.chunks) : { rows: rows ?? keyCounts(chunks, null).rows, weight: null };
  const qq = (q * 100) / 100;
  let key = -1;
  let before = 0; // rows (Σw weighted) of lower keys
  const vi = (n - 1) * qq;
  const lo = Math.floor(vi);
  const hi = Math.min(lo + 1, n - 1);
  if (weights) {
    const threshold = qq * weights.total;
    const wk = counts.weight as Float64Array;
    for (let k = 0; k < wk.length; k++) {
      if (counts.rows[k] === 0) continue;
      key = k;
      if (before + wk[k] >= threshold) break;
      before += wk[k];
    }
  } else {
    for (let k = 0; k < counts.rows.length; k++) {
      if (lo < before + counts.rows[k]) {
        key = k;
        break;
      }
      before += counts.rows[k];
    }
    if (key < 0 || hi >= before + counts.rows[key]) {
      const center = percentile(chunks, n, q);
      return { center, pinball: pinballAround(chunks, null, center, q) };
    }
  }
  const [kLo, kHi] = keyBounds(key);
  const m = counts.rows[key];
  const xs = new Float64Array(m);
  const ws = new Float64Array(m);
  // [Σw(kLo − t), comp, Σw, comp] below the key and [Σw(t − kHi), comp, Σw, comp] above it.
  const below = new Float64Array(4);
  const above = new Float64Array(4);
  let j = 0;
  for (let ci = 0; ci < chunks.length; ci++) {
    const c = chunks[ci];
    const w32 = new Uint32Array(c.buffer, c.byteOffset, c.length * 2);
    const wc = weights ? weights.chunks[ci] : null;
    for (let i = 0; i < c.length; i++) {
      const k = keyOf(w32[2 * i + 1]);
      const w = wc ? wc[i] : 1;
      if (k < key) {
        neumaier(below, 0, w * (kLo - c[i]));
        neumaier(below, 2, w);
      } else if (k > key) {
        neumaier(above, 0, w * (c[i] - kHi));
        neumaier(above, 2, w);
      } else {
        xs[j] = c[i];
        ws[j++] = w;
      }
    }
  }
  const idx = Array.from({ length: m }, (_, i) => i).sort((a, b) => xs[a] - xs[b] || a - b);
  let center: number;
  if (weights) {
    const threshold = qq * weights.total;
    let cum = before;
    center = xs[idx[m - 1]];
    for (const i of idx) {
      cum += ws[i];
      if (cum >= threshold) {
        center = xs[i];
        break;
      }
    }
  } else {
    const a = xs[idx[lo - before]];
    const b = xs[idx[hi - before]];
    const t = vi - lo;
    const diff = b - a;
    center = t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
  }
  const acc = new Float64Array(4);
  neumaier(acc, 0, below[0] + below[1]);
  neumaier(acc, 0, (below[2] + below[3]) * (center - kLo));
  neumaier(acc, 2, above[0] + above[1]);
  neumaier(acc, 2, (above[2] + above[3]) * (kHi - center));
  for (let i = 0; i < m; i++) {
    const diff = xs[i] - center;
    if (diff < 0) neumaier(acc, 0, -ws[i] * diff);
    else neumaier(acc, 2, ws[i] * diff);
  }
  return { center, pinball: (1 - q) * (acc[0] + acc[1]) + q * (acc[2] + acc[3]) };
}
