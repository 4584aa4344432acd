/** The text report's and Markdown summary's lines for quantile sets (#16 item 3): per model with a set, its levels and central intervals. Pure. */
import { formatNumber, forTerminal, mdEscape, textTable } from '../../format';
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

/** The Markdown summary's tables: per model with a set, a row per level, then a row per central interval. */
export function quantilesMarkdown(r: Pick<Report, 'models'>, digits: number): string[] {
  const out: string[] = [];
  const row = (cells: string[]) => '| ' + cells.join(' | ') + ' |';
  const rule = (n: number) => '|' + Array.from({ length: n }, (_, i) => (i === 0 ? ' --- ' : ' ---: ')).join('|') + '|';
  for (const m of r.models) {
    if (!m.quantiles || m.quantileSet === undefined) continue;
    out.push('', `Quantile set ${mdEscape(m.quantileSet)} of ${mdEscape(m.prediction)} (share: targets ≤ the column's prediction):`, '');
    out.push(row(['column', 'q', 'share', 'pinball']), rule(4));
    for (const q of m.quantiles) out.push(row([mdEscape(q.column), String(q.q), q.share === null ? '—' : percent(q.share), formatNumber(q.pinball, digits)]));
    const ivs = m.quantileIntervals ?? [];
    if (ivs.length === 0) continue;
    out.push('', row(['interval', 'nominal', 'coverage', 'width', 'interval score']), rule(5));
    for (const i of ivs) out.push(row([`${mdEscape(i.low)}–${mdEscape(i.high)}`, percent(i.nominal), i.coverage === null ? '—' : percent(i.coverage), formatNumber(i.width, digits), formatNumber(i.score, digits)]));
  }
  return out;
}
