/**
 * The per-row sums of a predicted variance (#16 item 2), beside RangeAccumulator's: called once
 * per used row (after its skips), flushed at the same block boundaries, so the sums are exact
 * and identical for any split of the file into threads (as ModelAcc's: a Neumaier state per block
 * of the file, added into exact sums at the block's end).
 */
import { ExactSum, neumaier as add } from '../../exactSum';
import type { GroupKeys } from '../../groups';
import { CHUNK, completeChunks, FIRST_SKIPPED_LINES } from './parts';
import { TopRows } from './topRows';
import { crpsGaussian, GAUSSIAN_NLL_EPS, NVSUMS, SIGMA_FLOOR, SpreadColumn, VarianceRange, Z_BINS, zBin } from './variance';

/** Where each model's spread value is in a row's values, and whether it is a standard deviation. */
export interface SpreadSlots {
  /** Per model: the index in the row's values, −1 without a spread column. */
  slot: number[];
  std: boolean[];
}

/** The slots of the spread columns, read after the target, the predictions and the weight (each distinct column once). */
export function spreadSlots(spread: readonly (SpreadColumn | null)[], first: number): { slots: SpreadSlots; columns: string[] } {
  const columns: string[] = [];
  const slot = spread.map((s) => {
    if (s === null) return -1;
    let i = columns.indexOf(s.column);
    if (i < 0) i = columns.push(s.column) - 1;
    return first + i;
  });
  return { slots: { slot, std: spread.map((s) => s?.kind === 'std') }, columns };
}

export class VarianceAcc {
  /** Neumaier state of the current block, [sum, compensation] per VARIANCE_SUMS entry and model. */
  private readonly nb: Float64Array;
  private readonly exact: ExactSum[];
  /** Per model: Z_BINS bins, then below and above. */
  private readonly hist: Float64Array;
  private readonly bad: Float64Array;
  private readonly badLines: number[][];
  private readonly slot: Int32Array;
  private readonly std: Uint8Array;
  /** The row's terms, NVSUMS per model, for its group (as RangeAccumulator's `terms`). */
  private readonly terms: Float64Array;
  /** Per group id: the block's Neumaier state and the exact sums (as `nb`, `exact`), and the groups with rows in the block. */
  private readonly gnb: Float64Array[] = [];
  private readonly gexact: ExactSum[][] = [];
  private readonly dirty: number[] = [];
  private readonly inBlock: boolean[] = [];
  /** The distinct spread columns' slots (ascending: the order the models first name them), their chunks of values, the current ones, and rows in those. */
  private readonly cols: Int32Array;
  private readonly rowChunks: Float64Array[][];
  private readonly rowCur: Float64Array[];
  private rowN = 0;
  /** Per model (null without a spread column): the worst rows by the NLL and by the CRPS (#16 item 5). */
  private readonly worstNll: (TopRows | null)[];
  private readonly worstCrps: (TopRows | null)[];

  constructor(
    private readonly slots: SpreadSlots,
    private readonly groups?: GroupKeys,
    topK = 0,
  ) {
    const n = slots.slot.length;
    this.nb = new Float64Array(2 * NVSUMS * n);
    this.exact = Array.from({ length: NVSUMS * n }, () => new ExactSum());
    this.hist = new Float64Array((Z_BINS + 2) * n);
    this.bad = new Float64Array(n);
    this.badLines = Array.from({ length: n }, () => []);
    this.slot = Int32Array.from(slots.slot);
    this.std = Uint8Array.from(slots.std, (b) => (b ? 1 : 0));
    this.terms = new Float64Array(NVSUMS * n);
    this.cols = Int32Array.from(new Set(slots.slot.filter((x) => x >= 0))).sort();
    this.rowCur = Array.from(this.cols, () => new Float64Array(CHUNK));
    this.rowChunks = this.rowCur.map((c) => [c]);
    this.worstNll = slots.slot.map((at) => (at < 0 ? null : new TopRows(topK)));
    this.worstCrps = slots.slot.map((at) => (at < 0 ? null : new TopRows(topK)));
  }

  /** The row's spread values into their chunks (8 bytes a row per column, kept for the shares). */
  private store(values: Float64Array): void {
    const cur = this.rowCur;
    if (this.rowN === CHUNK) {
      for (let c = 0; c < cur.length; c++) this.rowChunks[c].push((cur[c] = new Float64Array(CHUNK)));
      this.rowN = 0;
    }
    const i = this.rowN++;
    for (let c = 0; c < cur.length; c++) cur[c][i] = values[this.cols[c]];
  }

