/**
 * Pass B of the residual statistics: one pass over the stored residuals for the histogram, the
 * series, the values of the quantile buckets, the sweep and the robustness sums (see residualStats).
 */
import { logCoshTo, LossParams, ROW_LOSSES } from './losses';
import type { ParamSweep } from './report';
import { KEY_BITS, KEY_SHIFT } from './residualKeys';

export interface PassB {
  min: number;
  width: number;
  counts: Float64Array;
  rowsPerPoint: number;
  minAbs: Float64Array;
  maxAbs: Float64Array;
  slotOfKey: Int8Array;
  /** The |d| of the rows in each quantile bucket (slot), in file order, and how many are in. */
  collected: Float64Array[];
  fill: Int32Array;
  grid: number[];
  intervalOfKey: Uint16Array;
  cnt: Float64Array;
  sAbs: Float64Array;
  sSq: Float64Array;
  params: LossParams;
  /** Robustness: per group (worst 1%, 10%), the key of its smallest row; rows in higher keys are summed. */
  worstKeys: number[];
  aboveSums: Float64Array[];
  aboveCounts: number[];
  aboveWeights: number[];
  /** Weights in chunks aligned with the residual chunks (weighted reports), else null. */
  weights: Float64Array[] | null;
  /** The weights of the collected values (weighted reports), else null. */
  collectedW: Float64Array[] | null;
  fillW: Int32Array;
  /** Weighted reports: the sweep's weight, Σw|d| and Σwd² per interval. */
  wcnt: Float64Array;
  wAbs: Float64Array;
  wSq: Float64Array;
}

/** Pass B: histogram bins, series, the values of the quantile buckets, the sweep intervals and robustness. */
export function passB(chunks: Float64Array[], b: PassB): void {
  const { min, width, counts, rowsPerPoint, minAbs, maxAbs, slotOfKey, collected, fill, grid, intervalOfKey, cnt, sAbs, sSq } = b;
  const nb = counts.length;
  const G = grid.length;
  let firstRow = 0;
  chunks.forEach((c, ci) => {
    const wc = b.weights ? b.weights[ci] : null;
    if (wc && wc.length !== c.length) throw new Error('weights and residuals are not aligned');
    passBHistSeries(c, firstRow, min, width, counts, nb, rowsPerPoint, minAbs, maxAbs);
    passBKeys(c, slotOfKey, collected, fill, grid, G, intervalOfKey, cnt, sAbs, sSq);
    if (wc) passBWeighted(c, wc, b);
    passBWorst(c, wc, b);
    firstRow += c.length;
  });
}

/**
 * Weighted reports: the sweep sums again with weights (passBKeys added them unweighted; these
 * replace them), and the weights of the collected values.
 */
function passBWeighted(c: Float64Array, wc: Float64Array, b: PassB): void {
  const w = new Uint32Array(c.buffer, c.byteOffset, c.length * 2);
  const { grid, intervalOfKey, slotOfKey } = b;
  const G = grid.length;
  const cw = b.collectedW as Float64Array[];
  const fw = b.fillW;
  for (let i = 0; i < c.length; i++) {
    const z = Math.abs(c[i]);
    const key = (w[2 * i + 1] & 0x7fffffff) >>> KEY_SHIFT;
    const slot = slotOfKey[key];
    if (slot >= 0) cw[slot][fw[slot]++] = wc[i];
    let k = intervalOfKey[key];
    while (k < G && grid[k] <= z) k++; // a key may hold several grid values (β next to a grid value)
    const wi = wc[i];
    b.wcnt[k] += wi;
    b.wAbs[k] += wi * z;
    b.wSq[k] += wi * z * z;
  }
}

/** Pass B's robustness part: the row losses (× weight) of the rows above each worst group's key. */
function passBWorst(c: Float64Array, wc: Float64Array | null, b: PassB): void {
  const w = new Uint32Array(c.buffer, c.byteOffset, c.length * 2);
  const wk = b.worstKeys;
  const lowest = Math.min(...wk);
  const nl = ROW_LOSSES.length;
  const loss = new Float64Array(nl);
  const beta = b.params.beta;
  const delta = b.params.delta;
  for (let i = 0; i < c.length; i++) {
    const key = (w[2 * i + 1] & 0x7fffffff) >>> KEY_SHIFT;
    if (key <= lowest) continue;
    const z = Math.abs(c[i]);
    const wi = wc ? wc[i] : 1;
    // Each row loss once per row (ROW_LOSSES order, as rowLoss; written into `loss`, not
    // returned, so no double is boxed), added to every group the row belongs to.
    loss[0] = z;
    loss[1] = z * z;
    loss[2] = beta === 0 ? z : z < beta ? (0.5 * z * z) / beta : z - 0.5 * beta;
    loss[3] = z < delta ? 0.5 * z * z : delta * (z - 0.5 * delta);
    logCoshTo(z, loss, 4);
    for (let g = 0; g < wk.length; g++) {
      if (key > wk[g]) {
        b.aboveCounts[g]++;
        b.aboveWeights[g] += wi;
        const s = b.aboveSums[g];
        for (let j = 0; j < nl; j++) s[j] += wi * loss[j];
      }
    }
  }
}

/** Buckets above this many rows are checked for holding a single value (see residualStats). */
export const HEAVY_BUCKET = 1 << 16;

/**
 * For each bucket marked in `heavy` (key → slot), its value if all its rows hold the same |d|
 * (written into `out[slot]`), else NaN.
 */
