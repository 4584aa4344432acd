/**
 * The binary family's intervals and comparisons (README, "Intervals"): the mean losses and accuracy
 * by t (intervals/mean.ts), ROC AUC by DeLong (from the ranking walk), and each other model
 * against the baseline from the per-row differences (paired t, or Diebold–Mariano with
 * --time-ordered) and DeLong's paired test; precision and recall by Wilson, F1, MCC and balanced
 * accuracy by the delta method over the confusion cells, average precision by Boyd's logit
 * interval and ECE by the delta method over its bins (intervals/confusion.ts).
 */
import { delongInterval, delongPaired, placements, zTest } from '../../intervals/delong';
import { pairedEceSe } from '../../intervals/eceInfluence';
import { addRankInfluences, influenceSe } from '../../intervals/rankInfluence';
import { dieboldMariano } from '../../intervals/dieboldMariano';
import { MeanSums, pairedT, PairedResult } from '../../intervals/mean';
import { Comparison, IntervalMethod, IntervalOptions, Intervals, isSignificant } from '../../intervals/report';
import { meanIntervals, within } from '../../intervals/means';
import { averagePrecisionInterval, deltaInterval, eceInterval, JointSums, pairedDeltaSe, precisionInterval, recallInterval, zOf } from '../../intervals/confusion';
import { normalUpperTail } from '../../intervals/distributions';
import { BinaryModelStats, MEAN_KEYS, MeanKey, RowSegment } from './binary';
import { BINARY_TERMS, BinaryParams, logitTerms, probabilityTerms, scoreThreshold, sigmoid } from './losses';
import type { BinaryMetricKey, ScoreKind } from './report';

const BINARY_KEYS: BinaryMetricKey[] = ['logLoss', 'bce', 'focal', 'brier', 'hinge', 'accuracy', 'balancedAccuracy', 'precision', 'recall', 'f1', 'mcc', 'rocAuc', 'averagePrecision', 'ece'];

export function binaryIntervals(st: BinaryModelStats, confidence: number): Intervals<BinaryMetricKey> {
  const out = meanIntervals(BINARY_KEYS, MEAN_KEYS, st.moments, st.metrics, confidence);
  const m = st.metrics;
  if (m.rocAuc !== null) out.rocAuc = within(delongInterval(st.delong.pos, st.delong.neg, confidence), 0, 1, 'delong');
  const z = zOf(confidence);
  const c = st.cells;
  // A metric scikit-learn sets to 0 for an empty denominator (no predicted positives …) gets no interval.
  out.precision = within(precisionInterval(c, z), 0, 1, 'wilson');
  out.recall = within(recallInterval(c, z), 0, 1, 'wilson');
  out.f1 = within(deltaInterval('f1', m.f1, c, z, 0, 1), 0, 1, 'confusion delta');
  out.mcc = within(deltaInterval('mcc', m.mcc, c, z, -1, 1), -1, 1, 'confusion delta');
  out.balancedAccuracy = within(deltaInterval('balancedAccuracy', m.balancedAccuracy, c, z, 0, 1), 0, 1, 'confusion delta');
  const posW = c.w[2] + c.w[3];
  const posW2 = c.w2[2] + c.w2[3];
  out.averagePrecision = posW2 > 0 ? within(averagePrecisionInterval(m.averagePrecision, (posW * posW) / posW2, z), 0, 1, 'boyd logit') : null;
  out.ece = within(eceInterval(m.ece, st.eceSums, z), 0, 1, 'ece delta');
  return out;
}

const emptySums = (): MeanSums => ({ rows: 0, w: 0, w2: 0, s1: 0, s2: 0 });

/**
 * Every model against the baseline `base`, from the rows in file order (before the ranking sorts
 * the scores): per row, each model's losses and decision; the sums of the differences (paired t)
 * or, with --time-ordered and no weights, their series (Diebold–Mariano); and both models'
 * placements for DeLong's paired test; average precision and ECE by the delta method over the
 * differences of both models' per-row influences (intervals/rankInfluence.ts; ECE's from sums per
 * pair of bins, eceInfluence.ts).
 */
