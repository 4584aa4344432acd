/**
 * Parquet files, read with hyparquet's page decoders (plain, dictionary, RLE, delta and byte
 * stream split encodings; data pages v1 and v2), page by page from the file: only the wanted
 * columns' pages are read, and a column holds one page in memory at a time, however large its row
 * groups. Row groups are the units of columnar.ts (summation blocks, parallel ranges). The
 * decompressors are handed in (`Codecs`): the engine's use Node's zlib, which pure code cannot.
 *
 * Values: doubles and floats as they are (NaN is a missing value, ±∞ infinite), integers (signed
 * and unsigned, 32 and 64 bits) and decimals (correctly rounded) as numbers, booleans as 1 and 0,
 * text parsed as the text readers parse a field; a NULL is an empty value. Labels and group-by
 * values are the text of strings, or numbers and booleans written out (`1`, `true`).
 */
import type { ColumnMetaData, Compressors, CompressionCodec, DecodedArray, FileMetaData, PageHeader, RowGroup, SchemaElement, SchemaTree } from 'hyparquet';
import { parquetHeader } from 'hyparquet/src/column.js';
import { decompressPage, readDataPage, readDataPageV2 } from 'hyparquet/src/datapage.js';
import { parquetMetadata, parquetSchema } from 'hyparquet/src/metadata.js';
import { snappyUncompress } from 'hyparquet/src/snappy.js';
import { readPlain } from 'hyparquet/src/plain.js';
import { LossInspectorError, quoteName } from '../errors';
import type { RangeKeys, ReadSpec } from '../family';
import type { GroupKeys } from '../groups';
import type { RowSink } from '../scanTypes';
import {
  bigEndianSigned,
  ColumnRole,
  ColumnRun,
  decimalValue,
  emitUnit,
  finiteCodes,
  halfFloat,
  internBytes,
  internNumber,
  internText,
  libraryMessage,
  MAX_UNIT_ROWS,
  nullInto,
  RandomAccess,
  readExactly,
  textNumber,
  unsupportedColumn,
} from './columnar';
import { R_OK } from './fields';

/** A decompressor per codec (hyparquet's signature: the compressed page and its decompressed size). */
export type Codecs = Compressors;

/** The codecs a Parquet file may name that Loss Inspector can decompress (the engine supplies them). */
export const PARQUET_CODECS: readonly CompressionCodec[] = ['UNCOMPRESSED', 'SNAPPY', 'GZIP', 'BROTLI', 'ZSTD', 'LZ4', 'LZ4_RAW'];

/** The largest footer read (a file of 10⁵ row groups has a footer of tens of MB). */
const MAX_FOOTER = 1 << 30;
/** A page's decompressed size above this is taken for damage (real pages are a few MB). */
const MAX_PAGE = 1 << 30;
/** The read buffer of one column (a page larger than this gets its own). */
const WINDOW = 1 << 20;

const MAGIC = 0x31524150; // 'PAR1', little-endian
const MAGIC_ENCRYPTED = 0x45524150; // 'PARE'

function damaged(file: string, what: string): LossInspectorError {
  return new LossInspectorError('corrupt', `'${file}' is not a valid Parquet file: ${what}; is it complete?`, { file });
}

/** Whether the first bytes are Parquet's (`PAR1`, or `PARE` for an encrypted file). */
export function isParquetMagic(head: Uint8Array): boolean {
  if (head.length < 4) return false;
  const m = head[0] | (head[1] << 8) | (head[2] << 16) | (head[3] << 24);
  return m === MAGIC || m === MAGIC_ENCRYPTED;
}

/** A top-level column of the schema and whether it can be read (a flat column). */
interface TopColumn {
  name: string;
  tree: SchemaTree;
  /** From the root to the column. */
  path: SchemaTree[];
  /** Why it cannot be read (a list, a struct, a map), or undefined. */
  nested?: string;
}

/** A row group's place in the file: where its first page starts, and its rows. */
export interface ParquetUnit {
  start: number;
  rows: number;
}

/** A Parquet file's footer, parsed: its columns and row groups. */
export class ParquetFile {
  readonly metadata: FileMetaData;
  readonly columns: TopColumn[];
  readonly units: ParquetUnit[];