export function constantBuckets(chunks: Float64Array[], heavy: Int8Array, out: Float64Array): void {
  const seen = new Uint8Array(out.length);
  const varied = new Uint8Array(out.length);
  for (const c of chunks) {
    const w = new Uint32Array(c.buffer, c.byteOffset, c.length * 2);
    for (let i = 0; i < c.length; i++) {
      const slot = heavy[(w[2 * i + 1] & 0x7fffffff) >>> KEY_SHIFT];
      if (slot < 0) continue;
      const z = Math.abs(c[i]);
      if (seen[slot] === 0) {
        seen[slot] = 1;
        out[slot] = z;
      } else if (z !== out[slot]) varied[slot] = 1;
    }
  }
  varied.forEach((v, slot) => v && (out[slot] = NaN));
}

/**
 * Pass B's histogram and series. The series' points are whole runs of rows: an inner loop per point
 * instead of a division per row (an integer division per row made this loop twice as slow).
 */
function passBHistSeries(
  c: Float64Array,
  firstRow: number,
  min: number,
  width: number,
  counts: Float64Array,
  nb: number,
  rowsPerPoint: number,
  minAbs: Float64Array,
  maxAbs: Float64Array,
): void {
  const end = c.length;
  let p = Math.floor(firstRow / rowsPerPoint);
  let stop = (p + 1) * rowsPerPoint - firstRow;
  let i = 0;
  while (i < end) {
    if (stop > end) stop = end;
    let lo = minAbs[p];
    let hi = maxAbs[p];
    for (; i < stop; i++) {
      const d = c[i];
      const z = Math.abs(d);
      const x = width > 0 ? (d - min) / width : 0;
      counts[x >= nb ? nb - 1 : Math.floor(x)]++;
      if (z < lo) lo = z;
      if (z > hi) hi = z;
    }
    minAbs[p] = lo;
    maxAbs[p] = hi;
    p++;
    stop = i + rowsPerPoint;
  }
}

/** Pass B's keyed part: the values of the quantile buckets, and the sweep sums per interval. */
function passBKeys(
  c: Float64Array,
  slotOfKey: Int8Array,
  collected: Float64Array[],
  fill: Int32Array,
  grid: number[],
  G: number,
  intervalOfKey: Uint16Array,
  cnt: Float64Array,
  sAbs: Float64Array,
  sSq: Float64Array,
): void {
  const w = new Uint32Array(c.buffer, c.byteOffset, c.length * 2);
  for (let i = 0; i < c.length; i++) {
    const z = Math.abs(c[i]);
    const key = (w[2 * i + 1] & 0x7fffffff) >>> KEY_SHIFT;
    const slot = slotOfKey[key];
    if (slot >= 0) collected[slot][fill[slot]++] = z;
    let k = intervalOfKey[key];
    while (k < G && grid[k] <= z) k++; // a key may hold several grid values (β next to a grid value)
    cnt[k]++;
    sAbs[k] += z;
    sSq[k] += z * z;
  }
}

/**
 * The sweep interval of each key's lowest value. A key spans 1/128 of an octave, less than the
 * grid's spacing (10 points a decade), so a comparison or two per value finishes the search (two
 * when β or δ lies next to a grid value).
 */
export function intervalTable(grid: number[]): Uint16Array {
  // table[key] = how many grid values are ≤ the lowest value of the key. Between the keys of two
  // consecutive grid values that count is constant, so the table is filled range by range.
  const t = new Uint16Array(1 << KEY_BITS);
  const f = new Float64Array(1);
  const w = new Uint32Array(f.buffer);
  const lowest = (key: number) => {
    w[0] = 0;
    w[1] = key << KEY_SHIFT;
    return f[0];
  };
  const keyOf = (x: number) => {
    f[0] = x;
    return (w[1] & 0x7fffffff) >>> KEY_SHIFT;
  };
  let from = 0;
  for (let k = 0; k < grid.length; k++) {
    const key = keyOf(grid[k]);
    // Keys below `key` hold only values < grid[k]: k grid values are ≤ their lowest value.
    if (key > from) t.fill(k, from, key);
    if (key >= from) {
      // The grid value's own key: it counts when it is exactly the key's lowest value.
      let c = k;
      while (c < grid.length && keyOf(grid[c]) === key && grid[c] <= lowest(key)) c++;
      t[key] = c;
      from = key + 1;
    }
  }
  t.fill(grid.length, from);
  return t;
}

export function sweepFrom(grid: number[], cnt: Float64Array, sAbs: Float64Array, sSq: Float64Array, n: number): ParamSweep {
  const sweep: ParamSweep = { values: [], smoothL1: [], huber: [], quadraticShare: [] };
  let totAbs = 0;
  for (let k = 0; k < sAbs.length; k++) totAbs += sAbs[k];
  let cBelow = 0;
  let aBelow = 0;
  let qBelow = 0;
  for (let k = 0; k < grid.length; k++) {
    cBelow += cnt[k];
    aBelow += sAbs[k];
    qBelow += sSq[k];
    const v = grid[k];
    const above = n - cBelow;
    const sl1 = ((0.5 * qBelow) / v + (totAbs - aBelow) - 0.5 * v * above) / n;
    const hub = (0.5 * qBelow + v * (totAbs - aBelow - 0.5 * v * above)) / n;
    // Past 1e154 squares overflow: such β/δ values are left out of the sweep.
    if (!Number.isFinite(sl1) || !Number.isFinite(hub)) continue;
    sweep.values.push(v);
    sweep.smoothL1.push(sl1);
    sweep.huber.push(hub);
    sweep.quadraticShare.push(cBelow / n);
  }
  return sweep;
}
