import { crToLf, delimiterName, detectDialect, isNumericRecord, leadingComments, parseRecords } from '../core/readers/csvHead';
import { LossInspectorError } from '../core/errors';
import { JsonColumnsScanner } from '../core/readers/jsonColumns';
import { peekJsonWhole } from '../core/readers/jsonHead';
import type { FileInfo } from '../core/fileInfo';
import type { FileFormat } from '../core/fileInfo';
import type { CsvDialect } from '../core/readers/csvHead';
import { isArrowMagic } from '../core/readers/arrow';
import { isParquetMagic } from '../core/readers/parquet';
import { inspectColumnar, isColumnar } from './columnar';
import { withoutCompression } from './compressed';
import { pump } from './pump';
import { ByteSource } from './source';

/** Bytes read up front to detect the format, dialect and columns. */
export const HEAD_BYTES = 1 << 20;

export type { FileInfo };

/** The format a file name calls for; a compressed file's from the name inside (`x.csv.gz`: csv). */
export function formatFromName(name: string): FileFormat | undefined {
  const m = /\.([A-Za-z0-9]+)$/.exec(withoutCompression(name));
  const ext = m ? m[1].toLowerCase() : '';
  if (ext === 'csv' || ext === 'txt') return 'csv';
  if (ext === 'tsv' || ext === 'tab') return 'tsv';
  if (ext === 'json') return 'json';
  if (ext === 'jsonl' || ext === 'ndjson') return 'jsonl';
  if (ext === 'parquet' || ext === 'parq' || ext === 'pq') return 'parquet';
  if (ext === 'arrow' || ext === 'feather' || ext === 'ipc' || ext === 'arrows') return 'arrow';
  return undefined;
}

/** The longest first JSON record whose keys are looked for (as scan.ts's MAX_RECORD). */
const MAX_FIRST_RECORD = 1 << 30;

export function readHead(src: ByteSource, bytes = HEAD_BYTES): { head: Uint8Array; length: number; eof: boolean } {
  const head = new Uint8Array(Math.min(bytes, Math.max(src.size, 1)));
  let length = 0;
  let ended = false;
  while (length < head.length) {
    const n = src.read(head, length, head.length - length, length);
    if (n === 0) {
      ended = true; // the end (a compressed file's size is not known up front)
      break;
    }
    length += n;
  }
  return { head, length, eof: ended || length >= src.size };
}

