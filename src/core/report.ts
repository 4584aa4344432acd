import { bottomK, KEY_BITS, KEY_SHIFT, RangeResult, ResidualKeys, SAMPLE_SIZE, SUM_KEYS, SumKey, TargetBlock, targetSumSquares, WorstRow } from './accumulate';
import { LossInspectorError, quoteName } from './errors';
import { ExactSum } from './exactSum';
import { GroupPart, MAX_GROUPS } from './groups';
import { huber, logCosh, logCoshTo, LossParams, MetricKey, smoothL1 } from './losses';
import { SkipReason, SKIP_REASONS } from './scanTypes';

export type FileFormat = 'csv' | 'tsv' | 'json' | 'jsonl';

/** Metric values; null when undefined for the data (R² of a constant target) or not finite. */
export type Metrics = Record<MetricKey, number | null>;

export interface Histogram {
  /** Equal-width bins over [min, max] of the signed residual d. */
  min: number;
  max: number;
  counts: number[];
}

export interface RowSeries {
  /** Used rows per point; point i covers used rows [i·rowsPerPoint, (i+1)·rowsPerPoint). */
  rowsPerPoint: number;
  minAbs: number[];
  maxAbs: number[];
}

/**
 * smooth L1 and Huber of the data as functions of β (δ) over a log grid, and the share of rows
 * in the quadratic zone (|d| < β). For the β slider and the "choosing β" chart.
 */
export interface ParamSweep {
  values: number[];
  smoothL1: number[];
  huber: number[];
  quadraticShare: number[];
}

/** Losses whose per-row value is a function of |d| (robustness and gradients are given for these). */
export type RowLossKey = 'l1' | 'l2' | 'smoothL1' | 'huber' | 'logCosh';
export const ROW_LOSSES: readonly RowLossKey[] = ['l1', 'l2', 'smoothL1', 'huber', 'logCosh'];

/** How much of each loss the worst rows (by |d|) carry, and each loss without them. */
export interface WorstShare {
  /** Rows in this group: ⌈fraction·n⌉. */
  rows: number;
  /** |d| of the smallest row in the group. */
  threshold: number;
  /** Share of each loss's total contributed by these rows (0…1). */
  share: Record<RowLossKey, number | null>;
  /** Mean of each loss over the other rows (null when no row is left). */
  without: Record<RowLossKey, number | null>;
}

/** Gradient magnitude of each loss w.r.t. the prediction, over the rows: L2 2|d|, L1 1 (0 at d = 0), smooth L1 min(|d|/β, 1), Huber min(|d|, δ), log-cosh |tanh d|. */
export interface GradientStats {
  median: number;
  p99: number;
  max: number;
  /** max / median; null when the median gradient is 0. */
  ratio: number | null;
}

export interface ModelReport {
  prediction: string;
  metrics: Metrics;
  worst: WorstRow[];
  absQuantiles: { p50: number; p90: number; p99: number; max: number };
  histogram: Histogram;
  series: RowSeries;
  sweep: ParamSweep;
  /** |d| on a log scale: counts of |d| in [edges[i], edges[i+1]); `below` counts |d| < edges[0] (zeros included). */
  absLogHistogram: { edges: number[]; counts: number[]; below: number };
  robustness: { worst1: WorstShare; worst10: WorstShare };
  /** Absent when a gradient overflows double precision (|d| above ~9e307). */
  gradients?: Record<RowLossKey, GradientStats>;
}

export interface RowsSummary {
  total: number;
  used: number;
  skipped: number;
  skippedByReason: Partial<Record<SkipReason, number>>;
  firstSkippedLines: Partial<Record<SkipReason, number[]>>;
}

/** One value of the group-by column. */
export interface GroupReport {
  /** The value as text: a CSV field unquoted, a JSON string decoded, other JSON values as written; '' when empty or missing. */
  value: string;
  /** Rows used in this group. */
  rows: number;
  /** Σ weight of those rows (equal to `rows` without a weight column). */
  weight: number;
  /** Per model, in `models` order: every metric as for the whole file, except medianAE (null: medians are not kept per group). */
  metrics: Metrics[];
}

export interface GroupsReport {
  column: string;
  /** Most rows first, then by value. Empty when the column has more than `limit` distinct values. */
  groups: GroupReport[];
  /** Number of distinct values, or null when there are more than `limit`. */
  distinct: number | null;
  limit: number;
}

/** The JSON contract printed by `--json` and consumed by the extension. Keep it stable. */
export interface Report {
  version: 1;
  file: string;
  format: FileFormat;
  target: string;
  /** The sample-weight column (every mean is then weighted, as scikit-learn's sample_weight), or null. */
  weight: string | null;
  columns: string[];
  params: LossParams;
  rows: RowsSummary;
  models: ModelReport[];
  /** A deterministic sample (≤ 2000 rows) for the predicted-vs-target scatter. */
  sample: { lines: number[]; target: number[]; predictions: number[][] };
  /** Every metric per value of the group-by column; null without one. */
  groups: GroupsReport | null;
  warnings: string[];
}

export interface ReportMeta {
  file: string;
  format: FileFormat;
  columns: string[];
  target: string;
  predictions: string[];
  weight?: string;
  groupBy?: string;
  params: LossParams;
  topK: number;
  bins: number;
  /** 1-based line of the first byte of the first range (after the header). */
  firstLine?: number;
  /** Points per row series (decimation target). */
  seriesPoints?: number;
}

