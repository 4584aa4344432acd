/**
 * The worst rows (by |d|) with a loss of counts beside them (#16 item 5): each listed row's unit
 * deviance (or squared log error) from its own target and prediction, so a row that is bad by |d|
 * but cheap as a count (a large target) reads as such. Pure.
 */
import { COUNT_ROW_KEYS, countRowLoss, CountRowKey } from '../countRobustness';
import type { ModelReport, Report } from '../report';
import { COUNT_CURVE_LABEL } from './countCurves';

/** Which loss the table shows: the first of these the model has. */
const PREFERRED: readonly CountRowKey[] = ['poissonDeviance', 'gammaDeviance', 'tweedieDeviance', 'msle'];

export interface WorstCountColumn {
  key: CountRowKey;
  label: string;
  /** Per listed row (in `worst` order), its loss; null where it is not finite. */
  values: (number | null)[];
}

export function worstCountColumn(model: Pick<ModelReport, 'metrics' | 'worst'>, params: Pick<Report['params'], 'power'>): WorstCountColumn | null {
  const key = PREFERRED.find((k) => model.metrics[k] !== null && model.metrics[k] !== undefined);
  if (key === undefined) return null;
  const power = params.power ?? 1.5;
  return {
    key,
    label: countLossLabel(key, power),
    values: model.worst.map((w) => {
      const v = countRowLoss(key, w.target, w.prediction, power);
      return Number.isFinite(v) ? v : null;
    }),
  };
}

/** A loss of counts' name as the tables show it (Tweedie with its power). */
export function countLossLabel(key: CountRowKey, power: number): string {
  return key === 'tweedieDeviance' ? `${COUNT_CURVE_LABEL[key]} (p = ${power})` : COUNT_CURVE_LABEL[key];
}

/** The losses some model has a worst-rows list for (`worstByLoss`), in COUNT_ROW_KEYS order: the picker's choices besides |d|. */
export function worstLossKeys(models: readonly Pick<ModelReport, 'worstByLoss'>[]): CountRowKey[] {
  return COUNT_ROW_KEYS.filter((k) => models.some((m) => m.worstByLoss?.[k] !== undefined));
}
