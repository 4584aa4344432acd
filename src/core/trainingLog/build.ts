/** The report of a training log from its reader's state (which it does not change). */
import type { FileFormat } from '../fileInfo';
import type { RowsSummary } from '../rows';
import { SeriesColumn } from './names';
import type { LogPlan } from './plan';
import type { EndOfRun, LogChart, LogGap, LogSeriesReport, TrainingLogReport } from './report';
import { GapAcc, SeriesAcc, SPIKE_WINDOW } from './series';
import { textValuesWarning } from './words';

/** What the builder needs of a LogReader. */
export interface LogState {
  readonly plan: LogPlan;
  readonly file: string;
  readonly run: string;
  readonly series: readonly SeriesAcc[];
  readonly gaps: readonly GapAcc[];
  readonly smoothing: number;
  readonly spikeK: number;
}

/** Share of the x range, at its end, over which the end of the run is judged. */
export const TAIL_SHARE = 0.2;
/** A relative change of the fitted trend within ±1% over the tail is a plateau. */
export const PLATEAU_TOLERANCE = 0.01;
/** Points a series needs for the end of the run to be judged. */
const MIN_POINTS = 5;

export function buildLogReport(state: LogState, rows: RowsSummary, format: FileFormat): TrainingLogReport {
  const { plan } = state;
  const warnings: string[] = [];
  const series: LogSeriesReport[] = [];
  const kept: number[] = [];
  plan.series.forEach((col, i) => {
    const acc = state.series[i];
    if (acc.textCells > 0) warnings.push(textValuesWarning(col.name, acc.textCells, acc.firstTextLine));
    if (acc.points.points === 0) return;
    kept.push(i);
    series.push(seriesReport(col, acc, plan.x.column));
  });
  const names = new Map(kept.map((i, k) => [i, series[k].name]));
  const gaps: LogGap[] = [];
  plan.gaps.forEach((g, k) => {
    const train = names.get(g.train);
    const val = names.get(g.val);
    if (train === undefined || val === undefined) return;
    const r = state.gaps[k].result();
    if (r.points.x.length === 0) return;
    gaps.push({ quantity: g.quantity, train, val, points: { x: r.points.x, gap: r.points.y }, last: r.last ?? null, atBest: r.atBest ?? null });
  });
  return {
    version: 1,
    kind: 'trainingLog',
    file: state.file,
    format,
    run: state.run,
    writer: plan.writer,
    x: plan.x,
    params: { smoothing: state.smoothing, spikeK: state.spikeK, spikeWindow: SPIKE_WINDOW },
    series,
    charts: chartsOf(series),
    gaps,
    end: endOfRun(series, gaps),
    rows,
    warnings,
  };
}

function seriesReport(col: SeriesColumn, acc: SeriesAcc, x: string | null): LogSeriesReport {
  const d = acc.points.result();
  const constant = acc.isConstant;
  const nf = acc.firstNonFinite;
  const lowerIsBetter = col.role === 'loss' || (col.role === 'metric' && /(err|error|mae|mse|rmse|wer|cer|perplexity|ppl)/i.test(col.quantity));
  const best = col.role === 'loss' || col.role === 'metric' ? ((lowerIsBetter ? acc.min : acc.max) ?? null) : null;
  return {
    name: col.name,
    column: col.column,
    role: col.role,
    phase: col.phase,
    quantity: col.quantity,
    ...(col.run !== undefined ? { run: col.run } : {}),
    x,
    points: { x: d.x, y: d.y, min: d.min, max: d.max, mean: d.mean, count: d.count, line: d.line },
    smoothed: constant ? d.y : d.smoothed,
    values: acc.points.points,
    finite: acc.finite,
    min: acc.min ?? null,
    max: acc.max ?? null,
    last: acc.last ?? null,
    best: best && { ...best },
    firstNonFinite: nf ? { step: nf.step, line: nf.line, value: Number.isNaN(nf.value) ? 'NaN' : nf.value > 0 ? 'Infinity' : '-Infinity' } : null,
    spikes: acc.spikes.slice(),
    spikeCount: acc.spikeCount,
    constant,
    textValues: acc.textCells,
  };
}

const ROLE_ORDER = { loss: 0, metric: 1, lr: 2, other: 3 } as const;

/**
 * Charts: one per loss quantity (its training and validation series together), one for the
 * metrics, one for the learning rate, one per other quantity; losses first.
 */
