import type { CsvDialect } from './readers/csvHead';
import type { ArrayField, JsonShape } from './readers/jsonHead';

/** The formats the readers understand: text, and the columnar Parquet and Arrow IPC (Feather). */
export type FileFormat = 'csv' | 'tsv' | 'json' | 'jsonl' | 'parquet' | 'arrow';

/**
 * What a report's line numbers count (the JSON report's `locations`): lines of a text file, or
 * 1-based rows of a columnar file (Parquet, Arrow), which has no lines.
 */
export type Locations = 'lines' | 'rows';

export function locationsOf(format: FileFormat): Locations {
  return format === 'parquet' || format === 'arrow' ? 'rows' : 'lines';
}

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
  /** JSON records and JSON Lines: the keys whose value is an array in the head's records, with their lengths. */
  arrays?: ArrayField[];
  /** First values of each column (strings), for previews in column pickers. */
  preview: string[][];
  headerless: boolean;
  /** Columnar files: each unit's (row group's, record batch's) first byte, in file order, and the rows. */
  columnar?: { units: number[]; rows: number };
  /** What the reader decided that the user should know (JSON Lines under a .json name): the report's first warnings. */
  notes?: string[];
}

/**
 * The opened file's device, inode, size, and modification and change times. A file saved by
 * writing a temporary file and renaming it over the old one gets a new inode; one rewritten in
 * place gets a new change time (ctime), which, unlike the modification time, cannot be set back.
 */
export interface FileIdentity {
  dev: number;
  ino: number;
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  /** Hard links: 0 once the file was deleted, or replaced by a rename over it. */
  nlink: number;
}
