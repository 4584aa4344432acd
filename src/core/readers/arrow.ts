/**
 * Arrow IPC files: the file format (Feather v2, `.arrow`, `.feather`) and the stream format
 * (`.arrows`, `.ipc`), read with apache-arrow's stream reader, one record batch at a time: the
 * messages are found here by walking their length prefixes, and each range's reader is fed the
 * schema, the dictionaries and that range's record batches, read from the file as it asks for
 * them (never the whole file). Compressed bodies (LZ4 frame, what pandas' `to_feather` writes by
 * default, and ZSTD) are decompressed by codecs registered with apache-arrow: lz4js and fzstd.
 *
 * Record batches are the units of columnar.ts. Values: as Parquet's (parquet.ts): floats as they
 * are, integers and decimals as numbers, booleans as 1 and 0, text parsed as in a text file, a
 * null an empty value; labels and groups from text, integers and booleans, and from dictionary
 * (pandas categorical) columns through their dictionary.
 */
import { compressionRegistry, CompressionType, Data, DataType, Field, RecordBatch, RecordBatchReader, Type, Vector } from 'apache-arrow';
import { FileBlock, Footer } from 'apache-arrow/ipc/metadata/file';
import { Message } from 'apache-arrow/ipc/metadata/message';
import { DictionaryBatch as FbDictionaryBatch } from 'apache-arrow/fb/dictionary-batch';
import { Message as FbMessage } from 'apache-arrow/fb/message';
import { MessageHeader } from 'apache-arrow/fb/message-header';
import { RecordBatch as FbRecordBatch } from 'apache-arrow/fb/record-batch';
import { ByteBuffer } from 'flatbuffers';
import { decompressBlock } from 'lz4js';
import { decompress as zstd } from 'fzstd';
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
  halfFloat,
  internBytes,
  internNumber,
  internText,
  libraryMessage,
  MAX_UNIT_ROWS,
  nullInto,
  numberCode,
  RandomAccess,
  readExactly,
  textNumber,
  unsupportedColumn,
} from './columnar';
import { R_OK } from './fields';

compressionRegistry.set(CompressionType.LZ4_FRAME, { decode: lz4Frame });
compressionRegistry.set(CompressionType.ZSTD, { decode: (b: Uint8Array) => zstd(b) });

const LZ4_BLOCK_MAX: Partial<Record<number, number>> = { 4: 1 << 16, 5: 1 << 18, 6: 1 << 20, 7: 1 << 22 };

/**
 * One LZ4 frame (an Arrow LZ4_FRAME buffer), its blocks decoded by lz4js. The frame is walked
 * here with every length checked against the input: lz4js's own frame loop trusts the lengths,
 * and a damaged one made it copy for seconds (found by test/unit/columnarFuzz.test.ts).
 */
export function lz4Frame(src: Uint8Array): Uint8Array {
  const bad = (what: string) => new Error(`a damaged LZ4 frame (${what})`);
  const u32 = (i: number) => (src[i] | (src[i + 1] << 8) | (src[i + 2] << 16) | (src[i + 3] << 24)) >>> 0;
  if (src.length < 7 || u32(0) !== 0x184d2204) throw bad('no LZ4 signature');
  const flags = src[4];
  if ((flags & 0xc0) !== 0x40) throw bad('an unknown version');
  const max = LZ4_BLOCK_MAX[(src[5] >> 4) & 7];
  if (max === undefined) throw bad('an unknown block size');
  let i = 7 + (flags & 8 ? 8 : 0);
  const blockSum = (flags & 0x10) !== 0;
  const blocks: number[] = [];
  let bound = 0;
  for (;;) {
    if (i + 4 > src.length) throw bad('it was cut short');
    const word = u32(i);
    i += 4;
    if (word === 0) break;
    const size = word & 0x7fffffff;
    if (size > max || i + size > src.length) throw bad('a block runs past its end');
    blocks.push(i, size, word >>> 31);
    bound += word >>> 31 ? size : max;
    i += size + (blockSum ? 4 : 0);
  }
  // LZ4 expands at most ~255:1.
  const dst = new Uint8Array(Math.min(bound, 255 * src.length + max));
  let d = 0;
  for (let k = 0; k < blocks.length; k += 3) {
    const [at, size, raw] = [blocks[k], blocks[k + 1], blocks[k + 2]];
    if (raw) {
      if (d + size > dst.length) throw bad('it holds more than it can');
      dst.set(src.subarray(at, at + size), d);
      d += size;
    } else d = decompressBlock(src, dst, at, size, d);
  }
  if (!(d <= dst.length)) throw bad('it holds more than it can');
  return dst.subarray(0, d);
}

