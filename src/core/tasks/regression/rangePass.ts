/**
 * The regression family's pass over each range's stored residuals once the scan is done (#20
 * item 4; LossFamily.passPlan/passRange): pass B of every model (passB.ts), planned from the
 * merged key counts and run where each range was scanned. The same plan is made again by the
 * report builder, which runs the pass itself for a part that comes without it (one thread, the
 * calling thread's ranges, a comparison's joined rows).
 */
import { medianRanks } from '../../intervals/median';
import type { RangeResult } from './parts';
import { rangeStats, StatsPlan } from './passB';
import type { ResidualKeys } from './residualKeys';
import { statsPlan } from './residualStats';
import type { LossParams } from './losses';

/** Points of the per-row series at most (the webview draws ≤ 2000 points a series). */
export const SERIES_POINTS = 2000;

/** What the pass needs, per model, and the first used row of every range (plain data: sent to the scan workers). */
export interface RegressionPassPlan {
  models: StatsPlan[];
  firstRows: number[];
  /** The median interval's ranks of |d|, asked of every model's pass (empty: none). */
  extraRanks: number[];
}

export interface PassSettings {
  bins: number;
  params: LossParams;
  weighted: boolean;
  /** The intervals' confidence (0: off). */
  confidence: number;
}

/** The plan from every range's used rows (file order) and the merged key counts; null without rows. */
export function regressionPassPlan(used: number[], keys: ResidualKeys, s: PassSettings): RegressionPassPlan | null {
  let n = 0;
  const firstRows = used.map((u) => {
    const f = n;
    n += u;
    return f;
  });
  if (n === 0) return null;
  // The median's interval: two more ranks of |d| (unweighted: the weighted median has none yet).
  const mRanks = s.confidence > 0 && !s.weighted ? medianRanks(n, s.confidence) : null;
  const extraRanks = mRanks ? [mRanks.low, mRanks.high] : [];
  const models = keys.hists.map((hist, m) => statsPlan({ hist, min: keys.min[m], max: keys.max[m] }, n, s.bins, SERIES_POINTS, s.params, s.weighted, extraRanks));
  return { models, firstRows, extraRanks };
}

/** Runs the plan's pass over range `index` (its part), into `part.stats`. */
export function runRangePass(plan: RegressionPassPlan, part: RangeResult, index: number): RangeResult {
  part.stats = plan.models.map((p, m) => rangeStats(p, part.models[m].residuals, p.weighted ? part.weights : null, plan.firstRows[index], part.blockRows));
  return part;
}
