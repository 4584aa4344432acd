/**
 * One series of a training log, accumulated point by point in file order in bounded memory
 * (a run that trains for hours keeps appending): its extremes, last value, first non-finite
 * value, spikes, the TensorBoard-smoothed value, and the points decimated into at most
 * BUCKETS buckets, each with its min/max envelope.
 */
import { Ema } from './smoothing';

/** Buckets kept while reading; the report merges them down to at most MAX_POINTS. */
export const BUCKETS = 4096;
/** Points per series in the report (and the JSON contract). */
export const MAX_POINTS = 2000;
/** Spikes listed per series (all are counted). */
export const MAX_SPIKES = 100;
/** The rolling median a spike is compared with: the previous SPIKE_WINDOW finite values. */
export const SPIKE_WINDOW = 20;
/** No spike is called before this many previous values. */
const SPIKE_MIN_HISTORY = 5;

/** A point of the file: its x as written, its value and the 1-based line where its record starts. */
export interface At {
  value: number;
  step: number;
  line: number;
}

/** A series' points, decimated (≤ 2000), each with the min/max envelope of the values it stands for. */
export interface LogPoints {
  /** x (as written) of each point's last value. */
  x: number[];
  /** The value at that x (null: NaN or infinite). */
  y: (number | null)[];
  /** Smallest and largest finite value of the point's values (null: none finite). */
  min: (number | null)[];
  max: (number | null)[];
  /** Mean of the point's finite values (the report's smoothing slider smooths these). */
  mean: (number | null)[];
  /** How many values of the file each point stands for (1 when the series has ≤ 2000). */
  count: number[];
  /** 1-based line of each point's last value. */
  line: number[];
}

/** Decimated points: bucket i holds `count[i]` consecutive points of the series (LogPoints, and what the report is made from). */
export interface Decimated extends LogPoints {
  /** Finite values of each bucket. */
  finite: number[];
  /** The smoothed value at each bucket's last point (null: not finite). */
  smoothed: (number | null)[];
}

/**
 * Consecutive points in buckets of `per` points; when BUCKETS are full, neighbours merge in
 * pairs and `per` doubles, so memory stays fixed and every bucket but the last holds `per` points.
 */
export class Decimator {
  private n = 0;
  private per = 1;
  private readonly bx = new Float64Array(BUCKETS);
  private readonly by = new Float64Array(BUCKETS);
  private readonly bs = new Float64Array(BUCKETS);
  private readonly bline = new Float64Array(BUCKETS);
  private readonly bmin = new Float64Array(BUCKETS);
  private readonly bmax = new Float64Array(BUCKETS);
  private readonly bsum = new Float64Array(BUCKETS);
  private readonly bcnt = new Float64Array(BUCKETS);
  private readonly bfin = new Float64Array(BUCKETS);

  /** Points added. */
  points = 0;

  add(x: number, y: number, smoothed: number, line: number): void {
    let b = this.n - 1;
    if (b < 0 || this.bcnt[b] >= this.per) {
      if (this.n === BUCKETS) this.halve();
      b = this.n++;
      this.bmin[b] = Infinity;
      this.bmax[b] = -Infinity;
      this.bsum[b] = 0;
      this.bcnt[b] = 0;
      this.bfin[b] = 0;
    }
    this.bx[b] = x;
    this.by[b] = y;
    this.bs[b] = smoothed;
    this.bline[b] = line;
    this.bcnt[b]++;
    this.points++;
    if (Number.isFinite(y)) {
      if (y < this.bmin[b]) this.bmin[b] = y;
      if (y > this.bmax[b]) this.bmax[b] = y;
      this.bsum[b] += y;
      this.bfin[b]++;
    }
  }

  private halve(): void {
    const h = this.n >> 1;
    for (let i = 0; i < h; i++) this.merge(i, 2 * i, 2 * i + 1);
    this.n = h;
    this.per *= 2;
  }

  /** Bucket `to` = buckets `a` and `b` (a < b, consecutive); `to` ≤ a. */
  private merge(to: number, a: number, b: number): void {
    this.bx[to] = this.bx[b];
    this.by[to] = this.by[b];
    this.bs[to] = this.bs[b];
    this.bline[to] = this.bline[b];
    this.bmin[to] = Math.min(this.bmin[a], this.bmin[b]);
    this.bmax[to] = Math.max(this.bmax[a], this.bmax[b]);
    this.bsum[to] = this.bsum[a] + this.bsum[b];
    this.bcnt[to] = this.bcnt[a] + this.bcnt[b];
    this.bfin[to] = this.bfin[a] + this.bfin[b];
  }

