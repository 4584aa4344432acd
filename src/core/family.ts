/**
 * The contract between the engine and a family of losses (regression today; classification,
 * count regression, intervals next). The engine — readers, byte ranges, threads, summation blocks
 * — knows a family only through this interface; a family is a folder `src/core/tasks/<family>/`
 * with an `index.ts` that exports one `LossFamily` object, registered in `families.ts`.
 *
 * How the engine drives a family, for one file:
 * 1. `plan(info, options, file)` picks the family's columns (its roles: target and predictions,
 *    or a label and scores, …), checks its parameters and returns a `Job`: plain data,
 *    structured-clone friendly, sent unchanged to every scan thread. Bad columns or parameters
 *    throw a LossInspectorError with a sentence for the user.
 * 2. `readSpec(job)` says what the readers hand over per record (`ReadSpec`). The readers know
 *    nothing of families: a classification label is a categorical column as a group-by column is,
 *    and k class scores are k number columns.
 * 3. Each thread calls `newThread(job)` once; then, for every byte range it claims,
 *    `newRange(job, thread, keys)` gives a `RangeSink` that receives the range's records in file
 *    order and returns its partial result. Ranges start on BLOCK_BYTES boundaries (see below).
 * 4. A worker thread, once it has no range left, sends `serializeThread(thread)` and each of its
 *    ranges' used rows; the calling thread merges the states with `mergeThread`.
 * 5. Optionally (`passPlan`/`passRange`, #20 item 4), a second pass over the rows each range
 *    stored, where the range was scanned: `passPlan(used, thread, job)` on the calling thread,
 *    from every range's used rows (file order) and the merged threads, returns plain data (null:
 *    no pass), sent to every scan worker, which runs `passRange` over each of its parts. Parts the
 *    calling thread scanned come without it: buildReport runs the same pass for those.
 * 6. The workers send their parts (with `transferables(part)`), and `buildReport(parts, thread,
 *    job, context)` merges the parts (in file order) into the report.
 *
 * Every result must be identical to the last bit whatever the number of threads, the ranges and
 * the read-buffer size: per-range sums are exact (ExactSum) or summed per block by one thread in
 * file order; per-thread state (`Thread`) holds only what merges exactly in any order (counts,
 * extremes). Tests check this for every family (test/unit/parallel.test.ts).
 */
import type { FileInfo } from './fileInfo';
import type { GroupKeys } from './groups';
import type { RowSink } from './scanTypes';

/**
 * Summation: within each block of BLOCK_BYTES of the file (a row belongs to the block holding the
 * first byte of its record) terms are added with Neumaier's compensated summation, in file order;
 * block totals are then combined exactly (ExactSum). Parallel ranges always start on a block
 * boundary, so every block is summed by exactly one thread in the same order: results are
 * identical to the last bit whatever the number of threads or the read-buffer size, and within
 * about one rounding of the correctly rounded (math.fsum) result. Exact accumulation of every
 * term costs several times more than Neumaier's (docs/performance.md).
 */
export const BLOCK_BYTES = 1 << 20;

/**
 * Columnar files (Parquet, Arrow IPC) have no byte position per row: their readers hand each row a
 * virtual offset instead (readers/columnar.ts `rowOffset`), so that the blocks above are the same
 * whatever the threads. The file's units — a Parquet row group, an Arrow record batch — are read
 * whole by one thread (parallel ranges are runs of whole units, see engine/columnar.ts), and each
 * unit is cut into blocks of COLUMNAR_BLOCK_ROWS rows from its first row: block `b` of unit `u`
 * starts at virtual offset (u · COLUMNAR_UNIT_BLOCKS + b) · BLOCK_BYTES, and its rows follow one
 * offset apart. Offsets are distinct and increase in file order (the regression sample draws on
 * them), blocks depend only on the file's layout, and so results are identical to the last bit
 * for any number of threads. They differ from the same data as CSV (1 MiB blocks of text) by
 * about a rounding of the sums, not more.
 */
export const COLUMNAR_BLOCK_ROWS = 1 << 16;
/** Blocks reserved per unit: a unit may have up to 2^28 rows, and a file 2^21 units. */
export const COLUMNAR_UNIT_BLOCKS = 1 << 12;

/** What a family asks the readers to hand it for each record. */
export interface ReadSpec {
  /** Columns parsed as finite numbers, in this order: `RowSink.row`'s `values`. */
  numbers: string[];
  /**
   * Of `numbers`, the index of a categorical column (a class label): its values are not parsed
   * as numbers but interned by the range's `labels` GroupKeys, and handed over as the id (a whole
   * number ≥ 0; −1 past MAX_GROUPS distinct values).
   */
  categorical?: number;
  /** A categorical column whose values are interned by the scanner's GroupKeys (`RowSink.row`'s `group`). */
  groupBy?: string;
  /**
   * Of `numbers`, runs of slots filled from one JSON array each (JSON records and JSON Lines):
   * see ArraySlots. The entries of `numbers` in such a run are display names (`probs[0]`), never
   * looked up as keys.
   */
  arrays?: ArraySlots[];
}

/**
 * Slots `at … at + length − 1` of ReadSpec.numbers hold elements 0 … length − 1 of the array in
 * field `key` (a multiclass model's k scores, `"probs":[0.1,0.7,0.2]`); an array of another
 * length makes the record a counted skip (`arrayLength`). Said as a run of slots, not as names
 * like `probs[0]` that a reader would parse: readers stay family-agnostic (no name syntax, no
 * clash with a real key spelled `probs[0]`), and the record parser resolves the key once per
 * record through its key cache, then parses the elements straight into consecutive slots with
 * the same number fast path as any field — no per-element key lookup.
 */
export interface ArraySlots {
  key: string;
  at: number;
  length: number;
}

/** The interners of one range: the group-by column's and the categorical number slot's. */
export interface RangeKeys {
  groups?: GroupKeys;
  labels?: GroupKeys;
}

/** A family's accumulator for one byte range: the readers call `row`/`skip`, the engine `result`. */
export interface RangeSink<Part> extends RowSink {
  /** The range's partial result, once, after its last record; `newlines` is how many lines the range consumed. */
  result(newlines: number): Part;
}

/** What the report builder learns of the file besides the parts. */
export interface ReportContext {
  /** The file's name as shown to the user. */
  file: string;
  info: FileInfo;
}

export interface LossFamily<Options, Job, Part, Thread, SerializedThread, Report, PassPlan = never> {
  /** The family's id, as it appears in `Job.family`. */
  readonly id: string;
  plan(info: FileInfo, options: Options, file: string): Job;
  readSpec(job: Job): ReadSpec;
  newThread(job: Job): Thread;
  /** A thread's state to post to the calling thread, and the buffers to transfer with it. */
  serializeThread(thread: Thread): { state: SerializedThread; transfer: ArrayBuffer[] };
  mergeThread(into: Thread, from: SerializedThread): void;
  newRange(job: Job, thread: Thread, keys: RangeKeys): RangeSink<Part>;
  /** The second pass's plan (see step 5 above); absent: the family has none. */
  passPlan?(used: number[], thread: Thread, job: Job): PassPlan | null;
  /** Runs the plan's pass over range `index`'s part, where it was scanned; returns the part with the pass's result. */
  passRange?(plan: PassPlan, part: Part, index: number): Part;
  /** Buffers of a part to transfer (not copy) when it is posted to another thread. */
  transferables(part: Part): ArrayBuffer[];
  buildReport(parts: Part[], thread: Thread, job: Job, context: ReportContext): Report;
}