  constructor(
    private readonly src: RandomAccess,
    private readonly codecs: Codecs,
  ) {
    const file = src.name;
    if (src.size < 12) throw damaged(file, `it is ${src.size} bytes long, too short for one`);
    const tail = readExactly(src, src.size - 8, 8, () => damaged(file, 'its end cannot be read'));
    const head = readExactly(src, 0, 4, () => damaged(file, 'its start cannot be read'));
    const view = new DataView(tail.buffer);
    const end = view.getUint32(4, true);
    if (end === MAGIC_ENCRYPTED || (head[0] === 0x50 && head[1] === 0x41 && head[2] === 0x52 && head[3] === 0x45)) {
      throw new LossInspectorError('unsupported', `'${file}' is an encrypted Parquet file (Parquet modular encryption), which Loss Inspector cannot read; write it without encryption.`, { file });
    }
    if (!isParquetMagic(head)) throw damaged(file, 'it does not start with the Parquet signature PAR1');
    if (end !== MAGIC) throw damaged(file, 'it does not end with the Parquet signature PAR1, so it was probably cut short');
    const length = view.getUint32(0, true);
    if (length > src.size - 12 || length > MAX_FOOTER) throw damaged(file, `its footer says it is ${length} bytes, more than the file holds`);
    const footer = readExactly(src, src.size - 8 - length, length + 8, () => damaged(file, 'its footer cannot be read'));
    try {
      this.metadata = parquetMetadata(footer);
    } catch (e) {
      throw damaged(file, `its footer (the schema and row groups) cannot be decoded (${message(e)})`);
    }
    let tree: SchemaTree;
    try {
      tree = parquetSchema(this.metadata);
    } catch (e) {
      throw damaged(file, `its schema cannot be decoded (${message(e)})`);
    }
    this.columns = tree.children.map((c) => ({ name: c.element.name, tree: c, path: [tree, c], nested: nestedKind(c) }));
    if (!this.columns.every((c) => typeof c.name === 'string')) throw damaged(file, 'its schema is damaged');
    if (this.metadata.row_groups.length > 1 << 21) throw damaged(file, `it has ${this.metadata.row_groups.length} row groups`);
    this.units = this.metadata.row_groups.map((g, i) => {
      const rows = Number(g.num_rows);
      if (!(rows >= 0) || rows > MAX_UNIT_ROWS) throw damaged(file, `row group ${i + 1} says it has ${g.num_rows} rows`);
      return { start: unitStart(g), rows };
    });
  }

  /** The top-level column names, in schema order. */
  names(): string[] {
    return this.columns.map((c) => c.name);
  }

  /**
   * Reads the row groups that start in [start, stopAt) and hands their rows to `sink`, row numbers
   * counted from 1 at the first of them. Returns how many rows they had.
   */
  scan(spec: ReadSpec, keys: RangeKeys, sink: RowSink, start: number, stopAt: number, onProgress?: (offset: number) => void): number {
    const file = this.src.name;
    const slots: { name: string; role: ColumnRole; keys?: GroupKeys }[] = spec.numbers.map((name, s) => ({
      name,
      role: s === spec.categorical ? 'label' : 'number',
      keys: s === spec.categorical ? keys.labels : undefined,
    }));
    const groupSlot = spec.groupBy !== undefined && keys.groups ? { name: spec.groupBy, role: 'group' as const, keys: keys.groups } : undefined;
    const wanted = groupSlot ? [...slots, groupSlot] : slots;
    for (const w of wanted) this.check(w.name, w.role);
    const vals = new Float64Array(slots.length);
    const scratch = wanted.map(() => new Scratch());
    let rows = 0;
    const groups = this.metadata.row_groups;
    for (let u = 0; u < groups.length; u++) {
      const unit = this.units[u];
      if (unit.start < start || unit.start >= stopAt) continue;
      const runs = wanted.map((w, k) => new PageReader(this.src, this.codecs, scratch[k], this.chunk(u, w.name), this.column(w.name).path, w.role, w.keys, u, unit.rows));
      const cols = runs.slice(0, slots.length);
      const group = groupSlot ? runs[slots.length] : undefined;
      emitUnit(cols, spec.categorical ?? -1, group, sink, vals, u, unit.rows, rows + 1, () => `Row group ${u + 1} of '${file}'`);
      rows += unit.rows;
      onProgress?.(Math.max(...runs.map((r) => r.stop)));
    }
    return rows;
  }

  private column(name: string): TopColumn {
    const c = this.columns.find((x) => x.name === name);
    if (!c) throw new LossInspectorError('unknownColumn', `'${this.src.name}' has no column ${quoteName(name)}.`, { file: this.src.name });
    return c;
  }

