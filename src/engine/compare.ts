/**
 * `compare` (#15 item 4): two predictions files, two runs. Both files are read once, on this
 * thread (A kept, B streamed: see core/compare/join.ts for what is stored per row), their rows
 * joined by a key column or by row order, and the joined rows fed to the regression family as
 * one file whose models are `FILE:COLUMN` of both — so every loss, interval and paired comparison
 * is the engine's own, computed on exactly the rows both files have.
 */
import { LossInspectorError } from '../core/errors';
import { Joiner } from '../core/compare/join';
import { KeyIds } from '../core/compare/keys';
import type { CompareReport } from '../core/compare/report';
import { noJoinedRows, noKeyColumn } from '../core/compare/words';
import type { FileInfo } from '../core/fileInfo';
import type { RowSink } from '../core/scanTypes';
import { chooseColumns, type ColumnChoice } from '../core/tasks/regression/columns';
import { regression, type RegressionOptions } from '../core/tasks/regression/index';
import { inspectFile } from './inspect';
import { DEFAULT_CHUNK, pump } from './pump';
import { makeScanner } from './scan';
import type { ByteSource } from './source';

export interface CompareOptions extends Omit<RegressionOptions, 'columns'> {
  /** The key column (in both files); absent: rows joined by their order. */
  key?: string;
  /** The target and prediction columns, asked for both files (absent: detected in each). */
  columns?: { target?: string; predictions?: string[] };
  onProgress?: (done: number, total: number) => void;
}

/** The models' names: `FILE:COLUMN`; two files of one name are told apart as (A) and (B). */
function prefixes(a: string, b: string): [string, string] {
  return a === b ? [`${a} (A)`, `${b} (B)`] : [a, b];
}

export function compareFiles(a: ByteSource, b: ByteSource, opts: CompareOptions): CompareReport {
  const infos = [inspectFile(a), inspectFile(b)] as const;
  const srcs = [a, b] as const;
  const request = { target: opts.columns?.target, predictions: opts.columns?.predictions ?? [] };
  const choices = infos.map((info, i) => chooseColumns(info.columns, request, srcs[i].name)) as [ColumnChoice, ColumnChoice];
  const key = opts.key ?? null;
  if (key !== null) {
    infos.forEach((info, i) => {
      if (!info.columns.includes(key)) throw new LossInspectorError('unknownColumn', noKeyColumn(key, srcs[i].name, info.columns), { file: srcs[i].name });
    });
  }
  const [pa, pb] = prefixes(a.name, b.name);
  const names = [...choices[0].predictions.map((p) => `${pa}:${p}`), ...choices[1].predictions.map((p) => `${pb}:${p}`)];
  // The joined rows as one file: A's target, then every model.
  const joinedInfo: FileInfo = { format: infos[0].format, columns: [choices[0].target, ...names], dataStart: 0, dataStartLine: 1, preview: [], headerless: false };
  const job = regression.plan(joinedInfo, { ...opts, columns: { target: choices[0].target, predictions: names } }, a.name);
  const thread = regression.newThread(job);
  const sink = regression.newRange(job, thread, {});
  let index = 0;
  const keys = new KeyIds();
  const joiner = new Joiner({
    files: [a.name, b.name],
    key,
    models: [choices[0].predictions.length, choices[1].predictions.length],
    names,
    label: (id) => keys.labels[id] ?? '',
    top: opts.topK,
    // The joined row's "offset" is its index: distinct and increasing, as the family's blocks and sample need.
    emit: (lineA, _lineB, values) => sink.row(lineA, index++, values, -1),
  });
  const total = a.size + b.size;
  const read = (i: 0 | 1, rows: RowSink, before: number) => {
    const src = srcs[i];
    const info = infos[i];
    const choice = choices[i];
    const spec = { numbers: [choice.target, ...choice.predictions], ...(key !== null ? { groupBy: key } : {}) };
    const { scanner, columnar } = makeScanner(src, info, spec, key !== null ? { groups: keys } : {}, rows, info.dataStart, Infinity);
    pump(src, scanner, info.dataStart, DEFAULT_CHUNK, (off) => opts.onProgress?.(before + off, total));
    if (columnar) columnar.emit(spec.numbers, rows);
    src.verifyUnchanged?.();
  };
  // The readers' lines are relative to the first data line: shifted here to each file's lines.
  const sa = infos[0].dataStartLine - 1;
  const sb = infos[1].dataStartLine - 1;
  read(0, { row: (line, _off, values, group) => joiner.rowA(line + sa, values, group), skip: (line) => joiner.skipA(line + sa) }, 0);
  read(1, { row: (line, _off, values, group) => joiner.rowB(line + sb, values, group), skip: (line) => joiner.skipB(line + sb) }, a.size);
  const { rows, changed } = joiner.finish();
  const files: [string, string] = [a.name, b.name];
  if (rows.joined === 0) throw new LossInspectorError('noUsableRows', noJoinedRows({ files, key }), { file: b.name });
  const report = regression.buildReport([sink.result(index)], thread, job, { file: a.name, info: joinedInfo });
  return {
    ...report,
    compare: {
      files,
      key,
      columns: [
        { target: choices[0].target, predictions: choices[0].predictions },
        { target: choices[1].target, predictions: choices[1].predictions },
      ],
      rows,
      changed,
    },
  };
}
