import { mutable } from '../../jit';
import { countTargetKeys, TARGET_KEYS } from './targetStats';

/**
 * |d| is bucketed by the top bits of its double: (high word & 0x7fffffff) >>> KEY_SHIFT, monotone
 * in |d|; 18 bits = 128 keys an octave. Each thread keeps a 4-byte count per key; 20 bits cost
 * more peak memory for no speed gain (docs/performance.md).
 */
export const KEY_BITS = 18;
export const KEY_SHIFT = 31 - KEY_BITS;

/**
 * Per thread, shared by every range it scans: per model, the count of rows per |d| key (for the
 * exact quantiles and the log histogram) and the extremes of d. Counts and extremes merge exactly
 * in any order, so they are kept per thread, not per range (2^18 counts a model). Also the thread's
 * scatter-sample threshold.
 */
export class ResidualKeys {
  readonly hists: Uint32Array[];
  readonly min: Float64Array;
  readonly max: Float64Array;
  /** Rows per key of the target (targetStats.ts, signed keys), for the exact quantiles of the D² baselines (#16). */
  targets: Uint32Array = new Uint32Array(TARGET_KEYS);
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

  /** Counts the targets of a chunk. */
  countTargets(c: Float64Array): void {
    this.empty = false;
    countTargetKeys(this.targets, c);
  }

  /** Adds another thread's counts (structured-cloned or transferred). */
  merge(o: SerializedKeys): void {
    const take = this.empty;
    this.empty = false;
    for (let m = 0; m < this.hists.length; m++) {
      // Adding 2^18 counts, cold, is slow on the calling thread; the first ones are taken as they are.
      if (take) this.hists[m] = o.hists[m];
      else addCounts(this.hists[m], o.hists[m]);
      if (o.min[m] < this.min[m]) this.min[m] = o.min[m];
      if (o.max[m] > this.max[m]) this.max[m] = o.max[m];
    }
    if (take) this.targets = o.targets;
    else addCounts(this.targets, o.targets);
  }

  serialize(): SerializedKeys {
    return { hists: this.hists, targets: this.targets, min: Array.from(this.min), max: Array.from(this.max) };
  }
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
  targets: Uint32Array;
  min: number[];
  max: number[];
}
