/**
 * Row bookkeeping shared by every family: rows seen, used and skipped (by reason, with the first
 * lines), merged from the byte ranges in file order, and the sentence when no row is usable.
 */
import { LossInspectorError } from './errors';
import type { Locations } from './fileInfo';
import { SkipReason, SKIP_REASONS } from './scanTypes';

/** How many first line numbers are kept per skip reason. */
export const FIRST_SKIPPED_LINES = 10;

export function emptyReasons<T>(make: () => T): Record<SkipReason, T> {
  const r = {} as Record<SkipReason, T>;
  for (const k of SKIP_REASONS) r[k] = make();
  return r;
}

/**
 * One range's row counts as a family's accumulator keeps them: `skip` for a skipped record, `use`
 * for a used one. (Regression's hot accumulator keeps its own fields, for the JIT.)
 */
export class RowTally {
  private total = 0;
  private used = 0;
  private readonly skipped = emptyReasons(() => 0);
  private readonly firstSkipped = emptyReasons<number[]>(() => []);

  skip(line: number, reason: SkipReason): void {
    this.total++;
    this.skipped[reason]++;
    const f = this.firstSkipped[reason];
    if (f.length < FIRST_SKIPPED_LINES) f.push(line);
  }

  use(): void {
    this.total++;
    this.used++;
  }

  rows(newlines: number): RangeRows {
    return { newlines, total: this.total, used: this.used, skipped: { ...this.skipped }, firstSkipped: { ...this.firstSkipped } };
  }
}

/** Full chunks and the first `n · per` values of the current one (a copy, so its tail is freed). */
export function storedChunks<T extends Uint8Array | Uint16Array | Uint32Array | Float64Array>(chunks: T[], cur: T, n: number, per = 1): T[] {
  return n > 0 ? [...chunks, cur.slice(0, n * per) as T] : chunks;
}

/** What each range reports of its rows (line numbers relative to the range's first line). */
export interface RangeRows {
  newlines: number;
  total: number;
  used: number;
  skipped: Record<SkipReason, number>;
  firstSkipped: Record<SkipReason, number[]>;
}

export interface RowsSummary {
  total: number;
  used: number;
  skipped: number;
  skippedByReason: Partial<Record<SkipReason, number>>;
  firstSkippedLines: Partial<Record<SkipReason, number[]>>;
}

/** Merges the ranges' row counts in file order and turns range-relative lines into file lines. */
export class RowCounts {
  total = 0;
  used = 0;
  readonly skipped = {} as Record<SkipReason, number>;
  readonly firstSkipped = {} as Record<SkipReason, number[]>;
  /** 1-based file line of the current range's first line. */
  private base: number;

  constructor(firstLine = 1) {
    this.base = firstLine;
    for (const r of SKIP_REASONS) {
      this.skipped[r] = 0;
      this.firstSkipped[r] = [];
    }
  }

  /** Adds the next range (in file order); returns the shift from its relative lines to file lines. */
  add(part: RangeRows): number {
    const shift = this.base - 1;
    this.total += part.total;
    this.used += part.used;
    for (const r of SKIP_REASONS) {
      this.skipped[r] += part.skipped[r];
      for (const l of part.firstSkipped[r]) if (this.firstSkipped[r].length < FIRST_SKIPPED_LINES) this.firstSkipped[r].push(l + shift);
    }
    this.base += part.newlines;
    return shift;
  }

  /** Throws the sentence for a file without a usable row. */
  requireUsed(file: string, locations: Locations = 'lines'): void {
    if (this.used > 0) return;
    const why = SKIP_REASONS.filter((r) => this.skipped[r] > 0)
      .map((r) => `${this.skipped[r]} with ${reasonPhrase(r)} (first at ${locationWord(locations)} ${this.firstSkipped[r][0]})`)
      .join('; ');
    throw new LossInspectorError(
      'noUsableRows',
      this.total === 0 ? `'${file}' has a header but no data rows.` : `'${file}' has no usable rows: all ${this.total} rows were skipped (${why}).`,
      { file },
    );
  }

  summary(): RowsSummary {
    const skippedByReason: Partial<Record<SkipReason, number>> = {};
    const firstSkippedLines: Partial<Record<SkipReason, number[]>> = {};
    for (const r of SKIP_REASONS) {
      if (this.skipped[r] > 0) {
        skippedByReason[r] = this.skipped[r];
        firstSkippedLines[r] = this.firstSkipped[r];
      }
    }
    return { total: this.total, used: this.used, skipped: this.total - this.used, skippedByReason, firstSkippedLines };
  }
}

/** The word for one location: `line` in a text file, `row` in a columnar one. */
export function locationWord(locations: Locations | undefined): 'line' | 'row' {
  return locations === 'rows' ? 'row' : 'line';
}

export function reasonPhrase(r: SkipReason): string {
  switch (r) {
    case 'empty':
      return 'an empty value';
    case 'na':
      return 'a missing-value marker';
    case 'nonNumeric':
      return 'text that is not a number';
    case 'infinite':
      return 'an infinite value';
    case 'missingField':
      return 'a missing column';
    case 'negativeWeight':
      return 'a negative sample weight';
    case 'extraField':
      return 'more fields than the header';
    case 'arrayLength':
      return 'an array of another length than the others';
  }
}
