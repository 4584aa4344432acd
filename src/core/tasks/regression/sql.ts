/**
 * The regression report's metrics as one SQL statement, for files or tables too big for one
 * machine: one row per model (`model`, `n` = rows used, then one column per metric key of the
 * JSON contract), the rows the CLI skips filtered the same way — a value that is not a finite
 * number in the target, any prediction or the weight, a negative weight, a residual that
 * overflows. DuckDB gives the CLI's numbers (compensated fsum/favg, exact medians; checked by
 * test/unit/sql.test.ts); Spark SQL, BigQuery and Postgres sum plain doubles (about 1e-13
 * relative on large tables) and have their own limits, listed in `DIALECT_NOTES`.
 */
import { LossInspectorError } from '../../errors';
import type { FileFormat } from '../../fileInfo';
import type { LossParams } from './losses';
import { CountSqlContext, countCentres, countFields, weightedMedianAE } from './sqlCounts';
import { spreadRowColumns, varianceFields } from './sqlVariance';
import type { SpreadColumn } from './variance';

export type SqlDialect = 'duckdb' | 'spark' | 'bigquery' | 'postgres';
export const SQL_DIALECTS: readonly SqlDialect[] = ['duckdb', 'spark', 'bigquery', 'postgres'];

export const DIALECT_NOTES: Record<SqlDialect, string> = {
  duckdb: 'reads the file itself (read_csv / read_json, every column as text, or read_parquet, then TRY_CAST); fsum/favg are compensated; medians exact.',
  spark: 'give a table (--sql-table); try_cast needs Spark 3.2+; sums are plain doubles; medianAE uses percentile (exact).',
  bigquery: 'give a table (--sql-table, `project.dataset.table`); SAFE_CAST; sums are plain doubles; medianAE uses PERCENTILE_CONT over the model rows.',
  postgres: 'give a table (--sql-table); text values are parsed with a regular expression for plain decimals; sums are plain doubles; medianAE uses percentile_cont.',
};

export interface SqlSource {
  /** A file path (DuckDB reads it) or a table name. */
  file?: { path: string; format: FileFormat };
  table?: string;
}

export interface SqlRequest {
  target: string;
  predictions: string[];
  weight?: string;
  params: LossParams;
  /** Each model's predicted spread column (null for a model without one), as the report's. */
  spread?: readonly (SpreadColumn | null)[];
}

const LN2 = 'ln(2)';
const EPS = '2.220446049250313e-16';

