/** The text report's lines for quantile sets (#16 item 3): per model with a set, its levels and central intervals. Pure. */
import { formatNumber, forTerminal, textTable } from '../../format';
import { percent } from '../../shown';
import type { Report } from './report';

export function quantilesText(r: Pick<Report, 'models'>, digits: number): string[] {
  const out: string[] = [];
  for (const m of r.models) {
    if (!m.quantiles || m.quantileSet === undefined) continue;
    out.push('', `quantile set "${forTerminal(m.quantileSet)}" of model "${forTerminal(m.prediction)}" (share: targets ≤ the column's prediction):`);
    textTable(out, ['column', 'q', 'share', 'pinball'], m.quantiles.map((q) => [forTerminal(q.column), String(q.q), q.share === null ? '—' : percent(q.share), formatNumber(q.pinball, digits)]));
    const ivs = m.quantileIntervals ?? [];
    if (ivs.length === 0) continue;
    out.push('');
    textTable(
      out,
      ['interval', 'nominal', 'coverage', 'width', 'interval score'],
      ivs.map((i) => [`${forTerminal(i.low)}–${forTerminal(i.high)}`, percent(i.nominal), i.coverage === null ? '—' : percent(i.coverage), formatNumber(i.width, digits), formatNumber(i.score, digits)]),
    );
  }
  return out;
}