export function inspectFile(src: ByteSource): FileInfo {
  const file = src.name;
  if (src.size === 0) {
    // A size of 0 is not always an empty file: /proc and /sys files report 0 and have content.
    // Those are generated as they are read (their size and content can change between reads), so
    // they are not read as data: a copy is.
    if (src.read(new Uint8Array(1), 0, 1, 0) > 0) {
      throw new LossInspectorError(
        'notAFile',
        `'${file}' reports a size of 0 bytes but has content (a file generated as it is read, as in /proc or /sys); copy it to a regular file and compute the loss of the copy.`,
        { file },
      );
    }
    throw new LossInspectorError('emptyFile', `'${file}' is empty.`, { file });
  }
  const byName = formatFromName(file);
  if (byName && isColumnar(byName)) return inspectColumnar(src, byName);
  const { head, length, eof } = readHead(src);
  if (length === 0 && eof) throw new LossInspectorError('emptyFile', `'${file}' is empty (once decompressed).`, { file });
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) {
    throw new LossInspectorError('utf16', `'${file}' is encoded as UTF-16; save it as UTF-8 (or ASCII) and try again.`, { file });
  }
  let start = 0;
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) start = 3;
  const nul = head.subarray(0, length).indexOf(0);
  if (nul >= 0) {
    const line = countLines(head, nul) + 1;
    const packed = head[0] === 0x1f && head[1] === 0x8b ? 'gzip' : head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd ? 'zstd' : '';
    const columnar = isParquetMagic(head) ? 'Parquet' : isArrowMagic(head) ? 'Arrow IPC (Feather)' : '';
    if (columnar) {
      throw new LossInspectorError('binary', `'${file}' is a ${columnar} file under a name without '.${columnar === 'Parquet' ? 'parquet' : 'arrow'}': rename it with that extension and try again.`, { file });
    }
    if (packed) {
      throw new LossInspectorError('binary', `'${file}' is ${packed}-compressed text under a name without '.${packed === 'gzip' ? 'gz' : 'zst'}': add that suffix to its name and try again.`, { file });
    }
    throw new LossInspectorError('binary', `'${file}' looks like a binary file (a NUL byte on line ${line}), not CSV or JSON text.`, { file, line });
  }
  let onlyBlank = true;
  for (let i = start; i < length; i++) {
    const c = head[i];
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13) {
      onlyBlank = false;
      break;
    }
  }
  // A head of only whitespace: the rest of the file decides (over 1 MiB of newlines was "first line longer than 1 MiB").
  if (onlyBlank && (eof || isBlankFrom(src, length))) {
    throw new LossInspectorError('emptyFile', `'${file}' is empty (it holds only whitespace${start ? ' and a byte-order mark' : ''}).`, { file });
  }

  let format: FileFormat = byName ?? sniffFormat(head, start, length);
  const notes: string[] = [];
  if (format === 'json' && sniffFormat(head, start, length) === 'jsonl') {
    // pandas `to_json(lines=True)` and Hugging Face `Dataset.to_json` write JSON Lines under `.json`.
    format = 'jsonl';
    notes.push(`'${file}' holds JSON Lines (one object per line) although its name ends in .json; it was read as JSON Lines.`);
  }
  if (format === 'json' || format === 'jsonl') {
    let peek = peekJsonWhole(head.subarray(0, length), length, file, format === 'jsonl');
    if (!peek.complete && !eof) {
      // The first record (or the whole columnar object) goes on past the head: its keys may be
      // missing from `peek.columns`. Columnar files: collect the arrays' names in a streaming pass
      // (values are not stored). Records: re-read a growing head until the first record ends.
      if (format === 'json' && (peek.shape === 'columns' || peek.shape === 'objects')) peek = { ...peek, columns: columnNames(src, peek.shape === 'objects') };
      else {
        for (let size = 2 * HEAD_BYTES; !peek.complete; size *= 2) {
          if (size > MAX_FIRST_RECORD) {
            throw new LossInspectorError('recordTooLong', `The first record of '${file}' is longer than 1 GiB.`, { file, line: 1 });
          }
          const more = readHead(src, size);
          peek = peekJsonWhole(more.head, more.length, file, format === 'jsonl');
          if (more.eof) break;
        }
      }
    }
    return {
      format,
      columns: peek.columns,
      dataStart: 0,
      dataStartLine: 1,
      jsonShape: format === 'json' ? peek.shape : 'records',
      ...(peek.arrays.length ? { arrays: peek.arrays } : {}),
      preview: [],
      headerless: false,
      ...(notes.length ? { notes } : {}),
    };
  }
  // Old Mac line endings (CR only, no LF in the head): read each CR as a LF, here and in the scanner.
  const crOnly = head.subarray(start, length).indexOf(10) < 0 && head.subarray(start, length).indexOf(13) >= 0;
  if (crOnly) crToLf(head, start, length);
  // Leading `#` comment lines (numpy's header among them): the file's lines start after them.
  const comments = leadingComments(head, start, length);
  const commentLines = countLines(head, comments.end, start);
  start = comments.end;
  const dialect = detectDialect(head.subarray(start, length), length - start, format === 'tsv', eof);
  if (crOnly) dialect.crOnly = true;
  const parsed = parseRecords(head, start, length, eof, dialect, 6, file);
  if (parsed.records.length === 0) {
    if (!eof && onlyBlank) {
      throw new LossInspectorError('recordTooLong', `'${file}' starts with more than ${HEAD_BYTES} bytes of blank lines; remove them and try again.`, { file, line: 1 });
    }
    if (!eof) {
      throw new LossInspectorError('recordTooLong', `The first line of '${file}' is longer than ${HEAD_BYTES} bytes; is it really a ${delimiterName(dialect.delimiter)}-separated file?`, { file, line: 1 });
    }
    throw new LossInspectorError('emptyFile', `'${file}' has no header line.`, { file });
  }
  const header = parsed.records[0];
  let headerless = isNumericRecord(header, dialect.decimalComma);
  // numpy's `savetxt(header=…)`: the last comment line names the columns of numeric rows.
  const named = headerless && comments.last ? commentHeader(head, comments.last, dialect, header.length, file) : undefined;
  const columns = named ?? (headerless ? header.map((_, i) => `col${i + 1}`) : header.map((h) => h.trim()));
  if (!headerless) {
    const extra = extraColumn(parseRecords(head, start, length, eof, dialect, 1 + LAYOUT_SAMPLE, file).records.slice(1), header.length);
    if (extra === 'rowNames') columns.unshift('');
    else if (extra === 'trailing') columns.push('');
  }
  const dataRecords = headerless ? parsed.records : parsed.records.slice(1);
  const preview = columns.map((_, i) => dataRecords.map((r) => r[i] ?? ''));
  let dataStart = start;
  let dataStartLine = 1 + commentLines;
  if (named) headerless = false; // its header is the comment line: every record is data
  else if (!headerless) {
    dataStart = parseRecords(head, start, length, eof, dialect, 1, file).end;
    dataStartLine = 1 + commentLines + countLines(head, dataStart, start);
    if (eof && isBlank(head, dataStart, length)) {
      throw new LossInspectorError('headerOnly', `'${file}' has only a header line and no data rows.`, { file, line: 1 });
    }
  }
  return { format, columns, dataStart, dataStartLine, dialect, preview, headerless };
}