  /** Refuses a column that cannot be read as `role`, with the sentence that says why. */
  private check(name: string, role: ColumnRole): void {
    const c = this.column(name);
    if (c.nested) throw unsupportedColumn(this.src.name, name, c.nested);
    const why = unreadable(c.tree.element, role);
    if (why) throw unsupportedColumn(this.src.name, name, why);
  }

  private chunk(u: number, name: string): ColumnMetaData {
    const file = this.src.name;
    const chunk = this.metadata.row_groups[u].columns.find((c) => c.meta_data?.path_in_schema.length === 1 && c.meta_data.path_in_schema[0] === name);
    if (chunk?.crypto_metadata !== undefined || chunk?.encrypted_column_metadata !== undefined) {
      throw new LossInspectorError('unsupported', `The column ${quoteName(name)} of '${file}' is encrypted (Parquet modular encryption), which Loss Inspector cannot read.`, { file });
    }
    if (chunk?.file_path) {
      throw new LossInspectorError('unsupported', `The column ${quoteName(name)} of '${file}' is stored in another file (${quoteName(chunk.file_path)}), which Loss Inspector does not read.`, { file });
    }
    const meta = chunk?.meta_data;
    if (!meta) throw damaged(file, `row group ${u + 1} has no column ${quoteName(name)}`);
    if (!PARQUET_CODECS.includes(meta.codec) || (meta.codec !== 'UNCOMPRESSED' && meta.codec !== 'SNAPPY' && !this.codecs[meta.codec])) {
      throw new LossInspectorError(
        'unsupported',
        `The column ${quoteName(name)} of '${file}' is compressed with ${meta.codec ?? 'an unknown codec'}, which Loss Inspector cannot decompress; it reads uncompressed, snappy, gzip, zstd, brotli and lz4 Parquet.`,
        { file },
      );
    }
    return meta;
  }
}

const message = libraryMessage;

/** Where a row group's first page starts (its smallest column chunk start). */
function unitStart(g: RowGroup): number {
  let start = Infinity;
  for (const c of g.columns) {
    const m = c.meta_data;
    if (!m) continue;
    start = Math.min(start, Number(m.dictionary_page_offset || m.data_page_offset));
  }
  return Number.isFinite(start) ? start : Number(g.file_offset ?? 4);
}

/** What a nested top-level column is, as a sentence fragment; undefined for a flat column. */
function nestedKind(c: SchemaTree): string | undefined {
  const e = c.element;
  if (c.children.length === 0 && e.repetition_type !== 'REPEATED') return undefined;
  const t = e.logical_type?.type ?? e.converted_type;
  if (t === 'LIST' || e.repetition_type === 'REPEATED') return 'lists (one array per row)';
  if (t === 'MAP' || t === 'MAP_KEY_VALUE') return 'maps';
  return 'structs (nested columns)';
}

/** Why a flat column cannot be read as `role`, or undefined. */
function unreadable(e: SchemaElement, role: ColumnRole): string | undefined {
  const lt = e.logical_type?.type;
  const ct = e.converted_type;
  if (e.type === 'INT96' || lt === 'TIMESTAMP' || ct === 'TIMESTAMP_MILLIS' || ct === 'TIMESTAMP_MICROS') return 'timestamps';
  if (lt === 'DATE' || ct === 'DATE') return 'dates';
  if (lt === 'TIME' || ct === 'TIME_MILLIS' || ct === 'TIME_MICROS') return 'times of day';
  if (lt === 'INTERVAL' || ct === 'INTERVAL') return 'intervals';
  if (lt === 'UUID') return 'UUIDs';
  if (lt === 'JSON' || ct === 'JSON' || lt === 'BSON' || ct === 'BSON') return 'JSON or BSON documents';
  if (lt === 'VARIANT') return 'variants';
  if (e.type === 'FIXED_LEN_BYTE_ARRAY' && lt !== 'FLOAT16' && ct !== 'DECIMAL' && lt !== 'DECIMAL' && role === 'number') return 'fixed-length binary values';
  return undefined;
}

/** How a column's physical values become numbers (see convert). */
const enum Kind {
  Float,
  Int32,
  Uint32,
  Int64,
  Uint64,
  Bool,
  Decimal,
  DecimalBytes,
  Float16,
  Bytes,
}

