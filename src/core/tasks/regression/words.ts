/**
 * The sentences of the regression report that explain its numbers, as pure code: no DOM, no
 * vscode. A sentence is a string or a list of pieces — plain text, `{ strong }` for text in bold,
 * `{ line }` for a line number of the data file — that the webview turns into nodes with
 * textContent (src/webview/words.ts), so text from the file is never parsed as HTML.
 */
import { groupLabel } from '../../format';
import { CURVES, CurveKey, LossParams, METRICS } from './losses';
import type { ModelReport, Report, RowsSummary } from './report';
import type { RowLossKey } from './losses';
import { num as f, percent } from '../../shown';
import { ROW_LOSS_LABEL, ROW_LOSS_MEAN } from './view/common';
import { EXPLOSIVE_RATIO, GradientDistribution, GradientRow } from './view/gradients';
import { GroupMetricKey, groupRows } from './view/groups';
import { VARIANCE_METRICS } from './variance';
import type { QQData } from './view/qq';
import { robustnessContrast } from './view/robustness';

/** A piece of a sentence: plain text, text in bold, or a line of the data file (a link in VS Code). */
export type Piece = string | { strong: string } | { line: number };
export type Pieces = Piece[];

const s = (n: number) => (n === 1 ? '' : 's');
const metricLabel = (key: GroupMetricKey) => [...METRICS, ...VARIANCE_METRICS].find((d) => d.key === key)?.label ?? key;

// ---- notices --------------------------------------------------------------------------------

export function skippedTitle(r: Pick<RowsSummary, 'skipped' | 'total'>): string {
  return `${r.skipped} of ${r.total} rows skipped (${percent(r.skipped / r.total)})`;
}

export function skippedIntro(r: Pick<RowsSummary, 'used'>, interactive: boolean): string {
  return `The losses below use the other ${r.used} rows. ${interactive ? 'Click a line number to open it.' : ''}`;
}

/** One reason rows were skipped: "3 × <reason> — lines 4, 5, 9", the first lines only when there are more. */
export function skippedReason(n: number, reason: string, lines: readonly number[], word: 'line' | 'row' = 'line'): Pieces {
  const out: Pieces = [{ strong: `${n} × ` }, reason];
  if (lines.length) {
    out.push(` — ${n > lines.length ? `first ${word}${lines.length > 1 ? 's' : ''}` : lines.length > 1 ? `${word}s` : word} `);
    lines.forEach((l, i) => out.push(i ? ', ' : '', { line: l }));
    if (n > lines.length) out.push(`, … (${n - lines.length} more)`);
  }
  return out;
}

/** When the settings no longer match the report's parameters; null when they do. */
export function settingsNote(settings: { beta: number; delta: number }, params: LossParams): string | null {
  if (settings.beta === params.beta && settings.delta === params.delta) return null;
  return `The settings now say β = ${settings.beta}, δ = ${settings.delta}; this report was computed with β = ${params.beta}, δ = ${params.delta}. `;
}

// ---- summary ---------------------------------------------------------------------------------

export function summaryCaption(r: Pick<Report, 'models' | 'target'>): string {
  const multi = r.models.length > 1;
  return `Every loss of ${multi ? `${r.models.length} models` : 'the model'} against “${r.target}”. Hover a metric for its formula${multi ? '; bold: the best model for that metric' : ''}.`;
}

export function rowsUsed(r: Pick<RowsSummary, 'used' | 'total' | 'skipped'>): string {
  return `${r.used} of ${r.total} rows used` + (r.skipped ? ` · ${r.skipped} skipped` : '');
}

// ---- groups ----------------------------------------------------------------------------------

/** What "worst" means for a metric: the largest error, the smallest R², the largest |bias|. */
export function worstWord(key: GroupMetricKey): string {
  return key === 'r2' ? 'smallest' : key === 'meanError' ? 'largest |bias|' : 'largest';
}

