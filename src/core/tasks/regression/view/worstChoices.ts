/**
 * The losses the worst-rows table can rank by besides |d| (#16 item 5): each loss of counts, the
 * Gaussian NLL and the CRPS of a spread column, and each quantile level's pinball loss. One
 * choice per loss some model has a list for, with each model's list (undefined: the model has
 * none, and why). Pure: the webview's picker draws it, the tests check it.
 */
import type { LossRow } from '../parts';
import type { ModelReport, Report } from '../report';
import { countLossLabel, worstLossKeys } from './worstCounts';

export interface WorstChoice {
  /** The picker's value: the worstByLoss key, or `q:<column>` for a quantile level. */
  id: string;
  label: string;
  /** What the prediction column of the table holds. */
  prediction: string;
  /** Whether the rows carry σ (the spread's losses). */
  sigma: boolean;
  /** Per model, its rows worst first, or why it has none. */
  lists: ({ rows: LossRow[] } | { none: string })[];
}

const SPREAD = [
  { key: 'gaussianNll', label: 'Gaussian NLL' },
  { key: 'crps', label: 'CRPS' },
] as const;

export function worstChoices(r: Pick<Report, 'models'> & { params: Pick<Report['params'], 'power'> }): WorstChoice[] {
  const power = r.params.power ?? 1.5;
  const out: WorstChoice[] = worstLossKeys(r.models).map((key) => {
    const label = countLossLabel(key, power);
    return {
      id: key,
      label,
      prediction: 'prediction',
      sigma: false,
      lists: r.models.map((m) => listOf(m.worstByLoss?.[key], `the ${label} is not defined (a row outside its domain).`)),
    };
  });
  for (const { key, label } of SPREAD) {
    if (!r.models.some((m) => m.worstByLoss?.[key] !== undefined)) continue;
    out.push({
      id: key,
      label,
      prediction: 'prediction',
      sigma: true,
      lists: r.models.map((m) => listOf(m.worstByLoss?.[key], m.spread ? `the ${label} is not defined (a negative spread, or not finite).` : 'no predicted variance or standard deviation.')),
    });
  }
  // Quantile levels: one choice per column, in the models' order and each set's level order.
  const seen = new Set<string>();
  for (const m of r.models) {
    for (const q of m.quantiles ?? []) {
      if (q.worst === undefined || seen.has(q.column)) continue;
      seen.add(q.column);
      out.push({
        id: `q:${q.column}`,
        label: `pinball at q = ${q.q} (${q.column})`,
        prediction: q.column,
        sigma: false,
        lists: r.models.map((x) => levelList(x, q.column)),
      });
    }
  }
  return out;
}

function levelList(m: Pick<ModelReport, 'quantiles'>, column: string): { rows: LossRow[] } | { none: string } {
  const level = m.quantiles?.find((q) => q.column === column);
  if (level === undefined) return { none: `${column} is not one of its quantile levels.` };
  return listOf(level.worst, 'its pinball loss at this level is not finite.');
}

function listOf(rows: LossRow[] | undefined, none: string): { rows: LossRow[] } | { none: string } {
  return rows === undefined ? { none } : { rows };
}
