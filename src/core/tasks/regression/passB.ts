/**
 * Pass B of the residual statistics, per byte range (#20 item 4): one pass over a range's stored
 * residuals for the histogram, the series, the values of the quantile buckets, the sweep and the
 * robustness sums (see residualStats). It runs where the range was scanned — a scan worker keeps
 * its ranges until the calling thread has merged every thread's key counts into the plan — or on
 * the calling thread. Ranges merge exactly: counts add, extremes take the min or max, a bucket's
 * values concatenate in file order, and the sums are Neumaier per summation block (family.ts
 * BLOCK_BYTES) combined exactly (ExactSum), so the result is the same to the last bit for any
 * number of threads.
 */
import { ExactSum, SerializedSum } from '../../exactSum';
import { LossInspectorError } from '../../errors';
import { logCoshTo, LossParams, ROW_LOSSES } from './losses';
import type { ParamSweep } from './report';
import { KEY_BITS, KEY_SHIFT } from './residualKeys';

/** What every range's pass of one model needs, from the merged key counts (plain data: sent to the scan workers). */
export interface StatsPlan {
  n: number;
  min: number;
  width: number;
  nb: number;
  rowsPerPoint: number;
  nPoints: number;
  grid: number[];
  /** The keys whose rows' |d| are collected (the quantile buckets), ascending, and their rows in the file. */
  bucketKeys: number[];
  bucketRows: number[];
  /** Of bucketKeys, those of more than HEAVY_BUCKET rows (unweighted only): kept as one value when all their rows hold one. */
  heavy: boolean[];
  /** Robustness: per group (worst 1%, 10%), the key of its smallest row; rows in higher keys are summed. */
  worstKeys: number[];
  params: LossParams;
  weighted: boolean;
}

/** One range's pass B of one model (structured-clone friendly). */
export interface RangeStats {
  counts: Float64Array;
  /** The series points the range's rows fall in, from `firstPoint`: min and max |d| of its rows in each. */
  firstPoint: number;
  minAbs: Float64Array;
  maxAbs: Float64Array;
  /** Per bucket: the range's rows in it, their one value when `rows` > 0 and all hold it (heavy buckets; else NaN), else their |d| in file order. */
  rows: number[];
  single: number[];
  collected: Float64Array[];
  /** The weights of the collected values (weighted reports; else empty arrays). */
  collectedW: Float64Array[];
  /** The sweep per interval: rows (Σw weighted), Σw|d| and Σwd². */
  cnt: SerializedSum[];
  sAbs: SerializedSum[];
  sSq: SerializedSum[];
  aboveSums: SerializedSum[][];
  aboveCounts: number[];
  aboveWeights: SerializedSum[];
}

/** The ranges' passes merged (file order), as residualStats reads them. */
export interface MergedStats {
  counts: Float64Array;
  minAbs: Float64Array;
  maxAbs: Float64Array;
  /** Per bucket: its value when all its rows hold one (heavy buckets), else NaN and its |d| (and weights) in file order. */
  constant: Float64Array;
  collected: Float64Array[];
  collectedW: Float64Array[] | null;
  cnt: Float64Array;
  sAbs: Float64Array;
  sSq: Float64Array;
  aboveSums: Float64Array[];
  aboveCounts: number[];
  aboveWeights: number[];
}

/** Per-thread lookup tables of a plan (built once per plan and thread). */
interface Tables {
  slotOfKey: Int8Array;
  intervalOfKey: Uint16Array;
}

const tableCache = new WeakMap<StatsPlan, Tables>();

function tablesOf(plan: StatsPlan): Tables {
  let t = tableCache.get(plan);
  if (!t) {
    const slotOfKey = new Int8Array(1 << KEY_BITS).fill(-1);
    plan.bucketKeys.forEach((k, slot) => (slotOfKey[k] = slot));
    t = { slotOfKey, intervalOfKey: intervalTable(plan.grid) };
    tableCache.set(plan, t);
  }
  return t;
}

