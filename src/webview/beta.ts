/**
 * The β of smooth L1 in force (the report's) and the β being tried with the slider (the UI
 * state's, snapped to the sweep grid). Shared by the sections that follow the slider.
 */
import type { LossParams } from '../core/tasks/regression/losses';
import type { ModelReport, Report } from '../core/tasks/regression/report';
import { sweepAt, sweepIndex } from '../core/tasks/regression/view/sweep';
import type { Marker } from './charts/common';
import type { Theme } from './theme';
import type { UiStore } from './uiStore';

export class TriedBeta {
  constructor(
    private readonly report: Pick<Report, 'params'>,
    private readonly model: Pick<ModelReport, 'sweep' | 'metrics'>,
    private readonly ui: Pick<UiStore, 'state'>,
  ) {}

  /** The parameters in force (the report's). */
  get inForce(): LossParams {
    return this.report.params;
  }

  /** The β being tried: the slider's, or the one in force. */
  get beta(): number {
    const b = this.ui.state.beta;
    const sweep = this.model.sweep;
    return b !== undefined && sweep.values.length > 0 ? sweep.values[sweepIndex(sweep, b)] : this.inForce.beta;
  }

  /** The parameters with the β being tried (δ in force). */
  get params(): LossParams {
    return { beta: this.beta, delta: this.inForce.delta };
  }

  /** Whether the β being tried is the one in force. */
  get same(): boolean {
    return this.beta === this.inForce.beta;
  }

  /** smooth L1 of the data and the quadratic share at the β being tried. */
  at(): { smoothL1: number | null; share: number | null } {
    const beta = this.beta;
    const p = this.inForce;
    if (beta === p.beta && !(beta > 0)) return { smoothL1: this.model.metrics.smoothL1, share: 0 };
    const s = sweepAt(this.model.sweep, beta);
    if (!s) return { smoothL1: null, share: null };
    return { smoothL1: beta === p.beta ? this.model.metrics.smoothL1 : s.smoothL1, share: s.quadraticShare };
  }
}

/** Vertical lines at ±β (and ±δ) on the loss and gradient curves, inside ±end. */
export function betaMarkers(t: Theme, p: LossParams, end: number, withDelta: boolean): Marker[] {
  const out: Marker[] = [];
  const same = withDelta && p.delta === p.beta;
  if (p.beta > 0 && p.beta < end) {
    out.push(
      { x: -p.beta, color: t.orange, dash: [4, 3], label: same ? '−β = −δ' : '−β', side: 'left' },
      { x: p.beta, color: t.orange, dash: [4, 3], label: same ? 'β = δ' : 'β', side: 'right' },
    );
  }
  if (withDelta && !same && p.delta < end) {
    // δ labels sit on the other side of their line from β's when δ is the larger one.
    const outer = p.delta > p.beta;
    out.push(
      { x: -p.delta, color: t.purple, dash: [2, 3], label: '−δ', side: outer ? 'left' : 'right', row: 1 },
      { x: p.delta, color: t.purple, dash: [2, 3], label: 'δ', side: outer ? 'right' : 'left', row: 1 },
    );
  }
  return out;
}
