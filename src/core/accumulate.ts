import { ExactSum, SerializedSum } from './exactSum';
import { GroupKeys, GroupPart, RangeGroups } from './groups';
import { LossParams, logCoshTo, MAPE_EPSILON } from './losses';
import { RowSink, SkipReason, SKIP_REASONS } from './scanTypes';

/** How many first line numbers are kept per skip reason. */
export const FIRST_SKIPPED_LINES = 10;
/** Rows kept for the predicted-vs-target scatter (a deterministic hash sample). */
export const SAMPLE_SIZE = 2000;
/** Residuals are kept in chunks of this many values (8 bytes each), never reallocated. */
const CHUNK = 1 << 16;

/**
 * Summation: within each block of BLOCK_BYTES of the file (a row belongs to the block holding the
 * first byte of its record) terms are added with Neumaier's compensated summation, in file order;
 * block totals are then combined exactly (ExactSum). Parallel ranges always start on a block
 * boundary, so every block is summed by exactly one thread in the same order: results are
 * identical to the last bit whatever the number of threads or the read-buffer size, and within
 * about one rounding of the correctly rounded (math.fsum) result. Neumaier costs ~2 ns a term
 * where exact accumulation measured 9–30 ns (scripts/bench, README "Performance").
 */
export const BLOCK_BYTES = 1 << 20;

/**
 * |d| is bucketed by the top bits of its double: (high word & 0x7fffffff) >>> KEY_SHIFT, monotone
 * in |d|; 18 bits = 128 keys an octave. Each thread keeps a count per key (1 MiB); 20 bits
 * measured 7 MiB more peak RSS on the 1e7-row benchmark for no speed gain.
 */
export const KEY_BITS = 18;
export const KEY_SHIFT = 31 - KEY_BITS;

/**
 * Per thread, shared by every range it scans: per model, the count of rows per |d| key (for the
 * exact quantiles and the log histogram) and the extremes of d. Counts and extremes merge exactly
 * in any order, so they are kept per thread, not per range (1 MiB a model). Also the thread's
 * scatter-sample threshold.
 */
export class ResidualKeys {
  readonly hists: Uint32Array[];
  readonly min: Float64Array;
  readonly max: Float64Array;
  /**
   * The thread's scatter-sample threshold: once the thread holds SAMPLE_SIZE rows with hashes ≤
   * this, no row with a larger hash can be in the file's sample, whatever range it is in.
   */
  sampleMax = 2147483647.5; // a double from the start: a Smi field that later holds doubles changes map and deoptimizes row()

  constructor(nModels: number) {
    mutable(this, 'sampleMax', 2147483647.25);
    this.hists = Array.from({ length: nModels }, () => new Uint32Array(1 << KEY_BITS));
    this.min = new Float64Array(nModels).fill(Infinity);
    this.max = new Float64Array(nModels).fill(-Infinity);
  }

  /** Whether any count is in yet (a thread that did not scan merges the first counts it gets by taking them). */
  private empty = true;

  /** Counts the residuals of a chunk. */
  count(m: number, c: Float64Array): void {
    this.empty = false;
    countKeys(this.hists[m], new Uint32Array(c.buffer, c.byteOffset, c.length * 2), c, this.min, this.max, m);
  }

  /** Adds another thread's counts (structured-cloned or transferred). */
  merge(o: SerializedKeys): void {
    const take = this.empty;
    this.empty = false;
    for (let m = 0; m < this.hists.length; m++) {
      // Adding 2^18 counts cold took ~5 ms on the calling thread; the first ones are taken as they are.
      if (take) this.hists[m] = o.hists[m];
      else addCounts(this.hists[m], o.hists[m]);
      if (o.min[m] < this.min[m]) this.min[m] = o.min[m];
      if (o.max[m] > this.max[m]) this.max[m] = o.max[m];
    }
  }

  serialize(): SerializedKeys {
    return { hists: this.hists, min: Array.from(this.min), max: Array.from(this.max) };
  }
}

/**
 * Stores another value into a field and puts the original back. V8 treats a field that has held
 * one value as a constant in optimized code, and the first store of a different value (a full
 * residual chunk's `cur`, the first trim's `sampleMax`) deoptimized the scan's row() in every
 * thread. Done in the constructor, that change happens before anything is optimized.
 */
