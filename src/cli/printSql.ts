/**
 * `--sql DIALECT`: the report's metrics as one SQL statement instead of the report. Regression:
 * from the file's columns alone (detected as for a report, from the head; nothing is scanned).
 * A binary classifier: the statement holds what the engine infers from the data (the classes and
 * the positive one, each model's score kind), so the file is analysed first. Multiclass: not in
 * SQL yet (a sentence).
 */
import * as path from 'node:path';
import { LossInspectorError, toUserError } from '../core/errors';
import { forTerminal } from '../core/format';
import { binarySql } from '../core/tasks/classification/sql';
import { multiclassSql } from '../core/tasks/multiclass/sql';
import { chooseColumns } from '../core/tasks/regression/columns';
import { regressionSql, SqlDialect, SqlSource } from '../core/tasks/regression/sql';
import { chooseSpread } from '../core/tasks/regression/varianceColumns';
import { AnalyzeOptions, analyzeFile, detectTask } from '../engine/analyze';
import { inspectFile } from '../engine/inspect';
import { openFileSource } from '../engine/source';

export interface SqlArgs {
  file: string;
  dialect: SqlDialect;
  table?: string;
}

/** Writes the statement to stdout; the exit code (2: bad usage, 1: the file cannot be read or is not supported). */
export async function printSql(args: SqlArgs, options: AnalyzeOptions, write: (s: string) => void, warn: (s: string) => void): Promise<number> {
  const { dialect, file } = args;
  if (dialect !== 'duckdb' && args.table === undefined) {
    warn(`loss-inspector: ${forTerminal(`--sql ${dialect} reads a table: name it with --sql-table (only DuckDB reads the file itself).`)}\n`);
    return 2;
  }
  try {
    const src = openFileSource(path.resolve(file), file);
    try {
      const info = inspectFile(src);
      const from: SqlSource = args.table !== undefined ? { table: args.table } : { file: { path: path.resolve(file), format: info.format } };
      const { task } = detectTask(src, info, options, options.task ?? 'auto');
      if (task === 'multiclass') {
        const report = await analyzeFile(src, { ...options, callerScans: false });
        if (!('task' in report) || report.task !== 'multiclass') throw new LossInspectorError('unsupported', `'${file}' is not read as a multiclass classifier's file, so there is no multiclass statement for it.`, { file });
        write(multiclassSql(dialect, from, report));
        return 0;
      }
      if (task === 'binary') {
        const report = await analyzeFile(src, { ...options, callerScans: false });
        if (!('task' in report) || report.task !== 'binary') throw new LossInspectorError('unsupported', `'${file}' is not read as a binary classifier's file, so there is no binary statement for it.`, { file });
        write(binarySql(dialect, from, report));
        return 0;
      }
      const choice = chooseColumns(info.columns, options.columns ?? {}, file);
      // The predicted spread columns, chosen as the report chooses them (regression/index.ts).
      const spread = chooseSpread(info.columns, choice.predictions, [choice.target, choice.weight ?? '', choice.groupBy ?? ''], options.columns ?? {}, file);
      write(regressionSql(dialect, from, { target: choice.target, predictions: choice.predictions, weight: choice.weight, params: options.params, spread }));
      return 0;
    } finally {
      src.close();
    }
  } catch (e) {
    warn(`loss-inspector: ${forTerminal(toUserError(e, file).message)}\n`);
    return 1;
  }
}
