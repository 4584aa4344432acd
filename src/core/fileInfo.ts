import type { CsvDialect } from './readers/csvHead';
import type { JsonShape } from './readers/jsonHead';

/** The text formats the readers understand. */
export type FileFormat = 'csv' | 'tsv' | 'json' | 'jsonl';

/** What the engine knows about a file before scanning it. Structured-clone friendly. */
export interface FileInfo {
  format: FileFormat;
  columns: string[];
  /** Offset of the first byte after the header (or after the BOM). */
  dataStart: number;
  /** 1-based line of `dataStart`. */
  dataStartLine: number;
  dialect?: CsvDialect;
  jsonShape?: JsonShape;
  /** First values of each column (strings), for previews in column pickers. */
  preview: string[][];
  headerless: boolean;
}
