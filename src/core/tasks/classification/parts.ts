/** The classification family's partial result of one byte range (structured-clone friendly). */
import type { SkipReason } from '../../scanTypes';
import type { BinaryPassState } from './rowPass';

export interface ClassModelPart {
  /** Smallest and largest score (for the score kind). */
  min: number;
  max: number;
  /** First line (range-relative) with a score outside [0, 1], or −1. */
  outside: number;
  /** Per label id of this range: the K lowest scores as [line, −score] pairs, worst first. */
  low: [number, number][][];
  /** Per label id: the K highest scores as [line, score] pairs, worst first. */
  high: [number, number][][];
}

export interface ClassPart {
  newlines: number;
  total: number;
  used: number;
  skipped: Record<SkipReason, number>;
  firstSkipped: Record<SkipReason, number[]>;
  /** The range's label texts by id (its own interner: ids differ between ranges). */
  labels: string[];
  labelOverflow: boolean;
  /** Per used row, its label id, in chunks: bytes while every id is below 255 (accumulate.ts), then two bytes. */
  labelIds: (Uint8Array | Uint16Array)[];
  /** Per model, per used row, its score, in chunks aligned with labelIds. */
  scores: Float64Array[][];
  weights: Float64Array[];
  groupLabels: string[];
  groupOverflow: boolean;
  /** Per used row, its group id (0xffff: none), in chunks. */
  groupIds: Uint16Array[];
  models: ClassModelPart[];
  /** Used rows of each of the file's blocks the range holds, in order (rowPass.ts sums per block). */
  blockRows: number[];
  /** The per-row pass of each model as the scan ran it on the plan's guess (null: not run or the guess failed here). */
  passes: (BinaryPassState | null)[] | null;
  /** Per model with a pass: each row's loss bucket, in chunks aligned with labelIds. */
  lossBuckets: Uint8Array[][];
}

/** The buffers to transfer (not copy) when a part is posted to another thread. */
export function classTransferables(p: ClassPart): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  for (const c of [...p.labelIds, ...p.scores.flat(), ...p.weights, ...p.groupIds, ...p.lossBuckets.flat()]) if (c.buffer instanceof ArrayBuffer) out.add(c.buffer);
  return [...out];
}
