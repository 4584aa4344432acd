/**
 * The regression family's partial results: what one byte range hands to the report builder, across
 * threads (structured-clone friendly), and the small pure helpers that merge them.
 */
import type { SerializedSum } from '../../exactSum';
import { emptyReasons, FIRST_SKIPPED_LINES, storedChunks } from '../../rows';
import type { SkipReason } from '../../scanTypes';
import type { VarianceRange } from './variance';
import type { QuantilePart } from './quantileSet';
import type { CountRowKey } from './countRobustness';
import { RangeStats, statsTransferables } from './passB';

export { emptyReasons, FIRST_SKIPPED_LINES };

/** Rows kept for the predicted-vs-target scatter (a deterministic hash sample). */
export const SAMPLE_SIZE = 2000;
/** Residuals are kept in chunks of this many values (8 bytes each), never reallocated. */
export const CHUNK = 1 << 16;

/**
 * The sums kept per model: Σw·ℓ of each per-row loss (the first NBASE), then Σw·ℓ² of those whose
 * square is not already one of them (|d|² and d² are Σd²), for the intervals (intervals/mean.ts).
 * The losses of counts (#16: squared log error, the Poisson, Gamma and Tweedie deviances, the
 * Poisson NLL; counts.ts) follow the first nine, and their squares the first seven squares.
 */
export const SUM_KEYS = [
  'abs',
  'sq',
  'd',
  'smoothL1',
  'huber',
  'logCosh',
  'ape',
  'sape',
  'pinball',
  'sle',
  'poisson',
  'gamma',
  'tweedie',
  'pnll',
  'sq2',
  'smoothL1Sq',
  'huberSq',
  'logCoshSq',
  'apeSq',
  'sapeSq',
  'pinballSq',
  'sleSq',
  'poissonSq',
  'gammaSq',
  'tweedieSq',
  'pnllSq',
] as const;
export type SumKey = (typeof SUM_KEYS)[number];
/** The per-row losses: the first NBASE sums (groups keep only these). */
export const NBASE = 14;
/** Of the sums, the first of the counts' losses (SUM_KEYS[COUNTS_AT] is 'sle') and of their squares. */
export const COUNTS_AT = 9;
export const COUNTS_SQ_AT = 21;
export type BaseKey = (typeof SUM_KEYS)[0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10 | 11 | 12 | 13];
/** Of each per-row loss (SUM_KEYS order), the key of its Σw·ℓ². */
export const SQUARE_OF: Record<BaseKey, SumKey> = {
  abs: 'sq',
  sq: 'sq2',
  d: 'sq',
  smoothL1: 'smoothL1Sq',
  huber: 'huberSq',
  logCosh: 'logCoshSq',
  ape: 'apeSq',
  sape: 'sapeSq',
  pinball: 'pinballSq',
  sle: 'sleSq',
  poisson: 'poissonSq',
  gamma: 'gammaSq',
  tweedie: 'tweedieSq',
  pnll: 'pnllSq',
};

export interface WorstRow {
  line: number;
  target: number;
  prediction: number;
  residual: number;
}

/**
 * A row among the worst by one loss (#16 item 5: a loss of counts, the Gaussian NLL, the CRPS or
 * a quantile level's pinball loss): its line, values and that loss. `prediction` is the value the
 * loss reads: the quantile column's for a pinball loss.
 */
export interface LossRow {
  line: number;
  target: number;
  prediction: number;
  loss: number;
  /** The row's predicted standard deviation (√variance for a variance column): the NLL's and CRPS's rows only. */
  sigma?: number;
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
  /** Used rows of each summation block (BLOCK_BYTES) of the range, in file order: pass B sums per block. */
  blockRows: number[];
  /** Pass B of each model over this range, when the scan thread ran it (rangePass.ts); else the report builder runs it. */
  stats?: RangeStats[];
  /** Σ weight over the used rows (the row count without a weight column). */
  weightSum: SerializedSum;
  /** Σ weight² over the used rows (the row count without a weight column): Kish's effective n. */
  weightSqSum: SerializedSum;
  /** Weights of the used rows in file order (only with a weight column), for the weighted median. */
  weights: Float64Array[];
  /** Targets of the used rows in file order, in chunks aligned with the residuals: the D² baselines (#16). */
  targets: Float64Array[];
  models: ModelPart[];
  sample: SampleRow[];
  /** The predicted variances' partials, per model and group (absent without spread columns). */
  variance?: VarianceRange;
  /** Per-group partials (only with a group-by column). */
  groups?: RangeGroups;
  /** The quantile sets' sums (#16 item 3, quantileSet.ts; only with a set). */
  quantiles?: QuantilePart;
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
  /**
   * Against the baseline model (intervals on, two models or more, not the baseline itself):
   * Σw·(ℓ − ℓ_baseline)² per per-row loss, in SUM_KEYS order (the first NBASE); else absent.
   */
  pairSq?: SerializedSum[];
  maxAbs: number;
  /** Rows outside each counts metric's domain (counts.ts DOMAIN_KEYS order): how many, and the first lines (range-relative). */
  domain: DomainPart;
  worst: WorstRow[];
  /** Signed residuals d in file order, in chunks (transferred, not copied, between threads). */
  residuals: Float64Array[];
  /** The range's worst rows by each loss of counts still defined in it, worst first (range-relative lines). */
  worstByLoss?: Partial<Record<CountRowKey, LossRow[]>>;
}

export interface DomainPart {
  counts: number[];
  lines: number[][];
}

/** One group's partial result over one byte range. Structured-clone friendly. */
export interface GroupPart {
  label: string;
  /** Rows used in this group. */
  rows: number;
  /** Σ weight (the row count without weights). */
  weightSum: SerializedSum;
  /** Target statistics per block of this group's rows, in file order (R² per group). */
  targetBlocks: TargetBlock[];
  /** Per model, the sums in SUM_KEYS order. */
  sums: SerializedSum[][];
  /** Per model, the largest |d|. */
  maxAbs: number[];
}

export interface RangeGroups {
  parts: GroupPart[];
  /** The range met more than MAX_GROUPS distinct values. */
  overflow: boolean;
}

export const NSUMS = SUM_KEYS.length;

/**
 * Slots of RangeAccumulator.io, through which row() hands doubles to the methods it calls on rare
 * paths. Passed as arguments, they were boxed on every row, not only when the call happened:
 * TurboFan computed one boxed copy for all the call sites and placed it before the first (16
 * bytes a row and model of garbage, and young-generation collections).
 */
export const IO_T = 0;
export const IO_P = 1;
export const IO_D = 2;
export const IO_W = 3;

/** The chunks with the last one cut to its `n` values (a copy, so its unused tail is freed), or left out when empty. */
export function completeChunks(chunks: Float64Array[], n: number): Float64Array[] {
  return storedChunks(chunks.slice(0, -1), chunks[chunks.length - 1], n);
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
  // The quantile levels' and spread columns' stored values too (#16 item 5).
  for (const c of [...r.weights, ...r.targets, ...r.models.flatMap((m) => m.residuals), ...(r.quantiles?.rows.flat() ?? []), ...(r.variance?.rows?.flat() ?? [])]) {
    if (c.buffer instanceof ArrayBuffer && !out.includes(c.buffer)) out.push(c.buffer);
  }
  if (r.stats) for (const b of statsTransferables(r.stats)) if (!out.includes(b)) out.push(b);
  return out;
}
