/**
 * `compare` (#15 items 3 and 4): N ≥ 2 predictions files, N runs. The files are read once each,
 * one after another, on this thread (the first kept, the last streamed: see
 * core/compare/joinN.ts for what is stored per row), their rows joined by a key column or by row
 * order, and the joined rows fed to the files' family (regression, binary or multiclass
 * classification: the task is detected in each file as analyzeFile does, and every file must have it) as
 * one file whose models are `PREFIX:COLUMN` of every file (core/compare/names.ts) — so every
 * loss, interval and paired comparison is the engine's own, computed on exactly the rows every
 * file has.
 */
import { LossInspectorError } from '../core/errors';
import { JoinerN } from '../core/compare/joinN';
import { KeyIds } from '../core/compare/keys';
import { modelPrefixes } from '../core/compare/names';
import { changedClassRows, changedMultiRows, JoinedLines, sameLabel } from '../core/compare/changedClass';
import type { AnyCompareReport, ClassCompareReport, CompareReport, MultiCompareReport } from '../core/compare/report';
import { classesDiffer, noJoinedRows, noKeyColumn, tasksDiffer } from '../core/compare/words';
import { quoteName } from '../core/errors';
import type { ReadSpec } from '../core/family';
import type { FileInfo } from '../core/fileInfo';
import { GroupKeys } from '../core/groups';
import type { RowSink } from '../core/scanTypes';
import { classification, type ClassificationOptions } from '../core/tasks/classification/index';
import { labelNumber, orderClasses } from '../core/tasks/classification/classes';
import { baselineIndex } from '../core/intervals/plan';
import { multiclass, type MulticlassJob } from '../core/tasks/multiclass/index';
import { chooseColumns } from '../core/tasks/regression/columns';
import { regression, type RegressionOptions } from '../core/tasks/regression/index';
import { detectTask, type TaskChoice } from './analyze';
import { readRecordGroups, type RecordGroups } from './compareGroups';
import { inspectFile } from './inspect';
import { DEFAULT_CHUNK, pump } from './pump';
import { makeScanner } from './scan';
import type { ByteSource } from './source';

export interface CompareOptions extends Omit<RegressionOptions, 'columns'> {
  /** The key column (in every file); absent: rows joined by their order. */
  key?: string;
  /**
   * The target (a classifier's label) and prediction (score) columns, asked of every file (absent:
   * detected in each); the sample-weight and group-by columns, of the first file only (a row's
   * weight and group, as its target, are the first file's). `groupByOptional`: the group-by
   * column comes from a setting, and a first file without it is not grouped (as for one file).
   */
  columns?: { target?: string; predictions?: string[]; weight?: string; groupBy?: string; groupByOptional?: boolean };
  /** The task (default auto: detected from the first file as analyzeFile does; every file must have it). */
  task?: TaskChoice;
  /** A binary classifier's settings (score kind, positive class, threshold, focal γ/α, label smoothing). */
  classification?: Omit<ClassificationOptions, 'columns' | 'topK' | 'intervals' | 'labels'>;
  onProgress?: (done: number, total: number) => void;
}

/** What both families' comparisons share: the files, their inspection, the key, the prefixes. */
interface Setup {
  srcs: readonly ByteSource[];
  infos: FileInfo[];
  files: string[];
  prefixes: string[];
  key: string | null;
  opts: CompareOptions;
}

/** What only the first file is asked for: the weight and the group-by column (its rows' own, as the target). */
function firstOnly(opts: CompareOptions): { weight?: string; groupBy?: string; groupByOptional?: boolean } {
  const c = opts.columns ?? {};
  return { ...(c.weight ? { weight: c.weight } : {}), ...(c.groupBy ? { groupBy: c.groupBy, ...(c.groupByOptional ? { groupByOptional: true } : {}) } : {}) };
}

