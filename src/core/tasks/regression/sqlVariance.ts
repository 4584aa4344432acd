/**
 * A predicted variance's metrics (#16 item 2) in the regression SQL statement (sql.ts): the
 * Gaussian NLL and CRPS of models[].metrics and the ±1σ/±2σ coverage of models[].sigmaCoverage
 * (columns `sigmaCoverage_within1` and `sigmaCoverage_within2`: BigQuery allows no dot in a column
 * name). NULL for a model without a spread column, and for one whose spread is negative on some
 * row (the CLI's null: PyTorch raises).
 *
 * The CRPS needs erf, which DuckDB, Spark SQL and BigQuery lack (Postgres has it from 16 on), so
 * the statement evaluates W. J. Cody's rational approximation itself, the one variance.ts
 * computes, coefficient for coefficient and in the same order of operations: the CLI's and the
 * statement's erf differ only by what their exp rounds differently. Its constants are written
 * with an exponent, which every dialect reads as a double (DuckDB and Spark read a plain decimal
 * as a DECIMAL first).
 */
import { CODY_ERF, GAUSSIAN_NLL_EPS, INV_SQRT_2PI, INV_SQRT_PI, SpreadColumn } from './variance';

export interface VarianceSqlContext {
  sum: string;
  w: string;
  /** The dialect's NULL double. */
  nullDouble: string;
}

/** A double literal that every dialect reads as that double. */
export function dbl(x: number): string {
  return x.toExponential();
}

const { A, B, C, D, P, Q } = CODY_ERF;

/** e^(−x²) as Cody splits x (variance.ts expMinusSquare); x < 27 where it is used. */
function expMinusSquare(x: string): string {
  const t = `(floor(least(${x}, 27.0) * 16.0) / 16.0)`;
  return `(exp(-${t} * ${t}) * exp(-(${x} - ${t}) * (${x} + ${t})))`;
}

/** Horner's loop of variance.ts: start·y, then (· + c[i])·y for each i. */
function horner(start: string, coefficients: readonly number[], y: string): string {
  let e = start;
  for (const c of coefficients) e = `(${e} + ${dbl(c)}) * ${y}`;
  return e;
}

/** erfc(y) for y > 0.46875 (variance.ts erfcTail). */
function erfcTail(y: string): string {
  const near = `((${horner(`${dbl(C[8])} * ${y}`, C.slice(0, 7), y)} + ${dbl(C[7])}) / (${horner(y, D.slice(0, 7), y)} + ${dbl(D[7])})) * ${expMinusSquare(y)}`;
  const s = `(1.0 / (${y} * ${y}))`;
  const r = `((${s} * (${horner(`${dbl(P[5])} * ${s}`, P.slice(0, 4), s)} + ${dbl(P[4])})) / (${horner(s, Q.slice(0, 4), s)} + ${dbl(Q[4])}))`;
  const far = `((${dbl(INV_SQRT_PI)} - ${r}) / ${y}) * ${expMinusSquare(y)}`;
  return `(CASE WHEN ${y} <= 4.0 THEN ${near} WHEN ${y} >= 26.543 THEN 0.0 ELSE ${far} END)`;
}

/** erf(x) for x ≥ 0 (the statement only needs |d|/σ/√2). */
export function erfSql(x: string): string {
  const s = `(CASE WHEN ${x} > 1.11e-16 THEN ${x} * ${x} ELSE 0.0 END)`;
  const small = `(${x} * (${horner(`${dbl(A[4])} * ${s}`, A.slice(0, 3), s)} + ${dbl(A[3])})) / (${horner(s, B.slice(0, 3), s)} + ${dbl(B[3])})`;
  return `(CASE WHEN ${x} <= 0.46875 THEN ${small} ELSE 0.5 - ${erfcTail(x)} + 0.5 END)`;
}

/**
 * The per-row columns a model with a spread column adds to the view (from its alias `s`, the
 * spread value, already filtered to a finite number): σ (NULL where the spread is negative), the
 * clamped variance, z = |d|/σ and z/√2 (NULL where σ is 0).
 */
export function spreadRowColumns(m: number, s: string, kind: SpreadColumn['kind']): string[] {
  const a = `abs(p${m} - t)`;
  const sigma = kind === 'std' ? `CASE WHEN ${s} >= 0 THEN ${s} END` : `CASE WHEN ${s} >= 0 THEN sqrt(${s}) END`;
  const variance = kind === 'std' ? `${s} * ${s}` : s;
  return [
    `${sigma} AS sg${m}`,
    `greatest(${variance}, ${dbl(GAUSSIAN_NLL_EPS)}) AS vc${m}`,
    `CASE WHEN (${sigma}) > 0 THEN ${a} / (${sigma}) END AS z${m}`,
    `CASE WHEN (${sigma}) > 0 THEN ${a} / (${sigma}) * ${dbl(Math.SQRT1_2)} END AS zx${m}`,
  ];
}

/** The four columns of model m; `s` its spread alias, or undefined without a spread column. */
export function varianceFields(c: VarianceSqlContext, m: number, s: string | undefined, ident: (name: string) => string): string[] {
  const names = [ident('gaussianNll'), 'crps', ident('sigmaCoverage_within1'), ident('sigmaCoverage_within2')];
  if (s === undefined) return names.map((n) => `${c.nullDouble} AS ${n}`);
  const { sum, w } = c;
  const mean = (x: string) => `${sum}(${w} * (${x})) / ${sum}(${w})`;
  const d = `(p${m} - t)`;
  const a = `abs${d}`;
  const z = `z${m}`;
  const zc = `least(${z}, 37.0)`;
  // Beyond z = 37 the density term is below 1e-297, far under half an ulp of z·erf(z/√2) ≥ 37: the
  // clamp changes no bit, and spares Postgres the underflow error its exp raises.
  const crps = `CASE WHEN NOT (sg${m} > 0) THEN ${a} WHEN NOT (${z} < 1e150) THEN ${a} ELSE sg${m} * (${z} * ${erfSql(`zx${m}`)} + ${dbl(2 * INV_SQRT_2PI)} * exp(-0.5 * ${zc} * ${zc}) - ${dbl(INV_SQRT_PI)}) END`;
  const ok = `min(${s}) >= 0`;
  return [
    `CASE WHEN ${ok} THEN ${mean(`0.5 * (ln(vc${m}) + (${d} * ${d}) / vc${m})`)} END AS ${names[0]}`,
    `CASE WHEN ${ok} THEN ${mean(crps)} END AS ${names[1]}`,
    `CASE WHEN ${ok} THEN ${mean(`CASE WHEN ${a} <= sg${m} THEN 1.0 ELSE 0.0 END`)} END AS ${names[2]}`,
    `CASE WHEN ${ok} THEN ${mean(`CASE WHEN ${a} <= 2.0 * sg${m} THEN 1.0 ELSE 0.0 END`)} END AS ${names[3]}`,
  ];
}
