/** The CLI's text output for a training log (one run or several). Names are escaped (forTerminal). */
import { forTerminal, skippedText, textTable } from '../format';
import { num } from '../shown';
import type { Pieces } from '../tasks/regression/words';
import { AnyLogReport, runsOf, TrainingLogReport } from './report';
import { divergedSentence, endSentence, gapSentence, kindSentence, spikesSentence, stepText } from './words';

/** Pieces as plain text: a line number as "line N" is already in the words. */
export function piecesText(p: Pieces): string {
  return p.map((x) => (typeof x === 'string' ? x : 'strong' in x ? x.strong : stepText(x.line))).join('');
}

export function logTextReport(r: AnyLogReport): string {
  const runs = runsOf(r);
  const out: string[] = [];
  runs.forEach((run, i) => {
    if (i > 0) out.push('', '');
    runText(out, run, runs.length > 1);
  });
  return out.join('\n') + '\n';
}

function runText(out: string[], r: TrainingLogReport, named: boolean): void {
  const t = (s: string) => forTerminal(s);
  out.push(`${named ? `run ${t(r.run)}: ` : ''}${t(r.file)} (${r.format}) — ${t(kindSentence(r))}`);
  out.push(`records: ${r.rows.used} used of ${r.rows.total}${r.rows.skipped ? `, ${r.rows.skipped} skipped` : ''}; smoothing ${r.params.smoothing} (TensorBoard's), spikes above ${r.params.spikeK}× the rolling median`);
  out.push('');
  const x = r.x.column === null ? 'record' : r.x.column;
  const cell = (a: { value: number; step: number } | null) => (a ? `${num(a.value, 6)} @ ${stepText(a.step)}` : '—');
  textTable(
    out,
    ['series', 'min @ ' + x, 'line', 'last @ ' + x, 'best val @', 'first non-finite', 'spikes'],
    r.series.map((s) => [
      t(s.name),
      cell(s.min),
      s.min ? String(s.min.line) : '—',
      cell(s.last),
      s.phase === 'val' && s.best && s.role !== 'lr' ? stepText(s.best.step) : '',
      s.firstNonFinite ? `${s.firstNonFinite.value} @ ${stepText(s.firstNonFinite.step)} (line ${s.firstNonFinite.line})` : '—',
      String(s.spikeCount),
    ]),
  );
  const notes: string[] = [];
  for (const s of r.series) {
    const d = divergedSentence(s, r.x.kind);
    if (d) notes.push(piecesText(d));
  }
  for (const s of r.series) {
    const sp = spikesSentence(s, r.x.kind, r.params.spikeK);
    if (sp) notes.push(piecesText(sp));
  }
  for (const g of r.gaps) notes.push(gapSentence(g, r.x.kind));
  if (r.end) notes.push(endSentence(r.end, r.x.kind));
  if (notes.length) out.push('', ...notes.map(t));
  out.push(...skippedText(r.rows));
  if (r.warnings.length) out.push('', 'warnings:', ...r.warnings.map((w) => `  ${t(w)}`));
}
