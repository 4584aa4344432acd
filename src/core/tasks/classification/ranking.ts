/**
 * Ranking metrics of one binary problem (a class against the rest): ROC AUC and average precision
 * exactly as scikit-learn's roc_auc_score and average_precision_score compute them, ties included,
 * and the bounded ROC and precision–recall curves the report draws.
 *
 * Both come from one walk over the distinct scores in descending order, with the (weighted)
 * positives and negatives at each: scikit-learn's _binary_clf_curve. The area under the ROC curve
 * is the trapezoidal sum over those points, as np.trapz(tpr, fpr) is; a tie of positives and
 * negatives at one score is one diagonal step (half credit).
 *
 * Unweighted, the walk needs only the count of positives and of negatives at each distinct score:
 * each segment's scores are split in place into its positives and its negatives, each part sorted
 * in place (radixSort), and the walk merges those sorted runs from the top with two heaps (one per
 * class). No copy of the scores is made (80 MB at 1e7 rows), and the steps are kept one byte each.
 * Scores with at most 65536 distinct values are counted per value instead (fewDistinct), no sort.
 */

import type { MeanSums } from '../../intervals/mean';

/** Points of the curves, at most this many (the walk itself uses every distinct score). */
export const CURVE_POINTS = 500;

export interface RankingResult {
  /** null when only one class is present (scikit-learn raises: AUC is undefined). */
  rocAuc: number | null;
  /** null unless both classes are present (as rocAuc: the report warns that both are undefined). */
  averagePrecision: number | null;
  /** ROC curve (false positive rate, true positive rate), ≤ CURVE_POINTS + 2 points, from (0, 0) to (1, 1). */
  roc: { fpr: number[]; tpr: number[] };
  /** Precision–recall curve, ≤ CURVE_POINTS + 1 points, in order of decreasing threshold. */
  pr: { recall: number[]; precision: number[] };
  /**
   * DeLong's placement sums (intervals/delong.ts) of the positives (V10: share of negatives below,
   * ties half) and of the negatives (V01: share of positives above), each row weighted: w is the
   * class's weight, w2 its weight again (the caller puts Σw² there when rows are weighted).
   */
  delong: { pos: MeanSums; neg: MeanSums };
}

/**
 * `scores[i]` and `positive[i]` (1 or 0) of each row, with its weight (`weights` null: 1 each).
 * Weighted, rows are ordered by descending score with a native sort of an index array.
 */
export function ranking(scores: Float64Array, positive: Uint8Array, weights: Float64Array | null): RankingResult {
  if (!weights) return rankingOfSegments([{ y: positive, s: scores.slice() }], new Uint8Array(scores.length));
  return fromSteps(weightedSteps(scores, positive, weights));
}

/**
 * The ranking metrics from the positives' and negatives' weight (counts unweighted) at each
 * distinct score, in descending order of the score: the same walk, so the same numbers to the
 * last bit as `ranking` when the weights at a score were summed in row order (the multiclass
 * intervals group the scores themselves and pass their sums here instead of sorting twice).
 */
export function rankingOfCounts(tp: Float64Array, fp: Float64Array, n: number): RankingResult {
  return fromSteps(new ArraySteps(tp, fp, n));
}

/**
 * The unweighted ranking metrics of the rows of `segments` (y[i] 1 for a positive). Reorders each
 * segment's `s`. `scratch` holds at least one byte per row (one array, or chunks used in order);
 * its contents are overwritten.
 *
 * Each segment's positives and negatives are split apart in place, and each part is grouped by
 * the top 16 bits of its scores' sort keys (keyBin: a bin holds one range of scores, the bins in
 * the scores' order). The walk then takes the bins from the top: from every part, the run of its
 * scores in that bin (contiguous, at the part's end), sorted once together. The walk's steps are
 * those of one sort of all scores; what it saves is a merge of the parts (a heap of 300 runs at
 * 1e7 rows took longer than sorting them) and any copy of all the scores.
 */