function kindOf(e: SchemaElement): Kind {
  const lt = e.logical_type;
  const decimal = e.converted_type === 'DECIMAL' || lt?.type === 'DECIMAL';
  const unsigned = e.converted_type === 'UINT_32' || e.converted_type === 'UINT_64' || (lt?.type === 'INTEGER' && !lt.isSigned);
  switch (e.type) {
    case 'FLOAT':
    case 'DOUBLE':
      return Kind.Float;
    case 'INT32':
      return decimal ? Kind.Decimal : unsigned ? Kind.Uint32 : Kind.Int32;
    case 'INT64':
      return decimal ? Kind.Decimal : unsigned ? Kind.Uint64 : Kind.Int64;
    case 'BOOLEAN':
      return Kind.Bool;
    case 'FIXED_LEN_BYTE_ARRAY':
      return decimal ? Kind.DecimalBytes : lt?.type === 'FLOAT16' ? Kind.Float16 : Kind.Bytes;
    default:
      return decimal ? Kind.DecimalBytes : Kind.Bytes;
  }
}

function half(b: Uint8Array): number {
  return halfFloat(b[0] | (b[1] << 8));
}

/**
 * Buffers a column reuses from page to page and row group to row group (grown as needed), so
 * that decoding makes no garbage per page: each page's views of them are consumed before the
 * next page is decoded (emitUnit reads a run to its end before asking for the next).
 */
class Scratch {
  private readonly f64s = new Map<string, Float64Array>();
  private readonly u8s = new Map<string, Uint8Array>();
  private readonly i32s = new Map<string, Int32Array>();
  /** Interned ids of the column's label or group values met (numbers, booleans). */
  readonly cache = new Map<number | bigint, number>();

  f64(slot: string, n: number): Float64Array {
    let b = this.f64s.get(slot);
    if (!b || b.length < n) this.f64s.set(slot, (b = new Float64Array(Math.max(n, 1024))));
    return b.subarray(0, n);
  }

  u8(slot: string, n: number): Uint8Array {
    let b = this.u8s.get(slot);
    if (!b || b.length < n) this.u8s.set(slot, (b = new Uint8Array(Math.max(n, 1024))));
    return b.subarray(0, n);
  }

  i32(slot: string, n: number): Int32Array {
    let b = this.i32s.get(slot);
    if (!b || b.length < n) this.i32s.set(slot, (b = new Int32Array(Math.max(n, 1024))));
    return b.subarray(0, n);
  }
}

/**
 * Parquet's RLE / bit-packed hybrid (definition levels, dictionary indices) from view[pos, end)
 * into `out`; returns where it stopped. Strict where hyparquet's decoder trusts the bytes (a
 * damaged run length made it loop for seconds, or grow an array without bound): a run of one
 * value longer than the values left, or a bit-packed run past the data, is damage; a bit-packed
 * run's padding past the values left is skipped (DuckDB pads by more than a group).
 */
export function readHybrid(view: DataView, pos: number, end: number, width: number, out: Uint8Array | Int32Array): number {
  const n = out.length;
  const bytesPerValue = (width + 7) >> 3;
  let seen = 0;
  while (seen < n) {
    let header = 0;
    let shift = 0;
    let b: number;
    do {
      if (pos >= end || shift > 28) throw new Error('the levels or indices end early');
      b = view.getUint8(pos++);
      header += (b & 0x7f) * 2 ** shift;
      shift += 7;
    } while (b & 0x80);
    const count = Math.floor(header / 2);
    if (header % 2 === 1) {
      // Bit-packed: `count` groups of 8 values; the last group may run past the values (padding).
      // Writers pad the last run (DuckDB by more than a group): only the values left are read.
      if (pos + count * width > end) throw new Error('a bit-packed run goes past the end of the data');
      const values = Math.min(count * 8, n - seen);
      const stop = pos + count * width;
      let acc = 0;
      let bits = 0;
      for (let i = 0; i < values; i++) {
        while (bits < width) {
          acc += (pos < stop ? view.getUint8(pos) : 0) * 2 ** bits;
          pos++;
          bits += 8;
        }
        const v = acc % 2 ** width;
        acc = (acc - v) / 2 ** width;
        bits -= width;
        if (seen < n) out[seen++] = v;
      }
      pos = stop;
    } else {
      if (count > n - seen) throw new Error('a run is longer than the values left');
      if (pos + bytesPerValue > end) throw new Error('the levels or indices end early');
      let v = 0;
      for (let k = 0; k < bytesPerValue; k++) v += view.getUint8(pos++) * 2 ** (8 * k);
      const m = Math.min(count, n - seen);
      out.fill(v, seen, seen + m);
      seen += m;
    }
  }
  return pos;
}

