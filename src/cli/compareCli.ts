/**
 * `loss-inspector compare A B [C…] [--key COL] [options]` (#15 items 3 and 4): two or more files,
 * as many runs, the first the one whose rows decide the join. The options are the one-file
 * report's (regression, binary or multiclass classification, parsed by cli.ts); `--key` is compare's own.
 */
import * as path from 'node:path';
import { compareTextReport } from '../core/compare/text';
import { compareFiles } from '../engine/compare';
import { openFileSource, type ByteSource } from '../engine/source';
import type { CliArgs } from './cli';
import { optionsOf } from './cli';

/**
 * Why compare prints no SQL, and what to do instead (README, "Compare Loss"). A join in SQL would
 * not refuse what compare refuses — a key repeated in a file (each repeat multiplies the rows),
 * targets or labels that differ between the files — so it could print plausible wrong numbers;
 * tables have no row order to join by; and a classifier's statement holds what the engine
 * inferred from each file's data.
 */
export const COMPARE_SQL =
  'compare does not print SQL: a join in SQL would not stop at a repeated key or at targets that differ between the files, and tables have no row order. Write the joined rows to one file (the target and one column per model) and run loss-inspector on it with --sql, or run --sql on each file for its own models on its own rows.';

/** Options a compare does not take (a reason each), checked after the common parse. */
export function compareRefusal(args: CliArgs): string | undefined {
  if (args.files.length < 2) return `compare reads two or more files (got ${args.files.length}${args.files.length ? `: ${args.files.join(', ')}` : ''}).`;
  if (args.sql !== undefined) return COMPARE_SQL;
  return undefined;
}

/** Takes compare's own `--key COL` out of the arguments. */
export function splitKey(argv: string[]): { key?: string; rest: string[]; missing: boolean } {
  const rest: string[] = [];
  let key: string | undefined;
  let missing = false;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--key') {
      const v = argv[++i];
      if (v === undefined || v === '') missing = true;
      else key = v;
    } else rest.push(argv[i]);
  }
  return { key, rest, missing };
}

/** Runs the comparison and writes the report (text, or --json); returns the report for --html and --fail-if. */
export function runCompare(args: CliArgs, key: string | undefined, write: (s: string) => void): ReturnType<typeof compareFiles> {
  const opened: ByteSource[] = [];
  try {
    // Opened in the order given: a file that cannot be opened is named before any is read.
    for (const f of args.files) opened.push(openFileSource(path.resolve(f), f));
    const o = optionsOf(args);
    const report = compareFiles(opened, {
      key,
      columns: { target: o.columns?.target, predictions: o.columns?.predictions, weight: o.columns?.weight, groupBy: o.columns?.groupBy },
      task: o.task,
      classification: o.classification,
      params: o.params,
      topK: o.topK,
      bins: o.bins,
      intervals: o.intervals,
    });
    write(args.json ? JSON.stringify(report) + '\n' : compareTextReport(report));
    return report;
  } finally {
    for (const s of opened) s.close();
  }
}