/** "Of the 7 values of “region”, **3** has the largest MAE: **1.2** over 57 rows, against 0.9 over all 400 rows." */
export function groupsLead(r: Pick<Report, 'groups' | 'models' | 'rows'>, key: GroupMetricKey, mi: number): Pieces | null {
  const g = r.groups;
  if (!g || g.groups.length === 0) return null;
  const all = groupRows(r, key, mi);
  const worst = g.groups[all.order[0]];
  const wv = worst.metrics[mi]?.[key] ?? null;
  return [
    `Of the ${g.distinct} value${s(g.distinct ?? 0)} of “${g.column}”, `,
    { strong: groupLabel(worst.value, 60) },
    ` has the ${worstWord(key)} ${metricLabel(key)}${r.models.length > 1 ? ` of ${r.models[mi].prediction}` : ''}: `,
    { strong: f(wv, 4) },
    ` over ${worst.rows} row${s(worst.rows)}, against ${f(all.overall[mi], 4)} over all ${r.rows.used} rows.`,
  ];
}

/** The group chart's text summary (the first five bars) and caption. */
export function groupsChartText(o: { column: string; metric: string; worst: string; labels: readonly string[]; values: readonly (number | null)[]; groups: number }): { label: string; caption: string[] } {
  const first = o.labels.slice(0, 5).map((l, i) => `${l} ${f(o.values[i], 4)}`);
  return {
    label: `${o.metric} per value of ${o.column}, worst first: ${first.join(', ')}${o.labels.length > 5 ? ', …' : ''}`,
    caption: [o.groups > o.labels.length ? `The ${o.labels.length} values with the ${o.worst} ${o.metric} of ${o.groups}. ` : '', 'The dashed line is the value over all rows.'],
  };
}

// ---- robustness ------------------------------------------------------------------------------

/**
 * The sentence on how much the worst 1% of rows carry: "The worst 4 rows (1% of 400) of pred_a
 * carry **77% of L2** but only **9% of L1**. Without them, MSE falls from … to …".
 * `contrast`: whether there are shares at all (the "show these rows" link follows then).
 */
export function robustnessLead(m: Pick<ModelReport, 'robustness' | 'metrics' | 'prediction' | 'absQuantiles'>, used: number): { text: Pieces; contrast: boolean } {
  const w1 = m.robustness.worst1;
  const c = robustnessContrast(m);
  const who = `${w1.rows === 1 ? 'The worst row' : `The worst ${w1.rows} rows`} (${percent(w1.rows / used)} of ${used}) of ${m.prediction}`;
  const carry = w1.rows === 1 ? 'carries' : 'carry';
  if (!c) {
    const text =
      m.absQuantiles.max === 0
        ? `Every prediction of ${m.prediction} is exact: no row adds to any loss.`
        : `The shares of ${m.prediction} are not defined: its losses are not finite in double precision.`;
    return { text: [text], contrast: false };
  }
  if (c.similar) {
    return {
      text: [`${who} ${carry} between ${percent(c.least.worst1 as number, 0)} and ${percent(c.most.worst1 as number, 0)} of every loss: no loss is dominated by a few rows.`],
      contrast: true,
    };
  }
  const fall = (row: typeof c.most, verb: string) => {
    const name = METRICS.find((d) => d.key === ROW_LOSS_MEAN[row.key])?.label ?? row.label;
    return row.mean !== null && row.without1 !== null ? `${name}${verb} from ${f(row.mean)} to ${f(row.without1)}` : '';
  };
  const first = fall(c.most, ' falls');
  const second = first ? fall(c.least, '') : '';
  return {
    text: [
      `${who} ${carry} `,
      { strong: `${percent(c.most.worst1 as number, 0)} of ${c.most.label}` },
      ' but only ',
      { strong: `${percent(c.least.worst1 as number, 0)} of ${c.least.label}` },
      '.',
      first ? ` Without ${w1.rows === 1 ? 'it' : 'them'}, ${first}${second ? ` and ${second}` : ''}.` : '',
    ],
    contrast: true,
  };
}

export function robustnessIntro(p: LossParams): string {
  return `Share of each loss’s total carried by the rows with the largest |d|: the worst 1% (dark) and the worst 10% (light, they include the 1%). L2 squares the residuals, so a few large ones can carry most of it; L1 counts them only once. Losses at β = ${p.beta}, δ = ${p.delta}.`;
}

/** Why a model's card has no shares. */
export function robustnessNoShares(m: Pick<ModelReport, 'absQuantiles'>): string {
  return m.absQuantiles.max === 0 ? 'Every prediction is exact: there is no loss for the worst rows to carry.' : 'The losses are not finite in double precision: shares are not defined.';
}

type Rob = ModelReport['robustness'];

