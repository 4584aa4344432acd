/**
 * Quantile sets (#16 item 3): per range, the sums behind each level's pinball loss and share of
 * targets ≤ the prediction, each central interval's coverage, width and interval score (Gneiting
 * & Raftery 2007, unscaled), and the rows whose quantiles cross; then, merged, the report's
 * `models[].quantiles` and `models[].quantileIntervals`. Kept apart from the residual sums
 * (accumulate.ts calls in at three hooks) so a file without a set pays one branch per row.
 */
import { ExactSum, neumaier, SerializedSum } from '../../exactSum';
import type { GroupKeys } from '../../groups';
import { FIRST_SKIPPED_LINES } from '../../rows';
import type { ColumnChoice } from './columns';
import { CHUNK, completeChunks, IO_T, IO_W } from './parts';
import { PAIR_TOLERANCE, QuantileSetChoice } from './quantileColumns';
import type { LossRow } from './parts';
import { quantileShares, QuantileRobustness, StoredRows } from './quantileShares';
import { mergeLossRows, TopRows } from './topRows';
import { crossingWarning, quantileOverflowWarning } from './quantileWords';

/** One level of a set in the report. */
export interface QuantileReport {
  column: string;
  q: number;
  /** scikit-learn's mean_pinball_loss(y, column, alpha = q), weighted as its sample_weight. */
  pinball: number | null;
  /** Fraction (weighted) of targets ≤ the column's prediction: q for a calibrated quantile. */
  share: number | null;
  /**
   * The rows with the largest pinball loss at this level (#16 item 5), up to topK, worst first
   * (ties to the earlier line); `prediction` is this column's value. Absent with topK 0.
   */
  worst?: LossRow[];
}

/** A central interval: levels q and 1 − q both in the set. */
export interface QuantileIntervalReport {
  low: string;
  high: string;
  /** 1 − 2·q(low): 0.8 for q10–q90. */
  nominal: number;
  /** Fraction (weighted) of targets with low ≤ y ≤ high. */
  coverage: number | null;
  /** Mean of high − low (negative on rows where they cross). */
  width: number | null;
  /** Mean of (u − l) + (2/α)(l − y)·1[y < l] + (2/α)(y − u)·1[y > u], α = 1 − nominal. */
  score: number | null;
}

/** Where a set's numbers are in a row's values, and its intervals (indexes into its columns). */
interface SetLayout {
  name: string;
  model: number;
  at: number[];
  q: number[];
  /** Per interval: low and high column (indexes into `at`), α = 2·q(low). */
  low: number[];
  high: number[];
  alpha: number[];
  /** First sum of the set in QuantileAcc's flat layout: pinball×c, share×c, coverage×k, width×k, score×k. */
  first: number;
}

export interface QuantileLayout {
  sets: SetLayout[];
  nSums: number;
  /** Columns to read after the target, predictions and weight (the set columns that are not predictions). */
  extra: string[];
  /** Where the first of `extra` is in a row's values: a level at `at` < base is the prediction at − 1. */
  base: number;
}

/** The layout of a choice's sets; null without any. `values` are [target, ...predictions, weight?, ...extra]. */
export function quantileLayout(choice: ColumnChoice): QuantileLayout | null {
  const sets = choice.quantiles ?? [];
  if (sets.length === 0) return null;
  const extra = sets.flatMap((s) => s.columns.map((c) => c.column)).filter((c) => !choice.predictions.includes(c));
  // After the target, the predictions, the weight and the distinct spread columns (#16 item 2, index.ts readSpec).
  const spreadCount = new Set((choice.spread ?? []).flatMap((s) => (s ? [s.column] : []))).size;
  const base = 1 + choice.predictions.length + (choice.weight !== undefined ? 1 : 0) + spreadCount;
  const indexOf = (c: string) => (choice.predictions.includes(c) ? 1 + choice.predictions.indexOf(c) : base + extra.indexOf(c));
  let first = 0;
  const out = sets.map((s): SetLayout => {
    const { low, high } = centralPairs(s);
    const l: SetLayout = {
      name: s.name,
      model: choice.predictions.indexOf(s.model),
      at: s.columns.map((c) => indexOf(c.column)),
      q: s.columns.map((c) => c.q),
      low,
      high,
      alpha: low.map((i) => 2 * s.columns[i].q),
      first,
    };
    first += 2 * l.at.length + 3 * low.length;
    return l;
  });
  return { sets: out, nSums: first, extra, base };
}

