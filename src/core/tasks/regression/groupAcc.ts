import { ExactSum, neumaier, SerializedSum } from '../../exactSum';
import { GroupPart, IO_W, NSUMS, SUM_KEYS, TargetBlock } from './parts';

/**
 * One group's running sums: like ModelAcc's, a Neumaier state per block flushed into exact sums
 * at block boundaries (only for the groups that had rows in the block), and its own target
 * statistics per block for R².
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
    this.nb = new Float64Array(2 * NSUMS * nModels);
    this.exact = Array.from({ length: NSUMS * nModels }, () => new ExactSum());
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

  /** Adds model m's terms of a row (row()'s `terms`, SUM_KEYS order, terms[0] = |d|) times its weight io[IO_W]. */
  add(m: number, io: Float64Array, terms: Float64Array): void {
    const w = io[IO_W];
    const z = terms[0];
    const nb = this.nb;
    const o = 2 * NSUMS * m;
    for (let k = 0; k < NSUMS; k++) neumaier(nb, o + 2 * k, w * terms[k]);
    if (z > this.maxAbs[m] || z !== z) this.maxAbs[m] = z;
  }

  part(): GroupPart {
    const sums: SerializedSum[][] = [];
    for (let m = 0; m < this.nModels; m++) sums.push(SUM_KEYS.map((_, k) => this.exact[m * NSUMS + k].serialize()));
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
