/**
 * The sentences of the multiclass report, as pure code (no DOM, no vscode): strings or pieces
 * that the webview turns into nodes (src/webview/words.ts). The sentences the binary report has
 * too (score kinds, the worst rows' share, the worst rows' caption) are classification/words.ts's.
 * Tested in test/unit/multiclassView.test.ts.
 */
import { num as f, percent } from '../../shown';
import { worstCalibrationBin } from '../classification/view';
import type { Pieces } from '../regression/words';
import type { MulticlassReport, MultiModelReport } from './report';
import { ConfusedPair, MATRIX_MAX_CLASSES, offDiagonalShare } from './view';

const q = (x: string) => `“${x}”`;
/** Classes named in a sentence, at most this many. */
const NAMED = 12;

/** What the engine read the file as: "Multiclass classification of the label “label”: 3 classes (“bird”, “cat”, “dog”)." */
export function multiTaskSentence(r: Pick<MulticlassReport, 'target' | 'classes' | 'weight'>): Pieces {
  const named = r.classes.slice(0, NAMED).map(q).join(', ') + (r.classes.length > NAMED ? `, … (${r.classes.length - NAMED} more)` : '');
  const out: Pieces = [{ strong: 'Multiclass classification' }, ` of the label ${q(r.target)}: `, { strong: `${r.classes.length} classes` }, ` (${named}); the predicted class is the highest score`];
  if (r.weight) out.push(`, rows weighted by ${q(r.weight)}`);
  out.push('.');
  return out;
}

/** Rows used, and the focal γ and label smoothing in force. */
export function multiParamsLine(r: Pick<MulticlassReport, 'rows' | 'params'>): string {
  const p = r.params;
  return `${r.rows.used} of ${r.rows.total} rows used${r.rows.skipped ? ` · ${r.rows.skipped} skipped` : ''} · focal γ = ${p.gamma} · cross-entropy label smoothing ${p.labelSmoothing}`;
}

/** The focal γ changed in the settings since the report was computed, or null. */
export function multiSettingsNote(settings: { gamma?: number }, params: MulticlassReport['params']): string | null {
  if (settings.gamma === undefined || settings.gamma === params.gamma) return null;
  return `The settings now say γ = ${settings.gamma} (the report: ${params.gamma}). `;
}

/** Under the summary: the metrics not defined for a model and why ("hinge of “p”: …"). */
export function nullNote(model: string, metric: string, reason: string): string {
  return `${metric} of ${q(model)}: — because ${reason}.`;
}

export function multiReliabilityText(m: Pick<MultiModelReport, 'prediction' | 'metrics' | 'reliability'>): Pieces {
  const ece = m.metrics.ece;
  const out: Pieces = [
    `Each point is one of 15 equal bins of the top-class confidence (the highest probability of a row): its mean confidence against the share of its rows whose top class is the label. A calibrated model sits on the diagonal. `,
  ];
  if (ece !== null) out.push({ strong: `ECE ${f(ece, 3)}` }, ': on average, weighted by rows, a bin is off the diagonal by that much.');
  const worst = worstCalibrationBin(m);
  if (worst && worst.gap > 0.05) {
    out.push(
      ` The bin that adds most: rows whose top class gets ${f(worst.lo, 2)}–${f(worst.hi, 2)} (mean ${f(worst.x, 3)}) are right ${percent(worst.y, 0)} of the time, ${worst.y < worst.x ? 'less often than the model is confident (over-confident)' : 'more often than it is confident (under-confident)'}.`,
    );
  }
  return out;
}

export function multiConfusionCaption(m: Pick<MultiModelReport, 'prediction'>): string {
  return `${m.prediction}: true class by row, predicted class by column`;
}

/** Above the matrices: how much is off the diagonal, and (many classes) that the pairs are listed instead. */
export function confusionIntro(r: Pick<MulticlassReport, 'classes'>, models: readonly Pick<MultiModelReport, 'prediction' | 'confusion'>[]): string {
  const off = models.map((m) => {
    const s = offDiagonalShare(m);
    return `${models.length > 1 ? `${q(m.prediction)}: ` : ''}${s === null ? '—' : percent(s)}`;
  });
  const base = `Rows off the diagonal (misclassified): ${off.join(', ')}.`;
  if (r.classes.length <= MATRIX_MAX_CLASSES) return `${base} The predicted class is the highest score; the darker a cell, the larger its share of the true class (its row). Hover a cell for its count and share.`;
  return `${base} With ${r.classes.length} classes the matrix would not be readable (more than ${MATRIX_MAX_CLASSES}): the most confused pairs are listed instead.`;
}

/** One confused pair: "“cat” taken for “dog”: 12 rows (30% of “cat”)". */
export function confusedPairText(classes: readonly string[], p: ConfusedPair, weighted: boolean): string {
  return `${q(classes[p.actual])} taken for ${q(classes[p.predicted])}: ${f(p.count, 6)} ${weighted ? 'weight' : p.count === 1 ? 'row' : 'rows'} (${percent(p.rowShare)} of ${q(classes[p.actual])})`;
}

export function multiPerClassCaption(r: Pick<MulticlassReport, 'weight'>): string {
  return `Per true class: support${r.weight ? ' (weight)' : ' (rows)'}, precision, recall and F1 of the class (predicted = the highest score), and its share of the log loss.`;
}