/**
 * The running state of one range's pass: plain counts and extremes, and the sums of the current
 * block as Neumaier pairs [sum, compensation] that `flushBlock` adds to exact sums.
 */
class PassState {
  readonly counts: Float64Array;
  readonly minAbs: Float64Array;
  readonly maxAbs: Float64Array;
  readonly fill: Int32Array;
  readonly fillW: Int32Array;
  readonly collected: Float64Array[];
  readonly collectedW: Float64Array[];
  /** The block's sweep sums, interleaved [sum, compensation] per interval (weighted reports: Σw, Σw|d|, Σwd²). */
  readonly bCnt: Float64Array;
  readonly bAbs: Float64Array;
  readonly bSq: Float64Array;
  readonly cnt: ExactSum[];
  readonly sAbs: ExactSum[];
  readonly sSq: ExactSum[];
  /** The block's robustness sums: per group, [sum, compensation] per row loss and for the weight. */
  readonly bAbove: Float64Array[];
  readonly above: ExactSum[][];
  readonly aboveCounts: number[];

  constructor(plan: StatsPlan, points: number, capacity: number[]) {
    const G = plan.grid.length + 1;
    this.counts = new Float64Array(plan.nb);
    this.minAbs = new Float64Array(points).fill(Infinity);
    this.maxAbs = new Float64Array(points);
    this.fill = new Int32Array(capacity.length);
    this.fillW = new Int32Array(capacity.length);
    this.collected = capacity.map((c) => new Float64Array(c));
    this.collectedW = capacity.map((c) => new Float64Array(plan.weighted ? c : 0));
    this.bCnt = new Float64Array(2 * G);
    this.bAbs = new Float64Array(2 * G);
    this.bSq = new Float64Array(2 * G);
    this.cnt = Array.from({ length: G }, () => new ExactSum());
    this.sAbs = Array.from({ length: G }, () => new ExactSum());
    this.sSq = Array.from({ length: G }, () => new ExactSum());
    const nl = ROW_LOSSES.length;
    this.bAbove = plan.worstKeys.map(() => new Float64Array(2 * (nl + 1)));
    this.above = plan.worstKeys.map(() => Array.from({ length: nl + 1 }, () => new ExactSum()));
    this.aboveCounts = plan.worstKeys.map(() => 0);
  }

  flushBlock(): void {
    const pairs: [Float64Array, ExactSum[]][] = [
      [this.bCnt, this.cnt],
      [this.bAbs, this.sAbs],
      [this.bSq, this.sSq],
    ];
    this.bAbove.forEach((b, g) => pairs.push([b, this.above[g]]));
    for (const [b, into] of pairs) {
      for (let k = 0; k < into.length; k++) {
        if (b[2 * k] === 0 && b[2 * k + 1] === 0) continue;
        into[k].add(b[2 * k]);
        into[k].add(b[2 * k + 1]);
      }
      b.fill(0);
    }
  }
}

/**
 * One range's pass B of one model. `firstRow` is the range's first used row in the file (the
 * series' points are runs of file rows); `blockRows` the range's used rows per summation block,
 * in file order; `chunks` and `weights` its stored residuals and weights.
 */