/** The central intervals of a set: each level q < 0.5 with a level 1 − q, narrowest first. */
export function centralPairs(s: Pick<QuantileSetChoice, 'columns'>): { low: number[]; high: number[] } {
  const low: number[] = [];
  const high: number[] = [];
  for (let i = s.columns.length - 1; i >= 0; i--) {
    const q = s.columns[i].q;
    if (!(q < 0.5)) continue;
    const j = s.columns.findIndex((c) => Math.abs(c.q + q - 1) <= PAIR_TOLERANCE);
    if (j > i) {
      low.push(i);
      high.push(j);
    }
  }
  return { low, high };
}

/** One range's part: the sums in the layout's order, and per set the rows whose quantiles cross. */
export interface QuantilePart {
  sums: SerializedSum[];
  crossings: number[];
  /** Per set, the first lines (range-relative) of crossing rows. */
  crossingLines: number[][];
  /** With --group-by: per group of the range, Σw·pinball of every level (the sets' levels one after another). */
  groups?: { label: string; sums: SerializedSum[] }[];
  /** Per level (the sets' levels one after another): the range's worst rows by its pinball loss, worst first (range-relative lines). */
  worst: LossRow[][];
  /**
   * Per column of `extra` (the levels that are not a prediction, whose residuals are stored
   * anyway), its values in file order in chunks aligned with the targets' (#16 item 5: each level's
   * worst-rows shares, quantileShares.ts). Transferred, not copied, between threads.
   */
  rows: Float64Array[][];
}

/**
 * One range's sums. Within a block of the file, Neumaier sums (as the residual sums); at each
 * block's end they go into exact sums, so ranges merge to the same bits whatever the threads.
 */
export class QuantileAcc {
  private readonly nb: Float64Array;
  private readonly exact: ExactSum[];
  private readonly cross: Float64Array;
  private readonly crossLines: number[][];

  /** Per group id: the block's Neumaier state of each level's pinball sum, its exact sums, and the groups with rows in the block. */
  private readonly gnb: Float64Array[] = [];
  private readonly gexact: ExactSum[][] = [];
  private readonly dirty: number[] = [];
  private readonly inBlock: boolean[] = [];
  /** Levels over all sets, and the first level of each set in that flat order. */
  private readonly nLevels: number;
  private readonly levelAt: number[];
  /** Per extra column, its chunks of values and the current one (CHUNK rows each, as the targets'); rows in the current. */
  private readonly rowChunks: Float64Array[][];
  private readonly rowCur: Float64Array[];
  private rowN = 0;
  /** Per level (flat order): the worst rows by its pinball loss. */
  private readonly worst: TopRows[];

  constructor(
    private readonly layout: QuantileLayout,
    private readonly groups?: GroupKeys,
    topK = 0,
  ) {
    this.nb = new Float64Array(2 * layout.nSums);
    this.exact = Array.from({ length: layout.nSums }, () => new ExactSum());
    this.cross = new Float64Array(layout.sets.length);
    this.crossLines = layout.sets.map(() => []);
    this.levelAt = [];
    let n = 0;
    for (const set of layout.sets) {
      this.levelAt.push(n);
      n += set.at.length;
    }
    this.nLevels = n;
    this.worst = Array.from({ length: n }, () => new TopRows(topK));
    this.rowCur = layout.extra.map(() => new Float64Array(CHUNK));
    this.rowChunks = this.rowCur.map((c) => [c]);
  }

