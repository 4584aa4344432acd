/**
 * The sentences of the classification report, as pure code (no DOM, no vscode): strings or
 * pieces (plain text, `{ strong }`, `{ line }`) that the webview turns into nodes with
 * textContent (src/webview/words.ts). Tested in test/unit/classificationView.test.ts.
 */
import { num as f, percent } from '../../shown';
import type { Pieces } from '../regression/words';
import type { ClassificationParams, ClassificationReport, ClassModelReport, LossShare } from './report';
import { positiveRate, rowsBelow, worstCalibrationBin } from './view';

const s = (n: number) => (n === 1 ? '' : 's');
const q = (x: string) => `“${x}”`;

/** A share as the report writes it next to a bar: whole percent, one decimal below 1% and above 99.5%. */
export function sharePercent(share: number | null): string {
  if (share === null || !Number.isFinite(share)) return '—';
  return percent(share, share > 0 && (share < 0.01 || share > 0.995) ? 1 : 0);
}

// ---- header ----------------------------------------------------------------------------------

/** What the engine read the file as: "Binary classification of “y_true”: classes “0” and “1”, positive class “1”." */
export function taskSentence(r: Pick<ClassificationReport, 'target' | 'classes' | 'positive' | 'weight'>): Pieces {
  const out: Pieces = [
    { strong: 'Binary classification' },
    ` of the label ${q(r.target)}: classes ${r.classes.map(q).join(' and ')}, positive class `,
    { strong: q(r.positive) },
  ];
  if (r.weight) out.push(`, rows weighted by ${q(r.weight)}`);
  out.push('.');
  return out;
}

/** How each model's scores were read: "“prob” read as probabilities, “logit” as logits." */
export function scoresSentence(r: { models: readonly Pick<ClassModelReport, 'prediction' | 'scores'>[] }): string {
  return r.models.map((m, i) => `${q(m.prediction)} ${i === 0 ? 'read as ' : 'as '}${m.scores}`).join(', ') + '.';
}

/** Rows used, and the threshold and focal parameters in force. */
export function paramsLine(r: Pick<ClassificationReport, 'rows' | 'params'>): string {
  const p = r.params;
  return `${r.rows.used} of ${r.rows.total} rows used${r.rows.skipped ? ` · ${r.rows.skipped} skipped` : ''} · threshold ${p.threshold} · focal γ = ${p.gamma}, α = ${p.alpha}${p.alpha < 0 ? ' (no α weighting)' : ''}`;
}

/** Settings that no longer match the report (changed since it was computed), or null. */
export function classSettingsNote(settings: { threshold?: number; gamma?: number; alpha?: number }, params: ClassificationParams): string | null {
  const diff: string[] = [];
  if (settings.threshold !== undefined && settings.threshold !== params.threshold) diff.push(`threshold ${settings.threshold} (the report: ${params.threshold})`);
  if (settings.gamma !== undefined && settings.gamma !== params.gamma) diff.push(`γ = ${settings.gamma} (the report: ${params.gamma})`);
  if (settings.alpha !== undefined && settings.alpha !== params.alpha) diff.push(`α = ${settings.alpha} (the report: ${params.alpha})`);
  return diff.length ? `The settings now say ${diff.join(', ')}. ` : null;
}

// ---- robustness ------------------------------------------------------------------------------

/**
 * "The worst 1% of rows (30 of 3000) carry 9% of the log loss of “prob”; the worst 10% (300)
 * carry 38%." With a comparison to an even spread when the worst rows carry much more.
 */
export function robustnessSentence(m: Pick<ClassModelReport, 'prediction' | 'robustness'>, used: number): Pieces {
  const { worst1, worst10 } = m.robustness;
  if (worst1.share === null) return [`The log loss of ${q(m.prediction)} is 0 (or not finite) over the rows, so no row carries a share of it.`];
  const who = (w: LossShare, pct: string) => (w.rows === 1 ? `The worst row` : `The worst ${pct} of rows`) + ` (${w.rows}${w.rows === 1 ? '' : ` of ${used}`})`;
  const out: Pieces = [
    { strong: `${who(worst1, '1%')} carr${worst1.rows === 1 ? 'ies' : 'y'} ${sharePercent(worst1.share)} of the log loss` },
    ` of ${q(m.prediction)}`,
  ];
  if (worst10.share !== null && worst10.rows > worst1.rows) out.push(`; the worst 10% (${worst10.rows}) carry ${sharePercent(worst10.share)}`);
  out.push('.');
  const even = worst1.rows / Math.max(1, used);
  if (worst1.share >= 5 * even && worst1.share >= 0.05) {
    out.push(
      ` That is ${f(worst1.share / even, 2)}× an even share: a few confidently wrong rows — often label errors — weigh on the log loss (and on any model trained with it). Each of them adds at least ${f(worst1.threshold, 3)}.`,
    );
  } else {
    out.push(' The log loss is spread over many rows: no handful of rows dominates it.');
  }
  return out;
}

