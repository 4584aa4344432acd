/**
 * Trying another smooth L1 β: the slider (snapping to the sweep grid, which is log-spaced) with
 * its readouts and "Use" button, and the chart of smooth L1 against β and Huber against δ.
 */
import type { LossParams } from '../../core/tasks/regression/losses';
import type { ModelReport } from '../../core/tasks/regression/report';
import { sweepIndex } from '../../core/tasks/regression/view/sweep';
import { betaInForce, sweepLabel } from '../../core/tasks/regression/words';
import { TriedBeta } from '../beta';
import { ChartSlot } from '../charts/chartSlot';
import type { Marker } from '../charts/common';
import { sweepConfig } from '../charts/lineCharts';
import { h, num as f, percent } from '../dom';
import type { ReportContext, SectionView } from '../section';
import { sliderPanel } from '../sliderPanel';
import type { Theme } from '../theme';

/** The β panel; its update follows the β being tried. */
export function betaPanel(ctx: ReportContext, m: ModelReport, tried: TriedBeta): SectionView {
  const sweep = m.sweep;
  return sliderPanel({
    id: 'beta-slider',
    className: 'beta-panel',
    title: 'Try a smooth L1 β',
    label: `β (log scale, ${f(sweep.values[0], 3)} to ${f(sweep.values[sweep.values.length - 1], 3)})`,
    steps: sweep.values.length - 1,
    index: () => sweepIndex(sweep, tried.beta),
    valueText: () => `β = ${f(tried.beta)}`,
    onInput: (i) => ctx.setLive({ beta: sweep.values[i] }),
    readout: () => {
      const at = tried.at();
      return [
        h(
          'dl',
          { class: 'readout' },
          h('dt', null, 'smooth L1 of the data'),
          h('dd', null, h('span', { class: 'num' }, f(at.smoothL1, 6)), h('span', { class: 'muted' }, betaInForce(m.metrics.smoothL1, tried.inForce.beta, tried.same))),
          h('dt', null, 'rows in the quadratic zone |d| < β'),
          h('dd', null, h('span', { class: 'num' }, at.share === null ? '—' : percent(at.share))),
        ),
      ];
    },
    use: ctx.interactive
      ? {
          label: () => `Use β = ${f(tried.beta)} as the setting`,
          enabled: () => !tried.same,
          title: () => (tried.same ? 'This is already the β in force' : 'Saves lossInspector.smoothL1.beta in the settings'),
          onClick: () => ctx.post({ type: 'setBeta', beta: tried.beta }),
        }
      : undefined,
    back: { label: 'Back to the β in force', shown: () => !tried.same, onClick: () => ctx.setLive({ beta: undefined }) },
    note: 'Inside ±β smooth L1 is 0.5·d²/β (like L2, small gradients near 0); beyond, it is |d| − 0.5·β (like L1, bounded gradient). The curves below follow the slider.',
  });
}

/** smooth L1 against β and Huber against δ, with the values in force and the β being tried. */
export function sweepChart(ctx: ReportContext, m: ModelReport, tried: TriedBeta): SectionView {
  const sweep = m.sweep;
  const slot = ctx.charts.add(
    new ChartSlot((t) => sweepConfig(t, sweep, sweepMarkers(t, tried.inForce, tried.beta)), {
      label: sweepLabel(m.prediction, sweep.values),
      caption: [
        'How the data’s smooth L1 (against β) and Huber (against δ) change with the threshold. Dashed: the value in force; solid: the β being tried. Small β: smooth L1 → MAE; large β: it → MSE/(2β). Huber → δ·MAE for small δ and → MSE/2 for large δ.',
      ],
      size: 'small',
    }),
  );
  return { element: slot.element, update: () => ctx.charts.redraw(slot) };
}

function sweepMarkers(t: Theme, p: LossParams, tried: number): Marker[] {
  const out: Marker[] = [];
  // Labels of the β in force and the β being tried go on their outer sides, apart.
  const triedLeft = tried < p.beta;
  if (p.beta > 0) out.push({ x: p.beta, color: t.orange, dash: [4, 3], label: 'β in force', side: triedLeft ? 'right' : 'left' });
  if (tried !== p.beta) out.push({ x: tried, color: t.orange, width: 2, label: `trying β = ${f(tried, 3)}`, side: triedLeft ? 'left' : 'right' });
  out.push({ x: p.delta, color: t.purple, dash: [2, 3], label: 'δ in force', row: 1, side: p.delta < p.beta ? 'left' : 'right' });
  return out;
}