const MAGIC = [0x41, 0x52, 0x52, 0x4f, 0x57, 0x31]; // ARROW1

/** Whether the first bytes are an Arrow IPC file's (`ARROW1`) or stream's (a continuation marker). */
export function isArrowMagic(head: Uint8Array): boolean {
  return MAGIC.every((b, i) => head[i] === b);
}

function damaged(file: string, what: string): LossInspectorError {
  return new LossInspectorError('corrupt', `'${file}' is not a valid Arrow IPC (Feather) file: ${what}; is it complete?`, { file });
}

const message = libraryMessage;

/** An IPC message's place in the file. */
interface Block {
  offset: number;
  /** Prefix, metadata and body. */
  length: number;
  kind: 'schema' | 'dictionary' | 'batch';
  rows: number;
  /** The message itself, when it is not in the file (the file format's schema, from its footer). */
  bytes?: Uint8Array;
}

/** A message's metadata as a stream holds it: continuation marker, padded length, metadata, padding. */
function frame(meta: Uint8Array): Uint8Array {
  const padded = (meta.length + 7) & ~7;
  const out = new Uint8Array(8 + padded);
  const v = new DataView(out.buffer);
  v.setInt32(0, -1, true);
  v.setInt32(4, padded, true);
  out.set(meta, 8);
  return out;
}

/** A unit (a record batch): where it starts, and its rows. */
export interface ArrowUnit {
  start: number;
  rows: number;
}

/** The longest message metadata taken for real. */
const MAX_METADATA = 1 << 28;

export class ArrowFile {
  readonly units: ArrowUnit[] = [];
  private readonly blocks: Block[] = [];
  private readonly fields: Field[];

  constructor(private readonly src: RandomAccess) {
    const file = src.name;
    if (src.size < 8) throw damaged(file, `it is ${src.size} bytes long`);
    const head = readExactly(src, 0, 8, () => damaged(file, 'its start cannot be read'));
    if (isArrowMagic(head)) this.readFooter();
    else this.walk(0, src.size);
    if (this.blocks.length === 0 || this.blocks[0].kind !== 'schema') throw damaged(file, 'it holds no schema');
    this.fields = this.reader([]).schema.fields;
    if (!this.fields.every((f) => typeof f.name === 'string' && f.type instanceof DataType)) throw damaged(file, 'its schema is damaged');
  }

