/**
 * Chart-ready data of the classification report (the webview's sections draw it): the metrics
 * in display order with their formulas and direction, the best model per metric, the loss curves
 * against the probability given to the true class, the histogram of that probability, the ROC,
 * precision–recall and reliability points, the confusion matrix with row shares. Pure: no DOM,
 * no vscode; tested in plain Node (test/unit/classificationView.test.ts).
 */
import type { XY } from '../regression/view/common';
import type { BinaryMetricKey } from './binary';
import type { ClassificationParams, ClassificationReport, ClassModelReport } from './report';

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

// ---- loss curves against the probability given to the true class ------------------------------

export type ClassCurveKey = 'logLoss' | 'focal' | 'brier' | 'hinge';

export interface ClassCurve {
  key: ClassCurveKey;
  label: string;
  points: XY[];
}

export interface ClassCurveSet {
  curves: ClassCurve[];
  /** x from xMin to 1. */
  xMin: number;
  /** The y axis top: −log xMin (the log loss at the left edge), so that every curve's shape shows. */
  yMax: number;
}

/** Left end of the curves: −log p grows without bound at 0. */
export const CURVE_X_MIN = 0.005;

/**
 * One row's loss as a function of the probability p it gives to its true class: log loss −log p;
 * focal −(1 − p)^γ·log p (the α_t factor, α for positive rows and 1 − α for negative ones, left
 * out: it scales the curve); Brier (1 − p)²; hinge max(0, 1 − z) with z = log(p / (1 − p)) the
 * margin, drawn only when `hinge` (the model's scores are logits). Points are denser near 0,
 * where the curves bend.
 */
export function trueClassCurves(params: Pick<ClassificationParams, 'gamma'>, hinge: boolean, n = 200): ClassCurveSet {
  const xs: number[] = [];
  for (let i = 0; i <= n; i++) {
    // x = xMin·(1/xMin)^(i/n) for the left half, then linear: dense where the log curves bend.
    const t = i / n;
    xs.push(t < 0.5 ? CURVE_X_MIN * (0.5 / CURVE_X_MIN) ** (2 * t) : 0.5 + (t - 0.5));
  }
  const at = (f: (p: number) => number): XY[] => xs.map((x) => ({ x, y: finite(f(x)) }));
  const curves: ClassCurve[] = [
    { key: 'logLoss', label: 'log loss: −log p', points: at((p) => (p >= 1 ? 0 : -Math.log(p))) },
    { key: 'focal', label: `focal: −(1 − p)^${params.gamma}·log p`, points: at((p) => focalRow(p, params.gamma)) },
    { key: 'brier', label: 'Brier: (1 − p)²', points: at((p) => (1 - p) * (1 - p)) },
  ];
  if (hinge) curves.push({ key: 'hinge', label: 'hinge: max(0, 1 − margin)', points: at((p) => hingeRow(p)) });
  return { curves, xMin: CURVE_X_MIN, yMax: -Math.log(CURVE_X_MIN) };
}

/** The focal loss of a row giving p to its true class, without α_t. */
export function focalRow(p: number, gamma: number): number {
  return p >= 1 ? 0 : -((1 - p) ** gamma) * Math.log(p);
}

/** The hinge loss of a row giving p = σ(margin) to its true class. */
export function hingeRow(p: number): number {
  if (p >= 1) return 0;
  const margin = Math.log(p / (1 - p));
  return Math.max(0, 1 - margin);
}

function finite(v: number): number | null {
  return Number.isFinite(v) ? v : null;
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

/** The trueClassHistogram (20 equal bins over [0, 1]) as bars with their share of the rows. */
export function trueClassBars(hist: readonly number[]): ShareBar[] {
  const total = hist.reduce((a, b) => a + b, 0);
  const w = 1 / Math.max(1, hist.length);
  return hist.map((count, i) => ({ x: (i + 0.5) * w, x0: i * w, x1: (i + 1) * w, count, share: total > 0 ? count / total : 0 }));
}

/** Rows (from the histogram) that give their true class less than `p` (p a multiple of the bin width). */
export function rowsBelow(hist: readonly number[], p: number): number {
  const k = Math.round(p * hist.length);
  let n = 0;
  for (let i = 0; i < Math.min(k, hist.length); i++) n += hist[i];
  return n;
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