export function robustnessShareTitle(rob: Rob): string {
  return `Share of the loss carried by the worst 1% of rows (${rob.worst1.rows} rows with |d| ≥ ${f(rob.worst1.threshold)}) and by the worst 10% (${rob.worst10.rows} rows with |d| ≥ ${f(rob.worst10.threshold)})`;
}

export function robustnessMeanTitle(rob: Rob, used: number): string {
  return `The loss averaged over every row (MAE, MSE, smooth L1, Huber, log-cosh), then over the ${used - rob.worst1.rows} rows outside the worst 1%`;
}

export function robustnessNote(rob: Rob): string {
  return `Worst 1%: ${rob.worst1.rows} row${s(rob.worst1.rows)} with |d| ≥ ${f(rob.worst1.threshold)}; worst 10%: ${rob.worst10.rows} rows with |d| ≥ ${f(rob.worst10.threshold)}. `;
}

/** The text of the link to the worst-rows table: "Show these 4 rows", or "Show the 10 largest" when fewer are listed. */
export function showRowsText(k: number, listed: number): string {
  return k <= listed ? `Show ${k === 1 ? 'this row' : `these ${k} rows`}` : `Show the ${listed} largest`;
}

// ---- gradients over the rows -----------------------------------------------------------------

/** Names of the losses with the parameters they are drawn at. */
export function gradientNames(beta: number, delta: number): Record<RowLossKey, string> {
  return { ...ROW_LOSS_LABEL, smoothL1: `smooth L1 (β = ${f(beta)})`, huber: `Huber (δ = ${f(delta)})` };
}

export function gradientsNone(m: Pick<ModelReport, 'absQuantiles' | 'prediction'>): string {
  return m.absQuantiles.max === 0
    ? `Every prediction of ${m.prediction} is exact: every gradient is 0.`
    : `The residuals of ${m.prediction} are not finite in double precision: their gradients cannot be shown.`;
}

/** Whether the gradient of a loss explodes: its largest is EXPLOSIVE_RATIO× its median or more. */
export const explodes = (l: GradientRow): boolean => l.stats.ratio !== null && l.stats.ratio >= EXPLOSIVE_RATIO;

/** "**L2’s largest gradient is 120× its median** (…): a few rows dominate the updates. …" at the β being tried. */
export function gradientsLead(d: GradientDistribution, prediction: string, beta: number, delta: number): Pieces {
  const by = (k: RowLossKey) => d.losses.find((l) => l.key === k) as GradientRow;
  const big = d.losses.filter(explodes).sort((a, b) => (b.stats.ratio as number) - (a.stats.ratio as number));
  if (by('l2').stats.median === 0) {
    return [{ strong: `At least half of the rows of ${prediction} are predicted exactly` }, ', so the median gradient is 0 for every loss: the few rows with an error steer every update.'];
  }
  if (!big.length) {
    const l2 = by('l2');
    return [`No loss’s largest gradient is ${EXPLOSIVE_RATIO}× its median or more${l2.stats.ratio !== null ? ` (L2: ${f(l2.stats.ratio, 3)}×)` : ''}: no row of ${prediction} dominates the updates.`];
  }
  const top = big[0];
  const out: Pieces = [{ strong: `${top.label}’s largest gradient is ${f(top.stats.ratio, 3)}× its median` }, ` (${f(top.stats.max, 4)} against ${f(top.stats.median, 3)}): a few rows dominate the updates.`];
  // A bounded loss can still have a large ratio: when most rows sit in its quadratic zone.
  const why = (l: GradientRow) =>
    l.key === 'smoothL1'
      ? `at β = ${f(beta)} most rows are in its quadratic zone, where it acts like L2`
      : l.key === 'huber'
        ? `at δ = ${f(delta)} most rows are in its quadratic zone, where it acts like L2`
        : '';
  if (why(top)) out.push(` For ${top.label}, ${why(top)}.`);
  for (const l of big.slice(1)) out.push(` ${l.label}’s is ${f(l.stats.ratio, 3)}×${why(l) ? ` (${why(l)})` : ''}.`);
  const caps: string[] = [];
  if (!big.includes(by('smoothL1'))) caps.push('smooth L1 at 1');
  if (!big.includes(by('huber'))) caps.push(`Huber at δ = ${f(delta)}`);
  if (!big.includes(by('logCosh'))) caps.push('log-cosh at 1');
  if (caps.length) out.push(` Bounded losses cap it: ${caps.join(', ')}${big.includes(by('l1')) ? '' : '; L1 pulls every row with 1'}.`);
  return out;
}