  /** A used row: target values[0], model m's prediction values[m + 1], weight w, group id (−1: none). */
  row(line: number, values: Float64Array, w: number, group: number): void {
    const nb = this.nb;
    const terms = this.terms;
    const t = values[0];
    this.store(values);
    for (let m = 0; m < this.slot.length; m++) {
      const at = this.slot[m];
      if (at < 0) continue;
      const s = values[at];
      if (!(s >= 0)) {
        // Outside the domain (a negative variance or standard deviation): the model's variance
        // metrics become null (PyTorch raises), so nothing more is added for it.
        const c = this.bad[m]++;
        if (c < FIRST_SKIPPED_LINES) this.badLines[m].push(line);
        continue;
      }
      if (this.bad[m] > 0) continue;
      const p = values[m + 1];
      const d = p - t;
      const sigma = this.std[m] === 1 ? s : Math.sqrt(s);
      const v = this.std[m] === 1 ? s * s : s;
      const vc = v > GAUSSIAN_NLL_EPS ? v : GAUSSIAN_NLL_EPS;
      const a = Math.abs(d);
      const z = d / (sigma > SIGMA_FLOOR ? sigma : SIGMA_FLOOR);
      const o = NVSUMS * m;
      // The row's losses unweighted (a weight does not rank the worst rows); w·(½·x) is (w·½)·x to the bit.
      const nll = 0.5 * (Math.log(vc) + (d * d) / vc);
      const crps = crpsGaussian(d, sigma);
      terms[o] = w * nll;
      terms[o + 1] = w * crps;
      const wn = this.worstNll[m];
      if (wn !== null && nll > wn.cut) wn.push(line, t, p, nll, sigma);
      const wc = this.worstCrps[m];
      if (wc !== null && crps > wc.cut) wc.push(line, t, p, crps, sigma);
      terms[o + 2] = a <= sigma ? w : 0;
      terms[o + 3] = a <= 2 * sigma ? w : 0;
      terms[o + 4] = w * z;
      terms[o + 5] = w * z * z;
      for (let k = 0; k < NVSUMS; k++) add(nb, 2 * (o + k), terms[o + k]);
      this.hist[(Z_BINS + 2) * m + zBin(z) + 1]++;
      if (group >= 0 && this.groups !== undefined) this.addToGroup(group, m);
    }
  }

  /** Model m's terms of the row into its group's block sums. */
  private addToGroup(group: number, m: number): void {
    let g = this.gnb[group];
    if (g === undefined) {
      while (this.gnb.length <= group) {
        this.gnb.push(new Float64Array(2 * NVSUMS * this.slot.length));
        this.gexact.push(Array.from({ length: NVSUMS * this.slot.length }, () => new ExactSum()));
        this.inBlock.push(false);
      }
      g = this.gnb[group];
    }
    if (!this.inBlock[group]) {
      this.inBlock[group] = true;
      this.dirty.push(group);
    }
    const o = NVSUMS * m;
    for (let k = 0; k < NVSUMS; k++) add(g, 2 * (o + k), this.terms[o + k]);
  }

  /** The block's end (RangeAccumulator.flush): its Neumaier sums into the exact ones. */
  flush(): void {
    const nb = this.nb;
    for (let k = 0; k < this.exact.length; k++) {
      this.exact[k].add(nb[2 * k]);
      this.exact[k].add(nb[2 * k + 1]);
    }
    nb.fill(0);
    for (const id of this.dirty) {
      const g = this.gnb[id];
      const e = this.gexact[id];
      for (let k = 0; k < e.length; k++) {
        e[k].add(g[2 * k]);
        e[k].add(g[2 * k + 1]);
      }
      g.fill(0);
      this.inBlock[id] = false;
    }
    this.dirty.length = 0;
  }

  /** Per model (null without a spread column): the range's sums, histogram and domain count; per group its sums. */
  parts(): VarianceRange {
    const models = this.slots.slot.map((at, m) => {
      if (at < 0) return null;
      const h = this.hist.subarray((Z_BINS + 2) * m, (Z_BINS + 2) * (m + 1));
      return {
        sums: this.exact.slice(NVSUMS * m, NVSUMS * (m + 1)).map((e) => e.serialize()),
        below: h[0],
        hist: Array.from(h.subarray(1, Z_BINS + 1)),
        above: h[Z_BINS + 1],
        bad: this.bad[m],
        badLines: this.badLines[m],
        // A model with a negative spread somewhere has no NLL or CRPS, so no rows to rank by them.
        ...(this.bad[m] === 0 ? { worst: { gaussianNll: this.worstNll[m]?.rows(0, true) ?? [], crps: this.worstCrps[m]?.rows(0, true) ?? [] } } : {}),
      };
    });
    const rows = this.rowChunks.map((c) => completeChunks(c, this.rowN));
    const labels = this.groups?.labels;
    if (!labels) return { models, rows };
    const groups = this.gexact.map((e, id) => ({
      label: labels[id],
      sums: this.slots.slot.map((at, m) => (at < 0 ? null : e.slice(NVSUMS * m, NVSUMS * (m + 1)).map((x) => x.serialize()))),
    }));
    return { models, groups, rows };
  }
}
