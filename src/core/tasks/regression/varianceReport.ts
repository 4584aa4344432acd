/**
 * The predicted variance's part of the report (#16 item 2): the ranges' partials merged in file
 * order, then per model the Gaussian NLL and CRPS (into models[].metrics), the ±1σ/±2σ coverage
 * and the standardised residual's mean, SD and histogram. Pure.
 */
import { ExactSum } from '../../exactSum';
import { FIRST_SKIPPED_LINES, LossRow } from './parts';
import type { GroupsReport, ModelReport } from './report';
import { NVSUMS, SpreadColumn, SpreadKind, VarianceRange, VARIANCE_SUMS, Z_BINS, Z_MAX } from './variance';
import { mergeLossRows } from './topRows';
import { spreadShares } from './varianceShares';
import { spreadDomainWarning, spreadNotFiniteWarning } from './varianceWords';

/** What models[].spread holds for a model with a spread column. */
export interface SpreadReport {
  column: string;
  kind: SpreadKind;
  /**
   * The standardised residual z = d / max(σ, 0.001) (σ clamped as the NLL clamps σ²): weighted
   * mean and SD (N(0, 1) when the spread is right), and a histogram of the rows over [min, max]
   * (rows beyond it in `below` and `above`). Null when a row's spread is negative.
   */
  standardized: { mean: number; sd: number; histogram: { min: number; max: number; counts: number[]; below: number; above: number } } | null;
}

interface Merged {
  sums: ExactSum[];
  hist: number[];
  below: number;
  above: number;
  bad: number;
  badLines: number[];
  /** The ranges' worst rows by the NLL and the CRPS, in file lines; null once a range had a negative spread. */
  worst: { gaussianNll: LossRow[][]; crps: LossRow[][] } | null;
}

/** The ranges' variance partials, merged in file order (exact sums: any split gives the same bits). */
export class VarianceMerge {
  private readonly merged: (Merged | null)[];
  /** Per group label, per model, the exact sums (null without a spread column). */
  private readonly groups = new Map<string, (ExactSum[] | null)[]>();
  /** Per distinct spread column (the order the models first name them), its values' chunks in file order; the column of each model. */
  private readonly rows: Float64Array[][];
  private readonly colOf: number[];

  constructor(
    private readonly spread: readonly (SpreadColumn | null)[],
    private readonly topK = 0,
  ) {
    const names = [...new Set(spread.flatMap((s) => (s ? [s.column] : [])))];
    this.rows = names.map(() => []);
    this.colOf = spread.map((s) => (s ? names.indexOf(s.column) : -1));
    this.merged = spread.map((s) =>
      s === null ? null : { sums: Array.from({ length: NVSUMS }, () => new ExactSum()), hist: new Array<number>(Z_BINS).fill(0), below: 0, above: 0, bad: 0, badLines: [], worst: { gaussianNll: [], crps: [] } },
    );
  }

  /** One range's partials; `shift` turns its lines into file lines. */
  add(range: VarianceRange | undefined, shift: number): void {
    if (!range) return;
    range.rows?.forEach((chunks, c) => this.rows[c]?.push(...chunks));
    range.models.forEach((p, m) => {
      const into = this.merged[m];
      if (!p || !into) return;
      p.sums.forEach((x, k) => into.sums[k].merge(x));
      p.hist.forEach((c, k) => (into.hist[k] += c));
      into.below += p.below;
      into.above += p.above;
      into.bad += p.bad;
      for (const l of p.badLines) if (into.badLines.length < FIRST_SKIPPED_LINES) into.badLines.push(l + shift);
      if (!p.worst) into.worst = null;
      else if (into.worst) {
        into.worst.gaussianNll.push(p.worst.gaussianNll.map((r) => ({ ...r, line: r.line + shift })));
        into.worst.crps.push(p.worst.crps.map((r) => ({ ...r, line: r.line + shift })));
      }
    });
    for (const g of range.groups ?? []) {
      let into = this.groups.get(g.label);
      if (!into) this.groups.set(g.label, (into = g.sums.map((x) => (x ? x.map(() => new ExactSum()) : null))));
      g.sums.forEach((x, m) => x?.forEach((y, k) => into[m]?.[k].merge(y)));
    }
  }

  /**
   * Each group's Gaussian NLL and CRPS (weighted means over the group's Σw), in its metrics; null
   * for a model whose spread is negative somewhere in the file, as for the whole file.
   */
  finishGroups(report: GroupsReport | null): void {
    for (const g of report?.groups ?? []) {
      const sums = this.groups.get(g.value);
      g.metrics.forEach((metrics, m) => {
        const whole = this.merged[m];
        if (!whole) return;
        const at = (k: (typeof VARIANCE_SUMS)[number]) => {
          const s = sums?.[m]?.[VARIANCE_SUMS.indexOf(k)];
          return whole.bad > 0 || !s || !(g.weight > 0) ? null : finite(s.value() / g.weight);
        };
        metrics.gaussianNll = at('nll');
        metrics.crps = at('crps');
      });
    }
  }

  /**
   * Adds each model's variance results to its report (W: Σw), and the sentences of the nulls to
   * `warnings`; with the scan's stored residuals (and weights), the worst rows' shares too.
   */
  finish(models: ModelReport[], W: number, warnings: string[], word: 'line' | 'row', stored?: { residuals: readonly (readonly Float64Array[])[]; weights: readonly Float64Array[] | null }): void {
    models.forEach((model, m) => {
      const s = this.spread[m];
      const g = this.merged[m];
      if (!s || !g) return;
      const at = (k: (typeof VARIANCE_SUMS)[number]) => g.sums[VARIANCE_SUMS.indexOf(k)].value() / W;
      if (g.bad > 0) {
        model.metrics.gaussianNll = null;
        model.metrics.crps = null;
        model.sigmaCoverage = null;
        model.spread = { column: s.column, kind: s.kind, standardized: null };
        warnings.push(spreadDomainWarning(model.prediction, s, g.bad, g.badLines, word));
        return;
      }
      const nll = at('nll');
      const crps = at('crps');
      const mean = at('z');
      const meanSquare = at('z2');
      model.metrics.gaussianNll = finite(nll);
      model.metrics.crps = finite(crps);
      if (g.worst && this.topK > 0) {
        const byLoss = { ...model.worstByLoss };
        if (model.metrics.gaussianNll !== null) byLoss.gaussianNll = mergeLossRows(g.worst.gaussianNll, this.topK);
        if (model.metrics.crps !== null) byLoss.crps = mergeLossRows(g.worst.crps, this.topK);
        if (Object.keys(byLoss).length > 0) model.worstByLoss = byLoss;
      }
      model.sigmaCoverage = { within1: at('within1'), within2: at('within2') };
      const sdOk = Number.isFinite(meanSquare) && Number.isFinite(mean);
      model.spread = {
        column: s.column,
        kind: s.kind,
        standardized: sdOk ? { mean, sd: Math.sqrt(Math.max(0, meanSquare - mean * mean)), histogram: { min: -Z_MAX, max: Z_MAX, counts: g.hist, below: g.below, above: g.above } } : null,
      };
      if (stored) model.spreadRobustness = spreadShares(s.kind, stored.residuals[m], this.rows[this.colOf[m]], stored.weights);
      const lost = [!Number.isFinite(nll) && 'the Gaussian NLL', !Number.isFinite(crps) && 'the CRPS', !sdOk && 'the standardised residual’s mean and SD'].filter((x): x is string => typeof x === 'string');
      if (lost.length > 0) warnings.push(spreadNotFiniteWarning(model.prediction, lost));
    });
  }
}

const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);
