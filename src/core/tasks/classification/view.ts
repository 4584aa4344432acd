/**
 * Chart-ready data of the classification report (the webview's sections draw it): the metrics
 * in display order with their formulas and direction, the best model per metric, the loss and
 * gradient curves against the margin, the histograms of the margin and of p(true class), the ROC,
 * precision–recall and reliability points, the confusion matrix with row shares. Pure: no DOM,
 * no vscode; tested in plain Node (test/unit/classificationView.test.ts).
 */
import { niceCeil, type XY } from '../regression/view/common';
import type { BinaryMetricKey } from './binary';
import { marginLoss, type MarginHistogram, type MarginLossKey, marginPull, marginRows, MARGIN_MAX, MARGIN_MIN } from './margins';
import type { ClassificationReport, ClassModelReport } from './report';

/** A classifier's metric as the report shows it (binary: BinaryMetricKey; multiclass: its own keys). */
export interface ClassifierMetricDef<K extends string> {
  key: K;
  label: string;
  /** The definition, shown as the label's tooltip. */
  formula: string;
  /** Which way is better. */
  better: 'lower' | 'higher';
}

export type ClassMetricDef = ClassifierMetricDef<BinaryMetricKey>;

/** The metrics in the summary's order (the CLI's order, src/core/tasks/classification/text.ts). */
export const CLASS_METRICS: readonly ClassMetricDef[] = [
  { key: 'logLoss', label: 'log loss', formula: 'scikit-learn log_loss: mean of −log p(true class), p clipped to [ε, 1 − ε]', better: 'lower' },
  { key: 'bce', label: 'BCE (PyTorch)', formula: 'PyTorch binary_cross_entropy (each log clamped at −100), or binary_cross_entropy_with_logits on logits', better: 'lower' },
  { key: 'focal', label: 'focal (γ, α)', formula: 'torchvision sigmoid_focal_loss: mean of −α_t·(1 − p_t)^γ·log p_t', better: 'lower' },
  { key: 'brier', label: 'Brier', formula: 'scikit-learn brier_score_loss: mean of (p − y)²', better: 'lower' },
  { key: 'hinge', label: 'hinge', formula: 'scikit-learn hinge_loss: mean of max(0, 1 − y±·z) on logits (decision values); not defined on probabilities', better: 'lower' },
  { key: 'accuracy', label: 'accuracy', formula: 'share of rows whose predicted class (p ≥ threshold) is the label', better: 'higher' },
  { key: 'balancedAccuracy', label: 'balanced accuracy', formula: 'mean of the recall of each class', better: 'higher' },
  { key: 'precision', label: 'precision', formula: 'of the rows predicted positive, the share that are positive: TP / (TP + FP)', better: 'higher' },
  { key: 'recall', label: 'recall', formula: 'of the positive rows, the share predicted positive: TP / (TP + FN)', better: 'higher' },
  { key: 'f1', label: 'F1', formula: 'harmonic mean of precision and recall: 2·TP / (2·TP + FP + FN)', better: 'higher' },
  { key: 'mcc', label: 'MCC', formula: 'Matthews correlation coefficient (scikit-learn matthews_corrcoef), −1…1', better: 'higher' },
  { key: 'rocAuc', label: 'ROC AUC', formula: 'scikit-learn roc_auc_score: the chance a random positive row scores above a random negative one (ties count half)', better: 'higher' },
  { key: 'averagePrecision', label: 'average precision', formula: 'scikit-learn average_precision_score: Σ (Rₙ − Rₙ₋₁)·Pₙ over the thresholds', better: 'higher' },
  { key: 'ece', label: 'ECE (15 bins)', formula: 'expected calibration error (torchmetrics): Σ over 15 equal bins of |observed rate − mean probability| × share of rows', better: 'lower' },
];

/** Indexes of the best model(s) for a metric; empty with fewer than two models with a value, or all tied. */
export function bestClassModels(report: Pick<ClassificationReport, 'models'>, key: BinaryMetricKey): number[] {
  return bestModelsBy(report.models, CLASS_METRICS, key);
}

/** The best model(s) by a metric of `defs` (binary or multiclass): see bestClassModels. */
export function bestModelsBy<K extends string>(models: readonly { metrics: Record<K, number | null> }[], defs: readonly ClassifierMetricDef<K>[], key: K): number[] {
  if (models.length < 2) return [];
  const def = defs.find((d) => d.key === key);
  const score = (v: number) => (def?.better === 'higher' ? -v : v);
  let best = Infinity;
  for (const m of models) {
    const v = m.metrics[key];
    if (v !== null && Number.isFinite(v)) best = Math.min(best, score(v));
  }
  // Best of one (the only model with a hinge loss, on logits) is no comparison.
  if (best === Infinity || models.filter((m) => m.metrics[key] !== null).length < 2) return [];
  const winners = models.flatMap((m, i) => {
    const v = m.metrics[key];
    return v !== null && score(v) === best ? [i] : [];
  });
  return winners.length === models.length ? [] : winners;
}

