/** Merges the multiclass parts (in file order) into the report. */
import { LossInspectorError, quoteName } from '../../errors';
import { FileFormat, locationsOf } from '../../fileInfo';
import { LabelMap, MAX_GROUPS } from '../../groups';
import { RowCounts } from '../../rows';
import { LOSS_BUCKETS, lossBucketOf, sharesOfWorst, worstBuckets } from '../classification/binary';
import { labelNumber } from '../classification/classes';
import type { LossShare, ScoreKind } from '../classification/report';
import { TopRows } from '../classification/topRows';
import { multiStats, MultiModelStats, MultiParams } from './metrics';
import type { Comparison, IntervalOptions } from '../../intervals/report';
import { multiComparisons, multiIntervals } from './intervals';
import type { MultiPart } from './parts';
import type { MulticlassReport, MultiModelReport, MultiWorstRow } from './report';

export interface MultiMeta {
  file: string;
  format: FileFormat;
  columns: string[];
  label: string;
  classes: string[];
  models: { name: string; columns: string[]; array?: string }[];
  weight?: string;
  groupBy?: string;
  scores: 'auto' | ScoreKind;
  params: MultiParams;
  topK: number;
  firstLine: number;
  decimalComma: boolean;
  /** Intervals and comparisons (default off), and the baseline's index (−1: no comparisons). */
  intervals?: IntervalOptions;
  base?: number;
}

/** Rows whose probabilities sum to 1 within this are probabilities (the auto score kind). */
export const SUM_TOLERANCE = 1e-6;

const EMPTY = new Float64Array(0);

