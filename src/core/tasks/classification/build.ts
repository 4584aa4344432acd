/**
 * Merges the classification parts (in file order) into the report: the classes and the positive
 * one, each model's score kind, its metrics, confusion, curves, calibration, worst rows and
 * robustness, and the groups.
 *
 * The parts are consumed: their label chunks become 0/1 in place and each model's score chunks
 * are sorted by its ranking metrics. The rows stay in the scan's chunks (no concatenated copy:
 * at 1e7 rows, the scores alone take 80 MB).
 */
import { LossInspectorError, quoteName } from '../../errors';
import { FileFormat, locationsOf } from '../../fileInfo';
import { LabelMap, MAX_GROUPS } from '../../groups';
import { RowCounts } from '../../rows';
import { binaryStats, binaryStatsOfSegments, BinaryModelStats, RowSegment } from './binary';
import { absentPositive, orderClasses, positiveClass } from './classes';
import { BINARY_TERMS, BinaryParams, logitTerms, probabilityTerms, sigmoid, T_LOG } from './losses';
import type { ClassPart } from './parts';
import type { ClassGroupReport, ClassificationReport, ClassModelReport, ScoreKind, WorstClassRow } from './report';
import type { IntervalOptions } from '../../intervals/report';
import { binaryComparisons, binaryIntervals, withConfusionComparisons } from './intervals';
import type { BinarySpec } from './accumulate';
import { BinaryPass } from './rowPass';
import type { RowsPass } from './binary';

export interface ClassMeta {
  file: string;
  format: FileFormat;
  columns: string[];
  label: string;
  predictions: string[];
  weight?: string;
  groupBy?: string;
  scores: 'auto' | ScoreKind;
  positive?: string;
  params: BinaryParams & { labelSmoothing: number };
  topK: number;
  firstLine: number;
  /** The file writes numbers with decimal commas (label values such as "1,0" are numbers). */
  decimalComma: boolean;
  /** Intervals and comparisons (default off), and the baseline's index (−1: no comparisons). */
  intervals?: IntervalOptions;
  base?: number;
  /** The guess the scan threads ran the per-row pass on (accumulate.ts), if any. */
  spec?: BinarySpec;
}

const MAX_CLASSES = MAX_GROUPS;

