/** The summary table: which model is best for each metric. */
import type { MetricKey } from '../losses';
import type { Report } from '../report';
import type { VarianceKey } from '../variance';

/**
 * Indexes of the best model(s) for a metric: the lowest loss, the highest R², the mean error
 * closest to 0. Empty with fewer than two models, when no model has a value, or when all tie.
 */
export function bestModels(report: Pick<Report, 'models'>, key: MetricKey | VarianceKey): number[] {
  if (report.models.length < 2) return [];
  const score = (v: number) => (key === 'r2' ? -v : key === 'meanError' ? Math.abs(v) : v);
  let best = Infinity;
  report.models.forEach((m) => {
    const v = m.metrics[key] ?? null;
    if (v !== null) best = Math.min(best, score(v));
  });
  if (best === Infinity) return [];
  const winners = report.models.flatMap((m, i) => ((m.metrics[key] ?? null) !== null && score(m.metrics[key] as number) === best ? [i] : []));
  return winners.length === report.models.length ? [] : winners;
}