/** The files' rows joined and reported; `srcs[0]` decides the rows and is the baseline's file by default. */
export function compareFiles(srcs: readonly ByteSource[], opts: CompareOptions): AnyCompareReport {
  if (srcs.length < 2) throw new LossInspectorError('badParameter', `A comparison needs two or more predictions files (got ${srcs.length}${srcs.length ? `: '${srcs[0].name}'` : ''}).`);
  const infos = srcs.map((s) => inspectFile(s));
  const key = opts.key ?? null;
  if (key !== null) {
    infos.forEach((info, i) => {
      if (!info.columns.includes(key)) throw new LossInspectorError('unknownColumn', noKeyColumn(key, srcs[i].name, info.columns), { file: srcs[i].name });
    });
  }
  const files = srcs.map((s) => s.name);
  const setup: Setup = { srcs, infos, files, prefixes: modelPrefixes(files), key, opts };
  const asked = opts.task ?? 'auto';
  if (asked === 'regression') return compareRegression(setup);
  // Each file's task as a one-file run would find it: the same for all, or a sentence naming the file.
  const columns = { target: opts.columns?.target, predictions: opts.columns?.predictions };
  const tasks = srcs.map((src, i) => detectTask(src, infos[i], { columns }, asked));
  tasks.forEach((t, i) => {
    if (t.task !== tasks[0].task) throw new LossInspectorError('filesDiffer', tasksDiffer({ name: files[0], task: tasks[0].task }, { name: files[i], task: t.task }), { file: files[i] });
  });
  if (tasks[0].task === 'multiclass') return compareMulticlass(setup, tasks.map((t) => t.labels));
  if (tasks[0].task === 'binary') return compareBinary(setup, tasks.map((t) => t.labels));
  return compareRegression(setup);
}

/** The report's `compare` block: the files, their prefixes, the key, each file's target and prediction columns, the rows, the changed rows. */
function compareBlock<R, C>(s: Setup, columns: readonly { target: string; predictions: string[] }[], rows: R, changed: C) {
  return { files: s.files, prefixes: s.prefixes, key: s.key, columns: columns.map((c) => ({ target: c.target, predictions: c.predictions })), rows, changed };
}

/** The first file's group-by column (--group-by) and the interner of its values, which the family's range reads. */
interface Grouping {
  column: string;
  keys: GroupKeys;
}

/**
 * Reads every file into the joiner, one after another (the last streamed), with its progress.
 * The readers' one group channel carries the key (a key join) or else the first file's group-by
 * column; a key join with a group-by reads that column first, alone (compareGroups.ts).
 */
function readAll(s: Setup, joiner: JoinerN, specOf: (i: number) => ReadSpec, labels: GroupKeys | undefined, keys: KeyIds, reorder?: (file: number, values: Float64Array) => Float64Array, grouping?: Grouping): void {
  const keyed = s.key !== null;
  const prePass = keyed && grouping !== undefined;
  const total = s.srcs.reduce((sum, x) => sum + x.size, 0) + (prePass ? s.srcs[0].size : 0);
  let before = 0;
  s.srcs.forEach((src, i) => {
    const info = s.infos[i];
    // The readers' lines are relative to the first data line: shifted here to the file's lines.
    const shift = info.dataStartLine - 1;
    const grouped = i === 0 && grouping !== undefined;
    const { groupBy: _own, ...wanted } = specOf(i);
    let pre: RecordGroups | undefined;
    if (grouped && keyed) {
      pre = readRecordGroups(src, info, { ...wanted, groupBy: grouping.column }, grouping.keys, (off) => s.opts.onProgress?.(off, total));
      before += src.size;
    }
    const rows: RowSink = {
      row: (line, _off, values, group) => {
        const v = reorder ? reorder(i, values) : values;
        if (keyed) joiner.row(i, line + shift, v, group, pre ? pre.next(line) : -1);
        else joiner.row(i, line + shift, v, -1, grouped ? group : -1);
      },
      skip: (line) => {
        pre?.next(line);
        joiner.skip(i, line + shift);
      },
    };
    const groupBy = keyed ? s.key : grouped ? grouping.column : null;
    const spec: ReadSpec = { ...wanted, ...(groupBy !== null ? { groupBy } : {}) };
    const interner = keyed ? keys : grouped ? grouping.keys : undefined;
    const { scanner, columnar } = makeScanner(src, info, spec, { ...(interner ? { groups: interner } : {}), ...(labels ? { labels } : {}) }, rows, info.dataStart, Infinity);
    const at = before;
    pump(src, scanner, info.dataStart, DEFAULT_CHUNK, (off) => s.opts.onProgress?.(at + off, total));
    if (columnar) columnar.emit(spec.numbers, rows);
    src.verifyUnchanged?.();
    before += src.size;
  });
}