function mutable<T, K extends keyof T>(o: T, key: K, other: T[K]): void {
  const v = o[key];
  o[key] = other;
  o[key] = v;
}

function addCounts(h: Uint32Array, o: Uint32Array): void {
  for (let i = 0; i < h.length; i++) h[i] += o[i];
}

/**
 * The loop of ResidualKeys.count, as a plain function of typed arrays: called once per 65536
 * rows, a method reading `this` in its loop was deoptimized again and again (no type feedback yet
 * for a property when it was optimized) and ran those rows in the interpreter.
 */
function countKeys(hist: Uint32Array, w: Uint32Array, c: Float64Array, mins: Float64Array, maxs: Float64Array, m: number): void {
  const n = c.length;
  // mins/maxs are updated in the loop, not after it: a store after a loop that V8 optimized on
  // the stack (OSR) had no type feedback yet and deoptimized at the end of every call.
  for (let i = 0; i < n; i++) {
    const d = c[i];
    if (d < mins[m]) mins[m] = d;
    if (d > maxs[m]) maxs[m] = d;
    hist[(w[2 * i + 1] & 0x7fffffff) >>> KEY_SHIFT]++;
  }
}

export interface SerializedKeys {
  hists: Uint32Array[];
  min: number[];
  max: number[];
}

/** The sums kept per model. */
export const SUM_KEYS = ['abs', 'sq', 'd', 'smoothL1', 'huber', 'logCosh', 'ape', 'sape', 'pinball'] as const;
export type SumKey = (typeof SUM_KEYS)[number];

export interface WorstRow {
  line: number;
  target: number;
  prediction: number;
  residual: number;
}

export interface SampleRow {
  hash: number;
  offset: number;
  line: number;
  /** [target, prediction 1, prediction 2, …] */
  values: number[];
}

/** Partial result of one byte range; structured-clone friendly (crosses worker boundaries). */
export interface RangeResult {
  /** Newlines consumed in the range: the next range's first line is this many lines later. */
  newlines: number;
  total: number;
  used: number;
  skipped: Record<SkipReason, number>;
  firstSkipped: Record<SkipReason, number[]>;
  /** Target statistics per block, in file order (for R²'s Σ(t − mean)², merged with Chan's formula). */
  targetBlocks: TargetBlock[];
  /** Σ weight over the used rows (the row count without a weight column). */
  weightSum: SerializedSum;
  /** Weights of the used rows in file order (only with a weight column), for the weighted median. */
  weights: Float64Array[];
  models: ModelPart[];
  sample: SampleRow[];
  /** Per-group partials (only with a group-by column). */
  groups?: RangeGroups;
}

/** Weight (row count when unweighted), shift K (the block's first target), Σw(t − K) and Σw(t − K)² of one block. */
export interface TargetBlock {
  n: number;
  k: number;
  s: number;
  q: number;
}

export interface ModelPart {
  sums: Record<SumKey, SerializedSum>;
  maxAbs: number;
  worst: WorstRow[];
  /** Signed residuals d in file order, in chunks (transferred, not copied, between threads). */
  residuals: Float64Array[];
}

const NSUMS = SUM_KEYS.length;

/**
 * Slots of RangeAccumulator.io, through which row() hands doubles to the methods it calls on rare
 * paths. Passed as arguments, they were boxed on every row, not only when the call happened:
 * TurboFan computed one boxed copy for all the call sites and placed it before the first (16
 * bytes a row and model of garbage, ~15 MB per 1e6 rows, and young-generation collections).
 */
const IO_T = 0;
const IO_P = 1;
const IO_D = 2;
const IO_W = 3;

class ModelAcc {
  /** Neumaier state of the current block: [sum, compensation] per SUM_KEYS entry. */
  readonly nb = new Float64Array(2 * NSUMS);
  readonly exact: ExactSum[] = SUM_KEYS.map(() => new ExactSum());
  /**
   * [max |d|, smallest |d| among the worst rows kept (−1 until topK rows are kept)]: numbers
   * that become fractional live in a Float64Array, whose element kind never changes, not in
   * fields, whose Smi → double transition deoptimizes the hot loop.
   */
  readonly st = new Float64Array([0, -1]);
  cur: Float64Array = new Float64Array(CHUNK);
  /** Every chunk, the current one last (never empty: an empty array changes map on its first push, deoptimizing row()). */
  chunks: Float64Array[] = [this.cur];
  curN = 0;
  /**
   * The worst rows kept, by |d| descending then line: line, target, prediction, residual in a
   * Float64Array (4 per row; objects here changed shape with integer/fractional values and
   * deoptimized row()); `nWorst` of them.
   */
  worstRows = new Float64Array(0);
  nWorst = 0;