/** One row of a classifier's summary table: a metric's value for every model, the best, and why a value is missing. */
export interface MetricRow {
  key: string;
  label: string;
  formula: string;
  better: 'lower' | 'higher';
  values: (number | null)[];
  /** Indexes of the best models (bestModelsBy). */
  best: number[];
  /** Per model: why the value is null (null when it has one). */
  reasons: (string | null)[];
}

/** The summary table of any classifier's report: `reason(model, key)` says why a null value is null. */
export function metricRows<K extends string>(
  models: readonly { metrics: Record<K, number | null> }[],
  defs: readonly ClassifierMetricDef<K>[],
  reason: (model: number, key: K) => string | null = () => 'not defined for this data',
): MetricRow[] {
  return defs.map((d) => ({
    key: d.key,
    label: d.label,
    formula: d.formula,
    better: d.better,
    values: models.map((m) => m.metrics[d.key]),
    best: bestModelsBy(models, defs, d.key),
    reasons: models.map((m, i) => (m.metrics[d.key] === null ? reason(i, d.key) : null)),
  }));
}

// ---- loss and gradient curves against the margin ------------------------------------------------

export interface ClassCurve {
  key: MarginLossKey;
  label: string;
  points: XY[];
}

export interface ClassCurveSet {
  curves: ClassCurve[];
  /** The y axis top: every curve's shape shows; squared hinge may leave the chart above it. */
  yMax: number;
  /** Keys of the curves that leave the chart. */
  offChart: MarginLossKey[];
}

/** The margins the curves are drawn at: MARGIN_MIN … MARGIN_MAX every 0.05 (1, hinge's kink, included). */
export function marginXs(): number[] {
  const per = 20;
  const out: number[] = [];
  for (let i = 0; i <= (MARGIN_MAX - MARGIN_MIN) * per; i++) out.push(MARGIN_MIN + i / per);
  return out;
}

/** The curves drawn for a model: hinge and squared hinge only on logits (scikit-learn's hinge_loss needs decision values). */
function curveKeys(hinge: boolean): MarginLossKey[] {
  return hinge ? ['logLoss', 'focal', 'brier', 'hinge', 'squaredHinge'] : ['logLoss', 'focal', 'brier'];
}

const CURVE_LABEL: Record<MarginLossKey, (gamma: number) => string> = {
  logLoss: () => 'log loss = BCE',
  focal: (g) => `focal (γ = ${g})`,
  brier: () => 'Brier',
  hinge: () => 'hinge',
  squaredHinge: () => 'squared hinge',
};

function curveSet(hinge: boolean, gamma: number, f: (key: MarginLossKey, m: number) => number): ClassCurveSet {
  const xs = marginXs();
  const curves = curveKeys(hinge).map((key) => ({ key, label: CURVE_LABEL[key](gamma), points: xs.map((x) => ({ x, y: finite(f(key, x)) })) }));
  // Squared hinge grows as (1 − m)²: the axis fits the others.
  let top = 0;
  for (const c of curves) if (c.key !== 'squaredHinge') for (const p of c.points) if (p.y !== null) top = Math.max(top, p.y);
  const yMax = niceCeil(top * 1.02);
  const offChart = curves.filter((c) => c.points.some((p) => p.y !== null && p.y > yMax)).map((c) => c.key);
  return { curves, yMax, offChart };
}

/**
 * The loss of one row against its margin m (the log-odds of the probability it gives its true
 * class, margins.ts): log loss softplus(−m) = −log p, focal at γ (without α_t), Brier (1 − p)²,
 * and on logits hinge max(0, 1 − m) and squared hinge max(0, 1 − m)².
 */
export function marginLossCurves(gamma: number, hinge: boolean): ClassCurveSet {
  return curveSet(hinge, gamma, (key, m) => marginLoss(key, m, gamma));
}

/** The pull |∂loss/∂logit| of one row against its margin (null at hinge's kink, so the step shows). */
export function marginPullCurves(gamma: number, hinge: boolean): ClassCurveSet {
  return curveSet(hinge, gamma, (key, m) => marginPull(key, m, gamma));
}

function finite(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}

/**
 * The γ slider's values: 0 to 5 by 0.1 (past 5 when γ is larger), and the report's and the
 * setting's γ when they are off that grid; ascending.
 */
export function gammaGrid(...also: (number | undefined)[]): number[] {
  const top = Math.max(5, ...also.filter((g): g is number => g !== undefined && Number.isFinite(g)).map((g) => Math.ceil(g)));
  const out: number[] = [];
  for (let i = 0; i <= top * 10; i++) out.push(i / 10);
  for (const g of also) if (g !== undefined && g >= 0 && Number.isFinite(g) && !out.includes(g)) out.push(g);
  return out.sort((x, y) => x - y);
}

