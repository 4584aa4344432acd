/**
 * Quantile sets per group (#16 item 5): each group's pinball loss at every level of each set,
 * from the ranges' per-group sums (exact sums, merged by label in file order: the same bits for
 * any number of threads), as `groups.groups[].quantiles` — per model, null without a set, else
 * the levels' means in `models[].quantiles` order.
 */
import { ExactSum } from '../../exactSum';
import type { QuantileLayout, QuantilePart } from './quantileSet';
import type { GroupsReport } from './report';

export function quantileGroups(layout: QuantileLayout, parts: readonly (QuantilePart | undefined)[], groups: GroupsReport, nModels: number): void {
  const byLabel = new Map<string, ExactSum[]>();
  for (const p of parts) {
    for (const g of p?.groups ?? []) {
      let into = byLabel.get(g.label);
      if (!into) byLabel.set(g.label, (into = g.sums.map(() => new ExactSum())));
      g.sums.forEach((x, k) => into[k].merge(x));
    }
  }
  // The first level of each set in the flat per-group order (QuantileAcc's).
  const first: number[] = [];
  let n = 0;
  for (const set of layout.sets) {
    first.push(n);
    n += set.at.length;
  }
  for (const g of groups.groups) {
    const sums = byLabel.get(g.value);
    const out: ((number | null)[] | null)[] = new Array<(number | null)[] | null>(nModels).fill(null);
    layout.sets.forEach((set, k) => {
      out[set.model] = set.at.map((_, j) => {
        const v = sums && g.weight > 0 ? sums[first[k] + j].value() / g.weight : NaN;
        return Number.isFinite(v) ? v : null;
      });
    });
    g.quantiles = out;
  }
}
