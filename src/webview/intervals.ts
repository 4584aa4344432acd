/**
 * A summary cell's interval: a second line under the value, in its own element (the value stays
 * the cell's only text node, which is what the end-to-end checks read as the number shown).
 */
import { intervalOf, type WithComparisons } from '../core/intervals/view';
import { intervalText, intervalTitle } from '../core/intervals/words';
import { h } from './dom';

export function intervalLine(r: Pick<WithComparisons, 'confidence' | 'models'>, model: number, key: string): HTMLElement | null {
  const iv = intervalOf(r, model, key);
  if (!iv) return null;
  return h('span', { class: 'interval', title: intervalTitle(iv, r.confidence) }, intervalText(iv.low, iv.high));
}