function compareRegression(s: Setup): CompareReport {
  const { srcs, infos, files, prefixes, key, opts } = s;
  const request = { target: opts.columns?.target, predictions: opts.columns?.predictions ?? [] };
  const choices = infos.map((info, i) => chooseColumns(info.columns, i === 0 ? { ...request, ...firstOnly(opts) } : request, srcs[i].name));
  const w = choices[0].weight;
  const g = choices[0].groupBy;
  const names = choices.flatMap((c, i) => c.predictions.map((p) => `${prefixes[i]}:${p}`));
  // The joined rows as one file: the first file's target, every model, the first file's weight (and group-by column).
  const joinedInfo: FileInfo = { format: infos[0].format, columns: [choices[0].target, ...names, ...(w !== undefined ? [w] : []), ...(g !== undefined ? [g] : [])], dataStart: 0, dataStartLine: 1, preview: [], headerless: false };
  const job = regression.plan(joinedInfo, { ...opts, columns: { target: choices[0].target, predictions: names, ...(w !== undefined ? { weight: w } : {}), ...(g !== undefined ? { groupBy: g } : {}) } }, files[0]);
  const thread = regression.newThread(job);
  const grouping = g !== undefined ? { column: g, keys: new GroupKeys() } : undefined;
  const sink = regression.newRange(job, thread, grouping ? { groups: grouping.keys } : {});
  let index = 0;
  const keys = new KeyIds();
  const joiner = new JoinerN({
    files,
    key,
    models: choices.map((c) => c.predictions.length),
    extra: w !== undefined ? 1 : 0,
    names,
    // The changed rows are the report's baseline against every other model (no comparisons: the first model).
    baseline: Math.max(job.base, 0),
    label: (id) => keys.labels[id] ?? '',
    top: opts.topK,
    grouped: grouping !== undefined,
    // The joined row's "offset" is its index: distinct and increasing, as the family's blocks and sample need.
    emit: (lines, values, _key, group) => sink.row(lines[0], index++, values, group),
  });
  readAll(s, joiner, (i) => ({ numbers: [choices[i].target, ...choices[i].predictions, ...(i === 0 && w !== undefined ? [w] : [])] }), undefined, keys, undefined, grouping);
  const { rows, changed } = joiner.finish();
  if (rows.joined === 0) throw new LossInspectorError('noUsableRows', noJoinedRows({ files, key }), { file: files[files.length - 1] });
  const report = regression.buildReport([sink.result(index)], thread, job, { file: files[0], info: joinedInfo });
  return {
    ...report,
    compare: compareBlock(s, choices, rows, changed),
  };
}

/**
 * Binary classifiers: a label column and one score column per model in every file. The label is
 * a categorical column, interned for every file by one GroupKeys, so that the joined row's label
 * id (the first file's) is an id of the interner the family's range reads; the other files'
 * labels must name the same class row by row (the same text or the same number).
 */
