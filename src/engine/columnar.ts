/**
 * Columnar files (Parquet, Arrow IPC / Feather v2) in the engine: their FileInfo, the scan of a
 * range of their units (Parquet row groups, Arrow record batches), the split of a file into
 * ranges of whole units, and the decompressors, which use Node's zlib where it has one.
 *
 * A range is given, like a text range, by file offsets: it holds the units whose first byte is in
 * [start, stopAt). Every unit is read by one thread, and each is cut into the same summation
 * blocks whatever the ranges (family.ts COLUMNAR_BLOCK_ROWS), so reports are identical for any
 * number of threads.
 */
import * as zlib from 'node:zlib';
import { decompressLz4, decompressLz4Raw } from 'hyparquet-compressors/src/lz4.js';
import { LossInspectorError } from '../core/errors';
import type { RangeKeys, ReadSpec } from '../core/family';
import type { FileFormat, FileInfo } from '../core/fileInfo';
import { ArrowFile } from '../core/readers/arrow';
import { Codecs, ParquetFile } from '../core/readers/parquet';
import type { RowSink } from '../core/scanTypes';
import type { ByteSource } from './byteSource';
import { zstdPage } from './zstdPages';

export type ColumnarFormat = 'parquet' | 'arrow';

export function isColumnar(format: FileFormat): format is ColumnarFormat {
  return format === 'parquet' || format === 'arrow';
}

/** Fewer rows than this are scanned on one thread (a worker's start costs more than it saves). */
export const COLUMNAR_PARALLEL_ROWS = 1 << 20;

/** Parquet's codecs: Node's zlib for gzip and brotli, zstdPages.ts for zstd, hyparquet-compressors' LZ4 (snappy is hyparquet's own). */
const CODECS: Codecs = {
  GZIP: (input) => zlib.gunzipSync(input),
  BROTLI: (input) => zlib.brotliDecompressSync(input),
  ZSTD: zstdPage,
  LZ4: decompressLz4,
  LZ4_RAW: decompressLz4Raw,
};

type Reader = ParquetFile | ArrowFile;

/** One parsed footer per opened source: inspecting, sampling and scanning share it. */
const opened = new WeakMap<ByteSource, Reader>();

function readerOf(src: ByteSource, format: ColumnarFormat): Reader {
  let r = opened.get(src);
  if (!r) {
    if (!Number.isFinite(src.size)) {
      throw new LossInspectorError(
        'unsupported',
        `'${src.name}' is a ${format === 'parquet' ? 'Parquet' : 'Arrow'} file inside gzip or zstd; such files are compressed inside already: decompress it and open the ${format === 'parquet' ? '.parquet' : '.arrow'} file.`,
        { file: src.name },
      );
    }
    r = format === 'parquet' ? new ParquetFile(src, CODECS) : new ArrowFile(src);
    opened.set(src, r);
  }
  return r;
}

/** What the engine knows of a columnar file before scanning it (its columns from the schema). */
export function inspectColumnar(src: ByteSource, format: ColumnarFormat): FileInfo {
  const r = readerOf(src, format);
  const units = r.units.map((u) => u.start);
  const rows = r.units.reduce((s, u) => s + u.rows, 0);
  if (rows === 0) throw new LossInspectorError('headerOnly', `'${src.name}' has columns but no rows.`, { file: src.name });
  return {
    format,
    columns: r.names(),
    dataStart: units.length ? units[0] : 0,
    dataStartLine: 1,
    preview: [],
    headerless: false,
    columnar: { units, rows },
  };
}

/**
 * Scans the units of the range [start, stopAt) into `sink`, rows numbered from 1 at the range's
 * first; returns its row count and where it stopped (stopAt, or −1 at the end of the file).
 */
export function scanColumnar(src: ByteSource, info: FileInfo, spec: ReadSpec, keys: RangeKeys, sink: RowSink, start: number, stopAt: number, onProgress?: (offset: number) => void): { rows: number; stoppedAt: number } {
  const rows = readerOf(src, info.format as ColumnarFormat).scan(spec, keys, sink, start, stopAt, onProgress);
  return { rows, stoppedAt: Number.isFinite(stopAt) ? stopAt : -1 };
}

/**
 * Range starts for `n` ranges: unit starts near equal shares of the file's bytes (whole units:
 * see family.ts). Units out of file order (a writer's choice) give one range.
 */
export function columnarSplitPoints(info: FileInfo, size: number, n: number): number[] {
  const units = info.columnar?.units ?? [];
  if (units.length === 0) return [info.dataStart];
  for (let i = 1; i < units.length; i++) if (units[i] <= units[i - 1]) return [units[0]];
  const starts = [units[0]];
  let u = 1;
  for (let k = 1; k < n; k++) {
    const nominal = units[0] + ((size - units[0]) * k) / n;
    while (u < units.length && units[u] < nominal) u++;
    if (u >= units.length) break;
    if (units[u] > starts[starts.length - 1]) starts.push(units[u]);
  }
  return starts;
}
