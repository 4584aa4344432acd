/** How much of the log loss the worst 1% and 10% of rows carry, per model, with the rows one click away. */
import type { LossShare, WorstClassRow } from '../../core/tasks/classification/report';
import { robustnessSentence, sharePercent } from '../../core/tasks/classification/words';
import { showRowsText } from '../../core/tasks/regression/words';
import { button, colorDot, h } from '../dom';
import type { ClassifierContext, ClassifierSection } from '../section';
import { pieces } from '../words';

/** A binary or a multiclass report's. */
export const classRobustness: ClassifierSection = {
  id: 'class-robustness',
  render(ctx) {
    const r = ctx.report;
    if (r.models.length === 0) return null;
    const element = h(
      'section',
      { attrs: { 'aria-labelledby': 'robust-title' } },
      h('h2', { id: 'robust-title' }, 'How much do the worst rows weigh?'),
      ...r.models.map((m, i) => card(ctx, m, i)),
    );
    return { element };
  },
};

function card(ctx: ClassifierContext, m: { prediction: string; worst: WorstClassRow[]; robustness: { worst1: LossShare; worst10: LossShare } }, i: number): HTMLElement {
  const { worst1, worst10 } = m.robustness;
  const bar = h('div', { class: 'share-bar', attrs: { 'aria-hidden': 'true' } });
  // Widths through the CSSOM, which the CSP allows (no style attributes).
  for (const [cls, v] of [['share-10', worst10.share === null || worst1.share === null ? worst10.share : Math.max(worst1.share, worst10.share)], ['share-1', worst1.share]] as const) {
    if (v === null) continue;
    const el = h('div', { class: cls });
    el.style.width = `${(v * 100).toFixed(2)}%`;
    bar.append(el);
  }
  const listed = m.worst.length;
  const link =
    listed > 0 ? button(showRowsText(worst1.rows, listed), () => ctx.rowMarks.show(i, Math.min(worst1.rows, listed)), { link: true, title: 'Scroll to the most confidently wrong rows and highlight them' }) : null;
  return h(
    'div',
    { class: 'robust-card class-robust', attrs: { 'data-model': String(i) } },
    ctx.report.models.length > 1 ? h('h3', null, colorDot(i), m.prediction) : null,
    h('p', { class: 'lead' }, ...pieces(robustnessSentence(m, ctx.report.rows.used), (l) => ctx.lineLink(l), ctx.locations), ' ', link),
    h(
      'div',
      { class: 'share-row loss-logLoss' },
      bar,
      h('span', { class: 'num shares' }, h('strong', { class: 'w1' }, sharePercent(worst1.share)), h('span', { class: 'muted w10' }, ` · ${sharePercent(worst10.share)}`)),
      h('span', { class: 'muted small' }, ' of the log loss: worst 1% (dark) · worst 10% (light)'),
    ),
  );
}
