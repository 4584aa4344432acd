import { ExactSum, neumaier, SerializedSum } from '../../exactSum';
import { GroupPart, IO_W, NBASE, NSUMS, TargetBlock } from './parts';

/**
 * One group's running sums: like ModelAcc's (the per-row losses, the first NBASE sums: groups have
 * no intervals), a Neumaier state per block flushed into exact sums at block boundaries (only for
 * the groups that had rows in the block), and its own target statistics per block for R².
 */
export class GroupAcc {
  rows = 0;
  readonly nb: Float64Array;
  readonly exact: ExactSum[];
  readonly maxAbs: Float64Array;
  readonly weightSum = new ExactSum();
  readonly targetBlocks: TargetBlock[] = [];
  /** Rows (weight) of the current block, its target shift and shifted sums [s, c, q, c]. */
  inBlock = false;
  bW = 0;
  bK = 0;
  readonly tb = new Float64Array(4);

  constructor(
    readonly label: string,
    private readonly nModels: number,
  ) {
    this.nb = new Float64Array(2 * NBASE * nModels);
    this.exact = Array.from({ length: NBASE * nModels }, () => new ExactSum());
    this.maxAbs = new Float64Array(nModels);
  }

  flush(): void {
    const nb = this.nb;
    for (let k = 0; k < this.exact.length; k++) {
      this.exact[k].add(nb[2 * k]);
      this.exact[k].add(nb[2 * k + 1]);
    }
    nb.fill(0);
    if (this.bW > 0) this.targetBlocks.push({ n: this.bW, k: this.bK, s: this.tb[0] + this.tb[1], q: this.tb[2] + this.tb[3] });
    this.weightSum.add(this.bW);
    this.bW = 0;
    this.tb.fill(0);
    this.inBlock = false;
  }

  /** Adds model m's terms of a row (row()'s `terms` from m·NSUMS on, SUM_KEYS order, |d| first) times its weight io[IO_W]. */
  add(m: number, io: Float64Array, terms: Float64Array): void {
    const w = io[IO_W];
    const t = NSUMS * m;
    const z = terms[t];
    const nb = this.nb;
    const o = 2 * NBASE * m;
    for (let k = 0; k < NBASE; k++) neumaier(nb, o + 2 * k, w * terms[t + k]);
    if (z > this.maxAbs[m] || z !== z) this.maxAbs[m] = z;
  }

  part(): GroupPart {
    const sums: SerializedSum[][] = [];
    for (let m = 0; m < this.nModels; m++) sums.push(this.exact.slice(m * NBASE, (m + 1) * NBASE).map((e) => e.serialize()));
    return {
      label: this.label,
      rows: this.rows,
      weightSum: this.weightSum.serialize(),
      targetBlocks: this.targetBlocks,
      sums,
      maxAbs: Array.from(this.maxAbs),
    };
  }
}
