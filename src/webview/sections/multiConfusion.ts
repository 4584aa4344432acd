/**
 * A multiclass model's confusion matrix, shaded by each cell's share of its true class, up to
 * MATRIX_MAX_CLASSES classes; the most confused pairs beside it (and instead of it beyond).
 */
import { confusedPairs, MATRIX_MAX_CLASSES, multiConfusionCells } from '../../core/tasks/multiclass/view';
import { confusedPairText, confusionIntro, multiConfusionCaption } from '../../core/tasks/multiclass/words';
import { colorDot, h } from '../dom';
import type { MultiSection } from '../section';
import { confusionTable } from './confusion';

/** Pairs listed beside a drawn matrix, and instead of one. */
const PAIRS_WITH_MATRIX = 10;
const PAIRS_WITHOUT = 30;

export const multiConfusion: MultiSection = {
  id: 'multi-confusion',
  render(ctx) {
    const r = ctx.report;
    const k = r.classes.length;
    const drawn = k <= MATRIX_MAX_CLASSES;
    const cards = r.models.map((m, i) => {
      const pairs = confusedPairs(m, drawn ? PAIRS_WITH_MATRIX : PAIRS_WITHOUT);
      const list = h(
        'ol',
        { class: 'confused-pairs' },
        ...pairs.map((p) => h('li', null, confusedPairText(r.classes, p, r.weight !== null))),
      );
      return h(
        'div',
        { class: 'confusion-card', attrs: { 'data-model': String(i) } },
        drawn ? h('div', { class: 'table-scroll' }, confusionTable(multiConfusionCells(m), [colorDot(i), multiConfusionCaption(m)], { heat: true, shares: k <= 10 })) : h('h3', null, colorDot(i), m.prediction),
        pairs.length ? h('p', { class: 'muted small' }, drawn ? 'Most confused pairs:' : `The ${pairs.length} most confused pairs (true class taken for another):`) : h('p', { class: 'muted small' }, 'No row is misclassified.'),
        pairs.length ? list : null,
      );
    });
    const element = h(
      'section',
      { attrs: { 'aria-labelledby': 'confusion-title' } },
      h('h2', { id: 'confusion-title' }, drawn ? 'Confusion matrix (predicted: the highest score)' : 'Most confused classes'),
      h('p', { class: 'muted' }, confusionIntro(r, r.models)),
      h('div', { class: k > 6 ? 'stack' : 'grid-auto grid-wide' }, ...cards),
    );
    return { element };
  },
};