  constructor() {
    mutable(this, 'cur', new Float64Array(0));
  }

  flush(): void {
    const nb = this.nb;
    for (let k = 0; k < NSUMS; k++) {
      this.exact[k].add(nb[2 * k]);
      this.exact[k].add(nb[2 * k + 1]);
    }
    nb.fill(0);
  }
}

/**
 * One group's running sums: like ModelAcc's, a Neumaier state per block flushed into exact sums
 * at block boundaries (only for the groups that had rows in the block), and its own target
 * statistics per block for R².
 */
class GroupAcc {
  rows = 0;
  readonly nb: Float64Array;
  readonly exact: ExactSum[];
  readonly maxAbs: Float64Array;
  readonly weightSum = new ExactSum();
  readonly targetBlocks: TargetBlock[] = [];
  /** Rows (weight) of the current block, its target shift and shifted sums [s, c, q, c]. */
  inBlock = false;
  bW = 0;
  bK = 0;
  readonly tb = new Float64Array(4);

  constructor(
    readonly label: string,
    private readonly nModels: number,
  ) {
    this.nb = new Float64Array(2 * NSUMS * nModels);
    this.exact = Array.from({ length: NSUMS * nModels }, () => new ExactSum());
    this.maxAbs = new Float64Array(nModels);
  }

  flush(): void {
    const nb = this.nb;
    for (let k = 0; k < this.exact.length; k++) {
      this.exact[k].add(nb[2 * k]);
      this.exact[k].add(nb[2 * k + 1]);
    }
    nb.fill(0);
    if (this.bW > 0) this.targetBlocks.push({ n: this.bW, k: this.bK, s: this.tb[0] + this.tb[1], q: this.tb[2] + this.tb[3] });
    this.weightSum.add(this.bW);
    this.bW = 0;
    this.tb.fill(0);
    this.inBlock = false;
  }

  /** Adds model m's terms of a row (row()'s `terms`, SUM_KEYS order, terms[0] = |d|) times its weight io[IO_W]. */
  add(m: number, io: Float64Array, terms: Float64Array): void {
    const w = io[IO_W];
    const z = terms[0];
    const nb = this.nb;
    const o = 2 * NSUMS * m;
    for (let k = 0; k < NSUMS; k++) neumaier(nb, o + 2 * k, w * terms[k]);
    if (z > this.maxAbs[m] || z !== z) this.maxAbs[m] = z;
  }

  part(): GroupPart {
    const sums: SerializedSum[][] = [];
    for (let m = 0; m < this.nModels; m++) sums.push(SUM_KEYS.map((_, k) => this.exact[m * NSUMS + k].serialize()));
    return {
      label: this.label,
      rows: this.rows,
      weightSum: this.weightSum.serialize(),
      targetBlocks: this.targetBlocks,
      sums,
      maxAbs: Array.from(this.maxAbs),
    };
  }
}

/** The chunks with the last one cut to its `n` values (a copy, so its unused tail is freed), or left out when empty. */
function completeChunks(chunks: Float64Array[], n: number): Float64Array[] {
  const full = chunks.slice(0, -1);
  return n > 0 ? [...full, chunks[chunks.length - 1].slice(0, n)] : full;
}

/** Neumaier's compensated addition of x into st[i] (sum) and st[i + 1] (compensation). */
function neumaier(st: Float64Array, i: number, x: number): void {
  const s = st[i];
  const r = s + x;
  st[i + 1] += Math.abs(s) >= Math.abs(x) ? s - r + x : x - r + s;
  st[i] = r;
}

function emptyReasons<T>(make: () => T): Record<SkipReason, T> {
  const r = {} as Record<SkipReason, T>;
  for (const k of SKIP_REASONS) r[k] = make();
  return r;
}

/** 31-bit mixing hash of a (≤ 2^53) file offset, used to pick the scatter sample (a Smi: never boxed). */
export function hashOffset(offset: number): number {
  let h = (offset >>> 0) ^ Math.imul(Math.floor(offset / 4294967296) | 0, 0x9e3779b1);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 1;
}

