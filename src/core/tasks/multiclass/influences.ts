/**
 * Per-row influences of the multiclass macro ROC AUC and macro AP (one vs rest, each class
 * unweighted in the average): the sum over the classes of each class's influence / k
 * (intervals/rankInfluence.ts). A row is a positive of its own class and a negative of every
 * other, so the classes' AUCs are correlated; adding the influences per row before squaring
 * keeps those correlations in the variance.
 */
import { addRankInfluences, RankScratch } from '../../intervals/rankInfluence';
import { rankingOfCounts, type RankingResult } from '../classification/ranking';

/**
 * `probs` n×k row-major (probabilities, or the softmax of logits), `y` the class of each row.
 * Also each class's ranking metrics, from the same grouping of its scores. Null when a class has
 * no row or every row.
 */
export function macroRankInfluences(probs: Float64Array, y: Int32Array, k: number, w: Float64Array | null): { auc: Float64Array; ap: Float64Array; ranked: RankingResult[] } | null {
  const n = y.length;
  const auc = new Float64Array(n);
  const ap = new Float64Array(n);
  const col = new Float64Array(n);
  const pos = new Uint8Array(n);
  const ranked: RankingResult[] = [];
  const scratch = new RankScratch();
  for (let c = 0; c < k; c++) {
    for (let i = 0; i < n; i++) {
      col[i] = probs[i * k + c];
      pos[i] = y[i] === c ? 1 : 0;
    }
    const v = addRankInfluences(col, pos, w, 1 / k, auc, ap, scratch);
    if (!v) return null;
    ranked.push(rankingOfCounts(v.pos, v.neg, v.pos.length));
  }
  return { auc, ap, ranked };
}