export function rangeStats(plan: StatsPlan, chunks: Float64Array[], weights: Float64Array[] | null, firstRow: number, blockRows: number[]): RangeStats {
  let rows = 0;
  for (const c of chunks) rows += c.length;
  let blocked = 0;
  for (const r of blockRows) blocked += r;
  if (blocked !== rows || (weights && weights.length !== chunks.length)) {
    throw new LossInspectorError('internal', 'Loss Inspector hit an internal error: the stored residuals and their summation blocks disagree.');
  }
  const { slotOfKey, intervalOfKey } = tablesOf(plan);
  const nSlots = plan.bucketKeys.length;
  // Heavy buckets: their one value in this range, if all its rows hold one (then not collected).
  const single = new Float64Array(nSlots).fill(NaN);
  const heavyRows = new Float64Array(nSlots);
  let slots = slotOfKey;
  if (plan.heavy.some((h) => h)) {
    const heavy = new Int8Array(1 << KEY_BITS).fill(-1);
    plan.bucketKeys.forEach((k, slot) => plan.heavy[slot] && (heavy[k] = slot));
    constantBuckets(chunks, heavy, single, heavyRows);
    if (single.some((v) => v === v)) {
      slots = slotOfKey.slice();
      single.forEach((v, slot) => v === v && (slots[plan.bucketKeys[slot]] = -1));
    }
  }
  // A bucket's rows in this range are at most its rows in the file and the range's rows.
  const capacity = plan.bucketRows.map((r, slot) => (single[slot] === single[slot] ? 0 : Math.min(r, rows)));
  const firstPoint = Math.floor(firstRow / plan.rowsPerPoint);
  const points = rows > 0 ? Math.floor((firstRow + rows - 1) / plan.rowsPerPoint) - firstPoint + 1 : 0;
  const st = new PassState(plan, points, capacity);
  const G = plan.grid.length;
  let b = 0;
  let left = blockRows.length ? blockRows[0] : Infinity;
  let row = firstRow;
  for (let ci = 0; ci < chunks.length; ci++) {
    const c = chunks[ci];
    const wc = weights ? weights[ci] : null;
    let i = 0;
    while (i < c.length) {
      const take = Math.min(c.length - i, left);
      const seg = i === 0 && take === c.length ? c : c.subarray(i, i + take);
      const wseg = wc ? (seg === c ? wc : wc.subarray(i, i + take)) : null;
      passBHistSeries(seg, row - firstPoint * plan.rowsPerPoint, plan.min, plan.width, st.counts, plan.nb, plan.rowsPerPoint, st.minAbs, st.maxAbs);
      passBKeys(seg, slots, st.collected, st.fill, plan.grid, G, intervalOfKey, st.bCnt, st.bAbs, st.bSq, wseg, st.collectedW, st.fillW);
      passBWorst(seg, wseg, plan, st);
      i += take;
      row += take;
      left -= take;
      if (left === 0) {
        st.flushBlock();
        b++;
        left = b < blockRows.length ? blockRows[b] : Infinity;
      }
    }
  }
  st.flushBlock();
  const trim = (a: Float64Array, n: number) => (n === a.length ? a : a.slice(0, n));
  return {
    counts: st.counts,
    firstPoint,
    minAbs: st.minAbs,
    maxAbs: st.maxAbs,
    rows: plan.bucketKeys.map((_, slot) => (single[slot] === single[slot] ? heavyRows[slot] : st.fill[slot])),
    single: Array.from(single),
    collected: st.collected.map((a, slot) => trim(a, st.fill[slot])),
    collectedW: st.collectedW.map((a, slot) => trim(a, plan.weighted ? st.fillW[slot] : 0)),
    cnt: st.cnt.map((e) => e.serialize()),
    sAbs: st.sAbs.map((e) => e.serialize()),
    sSq: st.sSq.map((e) => e.serialize()),
    aboveSums: st.above.map((g) => g.slice(0, ROW_LOSSES.length).map((e) => e.serialize())),
    aboveCounts: st.aboveCounts,
    aboveWeights: st.above.map((g) => g[ROW_LOSSES.length].serialize()),
  };
}