/**
 * Accumulates every row of one byte range. All sums are exact, so ranges merge to identical bits
 * whatever the split. Memory per row: 8 bytes per model (the signed residual), nothing else.
 */
export class RangeAccumulator implements RowSink {
  total = 0;
  used = 0;
  private readonly skipped = emptyReasons(() => 0);
  private readonly firstSkipped = emptyReasons<number[]>(() => []);
  private readonly models: ModelAcc[];
  /**
   * Scatter-sample candidates in flat typed arrays (objects per candidate, kept until the next
   * trim, made V8 grow the young generation: ~10 MiB more peak RSS): hash, offset, line and the
   * row's values (width each), room for 2·SAMPLE_SIZE, trimmed to the SAMPLE_SIZE smallest.
   */
  private sN = 0;
  private sWidth = 0;
  private readonly sHash = new Float64Array(2 * SAMPLE_SIZE);
  private readonly sOff = new Float64Array(2 * SAMPLE_SIZE);
  private readonly sLine = new Float64Array(2 * SAMPLE_SIZE);
  private sVals = new Float64Array(0);
  private readonly beta: number;
  private readonly delta: number;
  private readonly q: number;
  // The current block: its end offset, row count, target shift and shifted sums.
  private blockN = 0;
  /**
   * [trigger, Σ weight of the current block, its target shift K, end offset of the current block]
   * (see ModelAcc.st). row() calls boundary() when a record's offset reaches the trigger: the
   * block's end, or −1 when a chunk or the sample candidates are full. One call site, reached by
   * the first row: the rare paths never deoptimize row() (they did, once each, when each first
   * ran after row() was optimized).
   */
  private readonly blk = new Float64Array([-1, 0, 0, -1]);
  private boundaryCalls = 0;
  private readonly weightSum = new ExactSum();
  private readonly weighted: boolean;
  private wCur = new Float64Array(0);
  /** Every weight chunk, the current one last (see ModelAcc.chunks). */
  private wChunks: Float64Array[] = [this.wCur];
  private wN = 0;
  private readonly tb = new Float64Array(4);
  private readonly terms = new Float64Array(NSUMS);
  /** Doubles for the rare-path calls of row() (see IO_T). */
  private readonly io = new Float64Array(4);
  private readonly targetBlocks: TargetBlock[] = [];
  /** Group-by: accumulators by group id, and the groups that have rows in the current block. */
  private readonly groupAccs: GroupAcc[] = [];
  private readonly dirtyGroups: GroupAcc[] = [];

  private readonly keys: ResidualKeys;

  /**
   * With `weighted`, the last value of each row is its sample weight (≥ 0). With `groups`, rows
   * carry a group id from that interner (see RowSink.row) and per-group sums are kept. `keys`
   * receives the |d| key counts and d extremes (the thread's, shared by its ranges).
   */
  constructor(
    nModels: number,
    params: LossParams,
    private readonly topK: number,
    weighted = false,
    private readonly groups?: GroupKeys,
    keys?: ResidualKeys,
  ) {
    this.keys = keys ?? new ResidualKeys(nModels);
    this.weighted = weighted;
    if (weighted) this.wChunks[0] = this.wCur = new Float64Array(CHUNK);
    this.models = Array.from({ length: nModels }, () => new ModelAcc());
    this.beta = params.beta;
    this.delta = params.delta;
    this.q = params.quantile ?? 0.5;
  }

  skip(line: number, reason: SkipReason): void {
    this.total++;
    this.skipped[reason]++;
    const f = this.firstSkipped[reason];
    if (f.length < FIRST_SKIPPED_LINES) f.push(line);
  }

  private flush(): void {
    if (this.blockN > 0) {
      const bw = this.blk[1];
      if (bw > 0) this.targetBlocks.push({ n: bw, k: this.blk[2], s: this.tb[0] + this.tb[1], q: this.tb[2] + this.tb[3] });
      this.weightSum.add(bw);
      for (const m of this.models) m.flush();
      for (const g of this.dirtyGroups) g.flush();
      this.dirtyGroups.length = 0;
    }
    this.blockN = 0;
    this.blk[1] = 0;
    this.tb.fill(0);
  }