  /**
   * The file format: the footer lists the dictionaries and record batches, and holds the schema
   * (apache-arrow's writer, for one, writes it only there); the schema is encoded back into a
   * message to start the stream its reader is fed.
   */
  private readFooter(): void {
    const src = this.src;
    const file = src.name;
    const tail = readExactly(src, src.size - 6, 6, () => damaged(file, 'its end cannot be read'));
    if (!isArrowMagic(tail) || src.size < 18) throw damaged(file, 'it does not end with the Arrow signature ARROW1, so it was probably cut short');
    const footerLength = new DataView(readExactly(src, src.size - 10, 4, () => damaged(file, 'its footer cannot be read')).buffer).getInt32(0, true);
    if (footerLength <= 0 || footerLength > src.size - 18) throw damaged(file, `its footer says it is ${footerLength} bytes`);
    const end = src.size - 10 - footerLength;
    let footer: Footer;
    try {
      footer = Footer.decode(readExactly(src, end, footerLength, () => damaged(file, 'its footer cannot be read')));
    } catch (e) {
      throw damaged(file, `its footer cannot be decoded (${message(e)})`);
    }
    // Footer.decode reads lazily: a damaged schema or block list throws only here (a block offset
    // beyond 2^53, say, as apache-arrow's own TypeError).
    let schema: Uint8Array;
    const listed: { b: FileBlock; kind: Block['kind'] }[] = [];
    try {
      schema = frame(Message.encode(Message.from(footer.schema)));
      for (const b of footer.dictionaryBatches()) listed.push({ b, kind: 'dictionary' });
      for (const b of footer.recordBatches()) listed.push({ b, kind: 'batch' });
    } catch (e) {
      throw damaged(file, `its footer cannot be decoded (${message(e)})`);
    }
    this.blocks.push({ offset: -1, length: schema.length, kind: 'schema', rows: 0, bytes: schema });
    listed.sort((x, y) => Number(x.b.offset) - Number(y.b.offset));
    for (const { b, kind } of listed) {
      const at = Number(b.offset);
      const found = this.message(at, end);
      if (found.kind !== kind || found.length !== Number(b.metaDataLength) + Number(b.bodyLength)) throw damaged(file, `the footer does not match the message at byte ${at}`);
      this.add(found);
    }
  }

  /** The stream format: messages one after the other until the end-of-stream marker or the file's end. */
  private walk(at: number, end: number): void {
    while (at + 4 <= end) {
      const m = this.message(at, end);
      if (m.length === 0) break;
      this.add(m);
      at += m.length;
    }
  }

  private add(b: Block): void {
    if (b.kind === 'schema' && this.blocks.length > 0) throw damaged(this.src.name, 'it has a second schema');
    if (b.kind !== 'schema' && this.blocks.length === 0) throw damaged(this.src.name, 'it does not start with a schema');
    if (b.kind === 'batch') {
      if (this.units.length >= 1 << 21) throw damaged(this.src.name, 'it has more than 2^21 record batches');
      this.units.push({ start: b.offset, rows: b.rows });
    }
    this.blocks.push(b);
  }

  /**
   * The message at `at`: a continuation marker (0xFFFFFFFF) and the metadata length, or (before
   * Arrow 0.15) the length alone, then the metadata and the body. Length 0: the end of the stream.
   */
  private message(at: number, end: number): Block {
    const src = this.src;
    const file = src.name;
    const cut = () => damaged(file, `it ends inside the message at byte ${at} (it was cut short)`);
    const prefix = new DataView(readExactly(src, at, Math.min(8, end - at), cut).buffer);
    let metaAt = at + 4;
    let metaLength = prefix.getInt32(0, true);
    if (metaLength === -1) {
      if (prefix.byteLength < 8) throw cut();
      metaLength = prefix.getInt32(4, true);
      metaAt = at + 8;
    }
    if (metaLength === 0) return { offset: at, length: 0, kind: 'schema', rows: 0 };
    if (metaLength < 0 || metaLength > MAX_METADATA || metaAt + metaLength > end) throw damaged(file, `the message at byte ${at} says it is ${metaLength} bytes long`);
    let msg: Message;
    let rows: number;
    let kind: Block['kind'] | undefined;
    try {
      const meta = readExactly(src, metaAt, metaLength, cut);
      checkCounts(meta, file, at);
      msg = Message.decode(meta);
      kind = msg.isSchema() ? 'schema' : msg.isDictionaryBatch() ? 'dictionary' : msg.isRecordBatch() ? 'batch' : undefined;
      rows = kind === 'batch' ? batchLength(msg) : 0;
    } catch (e) {
      if (e instanceof LossInspectorError) throw e;
      throw damaged(file, `the message at byte ${at} cannot be decoded (${message(e)})`);
    }
    const body = Number(msg.bodyLength);
    const length = metaAt + metaLength - at + body;
    if (!(body >= 0) || at + length > end) throw cut();
    if (!kind) throw damaged(file, `the message at byte ${at} is of an unknown type`);
    if (!(rows >= 0) || rows > MAX_UNIT_ROWS) throw damaged(file, `the record batch at byte ${at} says it has ${rows} rows`);
    return { offset: at, length, kind, rows };
  }

