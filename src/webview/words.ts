/** Sentences from src/core/tasks/<family>/words.ts made into nodes: text nodes, <strong>, line links. */
import type { Pieces } from '../core/tasks/regression/words';
import { h } from './dom';

/**
 * The nodes of a sentence. The sentences name a location as "line " before its number; a
 * columnar file's locations are rows (`word` 'row'), so that word is said instead.
 */
export function pieces(p: Pieces, lineLink: (line: number) => HTMLElement, word: 'line' | 'row' = 'line'): (Node | string)[] {
  return p.map((x, i) => {
    if (typeof x !== 'string') return 'strong' in x ? h('strong', null, x.strong) : lineLink(x.line);
    const next = p[i + 1];
    return word === 'row' && next !== undefined && typeof next !== 'string' && 'line' in next ? x.replace(/\blines? $/, (w) => (w === 'line ' ? 'row ' : 'rows ')) : x;
  });
}
