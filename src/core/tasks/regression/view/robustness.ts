/** How much the worst rows weigh: the share of each loss carried by the rows with the largest |d|. */
import { ROW_LOSSES } from '../losses';
import type { ModelReport } from '../report';
import type { RowLossKey } from '../losses';
import { ROW_LOSS_LABEL, ROW_LOSS_MEAN } from './common';
import { COUNT_ROW_KEYS, CountRowKey } from '../countRobustness';

export interface RobustnessRow {
  key: RowLossKey;
  label: string;
  /** Share of the loss's total carried by the worst 1% (10%) of rows by |d|, 0…1, or null. */
  worst1: number | null;
  worst10: number | null;
  /** Mean of the loss over every row (MAE, MSE, …) and over the rows outside the worst 1%. */
  mean: number | null;
  without1: number | null;
}

const share01 = (v: number | null | undefined): number | null => (typeof v === 'number' && Number.isFinite(v) ? Math.min(1, Math.max(0, v)) : null);

/** One row per loss (L1, L2, smooth L1, Huber, log-cosh) of a model's robustness figures. */
export function robustnessRows(model: Pick<ModelReport, 'robustness' | 'metrics'>): RobustnessRow[] {
  const { worst1, worst10 } = model.robustness;
  return ROW_LOSSES.map((key) => {
    const w1 = share01(worst1.share[key]);
    const w10 = share01(worst10.share[key]);
    const w = worst1.without[key];
    return {
      key,
      label: ROW_LOSS_LABEL[key],
      worst1: w1,
      // The worst 10% hold the worst 1%: never draw the larger group as carrying less.
      worst10: w10 === null ? null : w1 === null ? w10 : Math.max(w1, w10),
      mean: model.metrics[ROW_LOSS_MEAN[key]],
      without1: typeof w === 'number' && Number.isFinite(w) ? w : null,
    };
  });
}

/**
 * The contrast for the sentence under the robustness bars: the loss the worst 1% dominate most and
 * the one they dominate least (L1 before the losses equal to it when they tie). `similar` when the
 * shares are within 10 points of each other, undefined when no share is defined (a perfect fit).
 */
export function robustnessContrast(
  model: Pick<ModelReport, 'robustness' | 'metrics'>,
): { most: RobustnessRow; least: RobustnessRow; similar: boolean } | undefined {
  const rows = robustnessRows(model).filter((r) => r.worst1 !== null);
  if (rows.length === 0) return undefined;
  let most = rows[0];
  let least = rows[0];
  for (const r of rows) {
    if ((r.worst1 as number) > (most.worst1 as number)) most = r;
    if ((r.worst1 as number) < (least.worst1 as number)) least = r;
  }
  return { most, least, similar: (most.worst1 as number) - (least.worst1 as number) < 0.1 };
}

export interface CountRobustnessRow {
  key: CountRowKey;
  label: string;
  worst1: number | null;
  worst10: number | null;
  /** The metric (MSLE, a deviance) over every row, and the loss's mean without the worst 1% of rows by that loss. */
  mean: number | null;
  without1: number | null;
}

/** One row per loss of counts defined for the model (MSLE, Poisson, Gamma, Tweedie deviances); empty without. */
export function countRobustnessRows(model: Pick<ModelReport, 'countRobustness' | 'metrics'>): CountRobustnessRow[] {
  const rob = model.countRobustness;
  if (!rob) return [];
  return COUNT_ROW_KEYS.filter((k) => rob.worst1.share[k] !== null).map((key) => {
    const w1 = share01(rob.worst1.share[key]);
    const w10 = share01(rob.worst10.share[key]);
    const w = rob.worst1.without[key];
    return {
      key,
      label: COUNT_ROW_LABEL[key],
      worst1: w1,
      worst10: w10 === null ? null : w1 === null ? w10 : Math.max(w1, w10),
      mean: model.metrics[key] ?? null,
      without1: typeof w === 'number' && Number.isFinite(w) ? w : null,
    };
  });
}

const COUNT_ROW_LABEL: Record<CountRowKey, string> = { msle: 'MSLE', poissonDeviance: 'Poisson dev.', gammaDeviance: 'Gamma dev.', tweedieDeviance: 'Tweedie dev.' };

/** A row of the predicted spread's or a quantile level's shares (#16 item 5): the counts' columns, and what the loss is. */
export interface RankedShareRow {
  key: string;
  label: string;
  /** The loss's definition, for the row's title. */
  title: string;
  worst1: number | null;
  worst10: number | null;
  mean: number | null;
  without1: number | null;
}

/**
 * One row for the CRPS and z² of a spread column and one per pinball level of a quantile set,
 * each ranked by its own loss; empty without them. The Gaussian NLL has none (negative per row:
 * its z² part stands in), as the Poisson NLL has none (its deviance stands in).
 */
export function rankedShareRows(model: Pick<ModelReport, 'spreadRobustness' | 'quantileRobustness' | 'quantiles' | 'metrics'>): RankedShareRow[] {
  const out: RankedShareRow[] = [];
  const row = (key: string, label: string, title: string, w1: number | null, w10: number | null, mean: number | null | undefined, w: number | null): RankedShareRow => {
    const a = share01(w1);
    const b = share01(w10);
    return { key, label, title, worst1: a, worst10: b === null ? null : a === null ? b : Math.max(a, b), mean: typeof mean === 'number' && Number.isFinite(mean) ? mean : null, without1: typeof w === 'number' && Number.isFinite(w) ? w : null };
  };
  const s = model.spreadRobustness;
  if (s) {
    out.push(row('crps', 'CRPS', 'The Gaussian CRPS of each row', s.worst1.share.crps, s.worst10.share.crps, model.metrics.crps, s.worst1.without.crps));
    out.push(row('zSquared', 'z² = d²/σ²', 'z² = d²/max(σ², 1e-6): twice the Gaussian NLL’s excess over its value at d = 0 (mean 1 for a right spread)', s.worst1.share.zSquared, s.worst10.share.zSquared, s.zSquaredMean, s.worst1.without.zSquared));
  }
  const q = model.quantileRobustness;
  model.quantiles?.forEach((lv, j) => {
    if (!q) return;
    out.push(row(`pinball-${j}`, `pinball ${lv.column}`, `Pinball loss at q = ${lv.q} of “${lv.column}”`, q.worst1.share[j] ?? null, q.worst10.share[j] ?? null, lv.pinball, q.worst1.without[j] ?? null));
  });
  return out.filter((r) => r.worst1 !== null);
}
