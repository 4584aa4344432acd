/**
 * The command-line tool: `loss-inspector FILE [options]`. Exit codes: 0 success, 1 bad input
 * (one sentence on stderr), 2 bad usage, 3 a --fail-if condition holds. Whatever reaches the terminal from a file or from the
 * command line (names, paths, messages quoting them) goes through forTerminal; --json is JSON.
 */
import * as path from 'node:path';
import * as fs from 'node:fs';
import { LossInspectorError, toUserError } from '../core/errors';
import { readAssets, standaloneHtml } from '../engine/htmlReport';
import { forTerminal, textReport } from '../core/format';
import { DEFAULT_PARAMS } from '../core/tasks/regression/losses';
import { DEFAULT_POWER } from '../core/tasks/regression/counts';
import { parseQuantilesArg, type QuantileColumn } from '../core/tasks/regression/quantileColumns';
import { AnalyzeOptions, analyzeFile, SAMPLE_ROWS, TaskChoice } from '../engine/analyze';
import { classTextReport } from '../core/tasks/classification/text';
import { multiTextReport } from '../core/tasks/multiclass/text';
import type { ScoreKind } from '../core/tasks/classification/report';
import type { FamilyReport } from '../core/families';
import { openFileSource } from '../engine/source';
import { failures, FailIf, parseFailIf } from './failIf';
import { SQL_DIALECTS, SqlDialect } from '../core/tasks/regression/sql';
import { printSql } from './printSql';
import { DEFAULT_CONFIDENCE } from '../core/intervals/report';
// Training logs (#17).
import { firstIsLog, runLog } from './logCli';
// Two or more files, one run each (#15 items 3 and 4).
import { compareRefusal, runCompare, splitKey } from './compareCli';
import { FILE_KINDS, FileKind } from '../core/trainingLog/plan';
import { DEFAULT_SMOOTHING } from '../core/trainingLog/smoothing';
import { DEFAULT_SPIKE_K } from '../core/trainingLog/reader';

/** Largest --top: the worst rows are kept per model in memory and printed (VS Code's setting allows 0..1000). */
export const TOP_MAX = 10000;
/** Largest --bins. */
export const BINS_MAX = 10000;
/** Largest --threads. */
export const THREADS_MAX = 64;

