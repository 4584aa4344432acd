/** `compare`'s text report: the report of the joined rows (regression, binary or multiclass), how they were joined, the rows that changed most. */
import { formatNumber, forTerminal, textReport, textTable } from '../format';
import { classTextReport } from '../tasks/classification/text';
import { multiTextReport } from '../tasks/multiclass/text';
import type { AnyCompareReport, ChangedModels, CompareInfo } from './report';
import { changedCaption, changedLogLossCaption, joinSentence } from './words';

export function compareTextReport(r: AnyCompareReport, digits = 8): string {
  const c: CompareInfo<unknown> = r.compare;
  const out = [forTerminal(joinSentence(c)), `line numbers of the report below: those of the first file (${forTerminal(c.files[0])})`, ''];
  const key = c.key !== null;
  const lineHead = (f: number) => `line in ${forTerminal(c.files[f])}`;
  // Two models of one file: one line column (the lines are the same).
  const lineCells = (m: ChangedModels<unknown>, x: { lineA: number; lineB: number; key: string | null }) => [String(x.lineA), ...(m.fileA !== m.fileB ? [String(x.lineB)] : []), ...(key ? [forTerminal(x.key ?? '')] : [])];
  const heads = (m: ChangedModels<unknown>) => [lineHead(m.fileA), ...(m.fileA !== m.fileB ? [lineHead(m.fileB)] : []), ...(key ? [forTerminal(c.key ?? '')] : [])];
  const n = (x: number) => formatNumber(x, digits);
  if ('task' in r) {
    // Multiclass: a row's a and b are the probabilities given to its label.
    const multi = r.task === 'multiclass';
    out.push((r.task === 'multiclass' ? multiTextReport(r, digits) : classTextReport(r, digits)).trimEnd());
    for (const m of r.compare.changed) {
      if (m.rows.length === 0) continue;
      out.push('', forTerminal(changedLogLossCaption(m.a, m.b)));
      const score = (name: string) => (multi ? `p(label) ${forTerminal(name)}` : forTerminal(name));
      const head = [...heads(m), 'label', score(m.a), score(m.b), `log loss ${forTerminal(m.a)}`, `log loss ${forTerminal(m.b)}`, 'change'];
      textTable(out, head, m.rows.map((x) => [...lineCells(m, x), forTerminal(x.label), n(x.a), n(x.b), n(x.lossA), n(x.lossB), n(x.change)]));
    }
  } else {
    out.push(textReport(r, digits).trimEnd());
    for (const m of r.compare.changed) {
      if (m.rows.length === 0) continue;
      out.push('', forTerminal(changedCaption(m.a, m.b)));
      const head = [...heads(m), 'target', forTerminal(m.a), forTerminal(m.b), 'change'];
      textTable(out, head, m.rows.map((x) => [...lineCells(m, x), n(x.target), n(x.a), n(x.b), n(x.change)]));
    }
  }
  return out.join('\n') + '\n';
}