  row(line: number, offset: number, values: Float64Array, group = -1): void {
    const models = this.models;
    // prediction − target can overflow (1e308 − (−1e308)): such a residual is infinite.
    for (let m = 0; m < models.length; m++) {
      const d = values[m + 1] - values[0];
      if (d - d !== 0) {
        this.skip(line, 'infinite');
        return;
      }
    }
    let w = 1;
    if (this.weighted) {
      w = values[models.length + 1];
      if (!(w >= 0)) {
        this.skip(line, 'negativeWeight');
        return;
      }
    }
    this.total++;
    this.used++;
    const t = values[0];
    const blk = this.blk;
    const io = this.io;
    io[IO_T] = t;
    io[IO_W] = w;
    if (offset >= blk[0]) this.boundary(offset);
    if (this.weighted) {
      this.wCur[this.wN++] = w;
      // Stored on every row: a store first reached after row() is optimized deoptimizes it.
      blk[0] = this.wN === CHUNK ? -1 : blk[0];
    }
    this.blockN++;
    blk[1] += w;
    const u = t - blk[2];
    const tb = this.tb;
    const uu = w * u * u;
    const wu = w * u;
    let s0 = tb[0];
    let r0 = s0 + wu;
    tb[1] += Math.abs(s0) >= Math.abs(wu) ? s0 - r0 + wu : wu - r0 + s0;
    tb[0] = r0;
    s0 = tb[2];
    r0 = s0 + uu;
    tb[3] += Math.abs(s0) >= Math.abs(uu) ? s0 - r0 + uu : uu - r0 + s0;
    tb[2] = r0;
    const beta = this.beta;
    const delta = this.delta;
    const q = this.q;
    const terms = this.terms;
    const ga = this.groups !== undefined && group >= 0 ? this.groupFor(group) : undefined;
    for (let m = 0; m < models.length; m++) {
      const acc = models[m];
      const nb = acc.nb;
      const p = values[m + 1];
      const d = p - t;
      const z = Math.abs(d);
      terms[0] = z;
      terms[1] = d * d;
      terms[2] = d;
      terms[3] = beta === 0 ? z : z < beta ? (0.5 * z * z) / beta : z - 0.5 * beta;
      terms[4] = z < delta ? 0.5 * z * z : delta * (z - 0.5 * delta);
      logCoshTo(d, terms, 5);
      const at = Math.abs(t);
      terms[6] = z / (at > MAPE_EPSILON ? at : MAPE_EPSILON);
      const den = at + Math.abs(p);
      terms[7] = den > 0 ? (2 * z) / den : 0;
      terms[8] = d <= 0 ? -q * d : (1 - q) * d;
      // Neumaier's compensated addition, inlined by hand: a call per term would box each double.
      // Unweighted, w = 1 and the product is exact.
      for (let k = 0; k < NSUMS; k++) {
        const x = w * terms[k];
        const s = nb[2 * k];
        const r = s + x;
        nb[2 * k + 1] += Math.abs(s) >= Math.abs(x) ? s - r + x : x - r + s;
        nb[2 * k] = r;
      }
      if (ga !== undefined) ga.add(m, io, terms);
      const st = acc.st;
      if (z > st[0] || z !== z) st[0] = z;
      acc.cur[acc.curN++] = d;
      blk[0] = acc.curN === CHUNK ? -1 : blk[0]; // on every row (see the weights above)
      if (z > st[1]) {
        io[IO_P] = p;
        io[IO_D] = d;
        this.pushWorst(acc, line);
      }
    }
    const h = hashOffset(offset);
    if (h <= this.keys.sampleMax) this.pushSample(h, offset, line, values);
  }

  /** Starts a used row in its group (after `row` started the block): rows, weight, target sums. */
  private groupFor(group: number): GroupAcc {
    const t = this.io[IO_T];
    const w = this.io[IO_W];
    let g = this.groupAccs[group];
    if (g === undefined) {
      while (this.groupAccs.length <= group) {
        const id = this.groupAccs.length;
        this.groupAccs.push(new GroupAcc((this.groups as GroupKeys).labels[id], this.models.length));
      }
      g = this.groupAccs[group];
    }
    if (!g.inBlock) {
      g.inBlock = true;
      g.bK = t;
      this.dirtyGroups.push(g);
    }
    g.rows++;
    g.bW += w;
    const u = t - g.bK;
    neumaier(g.tb, 0, w * u);
    neumaier(g.tb, 2, w * u * u);
    return g;
  }

