import { ExactSum, SerializedSum } from './exactSum';
import { LossParams, logCosh } from './losses';
import { RowSink, SkipReason, SKIP_REASONS } from './scanTypes';

/** How many first line numbers are kept per skip reason. */
export const FIRST_SKIPPED_LINES = 10;
/** Rows kept for the predicted-vs-target scatter (a deterministic hash sample). */
export const SAMPLE_SIZE = 2000;
/** Residuals are kept in chunks of this many values (8 bytes each), never reallocated. */
const CHUNK = 1 << 16;

/** The exact sums kept per model. */
export const SUM_KEYS = ['abs', 'sq', 'd', 'smoothL1', 'huber', 'logCosh'] as const;
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
  sumTarget: SerializedSum;
  sumTargetSq: SerializedSum;
  models: ModelPart[];
  sample: SampleRow[];
}

export interface ModelPart {
  sums: Record<SumKey, SerializedSum>;
  maxAbs: number;
  worst: WorstRow[];
  /** Signed residuals d in file order, in chunks (transferred, not copied, between threads). */
  residuals: Float64Array[];
}

class ModelAcc {
  abs = new ExactSum();
  sq = new ExactSum();
  d = new ExactSum();
  smooth = new ExactSum();
  hub = new ExactSum();
  lc = new ExactSum();
  maxAbs = 0;
  chunks: Float64Array[] = [];
  cur: Float64Array = new Float64Array(CHUNK);
  curN = 0;
  // Worst rows: a small array kept sorted by |d| descending, then line ascending.
  worst: WorstRow[] = [];
  worstMin = -1;
}

function emptyReasons<T>(make: () => T): Record<SkipReason, T> {
  const r = {} as Record<SkipReason, T>;
  for (const k of SKIP_REASONS) r[k] = make();
  return r;
}

/** 32-bit mixing hash of a (≤ 2^53) file offset, used to pick the scatter sample. */
export function hashOffset(offset: number): number {
  let h = (offset >>> 0) ^ Math.imul(Math.floor(offset / 4294967296) | 0, 0x9e3779b1);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
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
  private readonly sumT = new ExactSum();
  private readonly sumT2 = new ExactSum();
  private readonly models: ModelAcc[];
  private sample: SampleRow[] = [];
  private sampleMax = 0xffffffff;
  private readonly beta: number;
  private readonly delta: number;

  constructor(
    nModels: number,
    params: LossParams,
    private readonly topK: number,
  ) {
    this.models = Array.from({ length: nModels }, () => new ModelAcc());
    this.beta = params.beta;
    this.delta = params.delta;
  }

  skip(line: number, reason: SkipReason): void {
    this.total++;
    this.skipped[reason]++;
    const f = this.firstSkipped[reason];
    if (f.length < FIRST_SKIPPED_LINES) f.push(line);
  }

  row(line: number, offset: number, values: Float64Array): void {
    this.total++;
    this.used++;
    const t = values[0];
    this.sumT.add(t);
    // Exact square of t (Dekker's TwoProduct, inlined: this is the hot path).
    const hi = t * t;
    const s = 134217729 * t;
    const th = s - (s - t);
    const tl = t - th;
    this.sumT2.add(hi);
    this.sumT2.add(tl * tl - (hi - th * th - 2 * th * tl));
    const beta = this.beta;
    const delta = this.delta;
    const models = this.models;
    for (let m = 0; m < models.length; m++) {
      const acc = models[m];
      const p = values[m + 1];
      const d = p - t;
      const z = Math.abs(d);
      const sq = d * d;
      acc.abs.add(z);
      acc.sq.add(sq);
      acc.d.add(d);
      acc.smooth.add(beta === 0 ? z : z < beta ? (0.5 * z * z) / beta : z - 0.5 * beta);
      acc.hub.add(z < delta ? 0.5 * z * z : delta * (z - 0.5 * delta));
      acc.lc.add(logCosh(d));
      if (z > acc.maxAbs || z !== z) acc.maxAbs = z;
      if (acc.curN === CHUNK) {
        acc.chunks.push(acc.cur);
        acc.cur = new Float64Array(CHUNK);
        acc.curN = 0;
      }
      acc.cur[acc.curN++] = d;
      if (z > acc.worstMin) this.pushWorst(acc, { line, target: t, prediction: p, residual: d });
    }
    const h = hashOffset(offset);
    if (h <= this.sampleMax) this.pushSample(h, offset, line, values);
  }

  private pushWorst(acc: ModelAcc, r: WorstRow): void {
    const w = acc.worst;
    const z = Math.abs(r.residual);
    let i = w.length;
    // Rows arrive in line order, so an equal |d| goes after the earlier line.
    while (i > 0 && Math.abs(w[i - 1].residual) < z) i--;
    w.splice(i, 0, r);
    if (w.length > this.topK) w.length = this.topK;
    if (w.length === this.topK) acc.worstMin = Math.abs(w[w.length - 1].residual);
  }

  private pushSample(hash: number, offset: number, line: number, values: Float64Array): void {
    this.sample.push({ hash, offset, line, values: Array.from(values) });
    if (this.sample.length >= 2 * SAMPLE_SIZE) {
      this.sample = bottomK(this.sample, SAMPLE_SIZE);
      this.sampleMax = this.sample[this.sample.length - 1].hash;
    }
  }

  /** The partial result; the residual chunks are handed over (the accumulator is spent). */
  result(newlines: number): RangeResult {
    return {
      newlines,
      total: this.total,
      used: this.used,
      skipped: { ...this.skipped },
      firstSkipped: { ...this.firstSkipped },
      sumTarget: this.sumT.serialize(),
      sumTargetSq: this.sumT2.serialize(),
      models: this.models.map((a) => ({
        sums: {
          abs: a.abs.serialize(),
          sq: a.sq.serialize(),
          d: a.d.serialize(),
          smoothL1: a.smooth.serialize(),
          huber: a.hub.serialize(),
          logCosh: a.lc.serialize(),
        },
        maxAbs: a.maxAbs,
        worst: a.worst,
        residuals: a.curN > 0 ? [...a.chunks, a.cur.subarray(0, a.curN)] : a.chunks,
      })),
      sample: bottomK(this.sample, SAMPLE_SIZE),
    };
  }
}

/** The k rows with the smallest (hash, offset): a sample that does not depend on how a file was split. */
export function bottomK(rows: SampleRow[], k: number): SampleRow[] {
  return rows.sort((a, b) => a.hash - b.hash || a.offset - b.offset).slice(0, k);
}

/** The buffers to transfer (not copy) when a RangeResult is posted to another thread. */
export function transferables(r: RangeResult): ArrayBuffer[] {
  const out: ArrayBuffer[] = [];
  for (const m of r.models) {
    for (const c of m.residuals) {
      if (c.buffer instanceof ArrayBuffer && !out.includes(c.buffer)) out.push(c.buffer);
    }
  }
  return out;
}
