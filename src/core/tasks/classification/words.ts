/**
 * The sentences of the classification report, as pure code (no DOM, no vscode): strings or
 * pieces (plain text, `{ strong }`, `{ line }`) that the webview turns into nodes with
 * textContent (src/webview/words.ts). Tested in test/unit/classificationView.test.ts.
 */
import { num as f, percent } from '../../shown';
import type { Pieces } from '../regression/words';
import type { ClassificationParams, ClassificationReport, ClassModelReport, LossShare } from './report';
import { marginPull, marginRows, rowsBelowMargin, type MarginLossKey, MARGIN_MIN } from './margins';
import type { ThresholdPoint } from './thresholds';
import { marginXs, positiveRate, worstCalibrationBin } from './view';

const s = (n: number) => (n === 1 ? '' : 's');
/** A number with a typographic minus. */
const signed = (x: number, digits: number) => f(x, digits).replace('-', '−');
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
export function classSettingsNote(settings: { threshold?: number; gamma?: number; alpha?: number; gammaTrial?: number }, params: ClassificationParams): string | null {
  const diff: string[] = [];
  if (settings.threshold !== undefined && settings.threshold !== params.threshold) diff.push(`threshold ${settings.threshold} (the report: ${params.threshold})`);
  // A γ tried with the report's γ slider is not a stale setting (the γ panel says so).
  if (settings.gamma !== undefined && settings.gamma !== params.gamma && settings.gammaTrial !== params.gamma) diff.push(`γ = ${settings.gamma} (the report: ${params.gamma})`);
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

// ---- loss and gradient curves against the margin ------------------------------------------------

const lossNames = (m: Pick<ClassModelReport, 'scores'>, gamma: number) => `log loss (= BCE), focal (γ = ${gamma}), Brier${m.scores === 'logits' ? ', hinge, squared hinge' : ''}`;

/** The loss chart's label (what a screen reader says of it). */
export function marginLossLabel(m: Pick<ClassModelReport, 'prediction' | 'scores'>, gamma: number): string {
  return `Loss of one row against its margin (the log-odds of the probability ${m.prediction} gives its true class): ${lossNames(m, gamma)}, over the rows of ${m.prediction} by margin`;
}

/** The gradient chart's label. */
export function marginPullLabel(m: Pick<ClassModelReport, 'prediction' | 'scores'>, gamma: number): string {
  return `Pull of one row |∂loss/∂logit| against its margin: ${lossNames(m, gamma)}`;
}

/** What the common x axis is. */
export const MARGIN_AXIS_TEXT =
  'The x axis is the margin: the log-odds of the probability a row gives its true class, log(p / (1 − p)) — on logits, the logit signed by the label (y·z with y = ±1). 0 is p = 0.5, −3 is p = 0.047, +3 is p = 0.953. Every loss here is a function of it; focal leaves out α_t, which only scales it.';

/** Rows beyond the histogram's range, or null when there are none. */
export function marginBeyond(m: Pick<ClassModelReport, 'prediction' | 'marginHistogram'>): string | null {
  const h = m.marginHistogram;
  if (h.below + h.above === 0) return null;
  const parts: string[] = [];
  if (h.below) parts.push(`${h.below} row${s(h.below)} below margin ${signed(h.min, 3)} (p(true class) < ${f(1 / (1 + Math.exp(-h.min)), 2)}, confidently wrong)`);
  if (h.above) parts.push(`${h.above} row${s(h.above)} at margin ${h.max} or above (p > ${f(1 / (1 + Math.exp(-h.max)), 4)})`);
  return `Beyond the chart: ${parts.join(' and ')}.`;
}

/**
 * Which rows each loss pulls hardest on, with how many rows of the model are there (from the
 * margin histogram: whole bins, 0.25 of margin wide). One paragraph per loss.
 */
export function pullText(m: Pick<ClassModelReport, 'prediction' | 'scores' | 'marginHistogram'>, gamma: number): Pieces[] {
  const h = m.marginHistogram;
  const n = marginRows(h);
  if (n === 0) return [['No rows.']];
  const rows = (k: number) => `${k} row${s(k)} (${percent(k / n)})`;
  const below = (x: number) => rowsBelowMargin(h, x);
  const pull = (key: MarginLossKey, x: number) => marginPull(key, x, gamma);
  const out: Pieces[] = [];
  const wrong = below(0);
  const sure = below(-3);
  out.push([
    { strong: 'Log loss (= BCE)' },
    ` pulls each row by 1 − p(true class), |p − y|: hardest on the confidently wrong rows, up to 1, and it never lets go of them. ${rows(wrong)} of ${m.prediction} are wrong at p = 0.5 (margin < 0) and pull at least 0.5 each; `,
    { strong: `${rows(sure)} are confidently wrong` },
    ` (margin < −3, p < 0.05) and pull more than ${f(pull('logLoss', -3), 3)}.`,
  ]);
  const right = n - below(2);
  const ratio = pull('focal', 2) / pull('logLoss', 2);
  const focal: Pieces = [{ strong: `Focal (γ = ${gamma})` }];
  if (gamma === 0) focal.push(' is log loss weighted by α_t: it pulls the same rows as hard.');
  else {
    // Its largest pull on the axis, and where: above log loss's on moderately wrong rows.
    let peak = 0;
    let at = 0;
    for (const x of marginXs()) {
      const v = pull('focal', x);
      if (v > peak) [peak, at] = [v, x];
    }
    focal.push(
      peak > pull('logLoss', at) * 1.05 && at > MARGIN_MIN
        ? ` pulls the wrong rows as hard as log loss or harder — most (${f(peak, 3)}) near margin ${signed(at, 2)}, p = ${f(1 / (1 + Math.exp(-at)), 2)} —`
        : ' pulls the confidently wrong rows almost as hard as log loss (up to 1)',
      ` and lets go of the rows already right: at margin 2 (p = 0.88) it pulls ${f(pull('focal', 2), 2)}, ${f(1 / ratio, 3)}× less than log loss. The ${rows(right)} with margin ≥ 2 weigh little in it.`,
    );
  }
  out.push(focal);
  out.push([
    { strong: 'Brier' },
    ` pulls hardest at margin ${signed(-Math.log(2), 2)} (p(true class) = 1/3), by ${f(pull('brier', -Math.log(2)), 2)}, and less the more confidently wrong a row is: at margin −3 only ${f(pull('brier', -3), 2)}, at −6 ${f(pull('brier', -6), 2)}. `,
    { strong: `The ${rows(sure)} that log loss pulls hardest, Brier nearly ignores` },
    ': it gives up on the confidently wrong rows (label errors stay cheap under it).',
  ]);
  if (m.scores === 'logits') {
    const pulled = below(1);
    out.push([
      { strong: 'Hinge' },
      ` pulls every row with margin < 1 by exactly 1 and the others not at all: ${rows(pulled)} pull, the ${n - pulled} with margin ≥ 1 are done (a wrong row pulls no harder than one barely inside the margin).`,
    ]);
    out.push([
      { strong: 'Squared hinge' },
      ` pulls by 2·(1 − margin), without bound: hardest on the most wrong rows, as log loss but growing instead of levelling off — a row at margin −3 pulls ${f(pull('squaredHinge', -3) / pull('squaredHinge', 0), 2)}× as hard as one at margin 0. ${rows(sure)} are below −3.`,
    ]);
  }
  return out;
}

// ---- the threshold and γ sliders ----------------------------------------------------------------

/**
 * What the threshold being tried changes against the one in force, for one model: "At 0.3
 * instead of 0.5: 412 more rows predicted positive (2184 of 3000); recall 0.757 → 0.89, …".
 */
export function thresholdMoveText(prediction: string, at: ThresholdPoint, inForce: ThresholdPoint, weighted: boolean): string {
  const predicted = (p: ThresholdPoint) => p.counts[0][1] + p.counts[1][1];
  const all = (p: ThresholdPoint) => p.counts[0][0] + p.counts[0][1] + p.counts[1][0] + p.counts[1][1];
  const unit = weighted ? 'weight' : 'rows';
  if (at.threshold === inForce.threshold) return `${prediction} at the threshold in force, ${at.threshold}: ${f(predicted(at), 6)} of ${f(all(at), 6)} ${unit} predicted positive.`;
  const d = predicted(at) - predicted(inForce);
  const change = (name: string, k: 'recall' | 'precision' | 'f1' | 'accuracy') => `${name} ${f(inForce[k], 3)} → ${f(at[k], 3)}`;
  const more = d === 0 ? `the same ${unit} predicted positive` : `${f(Math.abs(d), 6)} ${d > 0 ? 'more' : 'fewer'} ${unit} predicted positive (${f(predicted(at), 6)} of ${f(all(at), 6)})`;
  return `${prediction} at ${at.threshold} instead of ${inForce.threshold}: ${more}; ${[change('recall', 'recall'), change('precision', 'precision'), change('F1', 'f1'), change('accuracy', 'accuracy')].join(', ')}.`;
}

/** The threshold in force, and whether the one tried differs. */
export function thresholdInForce(inForce: number, tried: number): string {
  return tried === inForce ? `(the threshold in force: the report’s and the setting’s)` : `(in force: ${inForce}; the summary above shows its numbers)`;
}

/**
 * Where the report's γ comes from: the setting, or the report's γ slider (computed for this
 * report only).
 */
export function gammaSource(reportGamma: number, settingGamma: number | undefined, trial: boolean): string {
  if (trial && settingGamma !== undefined && settingGamma !== reportGamma) return `Every focal number of this report is at γ = ${reportGamma}, tried here; the setting lossInspector.focal.gamma is ${settingGamma}.`;
  return `Every focal number of this report is at γ = ${reportGamma}, the setting.`;
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
