/**
 * Expected calibration error as torchmetrics defines it (BinaryCalibrationError /
 * MulticlassCalibrationError, norm l1), in float64: 15 equal-width bins (i/15, (i+1)/15], a
 * confidence of 0 in the first; ECE = Σ_bins |accuracy − confidence| · (rows in the bin / rows).
 * With sample weights, "rows" are weights. The bins are also the reliability diagram.
 */

import type { EceSums } from '../../intervals/confusion';

export const ECE_BINS = 15;

/** Bin boundaries: torch.linspace(0, 1, 16, dtype=torch.float64), as PyTorch 1.13 prints them. */
export const ECE_EDGES: readonly number[] = [
  0, 0.06666666666666667, 0.13333333333333333, 0.2, 0.26666666666666666, 0.3333333333333333, 0.4, 0.4666666666666667, 0.5333333333333333, 0.6,
  0.6666666666666666, 0.7333333333333334, 0.8, 0.8666666666666667, 0.9333333333333333, 1,
];

/** The bin of a confidence c in [0, 1]: the i with edges[i] < c ≤ edges[i + 1] (0 for c = 0). */
export function eceBin(c: number): number {
  let i = Math.ceil(c * ECE_BINS) - 1;
  if (i < 0) i = 0;
  if (i >= ECE_BINS) i = ECE_BINS - 1;
  // c·15 rounds: settle against the edges themselves.
  while (i > 0 && c <= ECE_EDGES[i]) i--;
  while (i < ECE_BINS - 1 && c > ECE_EDGES[i + 1]) i++;
  return i;
}

/**
 * Running sums per bin: weight, Σ w·confidence, Σ w·correct; and for ECE's interval
 * (intervals/confusion.ts) Σw², Σw²·x and Σw²·x² of x = correct − confidence.
 */
export class CalibrationBins {
  readonly weight = new Float64Array(ECE_BINS);
  readonly confidence = new Float64Array(ECE_BINS);
  readonly correct = new Float64Array(ECE_BINS);
  readonly w2 = new Float64Array(ECE_BINS);
  readonly w2x = new Float64Array(ECE_BINS);
  readonly w2x2 = new Float64Array(ECE_BINS);

  add(confidence: number, correct: number, w: number): void {
    const b = eceBin(confidence);
    this.weight[b] += w;
    this.confidence[b] += w * confidence;
    this.correct[b] += w * correct;
    const ww = w * w;
    const x = correct - confidence;
    this.w2[b] += ww;
    this.w2x[b] += ww * x;
    this.w2x2[b] += ww * x * x;
  }

  /** The sums of ECE's delta method. */
  eceSums(): EceSums {
    const x = this.correct.map((c, b) => c - this.confidence[b]);
    return { w: this.weight, x, w2: this.w2, w2x: this.w2x, w2x2: this.w2x2 };
  }

  /** ECE, and per bin (non-empty ones) the mean confidence, the accuracy and the weight. */
  result(): { ece: number | null; bins: { lo: number; hi: number; rows: number; confidence: number; accuracy: number }[] } {
    let total = 0;
    for (let b = 0; b < ECE_BINS; b++) total += this.weight[b];
    if (!(total > 0)) return { ece: null, bins: [] };
    let ece = 0;
    const bins = [];
    for (let b = 0; b < ECE_BINS; b++) {
      const w = this.weight[b];
      if (!(w > 0)) continue;
      const conf = this.confidence[b] / w;
      const acc = this.correct[b] / w;
      ece += Math.abs(acc - conf) * (w / total);
      bins.push({ lo: ECE_EDGES[b], hi: ECE_EDGES[b + 1], rows: w, confidence: conf, accuracy: acc });
    }
    return { ece, bins };
  }
}