export function rankingOfSegments(segments: { y: ArrayLike<number>; s: Float64Array }[], scratch: Uint8Array | Uint8Array[]): RankingResult {
  const few = fewDistinct(segments);
  if (few) return fromSteps(few);
  let longest = 0;
  for (const g of segments) longest = Math.max(longest, g.s.length);
  const group = new BinGrouper(longest);
  const posBins = new Uint32Array(BINS);
  const negBins = new Uint32Array(BINS);
  const posRuns: Float64Array[] = [];
  const negRuns: Float64Array[] = [];
  for (const { y, s } of segments) {
    let np = 0;
    for (let i = 0; i < y.length; i++) np += y[i];
    // Swap each negative left of np with a positive right of it. y still tells the class of every
    // value not yet swapped, and both cursors only move forward.
    for (let i = 0, j = np; i < np; i++) {
      if (y[i]) continue;
      while (!y[j]) j++;
      const t = s[i];
      s[i] = s[j];
      s[j++] = t;
    }
    posRuns.push(group.run(s.subarray(0, np), posBins));
    negRuns.push(group.run(s.subarray(np), negBins));
  }
  const pos = new BinWalk(posRuns, posBins);
  const neg = new BinWalk(negRuns, negBins);
  const steps = new CodedSteps(scratch);
  for (let b = BINS - 1; b >= 0; b--) {
    if (posBins[b] === 0 && negBins[b] === 0) continue;
    const ps = pos.take(b);
    const ns = neg.take(b);
    // Both sorted: merge from the top (largest scores first).
    let i = ps.length - 1;
    let j = ns.length - 1;
    while (i >= 0 || j >= 0) {
      const v = i < 0 ? ns[j] : j < 0 ? ps[i] : Math.max(ps[i], ns[j]);
      let t = 0;
      let f = 0;
      while (i >= 0 && ps[i] === v) {
        t++;
        i--;
      }
      while (j >= 0 && ns[j] === v) {
        f++;
        j--;
      }
      steps.push(t, f);
    }
  }
  return fromSteps(steps);
}

/** At most this many distinct scores are counted in a hash table instead of sorted. */
const FEW = 1 << 16;
/** An empty slot's key: a NaN's bits (NaN scores are never counted). */
const EMPTY = 0xffffffff;

/** Open addressing on a score's bits: per slot its key [low, high] and its counts [positives, negatives]. */
class ScoreCounts {
  bits = 11;
  keys = new Uint32Array(2 << 11).fill(EMPTY);
  counts = new Float64Array(2 << 11);
  size = 0;

  /** The slot of the key (lo, hi), taken if new. */
  slot(lo: number, hi: number): number {
    const mask = (1 << this.bits) - 1;
    const keys = this.keys;
    let h = Math.imul(lo ^ Math.imul(hi, 0x9e3779b1), 0x85ebca6b) >>> (32 - this.bits);
    for (;;) {
      const k = keys[2 * h];
      if (k === lo && keys[2 * h + 1] === hi) return h;
      if (k === EMPTY && keys[2 * h + 1] === EMPTY) break;
      h = (h + 1) & mask;
    }
    keys[2 * h] = lo;
    keys[2 * h + 1] = hi;
    this.size++;
    return h;
  }

  /** Twice the slots, every key and its counts moved over (kept at most half full). */
  grow(): void {
    const { keys, counts } = this;
    this.bits++;
    this.keys = new Uint32Array(2 << this.bits).fill(EMPTY);
    this.counts = new Float64Array(2 << this.bits);
    this.size = 0;
    for (let h = 0; 2 * h < keys.length; h++) {
      if (keys[2 * h] === EMPTY && keys[2 * h + 1] === EMPTY) continue;
      const to = this.slot(keys[2 * h], keys[2 * h + 1]);
      this.counts[2 * to] = counts[2 * h];
      this.counts[2 * to + 1] = counts[2 * h + 1];
    }
  }
}

/**
 * The steps of scores that take few distinct values (probabilities written with three decimals:
 * ~1000 at 1e7 rows), counted per value in a hash table of their bits (small enough to stay in
 * the cache) and then only the distinct values sorted: sorting every row was most of such a
 * report's time after the scan. Null as soon as a (FEW + 1)-th distinct value or a NaN turns up,
 * so scores that are mostly distinct pay for about FEW lookups. −0 is counted as +0 (one score,
 * as in the walk). The segments are left as they are.
 */