/** The gradient chart's text summary and caption. */
export function gradientsChartText(d: GradientDistribution, prediction: string, names: Record<RowLossKey, string>): { label: string; caption: string } {
  const range = d.edges.length ? `from ${f(d.edges[0], 2)} to ${f(d.edges[d.edges.length - 1], 3)}` : '';
  const belowNote =
    d.belowRows > 0
      ? ` ${d.belowRows} row${s(d.belowRows)} with |d| < ${f(d.belowAbs, 2)} (exact predictions included) ${d.belowRows === 1 ? 'is' : 'are'} left of the chart (L1’s gradient is 0 at d = 0).`
      : '';
  return {
    label:
      `Distribution of the per-row gradient magnitude of ${prediction} for ${d.losses.map((l) => names[l.key]).join(', ')}, on a log scale ${range}. ` +
      d.losses.map((l) => `${names[l.key]}: median ${f(l.stats.median, 3)}, largest ${f(l.stats.max, 4)}`).join('; ') +
      '.',
    caption: `Share of the ${d.rows} rows of ${prediction} per gradient bin (quarter octaves), one row per loss with its own scale; dashed: the median, solid: the largest. Derived from the |d| histogram, each |d| mapped to its gradient; the smooth L1 row follows the β being tried.${belowNote}`,
  };
}

// ---- loss and gradient curves ----------------------------------------------------------------

type Beyond = { count: number; atLeast: boolean };
type CurveModel = Pick<ModelReport, 'prediction' | 'worst' | 'absQuantiles'>;

export function lossCurvesLabel(m: CurveModel, end: number, beta: number, delta: number): string {
  return `Per-element loss against the residual d from −${f(end)} to ${f(end)} for L1, L2, smooth L1 (β = ${f(beta)}), Huber (δ = ${delta}) and log-cosh, with the residuals of ${m.prediction} drawn behind. 99% of its rows have |d| ≤ ${f(m.absQuantiles.p99)}.`;
}

/** Under the loss curves: the share in smooth L1's quadratic zone at β, and the rows beyond the chart. */
export function lossCurvesText(m: CurveModel, beta: number, share: number | null, beyond: Beyond, end: number): Pieces {
  const out: Pieces = [
    'Each curve is the loss one row adds, as a function of its residual d. The bars behind show where ',
    { strong: m.prediction },
    `’s residuals lie. At β = ${f(beta)}, `,
    { strong: share === null ? '—' : percent(share) },
    ` of the rows are in smooth L1’s quadratic zone (between the ±β lines), the rest in its linear zone.`,
  ];
  if (beyond.count > 0) {
    const top = m.worst[0];
    out.push(
      ` ${beyond.atLeast ? 'At least ' : ''}${beyond.count} row${beyond.count > 1 ? 's' : ''} with |d| beyond ${f(end)} ${beyond.count > 1 ? 'are' : 'is'} not drawn (largest: d = ${f(top.residual)}, line `,
      { line: top.line },
      ').',
    );
  }
  return out;
}

export function gradientCurvesLabel(end: number, beta: number, delta: number): string {
  return `Gradient of each loss against d from −${f(end)} to ${f(end)}: L2 is 2d, L1 is ±1 with a break at 0, smooth L1 (β = ${f(beta)}) is d/β inside ±β and ±1 outside, Huber is bounded by δ = ${delta}, log-cosh is tanh(d).`;
}

export const GRADIENT_CURVES_INTRO: Pieces = [
  'The gradient is how hard a row pulls its prediction during training. ',
  { strong: 'L2' },
  '’s gradient 2d grows without bound, so the largest residuals dominate; ',
  { strong: 'L1' },
  '’s is ±1 whatever the size of the error, with a break at d = 0. ',
  { strong: 'smooth L1' },
  ' is d/β inside ±β and ±1 outside: bounded like L1, smooth near 0 like L2. Huber is the same shape scaled by δ; log-cosh’s tanh(d) is smooth everywhere and bounded by 1.',
];