/** The ranges' passes of one model, in file order, merged. */
export function mergeStats(plan: StatsPlan, parts: RangeStats[]): MergedStats {
  const G = plan.grid.length + 1;
  const counts = new Float64Array(plan.nb);
  const minAbs = new Float64Array(plan.nPoints).fill(Infinity);
  const maxAbs = new Float64Array(plan.nPoints);
  const exact = (k: 'cnt' | 'sAbs' | 'sSq') => {
    const e = Array.from({ length: G }, () => new ExactSum());
    for (const p of parts) p[k].forEach((x, i) => e[i].merge(x));
    return Float64Array.from(e, (x) => x.value());
  };
  for (const p of parts) {
    for (let i = 0; i < counts.length; i++) counts[i] += p.counts[i];
    for (let i = 0; i < p.minAbs.length; i++) {
      const q = p.firstPoint + i;
      if (p.minAbs[i] < minAbs[q]) minAbs[q] = p.minAbs[i];
      if (p.maxAbs[i] > maxAbs[q]) maxAbs[q] = p.maxAbs[i];
    }
  }
  const nSlots = plan.bucketKeys.length;
  const constant = new Float64Array(nSlots).fill(NaN);
  const collected: Float64Array[] = [];
  const collectedW: Float64Array[] = [];
  for (let slot = 0; slot < nSlots; slot++) {
    const total = plan.bucketRows[slot];
    let v = NaN;
    let one = plan.heavy[slot];
    for (const p of parts) {
      if (p.rows[slot] === 0) continue;
      const x = p.single[slot];
      if (x !== x || (v === v && x !== v)) one = false;
      v = x;
    }
    let got = 0;
    for (const p of parts) got += p.rows[slot];
    // The buckets are sized from the scan's key counts: a disagreement would drop or invent values.
    if (got !== total) throw new LossInspectorError('internal', 'Loss Inspector hit an internal error: the residual counts of the scan and the stored residuals disagree.');
    if (one && v === v) {
      constant[slot] = v;
      collected.push(new Float64Array(0));
      collectedW.push(new Float64Array(0));
      continue;
    }
    const all = new Float64Array(total);
    const allW = new Float64Array(plan.weighted ? total : 0);
    let at = 0;
    for (const p of parts) {
      const x = p.single[slot];
      if (p.rows[slot] > 0 && x === x) all.fill(x, at, at + p.rows[slot]);
      else {
        all.set(p.collected[slot], at);
        if (plan.weighted) allW.set(p.collectedW[slot], at);
      }
      at += p.rows[slot];
    }
    collected.push(all);
    collectedW.push(allW);
  }
  const nl = ROW_LOSSES.length;
  const aboveSums = plan.worstKeys.map((_, g) => {
    const e = Array.from({ length: nl }, () => new ExactSum());
    for (const p of parts) p.aboveSums[g].forEach((x, j) => e[j].merge(x));
    return Float64Array.from(e, (x) => x.value());
  });
  const aboveWeights = plan.worstKeys.map((_, g) => {
    const e = new ExactSum();
    for (const p of parts) e.merge(p.aboveWeights[g]);
    return e.value();
  });
  const aboveCounts = plan.worstKeys.map((_, g) => parts.reduce((a, p) => a + p.aboveCounts[g], 0));
  return { counts, minAbs, maxAbs, constant, collected, collectedW: plan.weighted ? collectedW : null, cnt: exact('cnt'), sAbs: exact('sAbs'), sSq: exact('sSq'), aboveSums, aboveCounts, aboveWeights };
}

/** Buffers of a range's passes to transfer (not copy) to another thread. */
export function statsTransferables(parts: RangeStats[]): ArrayBuffer[] {
  const out: ArrayBuffer[] = [];
  for (const p of parts) {
    for (const a of [p.counts, p.minAbs, p.maxAbs, ...p.collected, ...p.collectedW]) if (a.buffer instanceof ArrayBuffer && !out.includes(a.buffer)) out.push(a.buffer);
  }
  return out;
}

/**
 * Pass B's robustness part: the row losses (× weight) of the rows above each worst group's key,
 * and their weight, into the block's Neumaier pairs.
 */