function fewDistinct(segments: { y: ArrayLike<number>; s: Float64Array }[]): Steps | null {
  const table = new ScoreCounts();
  for (const { y, s } of segments) {
    for (let i = 0; i < s.length; i++) {
      const x = s[i];
      if (x !== x) return null;
      f64[0] = x === 0 ? 0 : x;
      const h = table.slot(u32[0], u32[1]);
      table.counts[2 * h + (y[i] ? 0 : 1)]++;
      if (2 * table.size > 1 << table.bits) {
        if (table.size > FEW) return null;
        table.grow();
      }
    }
  }
  const d = table.size;
  const { keys, counts } = table;
  const values = new Float64Array(d);
  for (let h = 0, j = 0; 2 * h < keys.length; h++) {
    if (keys[2 * h] === EMPTY && keys[2 * h + 1] === EMPTY) continue;
    u32[0] = keys[2 * h];
    u32[1] = keys[2 * h + 1];
    values[j++] = f64[0];
  }
  values.sort();
  const tp = new Float64Array(d);
  const fp = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    f64[0] = values[d - 1 - j];
    const h = table.slot(u32[0], u32[1]);
    tp[j] = counts[2 * h];
    fp[j] = counts[2 * h + 1];
  }
  return new ArraySteps(tp, fp, d);
}

const BINS = 1 << 16;
const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

/** The top 16 bits of x's sort key (see radixSort): bins in the order of the numbers; −0 is in +0's (one step). */
function keyBin(x: number): number {
  f64[0] = x === 0 ? 0 : x;
  const hi = u32[1];
  return (hi & 0x80000000 ? ~hi : hi | 0x80000000) >>> 16;
}

/** Groups a run of scores by keyBin, ascending (a counting sort), and adds its bin counts to a total. */
class BinGrouper {
  private readonly bins: Uint16Array;
  private readonly tmp: Float64Array;
  private readonly counts = new Uint32Array(BINS);

  constructor(longest: number) {
    this.bins = new Uint16Array(longest);
    this.tmp = new Float64Array(longest);
  }

  run(a: Float64Array, total: Uint32Array): Float64Array {
    const { bins, tmp, counts } = this;
    const m = a.length;
    for (let i = 0; i < m; i++) {
      const b = keyBin(a[i]);
      bins[i] = b;
      counts[b]++;
      total[b]++;
    }
    let at = 0;
    for (let b = 0; b < BINS; b++) {
      const c = counts[b];
      counts[b] = at;
      at += c;
    }
    for (let i = 0; i < m; i++) tmp[counts[bins[i]]++] = a[i];
    counts.fill(0);
    a.set(tmp.subarray(0, m));
    return a;
  }
}

/** The bins of grouped runs, from the top: per bin, the scores of every run in it, sorted. */
class BinWalk {
  /** Per run: how many of its scores are left (the walk takes them from the end). */
  private readonly left: Int32Array;
  /** Per run: the bin of its last score left, −1 when none is. */
  private readonly top: Int32Array;
  private readonly buf: Float64Array;
  private readonly aux: Uint32Array;

  constructor(
    private readonly runs: Float64Array[],
    bins: Uint32Array,
  ) {
    let most = 0;
    for (let b = 0; b < BINS; b++) most = Math.max(most, bins[b]);
    this.buf = new Float64Array(most);
    this.aux = new Uint32Array(2 * most);
    this.left = Int32Array.from(runs, (r) => r.length);
    this.top = Int32Array.from(runs, (r) => (r.length ? keyBin(r[r.length - 1]) : -1));
  }

  /** The scores in bin b, sorted ascending: a view of a buffer that the next call reuses. */
  take(b: number): Float64Array {
    const { runs, left, top, buf } = this;
    let m = 0;
    for (let r = 0; r < runs.length; r++) {
      if (top[r] !== b) continue;
      const run = runs[r];
      let e = left[r];
      while (e > 0 && keyBin(run[e - 1]) === b) buf[m++] = run[--e];
      left[r] = e;
      top[r] = e > 0 ? keyBin(run[e - 1]) : -1;
    }
    return radixSort(buf.subarray(0, m), this.aux);
  }
}

const radixCounts = new Uint32Array(6 * 2048);