// ---- the probability given to the true class --------------------------------------------------

/** What the distribution of p(true class) says: how many rows are wrong at 0.5, how many confidently. */
export function trueClassText(m: Pick<ClassModelReport, 'prediction' | 'trueClassHistogram'>): Pieces {
  const h = m.trueClassHistogram;
  const total = h.reduce((a, b) => a + b, 0);
  if (total === 0) return ['No rows.'];
  const wrong = rowsBelow(h, 0.5);
  const sure = rowsBelow(h, 0.05);
  const out: Pieces = [
    'The bars show how much probability ',
    { strong: m.prediction },
    ` gives each row’s true class. ${percent(wrong / total)} of the rows get less than 0.5 (wrong at an even threshold); `,
    { strong: `${sure} row${s(sure)} (${percent(sure / total)}) get less than 0.05` },
    sure > 0
      ? `: confidently wrong. Each adds more than ${f(-Math.log(0.05), 3)} to the log loss, and the log loss grows without bound as p → 0, while Brier stays below 1 and focal discounts the rows already right (p near 1).`
      : '. The log loss grows without bound as p → 0, Brier stays below 1, and focal discounts the rows already right (p near 1).',
  ];
  return out;
}

export function trueClassLabel(m: Pick<ClassModelReport, 'prediction' | 'scores'>, gamma: number): string {
  return `Loss of one row against the probability ${m.prediction} gives its true class: log loss, focal (γ = ${gamma}), Brier${m.scores === 'logits' ? ', hinge' : ''}, over the distribution of that probability`;
}

// ---- ROC, PR, reliability, confusion ------------------------------------------------------------

export function rocText(m: Pick<ClassModelReport, 'prediction' | 'metrics'>): string {
  const auc = m.metrics.rocAuc;
  if (auc === null) return `ROC AUC is not defined for ${q(m.prediction)}: the rows hold one class only.`;
  return `ROC AUC ${f(auc, 4)}: a random positive row gets a higher score than a random negative one ${percent(auc, 0)} of the time (0.5 is chance).`;
}

export function prText(m: Pick<ClassModelReport, 'prediction' | 'metrics' | 'confusion'>): string {
  const ap = m.metrics.averagePrecision;
  const base = positiveRate(m);
  const baseText = base === null ? '' : ` A model that guesses has a precision of ${f(base, 3)}, the share of positive rows.`;
  if (ap === null) return `Average precision is not defined for ${q(m.prediction)}.${baseText}`;
  return `Average precision ${f(ap, 4)}.${baseText}`;
}

export function reliabilityText(m: Pick<ClassModelReport, 'prediction' | 'metrics' | 'reliability'>): Pieces {
  const ece = m.metrics.ece;
  const out: Pieces = [
    `Each point is one of 15 equal bins of the predicted probability of the positive class: its mean probability against the share of its rows that are positive. A calibrated model sits on the diagonal. `,
  ];
  if (ece !== null) out.push({ strong: `ECE ${f(ece, 3)}` }, ': on average, weighted by rows, a bin is off the diagonal by that much.');
  const worst = worstCalibrationBin(m);
  if (worst && worst.gap > 0.05) {
    out.push(
      ` The bin that adds most: rows given ${f(worst.lo, 2)}–${f(worst.hi, 2)} (mean ${f(worst.x, 3)}) are positive ${percent(worst.y, 0)} of the time, ${worst.y < worst.x ? 'less' : 'more'} often than predicted.`,
    );
  }
  return out;
}

export function confusionCaption(m: Pick<ClassModelReport, 'prediction'>, threshold: number, scores: ClassModelReport['scores']): string {
  const at = scores === 'logits' ? `logit ≥ ${f(Math.log(threshold / (1 - threshold)), 4)} (p ≥ ${threshold})` : `p ≥ ${threshold}`;
  return `${m.prediction}: true class by row, predicted class by column; predicted positive when ${at}.`;
}

// ---- worst rows ------------------------------------------------------------------------------

export function worstRowsCaption(m: Pick<ClassModelReport, 'prediction' | 'worst'>): string {
  return `${m.prediction}: the ${m.worst.length} largest log losses`;
}

export function perClassCaption(r: Pick<ClassificationReport, 'weight'>): string {
  return `Per true class: support${r.weight ? ' (weight)' : ' (rows)'}, precision, recall and F1 of the class at the threshold, and its share of the log loss.`;
}