export function buildClassReport(parts: ClassPart[], meta: ClassMeta): ClassificationReport {
  const rows = new RowCounts(meta.firstLine);
  const shifts = parts.map((p) => rows.add(p));
  rows.requireUsed(meta.file, locationsOf(meta.format));
  if (parts.some((p) => p.labelOverflow)) {
    throw new LossInspectorError('badParameter', `The label column ${quoteName(meta.label)} of '${meta.file}' has more than ${MAX_CLASSES} distinct values: it is not a class label (use --task regression for a numeric target).`, { file: meta.file });
  }
  // The classes of the used rows only: a JSON reader interns a record's label before it meets the
  // missing score that skips the record.
  const seen = parts.map((p) => {
    const s = new Uint8Array(p.labels.length);
    for (const c of p.labelIds) for (let i = 0; i < c.length; i++) s[c[i]] = 1;
    return s;
  });
  const order = orderClasses(
    parts.flatMap((p, pi) => p.labels.filter((_, id) => seen[pi][id] === 1)),
    meta.decimalComma,
  );
  const warnings: string[] = [];
  if (order.classes.length > 2) {
    throw new LossInspectorError(
      'badParameter',
      `The label column ${quoteName(meta.label)} of '${meta.file}' has ${order.classes.length} distinct values (${order.classes.slice(0, 5).map(quoteName).join(', ')}${order.classes.length > 5 ? ', …' : ''}), so it is not a binary label: the multiclass task (--task multiclass; in VS Code the setting lossInspector.task) reads it with one score column per class, regression (--task regression) as a number.`,
      { file: meta.file },
    );
  }
  let pos = positiveClass(order, meta.positive, meta.decimalComma);
  // One class only, a negative one (0, −1, false, no) or not the --positive asked for: every row
  // is a negative of the absent positive class.
  const absent = order.classes.length !== 1 ? undefined : meta.positive !== undefined ? (pos < 0 ? meta.positive : undefined) : absentPositive(order, meta.decimalComma);
  if (absent !== undefined) pos = -1;
  if (meta.positive !== undefined && pos < 0 && absent === undefined) {
    throw new LossInspectorError('badParameter', `--positive ${quoteName(meta.positive)} is not a value of the label column ${quoteName(meta.label)} (its values are ${order.classes.map(quoteName).join(' and ')}).`, { file: meta.file });
  }
  if (order.classes.length < 2) warnings.push(`The label column ${quoteName(meta.label)} holds one class only (${quoteName(order.classes[0] ?? '')}), so ROC AUC and average precision are undefined (reported as null).`);
  const classes = order.classes;
  const positive = absent ?? order.classes[pos];
  const negative = order.classes.find((_, i) => i !== pos) ?? '';

  // Rows in file order, in the parts' chunks: y (1 = positive, in place of the label ids),
  // scores per model, weights.
  const n = rows.used;
  const isPos = parts.map((p) => p.labels.map((l) => (pos >= 0 && order.indexOf(l) === pos ? 1 : 0)));
  parts.forEach((p, pi) => {
    for (const chunk of p.labelIds) for (let i = 0; i < chunk.length; i++) chunk[i] = isPos[pi][chunk[i]];
  });
  const weighted = meta.weight !== undefined;
  const segments = (k: number): RowSegment[] =>
    parts.flatMap((p) => p.labelIds.map((y, ci) => ({ y, s: p.scores[k][ci], w: weighted ? p.weights[ci] : null })));
  if (weighted) {
    let W = 0;
    for (const p of parts) for (const c of p.weights) for (let i = 0; i < c.length; i++) W += c[i];
    if (!(W > 0)) throw new LossInspectorError('noUsableRows', `The weights in column ${quoteName(meta.weight ?? '')} of '${meta.file}' add up to 0, so no weighted mean exists.`, { file: meta.file });
  }

  const kinds: ScoreKind[] = meta.predictions.map((name, k) => {
    const ms = parts.map((p) => p.models[k]);
    const inUnit = ms.every((m) => m.outside < 0);
    if (meta.scores === 'probabilities' && !inUnit) {
      const pi = ms.findIndex((m) => m.outside >= 0);
      const line = ms[pi].outside + shifts[pi];
      throw new LossInspectorError('badParameter', `The scores of ${quoteName(name)} are not all probabilities: line ${line} holds a value outside [0, 1]. Use --scores logits if they are logits (decision values).`, { file: meta.file, line });
    }
    return meta.scores === 'auto' ? (inUnit ? 'probabilities' : 'logits') : meta.scores;
  });

  // The scan threads' passes count when the whole file proves their guess right: the same two
  // classes with the same positive one, and the model's score kind; else the pass runs here, over
  // the stored rows in the same blocks.
  const blockRows = parts.flatMap((p) => p.blockRows);
  const spec = meta.spec;
  const specHolds =
    spec !== undefined &&
    pos >= 0 &&
    classes.length === 2 &&
    (() => {
      const guess = orderClasses(spec.classes, spec.decimalComma);
      return classes.every((c, i) => guess.indexOf(c) >= 0 && (guess.indexOf(c) === spec.positive) === (i === pos));
    })();
  const rowsPass = (k: number): RowsPass => {
    const states = parts.map((p) => p.passes?.[k] ?? null);
    if (!specHolds || spec?.kinds[k] !== kinds[k]) return { blockRows };
    const pass = new BinaryPass(kinds[k] === 'logits', meta.params, weighted, true);
    for (const st of states) {
      if (st === null) return { blockRows };
      pass.merge(st);
    }
    return { pass: { pass, lossBuckets: parts.flatMap((p) => p.lossBuckets[k]) } };
  };

  // The groups' rows as arrays in file order, copied before the models' ranking reorders the scores.
  const byGroup = meta.groupBy !== undefined ? groupRows(parts, n, weighted) : null;

  const confidence = meta.intervals?.confidence ?? 0;
  const base = meta.base ?? -1;
  // Before the models' ranking metrics reorder the scores.
  const paired = base >= 0 && meta.intervals ? binaryComparisons(meta.predictions, segments, kinds, base, meta.params, meta.intervals, n, weighted) : null;
  const stats: BinaryModelStats[] = [];

  const models: ClassModelReport[] = meta.predictions.map((name, k) => {
    const logits = kinds[k] === 'logits';
    const st = binaryStatsOfSegments(segments(k), logits, meta.params, true, rowsPass(k));
    stats.push(st);
    for (const key of Object.keys(st.metrics) as (keyof typeof st.metrics)[]) {
      const v = st.metrics[key];
      if (v !== null && !Number.isFinite(v)) {
        st.metrics[key] = null;
        warnings.push(`${key} of ${quoteName(name)} is not a finite number; it is reported as null.`);
      }
    }
    const [[tn, fp], [fn, tp]] = st.confusion.counts;
    const perClass = [
      classStats(negative, tn + fp, tn, fn, tn + fp, st.logLossOfClass[0], st.logLossTotal),
      classStats(positive, fn + tp, tp, fp, fn + tp, st.logLossOfClass[1], st.logLossTotal),
    ];
    return {
      prediction: name,
      columns: [name],
      scores: kinds[k],
      metrics: st.metrics,
      intervals: confidence > 0 ? binaryIntervals(st, confidence) : null,
      // Labels in class order: the negative first when it sorts first.
      confusion: { labels: [negative, positive], counts: st.confusion.counts },
      perClass,
      worst: worstRows(parts, shifts, isPos, k, logits, meta, negative, positive),
      roc: st.roc,
      pr: st.pr,
      reliability: st.reliability,
      robustness: st.robustness,
      trueClassHistogram: st.trueClassHistogram,
      marginHistogram: st.marginHistogram,
      thresholds: st.thresholds,
    };
  });

  const comparisons = paired ? withConfusionComparisons(paired.comparisons, meta.predictions, stats, paired.joint, base, confidence, paired.influence) : [];

  let groups: ClassificationReport['groups'] = null;
  if (meta.groupBy !== undefined && byGroup) {
    const { groupIds, groupOf, y, scores, weights } = byGroup;
    if (byGroup.overflow || groupIds.size > MAX_GROUPS) {
      groups = { column: meta.groupBy, groups: [], distinct: null, limit: MAX_GROUPS };
      warnings.push(`The group-by column ${quoteName(meta.groupBy)} has more than ${MAX_GROUPS} distinct values, so no groups are reported (group by a categorical column).`);
    } else {
      groups = { column: meta.groupBy, groups: groupReports(groupIds, groupOf, y, scores, weights, kinds, meta.params), distinct: groupIds.size, limit: MAX_GROUPS };
    }
  }
  return {
    version: 1,
    task: 'binary',
    file: meta.file,
    format: meta.format,
    locations: locationsOf(meta.format),
    target: meta.label,
    weight: meta.weight ?? null,
    columns: meta.columns,
    classes,
    positive,
    params: { threshold: meta.params.threshold, gamma: meta.params.gamma, alpha: meta.params.alpha, labelSmoothing: meta.params.labelSmoothing },
    rows: rows.summary(),
    models,
    confidence,
    baseline: base >= 0 ? meta.predictions[base] : null,
    comparisons,
    groups,
    warnings,
  };
}

