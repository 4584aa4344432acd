/**
 * How each loss treats a row, by its margin (the log-odds of the probability it gives its true
 * class): the loss curves of log loss, focal, Brier (and hinge, squared hinge on logits) over the
 * picked model's rows by margin, their gradients (the pull on the row's logit) beside them, which
 * rows each pulls hardest on, and the focal γ slider. The curves follow the slider as it moves;
 * released, the extension recomputes the report at that γ (every model's focal loss exactly as
 * the CLI's --gamma G gives it).
 */
import type { ClassModelReport } from '../../core/tasks/classification/report';
import { gammaGrid, marginBars, marginLossCurves, marginPullCurves } from '../../core/tasks/classification/view';
import { gammaSource, MARGIN_AXIS_TEXT, marginBeyond, marginLossLabel, marginPullLabel, pullText } from '../../core/tasks/classification/words';
import { ChartSlot } from '../charts/chartSlot';
import { marginCurvesConfig } from '../charts/classCharts';
import type { Marker } from '../charts/common';
import { colorDot, h, num } from '../dom';
import type { ClassContext, ClassSection, SectionView } from '../section';
import { sliderPanel } from '../sliderPanel';
import type { Theme } from '../theme';
import { pieces } from '../words';

/** The γ of the report (in force), of the setting, and the one being tried on the slider. */
class TriedGamma {
  readonly values: number[];

  constructor(private readonly ctx: ClassContext) {
    this.values = gammaGrid(ctx.report.params.gamma, ctx.settings.gamma);
  }

  /** The report's γ: the setting's, or one tried earlier (settings.gammaTrial). */
  get inReport(): number {
    return this.ctx.report.params.gamma;
  }

  /** The setting lossInspector.focal.gamma (the report's when the state does not say). */
  get setting(): number {
    return this.ctx.settings.gamma ?? this.inReport;
  }

  /** The report was computed with a γ tried here, not the setting's. */
  get trial(): boolean {
    return this.ctx.settings.gammaTrial === this.inReport && this.inReport !== this.setting;
  }

  get index(): number {
    const g = this.ctx.ui.state.gamma ?? this.inReport;
    let best = 0;
    this.values.forEach((v, i) => {
      if (Math.abs(v - g) < Math.abs(this.values[best] - g)) best = i;
    });
    return best;
  }

  get gamma(): number {
    return this.values[this.index];
  }
}

export const trueClass: ClassSection = {
  id: 'true-class',
  perModel: true,
  render(ctx) {
    if (!ctx.model) return null;
    const m = ctx.model.model;
    const tried = new TriedGamma(ctx);
    const parts = [gammaPanel(ctx, tried), lossChart(ctx, m, tried), pullChart(ctx, m, tried)];
    const [panel, loss, pull] = parts.map((p) => p.element);
    const element = h(
      'section',
      { attrs: { 'aria-labelledby': 'trueclass-title' } },
      h('h2', { id: 'trueclass-title' }, 'Loss and gradient curves against the margin'),
      panel,
      h('div', { class: 'grid-2' }, loss, pull),
    );
    return { element, update: () => parts.forEach((p) => p.update?.()) };
  },
};

