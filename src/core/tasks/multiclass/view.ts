/**
 * Chart-ready data of the multiclass report (the webview's sections draw it): the metrics in
 * display order with their formulas and direction, why a metric is not defined, the confusion
 * matrix as shaded cells (up to MATRIX_MAX_CLASSES classes) or the most confused pairs beyond.
 * What is the binary report's too (best model, reliability points, cells with their row share)
 * comes from classification/view.ts. Pure: tested in test/unit/multiclassView.test.ts.
 */
import { ClassifierMetricDef, confusionCells } from '../classification/view';
import type { MultiMetricKey } from './metrics';
import type { MultiModelReport } from './report';

export type MultiMetricDef = ClassifierMetricDef<MultiMetricKey>;

/** The metrics in the summary's order (the CLI's too: text.ts prints these labels). */
export const MULTI_CLASS_METRICS: readonly MultiMetricDef[] = [
  { key: 'logLoss', label: 'log loss', formula: 'scikit-learn log_loss: mean of −log p(true class), each row clipped to [ε, 1 − ε] and renormalised; on logits −log softmax', better: 'lower' },
  { key: 'crossEntropy', label: 'cross-entropy (PyTorch)', formula: 'PyTorch cross_entropy with label smoothing E: mean of (1 − E)·(−log p_y) + E·mean over classes of −log p_k', better: 'lower' },
  { key: 'focal', label: 'focal (γ)', formula: 'mean of −(1 − p_t)^γ·log p_t, p_t the probability of the true class', better: 'lower' },
  { key: 'brier', label: 'Brier', formula: 'mean of Σ over classes of (p_k − [y = k])²', better: 'lower' },
  { key: 'hinge', label: 'hinge (Crammer–Singer)', formula: 'scikit-learn hinge_loss: mean of max(0, 1 − (z_y − max of the other z)) on logits; not defined on probabilities', better: 'lower' },
  { key: 'accuracy', label: 'accuracy', formula: 'share of rows whose highest-scored class (argmax) is the label', better: 'higher' },
  { key: 'balancedAccuracy', label: 'balanced accuracy', formula: 'mean of the recall of each class that has rows', better: 'higher' },
  { key: 'precision', label: 'precision (macro)', formula: 'mean over the classes of TP / (TP + FP), 0 for a class never predicted', better: 'higher' },
  { key: 'recall', label: 'recall (macro)', formula: 'mean over the classes of TP / (TP + FN)', better: 'higher' },
  { key: 'f1', label: 'F1 (macro)', formula: 'mean over the classes of the harmonic mean of their precision and recall', better: 'higher' },
  { key: 'mcc', label: 'MCC', formula: 'Matthews correlation coefficient, multiclass (scikit-learn matthews_corrcoef), −1…1', better: 'higher' },
  { key: 'rocAuc', label: 'ROC AUC (one vs rest)', formula: 'scikit-learn roc_auc_score(multi_class="ovr", average="macro") on probabilities (softmax of logits)', better: 'higher' },
  { key: 'averagePrecision', label: 'average precision', formula: 'mean over the classes of the one-vs-rest average precision (scikit-learn average_precision_score)', better: 'higher' },
  { key: 'ece', label: 'ECE (top label)', formula: 'torchmetrics MulticlassCalibrationError: Σ over 15 equal bins of the top probability of |accuracy − confidence| × share of rows', better: 'lower' },
];

/**
 * Why a metric of a model is null (shown beside the "—"), or null when it has a value. The
 * reasons are the build's (multiclass/build.ts): hinge on probabilities, a row giving 0 to a
 * class, a class without a row (or with every row), no rows of any true class, not finite.
 */
export function nullReason(m: Pick<MultiModelReport, 'metrics' | 'scores' | 'perClass'>, key: MultiMetricKey): string | null {
  if (m.metrics[key] !== null) return null;
  if (key === 'hinge' && m.scores === 'probabilities') return 'the hinge loss needs logits (decision values); these scores are read as probabilities';
  if (key === 'rocAuc' || key === 'averagePrecision') {
    const total = m.perClass.reduce((a, c) => a + c.support, 0);
    const absent = m.perClass.filter((c) => !(c.support > 0) || !(c.support < total)).map((c) => `“${c.label}”`);
    if (absent.length) return `one vs rest needs rows in and out of every class: ${absent.slice(0, 5).join(', ')}${absent.length > 5 ? ', …' : ''} ${absent.length === 1 ? 'has' : 'have'} no row (or every row)`;
  }
  if (key === 'crossEntropy') return 'a row gives probability 0 to a class, and log 0 is −∞ (the warnings say how many)';
  return 'not a finite number for this data';
}

/** Above this many classes the matrix is not drawn: the most confused pairs are listed instead. */
export const MATRIX_MAX_CLASSES = 50;

/** The confusion matrix with each cell's share of its true class (the binary report's cells). */
export const multiConfusionCells = confusionCells;

export interface ConfusedPair {
  /** True and predicted class indexes. */
  actual: number;
  predicted: number;
  count: number;
  /** Share of the true class's rows (0…1). */
  rowShare: number;
}

/**
 * The off-diagonal cells with a count, most first (ties: true class, then predicted class, in
 * class order): which classes the model mistakes for which.
 */
export function confusedPairs(m: Pick<MultiModelReport, 'confusion'>, limit: number): ConfusedPair[] {
  const counts = m.confusion.counts;
  const out: ConfusedPair[] = [];
  counts.forEach((row, i) => {
    const sum = row.reduce((a, b) => a + b, 0);
    row.forEach((count, j) => {
      if (i !== j && count > 0) out.push({ actual: i, predicted: j, count, rowShare: count / sum });
    });
  });
  out.sort((a, b) => b.count - a.count || a.actual - b.actual || a.predicted - b.predicted);
  return out.slice(0, Math.max(0, limit));
}

/** The share of all rows (weight) that are off the diagonal. */
export function offDiagonalShare(m: Pick<MultiModelReport, 'confusion'>): number | null {
  let all = 0;
  let off = 0;
  m.confusion.counts.forEach((row, i) => row.forEach((c, j) => ((all += c), i !== j && (off += c))));
  return all > 0 ? off / all : null;
}
