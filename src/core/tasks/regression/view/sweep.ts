/** The β / δ sweep: smooth L1 and Huber of the data over the report's grid of thresholds. */
import type { ParamSweep } from '../report';
import { finiteOrNull, XY } from './common';

export interface SweepPoint {
  index: number;
  /** The grid value (β for smooth L1, δ for Huber). */
  value: number;
  smoothL1: number;
  huber: number;
  quadraticShare: number;
}

/** Index of the grid value nearest to beta on a log scale (β ≤ 0 gives the smallest value). */
export function sweepIndex(sweep: Pick<ParamSweep, 'values'>, beta: number): number {
  const v = sweep.values;
  if (v.length === 0) return -1;
  if (!(beta > 0)) return 0;
  const lb = Math.log(beta);
  let best = 0;
  for (let i = 1; i < v.length; i++) {
    if (Math.abs(Math.log(v[i]) - lb) < Math.abs(Math.log(v[best]) - lb)) best = i;
  }
  return best;
}

/** The sweep at the grid value nearest to beta (exactly that value when beta is on the grid). */
export function sweepAt(sweep: ParamSweep, beta: number): SweepPoint | undefined {
  const i = sweepIndex(sweep, beta);
  if (i < 0) return undefined;
  return { index: i, value: sweep.values[i], smoothL1: sweep.smoothL1[i], huber: sweep.huber[i], quadraticShare: sweep.quadraticShare[i] };
}

/** smooth L1 (against β) and Huber (against δ) of the data, for the "choosing β" chart. */
export function sweepSeries(sweep: ParamSweep): { smoothL1: XY[]; huber: XY[] } {
  const n = Math.min(sweep.values.length, sweep.smoothL1.length, sweep.huber.length);
  const smoothL1: XY[] = [];
  const huber: XY[] = [];
  for (let i = 0; i < n; i++) {
    smoothL1.push({ x: sweep.values[i], y: finiteOrNull(sweep.smoothL1[i]) });
    huber.push({ x: sweep.values[i], y: finiteOrNull(sweep.huber[i]) });
  }
  return { smoothL1, huber };
}
