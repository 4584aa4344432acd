/**
 * Paired comparisons from per-row values kept in memory (multiclass: `width` values a row, in
 * file order): for each value, the sums of the differences b − a (paired t) or, in time order
 * without weights, their series (Diebold–Mariano).
 */
import { dieboldMariano } from './dieboldMariano';
import { pairedT, type PairedResult } from './mean';
import { type Comparison, type IntervalMethod, type IntervalOptions, isSignificant } from './report';

/** One comparison per key with a finite result, in `keys` order. */
export function pairedFromRows(
  a: { name: string; rows: Float64Array },
  b: { name: string; rows: Float64Array },
  keys: readonly string[],
  w: Float64Array | null,
  opts: IntervalOptions,
): Comparison[] {
  const width = keys.length;
  const n = a.rows.length / width;
  const series = opts.timeOrdered === true && !w;
  const out: Comparison[] = [];
  keys.forEach((metric, j) => {
    let W = 0;
    let W2 = 0;
    let s1 = 0;
    let s2 = 0;
    const delta = series ? new Float64Array(n) : null;
    for (let i = 0; i < n; i++) {
      const wi = w ? w[i] : 1;
      const e = b.rows[width * i + j] - a.rows[width * i + j];
      W += wi;
      W2 += wi * wi;
      s1 += wi * e;
      s2 += wi * e * e;
      if (delta) delta[i] = e;
    }
    const r: PairedResult | null = delta ? dieboldMariano(delta, opts.confidence) : pairedT({ rows: n, w: W, w2: W2, s1, s2 }, opts.confidence);
    const method: IntervalMethod = delta ? 'diebold-mariano' : 'paired t';
    if (r && [r.difference, r.low, r.high, r.p].every(Number.isFinite)) {
      out.push({ a: a.name, b: b.name, metric, difference: r.difference, low: r.low, high: r.high, p: r.p, significant: isSignificant(r.p, opts.confidence), method });
    }
  });
  return out;
}
