/** The sentences of quantile sets (#16 item 3): crossing quantiles, a mean that overflows. Pure. */
import { quoteName } from '../../errors';
import { linesText } from './countWords';
import { num, percent } from '../../shown';
import type { QuantileSetChoice } from './quantileColumns';
import type { ModelQuantiles } from './quantileSet';

/**
 * "The quantiles of the set ‘pred’ cross on 3 rows (a column predicts more than the next level's),
 * lines 4, 9, 12. They are used as written, not sorted: …"
 */
export function crossingWarning(set: Pick<QuantileSetChoice, 'name' | 'columns'>, count: number, lines: readonly number[], word: 'line' | 'row' = 'line'): string {
  const where = linesText(count, lines, word);
  const rows = count === 1 ? '1 row' : `${count} rows`;
  const order = set.columns.map((c) => quoteName(c.column)).join(' ≤ ');
  return (
    `The quantiles of the set ${quoteName(set.name)} cross on ${rows} (${order} does not hold)${where ? `, ${where}` : ''}. ` +
    'They are used as written, not sorted: each level’s pinball loss and share use its own column, and an interval whose low end is above its high end has a negative width there.'
  );
}

/** When a set's mean overflows double precision. */
export function quantileOverflowWarning(set: string, what: 'pinball loss' | 'interval'): string {
  return `A ${what} mean of the quantile set ${quoteName(set)} is not a finite number in double precision; it is reported as null.`;
}

/**
 * What a model's quantile set says, for the report: the level whose share of targets is furthest
 * from it, and each central interval's coverage against its nominal level. 
 */
export function quantileText(m: Pick<ModelQuantiles, 'quantileSet' | 'quantiles' | 'quantileIntervals'>, prediction: string): string {
  const out: string[] = [];
  const model = m.quantiles.some((q) => q.column === prediction) ? `its median ${quoteName(prediction)} is the point prediction above` : `its point prediction is ${quoteName(prediction)}`;
  out.push(`The quantile set ${quoteName(m.quantileSet)} has ${m.quantiles.length} level${m.quantiles.length === 1 ? '' : 's'}; ${model}.`);
  const gaps = m.quantiles.filter((q) => q.share !== null).map((q) => ({ q, gap: (q.share as number) - q.q }));
  const worst = gaps.reduce<(typeof gaps)[number] | undefined>((a, b) => (a === undefined || Math.abs(b.gap) > Math.abs(a.gap) ? b : a), undefined);
  if (worst) {
    const side = worst.gap > 0 ? 'too high (too many targets fall below it)' : worst.gap < 0 ? 'too low (too few targets fall below it)' : 'exactly calibrated';
    out.push(
      `A calibrated q-quantile has a share q of the targets at or below it. Furthest from its level: ${quoteName(worst.q.column)}, with ${percent(worst.q.share as number)} of the targets at or below it for level ${percent(worst.q.q)}: ${side}.`,
    );
  }
  for (const iv of m.quantileIntervals) {
    if (iv.coverage === null) continue;
    const verdict = iv.coverage < iv.nominal ? 'narrower than it should be' : iv.coverage > iv.nominal ? 'wider than it needs to be' : 'as wide as it should be';
    out.push(`The ${percent(iv.nominal)} interval ${quoteName(iv.low)}–${quoteName(iv.high)} covers ${percent(iv.coverage)} of the targets (mean width ${num(iv.width)}): ${verdict}.`);
  }
  return out.join(' ');
}