export function binaryComparisons(
  names: string[],
  segments: (k: number) => RowSegment[],
  kinds: ScoreKind[],
  base: number,
  params: BinaryParams,
  opts: IntervalOptions,
  n: number,
  weighted: boolean,
): { comparisons: Comparison[]; joint: (JointSums | null)[]; influence: (InfluenceSe | null)[] } {
  const out: Comparison[] = [];
  const joint: (JointSums | null)[] = names.map(() => null);
  const influence: (InfluenceSe | null)[] = names.map(() => null);
  const { confidence } = opts;
  const series = opts.timeOrdered === true && !weighted;
  const nt = BINARY_TERMS.length;
  const ta = new Float64Array(nt);
  const tb = new Float64Array(nt);
  // The rows as arrays, for the placements.
  const y = new Uint8Array(n);
  const w = weighted ? new Float64Array(n) : null;
  const scoresOf = (k: number) => {
    const s = new Float64Array(n);
    let at = 0;
    for (const g of segments(k)) {
      s.set(g.s, at);
      if (k === base) {
        y.set(g.y, at);
        if (w && g.w) w.set(g.w, at);
      }
      at += g.s.length;
    }
    return s;
  };
  const sa = scoresOf(base);
  const va = placements(sa, y, w);
  // Per-row influences of AP and ECE (AP depends on the order of the scores only, logits or not).
  const apOf = (s: Float64Array) => {
    const g = new Float64Array(n);
    return addRankInfluences(s, y, w, 1, null, g) ? g : null;
  };
  // ECE's confidence is the positive class's probability, its accuracy the label.
  const eceOf = (s: Float64Array, logits: boolean) => ({ confidence: (i: number) => (logits ? sigmoid(s[i]) : s[i]), correct: (i: number) => y[i] });
  const apA = apOf(sa);
  const eceA = eceOf(sa, kinds[base] === 'logits');
  const terms = (s: number, yi: number, logits: boolean, into: Float64Array) => (logits ? logitTerms(s, yi, params, into) : probabilityTerms(s, yi, params, into));
  names.forEach((name, k) => {
    if (k === base) return;
    const la = kinds[base] === 'logits';
    const lb = kinds[k] === 'logits';
    const cutA = scoreThreshold(params.threshold, la);
    const cutB = scoreThreshold(params.threshold, lb);
    const sums: Record<MeanKey, MeanSums> = Object.fromEntries(MEAN_KEYS.map((m) => [m, emptySums()])) as Record<MeanKey, MeanSums>;
    const deltas = series ? MEAN_KEYS.map(() => new Float64Array(n)) : null;
    const sb = scoresOf(k);
    const jw2 = new Float64Array(8);
    joint[k] = { w2: jw2 };
    for (let i = 0; i < n; i++) {
      const yi = y[i];
      const wi = w ? w[i] : 1;
      jw2[4 * yi + (sa[i] >= cutA ? 2 : 0) + (sb[i] >= cutB ? 1 : 0)] += wi * wi;
      terms(sa[i], yi, la, ta);
      terms(sb[i], yi, lb, tb);
      const right = (s: number, cut: number) => ((s >= cut ? 1 : 0) === yi ? 1 : 0);
      MEAN_KEYS.forEach((m, j) => {
        const e = j < nt ? tb[j] - ta[j] : right(sb[i], cutB) - right(sa[i], cutA);
        const acc = sums[m];
        acc.rows++;
        acc.w += wi;
        acc.w2 += wi * wi;
        acc.s1 += wi * e;
        acc.s2 += wi * e * e;
        if (deltas) deltas[j][i] = e;
      });
    }
    const push = (metric: BinaryMetricKey, r: PairedResult | null, method: IntervalMethod) => {
      if (!r || !Number.isFinite(r.difference) || !Number.isFinite(r.low) || !Number.isFinite(r.high) || !Number.isFinite(r.p)) return;
      out.push({ a: names[base], b: name, metric, difference: r.difference, low: r.low, high: r.high, p: r.p, significant: isSignificant(r.p, confidence), method });
    };
    MEAN_KEYS.forEach((m, j) => {
      if (m === 'hinge' && !(la && lb)) return; // hinge is defined on logits only
      push(m, deltas ? dieboldMariano(deltas[j], confidence) : pairedT(sums[m], confidence), deltas ? 'diebold-mariano' : 'paired t');
    });
    push('rocAuc', delongPaired(va, placements(sb, y, w), y, w, confidence), 'delong paired');
    // The differences themselves come from the models' stats (withConfusionComparisons): only the
    // standard errors here.
    const apB = apOf(sb);
    influence[k] = { ap: apA && apB ? influenceSe(apB, w, apA) : null, ece: pairedEceSe(n, eceA, eceOf(sb, lb), w) };
  });
  return { comparisons: out, joint, influence };
}

/** The standard errors of a model's AP and ECE differences from the baseline (null: undefined). */
export interface InfluenceSe {
  ap: number | null;
  ece: number | null;
}

const DELTA_KEYS = ['precision', 'recall', 'f1', 'mcc', 'balancedAccuracy'] as const;

/**
 * The paired differences of the confusion metrics (b − a at the threshold), once every model's
 * stats are known, each with a normal interval and p from the delta method over the joint cells
 * (intervals/confusion.ts), and of AP and ECE with the standard errors from binaryComparisons;
 * then every comparison in the order of the models and BINARY_KEYS.
 */
export function withConfusionComparisons(
  comparisons: Comparison[],
  names: string[],
  stats: BinaryModelStats[],
  joint: (JointSums | null)[],
  base: number,
  confidence: number,
  influence: (InfluenceSe | null)[] = [],
): Comparison[] {
  const z = zOf(confidence);
  const out = [...comparisons];
  names.forEach((name, k) => {
    const j = joint[k];
    if (k === base || !j) return;
    for (const metric of DELTA_KEYS) {
      const va = stats[base].metrics[metric];
      const vb = stats[k].metrics[metric];
      const se = pairedDeltaSe(metric, stats[base].cells, stats[k].cells, j);
      if (va === null || vb === null || se === null) continue;
      const difference = vb - va;
      const p = Math.min(1, 2 * normalUpperTail(Math.abs(difference) / se));
      out.push({ a: names[base], b: name, metric, difference, low: difference - z * se, high: difference + z * se, p, significant: isSignificant(p, confidence), method: 'paired confusion delta' });
    }
    const inf = influence[k];
    for (const metric of ['averagePrecision', 'ece'] as const) {
      const va = stats[base].metrics[metric];
      const vb = stats[k].metrics[metric];
      const se = inf?.[metric === 'ece' ? 'ece' : 'ap'] ?? null;
      if (va === null || vb === null || se === null) continue;
      const r = zTest(vb - va, se, confidence);
      const p = Math.min(1, r.p);
      if (![r.low, r.high, p].every(Number.isFinite)) continue;
      out.push({ a: names[base], b: name, metric, difference: r.difference, low: r.low, high: r.high, p, significant: isSignificant(p, confidence), method: 'paired influence' });
    }
  });
  const rank = (c: Comparison) => names.indexOf(c.b) * BINARY_KEYS.length + BINARY_KEYS.indexOf(c.metric as BinaryMetricKey);
  return out.sort((x, y) => rank(x) - rank(y));
}
