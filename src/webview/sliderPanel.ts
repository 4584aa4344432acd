/**
 * A setting tried on the page: a slider over a grid of values with its readouts, a "Use … as the
 * setting" button (in VS Code) and a way back to the value in force. The β of smooth L1, the
 * threshold and the focal γ of a classifier are such panels.
 */
import { button, Child, h } from './dom';

export interface SliderSpec {
  /** The slider's id (its label and output point at it). */
  id: string;
  /** Extra classes of the panel (`slider-panel` is always one). */
  className: string;
  title: string;
  /** The slider's label (what the values are, their range). */
  label: string;
  /** Grid positions 0 … steps; the slider is disabled with fewer than two. */
  steps: number;
  /** The position of the value being tried. */
  index(): number;
  /** The value being tried, as the big readout and the slider's aria-valuetext say it. */
  valueText(): string;
  /** The slider moved (live). */
  onInput(index: number): void;
  /** The slider was released at a position (a keyboard step counts as a release). */
  onChange?(index: number): void;
  /** The readouts below the value: rebuilt on every update. */
  readout(): Child[];
  /** The "Use … as the setting" button, in VS Code only. */
  use?: { label(): string; enabled(): boolean; title(): string; onClick(): void };
  /** The way back to the value in force, shown while another one is tried. */
  back: { label: string; shown(): boolean; onClick(): void };
  /** A note under the readouts. */
  note: Child;
}

/** The panel; `update` follows the value being tried. */
export function sliderPanel(spec: SliderSpec): { element: HTMLElement; update: () => void } {
  const slider = h('input', { id: spec.id, attrs: { type: 'range', min: '0', max: String(Math.max(0, spec.steps)), step: '1' } });
  slider.disabled = spec.steps < 1;
  const out = h('output', { class: 'big', attrs: { for: spec.id } });
  const readout = h('div', { class: 'slider-readout' });
  const use = spec.use;
  const useBtn = use ? button('', () => use.onClick()) : null;
  const backBtn = button(spec.back.label, () => spec.back.onClick(), { link: true });
  slider.addEventListener('input', () => spec.onInput(Number(slider.value)));
  const onChange = spec.onChange;
  if (onChange) slider.addEventListener('change', () => onChange(Number(slider.value)));
  const update = () => {
    slider.value = String(Math.max(0, spec.index()));
    const text = spec.valueText();
    slider.setAttribute('aria-valuetext', text);
    out.textContent = text;
    readout.replaceChildren(...spec.readout().filter((c): c is Node | string => c !== null && c !== undefined && c !== false).map((c) => (typeof c === 'number' ? String(c) : c)));
    if (use && useBtn) {
      useBtn.textContent = use.label();
      useBtn.disabled = !use.enabled();
      useBtn.title = use.title();
    }
    backBtn.hidden = !spec.back.shown();
  };
  update();
  const element = h(
    'div',
    { class: `slider-panel ${spec.className}` },
    h('h3', null, spec.title),
    h('label', { class: 'slider-label', attrs: { for: spec.id } }, spec.label),
    slider,
    out,
    readout,
    h('p', { class: 'muted small' }, spec.note),
    h('div', { class: 'row-buttons' }, useBtn, backBtn),
  );
  return { element, update };
}
