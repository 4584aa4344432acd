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
import { button, h, num as f, percent } from '../dom';
import type { ReportContext, SectionView } from '../section';
import type { Theme } from '../theme';

/** The β panel; its update follows the β being tried. */
export function betaPanel(ctx: ReportContext, m: ModelReport, tried: TriedBeta): SectionView {
  const sweep = m.sweep;
  const slider = h('input', { id: 'beta-slider', attrs: { type: 'range', min: '0', max: String(Math.max(0, sweep.values.length - 1)), step: '1' } });
  slider.disabled = sweep.values.length < 2;
  const betaOut = h('output', { class: 'big', attrs: { for: 'beta-slider' } });
  const smoothOut = h('span', { class: 'num' });
  const inForce = h('span', { class: 'muted' });
  const shareOut = h('span', { class: 'num' });
  const useBtn = ctx.interactive ? button('', () => ctx.post({ type: 'setBeta', beta: tried.beta })) : null;
  const resetBtn = button('Back to the β in force', () => ctx.setLive({ beta: undefined }), { link: true });
  slider.addEventListener('input', () => ctx.setLive({ beta: sweep.values[Number(slider.value)] }));
  const update = () => {
    const beta = tried.beta;
    const at = tried.at();
    slider.value = String(Math.max(0, sweepIndex(sweep, beta)));
    slider.setAttribute('aria-valuetext', `β = ${f(beta)}`);
    betaOut.textContent = `β = ${f(beta)}`;
    smoothOut.textContent = f(at.smoothL1, 6);
    const same = tried.same;
    inForce.textContent = betaInForce(m.metrics.smoothL1, tried.inForce.beta, same);
    shareOut.textContent = at.share === null ? '—' : percent(at.share);
    if (useBtn) {
      useBtn.textContent = `Use β = ${f(beta)} as the setting`;
      useBtn.disabled = same;
      useBtn.title = same ? 'This is already the β in force' : 'Saves lossInspector.smoothL1.beta in the settings';
    }
    resetBtn.hidden = same;
  };
  update();
  const element = h(
    'div',
    { class: 'beta-panel' },
    h('h3', null, 'Try a smooth L1 β'),
    h('label', { class: 'slider-label', attrs: { for: 'beta-slider' } }, `β (log scale, ${f(sweep.values[0], 3)} to ${f(sweep.values[sweep.values.length - 1], 3)})`),
    slider,
    betaOut,
    h('dl', { class: 'readout' }, h('dt', null, 'smooth L1 of the data'), h('dd', null, smoothOut, inForce), h('dt', null, 'rows in the quadratic zone |d| < β'), h('dd', null, shareOut)),
    h('p', { class: 'muted small' }, 'Inside ±β smooth L1 is 0.5·d²/β (like L2, small gradients near 0); beyond, it is |d| − 0.5·β (like L1, bounded gradient). The curves below follow the slider.'),
    h('div', { class: 'row-buttons' }, useBtn, resetBtn),
  );
  return { element, update };
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
