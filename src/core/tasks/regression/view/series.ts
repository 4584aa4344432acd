/** The per-row loss along the file, from the report's decimated |d| series. */
import { CURVES, CurveKey, LossParams } from '../losses';
import type { RowSeries } from '../report';
import { finiteOrNull } from './common';

export interface RowLossSeries {
  /** 1-based index (among used rows, in file order) of the first row of each point. */
  x: number[];
  /** Largest and smallest per-element loss of the rows of each point. */
  max: (number | null)[];
  min: (number | null)[];
  rowsPerPoint: number;
}

/**
 * Per-row loss of the decimated series for one loss: every loss is an increasing function of
 * |d|, so the loss of maxAbs (minAbs) is the largest (smallest) loss of the rows of the point.
 */
export function rowSeries(series: RowSeries, lossKey: CurveKey, params: LossParams): RowLossSeries {
  const def = CURVES.find((c) => c.key === lossKey) ?? CURVES[0];
  const n = Math.min(series.maxAbs.length, series.minAbs.length);
  const x: number[] = [];
  const max: (number | null)[] = [];
  const min: (number | null)[] = [];
  for (let i = 0; i < n; i++) {
    x.push(i * series.rowsPerPoint + 1);
    max.push(finiteOrNull(def.value(series.maxAbs[i], params)));
    min.push(finiteOrNull(def.value(series.minAbs[i], params)));
  }
  return { x, max, min, rowsPerPoint: series.rowsPerPoint };
}