/** Builds the report; takes the parts' score chunks (each is released once copied). */
export function buildMultiReport(parts: MultiPart[], meta: MultiMeta): MulticlassReport {
  const rows = new RowCounts(meta.firstLine);
  const shifts = parts.map((p) => rows.add(p));
  rows.requireUsed(meta.file, locationsOf(meta.format));
  const k = meta.classes.length;
  const nm = meta.models.length;
  const warnings: string[] = [];
  // A label's class: the same text, or the same number ("1" and "1.0").
  const classOf = (t: string): number => {
    const i = meta.classes.indexOf(t.trim());
    if (i >= 0) return i;
    const v = labelNumber(t, meta.decimalComma);
    return Number.isFinite(v) ? meta.classes.findIndex((c) => labelNumber(c, meta.decimalComma) === v) : -1;
  };
  // Rows in file order; rows whose label is not a class are left out and counted.
  let n = 0;
  let unknown = 0;
  let firstUnknown = -1;
  const maps = parts.map((p) => p.labels.map(classOf));
  parts.forEach((p, pi) => p.labelIds.forEach((c, ci) => {
    for (let i = 0; i < c.length; i++) {
      if (c[i] !== 0xffff && maps[pi][c[i]] >= 0) n++;
      else {
        unknown++;
        if (firstUnknown < 0) firstUnknown = p.lines[ci][i] + shifts[pi];
      }
    }
  }));
  if (parts.some((p) => p.labelOverflow) || n === 0) {
    throw new LossInspectorError('badParameter', `The labels of ${quoteName(meta.label)} in '${meta.file}' are not the classes of its score columns (${meta.classes.map(quoteName).join(', ')})${firstUnknown >= 0 ? `: line ${firstUnknown} holds another value` : ''}.`, { file: meta.file });
  }
  if (unknown > 0) warnings.push(`${unknown} row${unknown === 1 ? '' : 's'} of ${quoteName(meta.label)} hold a label that is not one of the classes ${meta.classes.map(quoteName).join(', ')} (first at line ${firstUnknown}); they are left out.`);
  const y = new Int32Array(n);
  const line = new Float64Array(n);
  const scores = meta.models.map(() => new Float64Array(n * k));
  const weights = meta.weight !== undefined ? new Float64Array(n) : null;
  const groupOf = meta.groupBy !== undefined ? new Int32Array(n) : null;
  const groupIds = new LabelMap<number>();
  let groupOverflow = false;
  let at = 0;
  parts.forEach((p, pi) => {
    const gmap = p.groupLabels.map((g) => {
      let id = groupIds.get(g);
      if (id === undefined) groupIds.set(g, (id = groupIds.size));
      return id;
    });
    groupOverflow ||= p.groupOverflow;
    p.labelIds.forEach((chunk, ci) => {
      const sc = p.scores[ci];
      for (let i = 0; i < chunk.length; i++) {
        const cls = chunk[i] === 0xffff ? -1 : maps[pi][chunk[i]];
        if (cls < 0) continue;
        y[at] = cls;
        line[at] = p.lines[ci][i] + shifts[pi];
        // Copied by hand: a subarray per row and model was a quarter of this loop's time in garbage.
        for (let m = 0, from = i * nm * k; m < nm; m++) {
          const to = scores[m];
          for (let c = 0, t = at * k; c < k; c++) to[t + c] = sc[from++];
        }
        if (weights) weights[at] = p.weights[ci][i];
        if (groupOf) groupOf[at] = p.groupIds[ci][i] === 0xffff ? -1 : gmap[p.groupIds[ci][i]];
        at++;
      }
      // The chunk's scores are in `scores` now: let them go (n·k·8 bytes a model otherwise held twice).
      p.scores[ci] = EMPTY;
    });
  });
  if (weights && !(weights.reduce((a, b) => a + b, 0) > 0)) {
    throw new LossInspectorError('noUsableRows', `The weights in column ${quoteName(meta.weight ?? '')} of '${meta.file}' add up to 0, so no weighted mean exists.`, { file: meta.file });
  }
  const kinds: ScoreKind[] = meta.models.map((mod, m) => {
    const outside = parts.map((p) => p.outside[m]);
    const inUnit = outside.every((o) => o < 0);
    const dev = Math.max(...parts.map((p) => p.sumDev[m]));
    if (meta.scores === 'probabilities' && !inUnit) {
      const pi = outside.findIndex((o) => o >= 0);
      const l = outside[pi] + shifts[pi];
      throw new LossInspectorError('badParameter', `The scores of ${quoteName(mod.name)} are not all probabilities: line ${l} holds a value outside [0, 1]. Use --scores logits if they are logits.`, { file: meta.file, line: l });
    }
    const kind: ScoreKind = meta.scores === 'auto' ? (inUnit && dev <= SUM_TOLERANCE ? 'probabilities' : 'logits') : meta.scores;
    if (kind === 'probabilities' && !(dev <= SUM_TOLERANCE)) {
      warnings.push(`The class probabilities of ${quoteName(mod.name)} do not sum to 1 in every row (the largest gap is ${dev.toPrecision(3)}); log loss renormalises each row as scikit-learn does, the other losses use them as given.`);
    }
    return kind;
  });
  const confidence = meta.intervals?.confidence ?? 0;
  const base = meta.base ?? -1;
  const stats: MultiModelStats[] = [];
  const models: MultiModelReport[] = meta.models.map((mod, m) => {
    const st = multiStats(y, scores[m], k, weights, kinds[m] === 'logits', meta.params, base >= 0, confidence > 0);
    stats.push(st);
    if (st.nonFiniteCE > 0) warnings.push(`crossEntropy of ${quoteName(mod.name)} is not finite: ${st.nonFiniteCE} row${st.nonFiniteCE === 1 ? ' gives' : 's give'} probability 0 to a class (log 0); it is reported as null.`);
    if (st.absent.length) warnings.push(`The classes ${st.absent.map((c) => quoteName(meta.classes[c])).join(', ')} have no row (or every row), so one-vs-rest ROC AUC and average precision are undefined (reported as null).`);
    for (const key of Object.keys(st.metrics) as (keyof typeof st.metrics)[]) {
      const v = st.metrics[key];
      if (v !== null && !Number.isFinite(v)) {
        st.metrics[key] = null;
        warnings.push(`${key} of ${quoteName(mod.name)} is not a finite number; it is reported as null.`);
      }
    }
    return {
      prediction: mod.name,
      columns: mod.columns,
      ...(mod.array !== undefined ? { array: mod.array } : {}),
      scores: kinds[m],
      metrics: st.metrics,
      intervals: confidence > 0 ? multiIntervals(st, confidence) : null,
      confusion: { labels: meta.classes, counts: st.confusion },
      perClass: st.perClass.map((pc, c) => ({ label: meta.classes[c], ...pc })),
      worst: worstRows(st.rowLoss, line, y, scores[m], k, kinds[m] === 'logits', meta),
      reliability: st.reliability,
      robustness: shares(st.rowLoss, weights),
    };
  });
  const comparisons: Comparison[] = base >= 0 && meta.intervals ? multiComparisons(meta.models.map((mod) => mod.name), stats, y, weights, base, meta.intervals) : [];
  let groups: MulticlassReport['groups'] = null;
  if (meta.groupBy !== undefined && groupOf) {
    if (groupOverflow || groupIds.size > MAX_GROUPS) {
      groups = { column: meta.groupBy, groups: [], distinct: null, limit: MAX_GROUPS };
      warnings.push(`The group-by column ${quoteName(meta.groupBy)} has more than ${MAX_GROUPS} distinct values, so no groups are reported (group by a categorical column).`);
    } else {
      const members: number[][] = Array.from({ length: groupIds.size }, () => []);
      for (let i = 0; i < n; i++) if (groupOf[i] >= 0) members[groupOf[i]].push(i);
      const list = [...groupIds.entries()].flatMap(([value, id]) => {
        const idx = members[id];
        if (idx.length === 0) return [];
        const gy = Int32Array.from(idx, (i) => y[i]);
        const gw = weights ? Float64Array.from(idx, (i) => weights[i]) : null;
        const metrics = scores.map((s, m) => {
          const gs = new Float64Array(idx.length * k);
          idx.forEach((i, j) => gs.set(s.subarray(i * k, (i + 1) * k), j * k));
          const mm = multiStats(gy, gs, k, gw, kinds[m] === 'logits', meta.params).metrics;
          for (const key of Object.keys(mm) as (keyof typeof mm)[]) if (mm[key] !== null && !Number.isFinite(mm[key] as number)) mm[key] = null;
          return mm;
        });
        return [{ value, rows: idx.length, weight: gw ? gw.reduce((a, b) => a + b, 0) : idx.length, metrics }];
      });
      groups = { column: meta.groupBy, groups: list.sort((a, b) => b.rows - a.rows || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0)), distinct: groupIds.size, limit: MAX_GROUPS };
    }
  }
  return {
    version: 1,
    task: 'multiclass',
    file: meta.file,
    format: meta.format,
    locations: locationsOf(meta.format),
    target: meta.label,
    weight: meta.weight ?? null,
    columns: meta.columns,
    classes: meta.classes,
    params: { gamma: meta.params.gamma, labelSmoothing: meta.params.labelSmoothing },
    rows: rows.summary(),
    models,
    confidence,
    baseline: base >= 0 ? meta.models[base].name : null,
    comparisons,
    groups,
    warnings,
  };
}