  /** The buckets merged (without changing this decimator) into at most `max` points. */
  result(max = MAX_POINTS): Decimated {
    const g = Math.max(1, Math.ceil(this.n / max));
    const out: Decimated = { x: [], y: [], min: [], max: [], mean: [], count: [], finite: [], smoothed: [], line: [] };
    for (let s = 0; s < this.n; s += g) {
      const e = Math.min(this.n, s + g) - 1;
      let lo = Infinity;
      let hi = -Infinity;
      let sum = 0;
      let cnt = 0;
      let fin = 0;
      for (let i = s; i <= e; i++) {
        if (this.bmin[i] < lo) lo = this.bmin[i];
        if (this.bmax[i] > hi) hi = this.bmax[i];
        sum += this.bsum[i];
        cnt += this.bcnt[i];
        fin += this.bfin[i];
      }
      out.x.push(this.bx[e]);
      out.y.push(finiteOrNull(this.by[e]));
      out.smoothed.push(finiteOrNull(this.bs[e]));
      out.line.push(this.bline[e]);
      out.min.push(fin > 0 ? lo : null);
      out.max.push(fin > 0 ? hi : null);
      out.mean.push(fin > 0 ? finiteOrNull(sum / fin) : null);
      out.count.push(cnt);
      out.finite.push(fin);
    }
    return out;
  }
}

export function finiteOrNull(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}

/** The median of the previous SPIKE_WINDOW finite values: a ring of them and the same values sorted. */
class RollingMedian {
  private readonly ring = new Float64Array(SPIKE_WINDOW);
  private readonly sorted = new Float64Array(SPIKE_WINDOW);
  private n = 0;
  private head = 0;

  get size(): number {
    return this.n;
  }

  median(): number {
    const n = this.n;
    return n % 2 === 1 ? this.sorted[(n - 1) >> 1] : (this.sorted[n / 2 - 1] + this.sorted[n / 2]) / 2;
  }

  // Element loops rather than copyWithin: on 20 values a call costs more than the moves.
  push(v: number): void {
    const s = this.sorted;
    if (this.n === SPIKE_WINDOW) {
      const old = this.ring[this.head];
      for (let i = this.lowerBound(old); i < this.n - 1; i++) s[i] = s[i + 1];
      this.n--;
    }
    this.ring[this.head] = v;
    this.head = this.head === SPIKE_WINDOW - 1 ? 0 : this.head + 1;
    const at = this.lowerBound(v);
    for (let i = this.n; i > at; i--) s[i] = s[i - 1];
    s[at] = v;
    this.n++;
  }

  private lowerBound(v: number): number {
    let lo = 0;
    let hi = this.n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.sorted[mid] < v) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/** A value above k × the rolling median of the values before it. */
export interface Spike {
  step: number;
  line: number;
  value: number;
  median: number;
}

/** Everything kept of one series while the file is read. */
export class SeriesAcc {
  readonly points = new Decimator();
  private readonly ema: Ema;
  private readonly rolling: RollingMedian | undefined;
  finite = 0;
  nonFinite = 0;
  // The extremes and the last value as numbers, not an object per point: a log of 10⁶ steps
  // would allocate one per row (`min`, `max`, `last` make them when the report asks).
  private minV = Infinity;
  private minStep = 0;
  private minLine = 0;
  private maxV = -Infinity;
  private maxStep = 0;
  private maxLine = 0;
  private lastV = NaN;
  private lastStep = 0;
  private lastLine = 0;
  firstNonFinite: { step: number; line: number; value: number } | undefined;
  readonly spikes: Spike[] = [];
  spikeCount = 0;
  /** Every point so far had the first point's value (TensorBoard then draws it unsmoothed). */
  constant = true;
  private first = NaN;
  /** Values of this series that were text (counted, left out), and the first line of one. */
  textCells = 0;
  firstTextLine = 0;

  /** `spikeK` > 0: spikes are looked for (losses). */
  constructor(
    smoothing: number,
    private readonly spikeK: number,
  ) {
    this.ema = new Ema(smoothing);
    this.rolling = spikeK > 0 ? new RollingMedian() : undefined;
  }

  add(step: number, y: number, line: number): void {
    if (this.points.points === 0) this.first = y;
    else if (this.constant && y !== this.first) this.constant = false;
    const smoothed = this.ema.next(y);
    this.points.add(step, y, smoothed, line);
    if (!Number.isFinite(y)) {
      this.nonFinite++;
      if (this.firstNonFinite === undefined) this.firstNonFinite = { step, line, value: y };
      return;
    }
    // The first finite value sets both extremes (a strict < keeps the earliest of equal values).
    if (this.finite++ === 0 || y < this.minV) {
      this.minV = y;
      this.minStep = step;
      this.minLine = line;
    }
    if (this.finite === 1 || y > this.maxV) {
      this.maxV = y;
      this.maxStep = step;
      this.maxLine = line;
    }
    this.lastV = y;
    this.lastStep = step;
    this.lastLine = line;
    const r = this.rolling;
    if (r !== undefined) {
      if (r.size >= SPIKE_MIN_HISTORY) {
        const m = r.median();
        if (m > 0 && y > this.spikeK * m) {
          this.spikeCount++;
          if (this.spikes.length < MAX_SPIKES) this.spikes.push({ step, line, value: y, median: m });
        }
      }
      r.push(y);
    }
  }