/** Bytes per value of the plain numeric types the fast path reads. */
const PLAIN_SIZE: Partial<Record<string, number>> = { DOUBLE: 8, FLOAT: 4, INT32: 4, INT64: 8 };

/** A column chunk of one row group, decoded page by page: a ColumnRun over each data page. */
class PageReader implements ColumnRun {
  values: Float64Array = new Float64Array(0);
  codes: Uint8Array | null = null;
  pos = 0;
  end = 0;
  /** The chunk's end in the file. */
  readonly stop: number;
  private at: number;
  private window: Uint8Array = new Uint8Array(0);
  private windowAt = 0;
  private dict: { values: Float64Array; codes: Uint8Array | null } | undefined;
  private readonly kind: Kind;
  private readonly scale: number;
  private readonly maxDef: number;
  private readonly element: SchemaElement;
  private readonly cache: Map<number | bigint, number>;
  private readonly codecs: Codecs;

  constructor(
    private readonly src: RandomAccess,
    codecs: Codecs,
    private readonly scratch: Scratch,
    private readonly meta: ColumnMetaData,
    /** The schema from the root to the column (hyparquet reads the levels from it). */
    private readonly path: SchemaTree[],
    private readonly role: ColumnRole,
    private readonly keys: GroupKeys | undefined,
    private readonly unit: number,
    /** The row group's rows not yet in a page: a flat column's pages cannot hold more. */
    private rowsLeft: number,
  ) {
    const e = (this.element = path[path.length - 1].element);
    this.cache = scratch.cache;
    // Snappy into a reused buffer (hyparquet's own decoder would allocate one per page).
    this.codecs = {
      ...codecs,
      SNAPPY: (input, length) => {
        const out = scratch.u8('page', length);
        snappyUncompress(input, out);
        return out;
      },
    };
    this.kind = kindOf(e);
    const lt = e.logical_type;
    this.scale = lt?.type === 'DECIMAL' ? lt.scale : (e.scale ?? 0);
    this.maxDef = e.repetition_type === 'OPTIONAL' ? 1 : 0;
    this.at = Number(meta.dictionary_page_offset || meta.data_page_offset);
    this.stop = this.at + Number(meta.total_compressed_size);
    if (!(this.at >= 4) || !(this.stop <= src.size) || !(this.stop >= this.at)) throw this.damaged('its place in the file is outside the file');
  }

  private damaged(what: string): LossInspectorError {
    return damaged(this.src.name, `column ${quoteName(this.element.name)} of row group ${this.unit + 1}: ${what}`);
  }

  next(): boolean {
    while (this.at < this.stop) {
      const header = this.header();
      const body = this.bytes(header.compressed_page_size);
      let decoded: boolean;
      try {
        decoded = this.page(header, body);
      } catch (e) {
        if (e instanceof LossInspectorError) throw e;
        throw this.damaged(`a page cannot be decoded (${message(e)})`);
      }
      if (decoded) return true;
    }
    return false;
  }

  /** Makes window[at − windowAt, +length) hold the file's bytes from `at` (within the chunk). */
  private load(length: number): number {
    const from = this.at - this.windowAt;
    if (from >= 0 && from + length <= this.window.length) return from;
    const size = Math.min(Math.max(length, WINDOW), this.stop - this.at);
    const window = this.scratch.u8('window', size);
    for (let got = 0; got < size; ) {
      const n = this.src.read(window, got, size - got, this.at + got);
      if (n === 0) throw this.damaged('it ends before the chunk does');
      got += n;
    }
    this.window = window;
    this.windowAt = this.at;
    return 0;
  }