const USAGE = `Usage: loss-inspector FILE [options]
       loss-inspector LOG [LOG…] [--smoothing W] [--spike-k K] [--json]
       loss-inspector compare A B [C…] [--key COL] [options]

Computes every loss of the predictions in FILE (CSV, TSV, space-separated text, JSON, JSON
Lines, each also .gz or .zst; Parquet; Arrow IPC / Feather): of a regression (a numeric
target) or of a binary classifier (a label with two values and a score per model). A training
log (Lightning's metrics.csv, Keras' CSVLogger, Hugging Face's trainer_state.json, YOLO's
results.csv, TensorBoard and W&B CSV exports, step,loss files) gets each series' minimum, last
value, best validation step, first NaN and spikes; several logs are several runs. \`compare A B [C…]\`
joins two or more regression or classifier predictions files' rows (by --key, or by row
order: the targets or labels must then agree row by row) and reports the models of every file as
FILE:COLUMN, each compared with the first file's first (--baseline), with the rows whose error
(a classifier's log loss) changed most; --group-by and --weight are columns of the first file.

Options:
  --prediction COL[,COL…]  prediction column(s); repeat or comma-separate for several models
  --target COL             target column
  --weight COL             sample-weight column: every mean becomes a weighted mean
  --quantiles COL=Q[,…]    columns predicting the Q-quantiles of the target, one model's set
                           (pinball loss per level, calibration, central intervals); repeat
                           for several sets (default: detected from names like q10, p90,
                           quantile_0.1, pred_q10, y_pred_0.9)
  --group-by COL           every loss per value of a categorical column (≤ 1000 values)
  --variance COL[,COL…]    predicted variance column: one for every model, or one per model
                           (default: detected, e.g. pred_var next to pred, or var, sigma, std)
  --std COL[,COL…]         the same as standard deviations
  --beta B                 smooth L1 β, B ≥ 0 (default 1; 0 means L1)
  --delta D                Huber δ, D > 0 (default 1)
  --quantile Q             pinball-loss quantile, 0 < Q < 1 (default 0.5)
  --power P                Tweedie deviance power, P ≤ 0 or P ≥ 1 (default ${DEFAULT_POWER}; 1: Poisson,
                           2: Gamma)
  --log-input              Poisson NLL: the predictions are log rates (PyTorch log_input=True)
  --top K                  worst rows listed per model, 0 to ${TOP_MAX} (default 10)
  --bins N                 residual histogram bins, 1 to ${BINS_MAX} (default 50)
  --threads N              scan threads, 1 to ${THREADS_MAX} (default: automatic)
  --task T                 auto, regression, binary or multiclass (default auto: binary when
                           the target's first ${SAMPLE_ROWS} values are 0/1, −1/+1 or two names;
                           multiclass when there are more and a score column per class)
  --scores S               binary: auto, probabilities or logits (default auto: probabilities
                           when every score is in [0, 1])
  --positive VALUE         binary: the positive class (default 1, true or yes, else the greater)
  --threshold T            binary: positive when p ≥ T, 0 < T < 1 (default 0.5)
  --gamma G                focal loss γ ≥ 0 (default 2)
  --alpha A                focal loss α ≤ 1, negative: no α weighting (default 0.25)
  --label-smoothing E      multiclass cross-entropy label smoothing, 0 ≤ E ≤ 1 (default 0)
  --confidence C           confidence level of the intervals and comparisons, 0 < C < 1
                           (default 0.95); 0 turns them off
  --baseline COL           with several models: compare every other model with this one
                           (default: the first)
  --time-ordered           the rows are in time order: comparisons use Diebold–Mariano
                           (Newey–West variance) instead of paired t
  --kind K                 auto, predictions or log (default auto: a log has a step, epoch or
                           time column and loss or metric columns, and no target–prediction pair)
  --smoothing W            training logs: TensorBoard's smoothing weight, 0 ≤ W ≤ 0.999
                           (default ${DEFAULT_SMOOTHING})
  --spike-k K              training logs: a spike is a loss above K × the median of the 20
                           values before it, K > 1 (default ${DEFAULT_SPIKE_K})
  --key COL                compare: the column that names each row in every file
  --json                   print the report as one JSON object
  --sql DIALECT            print the regression metrics as one SQL statement instead
                           (duckdb, spark, bigquery or postgres), for tables too big for one
                           machine; DuckDB reads FILE itself, the others need --sql-table
  --sql-table NAME         the table the SQL statement reads (instead of FILE)
  --fail-if COND           exit with code 3 after the report when COND holds for a model:
                           METRIC<V, <=, >, >= (mae>1.5, rocAuc<0.8, pred_gbm:rmse>=2);
                           repeat for several; a null metric fails
  --html FILE              also write the report as one self-contained HTML file
  -h, --help               show this help
  --version                show the version
`;

class UsageError extends Error {}

/** Options of predictions files only: given for a training log, they are refused (not ignored). */
const PREDICTION_ONLY = ['--prediction', '--predictions', '-p', '--target', '-t', '--weight', '--quantiles', '--group-by', '--variance', '--std', '--html', '--fail-if', '--task', '--scores', '--positive', '--threshold'];

export interface CliArgs {
  file: string;
  predictions: string[];
  target?: string;
  weight?: string;
  groupBy?: string;
  /** Predicted variance (or standard-deviation) columns (#16 item 2): one for every model, or one per model. */
  variance?: string[];
  std?: string[];
  /** Each --quantiles: one quantile set (#16 item 3). */
  quantiles: QuantileColumn[][];
  beta: number;
  delta: number;
  quantile: number;
  power: number;
  logInput: boolean;
  top: number;
  bins: number;
  threads?: number;
  json: boolean;
  html?: string;
  task: TaskChoice;
  scores: 'auto' | ScoreKind;
  positive?: string;
  threshold: number;
  gamma: number;
  alpha: number;
  labelSmoothing: number;
  sql?: SqlDialect;
  sqlTable?: string;
  failIf: FailIf[];
  confidence: number;
  baseline?: string;
  timeOrdered: boolean;
  /** Training logs (#17): every file given (several logs are several runs), the kind, smoothing and spike factor. */
  files: string[];
  kind: FileKind;
  smoothing: number;
  spikeK: number;
  /** Predictions-only options given (refused for a log). */
  predictionOnly: string[];
}

