/**
 * The distribution-free interval of a median: the order statistics X(l) and X(n + 1 − l) (1-based)
 * cover the population median with probability 1 − 2·P(B ≤ l − 1), B ~ Binomial(n, ½), whatever
 * the (continuous) distribution. l is the largest with P(B ≤ l − 1) ≤ (1 − confidence)/2, so the
 * coverage is at least the confidence (slightly more: B is discrete).
 */
import { binomialCdf } from './distributions';

/** The 0-based ranks [l − 1, n − l] of the interval's ends, or null when n is too small for the confidence. */
export function medianRanks(n: number, confidence: number): { low: number; high: number } | null {
  const half = (1 - confidence) / 2;
  if (!(n >= 1) || binomialCdf(0, n, 0.5) > half) return null;
  // Largest l with P(B ≤ l − 1) ≤ half: P(B ≤ k) is increasing in k; find the largest k = l − 1.
  let lo = 0; // P(B ≤ lo) ≤ half
  let hi = Math.floor((n - 1) / 2) + 1; // P(B ≤ hi) > half (hi ≥ n/2 gives P ≥ ½)
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (binomialCdf(mid, n, 0.5) <= half) lo = mid;
    else hi = mid;
  }
  const l = lo + 1;
  return { low: l - 1, high: n - l };
}
