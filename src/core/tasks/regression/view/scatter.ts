/** Predicted against target for the sample rows, with a view that wild predictions do not squash. */
import type { Report } from '../report';
import { quantileSorted } from './common';

export interface ScatterPoint {
  x: number;
  y: number;
  line: number;
}

export interface ScatterData {
  points: ScatterPoint[];
  /**
   * Common axis range of target and prediction: the y = x line runs from (lo, lo) to (hi, hi).
   * It covers every target and every prediction, unless a few wild predictions would squash the
   * rest: then it covers the targets and the central 99% of the predictions.
   */
  lo: number;
  hi: number;
  /** Points outside [lo, hi] (not visible on the chart). */
  outside: number;
}

/** Predicted (y) against target (x) for the sample rows of one model, at most maxPoints. */
export function scatter(report: Pick<Report, 'sample'>, modelIndex: number, maxPoints = 2000): ScatterData {
  const { target, lines } = report.sample;
  const pred = report.sample.predictions[modelIndex] ?? [];
  const n = Math.min(target.length, pred.length);
  const stride = Math.max(1, Math.ceil(n / Math.max(1, maxPoints)));
  const points: ScatterPoint[] = [];
  for (let i = 0; i < n; i += stride) {
    const x = target[i];
    const y = pred[i];
    if (Number.isFinite(x) && Number.isFinite(y)) points.push({ x, y, line: lines[i] });
  }
  if (points.length === 0) return { points, lo: 0, hi: 1, outside: 0 };
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y).sort((a, b) => a - b);
  let lo = Math.min(...xs, ys[0]);
  let hi = Math.max(...xs, ys[ys.length - 1]);
  const coreLo = Math.min(...xs, quantileSorted(ys, 0.005));
  const coreHi = Math.max(...xs, quantileSorted(ys, 0.995));
  if (hi - lo > 1.5 * (coreHi - coreLo) && coreHi > coreLo) {
    const pad = 0.05 * (coreHi - coreLo);
    lo = coreLo - pad;
    hi = coreHi + pad;
  }
  if (lo === hi) {
    lo -= 1;
    hi += 1;
  }
  const outside = points.filter((p) => p.y < lo || p.y > hi).length;
  return { points, lo, hi, outside };
}