function compareBinary(s: Setup, sampled: string[][]): ClassCompareReport {
  const { srcs, infos, files, prefixes, key, opts } = s;
  const c = opts.classification ?? {};
  const request = { target: opts.columns?.target, predictions: opts.columns?.predictions ?? [] };
  const base: ClassificationOptions = { ...c, topK: opts.topK, intervals: opts.intervals };
  // Each file's columns as its own one-file run would choose them (and its sentences when none fits).
  const choices = infos.map((info, i) => classification.plan(info, { ...base, labels: sampled[i], columns: i === 0 ? { ...request, ...firstOnly(opts) } : request }, srcs[i].name).choice);
  const w = choices[0].weight;
  const g = choices[0].groupBy;
  const names = choices.flatMap((ch, i) => ch.predictions.map((p) => `${prefixes[i]}:${p}`));
  const column = (i: number, col: string) => infos[i].preview[infos[i].columns.indexOf(col)] ?? [];
  // The joined rows as one file, with each column's first values (the plan's guess of score kinds reads them).
  const joinedInfo: FileInfo = {
    format: infos[0].format,
    columns: [choices[0].target, ...names, ...(w !== undefined ? [w] : []), ...(g !== undefined ? [g] : [])],
    dataStart: 0,
    dataStartLine: 1,
    preview: [column(0, choices[0].target), ...choices.flatMap((ch, i) => ch.predictions.map((p) => column(i, p))), ...(w !== undefined ? [column(0, w)] : []), ...(g !== undefined ? [column(0, g)] : [])],
    headerless: false,
    ...(infos[0].dialect ? { dialect: infos[0].dialect } : {}),
  };
  const job = classification.plan(joinedInfo, { ...base, labels: sampled[0], columns: { target: choices[0].target, predictions: names, ...(w !== undefined ? { weight: w } : {}), ...(g !== undefined ? { groupBy: g } : {}) } }, files[0]);
  const labels = new GroupKeys();
  const grouping = g !== undefined ? { column: g, keys: new GroupKeys() } : undefined;
  const sink = classification.newRange(job, null, { labels, ...(grouping ? { groups: grouping.keys } : {}) });
  const models = choices.map((ch) => ch.predictions.length);
  const lines = new JoinedLines(files.length);
  const wAt = 1 + names.length;
  let index = 0;
  const keys = new KeyIds();
  const comma = infos.map((info) => info.dialect?.decimalComma ?? false);
  const agree = new Map<number, boolean>();
  const joiner = new JoinerN({
    files,
    key,
    models,
    extra: w !== undefined ? 1 : 0,
    names,
    label: (id) => keys.labels[id] ?? '',
    top: opts.topK,
    targetWord: 'label',
    targetText: (id) => quoteName(labels.labels[id] ?? ''),
    // Ids of one interner: another id is another text, which may still be the same number ("1", "1.0").
    sameTarget: (first, other, file) => {
      const k = (first * 4096 + other) * files.length + file;
      let same = agree.get(k);
      if (same === undefined) {
        same = first >= 0 && other >= 0 && sameLabel(labels.labels[first], labels.labels[other], comma[0], comma[file]);
        agree.set(k, same);
      }
      return same;
    },
    // By log loss, once the report says which class is positive and how each model's scores read.
    changes: false,
    grouped: grouping !== undefined,
    emit: (rowLines, values, keyId, group) => {
      // A row the family leaves out (a negative weight) has no loss: kept in step with its stored rows.
      if (w === undefined || values[wAt] >= 0) lines.push(rowLines, keyId);
      sink.row(rowLines[0], index++, values, group);
    },
  });
  readAll(s, joiner, (i) => ({ numbers: [choices[i].target, ...choices[i].predictions, ...(i === 0 && w !== undefined ? [w] : [])], categorical: 0 }), labels, keys, undefined, grouping);
  const { rows } = joiner.finish();
  if (rows.joined === 0) throw new LossInspectorError('noUsableRows', noJoinedRows({ files, key }), { file: files[files.length - 1] });
  const part = sink.result(index);
  // The builder consumes the part's rows (labels become 0/1, scores are sorted in place), and the
  // changed rows need the report it builds: they are read from a copy.
  const stored = { labelIds: part.labelIds.map((c) => c.slice()), scores: part.scores.map((m) => m.map((c) => c.slice())) };
  const report = classification.buildReport([part], null, job, { file: files[0], info: joinedInfo });
  const order = orderClasses(report.classes, comma[0]);
  const pos = order.indexOf(report.positive);
  const isPositive = labels.labels.map((t) => (pos >= 0 && order.indexOf(t) === pos ? 1 : 0));
  const changed = changedClassRows(stored, lines, {
    names,
    models,
    baseline: Math.max(job.base, 0),
    top: opts.topK,
    kinds: report.models.map((m) => m.scores),
    positive: (id) => isPositive[id] ?? 0,
    labelText: (id) => labels.labels[id] ?? '',
    keyText: key !== null ? (id) => keys.labels[id] ?? '' : null,
  });
  return {
    ...report,
    compare: compareBlock(s, choices, rows, changed),
  };
}

