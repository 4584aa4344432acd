/**
 * The confusion matrix of every model at a threshold, with the threshold slider: the counts and
 * the metrics the threshold sets (precision, recall, F1, accuracy, …) at any threshold of the
 * report's table, exactly as the CLI gives them with --threshold T, and "Use T as the setting".
 * The table itself (confusionTable) is the multiclass report's too (multiConfusion.ts), shaded there.
 */
import type { ClassModelReport } from '../../core/tasks/classification/report';
import { thresholdAt, thresholdIndex, type ThresholdPoint } from '../../core/tasks/classification/thresholds';
import type { ConfusionCell } from '../../core/tasks/classification/view';
import { CLASS_METRICS, ClassifierMetricDef, confusionCells } from '../../core/tasks/classification/view';
import { confusionCaption, thresholdInForce, thresholdMoveText } from '../../core/tasks/classification/words';
import { colorDot, h, num as f, percent } from '../dom';
import type { ClassContext, ClassSection } from '../section';
import { sliderPanel } from '../sliderPanel';

/** The metrics the threshold sets, in the summary's order and words. */
const AT_KEYS = ['accuracy', 'balancedAccuracy', 'precision', 'recall', 'f1', 'mcc'] as const;
const AT_THRESHOLD = CLASS_METRICS.filter((d): d is ClassifierMetricDef<(typeof AT_KEYS)[number]> => (AT_KEYS as readonly string[]).includes(d.key));

/** The threshold in force (the report's) and the one being tried (the UI state's, on the table's grid). */
class TriedThreshold {
  constructor(private readonly ctx: ClassContext) {}

  get inForce(): number {
    return this.ctx.report.params.threshold;
  }

  /** The values of the table (every model has the same). */
  get values(): number[] {
    return this.ctx.report.models[0]?.thresholds.values ?? [this.inForce];
  }

  get index(): number {
    return thresholdIndex({ values: this.values }, this.ctx.ui.state.threshold ?? this.inForce);
  }

  get threshold(): number {
    return this.values[this.index] ?? this.inForce;
  }

  get same(): boolean {
    return this.threshold === this.inForce;
  }

  /** A model's counts and metrics at the threshold tried, and in force. */
  at(m: ClassModelReport): { tried: ThresholdPoint; inForce: ThresholdPoint } {
    const t = m.thresholds;
    return { tried: thresholdAt(t, this.index), inForce: thresholdAt(t, thresholdIndex(t, this.inForce)) };
  }
}

export const confusion: ClassSection = {
  id: 'confusion',
  render(ctx) {
    const r = ctx.report;
    const tried = new TriedThreshold(ctx);
    const title = h('h2', { id: 'confusion-title' });
    const matrices = h('div', { class: 'grid-auto' });
    const values = tried.values;
    const panel = sliderPanel({
      id: 'threshold-slider',
      className: 'threshold-panel',
      title: 'Try a threshold',
      label: `threshold T (predicted positive when p ≥ T), ${values[0]} to ${values[values.length - 1]}`,
      steps: values.length - 1,
      index: () => tried.index,
      valueText: () => `T = ${tried.threshold}`,
      onInput: (i) => ctx.setLive({ threshold: values[i] }),
      readout: () => [
        h('p', { class: 'muted' }, thresholdInForce(tried.inForce, tried.threshold)),
        metricsTable(ctx, tried),
        ...r.models.map((m) => h('p', { class: 'threshold-move' }, (() => {
          const at = tried.at(m);
          return thresholdMoveText(m.prediction, at.tried, at.inForce, r.weight !== null);
        })())),
      ],
      use: ctx.interactive
        ? {
            label: () => `Use T = ${tried.threshold} as the setting`,
            enabled: () => !tried.same,
            title: () => (tried.same ? 'This is already the threshold in force' : 'Saves lossInspector.classification.threshold in the settings'),
            onClick: () => ctx.post({ type: 'setThreshold', threshold: tried.threshold }),
          }
        : undefined,
      back: { label: 'Back to the threshold in force', shown: () => !tried.same, onClick: () => ctx.setLive({ threshold: undefined }) },
      note: 'The counts at every threshold from 0.001 to 0.999 (and the report’s own) are in the report, so these are exact: the CLI’s numbers with --threshold T. Log loss, Brier, ROC AUC and ECE do not depend on the threshold.',
    });
    const update = () => {
      title.textContent = `Confusion matrix at threshold ${tried.threshold}`;
      matrices.replaceChildren(...r.models.map((m, i) => h('div', { class: 'table-scroll' }, matrix(m, i, tried))));
      panel.update();
    };
    update();
    const element = h('section', { attrs: { 'aria-labelledby': 'confusion-title' } }, title, panel.element, matrices);
    return { element, update };
  },
};