/**
 * The fields of the comment line head[from, to) (its text after `#`), when they are as many as the
 * first record's and none is empty: numpy's header line. Otherwise the comment is just a comment.
 */
function commentHeader(head: Uint8Array, [from, to]: [number, number], dialect: CsvDialect, fields: number, file: string): string[] | undefined {
  const line = new Uint8Array(to - from + 1);
  line.set(head.subarray(from, to));
  line[to - from] = 10;
  const names = parseRecords(line, 0, line.length, true, dialect, 1, file).records[0]?.map((h) => h.trim());
  return names && names.length === fields && names.every((n) => n !== '') ? names : undefined;
}

/** Data records of the head looked at to recognise a header one field short (see extraColumn). */
export const LAYOUT_SAMPLE = 50;

/**
 * A header one field shorter than every data record of the sample (at most LAYOUT_SAMPLE records
 * of the head): R's `write.table` layout, whose first field is the row name (`rowNames`: at least
 * two records, their first fields all different, as R's row names are), or a delimiter at the end
 * of every data line (`trailing`: the extra last field is blank in every record). The missing
 * name is `""`, which is never detected as a target or prediction. Otherwise records with more
 * fields than the header are skipped (extraField).
 */
function extraColumn(records: string[][], headerFields: number): 'rowNames' | 'trailing' | undefined {
  if (records.length === 0 || !records.every((r) => r.length === headerFields + 1)) return undefined;
  if (records.every((r) => r[headerFields].trim() === '')) return 'trailing';
  if (records.length >= 2 && new Set(records.map((r) => r[0])).size === records.length) return 'rowNames';
  return undefined;
}

/** The array-valued (`objects`: object-valued) keys of a columnar JSON file, from a streaming pass over the whole file. */
function columnNames(src: ByteSource, objects: boolean): string[] {
  const scanner = new JsonColumnsScanner(src.name, true, undefined, undefined, undefined, objects);
  pump(src, scanner, 0, HEAD_BYTES);
  return scanner.columns();
}

/** Whether the file holds only ASCII whitespace from `from` on (read in HEAD_BYTES steps). */
function isBlankFrom(src: ByteSource, from: number): boolean {
  const buf = new Uint8Array(HEAD_BYTES);
  for (let pos = from; ; ) {
    const n = src.read(buf, 0, buf.length, pos);
    if (n === 0) return true;
    if (!isBlank(buf, 0, n)) return false;
    pos += n;
  }
}

function isBlank(buf: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (buf[i] !== 10 && buf[i] !== 13 && buf[i] !== 32 && buf[i] !== 9) return false;
  return true;
}

function countLines(buf: Uint8Array, end: number, from = 0): number {
  let n = 0;
  for (let i = from; i < end; i++) if (buf[i] === 10) n++;
  return n;
}

function sniffFormat(head: Uint8Array, start: number, length: number): FileFormat {
  let i = start;
  while (i < length && (head[i] === 32 || head[i] === 9 || head[i] === 10 || head[i] === 13)) i++;
  if (head[i] === 91) return 'json'; // [
  if (head[i] === 123) {
    // { — one object per line (JSON Lines) or one object holding arrays (JSON)?
    const nl = head.indexOf(10, i);
    if (nl > 0 && nl < length) {
      let j = nl;
      while (j < length && (head[j] === 32 || head[j] === 9 || head[j] === 10 || head[j] === 13)) j++;
      if (head[j] === 123) return 'jsonl';
    }
    return 'json';
  }
  return 'csv';
}
