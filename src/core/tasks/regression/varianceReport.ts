/**
 * The predicted variance's part of the report (#16 item 2): the ranges' partials merged in file
 * order, then per model the Gaussian NLL and CRPS (into models[].metrics), the ±1σ/±2σ coverage
 * and the standardised residual's mean, SD and histogram. Pure.
 */
import { ExactSum } from '../../exactSum';
import { FIRST_SKIPPED_LINES } from './parts';
import type { ModelReport } from './report';
import { NVSUMS, SpreadColumn, SpreadKind, VariancePart, VARIANCE_SUMS, Z_BINS, Z_MAX } from './variance';
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
}

/** The ranges' variance partials, merged in file order (exact sums: any split gives the same bits). */
export class VarianceMerge {
  private readonly merged: (Merged | null)[];

  constructor(private readonly spread: readonly (SpreadColumn | null)[]) {
    this.merged = spread.map((s) =>
      s === null ? null : { sums: Array.from({ length: NVSUMS }, () => new ExactSum()), hist: new Array<number>(Z_BINS).fill(0), below: 0, above: 0, bad: 0, badLines: [] },
    );
  }

  /** One range's partials; `shift` turns its lines into file lines. */
  add(parts: readonly (VariancePart | null)[] | undefined, shift: number): void {
    if (!parts) return;
    parts.forEach((p, m) => {
      const into = this.merged[m];
      if (!p || !into) return;
      p.sums.forEach((x, k) => into.sums[k].merge(x));
      p.hist.forEach((c, k) => (into.hist[k] += c));
      into.below += p.below;
      into.above += p.above;
      into.bad += p.bad;
      for (const l of p.badLines) if (into.badLines.length < FIRST_SKIPPED_LINES) into.badLines.push(l + shift);
    });
  }

  /** Adds each model's variance results to its report (W: Σw), and the sentences of the nulls to `warnings`. */
  finish(models: ModelReport[], W: number, warnings: string[], word: 'line' | 'row'): void {
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
      model.sigmaCoverage = { within1: at('within1'), within2: at('within2') };
      const sdOk = Number.isFinite(meanSquare) && Number.isFinite(mean);
      model.spread = {
        column: s.column,
        kind: s.kind,
        standardized: sdOk ? { mean, sd: Math.sqrt(Math.max(0, meanSquare - mean * mean)), histogram: { min: -Z_MAX, max: Z_MAX, counts: g.hist, below: g.below, above: g.above } } : null,
      };
      const lost = [!Number.isFinite(nll) && 'the Gaussian NLL', !Number.isFinite(crps) && 'the CRPS', !sdOk && 'the standardised residual’s mean and SD'].filter((x): x is string => typeof x === 'string');
      if (lost.length > 0) warnings.push(spreadNotFiniteWarning(model.prediction, lost));
    });
  }
}

const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);