/**
 * Sorts `a` in place, ascending, in the order Float64Array.prototype.sort gives for numbers that
 * are not NaN (−0 before +0), and returns it. An LSD radix sort on the float64 bits, as unsigned
 * keys whose order is the numbers' order (sign bit set: all bits flipped; else the sign bit set),
 * in six 11-bit digits, a digit that all keys share skipped: the native sort is a comparison sort
 * and took three to four times as long on 65536 numbers. Below 256 numbers, the native sort (not
 * worth the counts). `aux`: a buffer of at least 2·a.length words, else one is allocated.
 */
export function radixSort(a: Float64Array, aux?: Uint32Array): Float64Array {
  const m = a.length;
  if (m < 256) return a.sort();
  if (!aux || aux.length < 2 * m) aux = new Uint32Array(2 * m);
  const words: Uint32Array = new Uint32Array(a.buffer, a.byteOffset, 2 * m);
  const counts = radixCounts;
  counts.fill(0);
  // Little-endian words: [low, high] per number (the engines Loss Inspector runs on).
  for (let i = 0; i < 2 * m; i += 2) {
    let lo = words[i];
    let hi = words[i + 1];
    if (hi & 0x80000000) {
      hi = ~hi >>> 0;
      lo = ~lo >>> 0;
    } else hi = (hi | 0x80000000) >>> 0;
    words[i] = lo;
    words[i + 1] = hi;
    counts[lo & 2047]++;
    counts[2048 + ((lo >>> 11) & 2047)]++;
    counts[4096 + (lo >>> 22)]++;
    counts[6144 + (hi & 2047)]++;
    counts[8192 + ((hi >>> 11) & 2047)]++;
    counts[10240 + (hi >>> 22)]++;
  }
  let src: Uint32Array = words;
  let dst: Uint32Array = aux.subarray(0, 2 * m);
  for (let d = 0; d < 6; d++) {
    const base = d * 2048;
    let b = 0;
    while (counts[base + b] === 0) b++;
    if (counts[base + b] === m) continue; // every key has this digit
    let sum = 0;
    for (b = 0; b < 2048; b++) {
      const c = counts[base + b];
      counts[base + b] = sum;
      sum += c;
    }
    const word = d < 3 ? 0 : 1;
    const shift = (d % 3) * 11;
    for (let i = 0; i < 2 * m; i += 2) {
      const p = 2 * counts[base + ((src[i + word] >>> shift) & 2047)]++;
      dst[p] = src[i];
      dst[p + 1] = src[i + 1];
    }
    const t = src;
    src = dst;
    dst = t;
  }
  if (src !== words) words.set(src);
  for (let i = 0; i < 2 * m; i += 2) {
    const hi = words[i + 1];
    if (hi & 0x80000000) words[i + 1] = hi & 0x7fffffff;
    else {
      words[i + 1] = ~hi >>> 0;
      words[i] = ~words[i] >>> 0;
    }
  }
  return a;
}

/** Per distinct score (descending), the weight of positives and of negatives with it, read in order. */
interface Steps {
  readonly n: number;
  /** Σ t and Σ f, summed in step order. */
  totals(): [number, number];
  /** Back to the first step. */
  reset(): void;
  /** Moves to the next step: its weights in t and f. */
  next(): void;
  t: number;
  f: number;
}

/** Steps as arrays (weighted). */
class ArraySteps implements Steps {
  t = 0;
  f = 0;
  private k = 0;
  constructor(
    private readonly tp: Float64Array,
    private readonly fp: Float64Array,
    readonly n: number,
  ) {}
  totals(): [number, number] {
    let P = 0;
    let N = 0;
    for (let k = 0; k < this.n; k++) {
      P += this.tp[k];
      N += this.fp[k];
    }
    return [P, N];
  }
  reset(): void {
    this.k = 0;
  }
  next(): void {
    this.t = this.tp[this.k];
    this.f = this.fp[this.k++];
  }
}

/**
 * Unweighted steps, one byte each: t + 15·f when both counts are below 15 (almost every step),
 * else 255 and the counts in a side list.
 */
