/**
 * Tiny DOM builder. Strings become text nodes (never HTML), so text from the data file — column
 * names, file names, values — is always shown literally.
 */
import { formatNumber } from '../core/format';
export { formatBytes } from '../core/format';

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

/**
 * A number for people with about `digits` significant digits (formatNumber), but whole numbers
 * too large for that many digits are written out (12345, not 1.235e+4).
 */
export function num(x: number | null | undefined, digits = 4): string {
  if (typeof x === 'number' && Number.isFinite(x) && Math.abs(x) >= 10 ** digits && Math.abs(x) < 1e15) return String(Math.round(x));
  return formatNumber(x, digits);
}

/** Bytes for people: 1.5 MB. */

export function percent(share: number, digits = 1): string {
  if (!Number.isFinite(share)) return '—';
  return `${(share * 100).toFixed(digits).replace(/\.0+$/, '')}%`;
}