  /** The page header at `at` (thrift compact), moving `at` past it. */
  private header(): PageHeader {
    for (let probe = 256; ; probe *= 16) {
      const length = Math.min(probe, this.stop - this.at);
      const from = this.load(length);
      const reader = { view: new DataView(this.window.buffer, this.window.byteOffset + from, length), offset: 0 };
      let header: PageHeader;
      try {
        header = parquetHeader(reader);
      } catch (e) {
        if (length < this.stop - this.at && e instanceof RangeError) continue;
        throw this.damaged(`a page header cannot be decoded (${message(e)})`);
      }
      if (reader.offset > length) {
        if (length < this.stop - this.at) continue;
        throw this.damaged('a page header runs past the end of the chunk');
      }
      const size = header.compressed_page_size;
      if (!Number.isSafeInteger(size) || size < 0 || this.at + reader.offset + size > this.stop) throw this.damaged('a page runs past the end of the chunk');
      if (!(header.uncompressed_page_size >= 0 && header.uncompressed_page_size <= MAX_PAGE)) throw this.damaged(`a page says it holds ${header.uncompressed_page_size} bytes`);
      this.at += reader.offset;
      return header;
    }
  }

  /** The next `length` bytes (a view of the read buffer), moving `at` past them. */
  private bytes(length: number): Uint8Array {
    const from = this.load(length);
    this.at += length;
    return this.window.subarray(from, from + length);
  }

  /** Decodes one page; true for a data page (its run is then values[0, end)). */
  private page(header: PageHeader, body: Uint8Array): boolean {
    const decoder = { pathInSchema: [this.element.name], type: this.meta.type, element: this.element, schemaPath: this.path, codec: this.meta.codec, compressors: this.codecs, parsers: PARSERS };
    if (header.type === 'DICTIONARY_PAGE') {
      const dh = header.dictionary_page_header;
      if (!dh) throw this.damaged('a dictionary page has no header');
      const page = decompressPage(body, header.uncompressed_page_size, this.meta.codec, this.codecs);
      const raw = readPlain({ view: new DataView(page.buffer, page.byteOffset, page.byteLength), offset: 0 }, this.meta.type, dh.num_values, this.element.type_length);
      const d = this.convert(raw, dh.num_values);
      this.dict = { values: d.values.slice(), codes: d.codes ? d.codes.slice() : null };
      return false;
    }
    if (header.type === 'DATA_PAGE' && this.fastPage(header, body)) return true;
    let levels: number[] | undefined;
    let data: DecodedArray;
    let n: number;
    let encoding: string;
    if (header.type === 'DATA_PAGE') {
      const dp = header.data_page_header;
      if (!dp) throw this.damaged('a data page has no header');
      n = dp.num_values;
      this.checkCount(n);
      const page = decompressPage(body, header.uncompressed_page_size, this.meta.codec, this.codecs);
      // The levels checked here first: hyparquet's decoder trusts their run lengths (its reading of
      // a checked page stays within the page's values).
      if (this.maxDef > 0) this.levels({ view: new DataView(page.buffer, page.byteOffset, page.byteLength), offset: 0 }, this.scratch.u8('levels', n));
      const r = readDataPage(page, dp, decoder);
      levels = r.definitionLevels;
      data = r.dataPage;
      encoding = dp.encoding;
    } else if (header.type === 'DATA_PAGE_V2') {
      const dp = header.data_page_header_v2;
      if (!dp) throw this.damaged('a data page has no header');
      n = dp.num_values;
      this.checkCount(n);
      if (dp.num_rows !== n) throw this.damaged('a page of a flat column has more values than rows');
      const r = readDataPageV2(body, header, decoder);
      levels = r.definitionLevels;
      data = r.dataPage;
      encoding = dp.encoding;
    } else return false; // an index page
    const present = levels && levels.length ? levels.reduce((s: number, d: number) => s + (d === this.maxDef ? 1 : 0), 0) : n;
    if (data.length < present) throw this.damaged(`a page holds ${data.length} values where ${present} were expected`);
    let dense: { values: Float64Array; codes: Uint8Array | null };
    if (encoding === 'PLAIN_DICTIONARY' || encoding === 'RLE_DICTIONARY') {
      const dict = this.dict;
      if (!dict) throw this.damaged('a dictionary-encoded page comes without a dictionary');
      dense = this.lookUp(data, present, dict);
    } else dense = this.convert(data, present);
    this.spread(dense, present, n, levels ?? []);
    return true;
  }

