/**
 * The sentences of a training log's report (issue #17), as pure code: strings, or pieces
 * (`{ strong }`, `{ line }`) that the webview turns into nodes with textContent.
 */
import { num, percent } from '../shown';
import type { Pieces } from '../tasks/regression/words';
import { WRITER_NAMES, XKind } from './names';
import type { EndOfRun, LogGap, LogSeriesReport, TrainingLogReport } from './report';

/** What the x axis is called in a sentence. */
export function xWord(kind: XKind): string {
  return kind === 'index' ? 'record' : kind;
}

/** A step as written in the file, for people: 41200 → "41,200"; fractions (an epoch of 0.25) as they are. */
export function stepText(x: number): string {
  if (Number.isInteger(x) && Math.abs(x) < 1e15) return x.toLocaleString('en-US');
  return num(x, 6);
}

/** "step 41,200", "epoch 3". */
export function at(kind: XKind, x: number): string {
  return `${xWord(kind)} ${stepText(x)}`;
}

/** What the report is, and how to read the file otherwise. */
export function kindSentence(r: Pick<TrainingLogReport, 'writer' | 'x' | 'series'>): string {
  const by = r.x.column === null ? 'the position of each record' : `'${r.x.column}'`;
  const writer = r.writer === 'generic' ? '' : ` as ${WRITER_NAMES[r.writer]} writes it`;
  return `Training log${writer}: ${r.series.length} series against ${by}. To read the file as predictions instead, choose --kind predictions (setting lossInspector.kind: predictions); --kind log reads any file as a log.`;
}

export function textValuesWarning(name: string, n: number, line: number): string {
  return `${n} value${n === 1 ? '' : 's'} of '${name}' ${n === 1 ? 'is' : 'are'} text that is not a number (first on line ${line}); ${n === 1 ? 'it is' : 'they are'} left out.`;
}

/** "min 0.412 at epoch 37 (line 39) · last 0.45 at epoch 49", the best for validation series. */
export function seriesSummary(s: LogSeriesReport, kind: XKind): Pieces {
  const out: Pieces = [];
  if (s.min) out.push('min ', { strong: num(s.min.value) }, ` at ${at(kind, s.min.step)} (line `, { line: s.min.line }, ')');
  if (s.last) out.push(`${out.length ? ' · ' : ''}last ${num(s.last.value)} at ${at(kind, s.last.step)}`);
  if (s.phase === 'val' && s.best) out.push(` · best at ${at(kind, s.best.step)}`);
  if (out.length === 0) out.push('no finite value');
  return out;
}

/** "training diverged at step 41,200: loss is NaN there (line 41,203)". */
export function divergedSentence(s: LogSeriesReport, kind: XKind): Pieces | null {
  const nf = s.firstNonFinite;
  if (!nf) return null;
  const what = nf.value === 'NaN' ? 'NaN' : 'infinite';
  if (s.role !== 'loss') return [{ strong: s.name }, ` is first ${what} at ${at(kind, nf.step)} (line `, { line: nf.line }, ').'];
  return ['Training diverged at ', { strong: at(kind, nf.step) }, ': ', { strong: s.name }, ` is ${what} there (line `, { line: nf.line }, ').'];
}

export function spikesSentence(s: LogSeriesReport, kind: XKind, k: number): Pieces | null {
  if (s.spikeCount === 0) return null;
  const out: Pieces = [{ strong: s.name }, ` has ${s.spikeCount} spike${s.spikeCount === 1 ? '' : 's'} (a value above ${num(k)}× the median of the values before it): `];
  s.spikes.slice(0, 5).forEach((p, i) => out.push(i ? ', ' : '', `${num(p.value)} at ${at(kind, p.step)} (line `, { line: p.line }, ')'));
  if (s.spikeCount > 5) out.push(`, … (${s.spikeCount - 5} more)`);
  out.push('.');
  return out;
}

export function gapSentence(g: LogGap, kind: XKind): string {
  const parts: string[] = [];
  if (g.last) parts.push(`${num(g.last.value)} at the end (${at(kind, g.last.step)})`);
  if (g.atBest) parts.push(`${num(g.atBest.value)} at the best ${g.val} (${at(kind, g.atBest.step)})`);
  return `Generalisation gap (${g.val} − ${g.train}, aligned by ${xWord(kind)}): ${parts.join('; ')}.`;
}

/** The sentence on the end of the run. */
export function endSentence(e: EndOfRun, kind: XKind): string {
  const tail = `over the last ${percent(0.2, 0)} of the ${xWord(kind)}s`;
  const fromTo = e.from && e.to ? ` (trend: ${num(e.from.value)} at ${at(kind, e.from.step)} → ${num(e.to.value)} at ${at(kind, e.to.step)})` : '';
  const ch = e.change === null ? '' : percent(Math.abs(e.change));
  switch (e.verdict) {
    case 'diverged':
      return `The run diverged: ${e.series} became NaN or infinite.`;
    case 'short':
      return `Too few points of ${e.series} to say how the run ends.`;
    case 'improving':
      return `Still improving: ${e.series} fell ${ch} ${tail}${fromTo}; training longer may help.`;
    case 'plateau':
      return `Plateau: ${e.series} changed by ${ch} ${tail}${fromTo}.`;
    case 'overfitting':
      return `Overfitting: ${e.series} rose ${ch} ${tail} while ${e.train} fell ${percent(Math.abs(e.trainChange ?? 0))}${fromTo}.`;
    case 'rising':
      return `${e.series} rose ${ch} ${tail}${fromTo}${e.train ? `, and ${e.train} did not fall` : ''}.`;
  }
}

/**
 * The report tab's title for one file or several runs (paths in the report's order): the file's
 * name; for runs that share one (Lightning's version_0/metrics.csv, version_1/metrics.csv), that
 * name and their folders; else their names. At most three listed.
 */
export function runsTitle(paths: string[]): string {
  const parts = paths.map((p) => p.split('/').filter((s) => s !== ''));
  const names = parts.map((q) => q[q.length - 1] ?? '');
  const list = (xs: string[]) => (xs.length > 3 ? `${xs.slice(0, 3).join(', ')} +${xs.length - 3}` : xs.join(', '));
  if (paths.length < 2) return names[0] ?? '';
  if (names.every((n) => n === names[0])) {
    const folders = parts.map((q) => q[q.length - 2] ?? '');
    if (new Set(folders).size === folders.length) return `${names[0]} (${list(folders)})`;
    return `${names[0]} (${paths.length} runs)`;
  }
  return list(names);
}
