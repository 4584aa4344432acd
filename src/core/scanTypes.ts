/**
 * The contract between the byte scanners (CSV, JSON, JSON Lines) and the accumulator that
 * receives their rows. Scanners work on bytes in a caller-owned buffer and never build a string
 * per numeric field on the common path.
 */

/** Why a row was not used. Keys are part of the JSON contract. */
export type SkipReason = 'empty' | 'na' | 'nonNumeric' | 'infinite' | 'missingField' | 'negativeWeight' | 'extraField' | 'arrayLength';

/** In the order of the reports' lists: new reasons go at the end, so that older outputs keep their order. */
export const SKIP_REASONS: readonly SkipReason[] = ['empty', 'na', 'nonNumeric', 'infinite', 'missingField', 'negativeWeight', 'extraField', 'arrayLength'];

export const SKIP_REASON_TEXT: Record<SkipReason, string> = {
  empty: 'empty value',
  na: 'missing-value marker (NA, N/A, NaN, null, None)',
  nonNumeric: 'text that is not a number',
  infinite: 'infinite value',
  missingField: 'missing column (ragged row)',
  negativeWeight: 'negative sample weight',
  extraField: 'more fields than the header',
  arrayLength: 'an array of another length than the others (one element per class)',
};

/** Receives each data record. `values[0]` is the target, `values[1..]` the predictions. */
export interface RowSink {
  /**
   * A record whose wanted values all parsed as finite numbers. `group` is the id of its value in
   * the group-by column (from the scanner's GroupKeys), −1 without one (or past MAX_GROUPS).
   */
  row(line: number, offset: number, values: Float64Array, group: number): void;
  /** A record that cannot be used, with the reason of its first bad value. */
  skip(line: number, reason: SkipReason): void;
}

/**
 * A resumable scanner over a byte range. The reader calls `scan` with the bytes it has; the
 * scanner consumes whole records and returns the position of the first byte it did not consume
 * (the start of an incomplete record), which the reader keeps and completes with the next read.
 * With `eof` true the scanner must consume everything or throw a LossInspectorError.
 */
export interface ByteScanner {
  scan(buf: Uint8Array, pos: number, end: number, eof: boolean): number;
  /** 1-based line (relative to the first line of the range) where the next record starts. */
  readonly line: number;
  /** File offset of `buf[0]` must be set by the reader before each scan (for record offsets). */
  bufferOffset: number;
}
