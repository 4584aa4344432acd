/**
 * What `compare` adds to a report (the JSON contract, README "Compare Loss"): how the files' rows
 * were joined, what was left out, and the rows whose loss changed most. The report itself is a
 * regression or a binary classifier's report whose models are `PREFIX:COLUMN` of every file.
 */
import type { ClassificationReport } from '../tasks/classification/report';
import type { MulticlassReport } from '../tasks/multiclass/report';
import type { Report } from '../tasks/regression/report';

/** Rows of one file that have no partner in another, or cannot be used. */
export interface LeftOut {
  count: number;
  /** Up to FIRST_LINES of their lines (in the file named where the kind is described). */
  lines: number[];
}

/** One file's rows: how many were read, and which were left out of the join. */
export interface FileRows {
  /** Data records read. */
  read: number;
  /** Key join, files after the first: rows of the first file with no partner in this one (lines of the first file). */
  missing: LeftOut;
  /** Key join, files after the first: rows whose key is not in the first file (lines of this file). */
  onlyHere: LeftOut;
  /** Key join: rows with an empty key (lines of this file). */
  noKey: LeftOut;
  /** Rows the readers skip (a value that is not a finite number, …), lines of this file. */
  unusable: LeftOut;
}

export interface CompareRows {
  /** Rows with a usable partner in every file, joined and used. */
  joined: number;
  /** Per file, in the order given. */
  files: FileRows[];
}

/** One row whose loss changed: its line in each model's file, and the two models' predictions. */
export interface ChangedRow {
  /** The row's line in file `fileA` (the baseline model's file), and in file `fileB`. */
  lineA: number;
  lineB: number;
  /** The key's value (key join), or null (row order). */
  key: string | null;
  target: number;
  a: number;
  b: number;
  /** |b − target| − |a − target|: positive when b's error is larger. */
  change: number;
}

/**
 * A binary classifier's row whose log loss changed (changedClass.ts): the label, the two models'
 * scores as the files hold them (probabilities or logits, as the report's `models[].scores`), and
 * the row's log loss under each, as the report computes it.
 */
export interface ChangedClassRow {
  lineA: number;
  lineB: number;
  key: string | null;
  /** The row's label (the first file's text). */
  label: string;
  a: number;
  b: number;
  lossA: number;
  lossB: number;
  /** lossB − lossA: positive when b's log loss is larger. */
  change: number;
}

/** The rows whose loss changed most from the baseline model to another model (regression: absolute error; binary: log loss). */
export interface ChangedModels<R = ChangedRow> {
  /** The models' names in the report (`PREFIX:COLUMN`): the baseline, and the model compared with it. */
  a: string;
  b: string;
  /** The files (indices into `files`) the models, and so the lines, are in: each line opens in its own file. */
  fileA: number;
  fileB: number;
  rows: R[];
}

export interface CompareInfo<R = ChangedRow> {
  /** The files as named, the first the one whose rows decide the join (and whose lines the report shows). */
  files: string[];
  /** Each file's prefix of its models' names (`PREFIX:COLUMN`): distinct, see names.ts. */
  prefixes: string[];
  /** The key column, or null: rows joined by their order. */
  key: string | null;
  /** Each file's target and prediction columns. */
  columns: { target: string; predictions: string[] }[];
  rows: CompareRows;
  changed: ChangedModels<R>[];
}

/** A regression report of the joined rows (line numbers: the first file's), with how it was joined. */
export type CompareReport = Report & { compare: CompareInfo };

/** A binary classifier's report of the joined rows (`task: 'binary'`), its changed rows by log loss. */
export type ClassCompareReport = ClassificationReport & { compare: CompareInfo<ChangedClassRow> };

/**
 * A multiclass report of the joined rows (`task: 'multiclass'`), its changed rows by log loss; a
 * row's `a` and `b` are the probabilities the models give to its label.
 */
export type MultiCompareReport = MulticlassReport & { compare: CompareInfo<ChangedClassRow> };

/** What `compare` gives: a regression, binary or multiclass report of the joined rows, told apart by `task`. */
export type AnyCompareReport = CompareReport | ClassCompareReport | MultiCompareReport;
