/**
 * What a wanted field holds, as a small integer the scanners keep per slot (a Uint8Array, no
 * object per field), and the skip reason each code stands for. Shared by every reader so that a
 * code means the same thing whatever the file's format.
 */
import type { FieldClass } from './numbers';
import type { SkipReason } from '../scanTypes';

/** A finite number. */
export const R_OK = 0;
export const R_EMPTY = 1;
export const R_NA = 2;
export const R_TEXT = 3;
export const R_INF = 4;
/** The record has no such field (a short CSV row, a JSON record without the key). */
export const R_MISSING = 5;
/** The CSV record has more fields than the header. */
export const R_EXTRA = 6;
/** A JSON array read into several slots (ReadSpec.arrays) holds another number of elements. */
export const R_LENGTH = 7;

/** Skip reason of each code (R_OK's entry is never used). */
export const REASON_OF_CODE: readonly SkipReason[] = ['empty', 'empty', 'na', 'nonNumeric', 'infinite', 'missingField', 'extraField', 'arrayLength'];

/** The code of a slow-path classification. */
export function codeOf(kind: FieldClass['kind']): number {
  return kind === 'number' ? R_OK : kind === 'empty' ? R_EMPTY : kind === 'na' ? R_NA : kind === 'infinite' ? R_INF : R_TEXT;
}

/**
 * Whether buf[a, b) can be a missing-value marker (NA, N/A, NaN, -nan, null, None, #N/A): they
 * all start with n or N, or with - or # before one. Labels are checked on every row, and most
 * (0/1, class names) are ruled out here without making a string.
 */
export function mayBeNaMarker(buf: Uint8Array, a: number, b: number): boolean {
  const c = buf[a];
  if ((c | 32) === 110) return true;
  return (c === 45 || c === 35) && b - a >= 2 && (buf[a + 1] | 32) === 110;
}