/**
 * Multiclass classifiers: a label column and, per model, one score per class (k columns, or a
 * JSON array field), found in each file as its one-file run finds them. Every file must score
 * the same classes; a file whose class columns come in another order has its scores put in the
 * first file's class order as they are read. The label is interned as for binary files.
 */
function compareMulticlass(s: Setup, sampled: string[][]): MultiCompareReport {
  const { srcs, infos, files, prefixes, key, opts } = s;
  const c = opts.classification ?? {};
  const request = { target: opts.columns?.target, predictions: opts.columns?.predictions ?? [] };
  const base = { scores: c.scores, gamma: c.binary?.gamma, labelSmoothing: c.labelSmoothing, topK: opts.topK, intervals: opts.intervals };
  const jobs = infos.map((info, i) => multiclass.plan(info, { ...base, labels: sampled[i], columns: i === 0 ? { ...request, ...firstOnly(opts) } : request }, srcs[i].name));
  const classes = jobs[0].choice.classes;
  const k = classes.length;
  const comma = infos.map((info) => info.dialect?.decimalComma ?? false);
  // Per file, the index of each of the first file's classes among its own.
  const perms = jobs.map((job, i) => {
    const own = job.choice.classes;
    const perm = classes.map((c0) => own.findIndex((ci) => sameLabel(c0.trim(), ci.trim(), comma[0], comma[i])));
    if (own.length !== k || perm.some((p) => p < 0)) throw new LossInspectorError('filesDiffer', classesDiffer({ name: files[0], classes }, { name: files[i], classes: own }), { file: files[i] });
    return perm;
  });
  const w = jobs[0].choice.weight;
  const g = jobs[0].choice.groupBy;
  const models = jobs.flatMap((job, i) => job.choice.models.map((m) => ({ ...m, name: `${prefixes[i]}:${m.name}`, columns: perms[i].map((p) => m.columns[p]) })));
  const names = models.map((m) => m.name);
  const joinedInfo: FileInfo = {
    format: infos[0].format,
    columns: [jobs[0].choice.target, ...models.flatMap((m) => m.columns), ...(w !== undefined ? [w] : []), ...(g !== undefined ? [g] : [])],
    dataStart: 0,
    dataStartLine: 1,
    preview: [],
    headerless: false,
    ...(infos[0].dialect ? { dialect: infos[0].dialect } : {}),
  };
  const intervals = jobs[0].intervals;
  // The first file's job (its parameters checked by its plan) over every file's models.
  const job: MulticlassJob = {
    ...jobs[0],
    choice: { target: jobs[0].choice.target, classes, models, ...(w !== undefined ? { weight: w } : {}), ...(g !== undefined ? { groupBy: g } : {}) },
    base: baselineIndex(names, intervals, files[0]),
  };
  const labels = new GroupKeys();
  const grouping = g !== undefined ? { column: g, keys: new GroupKeys() } : undefined;
  const sink = multiclass.newRange(job, null, { labels, ...(grouping ? { groups: grouping.keys } : {}) });
  const counts = jobs.map((j) => j.choice.models.length);
  const lines = new JoinedLines(files.length);
  const wAt = 1 + names.length * k;
  let index = 0;
  const keys = new KeyIds();
  const agree = new Map<number, boolean>();
  const scratch = jobs.map((j) => new Float64Array(1 + j.choice.models.length * k + (j.choice.weight !== undefined ? 1 : 0)));
  const joiner = new JoinerN({
    files,
    key,
    models: counts.map((n) => n * k),
    extra: w !== undefined ? 1 : 0,
    names: [],
    label: (id) => keys.labels[id] ?? '',
    top: opts.topK,
    targetWord: 'label',
    targetText: (id) => quoteName(labels.labels[id] ?? ''),
    sameTarget: (first, other, file) => {
      const kk = (first * 4096 + other) * files.length + file;
      let same = agree.get(kk);
      if (same === undefined) {
        same = first >= 0 && other >= 0 && sameLabel(labels.labels[first].trim(), labels.labels[other].trim(), comma[0], comma[file]);
        agree.set(kk, same);
      }
      return same;
    },
    changes: false,
    grouped: grouping !== undefined,
    emit: (rowLines, values, keyId, group) => {
      if (w === undefined || values[wAt] >= 0) lines.push(rowLines, keyId);
      sink.row(rowLines[0], index++, values, group);
    },
  });
  // The scores of a file whose classes are in another order, put in the first file's.
  const identity = perms.map((p) => p.every((x, i) => x === i));
  const reorder = (file: number, values: Float64Array): Float64Array => {
    if (identity[file]) return values;
    const out = scratch[file];
    const perm = perms[file];
    out[0] = values[0];
    for (let m = 0; m < counts[file]; m++) for (let cl = 0; cl < k; cl++) out[1 + m * k + cl] = values[1 + m * k + perm[cl]];
    for (let e = 1 + counts[file] * k; e < out.length; e++) out[e] = values[e];
    return out;
  };
  readAll(s, joiner, (i) => multiclass.readSpec(i === 0 ? jobs[0] : jobs[i]), labels, keys, reorder, grouping);
  const { rows } = joiner.finish();
  if (rows.joined === 0) throw new LossInspectorError('noUsableRows', noJoinedRows({ files, key }), { file: files[files.length - 1] });
  const part = sink.result(index);
  // The builder lets the part's score chunks go as it copies them: the changed rows keep their own references.
  const stored = { labelIds: part.labelIds, scores: [...part.scores] };
  const report = multiclass.buildReport([part], null, job, { file: files[0], info: joinedInfo });
  // A label's class as the report finds it: the same text, or the same number.
  const classOf = labels.labels.map((t) => {
    const i = report.classes.indexOf(t.trim());
    if (i >= 0) return i;
    const v = labelNumber(t, comma[0]);
    return Number.isFinite(v) ? report.classes.findIndex((cl) => labelNumber(cl, comma[0]) === v) : -1;
  });
  const changed = changedMultiRows(stored, lines, {
    names,
    models: counts,
    baseline: Math.max(job.base, 0),
    top: opts.topK,
    k,
    kinds: report.models.map((m) => m.scores),
    classOf: (id) => classOf[id] ?? -1,
    labelText: (id) => labels.labels[id] ?? '',
    keyText: key !== null ? (id) => keys.labels[id] ?? '' : null,
  });
  return {
    ...report,
    compare: compareBlock(
      s,
      jobs.map((j) => ({ target: j.choice.target, predictions: j.choice.models.flatMap((m) => (m.array !== undefined ? [m.array] : m.columns)) })),
      rows,
      changed,
    ),
  };
}