  /** The group's block state, started for this block when it is not yet. */
  private groupState(group: number): Float64Array {
    while (this.gnb.length <= group) {
      this.gnb.push(new Float64Array(2 * this.nLevels));
      this.gexact.push(Array.from({ length: this.nLevels }, () => new ExactSum()));
      this.inBlock.push(false);
    }
    if (!this.inBlock[group]) {
      this.inBlock[group] = true;
      this.dirty.push(group);
    }
    return this.gnb[group];
  }

  /** Whether every quantile prediction minus the target is finite (1e308 − (−1e308) is not). */
  finite(values: Float64Array): boolean {
    const t = values[0];
    for (const s of this.layout.sets) {
      for (const a of s.at) {
        const d = values[a] - t;
        if (d - d !== 0) return false;
      }
    }
    return true;
  }

  /** Adds a used row (target and weight in io, see IO_T), in group `group` (−1: none). */
  row(values: Float64Array, line: number, io: Float64Array, group = -1): void {
    const t = io[IO_T];
    const w = io[IO_W];
    const nb = this.nb;
    const sets = this.layout.sets;
    const gs = group >= 0 && this.groups !== undefined ? this.groupState(group) : null;
    this.store(values);
    for (let k = 0; k < sets.length; k++) {
      const s = sets[k];
      const at = s.at;
      const c = at.length;
      let o = s.first;
      let crossed = false;
      for (let j = 0; j < c; j++) {
        const p = values[at[j]];
        if (j > 0 && values[at[j - 1]] > p) crossed = true;
        const d = p - t;
        const q = s.q[j];
        // As losses.ts pinball (scikit-learn's mean_pinball_loss): q·(y − p) above, (1 − q)·(p − y) below.
        const loss = d <= 0 ? -q * d : (1 - q) * d;
        const pin = w * loss;
        const top = this.worst[this.levelAt[k] + j];
        if (loss > top.cut) top.push(line, t, p, loss);
        neumaier(nb, 2 * (o + j), pin);
        if (gs !== null) neumaier(gs, 2 * (this.levelAt[k] + j), pin);
        neumaier(nb, 2 * (o + c + j), t <= p ? w : 0);
      }
      if (crossed) {
        const n = this.cross[k]++;
        if (n < FIRST_SKIPPED_LINES) this.crossLines[k].push(line);
      }
      o += 2 * c;
      const m = s.low.length;
      for (let i = 0; i < m; i++) {
        const l = values[at[s.low[i]]];
        const u = values[at[s.high[i]]];
        const a = s.alpha[i];
        neumaier(nb, 2 * (o + i), t >= l && t <= u ? w : 0);
        neumaier(nb, 2 * (o + m + i), w * (u - l));
        neumaier(nb, 2 * (o + 2 * m + i), w * intervalScore(t, l, u, a));
      }
    }
  }

  /** The row's extra columns into their chunks. */
  private store(values: Float64Array): void {
    const cur = this.rowCur;
    if (this.rowN === CHUNK) {
      for (let e = 0; e < cur.length; e++) this.rowChunks[e].push((cur[e] = new Float64Array(CHUNK)));
      this.rowN = 0;
    }
    const base = this.layout.base;
    const i = this.rowN++;
    for (let e = 0; e < cur.length; e++) cur[e][i] = values[base + e];
  }

  /** The end of a block (RangeAccumulator.flush). */
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

  result(): QuantilePart {
    const labels = this.groups?.labels;
    return {
      sums: this.exact.map((e) => e.serialize()),
      crossings: Array.from(this.cross),
      crossingLines: this.crossLines.map((l) => [...l]),
      rows: this.rowChunks.map((c) => completeChunks(c, this.rowN)),
      worst: this.worst.map((t) => t.rows()),
      ...(labels ? { groups: this.gexact.map((e, id) => ({ label: labels[id], sums: e.map((x) => x.serialize()) })) } : {}),
    };
  }
}

