import { BLOCK_BYTES } from '../../family';
import { ExactSum, neumaier, SerializedSum } from '../../exactSum';
import type { GroupKeys } from '../../groups';
import { mutable } from '../../jit';
import type { RangeSink } from '../../family';
import type { SkipReason } from '../../scanTypes';
import { GroupAcc } from './groupAcc';
import { LossParams, logCoshTo, MAPE_EPSILON, primeLogCosh } from './losses';
import { DEFAULT_POWER, NDOMAIN, POISSON_NLL_EPS, tweedieRule } from './counts';
import {
  CHUNK,
  completeChunks,
  COUNTS_AT,
  COUNTS_SQ_AT,
  emptyReasons,
  FIRST_SKIPPED_LINES,
  hashOffset,
  IO_D,
  IO_P,
  IO_T,
  IO_W,
  NBASE,
  NSUMS,
  RangeResult,
  SAMPLE_SIZE,
  SampleRow,
  SUM_KEYS,
  SumKey,
  TargetBlock,
} from './parts';
import { ResidualKeys } from './residualKeys';
import { SpreadSlots, VarianceAcc } from './varianceAcc';
import { QuantileAcc, QuantileLayout } from './quantileSet';
import { COUNT_ROW_KEYS, CountRowKey } from './countRobustness';
import type { LossRow } from './parts';

const NCOUNT_ROWS = COUNT_ROW_KEYS.length;

class ModelAcc {
  /** Neumaier state of the current block: [sum, compensation] per SUM_KEYS entry. */
  readonly nb = new Float64Array(2 * NSUMS);
  readonly exact: ExactSum[] = SUM_KEYS.map(() => new ExactSum());
  /** Against the baseline (see ModelPart.pairSq): Neumaier state of the block and exact sums; empty when not paired. */
  readonly pn: Float64Array;
  readonly pairExact: ExactSum[];
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
   * The worst rows kept, as a heap (see pushWorst): line, target, prediction, residual, arrival in a
   * Float64Array (5 per row; objects here changed shape with integer/fractional values and
   * deoptimized row()); `nWorst` of them.
   */
  worstRows = new Float64Array(0);
  nWorst = 0;
  /**
   * The worst rows by each loss of counts (#16 item 5; COUNT_ROW_KEYS order): one heap per loss,
   * laid out as worstRows (line, target, prediction, loss, arrival), allocated on the first row
   * kept. `cst` holds each heap's root loss once full (−∞ before: every row is kept), `cn` the
   * rows kept; Float64Arrays for the reason given at `st`.
   */
  countRows: Float64Array[] = [];
  readonly cst = new Float64Array(NCOUNT_ROWS).fill(-Infinity);
  readonly cn = new Float64Array(NCOUNT_ROWS);
  /** Rows outside each counts metric's domain (counts.ts DOMAIN_KEYS order), and their first lines. */
  readonly dom = new Float64Array(NDOMAIN);
  readonly domLines = new Float64Array(NDOMAIN * FIRST_SKIPPED_LINES);

  constructor(paired: boolean) {
    mutable(this, 'cur', new Float64Array(0));
    this.pn = new Float64Array(paired ? 2 * NBASE : 0);
    this.pairExact = paired ? Array.from({ length: NBASE }, () => new ExactSum()) : [];
  }

  flush(): void {
    const nb = this.nb;
    for (let k = 0; k < NSUMS; k++) {
      this.exact[k].add(nb[2 * k]);
      this.exact[k].add(nb[2 * k + 1]);
    }
    nb.fill(0);
    const pn = this.pn;
    for (let k = 0; k < this.pairExact.length; k++) {
      this.pairExact[k].add(pn[2 * k]);
      this.pairExact[k].add(pn[2 * k + 1]);
    }
    pn.fill(0);
  }
}

/**
 * Accumulates every row of one byte range. All sums are exact, so ranges merge to identical bits
 * whatever the split. Memory per row: 8 bytes per model (the signed residual), nothing else.
 */