export function ident(d: SqlDialect, name: string): string {
  return d === 'spark' || d === 'bigquery' ? '`' + name.replace(/`/g, '\\`') + '`' : '"' + name.replace(/"/g, '""') + '"';
}

export function literal(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/** A column's value as a double, or NULL when it is not a number. */
export function toDouble(d: SqlDialect, col: string): string {
  switch (d) {
    case 'duckdb':
      return `TRY_CAST(${col} AS DOUBLE)`;
    case 'spark':
      return `try_cast(${col} AS DOUBLE)`;
    case 'bigquery':
      return `SAFE_CAST(${col} AS FLOAT64)`;
    case 'postgres':
      return `(CASE WHEN CAST(${col} AS text) ~ '^\\s*[-+]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?\\s*$' THEN CAST(CAST(${col} AS text) AS double precision) END)`;
  }
}

export function finite(d: SqlDialect, x: string): string {
  switch (d) {
    case 'duckdb':
      return `isfinite(${x})`;
    case 'spark':
      return `(NOT isnan(${x}) AND abs(${x}) < double('infinity'))`;
    case 'bigquery':
      return `(NOT IS_NAN(${x}) AND NOT IS_INF(${x}))`;
    case 'postgres':
      return `(${x} NOT IN ('NaN'::double precision, 'Infinity'::double precision, '-Infinity'::double precision))`;
  }
}

/** What the statement reads: a table, or (DuckDB) the file itself. */
export function sqlSource(d: SqlDialect, src: SqlSource): string {
  if (src.table !== undefined) return d === 'bigquery' ? '`' + src.table.replace(/`/g, '') + '`' : src.table;
  if (!src.file || d !== 'duckdb') throw new Error(`The ${d} dialect reads a table: give its name.`);
  const { path, format } = src.file;
  // A Parquet column is typed: TRY_CAST turns its numbers, decimals and booleans into doubles (NULL, NaN and ±∞ are filtered).
  if (format === 'parquet') return `read_parquet(${literal(path)})`;
  if (format === 'arrow') throw new LossInspectorError('unsupported', `DuckDB reads Arrow IPC files only through its arrow extension, so the statement cannot read '${path}': load it into a table and give the table's name (--sql-table).`, { file: path });
  if (format === 'csv' || format === 'tsv') return `read_csv(${literal(path)}, all_varchar = true, header = true${format === 'tsv' ? ", delim = '\\t'" : ''})`;
  return `read_json(${literal(path)}${format === 'jsonl' ? ", format = 'newline_delimited'" : ''})`;
}

/** A number as an SQL literal of a double (an integer with `.0`, so no dialect reads it as an integer). */
export function sqlNumber(x: number): string {
  return Number.isInteger(x) ? `${x}.0` : String(x);
}

/** A NULL of the dialect's double type. */
export function nullDouble(d: SqlDialect): string {
  return `CAST(NULL AS ${d === 'bigquery' ? 'FLOAT64' : d === 'postgres' ? 'double precision' : 'DOUBLE'})`;
}

/** The SQL statement (ending with a newline). */
export function regressionSql(d: SqlDialect, src: SqlSource, req: SqlRequest): string {
  const { beta, delta } = req.params;
  const q = req.params.quantile ?? 0.5;
  const num = sqlNumber;
  const sum = d === 'duckdb' ? 'fsum' : 'SUM';
  const base = [req.target, ...req.predictions, ...(req.weight !== undefined ? [req.weight] : [])];
  // The distinct spread columns after those (a spread value that is not a number skips the row, as a prediction's does).
  const spread = req.spread?.some((x) => x !== null) ? req.spread : undefined;
  const spreadCols = [...new Set((spread ?? []).flatMap((x) => (x ? [x.column] : [])))];
  const cols = [...base, ...spreadCols];
  const alias = (i: number) => (i === 0 ? 't' : i >= base.length ? `sd${i - base.length}` : req.weight !== undefined && i === base.length - 1 ? 'w' : `p${i - 1}`);
  const spreadAlias = (m: number) => {
    const x = spread?.[m];
    return x ? `sd${spreadCols.indexOf(x.column)}` : undefined;
  };
  const casts = cols.map((c, i) => `${toDouble(d, ident(d, c))} AS ${alias(i)}`).join(', ');
  const spreadRows = (spread ?? []).flatMap((x, m) => (x ? spreadRowColumns(m, spreadAlias(m) as string, x.kind) : []));
  const keep = [
    ...cols.map((_, i) => `${alias(i)} IS NOT NULL AND ${finite(d, alias(i))}`),
    ...req.predictions.map((_, m) => finite(d, `p${m} - t`)),
    ...(req.weight !== undefined ? ['w >= 0'] : []),
  ].join('\n    AND ');
  const w = req.weight !== undefined ? 'w' : '1.0';
  const ctx: CountSqlContext = { d, sum, w, weighted: req.weight !== undefined, params: req.params, num, ident: (x) => ident(d, x) };
  const models = req.predictions.map((name, m) => {
    const dd = `(p${m} - t)`;
    const a = `abs${dd}`;
    const mean = (x: string) => `${sum}(${w} * (${x})) / ${sum}(${w})`;
    const smooth = beta === 0 ? a : `CASE WHEN ${a} < ${num(beta)} THEN 0.5 * ${dd} * ${dd} / ${num(beta)} ELSE ${a} - ${num(0.5 * beta)} END`;
    const huber = `CASE WHEN ${a} <= ${num(delta)} THEN 0.5 * ${dd} * ${dd} ELSE ${num(delta)} * (${a} - ${num(0.5 * delta)}) END`;
    const median =
      req.weight !== undefined
        ? weightedMedianAE(ctx, m)
        : d === 'spark'
          ? `percentile(${a}, 0.5)`
          : d === 'postgres'
            ? `percentile_cont(0.5) WITHIN GROUP (ORDER BY ${a})`
            : d === 'bigquery'
              ? `(SELECT DISTINCT PERCENTILE_CONT(abs(p${m} - t), 0.5) OVER () FROM v)`
              : `median(${a})`;
    const fields = [
      `${literal(name)} AS model`,
      `count(*) AS n`,
      `${sum}(${w} * ${a}) AS l1`,
      `${sum}(${w} * ${dd} * ${dd}) AS l2`,
      `${mean(a)} AS mae`,
      `${mean(`${dd} * ${dd}`)} AS mse`,
      `sqrt(${mean(`${dd} * ${dd}`)}) AS rmse`,
      `${mean(smooth)} AS ${ident(d, 'smoothL1')}`,
      `${mean(huber)} AS huber`,
      `${mean(`${a} + ln(1 + exp(-2 * ${a})) - ${LN2}`)} AS ${ident(d, 'logCosh')}`,
      `${mean(dd)} AS ${ident(d, 'meanError')}`,
      `max(${a}) AS ${ident(d, 'maxError')}`,
      `${median} AS ${ident(d, 'medianAE')}`,
      `1 - ${sum}(${w} * ${dd} * ${dd}) / NULLIF(${sum}(${w} * (t - tbar) * (t - tbar)), 0) AS r2`,
      `${mean(`${a} / greatest(abs(t), ${EPS})`)} AS mape`,
      `${mean(`CASE WHEN abs(t) + abs(p${m}) > 0 THEN 2 * ${a} / (abs(t) + abs(p${m})) ELSE 0 END`)} AS smape`,
      `${mean(`CASE WHEN ${dd} <= 0 THEN ${num(-q)} * ${dd} ELSE ${num(1 - q)} * ${dd} END`)} AS pinball`,
      ...countFields(ctx, m),
      ...(spread ? varianceFields({ sum, w, nullDouble: nullDouble(d) }, m, spreadAlias(m), (x) => ident(d, x)) : []),
    ];
    return `SELECT\n  ${fields.join(',\n  ')}\nFROM v, m`;
  });
  return (
    `-- Loss Inspector: the regression metrics of ${req.predictions.length} model${req.predictions.length === 1 ? '' : 's'} (${d}); β = ${beta}, δ = ${delta}, q = ${q}, Tweedie power ${req.params.power ?? 1.5}${req.params.logInput ? ', Poisson NLL on log rates' : ''}.\n` +
    `WITH r AS (\n  SELECT ${casts}\n  FROM ${sqlSource(d, src)}\n), v AS (\n  ${spreadRows.length ? `SELECT *, ${spreadRows.join(', ')} FROM (SELECT * FROM r\n  WHERE ${keep}) v0` : `SELECT * FROM r\n  WHERE ${keep}`}\n), m AS (\n  SELECT ${[`${sum}(${w} * t) / ${sum}(${w}) AS tbar`, ...countCentres(ctx, req.predictions.length)].join(',\n    ')}\n  FROM v\n)\n` +
    models.join('\nUNION ALL\n') +
    ';\n'
  );
}