/** One class's precision, recall and F1 as the positive class, and its share `mine / all` of the log loss. */
function classStats(label: string, support: number, hits: number, falseHits: number, trueCount: number, mine: number, all: number) {
  const predicted = hits + falseHits;
  const precision = predicted > 0 ? hits / predicted : 0;
  const recall = trueCount > 0 ? hits / trueCount : 0;
  return {
    label,
    support,
    precision,
    recall,
    f1: precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0,
    logLossShare: all > 0 && Number.isFinite(all) ? mine / all : null,
  };
}

/** The most confidently wrong rows: the largest log loss, ties to the earlier line. */
function worstRows(parts: ClassPart[], shifts: number[], isPos: number[][], k: number, logits: boolean, meta: ClassMeta, negative: string, positive: string): WorstClassRow[] {
  const out: WorstClassRow[] = [];
  const terms = new Float64Array(BINARY_TERMS.length);
  parts.forEach((p, pi) => {
    const m = p.models[k];
    p.labels.forEach((_, id) => {
      const yi = isPos[pi][id];
      // A positive is worst when scored low (kept as key −s), a negative when scored high.
      const cands = yi ? (m.low[id] ?? []).map(([line, key]) => [line, -key]) : (m.high[id] ?? []);
      for (const [line, s] of cands) {
        if (logits) logitTerms(s, yi, meta.params, terms);
        else probabilityTerms(s, yi, meta.params, terms);
        const p1 = logits ? sigmoid(s) : s;
        const predicted = s >= (logits ? Math.log(meta.params.threshold / (1 - meta.params.threshold)) : meta.params.threshold) ? positive : negative;
        out.push({ line: line + shifts[pi], label: yi ? positive : negative, predicted, probability: yi ? p1 : 1 - p1, loss: terms[T_LOG] });
      }
    });
  });
  return out.sort((a, b) => b.loss - a.loss || a.line - b.line).slice(0, meta.topK);
}

