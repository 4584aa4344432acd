/**
 * Exact floating-point summation (Shewchuk's non-overlapping partials, the algorithm behind
 * Python's `math.fsum`). The running sum is held exactly as a short list of doubles, so:
 *   - `value()` is the correctly rounded sum, bit-identical to `math.fsum` of the same terms;
 *   - the result does not depend on the order of the terms, so partial sums from several
 *     workers or chunks merge to the same bits whatever the split.
 * Terms are expected to be finite; a non-finite term (e.g. d² overflowing) is kept apart in
 * `special` so callers can report it instead of silently printing Infinity.
 */
export class ExactSum {
  private p: Float64Array = new Float64Array(8);
  private n = 0;
  /** Sum of non-finite terms (Infinity, -Infinity or NaN); 0 when every term was finite. */
  special = 0;
  /** Set when adding two finite partials overflowed (the exact sum exceeds the double range). */
  overflow = false;

  add(x: number): void {
    if (x - x !== 0) {
      // Infinity or NaN
      this.special += x;
      return;
    }
    const p = this.p;
    const n = this.n;
    let i = 0;
    for (let j = 0; j < n; j++) {
      let y = p[j];
      if (Math.abs(x) < Math.abs(y)) {
        const t = x;
        x = y;
        y = t;
      }
      const hi = x + y;
      const lo = y - (hi - x);
      if (lo !== 0) p[i++] = lo;
      x = hi;
    }
    if (x - x !== 0) {
      this.overflow = true;
      x = 0;
    }
    if (i === p.length) this.grow();
    this.p[i] = x;
    this.n = i + 1;
  }

  private grow(): void {
    const q = new Float64Array(this.p.length * 2);
    q.set(this.p);
    this.p = q;
  }

  /** Adds every partial of `other` (exact: the merged sum equals the sum of all terms of both). */
  merge(other: ExactSum | SerializedSum): void {
    const parts = other instanceof ExactSum ? other.partials() : other.partials;
    for (const x of parts) this.add(x);
    this.special += other.special;
    this.overflow = this.overflow || other.overflow;
  }

  /** The partials, smallest magnitude first; their exact sum is the running total. */
  partials(): number[] {
    return Array.from(this.p.subarray(0, this.n));
  }

  serialize(): SerializedSum {
    return { partials: this.partials(), special: this.special, overflow: this.overflow };
  }

  static from(s: SerializedSum): ExactSum {
    const e = new ExactSum();
    e.merge(s);
    return e;
  }

  /** True when the sum is finite and representable (no non-finite terms, no overflow). */
  isFinite(): boolean {
    return this.special === 0 && !this.overflow;
  }

  /** The correctly rounded value of the exact sum (round half to even), as math.fsum. */
  value(): number {
    if (this.special !== 0 || Number.isNaN(this.special)) return this.special;
    if (this.overflow) return NaN;
    const p = this.p;
    let n = this.n;
    if (n === 0) return 0;
    let hi = p[--n];
    let lo = 0;
    while (n > 0) {
      const x = hi;
      const y = p[--n];
      hi = x + y;
      const yr = hi - x;
      lo = y - yr;
      if (lo !== 0) break;
    }
    // Correct "half-way" cases: if the rest of the partials have the same sign as lo, the
    // exact sum lies beyond the half-way point and the rounding must go the other way.
    if (n > 0 && ((lo < 0 && p[n - 1] < 0) || (lo > 0 && p[n - 1] > 0))) {
      const y = lo * 2;
      const x = hi + y;
      const yr = x - hi;
      if (y === yr) hi = x;
    }
    return hi;
  }
}

export interface SerializedSum {
  partials: number[];
  special: number;
  overflow: boolean;
}

/** Correctly rounded sum of an array of finite doubles (convenience over ExactSum). */
export function fsum(xs: Iterable<number>): number {
  const s = new ExactSum();
  for (const x of xs) s.add(x);
  return s.value();
}

/** Neumaier's compensated addition of x into st[i] (sum) and st[i + 1] (compensation). */
export function neumaier(st: Float64Array, i: number, x: number): void {
  const s = st[i];
  const r = s + x;
  st[i + 1] += Math.abs(s) >= Math.abs(x) ? s - r + x : x - r + s;
  st[i] = r;
}
