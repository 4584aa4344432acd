/**
 * How much the worst rows weigh in each pinball level of a quantile set (#16 item 5): per level,
 * the share of Σw·pinball carried by the worst 1% and 10% of rows ranked by that level's pinball
 * loss (lossShares.ts), and the level's mean over the other rows. After the scan, from the stored
 * targets and each level's values: a level that is a prediction of the file (the set's median as
 * its model) reads that model's stored residuals, the others the values QuantileAcc kept (8
 * bytes a row per such level). In file order on the calling thread: the same for any threads.
 */
import { lossShares, ShareScratch, worstRows } from './lossShares';
import type { QuantileLayout, QuantilePart } from './quantileSet';

/** The worst rows' part of every level, in the order of the model's `quantiles`. */
export interface QuantileShareCut {
  /** Rows in this group: ⌈fraction·n⌉. */
  rows: number;
  /** Per level: the share of its Σw·pinball carried by the group's rows (0…1); null when its total is 0 or not finite. */
  share: (number | null)[];
  /** Per level: its pinball loss's (weighted) mean over the other rows; null when none is left. */
  without: (number | null)[];
}

export interface QuantileRobustness {
  worst1: QuantileShareCut;
  worst10: QuantileShareCut;
}

/** What the scan stored, in file order: the targets, each model's residuals and the weights (null without). */
export interface StoredRows {
  targets: readonly Float64Array[];
  residuals: readonly (readonly Float64Array[])[];
  weights: readonly Float64Array[] | null;
}

/** Each set's shares, by the model it belongs to. */
export function quantileShares(layout: QuantileLayout, parts: readonly (QuantilePart | undefined)[], stored: StoredRows): Map<number, QuantileRobustness> {
  const extra = layout.extra.map((_, e) => parts.flatMap((p) => p?.rows[e] ?? []));
  let n = 0;
  for (const c of stored.targets) n += c.length;
  const loss = new Float64Array(n);
  const scratch = new ShareScratch();
  const out = new Map<number, QuantileRobustness>();
  for (const set of layout.sets) {
    const cuts = worstRows(n).map((rows): QuantileShareCut => ({ rows, share: [], without: [] }));
    set.at.forEach((at, j) => {
      const q = set.q[j];
      // d = prediction − target, as the scan's: the stored residual, or the stored value minus the target.
      const fromResidual = at < layout.base;
      const chunks = fromResidual ? stored.residuals[at - 1] : extra[at - layout.base];
      let i = 0;
      for (let c = 0; c < stored.targets.length; c++) {
        const t = stored.targets[c];
        const v = chunks[c];
        if (!v || v.length !== t.length) throw new Error('quantile values and targets are not aligned');
        for (let r = 0; r < t.length; r++) {
          const d = fromResidual ? v[r] : v[r] - t[r];
          // As QuantileAcc.row (scikit-learn's mean_pinball_loss): q·(y − p) above, (1 − q)·(p − y) below.
          loss[i++] = d <= 0 ? -q * d : (1 - q) * d;
        }
      }
      lossShares(loss, stored.weights, scratch).forEach((cut, g) => {
        cuts[g].share.push(cut.share);
        cuts[g].without.push(cut.without);
      });
    });
    out.set(set.model, { worst1: cuts[0], worst10: cuts[1] });
  }
  return out;
}