/** The metrics the threshold sets, per model, at the threshold tried. */
function metricsTable(ctx: ClassContext, tried: TriedThreshold): HTMLTableElement {
  const models = ctx.report.models;
  const at = models.map((m) => tried.at(m).tried);
  const head = h('tr', null, h('th', { attrs: { scope: 'col' } }, `at T = ${tried.threshold}`), ...models.map((m, i) => h('th', { class: 'num', attrs: { scope: 'col' } }, colorDot(i), m.prediction)));
  const body = h(
    'tbody',
    null,
    ...AT_THRESHOLD.map((d) =>
      h(
        'tr',
        { class: `metric-${d.key}` },
        h('th', { attrs: { scope: 'row' } }, d.label),
        ...at.map((p) => {
          const v = p[d.key];
          return h('td', { class: 'num', title: v === null ? 'not defined for this data' : String(v) }, f(v, 6));
        }),
      ),
    ),
  );
  return h('table', { class: 'threshold-metrics' }, h('thead', null, head), body);
}

function matrix(m: ClassModelReport, i: number, tried: TriedThreshold): HTMLTableElement {
  const cells = confusionCells({ confusion: { labels: m.confusion.labels, counts: tried.at(m).tried.counts } });
  return confusionTable(cells, [colorDot(i), confusionCaption(m, tried.threshold, m.scores)]);
}

/**
 * A confusion matrix as a table, true classes as rows. `heat`: each cell shaded by its share of
 * its row (through a CSS variable: no style attribute), and the share written only when `shares`.
 */
export function confusionTable(cells: { labels: string[]; rows: ConfusionCell[][] }, caption: (Node | string)[], opts: { heat?: boolean; shares?: boolean } = {}): HTMLTableElement {
  const { labels, rows } = cells;
  const shares = opts.shares ?? true;
  const head = h(
    'tr',
    null,
    h('th', { attrs: { scope: 'col' } }, h('span', { class: 'sr-only' }, 'true class'), 'true ↓ · predicted →'),
    ...labels.map((l) => h('th', { class: 'num', attrs: { scope: 'col' }, title: l }, h('span', { class: 'class-name' }, l))),
  );
  const body = h('tbody');
  rows.forEach((row, k) => {
    body.append(
      h(
        'tr',
        null,
        h('th', { attrs: { scope: 'row' }, title: labels[k] }, labels[k]),
        ...row.map((c, j) => {
          const td = h(
            'td',
            { class: `num ${c.correct ? 'correct' : 'wrong'}${c.count === 0 ? ' count-zero' : ''}`, title: `${String(c.count)}${c.rowShare === null ? '' : ` (${percent(c.rowShare)} of true “${labels[k]}”${c.correct ? '' : `, predicted “${labels[j]}”`})`}` },
            h('span', { class: 'count' }, f(c.count, 6)),
            shares && c.rowShare !== null ? h('span', { class: 'muted share' }, ` ${percent(c.rowShare, 0)}`) : null,
          );
          if (opts.heat && c.rowShare !== null && c.count > 0) td.style.setProperty('--share', c.rowShare.toFixed(3));
          return td;
        }),
      ),
    );
  });
  return h('table', { class: `confusion${opts.heat ? ' heat' : ''}${labels.length > 10 ? ' many' : ''}` }, h('caption', null, ...caption), h('thead', null, head), body);
}