/** How hard the largest residual pulls under L2 and under smooth L1 at the β being tried; null without one. */
export function largestPull(m: CurveModel, params: LossParams, l2OffChart: boolean, end: number): Pieces | null {
  const top = m.worst[0];
  const smooth = CURVES.find((c) => c.key === 'smoothL1');
  if (!top || top.residual === 0 || !smooth) return null;
  const out: Pieces = [
    `Here the largest residual of ${m.prediction} (d = ${f(top.residual)}, line `,
    { line: top.line },
    `) pulls with 2|d| = ${f(2 * Math.abs(top.residual))} under L2 but with ${f(Math.abs(smooth.grad(top.residual, params)))} under smooth L1.`,
  ];
  if (l2OffChart) out.push(` L2’s gradient leaves the chart: it reaches ±${f(2 * end)} at the edges.`);
  return out;
}

export function sweepLabel(prediction: string, values: readonly number[]): string {
  return `smooth L1 of ${prediction} against β and Huber against δ, on a log scale from ${f(values[0], 2)} to ${f(values[values.length - 1], 3)}.`;
}

/** Beside the β slider's smooth L1: "(the β in force)" or the value at the β in force. */
export function betaInForce(smoothL1InForce: number | null, betaInForce: number, same: boolean): string {
  return same ? ' (the β in force)' : ` (${f(smoothL1InForce, 6)} at β = ${betaInForce} in force)`;
}

// ---- residuals ---------------------------------------------------------------------------------

/** "Median |d| 0.5, 90% of rows within ±1.2, 99% within ±3, largest |d| 80. Mean error 0.1 (over-predicts on average)." */
export function residualSummary(m: Pick<ModelReport, 'absQuantiles' | 'metrics'>): string {
  const q = m.absQuantiles;
  const bias = m.metrics.meanError;
  const biasText = bias === null ? '' : ` Mean error ${f(bias)}${bias > 0 ? ' (over-predicts on average)' : bias < 0 ? ' (under-predicts on average)' : ''}.`;
  return `Median |d| ${f(q.p50)}, 90% of rows within ±${f(q.p90)}, 99% within ±${f(q.p99)}, largest |d| ${f(q.max)}.${biasText}`;
}

/** The histogram's text summary and caption, zoomed to ±end (from the sample) or over the full range. */
export function histogramText(
  m: Pick<ModelReport, 'absQuantiles' | 'metrics' | 'prediction' | 'histogram'>,
  view: { zoom: { end: number; source: 'all' | 'sample'; rows: number; beyond: Beyond } } | { bars: number },
): { label: string; caption: string } {
  const summary = residualSummary(m);
  if ('zoom' in view) {
    const { end, beyond } = view.zoom;
    const src = view.zoom.source === 'all' ? 'all rows' : `a sample of ${view.zoom.rows} rows`;
    return {
      label: `Histogram of the residuals of ${m.prediction} between −${f(end)} and ${f(end)} (${src}). ${summary}`,
      caption: `Zoomed to ±${f(end)} (${src}); ${beyond.atLeast ? 'at least ' : ''}${beyond.count} row${s(beyond.count)} with larger |d| not drawn. ${summary}`,
    };
  }
  return { label: `Histogram of the residuals of ${m.prediction} in ${view.bars} bins from ${f(m.histogram.min)} to ${f(m.histogram.max)}. ${summary}`, caption: summary };
}

// ---- Q-Q plot ----------------------------------------------------------------------------------

export function qqSource(qq: Pick<QQData, 'source' | 'rows'>, used: number): string {
  return qq.source === 'all' ? `all ${qq.rows} rows` : `a sample of ${qq.rows} of the ${used} rows`;
}

/** The Q-Q chart's text summary and caption; `outside`: points drawn on the edge of a zoomed view (0 when not zoomed). */
export function qqChartText(qq: Pick<QQData, 'source' | 'rows' | 'slope'>, prediction: string, used: number, outside: number, interactive: boolean): { label: string; caption: string } {
  const src = qqSource(qq, used);
  const beyond = outside > 0 ? ` ${outside} point${s(outside)} beyond the view ${outside === 1 ? 'sits' : 'sit'} on its edge (triangles).` : '';
  return {
    label: `Normal Q-Q plot of the residuals of ${prediction} (${src}): sorted residuals against standard normal quantiles, with the line through the quartiles (slope ${f(qq.slope, 3)}).${beyond}`,
    caption: `${src[0].toUpperCase()}${src.slice(1)}: the i-th smallest d against Φ⁻¹((i − 0.5)/${qq.rows}).${beyond}${interactive ? ' Click a point to open its line.' : ''}`,
  };
}