/**
 * A numeric flag's value, checked against its range: `range` completes "NAME must be …" (for
 * instance "an integer from 0 to 10000"), and every value out of it is a usage error saying so.
 */
function parseNumberArg(name: string, v: string | undefined, range: string, ok: (x: number) => boolean, integer = false): number {
  if (v === undefined || v.trim() === '') throw new UsageError(`${name} needs a value (${range}).`);
  const x = Number(v);
  if (!Number.isFinite(x) || (integer && !Number.isInteger(x)) || !ok(x)) {
    throw new UsageError(`${name} must be ${range} (got ${Number.isNaN(x) ? `"${v}"` : v.trim()}).`);
  }
  return x;
}

export function parseArgs(argv: string[]): CliArgs | 'help' | 'version' {
  const a: Partial<CliArgs> & { predictions: string[] } = { predictions: [], json: false, task: 'auto', scores: 'auto' };
  const files: string[] = [];
  const predictionOnly = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    let arg = argv[i];
    let value: string | undefined;
    const eq = arg.indexOf('=');
    if (arg.startsWith('--') && eq > 0) {
      value = arg.slice(eq + 1);
      arg = arg.slice(0, eq);
    }
    const next = () => (value !== undefined ? value : argv[++i]);
    if (PREDICTION_ONLY.includes(arg)) predictionOnly.add(arg);
    switch (arg) {
      case '--kind': {
        const v = next();
        if (!FILE_KINDS.includes(v as FileKind)) throw new UsageError(`--kind must be auto, predictions or log (got ${v === undefined ? 'nothing' : `"${v}"`}).`);
        a.kind = v as FileKind;
        break;
      }
      case '--smoothing':
        a.smoothing = parseNumberArg('--smoothing', next(), 'a number from 0 to 0.999', (x) => x >= 0 && x <= 0.999);
        break;
      case '--spike-k':
        a.spikeK = parseNumberArg('--spike-k', next(), 'a number > 1', (x) => x > 1);
        break;
      case '-h':
      case '--help':
        return 'help';
      case '--version':
        return 'version';
      case '--json':
        a.json = true;
        break;
      case '--html': {
        const v = next();
        if (v === undefined || v === '') throw new UsageError('--html needs the path of the HTML file to write.');
        a.html = v;
        break;
      }
      case '--prediction':
      case '--predictions':
      case '-p': {
        const v = next();
        if (v === undefined || v === '') throw new UsageError('--prediction needs a column name.');
        a.predictions.push(...v.split(',').map((s) => s.trim()).filter((s) => s !== ''));
        break;
      }
      case '--target':
      case '-t': {
        const v = next();
        if (v === undefined || v === '') throw new UsageError('--target needs a column name.');
        a.target = v;
        break;
      }
      case '--weight': {
        const v = next();
        if (v === undefined || v === '') throw new UsageError('--weight needs a column name.');
        a.weight = v;
        break;
      }
      case '--quantiles': {
        const v = parseQuantilesArg(next() ?? '');
        if (typeof v === 'string') throw new UsageError(v);
        (a.quantiles ??= []).push(v);
        break;
      }
      case '--group-by': {
        const v = next();
        if (v === undefined || v === '') throw new UsageError('--group-by needs a column name.');
        a.groupBy = v;
        break;
      }
      case '--variance':
      case '--std': {
        const v = next();
        const cols = (v ?? '').split(',').map((c) => c.trim()).filter((c) => c !== '');
        if (cols.length === 0) throw new UsageError(`${arg} needs a column name.`);
        (a[arg === '--std' ? 'std' : 'variance'] ??= []).push(...cols);
        break;
      }
      case '--beta':
        a.beta = parseNumberArg('--beta', next(), 'a number ≥ 0', (x) => x >= 0);
        break;
      case '--delta':
        a.delta = parseNumberArg('--delta', next(), 'a number > 0', (x) => x > 0);
        break;
      case '--quantile':
        a.quantile = parseNumberArg('--quantile', next(), 'a number strictly between 0 and 1', (x) => x > 0 && x < 1);
        break;
      case '--power':
        a.power = parseNumberArg('--power', next(), 'a number ≤ 0 or ≥ 1 (the Tweedie deviance is not defined between 0 and 1)', (x) => x <= 0 || x >= 1);
        break;
      case '--log-input':
        a.logInput = true;
        break;
      case '--top':
        a.top = parseNumberArg('--top', next(), `an integer from 0 to ${TOP_MAX}`, (x) => x >= 0 && x <= TOP_MAX, true);
        break;
      case '--bins':
        a.bins = parseNumberArg('--bins', next(), `an integer from 1 to ${BINS_MAX}`, (x) => x >= 1 && x <= BINS_MAX, true);
        break;
      case '--threads':
        a.threads = parseNumberArg('--threads', next(), `an integer from 1 to ${THREADS_MAX}`, (x) => x >= 1 && x <= THREADS_MAX, true);
        break;
      case '--task': {
        const v = next();
        if (v !== 'auto' && v !== 'regression' && v !== 'binary' && v !== 'multiclass') throw new UsageError(`--task must be auto, regression, binary or multiclass (got ${v === undefined ? 'nothing' : `"${v}"`}).`);
        a.task = v;
        break;
      }
      case '--scores': {
        const v = next();
        if (v !== 'auto' && v !== 'probabilities' && v !== 'logits') throw new UsageError(`--scores must be auto, probabilities or logits (got ${v === undefined ? 'nothing' : `"${v}"`}).`);
        a.scores = v;
        break;
      }
      case '--positive': {
        const v = next();
        if (v === undefined || v === '') throw new UsageError('--positive needs the value of the positive class.');
        a.positive = v;
        break;
      }
      case '--threshold':
        a.threshold = parseNumberArg('--threshold', next(), 'a number strictly between 0 and 1', (x) => x > 0 && x < 1);
        break;
      case '--sql': {
        const v = next();
        if (!SQL_DIALECTS.includes(v as SqlDialect)) throw new UsageError(`--sql must be ${SQL_DIALECTS.join(', ')} (got ${v === undefined ? 'nothing' : `"${v}"`}).`);
        a.sql = v as SqlDialect;
        break;
      }
      case '--fail-if': {
        const c = parseFailIf(next() ?? '');
        if (typeof c === 'string') throw new UsageError(c);
        (a.failIf ??= []).push(c);
        break;
      }
      case '--sql-table': {
        const v = next();
        if (v === undefined || v.trim() === '') throw new UsageError('--sql-table needs a table name.');
        a.sqlTable = v;
        break;
      }
      case '--confidence':
        a.confidence = parseNumberArg('--confidence', next(), '0 (no intervals) or a number strictly between 0 and 1', (x) => x === 0 || (x > 0 && x < 1));
        break;
      case '--baseline': {
        const v = next();
        if (v === undefined || v === '') throw new UsageError('--baseline needs the prediction column of the baseline model.');
        a.baseline = v;
        break;
      }
      case '--time-ordered':
        a.timeOrdered = true;
        break;
      case '--label-smoothing':
        a.labelSmoothing = parseNumberArg('--label-smoothing', next(), 'a number from 0 to 1', (x) => x >= 0 && x <= 1);
        break;
      case '--gamma':
        a.gamma = parseNumberArg('--gamma', next(), 'a number ≥ 0', (x) => x >= 0);
        break;
      case '--alpha':
        a.alpha = parseNumberArg('--alpha', next(), 'a number ≤ 1 (negative: no α weighting)', (x) => x <= 1);
        break;
      default:
        if (arg.startsWith('-') && arg !== '-') throw new UsageError(`Unknown option ${arg}.`);
        files.push(argv[i]);
    }
  }
  if (files.length === 0) throw new UsageError('Give the data file to read.');
  // Several files are several runs of training logs (checked once they are read).
  if (files.length > 1 && a.kind === 'predictions') throw new UsageError(`Give one data file (got ${files.length}: ${files.join(', ')}).`);
  return {
    files,
    kind: a.kind ?? 'auto',
    smoothing: a.smoothing ?? DEFAULT_SMOOTHING,
    spikeK: a.spikeK ?? DEFAULT_SPIKE_K,
    predictionOnly: [...predictionOnly],
    file: files[0],
    predictions: a.predictions,
    target: a.target,
    weight: a.weight,
    groupBy: a.groupBy,
    variance: a.variance,
    std: a.std,
    quantiles: a.quantiles ?? [],
    beta: a.beta ?? DEFAULT_PARAMS.beta,
    delta: a.delta ?? DEFAULT_PARAMS.delta,
    quantile: a.quantile ?? 0.5,
    power: a.power ?? DEFAULT_POWER,
    logInput: a.logInput ?? false,
    top: a.top ?? 10,
    bins: a.bins ?? 50,
    threads: a.threads,
    json: a.json ?? false,
    html: a.html,
    task: a.task ?? 'auto',
    scores: a.scores ?? 'auto',
    positive: a.positive,
    threshold: a.threshold ?? 0.5,
    gamma: a.gamma ?? 2,
    alpha: a.alpha ?? 0.25,
    labelSmoothing: a.labelSmoothing ?? 0,
    sql: a.sql,
    sqlTable: a.sqlTable,
    failIf: a.failIf ?? [],
    confidence: a.confidence ?? DEFAULT_CONFIDENCE,
    baseline: a.baseline,
    timeOrdered: a.timeOrdered ?? false,
  };
}

