/**
 * What `compare` adds to a regression report (the JSON contract, README "Two files, two runs"):
 * how the two files' rows were joined, what was left out, and the rows whose loss changed most.
 * The report itself is a regression report whose models are `FILE:COLUMN` of both files.
 */
import type { Report } from '../tasks/regression/report';

/** Rows of one file that have no partner in the other, or cannot be used. */
export interface LeftOut {
  count: number;
  /** Up to FIRST_LINES of their lines (in the file the rows are in). */
  lines: number[];
}

export interface CompareRows {
  /** Data records read in A and in B. */
  a: number;
  b: number;
  /** Pairs of rows joined and used (both files' values finite). */
  joined: number;
  /** Key join: rows of B whose key is not in A, rows of A whose key is not in B; rows with an empty key. */
  onlyInB: LeftOut;
  onlyInA: LeftOut;
  noKey: { a: LeftOut; b: LeftOut };
  /** Rows the readers skip (a value that is not a finite number, …): in A (lines of A), in B (lines of B). */
  unusableA: LeftOut;
  unusableB: LeftOut;
}

/** One row whose loss changed: its lines in both files, and the absolute errors of the two models. */
export interface ChangedRow {
  lineA: number;
  lineB: number;
  /** The key's value (key join), or null (row order). */
  key: string | null;
  target: number;
  a: number;
  b: number;
  /** |b − target| − |a − target|: positive when B's error is larger. */
  change: number;
}

/** The rows whose absolute error changed most between a model of A and the model of B in the same place. */
export interface ChangedModels {
  /** The models' names in the report (`FILE:COLUMN`). */
  a: string;
  b: string;
  rows: ChangedRow[];
}

export interface CompareInfo {
  /** The two files as named (A, B). */
  files: [string, string];
  /** The key column, or null: rows joined by their order. */
  key: string | null;
  /** Each file's target and prediction columns. */
  columns: [{ target: string; predictions: string[] }, { target: string; predictions: string[] }];
  rows: CompareRows;
  changed: ChangedModels[];
}

/** A regression report of the joined rows (line numbers: A's), with how it was joined. */
export type CompareReport = Report & { compare: CompareInfo };
