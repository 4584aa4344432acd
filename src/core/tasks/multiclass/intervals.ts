/**
 * The multiclass family's intervals and comparisons (README, "Intervals and comparisons"): the
 * means by t (intervals/mean.ts); macro precision, recall, F1, balanced accuracy and MCC by the
 * delta method over the k×k confusion cells (intervals/multiConfusion.ts); top-label ECE by the
 * delta method over its bins (as a binary model's); macro ROC AUC and AP from the per-row
 * influences of every class's one-vs-rest metric (intervals/rankInfluence.ts). Each other model
 * against the baseline: paired t (or Diebold–Mariano) over the per-row values of the means, and
 * for the others the delta method over the differences of the two models' per-row influences.
 */
import { eceInterval, zOf } from '../../intervals/confusion';
import { zTest } from '../../intervals/delong';
import { pairedEceSe } from '../../intervals/eceInfluence';
import { within, meanIntervals } from '../../intervals/means';
import { MULTI_DELTA_KEYS, multiDeltaInterval, multiPairedSe } from '../../intervals/multiConfusion';
import { pairedFromRows } from '../../intervals/paired';
import { influenceSe } from '../../intervals/rankInfluence';
import { Comparison, IntervalMethod, IntervalOptions, Intervals, isSignificant } from '../../intervals/report';
import { MULTI_MEAN_KEYS, MultiMetricKey, MultiModelStats } from './metrics';

export const MULTI_KEYS: MultiMetricKey[] = ['logLoss', 'crossEntropy', 'focal', 'brier', 'hinge', 'accuracy', 'balancedAccuracy', 'precision', 'recall', 'f1', 'mcc', 'rocAuc', 'averagePrecision', 'ece'];

/** value ± z·se cut to [lo, hi]; null without a positive standard error. */
function normal(value: number | null, se: number | null, z: number): { low: number; high: number } | null {
  if (value === null || se === null || !(se > 0)) return null;
  return { low: value - z * se, high: value + z * se };
}

export function multiIntervals(st: MultiModelStats, confidence: number): Intervals<MultiMetricKey> {
  const out = meanIntervals(MULTI_KEYS, MULTI_MEAN_KEYS, st.moments, st.metrics, confidence);
  const z = zOf(confidence);
  const m = st.metrics;
  for (const key of MULTI_DELTA_KEYS) {
    const lo = key === 'mcc' ? -1 : 0;
    out[key] = within(multiDeltaInterval(key, m[key], st.cells, z, lo, 1), lo, 1, 'confusion delta');
  }
  out.ece = within(eceInterval(m.ece, st.eceSums, z), 0, 1, 'ece delta');
  if (st.rankSe) {
    out.rocAuc = within(normal(m.rocAuc, st.rankSe.auc, z), 0, 1, 'delong ovr');
    out.averagePrecision = within(normal(m.averagePrecision, st.rankSe.ap, z), 0, 1, 'ap influence');
  }
  return out;
}

/**
 * Every model against the baseline `base` on the same rows (file order), in the order of the
 * models and MULTI_KEYS. Needs each model's stats with `keepRows` (and `intervals` for AUC, AP).
 */
export function multiComparisons(names: string[], stats: MultiModelStats[], y: Int32Array, w: Float64Array | null, base: number, opts: IntervalOptions): Comparison[] {
  const out: Comparison[] = [];
  const { confidence } = opts;
  const a = stats[base];
  // Top-label ECE: the decision's probability against whether it is right.
  const eceOf = (st: MultiModelStats) => {
    const { top, decision } = st;
    return top && decision ? { confidence: (i: number) => top[i], correct: (i: number) => (decision[i] === y[i] ? 1 : 0) } : null;
  };
  const eceA = eceOf(a);
  stats.forEach((b, k) => {
    if (k === base || !a.rows || !b.rows) return;
    const defined = (metric: string) => a.metrics[metric as MultiMetricKey] !== null && b.metrics[metric as MultiMetricKey] !== null;
    // Hinge only between two models of logits; cross-entropy only where both are finite.
    out.push(...pairedFromRows({ name: names[base], rows: a.rows }, { name: names[k], rows: b.rows }, MULTI_MEAN_KEYS, w, opts).filter((c) => defined(c.metric)));
    const push = (metric: MultiMetricKey, se: number | null, method: IntervalMethod) => {
      const va = a.metrics[metric];
      const vb = b.metrics[metric];
      if (va === null || vb === null || se === null || !(se > 0)) return;
      const r = zTest(vb - va, se, confidence);
      if (![r.difference, r.low, r.high, r.p].every(Number.isFinite)) return;
      out.push({ a: names[base], b: names[k], metric, difference: r.difference, low: r.low, high: r.high, p: Math.min(1, r.p), significant: isSignificant(r.p, confidence), method });
    };
    if (a.decision && b.decision) {
      for (const metric of MULTI_DELTA_KEYS) push(metric, multiPairedSe(metric, a.cells, b.cells, y, a.decision, b.decision, w), 'paired confusion delta');
    }
    if (a.influence && b.influence) {
      push('rocAuc', influenceSe(b.influence.auc, w, a.influence.auc), 'delong ovr paired');
      push('averagePrecision', influenceSe(b.influence.ap, w, a.influence.ap), 'paired influence');
    }
    const eceB = eceOf(b);
    if (eceA && eceB) push('ece', pairedEceSe(y.length, eceA, eceB, w), 'paired influence');
  });
  const rank = (c: Comparison) => names.indexOf(c.b) * MULTI_KEYS.length + MULTI_KEYS.indexOf(c.metric as MultiMetricKey);
  return out.sort((x, y2) => rank(x) - rank(y2));
}
