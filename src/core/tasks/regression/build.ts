import { locationsOf } from '../../fileInfo';
import { LossInspectorError, quoteName } from '../../errors';
import type { CountKey } from './countMetrics';
import type { Interval, Intervals } from '../../intervals/report';
import { ExactSum } from '../../exactSum';
import { LabelMap, MAX_GROUPS } from '../../groups';
import { locationWord, RowCounts } from '../../rows';
import { MetricKey } from './losses';
import { bottomK, GroupPart, RangeResult, SAMPLE_SIZE, SUM_KEYS, SumKey, TargetBlock, targetSumSquares, WorstRow } from './parts';
import type { GroupReport, GroupsReport, Metrics, ModelReport, Report, ReportMeta } from './report';
import { ResidualKeys } from './residualKeys';
import { residualStats, weightedMedianAbs } from './residualStats';
import { mergeStats, rangeStats } from './passB';
import { regressionPassPlan } from './rangePass';
import { modelIntervals, ModelSums, regressionComparisons, Totals } from './intervals';
import { RatioKey, ratioIntervals } from './ratioIntervals';
import { zOf } from '../../intervals/confusion';
import { baselines, baselineWarnings, countMetrics, groupCountMetrics, mergeDomain, nulledKeys, residualSpread } from './countMetrics';
import { DEFAULT_POWER, DOMAIN_KEYS, tweedieRule } from './counts';
import { DomainPart, FIRST_SKIPPED_LINES } from './parts';
import { VarianceMerge } from './varianceReport';
import { buildQuantiles, quantileLayout } from './quantileSet';
import { quantileGroups } from './quantileGroups';
import { COUNT_ROW_KEYS, countRobustness, CountRowKey } from './countRobustness';
import type { LossRow } from './parts';