  /** Row `line` (target, prediction and d in io) among the model's worst rows, if it is. */
  private pushWorst(acc: ModelAcc, line: number): void {
    const t = this.io[IO_T];
    const p = this.io[IO_P];
    const d = this.io[IO_D];
    const k = this.topK;
    if (k <= 0) {
      acc.st[1] = Infinity;
      return;
    }
    if (acc.worstRows.length === 0) acc.worstRows = new Float64Array(4 * k);
    const w = acc.worstRows;
    const z = Math.abs(d);
    let i = acc.nWorst;
    // Rows arrive in line order, so an equal |d| goes after the earlier line.
    while (i > 0 && Math.abs(w[4 * (i - 1) + 3]) < z) i--;
    const n = Math.min(acc.nWorst, k - 1);
    w.copyWithin(4 * (i + 1), 4 * i, 4 * n);
    w[4 * i] = line;
    w[4 * i + 1] = t;
    w[4 * i + 2] = p;
    w[4 * i + 3] = d;
    acc.nWorst = n + 1;
    if (acc.nWorst === k) acc.st[1] = Math.abs(w[4 * (k - 1) + 3]);
  }

  private pushSample(hash: number, offset: number, line: number, values: Float64Array): void {
    const width = values.length;
    if (this.sWidth !== width) {
      this.sWidth = width;
      this.sVals = new Float64Array(2 * SAMPLE_SIZE * width);
    }
    const i = this.sN++;
    this.sHash[i] = hash;
    this.sOff[i] = offset;
    this.sLine[i] = line;
    this.sVals.set(values, i * width);
    const blk = this.blk;
    blk[0] = this.sN === 2 * SAMPLE_SIZE ? -1 : blk[0]; // on every call (see row())
  }

  /** The rare work of row(): full chunks, full sample candidates, a new block (see `blk`). */
  private boundary(offset: number): void {
    const blk = this.blk;
    if (this.weighted && this.wN === CHUNK) {
      this.wCur = new Float64Array(CHUNK);
      this.wChunks.push(this.wCur);
      this.wN = 0;
    }
    for (let m = 0; m < this.models.length; m++) {
      const acc = this.models[m];
      if (acc.curN === CHUNK) {
        // Counted per full chunk, while it is still in cache: cheaper than per row.
        this.keys.count(m, acc.cur);
        acc.cur = new Float64Array(CHUNK);
        acc.chunks.push(acc.cur);
        acc.curN = 0;
      }
    }
    if (this.sN === 2 * SAMPLE_SIZE) this.trimSample();
    if (offset >= blk[3]) {
      this.flush();
      blk[3] = (Math.floor(offset / BLOCK_BYTES) + 1) * BLOCK_BYTES;
      blk[2] = this.io[IO_T];
    }
    // Called for the first rows of each accumulator too: V8 records type feedback for a call site
    // only once the function has run a few times, and a call first recorded after row() is
    // optimized deoptimizes it.
    blk[0] = ++this.boundaryCalls < 32 ? -1 : blk[3];
  }

  /**
   * Keeps the SAMPLE_SIZE smallest (hash, offset) candidates, in place and in arrival order (the
   * final sample is sorted in sampleRows). The cut is the SAMPLE_SIZE-th smallest hash, found by
   * a native sort of the hashes; of the candidates at the cut (a 31-bit hash collision, rare)
   * those with the smallest offsets stay. Sorting indexes with a comparator here cost ~9 ms of a
   * scan thread's 190 ms on the 1e6-row benchmark CSV.
   */
  private trimSample(): void {
    const n = this.sN;
    const hash = this.sHash;
    const sorted = hash.slice(0, n).sort();
    const cut = sorted[SAMPLE_SIZE - 1];
    const below = sorted.indexOf(cut); // candidates with a smaller hash
    // Offsets are distinct: the ties at the cut to keep are those with offset ≤ the right one.
    const ties: number[] = [];
    for (let k = 0; k < n; k++) if (hash[k] === cut) ties.push(this.sOff[k]);
    ties.sort((a, b) => a - b);
    const lastTie = ties[SAMPLE_SIZE - below - 1];
    const width = this.sWidth;
    const vals = this.sVals;
    let j = 0;
    for (let k = 0; k < n; k++) {
      const h = hash[k];
      if (h < cut || (h === cut && this.sOff[k] <= lastTie)) {
        if (j !== k) {
          hash[j] = h;
          this.sOff[j] = this.sOff[k];
          this.sLine[j] = this.sLine[k];
          vals.copyWithin(j * width, k * width, (k + 1) * width);
        }
        j++;
      }
    }
    this.sN = j;
    this.keys.sampleMax = cut;
  }