export class RangeAccumulator implements RangeSink<RangeResult> {
  total = 0;
  used = 0;
  private readonly skipped = emptyReasons(() => 0);
  private readonly firstSkipped = emptyReasons<number[]>(() => []);
  private readonly models: ModelAcc[];
  /**
   * Scatter-sample candidates in flat typed arrays (objects per candidate, kept until the next
   * trim, made V8 grow the young generation, which is peak RSS): hash, offset, line and the
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
  /** Tweedie power, its domain rule (0: any target, 1: normal, 2: y ≥ 0, 3: y > 0), 1 − p, 2 − p, (1 − p)(2 − p). */
  private readonly pw: number;
  private readonly rule: number;
  private readonly tw = new Float64Array(3);
  private readonly logInput: boolean;
  /** The range's rows with a negative target and with a target ≤ 0 (the counts metrics' target domain). */
  private readonly tdom = new Float64Array(2);
  tCur = new Float64Array(CHUNK);
  /** Every target chunk, the current one last (see ModelAcc.chunks). */
  private tChunks: Float64Array[] = [this.tCur];
  private tN = 0;
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
  /** Σw² of the current block (Neumaier: sum, compensation; weighted only) and of the range. */
  private readonly wsq = new Float64Array(2);
  private readonly weightSqSum = new ExactSum();
  private readonly weighted: boolean;
  private wCur = new Float64Array(0);
  /** Every weight chunk, the current one last (see ModelAcc.chunks). */
  private wChunks: Float64Array[] = [this.wCur];
  private wN = 0;
  private readonly tb = new Float64Array(4);
  /** The row's terms, NSUMS per model (SUM_KEYS order), kept for the baseline comparisons. */
  private readonly terms: Float64Array;
  /** Doubles for the rare-path calls of row() (see IO_T). */
  private readonly io = new Float64Array(4);
  private readonly targetBlocks: TargetBlock[] = [];
  private readonly blockRows: number[] = [];
  /** Group-by: accumulators by group id, and the groups that have rows in the current block. */
  private readonly groupAccs: GroupAcc[] = [];
  private readonly dirtyGroups: GroupAcc[] = [];

  private readonly keys: ResidualKeys;
  /** The predicted variances' sums (#16 item 2), with spread columns only. */
  private readonly vacc: VarianceAcc | undefined;
  /** The quantile sets' sums (#16 item 3); undefined without a set. */
  private readonly qs: QuantileAcc | undefined;
  /**
   * Whether the losses' squares are summed (the intervals': off with --confidence 0, which needs
   * none), and the spans of SUM_KEYS that row() adds: every sum, or all but the counts' (see `live`).
   */
  private readonly squares: boolean;
  private readonly spansAll: Int32Array;
  private readonly spansBase: Int32Array;

  /**
   * With `weighted`, the last value of each row is its sample weight (≥ 0). With `groups`, rows
   * carry a group id from that interner (see RowSink.row) and per-group sums are kept. `keys`
   * receives the |d| key counts and d extremes (the thread's, shared by its ranges). With `base`
   * ≥ 0 (intervals on, two models or more), the squared loss differences of every other model
   * against model `base` are summed too. Without `squares` (intervals off) the losses' squares
   * are not summed: their sums stay 0, and nothing reads them.
   */
  constructor(
    nModels: number,
    params: LossParams,
    private readonly topK: number,
    weighted = false,
    private readonly groups?: GroupKeys,
    keys?: ResidualKeys,
    private readonly base = -1,
    spread?: SpreadSlots,
    quantiles: QuantileLayout | null = null,
    squares = true,
  ) {
    this.squares = squares;
    this.spansAll = squares ? ALL_SUMS : BASE_SUMS;
    this.spansBase = squares ? WITHOUT_COUNTS : BASE_WITHOUT_COUNTS;
    this.vacc = spread ? new VarianceAcc(spread, groups, topK) : undefined;
    this.qs = quantiles ? new QuantileAcc(quantiles, groups, topK) : undefined;
    primeLogCosh();
    this.terms = new Float64Array(NSUMS * nModels);
    this.keys = keys ?? new ResidualKeys(nModels);
    this.weighted = weighted;
    if (weighted) this.wChunks[0] = this.wCur = new Float64Array(CHUNK);
    this.models = Array.from({ length: nModels }, (_, m) => new ModelAcc(base >= 0 && m !== base));
    this.beta = params.beta;
    this.delta = params.delta;
    this.q = params.quantile ?? 0.5;
    const pw = params.power ?? DEFAULT_POWER;
    this.pw = pw;
    this.rule = ['anyTargetPositivePrediction', 'normal', 'nonNegativeTarget', 'positiveTarget'].indexOf(tweedieRule(pw));
    this.tw.set([1 - pw, 2 - pw, (1 - pw) * (2 - pw)]);
    this.logInput = params.logInput === true;
    mutable(this, 'tCur', new Float64Array(0));
  }

