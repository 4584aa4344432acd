/**
 * `compare` (#15 items 3 and 4): N ≥ 2 predictions files, N runs. The files are read once each,
 * one after another, on this thread (the first kept, the last streamed: see
 * core/compare/joinN.ts for what is stored per row), their rows joined by a key column or by row
 * order, and the joined rows fed to the regression family as one file whose models are
 * `PREFIX:COLUMN` of every file (core/compare/names.ts) — so every loss, interval and paired
 * comparison is the engine's own, computed on exactly the rows every file has.
 */
import { LossInspectorError } from '../core/errors';
import { JoinerN } from '../core/compare/joinN';
import { KeyIds } from '../core/compare/keys';
import { modelPrefixes } from '../core/compare/names';
import type { CompareReport } from '../core/compare/report';
import { noJoinedRows, noKeyColumn } from '../core/compare/words';
import type { FileInfo } from '../core/fileInfo';
import type { RowSink } from '../core/scanTypes';
import { chooseColumns } from '../core/tasks/regression/columns';
import { regression, type RegressionOptions } from '../core/tasks/regression/index';
import { inspectFile } from './inspect';
import { DEFAULT_CHUNK, pump } from './pump';
import { makeScanner } from './scan';
import type { ByteSource } from './source';

export interface CompareOptions extends Omit<RegressionOptions, 'columns'> {
  /** The key column (in every file); absent: rows joined by their order. */
  key?: string;
  /**
   * The target and prediction columns, asked of every file (absent: detected in each); the
   * sample-weight column, of the first file only (a row's weight, as its target, is the first file's).
   */
  columns?: { target?: string; predictions?: string[]; weight?: string };
  onProgress?: (done: number, total: number) => void;
}

/** The files' rows joined and reported; `srcs[0]` decides the rows and is the baseline's file by default. */
export function compareFiles(srcs: readonly ByteSource[], opts: CompareOptions): CompareReport {
  if (srcs.length < 2) throw new LossInspectorError('badParameter', `A comparison needs two or more predictions files (got ${srcs.length}${srcs.length ? `: '${srcs[0].name}'` : ''}).`);
  const infos = srcs.map((s) => inspectFile(s));
  const request = { target: opts.columns?.target, predictions: opts.columns?.predictions ?? [] };
  const weight = opts.columns?.weight || undefined;
  const choices = infos.map((info, i) => chooseColumns(info.columns, i === 0 ? { ...request, weight } : request, srcs[i].name));
  const w = choices[0].weight;
  const key = opts.key ?? null;
  if (key !== null) {
    infos.forEach((info, i) => {
      if (!info.columns.includes(key)) throw new LossInspectorError('unknownColumn', noKeyColumn(key, srcs[i].name, info.columns), { file: srcs[i].name });
    });
  }
  const files = srcs.map((s) => s.name);
  const prefixes = modelPrefixes(files);
  const names = choices.flatMap((c, i) => c.predictions.map((p) => `${prefixes[i]}:${p}`));
  // The joined rows as one file: the first file's target, every model, the first file's weight.
  const joinedInfo: FileInfo = { format: infos[0].format, columns: [choices[0].target, ...names, ...(w !== undefined ? [w] : [])], dataStart: 0, dataStartLine: 1, preview: [], headerless: false };
  const job = regression.plan(joinedInfo, { ...opts, columns: { target: choices[0].target, predictions: names, ...(w !== undefined ? { weight: w } : {}) } }, files[0]);
  const thread = regression.newThread(job);
  const sink = regression.newRange(job, thread, {});
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
    // The joined row's "offset" is its index: distinct and increasing, as the family's blocks and sample need.
    emit: (lines, values) => sink.row(lines[0], index++, values, -1),
  });
  const total = srcs.reduce((s, x) => s + x.size, 0);
  let before = 0;
  srcs.forEach((src, i) => {
    const info = infos[i];
    const choice = choices[i];
    // The readers' lines are relative to the first data line: shifted here to the file's lines.
    const shift = info.dataStartLine - 1;
    const rows: RowSink = { row: (line, _off, values, group) => joiner.row(i, line + shift, values, group), skip: (line) => joiner.skip(i, line + shift) };
    const spec = { numbers: [choice.target, ...choice.predictions, ...(i === 0 && w !== undefined ? [w] : [])], ...(key !== null ? { groupBy: key } : {}) };
    const { scanner, columnar } = makeScanner(src, info, spec, key !== null ? { groups: keys } : {}, rows, info.dataStart, Infinity);
    const at = before;
    pump(src, scanner, info.dataStart, DEFAULT_CHUNK, (off) => opts.onProgress?.(at + off, total));
    if (columnar) columnar.emit(spec.numbers, rows);
    src.verifyUnchanged?.();
    before += src.size;
  });
  const { rows, changed } = joiner.finish();
  if (rows.joined === 0) throw new LossInspectorError('noUsableRows', noJoinedRows({ files, key }), { file: files[files.length - 1] });
  const report = regression.buildReport([sink.result(index)], thread, job, { file: files[0], info: joinedInfo });
  return {
    ...report,
    compare: {
      files,
      prefixes,
      key,
      columns: choices.map((c) => ({ target: c.target, predictions: c.predictions })),
      rows,
      changed,
    },
  };
}
