/**
 * The margin of a row: the log-odds of the probability it gives its true class, m = y±·z on
 * logits (z the logit, y± = ±1) and log(p_t / (1 − p_t)) on probabilities. Every binary loss is a
 * function of it (log loss softplus(−m), hinge max(0, 1 − m), …), so it is the common axis of the
 * report's loss and gradient curves, and the report keeps each model's rows as a fixed-bin
 * histogram of it (bounded, counted in file order: the same for any number of threads).
 *
 * The pull of a row is −∂ℓ/∂m = |∂ℓ/∂z|: how hard a gradient step on its logit moves it toward its
 * true class (BCE: |p − y|). The α_t factor of focal loss is left out (it scales the curve).
 */
import { softplus } from './losses';

/** The histogram's range of margins, and its bins (0.25 wide). Rows beyond go to below / above. */
export const MARGIN_MIN = -8;
export const MARGIN_MAX = 8;
export const MARGIN_BINS = 64;

export interface MarginHistogram {
  /** Range [min, max) in `counts.length` equal bins. */
  min: number;
  max: number;
  counts: number[];
  /** Rows with a margin below min (confidently wrong), and at or above max. */
  below: number;
  above: number;
}

/** The margin of a row with score s (a probability of the positive class, or a logit) and class y. */
export function marginOf(s: number, y: number, logits: boolean): number {
  const z = logits ? s : Math.log(s) - Math.log1p(-s);
  return y ? z : -z;
}

/** The probability of the true class at each bin edge, σ(MARGIN_MIN + j·0.25), j = 0 … MARGIN_BINS. */
const P_EDGES = Float64Array.from({ length: MARGIN_BINS + 1 }, (_, j) => 1 / (1 + Math.exp(-(MARGIN_MIN + (j * (MARGIN_MAX - MARGIN_MIN)) / MARGIN_BINS))));

/** Rows counted by margin, in file order. */
export class MarginCounts {
  readonly counts = new Array<number>(MARGIN_BINS).fill(0);
  below = 0;
  above = 0;

  add(m: number): void {
    if (m < MARGIN_MIN) this.below++;
    else if (m >= MARGIN_MAX) this.above++;
    else if (m >= MARGIN_MIN) this.counts[Math.min(MARGIN_BINS - 1, Math.floor(((m - MARGIN_MIN) * MARGIN_BINS) / (MARGIN_MAX - MARGIN_MIN)))]++;
  }

  /**
   * A row given its true class's probability pt: the margin's bin found among the edges' own
   * probabilities (the margin is monotone in pt), without the two logarithms of its log-odds. A
   * pt within a rounding of an edge may fall on the other side of it than its log-odds would.
   */
  addProbability(pt: number): void {
    if (!(pt >= P_EDGES[0])) this.below++;
    else if (pt >= P_EDGES[MARGIN_BINS]) this.above++;
    else {
      let lo = 0;
      let hi = MARGIN_BINS;
      // P_EDGES[lo] ≤ pt < P_EDGES[hi]
      while (hi - lo > 1) {
        const mid = (lo + hi) >> 1;
        if (pt >= P_EDGES[mid]) lo = mid;
        else hi = mid;
      }
      this.counts[lo]++;
    }
  }

  result(): MarginHistogram {
    return { min: MARGIN_MIN, max: MARGIN_MAX, counts: this.counts, below: this.below, above: this.above };
  }
}

// ---- each loss and its pull, as functions of the margin -----------------------------------------

export type MarginLossKey = 'logLoss' | 'focal' | 'brier' | 'hinge' | 'squaredHinge';

/** σ(−m) = 1 − p_t, without overflow. */
function miss(m: number): number {
  return 1 / (1 + Math.exp(m));
}

/** The loss of one row with margin m (focal without α_t). */
export function marginLoss(key: MarginLossKey, m: number, gamma: number): number {
  switch (key) {
    case 'logLoss':
      return softplus(-m);
    case 'focal':
      return softplus(-m) * miss(m) ** gamma;
    case 'brier':
      return miss(m) ** 2;
    case 'hinge':
      return Math.max(0, 1 - m);
    case 'squaredHinge':
      return Math.max(0, 1 - m) ** 2;
  }
}

/**
 * The pull −∂ℓ/∂m of one row with margin m: log loss 1 − p_t; focal (1 − p_t)^γ·((1 − p_t) −
 * γ·p_t·log p_t); Brier 2·(1 − p_t)²·p_t; hinge 1 below margin 1, 0 above (NaN at 1, the kink);
 * squared hinge 2·max(0, 1 − m).
 */
export function marginPull(key: MarginLossKey, m: number, gamma: number): number {
  const q = miss(m);
  const p = 1 - q;
  switch (key) {
    case 'logLoss':
      return q;
    case 'focal':
      // (1 − p)^γ·(1 − p) + γ·(1 − p)^γ·p·(−log p), with −log p = softplus(−m); 0^0 = 1.
      return q ** gamma * (q + gamma * p * softplus(-m));
    case 'brier':
      return 2 * q * q * p;
    case 'hinge':
      return m < 1 ? 1 : m > 1 ? 0 : NaN;
    case 'squaredHinge':
      return 2 * Math.max(0, 1 - m);
  }
}

/** The rows of a margin histogram whose bin lies entirely below margin m (with the rows below its range). */
export function rowsBelowMargin(h: MarginHistogram, m: number): number {
  const w = (h.max - h.min) / h.counts.length;
  let n = m > h.min ? h.below : 0;
  h.counts.forEach((c, i) => {
    if (h.min + (i + 1) * w <= m) n += c;
  });
  return n;
}

/** All rows of a margin histogram. */
export function marginRows(h: MarginHistogram): number {
  return h.counts.reduce((a, b) => a + b, h.below + h.above);
}