  names(): string[] {
    return this.fields.map((f) => f.name);
  }

  /** A stream reader over the schema, the dictionaries before each wanted batch, and the batches `wanted` (by offset). */
  private reader(wanted: Block[]): RecordBatchReader {
    const src = this.src;
    const blocks = this.blocks;
    const last = wanted.length ? wanted[wanted.length - 1].offset : blocks[0].offset;
    const want = new Set(wanted.map((b) => b.offset));
    function* messages(): Generator<Uint8Array> {
      for (const b of blocks) {
        if (b.offset > last) break;
        if (b.kind === 'batch' && !want.has(b.offset)) continue;
        yield b.bytes ?? readExactly(src, b.offset, b.length, () => damaged(src.name, `it ends inside the message at byte ${b.offset}`));
      }
    }
    try {
      const r = RecordBatchReader.from(messages());
      r.open();
      return r as RecordBatchReader;
    } catch (e) {
      if (e instanceof LossInspectorError) throw e;
      throw damaged(src.name, `its schema cannot be read (${message(e)})`);
    }
  }

  /** Reads the record batches that start in [start, stopAt) into `sink`, rows numbered from 1; returns their rows. */
  scan(spec: ReadSpec, keys: RangeKeys, sink: RowSink, start: number, stopAt: number, onProgress?: (offset: number) => void): number {
    const file = this.src.name;
    const roles: { name: string; role: ColumnRole; keys?: GroupKeys }[] = spec.numbers.map((name, s) => ({ name, role: s === spec.categorical ? 'label' : 'number', keys: s === spec.categorical ? keys.labels : undefined }));
    if (spec.groupBy !== undefined && keys.groups) roles.push({ name: spec.groupBy, role: 'group', keys: keys.groups });
    const index = roles.map((w) => {
      const i = this.fields.findIndex((f) => f.name === w.name);
      if (i < 0) throw new LossInspectorError('unknownColumn', `'${file}' has no column ${quoteName(w.name)}.`, { file });
      const why = unreadable(this.fields[i].type);
      if (why) throw unsupportedColumn(file, w.name, why);
      return i;
    });
    const batches = this.blocks.filter((b) => b.kind === 'batch');
    const wanted = batches.filter((b) => b.offset >= start && b.offset < stopAt);
    if (wanted.length === 0) return 0;
    const reader = this.reader(wanted);
    const vals = new Float64Array(spec.numbers.length);
    const caches = roles.map(() => new Map<number | bigint, number>());
    let rows = 0;
    for (const b of wanted) {
      const u = batches.indexOf(b);
      let batch;
      try {
        const r = reader.next() as IteratorResult<RecordBatch>;
        if (r.done) throw new Error('the batch is missing');
        batch = r.value;
      } catch (e) {
        if (e instanceof LossInspectorError) throw e;
        throw damaged(file, `the record batch at byte ${b.offset} cannot be read (${message(e)})`);
      }
      if (batch.numRows !== b.rows) throw damaged(file, `the record batch at byte ${b.offset} has ${batch.numRows} rows where its header says ${b.rows}`);
      const runs = roles.map((w, k) => {
        const child = batch.getChildAt(index[k]);
        if (!child) throw damaged(file, `the record batch at byte ${b.offset} has no column ${quoteName(w.name)}`);
        try {
          return new BatchColumn(child, w.role, w.keys, caches[k], file, w.name);
        } catch (e) {
          if (e instanceof LossInspectorError) throw e;
          throw damaged(file, `the column ${quoteName(w.name)} of the record batch at byte ${b.offset} cannot be read (${message(e)})`);
        }
      });
      const cols = runs.slice(0, spec.numbers.length);
      const group = spec.groupBy !== undefined && keys.groups ? runs[spec.numbers.length] : undefined;
      emitUnit(cols, spec.categorical ?? -1, group, sink, vals, u, b.rows, rows + 1, () => `The record batch at byte ${b.offset} of '${file}'`);
      rows += b.rows;
      onProgress?.(b.offset + b.length);
    }
    return rows;
  }
}

