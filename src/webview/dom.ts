/**
 * Tiny DOM builder. Strings become text nodes (never HTML), so text from the data file — column
 * names, file names, values — is always shown literally.
 */
export { formatBytes } from '../core/format';
export { num, percent } from '../core/shown';

export type Child = Node | string | number | null | undefined | false;

export interface Props {
  class?: string;
  title?: string;
  id?: string;
  /** Plain attributes (role, aria-*, type, …). Values are set with setAttribute, never parsed. */
  attrs?: Record<string, string>;
}

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props?: Props | null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (props) {
    if (props.class) el.className = props.class;
    if (props.title !== undefined) el.title = props.title;
    if (props.id) el.id = props.id;
    if (props.attrs) for (const [k, v] of Object.entries(props.attrs)) el.setAttribute(k, v);
  }
  append(el, ...children);
  return el;
}

export function append(el: Node, ...children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
}

/** A native button styled like VS Code's; `secondary` for the less important actions. */
export function button(label: string, onClick: () => void, opts: { secondary?: boolean; title?: string; link?: boolean } = {}): HTMLButtonElement {
  const b = h('button', { class: opts.link ? 'link' : opts.secondary ? 'secondary' : 'primary', title: opts.title, attrs: { type: 'button' } }, label);
  b.addEventListener('click', onClick);
  return b;
}

/** A small square in a model's chart colour (the colour comes from CSS classes, per index). */
export function colorDot(i: number): HTMLElement {
  return h('span', { class: `dot model-${i % 6}`, attrs: { 'aria-hidden': 'true' } });
}