/** Gneiting & Raftery's interval score of one row, unscaled: (u − l) + (2/α)(l − y)·1[y < l] + (2/α)(y − u)·1[y > u]. */
export function intervalScore(y: number, l: number, u: number, alpha: number): number {
  return u - l + (y < l ? (2 / alpha) * (l - y) : 0) + (y > u ? (2 / alpha) * (y - u) : 0);
}

/** What a model of the report carries when it has a set. */
export interface ModelQuantiles {
  quantileSet: string;
  quantiles: QuantileReport[];
  quantileIntervals: QuantileIntervalReport[];
  /** Each level's worst-rows shares (#16 item 5); absent when the rows were not given. */
  quantileRobustness?: QuantileRobustness;
}

/**
 * The parts merged (in file order, `shifts` the line shift of each) into each set's report,
 * indexed by model, and the crossing warnings. `W` is Σw of the used rows; with the scan's
 * `stored` rows, each level's worst-rows shares too.
 */
export function buildQuantiles(
  sets: readonly QuantileSetChoice[],
  layout: QuantileLayout,
  parts: readonly (QuantilePart | undefined)[],
  shifts: readonly number[],
  W: number,
  word: 'line' | 'row',
  stored?: StoredRows,
  topK = 0,
): { byModel: Map<number, ModelQuantiles>; warnings: string[] } {
  const sums = Array.from({ length: layout.nSums }, () => new ExactSum());
  const crossings = new Array<number>(sets.length).fill(0);
  const lines: number[][] = sets.map(() => []);
  const nLevels = layout.sets.reduce((n, s) => n + s.at.length, 0);
  const worst: LossRow[][][] = Array.from({ length: nLevels }, () => []);
  parts.forEach((p, i) => {
    if (!p) return;
    p.worst.forEach((rows, l) => worst[l].push(rows.map((r) => ({ ...r, line: r.line + shifts[i] }))));
    p.sums.forEach((s, k) => sums[k].merge(s));
    p.crossings.forEach((c, k) => {
      crossings[k] += c;
      for (const l of p.crossingLines[k]) if (lines[k].length < FIRST_SKIPPED_LINES) lines[k].push(l + shifts[i]);
    });
  });
  const mean = (k: number): number | null => {
    const v = sums[k].value() / W;
    return Number.isFinite(v) ? v : null;
  };
  const byModel = new Map<number, ModelQuantiles>();
  const warnings: string[] = [];
  let level = 0;
  layout.sets.forEach((s, k) => {
    const set = sets[k];
    const c = s.at.length;
    const m = s.low.length;
    const o = s.first;
    byModel.set(s.model, {
      quantileSet: set.name,
      quantiles: set.columns.map((col, j) => {
        const pinball = mean(o + j);
        const rows = pinball !== null && topK > 0 ? { worst: mergeLossRows(worst[level + j], topK) } : {};
        return { column: col.column, q: col.q, pinball, share: mean(o + c + j), ...rows };
      }),
      quantileIntervals: s.low.map((lo, i) => ({
        low: set.columns[lo].column,
        high: set.columns[s.high[i]].column,
        nominal: 1 - s.alpha[i],
        coverage: mean(o + 2 * c + i),
        width: mean(o + 2 * c + m + i),
        score: mean(o + 2 * c + 2 * m + i),
      })),
    });
    level += c;
    if (crossings[k] > 0) warnings.push(crossingWarning(set, crossings[k], lines[k], word));
    for (const [what, v] of [['pinball loss', sums.slice(o, o + c)], ['interval', sums.slice(o + 2 * c, o + 2 * c + 3 * m)]] as const) {
      if (v.some((x) => !Number.isFinite(x.value() / W))) warnings.push(quantileOverflowWarning(set.name, what));
    }
  });
  if (stored) {
    for (const [m, r] of quantileShares(layout, parts, stored)) {
      const mq = byModel.get(m);
      if (mq) mq.quantileRobustness = r;
    }
  }
  return { byModel, warnings };
}