  /** Indexes of the sample candidates by (hash, offset). */
  private sampleOrder(): number[] {
    const idx = Array.from({ length: this.sN }, (_, i) => i);
    return idx.sort((a, b) => this.sHash[a] - this.sHash[b] || this.sOff[a] - this.sOff[b]);
  }

  /** The range's sample: the SAMPLE_SIZE smallest (hash, offset), as rows. */
  private sampleRows(): SampleRow[] {
    const w = this.sWidth;
    return this.sampleOrder()
      .slice(0, SAMPLE_SIZE)
      .map((k) => ({ hash: this.sHash[k], offset: this.sOff[k], line: this.sLine[k], values: Array.from(this.sVals.subarray(k * w, (k + 1) * w)) }));
  }

  /** The partial result; the residual chunks are handed over (the accumulator is spent). */
  result(newlines: number): RangeResult {
    this.flush();
    this.models.forEach((a, m) => a.curN > 0 && this.keys.count(m, a.cur.subarray(0, a.curN)));
    return {
      newlines,
      total: this.total,
      used: this.used,
      skipped: { ...this.skipped },
      firstSkipped: { ...this.firstSkipped },
      targetBlocks: this.targetBlocks,
      weightSum: this.weightSum.serialize(),
      weights: this.weighted ? completeChunks(this.wChunks, this.wN) : [],
      models: this.models.map((a) => {
        const sums = {} as Record<SumKey, SerializedSum>;
        SUM_KEYS.forEach((k, i) => (sums[k] = a.exact[i].serialize()));
        return {
          sums,
          maxAbs: a.st[0],
          worst: Array.from({ length: a.nWorst }, (_, j) => ({
            line: a.worstRows[4 * j],
            target: a.worstRows[4 * j + 1],
            prediction: a.worstRows[4 * j + 2],
            residual: a.worstRows[4 * j + 3],
          })),
          residuals: completeChunks(a.chunks, a.curN),
        };
      }),
      sample: this.sampleRows(),
      ...(this.groups ? { groups: { parts: this.groupAccs.map((g) => g.part()), overflow: this.groups.overflow } } : {}),
    };
  }
}

/**
 * Σ(t − mean)² over all blocks, merged in file order with Chan et al.'s pairwise formula. Each
 * block's sums are shifted by its first target, so targets near 1e12 that differ by 1e-3 keep
 * their digits (the naive Σt² − (Σt)²/n loses all of them).
 */
export function targetSumSquares(blocks: TargetBlock[]): { n: number; mean: number; m2: number } {
  // Means are kept relative to the first block's shift K0, so blocks of targets near 1e12 merge
  // their small differences instead of absolute means that carry ~1e-4 of rounding each.
  const k0 = blocks.length ? blocks[0].k : 0;
  let n = 0;
  let mean = 0;
  let m2 = 0;
  for (const b of blocks) {
    const mb = b.k - k0 + b.s / b.n;
    const m2b = Math.max(0, b.q - (b.s * b.s) / b.n);
    if (n === 0) {
      n = b.n;
      mean = mb;
      m2 = m2b;
      continue;
    }
    const nn = n + b.n;
    const delta = mb - mean;
    mean += (delta * b.n) / nn;
    m2 += m2b + ((delta * delta * n) / nn) * b.n;
    n = nn;
  }
  return { n, mean: k0 + mean, m2 };
}

/** The k rows with the smallest (hash, offset): a sample that does not depend on how a file was split. */
export function bottomK(rows: SampleRow[], k: number): SampleRow[] {
  return rows.sort((a, b) => a.hash - b.hash || a.offset - b.offset).slice(0, k);
}

/** The buffers to transfer (not copy) when a RangeResult is posted to another thread. */
export function transferables(r: RangeResult): ArrayBuffer[] {
  const out: ArrayBuffer[] = [];
  for (const c of [...r.weights, ...r.models.flatMap((m) => m.residuals)]) {
    if (c.buffer instanceof ArrayBuffer && !out.includes(c.buffer)) out.push(c.buffer);
  }
  return out;
}
