/** Sentences from src/core/tasks/<family>/words.ts made into nodes: text nodes, <strong>, line links. */
import type { Pieces } from '../core/tasks/regression/words';
import { h } from './dom';

export function pieces(p: Pieces, lineLink: (line: number) => HTMLElement): (Node | string)[] {
  return p.map((x) => (typeof x === 'string' ? x : 'strong' in x ? h('strong', null, x.strong) : lineLink(x.line)));
}