/** The analysis the arguments ask for. */
export function optionsOf(args: CliArgs): AnalyzeOptions {
  return {
    task: args.task,
    classification: { scores: args.scores, positive: args.positive, binary: { threshold: args.threshold, gamma: args.gamma, alpha: args.alpha }, labelSmoothing: args.labelSmoothing },
    columns: { target: args.target, predictions: args.predictions, weight: args.weight, groupBy: args.groupBy, variance: args.variance, std: args.std, ...(args.quantiles.length ? { quantiles: args.quantiles } : {}) },
    params: { beta: args.beta, delta: args.delta, quantile: args.quantile, power: args.power, logInput: args.logInput },
    topK: args.top,
    bins: args.bins,
    threads: args.threads,
    intervals: { confidence: args.confidence, baseline: args.baseline, timeOrdered: args.timeOrdered },
  };
}

/**
 * Whether writing `out` would overwrite `input`: the same path once resolved, or (when both exist)
 * the same device and inode, which also catches symbolic links, hard links and `..` detours.
 */
export function isSameFile(input: string, out: string): boolean {
  if (path.resolve(input) === path.resolve(out)) return true;
  let a: fs.BigIntStats;
  let b: fs.BigIntStats;
  try {
    a = fs.statSync(input, { bigint: true });
    b = fs.statSync(out, { bigint: true });
  } catch {
    return false; // one of them does not exist (or cannot be looked at): not the same file
  }
  return a.ino !== 0n && a.dev === b.dev && a.ino === b.ino;
}