/** Merges range results (in file order) and the threads' |d| key counts into the report. */
export function buildReport(parts: RangeResult[], meta: ReportMeta, keys: ResidualKeys): Report {
  const nModels = meta.predictions.length;
  const rows = new RowCounts(meta.firstLine ?? 1);
  const targetBlocks: TargetBlock[] = [];
  const weightSum = new ExactSum();
  const weightSqSum = new ExactSum();
  const weights: Float64Array[] = [];
  const targets: Float64Array[] = [];
  const domains: (DomainPart | null)[] = new Array<DomainPart | null>(nModels).fill(null);
  const sums = Array.from({ length: nModels }, () => {
    const o = {} as Record<SumKey, ExactSum>;
    for (const k of SUM_KEYS) o[k] = new ExactSum();
    return o;
  });
  const pairSq = Array.from({ length: nModels }, (): ExactSum[] | null => null);
  const maxAbs = new Array<number>(nModels).fill(0);
  const worst: WorstRow[][] = Array.from({ length: nModels }, () => []);
  const worstByLoss = Array.from({ length: nModels }, (): Partial<Record<CountRowKey, LossRow[]>> => ({}));
  const residuals: Float64Array[][] = Array.from({ length: nModels }, () => []);
  let sample: { line: number; hash: number; offset: number; values: number[] }[] = [];
  const groupParts = new LabelMap<GroupPart[]>();
  let groupOverflow = false;
  const variance = meta.spread ? new VarianceMerge(meta.spread, meta.topK) : null;
  const shifts: number[] = [];

  for (const part of parts) {
    const shift = rows.add(part);
    shifts.push(shift);
    variance?.add(part.variance, shift);
    targetBlocks.push(...part.targetBlocks);
    weightSum.merge(part.weightSum);
    weightSqSum.merge(part.weightSqSum);
    weights.push(...part.weights);
    targets.push(...part.targets);
    part.models.forEach((m, i) => {
      for (const k of SUM_KEYS) sums[i][k].merge(m.sums[k]);
      if (m.pairSq) {
        const into = (pairSq[i] ??= m.pairSq.map(() => new ExactSum()));
        m.pairSq.forEach((x, k) => into[k].merge(x));
      }
      if (m.maxAbs > maxAbs[i] || Number.isNaN(m.maxAbs)) maxAbs[i] = m.maxAbs;
      domains[i] = mergeDomain(domains[i], m.domain, shift, FIRST_SKIPPED_LINES);
      for (const w of m.worst) worst[i].push({ ...w, line: w.line + shift });
      for (const key of COUNT_ROW_KEYS) {
        const rs = m.worstByLoss?.[key];
        if (rs) (worstByLoss[i][key] ??= []).push(...rs.map((r) => ({ ...r, line: r.line + shift })));
      }
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
  }
  rows.requireUsed(meta.file, locationsOf(meta.format));
  const used = rows.used;
  sample = bottomK(sample as never, SAMPLE_SIZE) as typeof sample;
  sample.sort((a, b) => a.offset - b.offset);

  const warnings: string[] = [];
  const targetStats = targetSumSquares(targetBlocks);
  const ssTarget = targetStats.m2;
  const weighted = meta.weight !== undefined;
  // Means divide by Σw (the row count without weights: a sum of ones, exact).
  const W = weightSum.value();
  if (weighted && !(W > 0)) {
    throw new LossInspectorError('noUsableRows', `The weights in column ${quoteName(meta.weight ?? '')} of '${meta.file}' add up to 0, so no weighted mean exists.`, { file: meta.file });
  }
  const confidence = meta.intervals?.confidence ?? 0;
  // Pass B's plan (rangePass.ts), as the scan threads made it; the median's interval is its extra ranks.
  const plan = regressionPassPlan(
    parts.map((p) => p.used),
    keys,
    { bins: meta.bins, params: meta.params, weighted, confidence },
  );
  if (!plan) throw new LossInspectorError('internal', 'Loss Inspector hit an internal error: no pass plan for rows that were used.');
  const mRanks = plan.extraRanks.length ? { low: plan.extraRanks[0], high: plan.extraRanks[1] } : null;
  const totals: Totals = { rows: used, w: W, w2: weightSqSum.value(), ssTarget, weighted };
  // The D² baselines (#16): the target's median, q-quantile and mean, from the stored targets.
  const power = meta.params.power ?? DEFAULT_POWER;
  const tweedieK = DOMAIN_KEYS.indexOf('tweedie');
  const targetInDomain = domains.some((d) => d !== null && d.counts[tweedieK] === 0);
  const base0 = baselines(targets, weighted ? { chunks: weights, total: W } : null, used, targetStats.mean, meta.params, targetInDomain, keys.targets);
  const modelSums: ModelSums[] = [];
  const models: ModelReport[] = meta.predictions.map((prediction, i) => {
    const s = sums[i];
    const n = W;
    const l1 = s.abs.value();
    const l2 = s.sq.value();
    // With weights, the sweep and the robustness shares are weighted like the metrics; the
    // quantiles, histograms and gradient statistics count rows.
    // Each range's pass B: from its scan thread, else run here (one thread, a comparison's rows).
    const mp = plan.models[i];
    const ranges = parts.map((p, k) => p.stats?.[i] ?? rangeStats(mp, p.models[i].residuals, weighted ? p.weights : null, plan.firstRows[k], p.blockRows));
    const stats = residualStats(
      mp,
      mergeStats(mp, ranges),
      { hist: keys.hists[i], min: keys.min[i], max: keys.max[i] },
      meta.params,
      { l1, l2, smoothL1: s.smoothL1.value(), huber: s.huber.value(), logCosh: s.logCosh.value() },
      W,
      plan.extraRanks,
    );
    const ms: ModelSums = { sums: s, pairSq: pairSq[i], medianEnds: mRanks ? { low: stats.atRanks[0], high: stats.atRanks[1] } : null, residuals: residuals[i] };
    modelSums.push(ms);
    const values = SUM_KEYS.map((k) => s[k].value());
    const counted = countMetrics(
      values,
      n,
      domains[i] as DomainPart,
      base0,
      residualSpread(residuals[i], weighted ? weights : null, s.d.value() / n),
      ssTarget,
      prediction,
      power,
      locationWord(locationsOf(meta.format)),
    );
    warnings.push(...counted.warnings);
    const metrics: Metrics = {
      ...metricsFromSums(values, n, maxAbs[i], ssTarget, weighted ? weightedMedianAbs(residuals[i], weights, W) : stats.p50),
      ...counted.metrics,
    };
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
      intervals:
        confidence > 0
          ? definedIntervals(
              {
                ...modelIntervals(ms, totals, confidence),
                ...definedRatios(
                  ratioIntervals(
                    metrics,
                    { targets, residuals: residuals[i], weights: weighted ? weights : null, W },
                    { meanTarget: targetStats.mean, meanD: s.d.value() / n, median: base0.median, quantile: base0.quantile, q: meta.params.quantile ?? 0.5, power },
                    { ssTarget, absAround: base0.absAround, pinAround: base0.pinAround, tweedieAround: base0.tweedieAround },
                    zOf(confidence),
                  ),
                ),
              },
              metrics,
            )
          : null,
      worst: w,
      ...worstByLossOf(worstByLoss[i], metrics, meta.topK),
      absQuantiles: { p50: stats.p50, p90: stats.p90, p99: stats.p99, max: maxAbs[i] },
      histogram: stats.histogram,
      series: stats.series,
      sweep: stats.sweep,
      absLogHistogram: stats.absLogHistogram,
      robustness: stats.robustness,
      ...(stats.gradients ? { gradients: stats.gradients } : {}),
      ...countShares(targets, residuals[i], weighted ? weights : null, power, metrics),
    };
  });
  variance?.finish(models, W, warnings, locationWord(locationsOf(meta.format)), { residuals, weights: weighted ? weights : null });
  // Quantile sets (#16 item 3): their own sums, each set's report joined to its model.
  let sampleQuantiles: (number[][] | null)[] | null = null;
  const qLayout = meta.quantiles ? quantileLayout({ ...meta, quantiles: meta.quantiles }) : null;
  if (meta.quantiles && qLayout) {
    const q = buildQuantiles(meta.quantiles, qLayout, parts.map((p) => p.quantiles), shifts, W, locationWord(locationsOf(meta.format)), { targets, residuals, weights: weighted ? weights : null }, meta.topK);
    for (const [m, mq] of q.byModel) Object.assign(models[m], mq);
    warnings.push(...q.warnings);
    sampleQuantiles = meta.predictions.map((_, m) => {
      const set = qLayout.sets.find((x) => x.model === m);
      return set ? set.at.map((a) => sample.map((row) => row.values[a])) : null;
    });
  }
  warnings.push(...baselineWarnings(base0, ssTarget, meta.target, power, tweedieRule(power) !== 'normal' && targetInDomain && models.some((m) => m.metrics.tweedieDeviance !== null)));
  if (ssTarget !== 0 && !Number.isFinite(ssTarget)) warnings.push(`Σ(target − mean)² of ${quoteName(meta.target)} overflows double precision, so R² is reported as null.`);
  const base = meta.base ?? -1;
  let groups: GroupsReport | null = null;
  if (meta.groupBy !== undefined) {
    groups = mergeGroups(meta.groupBy, groupParts, groupOverflow, nModels, domains.map((d) => nulledKeys(d as DomainPart)));
    variance?.finishGroups(groups);
    if (qLayout) quantileGroups(qLayout, parts.map((p) => p.quantiles), groups, nModels);
    if (groups.distinct === null) {
      warnings.push(`The group-by column ${quoteName(meta.groupBy)} has more than ${MAX_GROUPS} distinct values, so no groups are reported (group by a categorical column).`);
    }
  }

  return {
    version: 1,
    file: meta.file,
    format: meta.format,
    locations: locationsOf(meta.format),
    target: meta.target,
    weight: meta.weight ?? null,
    columns: meta.columns,
    params: { ...meta.params, quantile: meta.params.quantile ?? 0.5, power, logInput: meta.params.logInput === true },
    rows: rows.summary(),
    models,
    confidence,
    baseline: base >= 0 ? meta.predictions[base] : null,
    comparisons:
      base >= 0 && meta.intervals
        ? regressionComparisons(meta.predictions, modelSums, base, totals, meta.intervals, meta.params).filter(
            (c) => models[base].metrics[c.metric as MetricKey] !== null && models[meta.predictions.indexOf(c.b)].metrics[c.metric as MetricKey] !== null,
          )
        : [],
    sample: {
      lines: sample.map((s) => s.line),
      target: sample.map((s) => s.values[0]),
      predictions: meta.predictions.map((_, i) => sample.map((s) => s.values[i + 1])),
      ...(sampleQuantiles ? { quantiles: sampleQuantiles } : {}),
    },
    targetMedian: base0.median,
    groups,
    warnings,
  };
}

/**
 * The metrics from a model's sums (in SUM_KEYS order) over total weight n. R² needs the target's
 * Σ(t − mean)²; the median comes from elsewhere (null when not kept).
 */
function metricsFromSums(v: number[], n: number, maxAbs: number, ssTarget: number, medianAE: number | null): Omit<Metrics, CountKey> {
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
function mergeGroups(column: string, byLabel: LabelMap<GroupPart[]>, overflow: boolean, nModels: number, nulled: Set<MetricKey>[]): GroupsReport {
  if (overflow || byLabel.size > MAX_GROUPS) return { column, groups: [], distinct: null, limit: MAX_GROUPS };
  const groups: GroupReport[] = [];
  for (const [value, parts] of byLabel.entries()) {
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
      const v = ms.map((x) => x.value());
      const out: Metrics = { ...metricsFromSums(v, W, maxAbs[m], ss, null), ...groupCountMetrics(v, W, nulled[m]) };
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


/**
 * The worst rows by each loss of counts whose metric is defined: the ranges' rows, in file order,
 * sorted stably by loss (ties keep file order, so the earlier line), the first topK.
 */
function worstByLossOf(rows: Partial<Record<CountRowKey, LossRow[]>>, metrics: Metrics, topK: number): Pick<ModelReport, 'worstByLoss'> {
  const out: Partial<Record<CountRowKey, LossRow[]>> = {};
  for (const key of COUNT_ROW_KEYS) {
    if (metrics[key] === null || metrics[key] === undefined) continue;
    out[key] = (rows[key] ?? []).sort((a, b) => b.loss - a.loss || a.line - b.line).slice(0, topK);
  }
  return Object.keys(out).length ? { worstByLoss: out } : {};
}

/** The worst rows' shares of the counts' losses that are defined for the model (none: no key). */
function countShares(targets: Float64Array[], residuals: Float64Array[], weights: Float64Array[] | null, power: number, metrics: Metrics): Pick<ModelReport, 'countRobustness'> {
  const defined = COUNT_ROW_KEYS.filter((k) => metrics[k] !== null);
  return defined.length ? { countRobustness: countRobustness(targets, residuals, weights, power, defined) } : {};
}

/** No interval for a metric that is null (a counts metric outside its domain). */
/** The ratio scores' delta-method intervals, R²'s only where it has one (else the targets-fixed one stays). */
function definedRatios(r: Record<RatioKey, Interval | null>): Partial<Record<RatioKey, Interval>> {
  const out: Partial<Record<RatioKey, Interval>> = {};
  for (const k of Object.keys(r) as RatioKey[]) {
    const x = r[k];
    if (x) out[k] = x;
  }
  return out;
}

function definedIntervals(iv: Intervals<MetricKey>, metrics: Metrics): Intervals<MetricKey> {
  for (const k of Object.keys(iv) as MetricKey[]) if (metrics[k] === null) iv[k] = null;
  return iv;
}