/**
 * Refuses a record or dictionary batch whose field-node or buffer counts cannot fit in its
 * metadata: apache-arrow decodes them all before anything else is checked, and a damaged count
 * took seconds (found by test/unit/columnarFuzz.test.ts). Each node and buffer is 16 bytes.
 */
function checkCounts(meta: Uint8Array, file: string, at: number): void {
  const m = FbMessage.getRootAsMessage(new ByteBuffer(meta));
  const type = m.headerType();
  let rb: FbRecordBatch | null = null;
  if (type === MessageHeader.RecordBatch) rb = m.header(new FbRecordBatch()) as FbRecordBatch | null;
  else if (type === MessageHeader.DictionaryBatch) rb = (m.header(new FbDictionaryBatch()) as FbDictionaryBatch | null)?.data() ?? null;
  if (rb && (rb.nodesLength() * 16 > meta.length || rb.buffersLength() * 16 > meta.length)) throw damaged(file, `the message at byte ${at} is damaged (it lists more buffers than it can hold)`);
}

function batchLength(msg: Message): number {
  return (msg.header() as unknown as { length: number }).length;
}

/** Why a column of this type cannot be read, or undefined. */
function unreadable(type: DataType): string | undefined {
  switch (type.typeId) {
    case Type.Int:
    case Type.Float:
    case Type.Bool:
    case Type.Decimal:
    case Type.Utf8:
    case Type.LargeUtf8:
    case Type.Null:
      return undefined;
    case Type.Dictionary:
      return unreadable((type as unknown as { dictionary: DataType }).dictionary);
    case Type.List:
    case Type.LargeList:
    case Type.FixedSizeList:
      return 'lists (one array per row)';
    case Type.Struct:
      return 'structs (nested columns)';
    case Type.Map:
      return 'maps';
    case Type.Union:
      return 'unions';
    case Type.Date:
      return 'dates';
    case Type.Time:
      return 'times of day';
    case Type.Timestamp:
      return 'timestamps';
    case Type.Interval:
    case Type.Duration:
      return 'durations or intervals';
    default:
      return 'binary values';
  }
}

/** One column of one record batch: a single run. */
class BatchColumn implements ColumnRun {
  values: Float64Array;
  codes: Uint8Array | null;
  pos = 0;
  end: number;

  constructor(vector: Vector, role: ColumnRole, keys: GroupKeys | undefined, cache: Map<number | bigint, number>, file: string, name: string) {
    const n = vector.length;
    const values = new Float64Array(n);
    const codes = new Uint8Array(n);
    let at = 0;
    let bad = false;
    for (const data of vector.data) {
      if (convertData(data, role, keys, cache, values, codes, at)) bad = true;
      at += data.length;
    }
    if (at !== n) throw damaged(file, `the column ${quoteName(name)} has ${at} values where ${n} were expected`);
    this.values = values;
    this.codes = bad ? codes : null;
    this.end = n;
  }

  next(): boolean {
    return false;
  }
}

