/** The checks of the interval options when an analysis is planned (every family's plan()). */
import { LossInspectorError, quoteName } from '../errors';
import type { IntervalOptions } from './report';

/** The sentence for a confidence level out of range, or undefined. */
export function checkConfidence(c: number): string | undefined {
  return typeof c === 'number' && (c === 0 || (c > 0 && c < 1)) ? undefined : `The confidence level must be 0 (no intervals) or a number strictly between 0 and 1 (got ${String(c)}).`;
}

/**
 * The baseline model's index among `models` (the first unless `--baseline` names another), or −1
 * when there is nothing to compare (one model, or intervals off). Refuses a baseline that is no model.
 */
export function baselineIndex(models: readonly string[], opts: IntervalOptions, file: string): number {
  const bad = checkConfidence(opts.confidence);
  if (bad) throw new LossInspectorError('badParameter', bad);
  if (opts.baseline !== undefined && !models.includes(opts.baseline)) {
    throw new LossInspectorError('badParameter', `The baseline ${quoteName(opts.baseline)} is not a model of '${file}' (its models are ${models.map(quoteName).join(', ')}).`, { file });
  }
  if (!(opts.confidence > 0) || models.length < 2) return -1;
  return opts.baseline !== undefined ? models.indexOf(opts.baseline) : 0;
}
