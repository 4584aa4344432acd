/** Residual histograms: the report's bins as bars, and the residuals of the sample binned over ±end. */
import type { Histogram, Report } from '../report';

export interface Bar {
  x0: number;
  x1: number;
  /** Centre of the bin. */
  x: number;
  count: number;
}

/** The report's histogram as bars, with adjacent bins merged so that there are at most maxBars. */
export function histogramBars(h: Histogram, maxBars = 200): Bar[] {
  const n = h.counts.length;
  if (n === 0) return [];
  const width = (h.max - h.min) / n;
  const group = Math.max(1, Math.ceil(n / Math.max(1, maxBars)));
  const bars: Bar[] = [];
  for (let i = 0; i < n; i += group) {
    const j = Math.min(n, i + group);
    let count = 0;
    for (let k = i; k < j; k++) count += h.counts[k];
    const x0 = h.min + i * width;
    const x1 = j === n ? h.max : h.min + j * width;
    bars.push({ x0, x1, x: width > 0 ? (x0 + x1) / 2 : h.min, count });
  }
  return bars;
}

export interface Density {
  bars: Bar[];
  /** Share of the counted rows per bar (sums to ≤ 1: rows beyond the range are not in a bar). */
  shares: number[];
  /** Rows the density was computed from. */
  rows: number;
  /** 'all': every used row (the sample holds them all); 'sample': a deterministic sample. */
  source: 'all' | 'sample';
}

/** Signed residuals d = prediction − target of the sample rows of one model. */
export function sampleResiduals(report: Pick<Report, 'sample'>, modelIndex: number): number[] {
  const t = report.sample.target;
  const p = report.sample.predictions[modelIndex] ?? [];
  const out: number[] = [];
  for (let i = 0; i < Math.min(t.length, p.length); i++) out.push(p[i] - t[i]);
  return out;
}

/**
 * Where the data sits on the curves: the residuals of one model binned over [−end, end]. Binned
 * from the sample, which holds every used row for files up to its size (source 'all').
 */
export function residualDensity(report: Pick<Report, 'sample' | 'rows'>, modelIndex: number, end: number, bins = 40): Density {
  const d = sampleResiduals(report, modelIndex);
  const nb = Math.max(1, Math.min(400, Math.floor(bins)));
  const width = (2 * end) / nb;
  const counts = new Array<number>(nb).fill(0);
  for (const v of d) {
    if (!(Math.abs(v) <= end)) continue;
    counts[Math.min(nb - 1, Math.floor((v + end) / width))]++;
  }
  const bars = counts.map((count, i) => {
    const x0 = -end + i * width;
    return { x0, x1: x0 + width, x: x0 + width / 2, count };
  });
  return {
    bars,
    shares: counts.map((c) => (d.length > 0 ? c / d.length : 0)),
    rows: d.length,
    source: d.length >= report.rows.used ? 'all' : 'sample',
  };
}