/** The rows in file order as arrays (y already 0/1), with each row's group id (−1: none). */
function groupRows(parts: ClassPart[], n: number, weighted: boolean) {
  const y = new Uint8Array(n);
  const scores = parts[0].scores.map(() => new Float64Array(n));
  const weights = weighted ? new Float64Array(n) : null;
  const groupOf = new Int32Array(n);
  const groupIds = new LabelMap<number>();
  let overflow = false;
  let at = 0;
  for (const p of parts) {
    const gmap = p.groupLabels.map((g) => {
      let id = groupIds.get(g);
      if (id === undefined) groupIds.set(g, (id = groupIds.size));
      return id;
    });
    overflow ||= p.groupOverflow;
    p.labelIds.forEach((chunk, ci) => {
      y.set(chunk, at);
      p.scores.forEach((m, k) => scores[k].set(m[ci], at));
      if (weights) weights.set(p.weights[ci], at);
      const g = p.groupIds[ci];
      for (let i = 0; i < g.length; i++) groupOf[at + i] = g[i] === 0xffff ? -1 : gmap[g[i]];
      at += chunk.length;
    });
  }
  return { y, scores, weights, groupOf, groupIds, overflow };
}

function groupReports(
  ids: LabelMap<number>,
  groupOf: Int32Array,
  y: Uint8Array,
  scores: Float64Array[],
  w: Float64Array | null,
  kinds: ScoreKind[],
  params: BinaryParams,
): ClassGroupReport[] {
  const out: ClassGroupReport[] = [];
  // The rows of each group, in file order, from one pass.
  const members: number[][] = Array.from({ length: ids.size }, () => []);
  for (let i = 0; i < groupOf.length; i++) if (groupOf[i] >= 0) members[groupOf[i]].push(i);
  for (const [value, id] of ids.entries()) {
    const rowsOf = members[id];
    if (rowsOf.length === 0) continue;
    const gy = Uint8Array.from(rowsOf, (i) => y[i]);
    const gw = w ? Float64Array.from(rowsOf, (i) => w[i]) : null;
    const metrics = scores.map((s, k) => {
      const m = binaryStats(gy, Float64Array.from(rowsOf, (i) => s[i]), gw, kinds[k] === 'logits', params).metrics;
      for (const key of Object.keys(m) as (keyof typeof m)[]) {
        const v = m[key];
        if (v !== null && !Number.isFinite(v)) m[key] = null;
      }
      return m;
    });
    let weight = rowsOf.length;
    if (gw) weight = gw.reduce((a, b) => a + b, 0);
    out.push({ value, rows: rowsOf.length, weight, metrics });
  }
  return out.sort((a, b) => b.rows - a.rows || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
}