export function chartsOf(series: readonly LogSeriesReport[]): LogChart[] {
  const charts: LogChart[] = [];
  const byKey = new Map<string, LogChart>();
  for (const s of series) {
    const key = s.role === 'loss' || s.role === 'other' ? `${s.role}:${s.quantity}` : s.role;
    let c = byKey.get(key);
    if (!c) {
      const title = s.role === 'metric' ? 'Metrics' : s.role === 'lr' ? 'Learning rate' : s.quantity;
      c = { title, role: s.role, series: [] };
      byKey.set(key, c);
      charts.push(c);
    }
    c.series.push(s.name);
  }
  return charts.sort((a, b) => ROLE_ORDER[a.role] - ROLE_ORDER[b.role]);
}

/** The series whose end says how the run ends: the validation loss of the main quantity, else its training loss. */
function mainLoss(series: readonly LogSeriesReport[]): { main: LogSeriesReport; train: LogSeriesReport | null } | undefined {
  const losses = series.filter((s) => s.role === 'loss');
  if (losses.length === 0) return undefined;
  const quantity = losses.some((s) => s.quantity === 'loss') ? 'loss' : losses[0].quantity;
  const of = losses.filter((s) => s.quantity === quantity);
  const val = of.find((s) => s.phase === 'val');
  const trains = of.filter((s) => s.phase === 'train');
  const train = trains.find((s) => /_epoch$/i.test(s.name)) ?? trains.find((s) => !/_step$/i.test(s.name)) ?? trains[0] ?? null;
  // A validation series too short to judge (a few evaluations): the training loss says how the run ends.
  if (val && (val.finite >= MIN_POINTS || !train || train.finite < MIN_POINTS)) return { main: val, train };
  return train ? { main: train, train: null } : { main: of[0], train: null };
}

/**
 * Relative change over the tail [from, ∞): a straight line fitted (least squares, each point
 * weighted by the values it stands for) to the points' means, from its value at the tail's first
 * x to its value at the last. A fit rather than two smoothed values: the end of a noisy run moves
 * the smoothed curve more than its trend does.
 */
function tailChange(s: LogSeriesReport, from: number): { change: number; a: { step: number; value: number }; b: { step: number; value: number } } | null {
  const xs = s.points.x;
  let sw = 0;
  let sx = 0;
  let sy = 0;
  let x0 = Infinity;
  let x1 = -Infinity;
  let n = 0;
  for (let i = 0; i < xs.length; i++) {
    const m = s.points.mean[i];
    if (m === null || xs[i] < from) continue;
    const w = s.points.count[i];
    sw += w;
    sx += w * xs[i];
    sy += w * m;
    if (xs[i] < x0) x0 = xs[i];
    if (xs[i] > x1) x1 = xs[i];
    n++;
  }
  if (n < 2 || !(x1 > x0)) return null;
  const mx = sx / sw;
  const my = sy / sw;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < xs.length; i++) {
    const m = s.points.mean[i];
    if (m === null || xs[i] < from) continue;
    const w = s.points.count[i];
    sxx += w * (xs[i] - mx) * (xs[i] - mx);
    sxy += w * (xs[i] - mx) * (m - my);
  }
  const slope = sxx > 0 ? sxy / sxx : 0;
  const va = my + slope * (x0 - mx);
  const vb = my + slope * (x1 - mx);
  const change = va === 0 ? (vb === 0 ? 0 : Math.sign(vb) * Infinity) : (vb - va) / Math.abs(va);
  return { change, a: { step: x0, value: va }, b: { step: x1, value: vb } };
}

/** How the run ends (see EndOfRun); null without a loss. */
export function endOfRun(series: readonly LogSeriesReport[], _gaps: readonly LogGap[] = []): EndOfRun | null {
  const pick = mainLoss(series);
  if (!pick) return null;
  const { main, train } = pick;
  const base = { series: main.name, train: train?.name ?? null };
  const diverged = series.find((s) => s.role === 'loss' && s.firstNonFinite !== null);
  if (diverged) return { verdict: 'diverged', ...base, series: diverged.name, change: null, trainChange: null, from: null, to: null };
  const xs = main.points.x;
  if (main.finite < MIN_POINTS || xs.length < MIN_POINTS) return { verdict: 'short', ...base, change: null, trainChange: null, from: null, to: null };
  const x0 = xs[0];
  const x1 = xs[xs.length - 1];
  const from = x1 - TAIL_SHARE * (x1 - x0);
  const m = tailChange(main, from);
  if (!m) return { verdict: 'short', ...base, change: null, trainChange: null, from: null, to: null };
  const t = train ? tailChange(train, from) : null;
  let verdict: EndOfRun['verdict'];
  if (m.change < -PLATEAU_TOLERANCE) verdict = 'improving';
  else if (m.change > PLATEAU_TOLERANCE) verdict = t !== null && t.change < 0 ? 'overfitting' : 'rising';
  else verdict = 'plateau';
  return { verdict, ...base, change: m.change, trainChange: t ? t.change : null, from: m.a, to: m.b };
}