  /** Makes the page's run: `dense` (the present values) spread over its `n` rows, NULL where the level says so. */
  private spread(dense: { values: Float64Array; codes: Uint8Array | null }, present: number, n: number, levels: ArrayLike<number>): void {
    if (present === n) {
      this.values = dense.values;
      this.codes = dense.codes;
    } else {
      const values = this.scratch.f64('rows', n);
      const codes = this.scratch.u8('codes', n);
      for (let i = 0, j = 0; i < n; i++) {
        if (levels[i] === this.maxDef) {
          values[i] = dense.values[j];
          codes[i] = dense.codes ? dense.codes[j] : R_OK;
          j++;
        } else codes[i] = nullInto(this.role, this.keys, values, i);
      }
      this.values = values;
      this.codes = this.role === 'group' ? null : codes;
    }
    this.pos = 0;
    this.end = n;
  }

  /**
   * A v1 data page of plain numbers or dictionary indices, decoded here into the column's reused
   * buffers (hyparquet's decoder makes JavaScript arrays of the levels and indices, which took
   * tens of MB of heap on large files); false for the other encodings, left to hyparquet.
   */
  private fastPage(header: PageHeader, body: Uint8Array): boolean {
    const dp = header.data_page_header;
    if (!dp) return false;
    const dictionary = dp.encoding === 'PLAIN_DICTIONARY' || dp.encoding === 'RLE_DICTIONARY';
    const size = PLAIN_SIZE[this.meta.type];
    const plain = dp.encoding === 'PLAIN' && size !== undefined && this.role === 'number';
    if (!dictionary && !plain) return false;
    const n = dp.num_values;
    this.checkCount(n);
    const page = decompressPage(body, header.uncompressed_page_size, this.meta.codec, this.codecs);
    const reader = { view: new DataView(page.buffer, page.byteOffset, page.byteLength), offset: 0 };
    let present = n;
    let levels: Uint8Array = NO_LEVELS;
    if (this.maxDef > 0) {
      levels = this.scratch.u8('levels', n);
      present = this.levels(reader, levels);
    }
    let dense: { values: Float64Array; codes: Uint8Array | null };
    if (dictionary) {
      const dict = this.dict;
      if (!dict) throw this.damaged('a dictionary-encoded page comes without a dictionary');
      const width = page[reader.offset++];
      if (!(width <= 32)) throw this.damaged(`a dictionary page has indices of ${width} bits`);
      const indices = this.scratch.i32('indices', present);
      if (width === 0) indices.fill(0);
      else if (present > 0) readHybrid(reader.view, reader.offset, page.length, width, indices);
      dense = this.lookUp(indices, present, dict);
    } else {
      const bytes = present * (size as number);
      if (reader.offset + bytes > page.length) throw this.damaged(`a page holds fewer than its ${present} values`);
      const at = page.byteOffset + reader.offset;
      // An aligned view of the values, or a copy into an aligned buffer.
      let buffer: ArrayBufferLike = page.buffer;
      let offset = at;
      if (at % (size as number) !== 0) {
        const copy = this.scratch.f64('aligned', Math.ceil(bytes / 8));
        new Uint8Array(copy.buffer, copy.byteOffset, bytes).set(page.subarray(reader.offset, reader.offset + bytes));
        buffer = copy.buffer;
        offset = copy.byteOffset;
      }
      const t = this.meta.type;
      const raw = t === 'DOUBLE' ? new Float64Array(buffer, offset, present) : t === 'FLOAT' ? new Float32Array(buffer, offset, present) : t === 'INT32' ? new Int32Array(buffer, offset, present) : new BigInt64Array(buffer, offset, present);
      dense = this.convert(raw, present);
    }
    this.spread(dense, present, n, levels);
    return true;
  }

  /** A v1 page's definition levels (a 4-byte length, then the hybrid) into `levels`; the count of non-NULL values. */
  private levels(reader: { view: DataView; offset: number }, levels: Uint8Array): number {
    const length = reader.view.getUint32(reader.offset, true);
    const end = reader.offset + 4 + length;
    if (end > reader.view.byteLength) throw this.damaged('its definition levels run past the page');
    readHybrid(reader.view, reader.offset + 4, end, 1, levels);
    reader.offset = end;
    let present = 0;
    for (let i = 0; i < levels.length; i++) {
      if (levels[i] > 1) throw this.damaged('a definition level is out of range');
      present += levels[i];
    }
    return present;
  }

  private checkCount(n: number): void {
    if (!Number.isSafeInteger(n) || n < 0 || n > this.rowsLeft) throw this.damaged(`a page says it holds ${n} values, more than the ${this.rowsLeft} rows left in the row group`);
    this.rowsLeft -= n;
  }