/** Merges range results (in file order) and the threads' |d| key counts into the report. */
export function buildReport(parts: RangeResult[], meta: ReportMeta, keys: ResidualKeys): Report {
  const nModels = meta.predictions.length;
  let total = 0;
  let used = 0;
  const skipped = {} as Record<SkipReason, number>;
  const firstSkipped = {} as Record<SkipReason, number[]>;
  for (const r of SKIP_REASONS) {
    skipped[r] = 0;
    firstSkipped[r] = [];
  }
  const targetBlocks: TargetBlock[] = [];
  const weightSum = new ExactSum();
  const weights: Float64Array[] = [];
  const sums = Array.from({ length: nModels }, () => {
    const o = {} as Record<SumKey, ExactSum>;
    for (const k of SUM_KEYS) o[k] = new ExactSum();
    return o;
  });
  const maxAbs = new Array<number>(nModels).fill(0);
  const worst: WorstRow[][] = Array.from({ length: nModels }, () => []);
  const residuals: Float64Array[][] = Array.from({ length: nModels }, () => []);
  let sample: { line: number; hash: number; offset: number; values: number[] }[] = [];
  const groupParts = new Map<string, GroupPart[]>();
  let groupOverflow = false;

  let base = meta.firstLine ?? 1;
  for (const part of parts) {
    const shift = base - 1;
    total += part.total;
    used += part.used;
    for (const r of SKIP_REASONS) {
      skipped[r] += part.skipped[r];
      for (const l of part.firstSkipped[r]) if (firstSkipped[r].length < 10) firstSkipped[r].push(l + shift);
    }
    targetBlocks.push(...part.targetBlocks);
    weightSum.merge(part.weightSum);
    weights.push(...part.weights);
    part.models.forEach((m, i) => {
      for (const k of SUM_KEYS) sums[i][k].merge(m.sums[k]);
      if (m.maxAbs > maxAbs[i] || Number.isNaN(m.maxAbs)) maxAbs[i] = m.maxAbs;
      for (const w of m.worst) worst[i].push({ ...w, line: w.line + shift });
      residuals[i].push(...m.residuals);
    });
    for (const s of part.sample) sample.push({ ...s, line: s.line + shift });
    if (part.groups) {
      groupOverflow ||= part.groups.overflow;
      for (const g of part.groups.parts) {
        if (g.rows === 0) continue;
        const list = groupParts.get(g.label);
        if (list) list.push(g);
        else groupParts.set(g.label, [g]);
      }
    }
    base += part.newlines;
  }
  if (used === 0) {
    const why = SKIP_REASONS.filter((r) => skipped[r] > 0)
      .map((r) => `${skipped[r]} with ${reasonPhrase(r)} (first at line ${firstSkipped[r][0]})`)
      .join('; ');
    throw new LossInspectorError(
      'noUsableRows',
      total === 0
        ? `'${meta.file}' has a header but no data rows.`
        : `'${meta.file}' has no usable rows: all ${total} rows were skipped (${why}).`,
      { file: meta.file },
    );
  }
  sample = bottomK(sample as never, SAMPLE_SIZE) as typeof sample;
  sample.sort((a, b) => a.offset - b.offset);

  const warnings: string[] = [];
  const ssTarget = targetSumSquares(targetBlocks).m2;
  const weighted = meta.weight !== undefined;
  // Means divide by Σw (the row count without weights: a sum of ones, exact).
  const W = weightSum.value();
  if (weighted && !(W > 0)) {
    throw new LossInspectorError('noUsableRows', `The weights in column ${quoteName(meta.weight ?? '')} of '${meta.file}' add up to 0, so no weighted mean exists.`, { file: meta.file });
  }
  const models: ModelReport[] = meta.predictions.map((prediction, i) => {
    const s = sums[i];
    const n = W;
    const l1 = s.abs.value();
    const l2 = s.sq.value();
    // With weights, the sweep and the robustness shares are weighted like the metrics; the
    // quantiles, histograms and gradient statistics count rows.
    const stats = residualStats(
      residuals[i],
      { hist: keys.hists[i], min: keys.min[i], max: keys.max[i] },
      used,
      meta.bins,
      meta.seriesPoints ?? 2000,
      meta.params,
      { l1, l2, smoothL1: s.smoothL1.value(), huber: s.huber.value(), logCosh: s.logCosh.value() },
      weighted ? { chunks: weights, total: W } : null,
    );
    const metrics = metricsFromSums(
      SUM_KEYS.map((k) => s[k].value()),
      n,
      maxAbs[i],
      ssTarget,
      weighted ? weightedMedianAbs(residuals[i], weights, W) : stats.p50,
    );
    for (const k of Object.keys(metrics) as MetricKey[]) {
      const v = metrics[k];
      if (v !== null && !Number.isFinite(v)) {
        metrics[k] = null;
        warnings.push(
          `${k} of ${quoteName(prediction)} is not a finite number in double precision (the largest |d| is ${maxAbs[i]}); it is reported as null.`,
        );
      }
    }
    const w = worst[i].sort((a, b) => Math.abs(b.residual) - Math.abs(a.residual) || a.line - b.line).slice(0, meta.topK);
    return {
      prediction,
      metrics,
      worst: w,
      absQuantiles: { p50: stats.p50, p90: stats.p90, p99: stats.p99, max: maxAbs[i] },
      histogram: stats.histogram,
      series: stats.series,
      sweep: stats.sweep,
      absLogHistogram: stats.absLogHistogram,
      robustness: stats.robustness,
      ...(stats.gradients ? { gradients: stats.gradients } : {}),
    };
  });
  if (ssTarget === 0) warnings.push(`The target ${quoteName(meta.target)} is constant, so R² is undefined (reported as null).`);
  else if (!Number.isFinite(ssTarget)) warnings.push(`Σ(target − mean)² of ${quoteName(meta.target)} overflows double precision, so R² is reported as null.`);
  let groups: GroupsReport | null = null;
  if (meta.groupBy !== undefined) {
    groups = mergeGroups(meta.groupBy, groupParts, groupOverflow, nModels);
    if (groups.distinct === null) {
      warnings.push(`The group-by column ${quoteName(meta.groupBy)} has more than ${MAX_GROUPS} distinct values, so no groups are reported (group by a categorical column).`);
    }
  }

  const skippedByReason: Partial<Record<SkipReason, number>> = {};
  const firstSkippedLines: Partial<Record<SkipReason, number[]>> = {};
  for (const r of SKIP_REASONS) {
    if (skipped[r] > 0) {
      skippedByReason[r] = skipped[r];
      firstSkippedLines[r] = firstSkipped[r];
    }
  }
  return {
    version: 1,
    file: meta.file,
    format: meta.format,
    target: meta.target,
    weight: meta.weight ?? null,
    columns: meta.columns,
    params: { ...meta.params, quantile: meta.params.quantile ?? 0.5 },
    rows: { total, used, skipped: total - used, skippedByReason, firstSkippedLines },
    models,
    sample: {
      lines: sample.map((s) => s.line),
      target: sample.map((s) => s.values[0]),
      predictions: meta.predictions.map((_, i) => sample.map((s) => s.values[i + 1])),
    },
    groups,
    warnings,
  };
}