/** Usage errors that need the file system: the HTML report must not overwrite its input. */
function checkPaths(args: CliArgs): void {
  if (args.html !== undefined && isSameFile(args.file, args.html)) {
    throw new UsageError(`--html '${args.html}' is the input file '${args.file}', which it would overwrite; choose another path for the HTML report.`);
  }
}

export async function main(argv: string[]): Promise<number> {
  if (argv[0] === 'compare') return compareMain(argv.slice(1));
  let args: ReturnType<typeof parseArgs>;
  try {
    args = parseArgs(argv);
    if (typeof args === 'object') checkPaths(args);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`loss-inspector: ${forTerminal(e.message)}\n\n${USAGE}`);
      return 2;
    }
    throw e;
  }
  if (args === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  if (args === 'version') {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  const display = args.file;
  if (args.sql) return printSql({ file: args.file, dialect: args.sql, table: args.sqlTable }, optionsOf(args), (t) => process.stdout.write(t), (t) => process.stderr.write(t));
  try {
    // Training logs (#17): several files are runs; one file is a log when the auto rule says so.
    if (args.files.length > 1) {
      if (!firstIsLog(args)) {
        process.stderr.write(`loss-inspector: ${forTerminal(`Give one data file (got ${args.files.length}: ${args.files.join(', ')}); several files are read only as the runs of training logs, and '${args.files[0]}' is not one.`)}\n\n${USAGE}`);
        return 2;
      }
      runLog(args, undefined, (s) => process.stdout.write(s));
      return 0;
    }
    const src = openFileSource(path.resolve(args.file), display);
    try {
      if (runLog(args, src, (s) => process.stdout.write(s))) return 0;
      // Only the workers scan: see batchTuning().
      const report = await analyzeFile(src, { ...optionsOf(args), callerScans: false });
      if (args.html) writeHtml(args.html, report);
      const text = !('task' in report) ? textReport(report) : report.task === 'binary' ? classTextReport(report) : multiTextReport(report);
      process.stdout.write(args.json ? JSON.stringify(report) + '\n' : text);
      const { failed, unknown } = failures(report, args.failIf);
      for (const f of [...unknown, ...failed]) process.stderr.write(`loss-inspector: ${forTerminal(f)}\n`);
      if (unknown.length > 0) return 2;
      if (failed.length > 0) return 3;
    } finally {
      src.close();
    }
    return 0;
  } catch (e) {
    process.stderr.write(`loss-inspector: ${forTerminal(toUserError(e, display).message)}\n`);
    return 1;
  }
}

/** `compare A B [C…] [--key COL] [options]`: exit codes as for one file (2 bad usage, 1 bad input, 3 --fail-if). */
function compareMain(argv: string[]): number {
  let args: ReturnType<typeof parseArgs>;
  const { key, rest, missing } = splitKey(argv);
  try {
    if (missing) throw new UsageError('--key needs the name of the column that names each row in every file.');
    args = parseArgs(rest);
    if (typeof args !== 'object') {
      process.stdout.write(args === 'help' ? USAGE : `${VERSION}\n`);
      return 0;
    }
    const refused = compareRefusal(args);
    if (refused) throw new UsageError(refused);
    for (const f of args.files) if (args.html !== undefined && isSameFile(f, args.html)) throw new UsageError(`--html '${args.html}' is the input file '${f}', which it would overwrite; choose another path for the HTML report.`);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`loss-inspector: ${forTerminal(e.message)}\n\n${USAGE}`);
      return 2;
    }
    throw e;
  }
  try {
    const report = runCompare(args, key, (s) => process.stdout.write(s));
    if (args.html) writeHtml(args.html, report);
    const { failed, unknown } = failures(report, args.failIf);
    for (const f of [...unknown, ...failed]) process.stderr.write(`loss-inspector: ${forTerminal(f)}\n`);
    if (unknown.length > 0) return 2;
    return failed.length > 0 ? 3 : 0;
  } catch (e) {
    process.stderr.write(`loss-inspector: ${forTerminal(toUserError(e, args.files[1]).message)}\n`);
    return 1;
  }
}

function writeHtml(file: string, report: FamilyReport): void {
  let assets: { script: string; css: string };
  try {
    assets = readAssets(__dirname);
  } catch {
    throw new LossInspectorError('internal', 'The HTML report needs dist/webview.js and media/report.css; run npm run build first.');
  }
  try {
    fs.writeFileSync(file, standaloneHtml(report, assets));
  } catch (e) {
    throw new LossInspectorError('readFailed', `Could not write the HTML report to '${file}': ${(e as Error).message}.`, { file });
  }
}

declare const __VERSION__: string;
const VERSION = typeof __VERSION__ === 'string' ? __VERSION__ : 'dev';