  /** Dictionary indices to the dictionary's values. */
  private lookUp(indices: DecodedArray, n: number, dict: { values: Float64Array; codes: Uint8Array | null }): { values: Float64Array; codes: Uint8Array | null } {
    const values = this.scratch.f64('dense', n);
    const codes = dict.codes ? this.scratch.u8('denseCodes', n) : null;
    const size = dict.values.length;
    for (let i = 0; i < n; i++) {
      const k = Number(indices[i]);
      if (!(k >= 0 && k < size)) throw this.damaged(`a value refers to an entry outside its dictionary of ${size}`);
      values[i] = dict.values[k];
      if (codes) codes[i] = (dict.codes as Uint8Array)[k];
    }
    return { values, codes };
  }

  /** The first `n` physical values as numbers or ids, with their skip codes. */
  private convert(raw: DecodedArray, n: number): { values: Float64Array; codes: Uint8Array | null } {
    if (this.role !== 'number') return this.intern(raw, n);
    const kind = this.kind;
    if (kind === Kind.Float && raw instanceof Float64Array) {
      const values = raw.length === n ? raw : raw.subarray(0, n);
      return { values, codes: finiteCodes(values, n) };
    }
    const values = this.scratch.f64('dense', n);
    let codes: Uint8Array | null = null;
    const scale = this.scale;
    for (let i = 0; i < n; i++) {
      const x = raw[i];
      switch (kind) {
        case Kind.Float:
        case Kind.Int32:
          values[i] = x as number;
          break;
        case Kind.Uint32:
          values[i] = (x as number) >>> 0;
          break;
        case Kind.Int64:
          values[i] = Number(x as bigint);
          break;
        case Kind.Uint64:
          values[i] = Number(BigInt.asUintN(64, x as bigint));
          break;
        case Kind.Bool:
          values[i] = x ? 1 : 0;
          break;
        case Kind.Decimal:
          values[i] = decimalValue(BigInt(x as number | bigint), scale);
          break;
        case Kind.DecimalBytes:
          values[i] = decimalValue(bigEndianSigned(x as Uint8Array), scale);
          break;
        case Kind.Float16:
          values[i] = half(x as Uint8Array);
          break;
        case Kind.Bytes: {
          const b = x as Uint8Array;
          const code = textNumber(b, 0, b.length, values, i);
          if (code !== R_OK) {
            codes ??= new Uint8Array(n);
            codes[i] = code;
          }
          break;
        }
      }
    }
    if (kind === Kind.Bytes) return { values, codes };
    return { values, codes: finiteCodes(values, n) };
  }

  /** Labels and group values: interned ids. */
  private intern(raw: DecodedArray, n: number): { values: Float64Array; codes: Uint8Array | null } {
    const keys = this.keys as GroupKeys;
    const role = this.role;
    const values = this.scratch.f64('dense', n);
    const codes = this.scratch.u8('denseCodes', n);
    let bad = false;
    const kind = this.kind;
    for (let i = 0; i < n; i++) {
      const x = raw[i];
      let code: number;
      if (kind === Kind.Bytes) {
        const b = x as Uint8Array;
        code = internBytes(role, keys, b, 0, b.length, values, i);
      } else if (kind === Kind.Bool) code = internText(role, keys, x ? 'true' : 'false', values, i);
      else if (kind === Kind.Decimal) code = internNumber(role, keys, decimalValue(BigInt(x as number | bigint), this.scale), values, i, this.cache);
      else if (kind === Kind.DecimalBytes) code = internNumber(role, keys, decimalValue(bigEndianSigned(x as Uint8Array), this.scale), values, i, this.cache);
      else if (kind === Kind.Float16) code = internNumber(role, keys, half(x as Uint8Array), values, i, this.cache);
      else if (kind === Kind.Uint32) code = internNumber(role, keys, (x as number) >>> 0, values, i, this.cache);
      else if (kind === Kind.Uint64) code = internNumber(role, keys, BigInt.asUintN(64, x as bigint), values, i, this.cache);
      else code = internNumber(role, keys, x as number | bigint, values, i, this.cache);
      codes[i] = code;
      if (code !== R_OK) bad = true;
    }
    return { values, codes: bad ? codes : null };
  }
}

/** hyparquet's parsers are used only by its `convert`, which this reader does not call. */
const PARSERS = {} as Parameters<typeof readDataPage>[2]['parsers'];

const NO_LEVELS = new Uint8Array(0);
