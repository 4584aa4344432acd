/** `compare`'s text report: the regression report of the joined rows, how they were joined, the rows that changed most. */
import { formatNumber, forTerminal, textReport, textTable } from '../format';
import type { CompareReport } from './report';
import { changedCaption, joinSentence } from './words';

export function compareTextReport(r: CompareReport, digits = 8): string {
  const out = [forTerminal(joinSentence(r.compare)), 'line numbers of the report below: those of the first file', ''];
  out.push(textReport(r, digits).trimEnd());
  for (const c of r.compare.changed) {
    if (c.rows.length === 0) continue;
    out.push('', forTerminal(changedCaption(c.a, c.b)));
    const key = r.compare.key !== null;
    const head = ['line A', 'line B', ...(key ? [forTerminal(r.compare.key ?? '')] : []), 'target', 'A', 'B', 'change'];
    const cells = c.rows.map((x) => [String(x.lineA), String(x.lineB), ...(key ? [forTerminal(x.key ?? '')] : []), formatNumber(x.target, digits), formatNumber(x.a, digits), formatNumber(x.b, digits), formatNumber(x.change, digits)]);
    textTable(out, head, cells);
  }
  return out.join('\n') + '\n';
}
