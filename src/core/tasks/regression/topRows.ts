/**
 * The k rows with the largest value of one loss in a range (#16 item 5: the worst rows by the
 * Gaussian NLL, the CRPS and each quantile level's pinball loss), as a bounded heap whose root is
 * the least bad row kept. Rows arrive in file order, so a tie goes to the earlier line: a row
 * only enters a full heap when its loss is strictly larger than the root's (`cut`). Merging the
 * ranges' lists (mergeLossRows) gives a plain sort of the whole file's rows by that loss, ties to
 * the earlier line, whatever the number of threads. Pure.
 */
import type { LossRow } from './parts';

/** Doubles per kept row: line, target, prediction, loss, extra (σ for the spread's losses, else 0). */
const W = 5;

export class TopRows {
  private readonly w: Float64Array;
  private n = 0;
  /** The loss a row must exceed to be kept: −∞ until k rows are kept, then the root's. */
  cut = -Infinity;

  constructor(private readonly k: number) {
    this.w = new Float64Array(W * Math.max(0, k));
    if (k <= 0) this.cut = Infinity;
  }

  /** Offers a row; `line` must not decrease from one call to the next (file order). */
  push(line: number, target: number, prediction: number, loss: number, extra = 0): void {
    if (!(loss > this.cut)) return; // NaN, or not worse than the least bad row kept
    const w = this.w;
    const k = this.k;
    let i: number;
    if (this.n < k) {
      // Sift up: a parent is less bad when its loss is smaller, or equal and its line later.
      i = this.n++;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        const pl = w[W * parent + 3];
        if (!(loss < pl || (loss === pl && line > w[W * parent]))) break;
        w.copyWithin(W * i, W * parent, W * parent + W);
        i = parent;
      }
    } else {
      // Replace the root and sift down towards the less bad child.
      i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= k) break;
        const r = l + 1;
        let ch = l;
        if (r < k && lessBad(w, r, l)) ch = r;
        const cl = w[W * ch + 3];
        if (!(cl < loss || (cl === loss && w[W * ch] > line))) break;
        w.copyWithin(W * i, W * ch, W * ch + W);
        i = ch;
      }
    }
    w[W * i] = line;
    w[W * i + 1] = target;
    w[W * i + 2] = prediction;
    w[W * i + 3] = loss;
    w[W * i + 4] = extra;
    if (this.n === k) this.cut = w[3];
  }

  /** The kept rows, worst first (largest loss, then the earlier line); `shift` is added to the lines. */
  rows(shift = 0, withExtra = false): LossRow[] {
    const w = this.w;
    const out: LossRow[] = [];
    for (let j = 0; j < this.n; j++) {
      const r: LossRow = { line: w[W * j] + shift, target: w[W * j + 1], prediction: w[W * j + 2], loss: w[W * j + 3] };
      if (withExtra) r.sigma = w[W * j + 4];
      out.push(r);
    }
    return out.sort(byLoss);
  }
}

/** Whether kept row a is less bad than kept row b: a smaller loss, or equal and a later line. */
function lessBad(w: Float64Array, a: number, b: number): boolean {
  const la = w[W * a + 3];
  const lb = w[W * b + 3];
  return la < lb || (la === lb && w[W * a] > w[W * b]);
}

/** Worst first: the larger loss, then the earlier line. */
export function byLoss(a: LossRow, b: LossRow): number {
  return b.loss - a.loss || a.line - b.line;
}

/** The ranges' lists (lines already in the file's numbering) merged into the file's k worst. */
export function mergeLossRows(lists: readonly (readonly LossRow[])[], k: number): LossRow[] {
  return lists.flat().sort(byLoss).slice(0, Math.max(0, k));
}
