import { gradMagnitude, LossParams, ROW_LOSSES, rowLoss, RowLossKey } from './losses';
import { HEAVY_BUCKET, MergedStats, StatsPlan, sweepFrom } from './passB';
import type { GradientStats, Histogram, ParamSweep, RowSeries, WorstShare } from './report';
import { KEY_BITS, KEY_SHIFT } from './residualKeys';

export interface ResidualStats {
  p50: number;
  p90: number;
  p99: number;
  histogram: Histogram;
  series: RowSeries;
  sweep: ParamSweep;
  absLogHistogram: { edges: number[]; counts: number[]; below: number };
  robustness: { worst1: WorstShare; worst10: WorstShare };
  gradients?: Record<RowLossKey, GradientStats>;
  /** |d| at the `extraRanks` asked for (0-based, ascending order of |d|). */
  atRanks: number[];
}

/** β/δ grid: 10 points a decade over the 8 decades below the largest |d|, plus the settings in force. */
export function sweepGrid(maxAbs: number, params: LossParams): number[] {
  const g = new Set<number>([params.beta, params.delta, 1]);
  if (maxAbs > 0 && Number.isFinite(maxAbs)) {
    const top = Math.ceil(Math.log10(maxAbs) * 10) / 10;
    for (let k = 0; k <= 80; k++) g.add(Number((10 ** (top - k / 10)).toPrecision(3)));
  }
  return [...g].filter((x) => x > 0 && Number.isFinite(x)).sort((a, b) => a - b);
}

/** The scan's |d| key counts and extremes of d of one model. */
export interface ScanKeys {
  hist: Uint32Array;
  min: number;
  max: number;
}

/**
 * The ranks of |d| residualStats needs (0-based): numpy's linear interpolation at q·(n−1) for the
 * 50th, 90th and 99th percentiles, the smallest row of the worst 1% and 10% (k = ⌈f·n⌉ rows: rank
 * n − k), and `extraRanks`; and the bucket (key) holding each.
 */
function ranksOf(hist20: Uint32Array, n: number, extraRanks: number[]) {
  const qs = [0.5, 0.9, 0.99];
  const worstK = [0.01, 0.1].map((f) => Math.max(1, Math.ceil(f * n)));
  const ranks = [
    ...new Set([...qs.flatMap((q) => [Math.floor(q * (n - 1)), Math.min(n - 1, Math.ceil(q * (n - 1)))]), ...worstK.map((k) => n - k), ...extraRanks]),
  ].sort((x, y) => x - y);
  const bucketStart: number[] = [];
  const bucketKeys: number[] = [];
  const rankSlot = new Map<number, number>();
  let cum = 0;
  let ri = 0;
  for (let b = 0; b < hist20.length && ri < ranks.length; b++) {
    const c = hist20[b];
    while (ri < ranks.length && ranks[ri] < cum + c) {
      if (bucketKeys[bucketKeys.length - 1] !== b) {
        bucketStart.push(cum);
        bucketKeys.push(b);
      }
      rankSlot.set(ranks[ri], bucketKeys.length - 1);
      ri++;
    }
    cum += c;
  }
  return { worstK, bucketStart, bucketKeys, rankSlot };
}

/**
 * The plan of pass B for one model (passB.ts), from the scan's key counts: what every range's
 * pass needs. `points`: the series' points at most; `weighted`: sample weights are stored.
 */
export function statsPlan(scan: ScanKeys, n: number, bins: number, points: number, params: LossParams, weighted: boolean, extraRanks: number[] = []): StatsPlan {
  const { worstK, bucketKeys, rankSlot } = ranksOf(scan.hist, n, extraRanks);
  const nb = Math.max(1, Math.floor(bins));
  const pts = Math.max(1, Math.min(points, n));
  const rowsPerPoint = Math.ceil(n / pts);
  return {
    n,
    min: scan.min,
    width: (scan.max - scan.min) / nb,
    nb,
    rowsPerPoint,
    nPoints: Math.ceil(n / rowsPerPoint),
    grid: sweepGrid(Math.max(Math.abs(scan.min), Math.abs(scan.max)), params),
    bucketKeys,
    bucketRows: bucketKeys.map((k) => scan.hist[k]),
    // A bucket of more than HEAVY_BUCKET rows that all hold one value (exact predictions: |d| = 0
    // for most rows) is not collected: its value answers every rank in it. Without weights only
    // (weighted robustness needs the tied rows' weights in file order).
    heavy: bucketKeys.map((k) => !weighted && scan.hist[k] > HEAVY_BUCKET),
    worstKeys: worstK.map((k) => bucketKeys[rankSlot.get(n - k) as number]),
    params,
    weighted,
  };
}

/**
 * Quantiles of |d| (exact: numpy's median and linear-interpolation percentiles), the residual
 * histogram, the decimated per-row series, the β/δ sweep and the robustness shares, from pass B's
 * merged ranges (passB.ts: one pass over each range's stored residuals, where it was scanned).
 * Quantiles use a radix histogram over the top KEY_BITS bits of |d|'s bit pattern
 * (order-preserving for non-negative doubles), counted during the scan (see ResidualKeys); pass B
 * collects only the few buckets that hold the wanted ranks, sorted here.
 */
