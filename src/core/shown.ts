/**
 * Numbers as the report writes them, for people. Pure (no DOM): the webview (src/webview/dom.ts)
 * and the sentences of src/core/tasks/<family>/words.ts share them, so a sentence reads the same
 * number as the table next to it.
 */
import { formatNumber } from './format';

/**
 * A number with about `digits` significant digits (formatNumber), but whole numbers too large for
 * that many digits are written out (12345, not 1.235e+4).
 */
export function num(x: number | null | undefined, digits = 4): string {
  if (typeof x === 'number' && Number.isFinite(x) && Math.abs(x) >= 10 ** digits && Math.abs(x) < 1e15) return String(Math.round(x));
  return formatNumber(x, digits);
}

/** A share 0…1 as a percentage: 0.371 → "37.1%", "—" when not finite. */
export function percent(share: number, digits = 1): string {
  if (!Number.isFinite(share)) return '—';
  return `${(share * 100).toFixed(digits).replace(/\.0+$/, '')}%`;
}