  skip(line: number, reason: SkipReason): void {
    this.total++;
    this.skipped[reason]++;
    const f = this.firstSkipped[reason];
    if (f.length < FIRST_SKIPPED_LINES) f.push(line);
  }

  private flush(): void {
    if (this.blockN > 0) {
      this.blockRows.push(this.blockN);
      const bw = this.blk[1];
      if (bw > 0) this.targetBlocks.push({ n: bw, k: this.blk[2], s: this.tb[0] + this.tb[1], q: this.tb[2] + this.tb[3] });
      this.weightSum.add(bw);
      if (this.weighted) {
        this.weightSqSum.add(this.wsq[0]);
        this.weightSqSum.add(this.wsq[1]);
      } else this.weightSqSum.add(bw);
      this.wsq.fill(0);
      for (const m of this.models) m.flush();
      this.vacc?.flush();
      this.qs?.flush();
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
    const qs = this.qs;
    if (qs !== undefined && !qs.finite(values)) {
      this.skip(line, 'infinite');
      return;
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
    if (qs !== undefined) qs.row(values, line, io, this.groups !== undefined ? group : -1);
    this.tCur[this.tN++] = t;
    blk[0] = this.tN === CHUNK ? -1 : blk[0]; // on every row (see the weights below)
    if (this.weighted) {
      this.wCur[this.wN++] = w;
      // Stored on every row: a store first reached after row() is optimized deoptimizes it.
      blk[0] = this.wN === CHUNK ? -1 : blk[0];
      const wsq = this.wsq;
      const x = w * w;
      const s = wsq[0];
      const r = s + x;
      wsq[1] += Math.abs(s) >= Math.abs(x) ? s - r + x : x - r + s;
      wsq[0] = r;
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
    const squares = this.squares;
    const ga = this.groups !== undefined && group >= 0 ? this.groupFor(group) : undefined;
    // Counts (#16): the target's side of the domains, and the target's terms while a metric that
    // needs them is still defined in this range (none of the range's rows has left its domain).
    const tNeg = t < 0;
    const tNonPos = t <= 0;
    const tdom = this.tdom;
    tdom[0] += tNeg ? 1 : 0;
    tdom[1] += tNonPos ? 1 : 0;
    const rule = this.rule;
    const pw = this.pw;
    const tw = this.tw;
    const logInput = this.logInput;
    const lt = tdom[0] === 0 ? Math.log1p(t) : 0;
    const general = pw !== 0 && pw !== 1 && pw !== 2;
    const twTarget = rule === 0 || rule === 1 || (rule === 2 ? tdom[0] === 0 : tdom[1] === 0);
    // At the default power 1.5 the powers are square roots (correctly rounded, ~3× faster than pow).
    const half = pw === 1.5;
    const tp = general && twTarget ? (half ? Math.sqrt(t) : Math.pow(rule === 0 && t < 0 ? 0 : t, tw[1])) : 0;
    for (let m = 0; m < models.length; m++) {
      const acc = models[m];
      const nb = acc.nb;
      const p = values[m + 1];
      const d = p - t;
      const z = Math.abs(d);
      const o = NSUMS * m;
      terms[o] = z;
      const d2 = d * d;
      terms[o + 1] = d2;
      terms[o + 2] = d;
      const sl1 = beta === 0 ? z : z < beta ? (0.5 * z * z) / beta : z - 0.5 * beta;
      terms[o + 3] = sl1;
      const hub = z < delta ? 0.5 * z * z : delta * (z - 0.5 * delta);
      terms[o + 4] = hub;
      logCoshTo(d, terms, o + 5);
      const lc = terms[o + 5];
      const at = Math.abs(t);
      const ape = z / (at > MAPE_EPSILON ? at : MAPE_EPSILON);
      terms[o + 6] = ape;
      const den = at + Math.abs(p);
      const sape = den > 0 ? (2 * z) / den : 0;
      terms[o + 7] = sape;
      const pin = d <= 0 ? -q * d : (1 - q) * d;
      terms[o + 8] = pin;
      // Squares for the intervals (SQUARE_OF; |d|² and d² are terms[1]).
      if (squares) {
        terms[o + 14] = d2 * d2;
        terms[o + 15] = sl1 * sl1;
        terms[o + 16] = hub * hub;
        terms[o + 17] = lc * lc;
        terms[o + 18] = ape * ape;
        terms[o + 19] = sape * sape;
        terms[o + 20] = pin * pin;
      }
      // Counts: which domains the row leaves (a bit per DOMAIN_KEYS entry), counted with their
      // first lines; then the terms of the metrics still defined in this range. Once none is, the
      // counts' terms and sums are left alone (their stale values feed only sums reported as null).
      const pNonPos = p <= 0;
      const b1 = tNeg || pNonPos ? 2 : 0;
      const b2 = tNonPos || pNonPos ? 4 : 0;
      const bits =
        (tNeg || p < 0 ? 1 : 0) | b1 | b2 | (rule === 0 ? (pNonPos ? 8 : 0) : rule === 1 ? 0 : rule === 2 ? b1 << 2 : b2 << 1) | (!logInput && !(p + POISSON_NLL_EPS > 0) ? 16 : 0);
      const dom = acc.dom;
      if (bits !== 0) {
        for (let k = 0; k < NDOMAIN; k++) {
          if ((bits & (1 << k)) === 0) continue;
          const c = dom[k]++;
          if (c < FIRST_SKIPPED_LINES) acc.domLines[k * FIRST_SKIPPED_LINES + c] = line;
        }
      }
      const live = dom[0] === 0 || dom[1] === 0 || dom[2] === 0 || dom[3] === 0 || dom[4] === 0;
      if (live) {
        let sle = 0;
        if (dom[0] === 0) {
          const e = lt - Math.log1p(p);
          sle = e * e;
        }
        const poi = dom[1] === 0 ? 2 * ((t === 0 ? 0 : t * Math.log(t / p)) - t + p) : 0;
        const gam = dom[2] === 0 ? 2 * (Math.log(p / t) + t / p - 1) : 0;
        let twd = 0;
        if (dom[3] === 0) {
          twd =
            pw === 0
              ? d2
              : pw === 1
                ? poi
                : pw === 2
                  ? gam
                  : half
                    ? 2 * (tp / tw[2] - (t / Math.sqrt(p)) / tw[0] + Math.sqrt(p) / tw[1])
                    : 2 * (tp / tw[2] - (t * Math.pow(p, tw[0])) / tw[0] + Math.pow(p, tw[1]) / tw[1]);
        }
        const nll = dom[4] === 0 ? (logInput ? Math.exp(p) - t * p : p - t * Math.log(p + POISSON_NLL_EPS)) : 0;
        // The worst rows by each loss still defined (a NaN loss is never kept).
        if (sle > acc.cst[0] && dom[0] === 0) this.pushCount(acc, 0, line, p, sle);
        if (poi > acc.cst[1] && dom[1] === 0) this.pushCount(acc, 1, line, p, poi);
        if (gam > acc.cst[2] && dom[2] === 0) this.pushCount(acc, 2, line, p, gam);
        if (twd > acc.cst[3] && dom[3] === 0) this.pushCount(acc, 3, line, p, twd);
        terms[o + 9] = sle;
        terms[o + 10] = poi;
        terms[o + 11] = gam;
        terms[o + 12] = twd;
        terms[o + 13] = nll;
        if (squares) {
          terms[o + 21] = sle * sle;
          terms[o + 22] = poi * poi;
          terms[o + 23] = gam * gam;
          terms[o + 24] = twd * twd;
          terms[o + 25] = nll * nll;
        }
      }
      // Neumaier's compensated addition, inlined by hand: a call per term would box each double.
      // Unweighted, w = 1 and the product is exact. The ranges of SUM_KEYS to add: all, or
      // without the counts' (see `live`); without the squares when they are not summed.
      const spans = live ? this.spansAll : this.spansBase;
      for (let g = 0; g < spans.length; g += 2) {
        for (let k = spans[g]; k < spans[g + 1]; k++) {
          const x = w * terms[o + k];
          const s = nb[2 * k];
          const r = s + x;
          nb[2 * k + 1] += Math.abs(s) >= Math.abs(x) ? s - r + x : x - r + s;
          nb[2 * k] = r;
        }
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
    if (this.base >= 0) this.pairs(w);
    if (this.vacc !== undefined) this.vacc.row(line, values, w, this.groups !== undefined ? group : -1);
    const h = hashOffset(offset);
    if (h <= this.keys.sampleMax) this.pushSample(h, offset, line, values);
  }

  /** Σw·(ℓ − ℓ_base)² of each per-row loss, for every model but the baseline (from row()'s terms). */
  private pairs(w: number): void {
    const terms = this.terms;
    const b = NSUMS * this.base;
    for (let m = 0; m < this.models.length; m++) {
      if (m === this.base) continue;
      const pn = this.models[m].pn;
      const o = NSUMS * m;
      for (let k = 0; k < NBASE; k++) {
        const e = terms[o + k] - terms[b + k];
        const x = w * e * e;
        const s = pn[2 * k];
        const r = s + x;
        pn[2 * k + 1] += Math.abs(s) >= Math.abs(x) ? s - r + x : x - r + s;
        pn[2 * k] = r;
      }
    }
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

  /**
   * Row `line` (target, prediction and d in io) among the model's worst rows, if it is. The rows
   * kept form a binary heap whose root is the least bad row (smallest |d|, latest line among
   * equal |d|): a new row replaces it in O(log K), so a file sorted by ascending |d| costs
   * O(n log K), not O(n·K). Called only for rows worse than the root (row() compares with st[1]).
   */
  private pushWorst(acc: ModelAcc, line: number): void {
    const k = this.topK;
    if (k <= 0) {
      acc.st[1] = Infinity;
      return;
    }
    if (acc.worstRows.length === 0) acc.worstRows = new Float64Array(W * k);
    const w = acc.worstRows;
    const io = this.io;
    // Ties in |d| go to the row that came first: by arrival, which is line order (and, in a JSON
    // object of arrays, where every row has the object's line, array order).
    const seq = this.used;
    const z = Math.abs(io[IO_D]);
    let i: number;
    if (acc.nWorst < k) {
      // Room left: append and sift up.
      i = acc.nWorst++;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!lessBad(z, seq, Math.abs(w[W * parent + 3]), w[W * parent + 4])) break;
        w.copyWithin(W * i, W * parent, W * parent + W);
        i = parent;
      }
    } else {
      // Full: the new row replaces the root, which sifts down.
      i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= k) break;
        const r = l + 1;
        let c = l;
        if (r < k && lessBad(Math.abs(w[W * r + 3]), w[W * r + 4], Math.abs(w[W * l + 3]), w[W * l + 4])) c = r;
        if (!lessBad(Math.abs(w[W * c + 3]), w[W * c + 4], z, seq)) break;
        w.copyWithin(W * i, W * c, W * c + W);
        i = c;
      }
    }
    w[W * i] = line;
    w[W * i + 1] = io[IO_T];
    w[W * i + 2] = io[IO_P];
    w[W * i + 3] = io[IO_D];
    w[W * i + 4] = seq;
    if (acc.nWorst === k) acc.st[1] = Math.abs(w[3]);
  }

  /**
   * Row `line` (target in io, prediction p, loss v) among the model's worst rows by count loss
   * `c`: the heap of pushWorst, keyed by the loss. Called only for rows worse than the root.
   */
  private pushCount(acc: ModelAcc, c: number, line: number, p: number, v: number): void {
    const k = this.topK;
    if (k <= 0) {
      acc.cst[c] = Infinity;
      return;
    }
    if (acc.countRows.length === 0) acc.countRows = Array.from({ length: NCOUNT_ROWS }, () => new Float64Array(W * k));
    const w = acc.countRows[c];
    const seq = this.used;
    let i: number;
    if (acc.cn[c] < k) {
      i = acc.cn[c]++;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!lessBad(v, seq, w[W * parent + 3], w[W * parent + 4])) break;
        w.copyWithin(W * i, W * parent, W * parent + W);
        i = parent;
      }
    } else {
      i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= k) break;
        const r = l + 1;
        let ch = l;
        if (r < k && lessBad(w[W * r + 3], w[W * r + 4], w[W * l + 3], w[W * l + 4])) ch = r;
        if (!lessBad(w[W * ch + 3], w[W * ch + 4], v, seq)) break;
        w.copyWithin(W * i, W * ch, W * ch + W);
        i = ch;
      }
    }
    w[W * i] = line;
    w[W * i + 1] = this.io[IO_T];
    w[W * i + 2] = p;
    w[W * i + 3] = v;
    w[W * i + 4] = seq;
    if (acc.cn[c] === k) acc.cst[c] = w[3];
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
    if (this.tN === CHUNK) {
      this.keys.countTargets(this.tCur);
      this.tCur = new Float64Array(CHUNK);
      this.tChunks.push(this.tCur);
      this.tN = 0;
    }
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
   * those with the smallest offsets stay. Sorting indexes with a comparator here cost a visible
   * share of a scan thread's time.
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
    if (this.tN > 0) this.keys.countTargets(this.tCur.subarray(0, this.tN));
    return {
      newlines,
      total: this.total,
      used: this.used,
      skipped: { ...this.skipped },
      firstSkipped: { ...this.firstSkipped },
      targetBlocks: this.targetBlocks,
      blockRows: this.blockRows,
      weightSum: this.weightSum.serialize(),
      weightSqSum: this.weightSqSum.serialize(),
      weights: this.weighted ? completeChunks(this.wChunks, this.wN) : [],
      targets: completeChunks(this.tChunks, this.tN),
      models: this.models.map((a) => {
        const sums = {} as Record<SumKey, SerializedSum>;
        SUM_KEYS.forEach((k, i) => (sums[k] = a.exact[i].serialize()));
        return {
          sums,
          ...(a.pairExact.length ? { pairSq: a.pairExact.map((e) => e.serialize()) } : {}),
          maxAbs: a.st[0],
          domain: {
            counts: Array.from(a.dom),
            lines: Array.from(a.dom, (c, k) => Array.from(a.domLines.subarray(k * FIRST_SKIPPED_LINES, k * FIRST_SKIPPED_LINES + Math.min(c, FIRST_SKIPPED_LINES)))),
          },
          worst: Array.from({ length: a.nWorst }, (_, j) => j)
            .sort((x, y) => Math.abs(a.worstRows[W * y + 3]) - Math.abs(a.worstRows[W * x + 3]) || a.worstRows[W * x + 4] - a.worstRows[W * y + 4])
            .map((j) => ({
              line: a.worstRows[W * j],
              target: a.worstRows[W * j + 1],
              prediction: a.worstRows[W * j + 2],
              residual: a.worstRows[W * j + 3],
            })),
          residuals: completeChunks(a.chunks, a.curN),
          ...(a.countRows.length ? { worstByLoss: countRowsOf(a) } : {}),
        };
      }),
      sample: this.sampleRows(),
      ...(this.vacc ? { variance: this.vacc.parts() } : {}),
      ...(this.groups ? { groups: { parts: this.groupAccs.map((g) => g.part()), overflow: this.groups.overflow } } : {}),
      ...(this.qs ? { quantiles: this.qs.result() } : {}),
    };
  }
}