class CodedSteps implements Steps {
  n = 0;
  t = 0;
  f = 0;
  private e = 0;
  private readonly big: number[] = [];
  private P = 0;
  private N = 0;
  /** The bytes, one per step, written and read in order across the chunks. */
  private readonly chunks: Uint8Array[];
  private wc = 0;
  private wi = 0;
  private rc = 0;
  private ri = 0;
  constructor(code: Uint8Array | Uint8Array[]) {
    this.chunks = Array.isArray(code) ? code.filter((c) => c.length > 0) : [code];
  }
  push(t: number, f: number): void {
    this.P += t;
    this.N += f;
    let c = 255;
    if (t < 15 && f < 15) c = t + 15 * f;
    else this.big.push(t, f);
    if (this.wi === this.chunks[this.wc].length) {
      this.wc++;
      this.wi = 0;
    }
    this.chunks[this.wc][this.wi++] = c;
    this.n++;
  }
  totals(): [number, number] {
    return [this.P, this.N];
  }
  reset(): void {
    this.rc = 0;
    this.ri = 0;
    this.e = 0;
  }
  next(): void {
    if (this.ri === this.chunks[this.rc].length) {
      this.rc++;
      this.ri = 0;
    }
    const c = this.chunks[this.rc][this.ri++];
    if (c === 255) {
      this.t = this.big[this.e++];
      this.f = this.big[this.e++];
    } else {
      this.t = CODE_T[c];
      this.f = CODE_F[c];
    }
  }
}
const CODE_T = Uint8Array.from({ length: 256 }, (_, c) => c % 15);
const CODE_F = Uint8Array.from({ length: 256 }, (_, c) => Math.floor(c / 15));

function weightedSteps(scores: Float64Array, positive: Uint8Array, weights: Float64Array): ArraySteps {
  const idx = new Uint32Array(scores.length);
  for (let i = 0; i < idx.length; i++) idx[i] = i;
  idx.sort((x, y) => scores[y] - scores[x]);
  const tp = new Float64Array(scores.length);
  const fp = new Float64Array(scores.length);
  let n = 0;
  for (let k = 0; k < idx.length; ) {
    const s = scores[idx[k]];
    let t = 0;
    let f = 0;
    for (; k < idx.length && scores[idx[k]] === s; k++) {
      const r = idx[k];
      if (positive[r]) t += weights[r];
      else f += weights[r];
    }
    tp[n] = t;
    fp[n] = f;
    n++;
  }
  return new ArraySteps(tp, fp, n);
}

function fromSteps(steps: Steps): RankingResult {
  const n = steps.n;
  // Cumulative counts at each threshold, as _binary_clf_curve's cumsum (a running sum).
  const [P, N] = steps.totals();
  steps.reset();
  let tps = 0;
  let fps = 0;
  let area = 0;
  let prevTpr = 0;
  let prevFpr = 0;
  let ap = 0;
  let prevRecall = 0;
  const pos: MeanSums = { rows: 0, w: P, w2: P, s1: 0, s2: 0 };
  const neg: MeanSums = { rows: 0, w: N, w2: N, s1: 0, s2: 0 };
  const every = Math.max(1, Math.ceil(n / CURVE_POINTS));
  const roc = { fpr: [0], tpr: [0] };
  const pr = { recall: [] as number[], precision: [] as number[] };
  for (let k = 0; k < n; k++) {
    steps.next();
    // Placements at this score: the positives here against the negatives below (ties half), the
    // negatives here against the positives above.
    const v10 = N > 0 ? (N - fps - steps.f / 2) / N : 0;
    const v01 = P > 0 ? (tps + steps.t / 2) / P : 0;
    pos.s1 += steps.t * v10;
    pos.s2 += steps.t * v10 * v10;
    neg.s1 += steps.f * v01;
    neg.s2 += steps.f * v01 * v01;
    tps += steps.t;
    fps += steps.f;
    const tpr = P > 0 ? tps / P : 0;
    const fpr = N > 0 ? fps / N : 0;
    area += ((fpr - prevFpr) * (tpr + prevTpr)) / 2;
    prevTpr = tpr;
    prevFpr = fpr;
    // average_precision_score: Σ (R_k − R_{k−1}) · P_k over the thresholds.
    const precision = tps / (tps + fps);
    ap += (tpr - prevRecall) * precision;
    prevRecall = tpr;
    if (k % every === every - 1 || k === n - 1) {
      roc.fpr.push(fpr);
      roc.tpr.push(tpr);
      pr.recall.push(tpr);
      pr.precision.push(precision);
    }
  }
  return {
    rocAuc: P > 0 && N > 0 ? area : null,
    averagePrecision: P > 0 && N > 0 ? ap : null,
    roc,
    pr,
    delong: { pos, neg },
  };
}