/** The most confidently wrong rows: the largest log loss, ties to the earlier line. */
function worstRows(rowLoss: Float64Array, line: Float64Array, y: Int32Array, s: Float64Array, k: number, logits: boolean, meta: MultiMeta): MultiWorstRow[] {
  // Keyed by row index (file order), not line: in a JSON object of arrays every row has one line.
  const top = new TopRows(meta.topK);
  for (let i = 0; i < rowLoss.length; i++) if (top.wants(rowLoss[i], i)) top.push(rowLoss[i], i);
  return top.rows().map(([i, loss]) => {
    const l = line[i];
    const o = i * k;
    let arg = 0;
    for (let c = 1; c < k; c++) if (s[o + c] > s[o + arg]) arg = c;
    let py = s[o + y[i]];
    if (logits) {
      let se = 0;
      for (let c = 0; c < k; c++) se += Math.exp(s[o + c] - s[o + arg]);
      py = Math.exp(s[o + y[i]] - s[o + arg]) / se;
    }
    return { line: l, label: meta.classes[y[i]], predicted: meta.classes[arg], probability: py, loss };
  });
}

/**
 * The share of the (weighted) log loss carried by the worst 1% and 10% of rows: only the rows of
 * the loss buckets that hold the worst 10% are sorted, as for a binary model (binary.ts).
 */
function shares(rowLoss: Float64Array, w: Float64Array | null): { worst1: LossShare; worst10: LossShare } {
  const n = rowLoss.length;
  const bucketRows = new Float64Array(LOSS_BUCKETS);
  let total = 0;
  for (let i = 0; i < n; i++) {
    total += (w ? w[i] : 1) * rowLoss[i];
    bucketRows[lossBucketOf(rowLoss[i])]++;
  }
  const { from, above } = worstBuckets(bucketRows, n);
  const loss = new Float64Array(above);
  const weight = w ? new Float64Array(above) : null;
  let m = 0;
  for (let i = 0; i < n; i++) {
    if (lossBucketOf(rowLoss[i]) < from) continue;
    loss[m] = rowLoss[i];
    if (weight && w) weight[m] = w[i];
    m++;
  }
  return sharesOfWorst(loss, weight, n, total);
}
