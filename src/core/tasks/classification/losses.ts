/**
 * Per-row losses of a binary classifier, with the reference libraries' operation order:
 * scikit-learn 1.2 (log_loss, brier_score_loss, hinge_loss), PyTorch 1.13
 * (binary_cross_entropy, binary_cross_entropy_with_logits) and torchvision (sigmoid_focal_loss).
 * Pure and allocation-free: each writes into a caller's Float64Array.
 */

/** scikit-learn's clipping ε for float64 probabilities (np.finfo(np.float64).eps). */
export const LOG_LOSS_EPS = 2.220446049250313e-16;

export interface BinaryParams {
  /** Positive when the probability is ≥ threshold (on logits: the logit ≥ logit(threshold)). */
  threshold: number;
  /** Focal loss γ ≥ 0. */
  gamma: number;
  /** Focal loss α; < 0 disables the α weighting (torchvision). */
  alpha: number;
}

export const DEFAULT_BINARY_PARAMS: BinaryParams = { threshold: 0.5, gamma: 2, alpha: 0.25 };

/** Slots of the per-row terms (BINARY_TERMS order). */
export const BINARY_TERMS = ['logLoss', 'bce', 'focal', 'brier', 'hinge'] as const;
export type BinaryTerm = (typeof BINARY_TERMS)[number];
export const T_LOG = 0;
export const T_BCE = 1;
export const T_FOCAL = 2;
export const T_BRIER = 3;
export const T_HINGE = 4;

/** torch.sigmoid in float64. */
export function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

/** log(1 + e^x) without overflow. */
export function softplus(x: number): number {
  return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
}

/**
 * The row's losses from a probability p of the positive class (y = 1 or 0) into out[0…4]; the
 * hinge loss is NaN (undefined on probabilities).
 */
export function probabilityTerms(p: number, y: number, q: BinaryParams, out: Float64Array): void {
  // log_loss: clip, the two columns [1 − p, p], renormalised by their sum.
  const p1 = p < LOG_LOSS_EPS ? LOG_LOSS_EPS : p > 1 - LOG_LOSS_EPS ? 1 - LOG_LOSS_EPS : p;
  const p0 = 1 - p1;
  const sum = p0 + p1;
  const ll = -Math.log((y ? p1 : p0) / sum);
  out[T_LOG] = ll;
  // binary_cross_entropy: each log clamped at −100 (log(1 − p), not log1p, as ATen). When p was not
  // clipped and the two columns add up to exactly 1, that log is the log loss's own, to the bit
  // (x / 1 is x; p1 is p, p0 is 1 − p): one logarithm per row instead of two.
  const ce = p1 === p && sum === 1 ? (ll < 100 ? ll : 100) : y ? -Math.max(Math.log(p), -100) : -Math.max(Math.log(1 - p), -100);
  out[T_BCE] = ce;
  out[T_FOCAL] = focal(ce, p, y, q);
  out[T_BRIER] = (y - p) * (y - p);
  out[T_HINGE] = NaN;
}

/** The row's losses from a logit (decision value) z into out[0…4]. */
export function logitTerms(z: number, y: number, q: BinaryParams, out: Float64Array): void {
  // log-sigmoid: −log σ(z) = softplus(−z); −log(1 − σ(z)) = softplus(z).
  out[T_LOG] = y ? softplus(-z) : softplus(z);
  // ATen's binary_cross_entropy_with_logits: (1 − y)·z + m + log(e^−m + e^(−z−m)), m = max(−z, 0).
  const m = -z > 0 ? -z : 0;
  const ce = (1 - y) * z + m + Math.log(Math.exp(-m) + Math.exp(-z - m));
  out[T_BCE] = ce;
  const p = sigmoid(z);
  out[T_FOCAL] = focal(ce, p, y, q);
  out[T_BRIER] = (y - p) * (y - p);
  // hinge_loss: labels as ±1, max(0, 1 − y±·z).
  const h = 1 - (y ? z : -z);
  out[T_HINGE] = h > 0 ? h : 0;
}

/** torchvision's sigmoid_focal_loss of one element, from its cross-entropy `ce` and p = σ(logit). */
function focal(ce: number, p: number, y: number, q: BinaryParams): number {
  const pt = p * y + (1 - p) * (1 - y);
  // γ = 2 (the default) as a product: Math.pow(x, 2) is x·x to the bit, at the cost of a call.
  const miss = 1 - pt;
  let loss = ce * (q.gamma === 2 ? miss * miss : miss ** q.gamma);
  if (q.alpha >= 0) loss *= q.alpha * y + (1 - q.alpha) * (1 - y);
  return loss;
}

/** The decision threshold on the score's scale: T on probabilities, log(T / (1 − T)) on logits. */
export function scoreThreshold(threshold: number, logits: boolean): number {
  return logits ? Math.log(threshold / (1 - threshold)) : threshold;
}