/**
 * The metrics from a model's sums (in SUM_KEYS order) over total weight n. R² needs the target's
 * Σ(t − mean)²; the median comes from elsewhere (null when not kept).
 */
function metricsFromSums(v: number[], n: number, maxAbs: number, ssTarget: number, medianAE: number | null): Metrics {
  const [l1, l2, d, sl1, hub, lc, ape, sape, pin] = v;
  return {
    l1,
    l2,
    mae: l1 / n,
    mse: l2 / n,
    rmse: Math.sqrt(l2 / n),
    smoothL1: sl1 / n,
    huber: hub / n,
    logCosh: lc / n,
    meanError: d / n,
    maxError: maxAbs,
    medianAE,
    r2: ssTarget > 0 && Number.isFinite(ssTarget) ? 1 - l2 / ssTarget : null,
    mape: ape / n,
    smape: sape / n,
    pinball: pin / n,
  };
}

/** Merges each label's parts (in file order: their target blocks concatenate in file order). */
function mergeGroups(column: string, byLabel: Map<string, GroupPart[]>, overflow: boolean, nModels: number): GroupsReport {
  if (overflow || byLabel.size > MAX_GROUPS) return { column, groups: [], distinct: null, limit: MAX_GROUPS };
  const groups: GroupReport[] = [];
  for (const [value, parts] of byLabel) {
    let rows = 0;
    const weight = new ExactSum();
    const blocks: TargetBlock[] = [];
    const sums = Array.from({ length: nModels }, () => SUM_KEYS.map(() => new ExactSum()));
    const maxAbs = new Array<number>(nModels).fill(0);
    for (const p of parts) {
      rows += p.rows;
      weight.merge(p.weightSum);
      blocks.push(...p.targetBlocks);
      for (let m = 0; m < nModels; m++) {
        p.sums[m].forEach((x, k) => sums[m][k].merge(x));
        if (p.maxAbs[m] > maxAbs[m] || Number.isNaN(p.maxAbs[m])) maxAbs[m] = p.maxAbs[m];
      }
    }
    const W = weight.value();
    const ss = targetSumSquares(blocks).m2;
    const metrics = sums.map((ms, m) => {
      const out = metricsFromSums(
        ms.map((x) => x.value()),
        W,
        maxAbs[m],
        ss,
        null,
      );
      for (const k of Object.keys(out) as MetricKey[]) {
        const x = out[k];
        if (x !== null && !Number.isFinite(x)) out[k] = null;
      }
      return out;
    });
    groups.push({ value, rows, weight: W, metrics });
  }
  groups.sort((a, b) => b.rows - a.rows || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
  return { column, groups, distinct: groups.length, limit: MAX_GROUPS };
}

function reasonPhrase(r: SkipReason): string {
  switch (r) {
    case 'empty':
      return 'an empty value';
    case 'na':
      return 'a missing-value marker';
    case 'nonNumeric':
      return 'text that is not a number';
    case 'infinite':
      return 'an infinite value';
    case 'missingField':
      return 'a missing column';
    case 'negativeWeight':
      return 'a negative sample weight';
    case 'extraField':
      return 'more fields than the header';
  }
}

interface ResidualStats {
  p50: number;
  p90: number;
  p99: number;
  histogram: Histogram;
  series: RowSeries;
  sweep: ParamSweep;
  absLogHistogram: { edges: number[]; counts: number[]; below: number };
  robustness: { worst1: WorstShare; worst10: WorstShare };
  gradients?: Record<RowLossKey, GradientStats>;
}

/** Per-row loss of each RowLossKey as a function of |d| (all are non-decreasing in |d|). */
export function rowLoss(key: RowLossKey, z: number, p: LossParams): number {
  switch (key) {
    case 'l1':
      return z;
    case 'l2':
      return z * z;
    case 'smoothL1':
      return smoothL1(z, p.beta);
    case 'huber':
      return huber(z, p.delta);
    case 'logCosh':
      return logCosh(z);
  }
}

/** Gradient magnitude of each RowLossKey at |d| = z (non-decreasing in z). */
export function gradMagnitude(key: RowLossKey, z: number, p: LossParams): number {
  switch (key) {
    case 'l1':
      return z === 0 ? 0 : 1;
    case 'l2':
      return 2 * z;
    case 'smoothL1':
      return p.beta === 0 ? (z === 0 ? 0 : 1) : Math.min(z / p.beta, 1);
    case 'huber':
      return Math.min(z, p.delta);
    case 'logCosh':
      return Math.tanh(z);
  }
}

/** β/δ grid: 10 points a decade over the 8 decades below the largest |d|, plus the settings in force. */
export function sweepGrid(maxAbs: number, params: LossParams): number[] {
  const g = new Set<number>([params.beta, params.delta, 1]);
  if (maxAbs > 0 && Number.isFinite(maxAbs)) {
    const top = Math.ceil(Math.log10(maxAbs) * 10) / 10;
    for (let k = 0; k <= 80; k++) g.add(Number((10 ** (top - k / 10)).toPrecision(3)));
  }
  return [...g].filter((x) => x > 0 && Number.isFinite(x)).sort((a, b) => a - b);
}

/**
 * Quantiles of |d| (exact: numpy's median and linear-interpolation percentiles), the residual
 * histogram, the decimated per-row series, the β/δ sweep and the robustness shares, in one pass
 * (pass B) over the stored residuals. Quantiles use a radix histogram over the top KEY_BITS bits
 * of |d|'s bit pattern (order-preserving for non-negative doubles), counted during the scan (see
 * ResidualKeys), then sort only the few buckets that hold the wanted ranks.
 * Each pass is its own small function: V8 optimizes small hot loops reliably, and one big
 * function measured 5–10× slower from repeated deoptimization.
 */
export function residualStats(
  chunks: Float64Array[],
  /** Rows per |d| key (KEY_BITS) and the extremes of d, counted during the scan. */
  scan: { hist: Uint32Array; min: number; max: number },
  n: number,
  bins: number,
  points: number,
  params: LossParams,
  /** Total of each row loss over the rows (weighted by the weights when given). */
  sums: Record<RowLossKey, number>,
  /** Sample weights, in chunks of the same lengths as `chunks`, and their total; null: every row weighs 1. */
  weights: { chunks: Float64Array[]; total: number } | null = null,
): ResidualStats {
  const W = weights ? weights.total : n;
  const hist20 = scan.hist;
  const { min, max } = scan;

  // Ranks needed (0-based): numpy's linear interpolation at q·(n−1).
  const qs = [0.5, 0.9, 0.99];
  // The worst 1% and 10% of rows: k = ⌈f·n⌉ rows, the smallest of them has rank n − k.
  const worstK = [0.01, 0.1].map((f) => Math.max(1, Math.ceil(f * n)));
  const ranks = [
    ...new Set([...qs.flatMap((q) => [Math.floor(q * (n - 1)), Math.min(n - 1, Math.ceil(q * (n - 1)))]), ...worstK.map((k) => n - k)]),
  ].sort((x, y) => x - y);
  // The bucket holding each rank; `slotOfKey` marks wanted buckets for pass B.
  const slotOfKey = new Int8Array(1 << KEY_BITS).fill(-1);
  const bucketStart: number[] = [];
  const bucketKeys: number[] = [];
  const rankSlot = new Map<number, number>();
  {
    let cum = 0;
    let ri = 0;
    for (let b = 0; b < hist20.length && ri < ranks.length; b++) {
      const c = hist20[b];
      while (ri < ranks.length && ranks[ri] < cum + c) {
        if (slotOfKey[b] < 0) {
          slotOfKey[b] = bucketStart.length;
          bucketStart.push(cum);
          bucketKeys.push(b);
        }
        rankSlot.set(ranks[ri], slotOfKey[b]);
        ri++;
      }
      cum += c;
    }
  }
  // A bucket of more than HEAVY_BUCKET rows that all hold one value (exact predictions: |d| = 0
  // for most rows) is not collected: its value answers every rank in it. Without weights only
  // (weighted robustness needs the tied rows' weights in file order).
  const constant = new Float64Array(bucketKeys.length).fill(NaN);
  if (!weights && bucketKeys.some((k) => hist20[k] > HEAVY_BUCKET)) {
    const heavy = new Int8Array(1 << KEY_BITS).fill(-1);
    bucketKeys.forEach((k, slot) => hist20[k] > HEAVY_BUCKET && (heavy[k] = slot));
    constantBuckets(chunks, heavy, constant);
    constant.forEach((v, slot) => v === v && (slotOfKey[bucketKeys[slot]] = -1)); // not collected
  }
  // Sized exactly: the scan counted each key's rows. Typed arrays, as an array of doubles built by
  // push() changes elements kind on its first non-integer value and deoptimizes pass B.
  const collected = bucketKeys.map((k, slot) => new Float64Array(constant[slot] === constant[slot] ? 0 : hist20[k]));
  // Robustness: the worst k rows by |d|. Rows in keys above the key of rank n − k are among them
  // (their losses are summed in pass B); rows in that key are collected, and sorted below.
  const worstSlots = worstK.map((k) => rankSlot.get(n - k) as number);
  const worstKeys = worstSlots.map((slot) => bucketKeys[slot]);

  const nb = Math.max(1, Math.floor(bins));
  const pts = Math.max(1, Math.min(points, n));
  const rowsPerPoint = Math.ceil(n / pts);
  const nPoints = Math.ceil(n / rowsPerPoint);
  const grid = sweepGrid(Math.max(Math.abs(min), Math.abs(max)), params);
  const b: PassB = {
    min,
    width: (max - min) / nb,
    counts: new Float64Array(nb),
    rowsPerPoint,
    minAbs: new Float64Array(nPoints).fill(Infinity),
    maxAbs: new Float64Array(nPoints),
    slotOfKey,
    collected,
    grid,
    intervalOfKey: intervalTable(grid),
    cnt: new Float64Array(grid.length + 1),
    sAbs: new Float64Array(grid.length + 1),
    sSq: new Float64Array(grid.length + 1),
    params,
    worstKeys,
    aboveSums: worstKeys.map(() => new Float64Array(ROW_LOSSES.length)),
    aboveCounts: worstKeys.map(() => 0),
    aboveWeights: worstKeys.map(() => 0),
    weights: weights ? weights.chunks : null,
    collectedW: weights ? bucketKeys.map((k) => new Float64Array(hist20[k])) : null,
    fill: new Int32Array(bucketKeys.length),
    fillW: new Int32Array(bucketKeys.length),
    wcnt: new Float64Array(weights ? grid.length + 1 : 0),
    wAbs: new Float64Array(weights ? grid.length + 1 : 0),
    wSq: new Float64Array(weights ? grid.length + 1 : 0),
  };
  passB(chunks, b);
  // The buckets are sized from the scan's key counts: a disagreement would drop or invent values.
  b.fill.forEach((f, slot) => {
    if (f !== collected[slot].length || (b.collectedW && b.fillW[slot] !== f)) {
      throw new LossInspectorError('internal', 'Loss Inspector hit an internal error: the residual counts of the scan and the stored residuals disagree.');
    }
  });

  // Weighted reports: the threshold keys' rows by |d|, ties in file order (the first tied rows
  // join the worst group, with their weights), as a permutation of the bucket. Unweighted, the
  // sorted bucket suffices. (An array of (|d|, weight) pairs here took ~50 bytes a row: 44 MB of
  // heap for a 3e6-row file of rounded values, whose |d| fall in few keys.)
  const order = b.collectedW
    ? worstSlots.map((slot) => {
        const zs = collected[slot];
        const idx = new Uint32Array(zs.length);
        for (let i = 0; i < idx.length; i++) idx[i] = i;
        return idx.sort((x, y) => zs[x] - zs[y] || x - y);
      })
    : null;
  for (const v of collected) v.sort(); // a Float64Array sorts numerically
  const at = (rank: number): number => {
    const slot = rankSlot.get(rank) as number;
    const v = constant[slot];
    return v === v ? v : collected[slot][rank - bucketStart[slot]];
  };
  const quantile = (q: number): number => {
    const pos = q * (n - 1);
    const lo = Math.floor(pos);
    const hi = Math.min(n - 1, Math.ceil(pos));
    const x = at(lo);
    const y = at(hi);
    if (lo === hi) return x;
    if (q === 0.5) return (x + y) / 2; // numpy.median: mean of the two middle values
    return x + (y - x) * (pos - lo);
  };
  // Robustness: each loss over the worst k rows. Every loss is a non-decreasing function of |d|,
  // so the group is the rows above the threshold plus enough rows equal to it.
  const thresholds = worstK.map((k) => at(n - k));
  // The rows of each threshold's key: those above the threshold are in the group, and of the rows
  // equal to it, as many as the group still needs (the first ones in file order).
  const top = worstK.map((k, g) => {
    const thr = thresholds[g];
    const sumsG = Array.from(b.aboveSums[g]);
    let count = b.aboveCounts[g];
    let weight = b.aboveWeights[g];
    const slot = worstSlots[g];
    const zs = collected[slot]; // sorted
    const c = constant[slot];
    const zAt = c === c ? () => c : (p: number) => zs[p];
    const ws = b.collectedW ? b.collectedW[slot] : null; // file order
    const idx = order ? order[g] : null;
    const wAt = (p: number): number => (ws && idx ? ws[idx[p]] : 1); // the weight of the p-th smallest
    let i = hist20[bucketKeys[slot]] - 1;
    for (; i >= 0 && zAt(i) > thr; i--) {
      count++;
      const w = wAt(i);
      weight += w;
      ROW_LOSSES.forEach((lk, j) => (sumsG[j] += w * rowLoss(lk, zAt(i), params)));
    }
    let first = i;
    if (c === c) first = 0; // every row of the bucket is tied
    else while (first > 0 && zs[first - 1] === thr) first--;
    let tiedWeight = 0;
    for (let t = first; t < first + (k - count) && t <= i; t++) tiedWeight += wAt(t);
    ROW_LOSSES.forEach((lk, j) => (sumsG[j] += tiedWeight * rowLoss(lk, thr, params)));
    return { sums: sumsG, weight: weight + tiedWeight };
  });
  const totals = sums;
  const worstShare = (g: number): WorstShare => {
    const k = worstK[g];
    const thr = thresholds[g];
    const share = {} as Record<RowLossKey, number | null>;
    const without = {} as Record<RowLossKey, number | null>;
    const restW = W - top[g].weight;
    ROW_LOSSES.forEach((key, j) => {
      const t = top[g].sums[j];
      const total = totals[key];
      share[key] = total > 0 && Number.isFinite(total) ? Math.min(1, t / total) : null;
      // total − t: when the group carries nearly all of a loss (L2 with outliers: 99.9997%), this
      // difference keeps fewer digits (~1e-11 relative on the 1e6-row benchmark) than the sums do.
      without[key] = n > k && restW > 0 && Number.isFinite(total) ? Math.max(0, total - t) / restW : null;
    });
    return { rows: k, threshold: thr, share, without };
  };
  const absMax = Math.max(Math.abs(min), Math.abs(max));
  const mid = [at(Math.floor(0.5 * (n - 1))), at(Math.min(n - 1, Math.ceil(0.5 * (n - 1))))];
  const p99Abs = quantile(0.99);
  const gradients = {} as Record<RowLossKey, GradientStats>;
  for (const key of ROW_LOSSES) {
    const g = (z: number) => gradMagnitude(key, z, params);
    const median = (g(mid[0]) + g(mid[1])) / 2;
    const gmax = g(absMax);
    const ratio = median > 0 ? gmax / median : null;
    gradients[key] = { median, p99: g(p99Abs), max: gmax, ratio: ratio !== null && Number.isFinite(ratio) ? ratio : null };
  }
  return {
    p50: quantile(0.5),
    p90: quantile(0.9),
    p99: p99Abs,
    histogram: { min, max, counts: Array.from(b.counts) },
    absLogHistogram: logHistogram(hist20, absMax),
    robustness: { worst1: worstShare(0), worst10: worstShare(1) },
    // Left out when a gradient overflows (2|d| above the double range).
    gradients: Object.values(gradients).every((g) => Number.isFinite(g.median) && Number.isFinite(g.p99) && Number.isFinite(g.max)) ? gradients : undefined,
    series: { rowsPerPoint, minAbs: Array.from(b.minAbs), maxAbs: Array.from(b.maxAbs) },
    sweep: weights ? sweepFrom(grid, b.wcnt, b.wAbs, b.wSq, W) : sweepFrom(grid, b.cnt, b.sAbs, b.sSq, n),
  };
}

/** Σ of each row loss over the rows with |d| above each threshold, and their counts (and, with `withTotals`, over all rows). */

/**
 * The weighted median of |d| as scikit-learn's median_absolute_error(sample_weight=…): sort |d|,
 * take the first value whose cumulative weight reaches half the total (the lower weighted median).
 */
export function weightedMedianAbs(residuals: Float64Array[], weights: Float64Array[], total: number): number {
  // Radix selection as for the quantiles: weight per key, then sort only the key that
  // holds the half-way weight.
  const hist = new Float64Array(1 << KEY_BITS);
  residuals.forEach((c, ci) => {
    const wc = weights[ci];
    const w32 = new Uint32Array(c.buffer, c.byteOffset, c.length * 2);
    for (let i = 0; i < c.length; i++) hist[(w32[2 * i + 1] & 0x7fffffff) >>> KEY_SHIFT] += wc[i];
  });
  const half = total / 2;
  let cum = 0;
  let key = 0;
  for (; key < hist.length - 1; key++) {
    if (cum + hist[key] >= half && hist[key] > 0) break;
    cum += hist[key];
  }
  const pairs: [number, number][] = [];
  residuals.forEach((c, ci) => {
    const wc = weights[ci];
    const w32 = new Uint32Array(c.buffer, c.byteOffset, c.length * 2);
    for (let i = 0; i < c.length; i++) if ((w32[2 * i + 1] & 0x7fffffff) >>> KEY_SHIFT === key) pairs.push([Math.abs(c[i]), wc[i]]);
  });
  pairs.sort((x, y) => x[0] - y[0]);
  for (const [z, w] of pairs) {
    cum += w;
    if (cum >= half) return z;
  }
  return pairs.length ? pairs[pairs.length - 1][0] : NaN;
}

/** Coarsens the key histogram (1/128 octave) to quarter octaves over the 20 octaves below max. */
function logHistogram(hist: Uint32Array, absMax: number): { edges: number[]; counts: number[]; below: number } {
  if (!(absMax > 0) || !Number.isFinite(absMax)) {
    let total = 0;
    for (let i = 0; i < hist.length; i++) total += hist[i];
    return { edges: [], counts: [], below: total };
  }
  const f = new Float64Array(1);
  const w = new Uint32Array(f.buffer);
  const keyOf = (x: number) => {
    f[0] = x;
    return (w[1] & 0x7fffffff) >>> KEY_SHIFT;
  };
  const PER_OCTAVE = 4;
  const top = Math.ceil(Math.log2(absMax) * PER_OCTAVE) / PER_OCTAVE;
  const edges: number[] = [];
  for (let k = 20 * PER_OCTAVE; k >= 0; k--) edges.push(Math.min(2 ** (top - k / PER_OCTAVE), Number.MAX_VALUE));
  // Quarter-octave edges are not key boundaries; each key goes to the bin holding its lowest value.
  const counts = new Array<number>(edges.length - 1).fill(0);
  let below = 0;
  const firstKey = keyOf(edges[0]);
  let bin = 0;
  for (let key = 0; key < hist.length; key++) {
    const c = hist[key];
    if (c === 0) continue;
    if (key < firstKey) {
      below += c;
      continue;
    }
    w[0] = 0;
    w[1] = key << KEY_SHIFT;
    const lo = f[0];
    while (bin < counts.length - 1 && lo >= edges[bin + 1]) bin++;
    counts[bin] += c;
  }
  return { edges, counts, below };
}


interface PassB {
  min: number;
  width: number;
  counts: Float64Array;
  rowsPerPoint: number;
  minAbs: Float64Array;
  maxAbs: Float64Array;
  slotOfKey: Int8Array;
  /** The |d| of the rows in each quantile bucket (slot), in file order, and how many are in. */
  collected: Float64Array[];
  fill: Int32Array;
  grid: number[];
  intervalOfKey: Uint16Array;
  cnt: Float64Array;
  sAbs: Float64Array;
  sSq: Float64Array;
  params: LossParams;
  /** Robustness: per group (worst 1%, 10%), the key of its smallest row; rows in higher keys are summed. */
  worstKeys: number[];
  aboveSums: Float64Array[];
  aboveCounts: number[];
  aboveWeights: number[];
  /** Weights in chunks aligned with the residual chunks (weighted reports), else null. */
  weights: Float64Array[] | null;
  /** The weights of the collected values (weighted reports), else null. */
  collectedW: Float64Array[] | null;
  fillW: Int32Array;
  /** Weighted reports: the sweep's weight, Σw|d| and Σwd² per interval. */
  wcnt: Float64Array;
  wAbs: Float64Array;
  wSq: Float64Array;
}

/** Pass B: histogram bins, series, the values of the quantile buckets, the sweep intervals and robustness. */
function passB(chunks: Float64Array[], b: PassB): void {
  const { min, width, counts, rowsPerPoint, minAbs, maxAbs, slotOfKey, collected, fill, grid, intervalOfKey, cnt, sAbs, sSq } = b;
  const nb = counts.length;
  const G = grid.length;
  let firstRow = 0;
  chunks.forEach((c, ci) => {
    const wc = b.weights ? b.weights[ci] : null;
    if (wc && wc.length !== c.length) throw new Error('weights and residuals are not aligned');
    passBHistSeries(c, firstRow, min, width, counts, nb, rowsPerPoint, minAbs, maxAbs);
    passBKeys(c, slotOfKey, collected, fill, grid, G, intervalOfKey, cnt, sAbs, sSq);
    if (wc) passBWeighted(c, wc, b);
    passBWorst(c, wc, b);
    firstRow += c.length;
  });
}

/**
 * Weighted reports: the sweep sums again with weights (passBKeys added them unweighted; these
 * replace them), and the weights of the collected values.
 */
function passBWeighted(c: Float64Array, wc: Float64Array, b: PassB): void {
  const w = new Uint32Array(c.buffer, c.byteOffset, c.length * 2);
  const { grid, intervalOfKey, slotOfKey } = b;
  const G = grid.length;
  const cw = b.collectedW as Float64Array[];
  const fw = b.fillW;
  for (let i = 0; i < c.length; i++) {
    const z = Math.abs(c[i]);
    const key = (w[2 * i + 1] & 0x7fffffff) >>> KEY_SHIFT;
    const slot = slotOfKey[key];
    if (slot >= 0) cw[slot][fw[slot]++] = wc[i];
    let k = intervalOfKey[key];
    while (k < G && grid[k] <= z) k++; // a key may hold several grid values (β next to a grid value)
    const wi = wc[i];
    b.wcnt[k] += wi;
    b.wAbs[k] += wi * z;
    b.wSq[k] += wi * z * z;
  }
}

/** Pass B's robustness part: the row losses (× weight) of the rows above each worst group's key. */
function passBWorst(c: Float64Array, wc: Float64Array | null, b: PassB): void {
  const w = new Uint32Array(c.buffer, c.byteOffset, c.length * 2);
  const wk = b.worstKeys;
  const lowest = Math.min(...wk);
  const nl = ROW_LOSSES.length;
  const loss = new Float64Array(nl);
  const beta = b.params.beta;
  const delta = b.params.delta;
  for (let i = 0; i < c.length; i++) {
    const key = (w[2 * i + 1] & 0x7fffffff) >>> KEY_SHIFT;
    if (key <= lowest) continue;
    const z = Math.abs(c[i]);
    const wi = wc ? wc[i] : 1;
    // Each row loss once per row (ROW_LOSSES order, as rowLoss; written into `loss`, not
    // returned, so no double is boxed), added to every group the row belongs to.
    loss[0] = z;
    loss[1] = z * z;
    loss[2] = beta === 0 ? z : z < beta ? (0.5 * z * z) / beta : z - 0.5 * beta;
    loss[3] = z < delta ? 0.5 * z * z : delta * (z - 0.5 * delta);
    logCoshTo(z, loss, 4);
    for (let g = 0; g < wk.length; g++) {
      if (key > wk[g]) {
        b.aboveCounts[g]++;
        b.aboveWeights[g] += wi;
        const s = b.aboveSums[g];
        for (let j = 0; j < nl; j++) s[j] += wi * loss[j];
      }
    }
  }
}

/** Buckets above this many rows are checked for holding a single value (see residualStats). */
const HEAVY_BUCKET = 1 << 16;

/**
 * For each bucket marked in `heavy` (key → slot), its value if all its rows hold the same |d|
 * (written into `out[slot]`), else NaN.
 */
function constantBuckets(chunks: Float64Array[], heavy: Int8Array, out: Float64Array): void {
  const seen = new Uint8Array(out.length);
  const varied = new Uint8Array(out.length);
  for (const c of chunks) {
    const w = new Uint32Array(c.buffer, c.byteOffset, c.length * 2);
    for (let i = 0; i < c.length; i++) {
      const slot = heavy[(w[2 * i + 1] & 0x7fffffff) >>> KEY_SHIFT];
      if (slot < 0) continue;
      const z = Math.abs(c[i]);
      if (seen[slot] === 0) {
        seen[slot] = 1;
        out[slot] = z;
      } else if (z !== out[slot]) varied[slot] = 1;
    }
  }
  varied.forEach((v, slot) => v && (out[slot] = NaN));
}

/**
 * Pass B's histogram and series. The series' points are whole runs of rows: an inner loop per point
 * instead of a division per row (an integer division per row made this loop twice as slow).
 */
function passBHistSeries(
  c: Float64Array,
  firstRow: number,
  min: number,
  width: number,
  counts: Float64Array,
  nb: number,
  rowsPerPoint: number,
  minAbs: Float64Array,
  maxAbs: Float64Array,
): void {
  const end = c.length;
  let p = Math.floor(firstRow / rowsPerPoint);
  let stop = (p + 1) * rowsPerPoint - firstRow;
  let i = 0;
  while (i < end) {
    if (stop > end) stop = end;
    let lo = minAbs[p];
    let hi = maxAbs[p];
    for (; i < stop; i++) {
      const d = c[i];
      const z = Math.abs(d);
      const x = width > 0 ? (d - min) / width : 0;
      counts[x >= nb ? nb - 1 : Math.floor(x)]++;
      if (z < lo) lo = z;
      if (z > hi) hi = z;
    }
    minAbs[p] = lo;
    maxAbs[p] = hi;
    p++;
    stop = i + rowsPerPoint;
  }
}

/** Pass B's keyed part: the values of the quantile buckets, and the sweep sums per interval. */
function passBKeys(
  c: Float64Array,
  slotOfKey: Int8Array,
  collected: Float64Array[],
  fill: Int32Array,
  grid: number[],
  G: number,
  intervalOfKey: Uint16Array,
  cnt: Float64Array,
  sAbs: Float64Array,
  sSq: Float64Array,
): void {
  const w = new Uint32Array(c.buffer, c.byteOffset, c.length * 2);
  for (let i = 0; i < c.length; i++) {
    const z = Math.abs(c[i]);
    const key = (w[2 * i + 1] & 0x7fffffff) >>> KEY_SHIFT;
    const slot = slotOfKey[key];
    if (slot >= 0) collected[slot][fill[slot]++] = z;
    let k = intervalOfKey[key];
    while (k < G && grid[k] <= z) k++; // a key may hold several grid values (β next to a grid value)
    cnt[k]++;
    sAbs[k] += z;
    sSq[k] += z * z;
  }
}

/**
 * The sweep interval of each key's lowest value. A key spans 1/128 of an octave, less than the
 * grid's spacing (10 points a decade), so a comparison or two per value finishes the search (two
 * when β or δ lies next to a grid value).
 */
function intervalTable(grid: number[]): Uint16Array {
  // table[key] = how many grid values are ≤ the lowest value of the key. Between the keys of two
  // consecutive grid values that count is constant, so the table is filled range by range.
  const t = new Uint16Array(1 << KEY_BITS);
  const f = new Float64Array(1);
  const w = new Uint32Array(f.buffer);
  const lowest = (key: number) => {
    w[0] = 0;
    w[1] = key << KEY_SHIFT;
    return f[0];
  };
  const keyOf = (x: number) => {
    f[0] = x;
    return (w[1] & 0x7fffffff) >>> KEY_SHIFT;
  };
  let from = 0;
  for (let k = 0; k < grid.length; k++) {
    const key = keyOf(grid[k]);
    // Keys below `key` hold only values < grid[k]: k grid values are ≤ their lowest value.
    if (key > from) t.fill(k, from, key);
    if (key >= from) {
      // The grid value's own key: it counts when it is exactly the key's lowest value.
      let c = k;
      while (c < grid.length && keyOf(grid[c]) === key && grid[c] <= lowest(key)) c++;
      t[key] = c;
      from = key + 1;
    }
  }
  t.fill(grid.length, from);
  return t;
}

function sweepFrom(grid: number[], cnt: Float64Array, sAbs: Float64Array, sSq: Float64Array, n: number): ParamSweep {
  const sweep: ParamSweep = { values: [], smoothL1: [], huber: [], quadraticShare: [] };
  let totAbs = 0;
  for (let k = 0; k < sAbs.length; k++) totAbs += sAbs[k];
  let cBelow = 0;
  let aBelow = 0;
  let qBelow = 0;
  for (let k = 0; k < grid.length; k++) {
    cBelow += cnt[k];
    aBelow += sAbs[k];
    qBelow += sSq[k];
    const v = grid[k];
    const above = n - cBelow;
    const sl1 = ((0.5 * qBelow) / v + (totAbs - aBelow) - 0.5 * v * above) / n;
    const hub = (0.5 * qBelow + v * (totAbs - aBelow - 0.5 * v * above)) / n;
    // Past 1e154 squares overflow: such β/δ values are left out of the sweep.
    if (!Number.isFinite(sl1) || !Number.isFinite(hub)) continue;
    sweep.values.push(v);
    sweep.smoothL1.push(sl1);
    sweep.huber.push(hub);
    sweep.quadraticShare.push(cBelow / n);
  }
  return sweep;
}