/** The margin histogram as bars with their share of all rows (those beyond the range included). */
export function marginBars(h: MarginHistogram): ShareBar[] {
  const total = marginRows(h);
  const w = (h.max - h.min) / Math.max(1, h.counts.length);
  return h.counts.map((count, i) => ({ x: h.min + (i + 0.5) * w, x0: h.min + i * w, x1: h.min + (i + 1) * w, count, share: total > 0 ? count / total : 0 }));
}

export interface ShareBar {
  /** Bin centre and edges. */
  x: number;
  x0: number;
  x1: number;
  count: number;
  /** count / all rows (0 when there are none). */
  share: number;
}

// ---- ROC, precision–recall, reliability ----------------------------------------------------

/** ROC points (false positive rate, true positive rate) for a line chart. */
export function rocPoints(m: Pick<ClassModelReport, 'roc'>): { x: number; y: number }[] {
  return m.roc.fpr.map((x, i) => ({ x, y: m.roc.tpr[i] }));
}

/** Precision–recall points, by increasing recall (a step curve as scikit-learn draws it). */
export function prPoints(m: Pick<ClassModelReport, 'pr'>): { x: number; y: number }[] {
  const pts = m.pr.recall.map((x, i) => ({ x, y: m.pr.precision[i] }));
  return pts.sort((a, b) => a.x - b.x || b.y - a.y);
}

/** The share of positive rows (weighted: the confusion matrix's), the precision of a random classifier. */
export function positiveRate(m: Pick<ClassModelReport, 'confusion'>): number | null {
  const [[tn, fp], [fn, tp]] = m.confusion.counts;
  const all = tn + fp + fn + tp;
  return all > 0 ? (fn + tp) / all : null;
}

export interface ReliabilityPoint {
  /** Mean predicted probability of the positive class in the bin. */
  x: number;
  /** Observed share of positive rows in the bin. */
  y: number;
  rows: number;
  lo: number;
  hi: number;
  /** |y − x|: the bin's calibration gap. */
  gap: number;
}

export function reliabilityPoints(m: Pick<ClassModelReport, 'reliability'>): ReliabilityPoint[] {
  return m.reliability.map((b) => ({ x: b.confidence, y: b.accuracy, rows: b.rows, lo: b.lo, hi: b.hi, gap: Math.abs(b.accuracy - b.confidence) }));
}

/** The bin that adds most to the ECE (gap × rows), or null without bins. */
export function worstCalibrationBin(m: Pick<ClassModelReport, 'reliability'>): ReliabilityPoint | null {
  let best: ReliabilityPoint | null = null;
  for (const p of reliabilityPoints(m)) if (!best || p.gap * p.rows > best.gap * best.rows) best = p;
  return best;
}

// ---- confusion matrix ----------------------------------------------------------------------

export interface ConfusionCell {
  count: number;
  /** Share of the true class's row (0…1), null for an empty row. */
  rowShare: number | null;
  correct: boolean;
}

/** The confusion matrix with each cell's share of its true class (the row). */
export function confusionCells(m: Pick<ClassModelReport, 'confusion'>): { labels: string[]; rows: ConfusionCell[][] } {
  const { labels, counts } = m.confusion;
  return {
    labels,
    rows: counts.map((row, i) => {
      const sum = row.reduce((a, b) => a + b, 0);
      return row.map((count, j) => ({ count, rowShare: sum > 0 ? count / sum : null, correct: i === j }));
    }),
  };
}

// ---- groups --------------------------------------------------------------------------------

/** Metrics a group table can show (every metric; the groups have them all). */
export const CLASS_GROUP_METRICS: readonly BinaryMetricKey[] = CLASS_METRICS.map((d) => d.key);

/**
 * The groups ordered worst first by `key` of model `mi` (a loss: largest first; a score such as
 * accuracy: smallest first; undefined values last; ties: the report's order).
 */
export function classGroupOrder(report: Pick<ClassificationReport, 'groups'>, key: BinaryMetricKey, mi: number): number[] {
  return groupOrderBy(report.groups?.groups ?? [], CLASS_METRICS, key, mi);
}

/** classGroupOrder for any classifier's groups and metric definitions (binary or multiclass). */
export function groupOrderBy<K extends string>(gs: readonly { metrics: readonly Record<K, number | null>[] }[], defs: readonly ClassifierMetricDef<K>[], key: K, mi: number): number[] {
  const higher = defs.find((d) => d.key === key)?.better === 'higher';
  const badness = (v: number | null | undefined) => (v === null || v === undefined ? -Infinity : higher ? -v : v);
  return gs.map((_, i) => i).sort((a, b) => badness(gs[b].metrics[mi]?.[key]) - badness(gs[a].metrics[mi]?.[key]) || a - b);
}
