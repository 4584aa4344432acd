/** The multiclass family's partial result of one byte range (structured-clone friendly). */
import type { RangeRows } from '../../rows';

export interface MultiPart extends RangeRows {
  /** The range's label texts by id (its own interner). */
  labels: string[];
  labelOverflow: boolean;
  labelIds: Uint16Array[];
  /** Range-relative line of each used row. */
  lines: Uint32Array[];
  /** nModels · k scores a row, row by row, in chunks aligned with labelIds. */
  scores: Float64Array[];
  weights: Float64Array[];
  groupLabels: string[];
  groupOverflow: boolean;
  groupIds: Uint16Array[];
  /** Per model: first range-relative line with a score outside [0, 1], or −1. */
  outside: number[];
  /** Per model: the largest |Σ_k p_k − 1| of a row. */
  sumDev: number[];
}

export function multiTransferables(p: MultiPart): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  for (const c of [...p.labelIds, ...p.lines, ...p.scores, ...p.weights, ...p.groupIds]) if (c.buffer instanceof ArrayBuffer) out.add(c.buffer);
  return [...out];
}