function passBWorst(c: Float64Array, wc: Float64Array | null, plan: StatsPlan, st: PassState): void {
  const w = new Uint32Array(c.buffer, c.byteOffset, c.length * 2);
  const wk = plan.worstKeys;
  const lowest = Math.min(...wk);
  const nl = ROW_LOSSES.length;
  const loss = new Float64Array(nl + 1);
  const beta = plan.params.beta;
  const delta = plan.params.delta;
  for (let i = 0; i < c.length; i++) {
    const key = (w[2 * i + 1] & 0x7fffffff) >>> KEY_SHIFT;
    if (key <= lowest) continue;
    const z = Math.abs(c[i]);
    const wi = wc ? wc[i] : 1;
    // Each row loss once per row (ROW_LOSSES order, as rowLoss; written into `loss`, not
    // returned, so no double is boxed), added to every group the row belongs to; the weight last.
    loss[0] = z;
    loss[1] = z * z;
    loss[2] = beta === 0 ? z : z < beta ? (0.5 * z * z) / beta : z - 0.5 * beta;
    loss[3] = z < delta ? 0.5 * z * z : delta * (z - 0.5 * delta);
    logCoshTo(z, loss, 4);
    loss[nl] = 1;
    for (let g = 0; g < wk.length; g++) {
      if (key > wk[g]) {
        st.aboveCounts[g]++;
        const s = st.bAbove[g];
        for (let j = 0; j <= nl; j++) {
          const x = wi * loss[j];
          const a = s[2 * j];
          const r = a + x;
          s[2 * j + 1] += Math.abs(a) >= Math.abs(x) ? a - r + x : x - r + a;
          s[2 * j] = r;
        }
      }
    }
  }
}

/** Buckets above this many rows are checked for holding a single value (see residualStats). */
export const HEAVY_BUCKET = 1 << 16;

/**
 * For each bucket marked in `heavy` (key → slot), its value if all its rows hold the same |d|
 * (written into `out[slot]`), else NaN; and its rows, into `rows[slot]`.
 */
export function constantBuckets(chunks: Float64Array[], heavy: Int8Array, out: Float64Array, rows: Float64Array): void {
  const seen = new Uint8Array(out.length);
  const varied = new Uint8Array(out.length);
  for (const c of chunks) {
    const w = new Uint32Array(c.buffer, c.byteOffset, c.length * 2);
    for (let i = 0; i < c.length; i++) {
      const slot = heavy[(w[2 * i + 1] & 0x7fffffff) >>> KEY_SHIFT];
      if (slot < 0) continue;
      rows[slot]++;
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

/**
 * Pass B's keyed part: the values (and weights) of the quantile buckets, and the sweep sums per
 * interval into the block's Neumaier pairs [sum, compensation]: rows, Σ|d|, Σd² (weighted: Σw,
 * Σw|d|, Σwd²).
 */
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
  wc: Float64Array | null,
  collectedW: Float64Array[],
  fillW: Int32Array,
): void {
  const w = new Uint32Array(c.buffer, c.byteOffset, c.length * 2);
  for (let i = 0; i < c.length; i++) {
    const z = Math.abs(c[i]);
    const key = (w[2 * i + 1] & 0x7fffffff) >>> KEY_SHIFT;
    const slot = slotOfKey[key];
    const wi = wc ? wc[i] : 1;
    if (slot >= 0) {
      collected[slot][fill[slot]++] = z;
      if (wc) collectedW[slot][fillW[slot]++] = wi;
    }
    let k = intervalOfKey[key];
    while (k < G && grid[k] <= z) k++; // a key may hold several grid values (β next to a grid value)
    // Rows (or Σw) per interval: unweighted, a sum of ones, exact without compensation.
    cnt[2 * k] += wi;
    const x = wi * z;
    let s0 = sAbs[2 * k];
    let r = s0 + x;
    sAbs[2 * k + 1] += Math.abs(s0) >= Math.abs(x) ? s0 - r + x : x - r + s0;
    sAbs[2 * k] = r;
    const y = x * z;
    s0 = sSq[2 * k];
    r = s0 + y;
    sSq[2 * k + 1] += Math.abs(s0) >= Math.abs(y) ? s0 - r + y : y - r + s0;
    sSq[2 * k] = r;
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