export function residualStats(
  plan: StatsPlan,
  b: MergedStats,
  /** Rows per |d| key (KEY_BITS) and the extremes of d, counted during the scan. */
  scan: ScanKeys,
  params: LossParams,
  /** Total of each row loss over the rows (weighted by the weights when given). */
  sums: Record<RowLossKey, number>,
  /** Σw (n without weights). */
  W: number,
  /** More ranks of |d| to report (the median interval's ends). */
  extraRanks: number[] = [],
): ResidualStats {
  const n = plan.n;
  const hist20 = scan.hist;
  const { min, max } = scan;
  const weighted = plan.weighted;
  const { worstK, bucketStart, rankSlot } = ranksOf(hist20, n, extraRanks);
  const bucketKeys = plan.bucketKeys;
  const collected = b.collected;
  const constant = b.constant;
  const worstSlots = worstK.map((k) => rankSlot.get(n - k) as number);
  const grid = plan.grid;
  // Weighted reports: the threshold keys' rows by |d|, ties in file order (the first tied rows
  // join the worst group, with their weights), as a permutation of the bucket. Unweighted, the
  // sorted bucket suffices. (An array of (|d|, weight) pairs here took ~50 bytes a row, a lot of
  // heap for a large file of rounded values, whose |d| fall in few keys.)
  const order = b.collectedW
    ? worstSlots.map((slot) => {
        const zs = collected[slot];
        const idx = new Uint32Array(zs.length);
        for (let i = 0; i < idx.length; i++) idx[i] = i;
        return idx.sort((x, y) => zs[x] - zs[y] || x - y);
      })
    : null;
  for (const v of collected) v.sort(); // a Float64Array sorts numerically
  const at = (rank: number): number => {
    const slot = rankSlot.get(rank) as number;
    const v = constant[slot];
    return v === v ? v : collected[slot][rank - bucketStart[slot]];
  };
  const quantile = (q: number): number => {
    const pos = q * (n - 1);
    const lo = Math.floor(pos);
    const hi = Math.min(n - 1, Math.ceil(pos));
    const x = at(lo);
    const y = at(hi);
    if (lo === hi) return x;
    if (q === 0.5) return (x + y) / 2; // numpy.median: mean of the two middle values
    return x + (y - x) * (pos - lo);
  };
  // Robustness: each loss over the worst k rows. Every loss is a non-decreasing function of |d|,
  // so the group is the rows above the threshold plus enough rows equal to it.
  const thresholds = worstK.map((k) => at(n - k));
  // The rows of each threshold's key: those above the threshold are in the group, and of the rows
  // equal to it, as many as the group still needs (the first ones in file order).
  const top = worstK.map((k, g) => {
    const thr = thresholds[g];
    const sumsG = Array.from(b.aboveSums[g]);
    let count = b.aboveCounts[g];
    let weight = b.aboveWeights[g];
    const slot = worstSlots[g];
    const zs = collected[slot]; // sorted
    const c = constant[slot];
    const zAt = c === c ? () => c : (p: number) => zs[p];
    const ws = b.collectedW ? b.collectedW[slot] : null; // file order
    const idx = order ? order[g] : null;
    const wAt = (p: number): number => (ws && idx ? ws[idx[p]] : 1); // the weight of the p-th smallest
    let i = hist20[bucketKeys[slot]] - 1;
    for (; i >= 0 && zAt(i) > thr; i--) {
      count++;
      const w = wAt(i);
      weight += w;
      ROW_LOSSES.forEach((lk, j) => (sumsG[j] += w * rowLoss(lk, zAt(i), params)));
    }
    let first = i;
    if (c === c) first = 0; // every row of the bucket is tied
    else while (first > 0 && zs[first - 1] === thr) first--;
    let tiedWeight = 0;
    for (let t = first; t < first + (k - count) && t <= i; t++) tiedWeight += wAt(t);
    ROW_LOSSES.forEach((lk, j) => (sumsG[j] += tiedWeight * rowLoss(lk, thr, params)));
    return { sums: sumsG, weight: weight + tiedWeight };
  });
  const totals = sums;
  const worstShare = (g: number): WorstShare => {
    const k = worstK[g];
    const thr = thresholds[g];
    const share = {} as Record<RowLossKey, number | null>;
    const without = {} as Record<RowLossKey, number | null>;
    const restW = W - top[g].weight;
    ROW_LOSSES.forEach((key, j) => {
      const t = top[g].sums[j];
      const total = totals[key];
      share[key] = total > 0 && Number.isFinite(total) ? Math.min(1, t / total) : null;
      // total − t: when the group carries nearly all of a loss (L2 with outliers: 99.9997%), this
      // difference keeps fewer digits (~1e-11 relative on the 1e6-row benchmark) than the sums do.
      without[key] = n > k && restW > 0 && Number.isFinite(total) ? Math.max(0, total - t) / restW : null;
    });
    return { rows: k, threshold: thr, share, without };
  };
  const absMax = Math.max(Math.abs(min), Math.abs(max));
  const mid = [at(Math.floor(0.5 * (n - 1))), at(Math.min(n - 1, Math.ceil(0.5 * (n - 1))))];
  const p99Abs = quantile(0.99);
  const gradients = {} as Record<RowLossKey, GradientStats>;
  for (const key of ROW_LOSSES) {
    const g = (z: number) => gradMagnitude(key, z, params);
    const median = (g(mid[0]) + g(mid[1])) / 2;
    const gmax = g(absMax);
    const ratio = median > 0 ? gmax / median : null;
    gradients[key] = { median, p99: g(p99Abs), max: gmax, ratio: ratio !== null && Number.isFinite(ratio) ? ratio : null };
  }
  return {
    atRanks: extraRanks.map(at),
    p50: quantile(0.5),
    p90: quantile(0.9),
    p99: p99Abs,
    histogram: { min, max, counts: Array.from(b.counts) },
    absLogHistogram: logHistogram(hist20, absMax),
    robustness: { worst1: worstShare(0), worst10: worstShare(1) },
    // Left out when a gradient overflows (2|d| above the double range).
    gradients: Object.values(gradients).every((g) => Number.isFinite(g.median) && Number.isFinite(g.p99) && Number.isFinite(g.max)) ? gradients : undefined,
    series: { rowsPerPoint: plan.rowsPerPoint, minAbs: Array.from(b.minAbs), maxAbs: Array.from(b.maxAbs) },
    sweep: sweepFrom(grid, b.cnt, b.sAbs, b.sSq, weighted ? W : n),
  };
}

