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

/** Calls f(value, weight, key) for every stored target in file order. */
function forEachKeyed(chunks: Float64Array[], weights: Float64Array[] | null, f: (x: number, w: number, key: number) => void): void {
  chunks.forEach((c, ci) => {
    const wc = weights ? weights[ci] : null;
    const w32 = new Uint32Array(c.buffer, c.byteOffset, c.length * 2);
    for (let i = 0; i < c.length; i++) f(c[i], wc ? wc[i] : 1, keyOf(w32[2 * i + 1]));
  });
}

/** The values of the given 0-based ranks (ascending order), exactly. */
export function valuesAtRanks(chunks: Float64Array[], ranks: number[]): number[] {
  const hist = new Uint32Array(1 << KEY_BITS);
  forEachKeyed(chunks, null, (_x, _w, k) => hist[k]++);
  const wanted = new Map<number, number>(); // key → rows before it
  const keyOfRank = ranks.map((r) => {
    let cum = 0;
    for (let k = 0; k < hist.length; k++) {
      if (r < cum + hist[k]) {
        wanted.set(k, cum);
        return k;
      }
      cum += hist[k];
    }
    return -1;
  });
  const bucket = new Map<number, Float64Array>();
  const fill = new Map<number, number>();
  for (const k of wanted.keys()) {
    bucket.set(k, new Float64Array(hist[k]));
    fill.set(k, 0);
  }
  forEachKeyed(chunks, null, (x, _w, k) => {
    const b = bucket.get(k);
    if (b) {
      const i = fill.get(k) as number;
      b[i] = x;
      fill.set(k, i + 1);
    }
  });
  for (const b of bucket.values()) b.sort();
  return ranks.map((r, i) => {
    const k = keyOfRank[i];
    return k < 0 ? NaN : (bucket.get(k) as Float64Array)[r - (wanted.get(k) as number)];
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
  const hist = new Float64Array(1 << KEY_BITS);
  const rows = new Uint32Array(1 << KEY_BITS);
  forEachKeyed(chunks, weights, (_x, w, k) => {
    hist[k] += w;
    rows[k]++;
  });
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
  const xs = new Float64Array(rows[key]);
  const ws = new Float64Array(rows[key]);
  let j = 0;
  forEachKeyed(chunks, weights, (x, w, k) => {
    if (k === key) {
      xs[j] = x;
      ws[j++] = w;
    }
  });
  const idx = Array.from({ length: j }, (_, i) => i).sort((a, b) => xs[a] - xs[b] || a - b);
  for (const i of idx) {
    cum += ws[i];
    if (cum >= threshold) return xs[i];
  }
  return xs[idx[idx.length - 1]];
}

/** Σw·f(x) over the stored values in file order (sequential Neumaier: identical for any split). */
export function sumOf(chunks: Float64Array[], weights: Float64Array[] | null, f: (x: number) => number): number {
  const acc = new Float64Array(2);
  chunks.forEach((c, ci) => {
    const wc = weights ? weights[ci] : null;
    for (let i = 0; i < c.length; i++) neumaier(acc, 0, (wc ? wc[i] : 1) * f(c[i]));
  });
  return acc[0] + acc[1];
}

/** Σw·pinball_q(t − Q): mean_pinball_loss(targets, Q, alpha = q) times Σw. */
export function pinballAround(targets: Float64Array[], weights: Float64Array[] | null, center: number, q: number): number {
  return sumOf(targets, weights, (t) => {
    const diff = t - center;
    return diff >= 0 ? q * diff : (q - 1) * diff;
  });
}

/** Σw·(Tweedie deviance of t against the constant μ): d2_tweedie_score's denominator times Σw. */
export function tweedieAround(targets: Float64Array[], weights: Float64Array[] | null, mu: number, power: number): number {
  return sumOf(targets, weights, (t) => tweedieDev(t, mu, power));
}