/** What the Q-Q plot shows, one paragraph each: the tails (heavy, light, close to normal), then an outlier or extreme. */
export function qqFindings(qq: Pick<QQData, 'tailRatio' | 'extreme' | 'slope' | 'normalReach' | 'rows'>): Pieces[] {
  const out: Pieces[] = [];
  if (qq.tailRatio !== null) {
    const r = qq.tailRatio;
    out.push(
      r > 1.25
        ? [{ strong: 'Heavy tails. ' }, `Between the 1st and 99th percentiles the residuals spread ${f(r, 2)}× as far as normal ones with the same quartiles would: large errors are more common than a normal model of the noise expects, and they carry much of L2 (see above).`]
        : r < 0.8
          ? [{ strong: 'Light tails. ' }, `Between the 1st and 99th percentiles the residuals spread only ${f(r, 2)}× as far as normal ones with the same quartiles would: the errors are bounded more tightly than normal noise.`]
          : [{ strong: 'Close to normal in the body. ' }, `Between the 1st and 99th percentiles the residuals follow the line (spread ${f(r, 2)}× the normal one).`],
    );
  }
  const x = qq.extreme;
  if (x && qq.slope > 0 && x.sigmas > Math.max(4, 1.5 * qq.normalReach)) {
    out.push([
      // Far beyond a normal sample's reach: outliers; somewhat beyond: the end of a heavy tail.
      { strong: x.sigmas > 3 * qq.normalReach ? 'Outliers. ' : 'Extremes. ' },
      `The most extreme residual, d = ${f(x.d)} (line `,
      { line: x.line },
      `), is ${f(x.sigmas, 3)} σ̂ from the median; the largest of ${qq.rows} normal residuals would be about ${f(qq.normalReach, 2)} σ̂ away.`,
    ]);
  }
  return out;
}

// ---- along the file ----------------------------------------------------------------------------

/** The loss drawn along the file, named with its parameter: "smooth L1 (β = 0.5)", "Huber (δ = 1)", "L2". */
export function rowLossName(key: CurveKey, beta: number, delta: number): string {
  const c = CURVES.find((x) => x.key === key) ?? CURVES[0];
  return key === 'smoothL1' ? `smooth L1 (β = ${f(beta)})` : key === 'huber' ? `Huber (δ = ${delta})` : c.label;
}

export function rowLossChartText(prediction: string, loss: string, points: number, rowsPerPoint: number): { label: string; caption: string[] } {
  const per = rowsPerPoint;
  return {
    label: `Per-row ${loss} of ${prediction} along the file, ${points} points${per > 1 ? ` of ${per} rows each` : ''}.`,
    caption: [
      per > 1 ? `Each point covers ${per} consecutive used rows: the line is the largest loss among them, the band goes down to the smallest. ` : 'Each point is one used row, in file order. ',
      'Spikes are rows worth a look; the worst ones are listed below.',
    ],
  };
}

/** The scatter's text summary and caption: how many rows it draws, and the predictions outside its view. */
export function scatterChartText(
  r: { sampled: number; used: number; models: number },
  outside: readonly { prediction: string; count: number }[],
  interactive: boolean,
): { label: string; caption: string } {
  const { sampled: n, used } = r;
  const all = n === used;
  return {
    label: `Predicted against target for ${all ? `all ${n}` : `a sample of ${n} of the ${used}`} rows, ${r.models} model${r.models > 1 ? 's' : ''}, with the line y = x.`,
    caption: `${all ? `All ${n} used rows` : `A deterministic sample of ${n} of the ${used} used rows`}. Points on the dashed line y = x are perfect predictions; above it the model over-predicts.${interactive ? ' Click a point to open its line.' : ''}${scatterOutside(outside)}`,
  };
}

/** Predictions left outside the scatter's view: " Wild predictions outside the view: 3 of pred_a." or "". */
export function scatterOutside(outside: readonly { prediction: string; count: number }[]): string {
  const parts = outside.filter((o) => o.count).map((o) => `${o.count} of ${o.prediction}`);
  return parts.length ? ` Wild predictions outside the view: ${parts.join(', ')}.` : '';
}
