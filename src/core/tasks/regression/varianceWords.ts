/**
 * The sentences of a predicted variance (#16 item 2): why its metrics are null, and its lines of
 * the text report. Pure.
 */
import { quoteName } from '../../errors';
import { linesText } from './countWords';
import type { Report } from './report';
import { num } from '../../shown';
import type { SpreadColumn } from './variance';
import { VARIANCE_METRICS } from './variance';
import type { SpreadView } from './view/variance';

const s = (n: number) => (n === 1 ? '' : 's');

/** The metrics a negative spread makes null, as the warnings name them (nullReason finds them by it). */
export const SPREAD_METRICS = 'The Gaussian NLL, the CRPS and the ±σ coverage';

/**
 * "The Gaussian NLL, the CRPS and the ±σ coverage of "pred" are undefined: 2 rows have a negative
 * variance in "pred_var" (PyTorch's GaussianNLLLoss refuses them), lines 4, 9. They are reported as null."
 */
export function spreadDomainWarning(prediction: string, spread: SpreadColumn, count: number, lines: readonly number[], word: 'line' | 'row' = 'line'): string {
  const what = spread.kind === 'variance' ? 'variance' : 'standard deviation';
  const where = linesText(count, lines, word);
  return `${SPREAD_METRICS} of ${quoteName(prediction)} are undefined: ${count} row${s(count)} ${count === 1 ? 'has' : 'have'} a negative ${what} in ${quoteName(spread.column)} (PyTorch’s GaussianNLLLoss refuses them)${where ? `, ${where}` : ''}. They are reported as null.`;
}

/** When a sum overflows double precision (a residual near 1e308, or |d|/0.001 beyond it). */
export function spreadNotFiniteWarning(prediction: string, what: string[]): string {
  const list = what.length > 1 ? `${what.slice(0, -1).join(', ')} and ${what[what.length - 1]}` : what[0];
  return `${list[0].toUpperCase()}${list.slice(1)} of ${quoteName(prediction)} ${what.length > 1 ? 'are' : 'is'} not a finite number in double precision; reported as null.`;
}

const pct = (x: number | null | undefined) => (x === null || x === undefined ? '—' : `${(100 * x).toFixed(1)}%`);

/**
 * The text report's paragraph of the predicted spreads (a blank line first), or nothing when no
 * model has one. `fmt` formats a number as the rest of the report does.
 */
export function spreadText(r: Pick<Report, 'models'>, fmt: (x: number | null | undefined) => string, q: (name: string) => string): string[] {
  const withSpread = r.models.filter((m) => m.spread !== undefined);
  if (withSpread.length === 0) return [];
  const out = ['', 'predicted spread (Gaussian N(prediction, σ²)):'];
  for (const m of withSpread) {
    const sp = m.spread;
    if (!sp) continue;
    const metrics = VARIANCE_METRICS.map((d) => `${d.label} ${fmt(m.metrics[d.key])}`).join(', ');
    const cov = m.sigmaCoverage;
    const z = sp.standardized;
    out.push(
      `  "${q(m.prediction)}" (${sp.kind === 'variance' ? 'variance' : 'std'} "${q(sp.column)}"): ${metrics}; within ±1σ ${pct(cov?.within1)} (68.3% expected), ±2σ ${pct(cov?.within2)} (95.4%)` +
        (z ? `; d/σ mean ${fmt(z.mean)}, SD ${fmt(z.sd)} (0 and 1 expected)` : ''),
    );
  }
  return out;
}

/** The chart's accessible label and caption: what it shows and the numbers a reader compares. */
export function spreadChartText(v: SpreadView): { label: string; caption: string } {
  const beyond = v.below + v.above;
  const cov = v.coverage ? ` Within ±1σ: ${pct(v.coverage.within1)} (68.3% for a calibrated Gaussian); within ±2σ: ${pct(v.coverage.within2)} (95.4%).` : '';
  return {
    label: `Histogram of the standardised residual d/σ of ${v.prediction} against the N(0, 1) density; mean ${num(v.mean, 3)}, SD ${num(v.sd, 3)}.`,
    caption: `d/σ of ${v.rows} row${s(v.rows)} (σ from ${quoteName(v.column)}), as a density over [${v.bars[0]?.x0 ?? -5}, ${v.bars[v.bars.length - 1]?.x1 ?? 5}]${beyond > 0 ? `; ${beyond} row${s(beyond)} beyond it` : ''}. Mean ${num(v.mean, 3)} (0 expected), SD ${num(v.sd, 3)} (1 expected).${cov}`,
  };
}