/** Converts `data` into values[at…] and codes[at…]; true when a code is not R_OK. */
function convertData(data: Data, role: ColumnRole, keys: GroupKeys | undefined, cache: Map<number | bigint, number>, values: Float64Array, codes: Uint8Array, at: number): boolean {
  const n = data.length;
  const off = data.offset;
  const bitmap = data.nullCount > 0 ? (data.nullBitmap as Uint8Array | undefined) : undefined;
  const valid = (i: number) => !bitmap || bitmap.length === 0 || ((bitmap[(off + i) >> 3] >> ((off + i) & 7)) & 1) === 1;
  let bad = false;
  const put = (i: number, code: number) => {
    codes[at + i] = code;
    if (code !== R_OK) bad = true;
  };
  const type = data.type;
  if (type.typeId === Type.Null) {
    for (let i = 0; i < n; i++) put(i, nullInto(role, keys, values, at + i));
    return bad;
  }
  if (type.typeId === Type.Dictionary) {
    const dict = data.dictionary;
    if (!dict) throw new Error('a dictionary column has no dictionary');
    const dn = dict.length;
    const dv = new Float64Array(dn);
    const dc = new Uint8Array(dn);
    let at2 = 0;
    for (const d of dict.data) {
      convertData(d, role, keys, cache, dv, dc, at2);
      at2 += d.length;
    }
    const idx = data.values as ArrayLike<number | bigint>;
    for (let i = 0; i < n; i++) {
      if (!valid(i)) {
        put(i, nullInto(role, keys, values, at + i));
        continue;
      }
      const k = Number(idx[off + i]);
      if (!(k >= 0 && k < dn)) throw new Error(`a value refers to an entry outside its dictionary of ${dn}`);
      values[at + i] = dv[k];
      put(i, dc[k]);
    }
    return bad;
  }
  const v = data.values as ArrayLike<number | bigint>;
  const text = type.typeId === Type.Utf8 || type.typeId === Type.LargeUtf8;
  const offsets = text ? (data.valueOffsets as ArrayLike<number | bigint>) : undefined;
  const bytes = data.values as Uint8Array;
  const decimal = type.typeId === Type.Decimal ? (type as unknown as { scale: number; bitWidth: number }) : undefined;
  const words = decimal ? decimal.bitWidth / 32 : 0;
  const half = type.typeId === Type.Float && (type as unknown as { precision: number }).precision === 0;
  for (let i = 0; i < n; i++) {
    const o = at + i;
    if (!valid(i)) {
      put(i, nullInto(role, keys, values, o));
      continue;
    }
    const j = off + i;
    if (offsets) {
      const a = Number(offsets[j]);
      const b = Number(offsets[j + 1]);
      put(i, role === 'number' ? textNumber(bytes, a, b, values, o) : internBytes(role, keys as GroupKeys, bytes, a, b, values, o));
      continue;
    }
    let x: number | bigint;
    if (type.typeId === Type.Bool) {
      const bit = ((bytes[j >> 3] >> (j & 7)) & 1) === 1;
      if (role !== 'number') {
        put(i, internText(role, keys as GroupKeys, bit ? 'true' : 'false', values, o));
        continue;
      }
      x = bit ? 1 : 0;
    } else if (decimal) {
      // Little-endian two's complement words: reverse into big-endian bytes.
      const w = v as ArrayLike<number>;
      const be = new Uint8Array(words * 4);
      for (let q = 0; q < words; q++) {
        const word = w[j * words + q] >>> 0;
        const base = (words - 1 - q) * 4;
        be[base] = word >>> 24;
        be[base + 1] = (word >>> 16) & 0xff;
        be[base + 2] = (word >>> 8) & 0xff;
        be[base + 3] = word & 0xff;
      }
      x = decimalValue(bigEndianSigned(be), decimal.scale);
    } else if (half) x = halfFloat(v[j] as number);
    else x = v[j];
    if (role === 'number') {
      values[o] = Number(x);
      put(i, numberCode(values[o]));
    } else put(i, internNumber(role, keys as GroupKeys, x, values, o, cache));
  }
  return bad;
}