/** [start, end) spans of SUM_KEYS added per row: every sum, or all but the counts' (COUNTS_AT…NBASE, COUNTS_SQ_AT…). */
const ALL_SUMS = new Int32Array([0, NSUMS]);
const WITHOUT_COUNTS = new Int32Array([0, COUNTS_AT, NBASE, COUNTS_SQ_AT]);
/** The same without the squares (SUM_KEYS from NBASE on). */
const BASE_SUMS = new Int32Array([0, NBASE]);
const BASE_WITHOUT_COUNTS = new Int32Array([0, COUNTS_AT]);

/** Each count loss's kept rows, worst first (largest loss, then arrival); losses with none are left out. */
function countRowsOf(a: ModelAcc): Partial<Record<CountRowKey, LossRow[]>> {
  const out: Partial<Record<CountRowKey, LossRow[]>> = {};
  COUNT_ROW_KEYS.forEach((key, c) => {
    const w = a.countRows[c];
    if (a.cn[c] === 0) return;
    out[key] = Array.from({ length: a.cn[c] }, (_, j) => j)
      .sort((x, y) => w[W * y + 3] - w[W * x + 3] || w[W * x + 4] - w[W * y + 4])
      .map((j) => ({ line: w[W * j], target: w[W * j + 1], prediction: w[W * j + 2], loss: w[W * j + 3] }));
  });
  return out;
}

/** Doubles per kept worst row: line, target, prediction, d, arrival. */
const W = 5;

/** Whether row (z1 = |d|, arrival seq1) ranks after row (z2, seq2) among the worst: smaller |d|, or equal |d| and later. */
function lessBad(z1: number, seq1: number, z2: number, seq2: number): boolean {
  return z1 < z2 || (z1 === z2 && seq1 > seq2);
}
