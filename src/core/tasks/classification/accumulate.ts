/**
 * The classification family's accumulator for one byte range. The readers hand over, per record,
 * [label id, score of each model, weight?] and the group id: the label is a categorical column,
 * interned by the range's GroupKeys. Nothing is summed here: every metric needs the label set
 * (which class is positive) and the score kind (probabilities or logits), which are known only
 * once every range is scanned, so the rows are stored (2 bytes of label, 8 per model's score) and
 * summed in file order by the report builder, which also makes the result independent of the
 * split. What does not wait: the score ranges and, per label, the rows that can be the most
 * confidently wrong (the lowest and highest scores).
 */
import type { RangeSink } from '../../family';
import type { GroupKeys } from '../../groups';
import type { SkipReason } from '../../scanTypes';
import { RowTally, storedChunks } from '../../rows';
import type { ClassPart } from './parts';
import { TopRows } from './topRows';
import { LOG_LOSS_EPS } from './losses';

const CHUNK = 1 << 16;

export class ClassRangeAccumulator implements RangeSink<ClassPart> {
  private readonly tally = new RowTally();
  private labelChunks: Uint16Array[] = [];
  private labelCur = new Uint16Array(CHUNK);
  private readonly scoreChunks: Float64Array[][];
  private readonly scoreCur: Float64Array[];
  private weightChunks: Float64Array[] = [];
  private weightCur: Float64Array;
  private groupChunks: Uint16Array[] = [];
  private groupCur: Uint16Array;
  private n = 0;
  private readonly min: Float64Array;
  private readonly max: Float64Array;
  /** Per model: the first line (range-relative) with a score outside [0, 1], or −1. */
  private readonly outside: Float64Array;
  /** Per model, per label id: the K lowest scores and the K highest (as keys −s and s). */
  private readonly low: TopRows[][];
  private readonly high: TopRows[][];

  constructor(
    private readonly nModels: number,
    private readonly weighted: boolean,
    private readonly labels: GroupKeys,
    private readonly groups: GroupKeys | undefined,
    private readonly topK: number,
  ) {
    this.scoreCur = Array.from({ length: nModels }, () => new Float64Array(CHUNK));
    this.scoreChunks = Array.from({ length: nModels }, () => []);
    this.weightCur = new Float64Array(weighted ? CHUNK : 0);
    this.groupCur = new Uint16Array(groups ? CHUNK : 0);
    this.min = new Float64Array(nModels).fill(Infinity);
    this.max = new Float64Array(nModels).fill(-Infinity);
    this.outside = new Float64Array(nModels).fill(-1);
    this.low = Array.from({ length: nModels }, () => []);
    this.high = Array.from({ length: nModels }, () => []);
  }

  skip(line: number, reason: SkipReason): void {
    this.tally.skip(line, reason);
  }

  row(line: number, _offset: number, values: Float64Array, group: number): void {
    const m = this.nModels;
    // Past MAX_GROUPS distinct labels the interner gives −1: stored as 0xffff, and the report
    // builder refuses the file (labelOverflow) rather than guess.
    const label = values[0] < 0 ? 0xffff : values[0];
    let w = 1;
    if (this.weighted) {
      w = values[m + 1];
      if (!(w >= 0)) {
        this.skip(line, 'negativeWeight');
        return;
      }
    }
    this.tally.use();
    if (this.n === CHUNK) this.nextChunk();
    const i = this.n++;
    this.labelCur[i] = label;
    if (this.weighted) this.weightCur[i] = w;
    if (this.groups) this.groupCur[i] = group < 0 ? 0xffff : group;
    for (let k = 0; k < m; k++) {
      const s = values[k + 1];
      this.scoreCur[k][i] = s;
      if (s < this.min[k]) this.min[k] = s;
      if (s > this.max[k]) this.max[k] = s;
      if ((s < 0 || s > 1) && this.outside[k] < 0) this.outside[k] = line;
      if (label === 0xffff) continue;
      // Probabilities that log_loss clips to one value have one loss: one key, so that their ties
      // go to the earlier line (the heaps keep the score itself). On logits these keys merge
      // scores within 2.2e-16 of 0 or 1 only, whose losses differ by an ulp at most.
      const lo = s >= 0 && s < LOG_LOSS_EPS ? LOG_LOSS_EPS : s;
      const low = (this.low[k][label] ??= new TopRows(this.topK));
      if (low.wants(-lo, line)) low.push(-lo, line, -s);
      const hi = s <= 1 && s > 1 - LOG_LOSS_EPS ? 1 - LOG_LOSS_EPS : s;
      const high = (this.high[k][label] ??= new TopRows(this.topK));
      if (high.wants(hi, line)) high.push(hi, line, s);
    }
  }

  private nextChunk(): void {
    this.labelChunks.push(this.labelCur);
    this.labelCur = new Uint16Array(CHUNK);
    for (let k = 0; k < this.nModels; k++) {
      this.scoreChunks[k].push(this.scoreCur[k]);
      this.scoreCur[k] = new Float64Array(CHUNK);
    }
    if (this.weighted) {
      this.weightChunks.push(this.weightCur);
      this.weightCur = new Float64Array(CHUNK);
    }
    if (this.groups) {
      this.groupChunks.push(this.groupCur);
      this.groupCur = new Uint16Array(CHUNK);
    }
    this.n = 0;
  }

  result(newlines: number): ClassPart {
    const n = this.n;
    const cut = <T extends Uint16Array | Uint32Array | Float64Array>(chunks: T[], cur: T, per = 1): T[] => storedChunks(chunks, cur, n, per);
    return {
      ...this.tally.rows(newlines),
      labels: [...this.labels.labels],
      labelOverflow: this.labels.overflow,
      labelIds: cut(this.labelChunks, this.labelCur),
      scores: this.scoreCur.map((c, k) => cut(this.scoreChunks[k], c)),
      weights: this.weighted ? cut(this.weightChunks, this.weightCur) : [],
      groupLabels: this.groups ? [...this.groups.labels] : [],
      groupOverflow: this.groups?.overflow ?? false,
      groupIds: this.groups ? cut(this.groupChunks, this.groupCur) : [],
      models: Array.from({ length: this.nModels }, (_, k) => ({
        min: this.min[k],
        max: this.max[k],
        outside: this.outside[k],
        low: this.low[k].map((t) => (t ? t.rows() : [])),
        high: this.high[k].map((t) => (t ? t.rows() : [])),
      })),
    };
  }
}