/**
 * The weighted median of |d| as scikit-learn's median_absolute_error(sample_weight=…): sort |d|,
 * take the first value whose cumulative weight reaches half the total (the lower weighted median).
 */
export function weightedMedianAbs(residuals: Float64Array[], weights: Float64Array[], total: number): number {
  // Radix selection as for the quantiles: weight per key, then sort only the key that
  // holds the half-way weight.
  const hist = new Float64Array(1 << KEY_BITS);
  residuals.forEach((c, ci) => {
    const wc = weights[ci];
    const w32 = new Uint32Array(c.buffer, c.byteOffset, c.length * 2);
    for (let i = 0; i < c.length; i++) hist[(w32[2 * i + 1] & 0x7fffffff) >>> KEY_SHIFT] += wc[i];
  });
  const half = total / 2;
  let cum = 0;
  let key = 0;
  for (; key < hist.length - 1; key++) {
    if (cum + hist[key] >= half && hist[key] > 0) break;
    cum += hist[key];
  }
  const pairs: [number, number][] = [];
  residuals.forEach((c, ci) => {
    const wc = weights[ci];
    const w32 = new Uint32Array(c.buffer, c.byteOffset, c.length * 2);
    for (let i = 0; i < c.length; i++) if ((w32[2 * i + 1] & 0x7fffffff) >>> KEY_SHIFT === key) pairs.push([Math.abs(c[i]), wc[i]]);
  });
  pairs.sort((x, y) => x[0] - y[0]);
  for (const [z, w] of pairs) {
    cum += w;
    if (cum >= half) return z;
  }
  return pairs.length ? pairs[pairs.length - 1][0] : NaN;
}

/** Coarsens the key histogram (1/128 octave) to quarter octaves over the 20 octaves below max. */
export function logHistogram(hist: Uint32Array, absMax: number): { edges: number[]; counts: number[]; below: number } {
  if (!(absMax > 0) || !Number.isFinite(absMax)) {
    let total = 0;
    for (let i = 0; i < hist.length; i++) total += hist[i];
    return { edges: [], counts: [], below: total };
  }
  const f = new Float64Array(1);
  const w = new Uint32Array(f.buffer);
  const keyOf = (x: number) => {
    f[0] = x;
    return (w[1] & 0x7fffffff) >>> KEY_SHIFT;
  };
  const PER_OCTAVE = 4;
  const top = Math.ceil(Math.log2(absMax) * PER_OCTAVE) / PER_OCTAVE;
  const edges: number[] = [];
  for (let k = 20 * PER_OCTAVE; k >= 0; k--) edges.push(Math.min(2 ** (top - k / PER_OCTAVE), Number.MAX_VALUE));
  // Quarter-octave edges are not key boundaries; each key goes to the bin holding its lowest value.
  const counts = new Array<number>(edges.length - 1).fill(0);
  let below = 0;
  const firstKey = keyOf(edges[0]);
  let bin = 0;
  for (let key = 0; key < hist.length; key++) {
    const c = hist[key];
    if (c === 0) continue;
    if (key < firstKey) {
      below += c;
      continue;
    }
    w[0] = 0;
    w[1] = key << KEY_SHIFT;
    const lo = f[0];
    while (bin < counts.length - 1 && lo >= edges[bin + 1]) bin++;
    counts[bin] += c;
  }
  return { edges, counts, below };
}