function gammaPanel(ctx: ClassContext, tried: TriedGamma): SectionView {
  const r = ctx.report;
  const v = tried.values;
  const compute = (g: number) => {
    if (ctx.interactive && g !== tried.inReport) ctx.post({ type: 'tryGamma', gamma: g });
  };
  return sliderPanel({
    id: 'gamma-slider',
    className: 'gamma-panel',
    title: 'Try a focal γ',
    label: `focal γ, ${v[0]} to ${v[v.length - 1]} (0: α-weighted cross-entropy)`,
    steps: v.length - 1,
    index: () => tried.index,
    valueText: () => `γ = ${tried.gamma}`,
    onInput: (i) => ctx.setLive({ gamma: v[i] }),
    onChange: (i) => compute(v[i]),
    readout: () => {
      const pending = tried.gamma !== tried.inReport;
      return [
        h(
          'dl',
          { class: 'readout' },
          ...r.models.flatMap((m, i) => [
            h('dt', null, colorDot(i), `focal of ${m.prediction} at γ = ${tried.inReport}`),
            h('dd', null, h('span', { class: 'num', title: m.metrics.focal === null ? 'not defined for this data' : String(m.metrics.focal) }, num(m.metrics.focal, 6))),
          ]),
        ),
        h(
          'p',
          { class: pending ? 'gamma-pending' : 'muted' },
          pending
            ? ctx.interactive
              ? `The curves show γ = ${tried.gamma}; release the slider to recompute every focal number at it (the file is read again).`
              : `The curves show γ = ${tried.gamma}. A saved page cannot recompute: the CLI's --gamma ${tried.gamma} gives focal at it.`
            : gammaSource(tried.inReport, ctx.settings.gamma, tried.trial),
        ),
      ];
    },
    use: ctx.interactive
      ? {
          label: () => `Use γ = ${tried.gamma} as the setting`,
          enabled: () => tried.gamma !== tried.setting,
          title: () => (tried.gamma === tried.setting ? 'This is already the setting' : 'Saves lossInspector.focal.gamma in the settings'),
          onClick: () => ctx.post({ type: 'setGamma', gamma: tried.gamma }),
        }
      : undefined,
    back: {
      label: `Back to the setting`,
      shown: () => tried.trial || tried.gamma !== tried.inReport,
      onClick: () => {
        ctx.setLive({ gamma: undefined });
        if (tried.trial && ctx.interactive) ctx.post({ type: 'tryGamma', gamma: null });
      },
    },
    note: 'Focal loss scales each row’s cross-entropy by (1 − p(true class))^γ: larger γ discounts the rows the model already gets right. The curves below follow the slider.',
  });
}

const kink = (t: Theme): Marker[] => [{ x: 0, color: t.muted, dash: [3, 3], label: 'p = 0.5', side: 'left' }];

/** The loss of one row against its margin, the model's rows by margin behind, and the axis in words. */
function lossChart(ctx: ClassContext, m: ClassModelReport, tried: TriedGamma): SectionView {
  const hinge = m.scores === 'logits';
  const bars = { data: marginBars(m.marginHistogram), label: `rows of ${m.prediction} by margin (right axis)` };
  const slot = ctx.charts.add(new ChartSlot((t) => marginCurvesConfig(t, marginLossCurves(tried.gamma, hinge), 'loss of one row', kink(t), bars), { label: '', size: 'tall' }));
  const beyond = marginBeyond(m);
  const describe = () => {
    const set = marginLossCurves(tried.gamma, hinge);
    const off = set.offChart.length ? ` Squared hinge leaves the chart above ${set.yMax}.` : '';
    slot.describe(marginLossLabel(m, tried.gamma), [MARGIN_AXIS_TEXT + off, ...(beyond ? [` ${beyond}`] : [])]);
  };
  describe();
  return { element: h('div', null, h('h3', null, 'Loss per row against the margin'), slot.element), update: () => (describe(), ctx.charts.redraw(slot)) };
}

/** The pull of one row against its margin, and which rows each loss pulls hardest on. */
function pullChart(ctx: ClassContext, m: ClassModelReport, tried: TriedGamma): SectionView {
  const hinge = m.scores === 'logits';
  const slot = ctx.charts.add(new ChartSlot((t) => marginCurvesConfig(t, marginPullCurves(tried.gamma, hinge), '|∂loss/∂logit| (pull)', kink(t)), { label: '', size: 'tall' }));
  const text = h('div', { class: 'explain' });
  const describe = () => {
    slot.describe(marginPullLabel(m, tried.gamma));
    const paragraphs = pullText(m, tried.gamma).map((p) => h('p', null, ...pieces(p, (l) => ctx.lineLink(l), ctx.locations)));
    const a = ctx.report.params.alpha;
    if (a >= 0) paragraphs.push(h('p', { class: 'muted' }, `The focal curves leave out α: focal is ${a} times them for positive rows and ${num(1 - a, 6)} times them for negative ones.`));
    text.replaceChildren(...paragraphs);
  };
  describe();
  return { element: h('div', null, h('h3', null, 'Gradient (pull) against the margin'), slot.element, text), update: () => (describe(), ctx.charts.redraw(slot)) };
}
