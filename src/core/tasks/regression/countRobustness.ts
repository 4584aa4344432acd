/**
 * How much the worst rows weigh in the losses of counts and positive targets (#16 item 5): the
 * share of the squared log error and of the Poisson, Gamma and Tweedie unit deviances carried by
 * the worst 1% and 10% of rows, ranked by that loss itself (a deviance is not a function of |d|
 * alone: the same residual costs more on a small target). Computed after the scan from the
 * stored targets and residuals (prediction = target + d), in file order, so the result is the
 * same for any number of threads.
 */
import { gammaDev, poissonDev, squaredLogError, tweedieDev } from './counts';
import type { MetricKey } from './losses';

/** The per-row losses of counts whose shares are reported, each the per-row term of its metric. */
export const COUNT_ROW_KEYS = ['msle', 'poissonDeviance', 'gammaDeviance', 'tweedieDeviance'] as const;
export type CountRowKey = (typeof COUNT_ROW_KEYS)[number] & MetricKey;

export interface CountShare {
  /** Rows in this group: ⌈fraction·n⌉. */
  rows: number;
  /** Share of the loss's total (Σw·ℓ) carried by the group's rows, 0…1; null where the metric is. */
  share: Record<CountRowKey, number | null>;
  /** Mean of the loss over the other rows (weighted); null where the metric is null or no row is left. */
  without: Record<CountRowKey, number | null>;
}

export interface CountRobustness {
  worst1: CountShare;
  worst10: CountShare;
}

/** One row's loss of `key` (target y, prediction μ), as the metric's per-row term. */
export function countRowLoss(key: CountRowKey, y: number, mu: number, power: number): number {
  switch (key) {
    case 'msle':
      return squaredLogError(y, mu);
    case 'poissonDeviance':
      return poissonDev(y, mu);
    case 'gammaDeviance':
      return gammaDev(y, mu);
    case 'tweedieDeviance':
      return tweedieDev(y, mu, power);
  }
}

/** Compensated running sum (Neumaier), in file order: deterministic for a fixed sequence. */
class RunSum {
  s = 0;
  c = 0;
  add(x: number): void {
    const r = this.s + x;
    this.c += Math.abs(this.s) >= Math.abs(x) ? this.s - r + x : x - r + this.s;
    this.s = r;
  }
  value(): number {
    return this.s + this.c;
  }
}

/** Bits of the order key: a non-negative double's high word, shifted (sign, exponent, 8 mantissa bits). */
const KEY_SHIFT = 12;
const NKEYS = 1 << (32 - KEY_SHIFT);

/**
 * The worst-rows shares of each defined loss. `targets`, `residuals` and `weights` are chunks in
 * file order (the same total length); `defined` lists the losses whose metric is not null (the
 * others are null here). Rows are ranked by the loss, ties by file order (the first rows first).
 */
export function countRobustness(
  targets: readonly Float64Array[],
  residuals: readonly Float64Array[],
  weights: readonly Float64Array[] | null,
  power: number,
  defined: readonly CountRowKey[],
): CountRobustness {
  let n = 0;
  for (const c of residuals) n += c.length;
  const fractions = [0.01, 0.1];
  const ks = fractions.map((f) => Math.max(1, Math.ceil(f * n)));
  const out = ks.map((rows): CountShare => ({ rows, share: nulls(), without: nulls() }));
  if (n === 0 || defined.length === 0) return { worst1: out[0], worst10: out[1] };
  const loss = new Float64Array(n);
  const wAll = weights ? concat(weights, n) : null;
  const counts = new Uint32Array(NKEYS);
  const f = new Float64Array(1);
  const hi = new Uint32Array(f.buffer);
  const keyOf = (x: number): number => {
    if (!(x > 0)) return 0; // zero and rounding's tiny negatives rank lowest
    f[0] = x;
    return hi[1] >>> KEY_SHIFT;
  };
  for (const key of defined) {
    // The losses in file order, their order keys counted.
    counts.fill(0);
    let i = 0;
    for (let c = 0; c < residuals.length; c++) {
      const t = targets[c];
      const d = residuals[c];
      if (t.length !== d.length) throw new Error('targets and residuals are not aligned');
      for (let j = 0; j < d.length; j++) {
        const v = countRowLoss(key, t[j], t[j] + d[j], power);
        loss[i++] = v;
        counts[keyOf(v)]++;
      }
    }
    // Per group, the key of its k-th largest loss: every row in a higher key is in the group.
    const cut = ks.map((k) => {
      let above = 0;
      let kk = NKEYS - 1;
      while (kk > 0 && above + counts[kk] < k) above += counts[kk--];
      return { key: kk, need: k - above, rows: [] as number[] };
    });
    for (let r = 0; r < n; r++) {
      const kr = keyOf(loss[r]);
      for (const c of cut) if (kr === c.key) c.rows.push(r);
    }
    // Of the rows in that key, the largest losses first, then the earliest rows.
    const taken = cut.map((c) => new Set(c.rows.sort((a, b) => loss[b] - loss[a] || a - b).slice(0, c.need)));
    const all = new RunSum();
    const sums = cut.map(() => ({ top: new RunSum(), rest: new RunSum(), restW: new RunSum() }));
    for (let r = 0; r < n; r++) {
      const kr = keyOf(loss[r]);
      const w = wAll ? wAll[r] : 1;
      const x = w * loss[r];
      all.add(x);
      for (let g = 0; g < cut.length; g++) {
        const s = sums[g];
        if (kr > cut[g].key || (kr === cut[g].key && taken[g].has(r))) s.top.add(x);
        else {
          s.rest.add(x);
          s.restW.add(w);
        }
      }
    }
    const total = all.value();
    sums.forEach((s, g) => {
      out[g].share[key] = total > 0 && Number.isFinite(total) ? Math.min(1, Math.max(0, s.top.value() / total)) : null;
      const rw = s.restW.value();
      const mean = s.rest.value() / rw;
      out[g].without[key] = rw > 0 && Number.isFinite(mean) ? mean : null;
    });
  }
  return { worst1: out[0], worst10: out[1] };
}

function nulls(): Record<CountRowKey, number | null> {
  return { msle: null, poissonDeviance: null, gammaDeviance: null, tweedieDeviance: null };
}

function concat(chunks: readonly Float64Array[], n: number): Float64Array {
  const out = new Float64Array(n);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}