  text(line: number): void {
    if (this.textCells++ === 0) this.firstTextLine = line;
  }

  /** The smallest finite value (the earliest of equal ones), undefined before the first. */
  get min(): At | undefined {
    return this.finite > 0 ? { value: this.minV, step: this.minStep, line: this.minLine } : undefined;
  }

  get max(): At | undefined {
    return this.finite > 0 ? { value: this.maxV, step: this.maxStep, line: this.maxLine } : undefined;
  }

  /** The last finite value. */
  get last(): At | undefined {
    return this.finite > 0 ? { value: this.lastV, step: this.lastStep, line: this.lastLine } : undefined;
  }

  /** Whether TensorBoard would draw this series unsmoothed (every value equal to the first, a number). */
  get isConstant(): boolean {
    return this.constant && this.first === this.first;
  }
}

/**
 * The generalisation gap of a validation series against a training series of the same quantity,
 * aligned by step: a validation value at step s is paired with the training value at s when the
 * training series has one there (before or right after it in the file), else with the training
 * series' latest value before s.
 */
export class GapAcc {
  readonly points = new Decimator();
  private trainX = NaN;
  private trainY = NaN;
  private pendingX = NaN;
  private pendingV = NaN;
  private pendingLine = 0;
  private pending = false;
  /** The best (smallest) validation value paired so far, and the gap there. */
  atBest: { step: number; value: number; val: number } | undefined;
  last: { step: number; value: number } | undefined;

  train(x: number, y: number): void {
    if (!Number.isFinite(y)) return;
    if (this.pending && x >= this.pendingX) {
      if (x === this.pendingX) this.emit(this.pendingX, this.pendingV, y, this.pendingLine);
      else if (this.trainY === this.trainY) this.emit(this.pendingX, this.pendingV, this.trainY, this.pendingLine);
      this.pending = false;
    }
    this.trainX = x;
    this.trainY = y;
  }

  val(x: number, v: number, line: number): void {
    if (!Number.isFinite(v)) return;
    if (this.pending) this.flush();
    if (this.trainX === x) this.emit(x, v, this.trainY, line);
    else {
      this.pending = true;
      this.pendingX = x;
      this.pendingV = v;
      this.pendingLine = line;
    }
  }

  private flush(): void {
    if (this.pending && this.trainY === this.trainY) this.emit(this.pendingX, this.pendingV, this.trainY, this.pendingLine);
    this.pending = false;
  }

  /**
   * The gap so far, a validation value still waiting for its training value paired with the
   * latest one — without changing the accumulator (a live report is built between appends).
   */
  result(): { points: Decimated; last: { step: number; value: number } | undefined; atBest: { step: number; value: number } | undefined } {
    const points = this.points.result();
    let last = this.last;
    let atBest = this.atBest;
    if (this.pending && this.trainY === this.trainY) {
      const gap = this.pendingV - this.trainY;
      last = { step: this.pendingX, value: gap };
      if (atBest === undefined || this.pendingV < atBest.val) atBest = { step: this.pendingX, value: gap, val: this.pendingV };
      if (points.x.length >= MAX_POINTS) {
        const i = points.x.length - 1;
        points.x[i] = this.pendingX;
        points.y[i] = gap;
        points.min[i] = Math.min(points.min[i] ?? gap, gap);
        points.max[i] = Math.max(points.max[i] ?? gap, gap);
        points.count[i]++;
      } else {
        points.x.push(this.pendingX);
        points.y.push(gap);
        points.min.push(gap);
        points.max.push(gap);
        points.mean.push(gap);
        points.count.push(1);
        points.finite.push(1);
        points.smoothed.push(gap);
        points.line.push(this.pendingLine);
      }
    }
    return { points, last, atBest: atBest && { step: atBest.step, value: atBest.value } };
  }

  private emit(x: number, v: number, t: number, line: number): void {
    const gap = v - t;
    this.points.add(x, gap, gap, line);
    this.last = { step: x, value: gap };
    if (this.atBest === undefined || v < this.atBest.val) this.atBest = { step: x, value: gap, val: v };
  }
}
