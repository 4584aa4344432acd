/** `compare`'s text report: the regression report of the joined rows, how they were joined, the rows that changed most. */
import { formatNumber, forTerminal, textReport, textTable } from '../format';
import type { CompareReport } from './report';
import { changedCaption, joinSentence } from './words';

export function compareTextReport(r: CompareReport, digits = 8): string {
  const c = r.compare;
  const out = [forTerminal(joinSentence(c)), `line numbers of the report below: those of the first file (${forTerminal(c.files[0])})`, ''];
  out.push(textReport(r, digits).trimEnd());
  const key = c.key !== null;
  for (const m of c.changed) {
    if (m.rows.length === 0) continue;
    out.push('', forTerminal(changedCaption(m.a, m.b)));
    // Two models of one file: one line column (the lines are the same).
    const two = m.fileA !== m.fileB;
    const lineHead = (f: number) => `line in ${forTerminal(c.files[f])}`;
    const head = [lineHead(m.fileA), ...(two ? [lineHead(m.fileB)] : []), ...(key ? [forTerminal(c.key ?? '')] : []), 'target', forTerminal(m.a), forTerminal(m.b), 'change'];
    const cells = m.rows.map((x) => [String(x.lineA), ...(two ? [String(x.lineB)] : []), ...(key ? [forTerminal(x.key ?? '')] : []), formatNumber(x.target, digits), formatNumber(x.a, digits), formatNumber(x.b, digits), formatNumber(x.change, digits)]);
    textTable(out, head, cells);
  }
  return out.join('\n') + '\n';
}
