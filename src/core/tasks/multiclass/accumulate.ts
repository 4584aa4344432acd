/**
 * The multiclass family's accumulator for one byte range: per record [label id, k scores of each
 * model, weight?], stored as they come (2 bytes of label, 4 of line, 8 per score) and summed in
 * file order by the report builder, as the binary family does (see classification/accumulate.ts
 * for why). Also, per model, whether every score is in [0, 1] and how far rows are from summing
 * to 1: the score kind (probabilities or logits) is decided from them.
 */
import type { RangeSink } from '../../family';
import type { GroupKeys } from '../../groups';
import type { SkipReason } from '../../scanTypes';
import { RowTally, storedChunks } from '../../rows';
import type { MultiPart } from './parts';

const CHUNK = 1 << 16;

export class MultiRangeAccumulator implements RangeSink<MultiPart> {
  private readonly tally = new RowTally();
  private readonly labelChunks: Uint16Array[] = [];
  private labelCur = new Uint16Array(CHUNK);
  private readonly lineChunks: Uint32Array[] = [];
  private lineCur = new Uint32Array(CHUNK);
  /** Scores row by row: nModels · k values a row. */
  private readonly scoreChunks: Float64Array[] = [];
  private scoreCur: Float64Array;
  private readonly weightChunks: Float64Array[] = [];
  private weightCur: Float64Array;
  private readonly groupChunks: Uint16Array[] = [];
  private groupCur: Uint16Array;
  private n = 0;
  private readonly width: number;
  /** Per model: first line with a score outside [0, 1] (−1: none), largest |Σ_k p_k − 1|. */
  private readonly outside: Float64Array;
  private readonly sumDev: Float64Array;

  constructor(
    private readonly nModels: number,
    private readonly k: number,
    private readonly weighted: boolean,
    private readonly labels: GroupKeys,
    private readonly groups: GroupKeys | undefined,
  ) {
    this.width = nModels * k;
    this.scoreCur = new Float64Array(CHUNK * this.width);
    this.weightCur = new Float64Array(weighted ? CHUNK : 0);
    this.groupCur = new Uint16Array(groups ? CHUNK : 0);
    this.outside = new Float64Array(nModels).fill(-1);
    this.sumDev = new Float64Array(nModels);
  }

  skip(line: number, reason: SkipReason): void {
    this.tally.skip(line, reason);
  }

  row(line: number, _offset: number, values: Float64Array, group: number): void {
    let w = 1;
    if (this.weighted) {
      w = values[this.width + 1];
      if (!(w >= 0)) {
        this.skip(line, 'negativeWeight');
        return;
      }
    }
    this.tally.use();
    if (this.n === CHUNK) this.nextChunk();
    const i = this.n++;
    this.labelCur[i] = values[0] < 0 ? 0xffff : values[0];
    this.lineCur[i] = line;
    if (this.weighted) this.weightCur[i] = w;
    if (this.groups) this.groupCur[i] = group < 0 ? 0xffff : group;
    const k = this.k;
    const out = this.scoreCur;
    const base = i * this.width;
    for (let m = 0; m < this.nModels; m++) {
      let sum = 0;
      for (let c = 0; c < k; c++) {
        const s = values[1 + m * k + c];
        out[base + m * k + c] = s;
        sum += s;
        if ((s < 0 || s > 1) && this.outside[m] < 0) this.outside[m] = line;
      }
      const dev = Math.abs(sum - 1);
      if (dev > this.sumDev[m] || dev !== dev) this.sumDev[m] = dev;
    }
  }

  private nextChunk(): void {
    this.labelChunks.push(this.labelCur);
    this.labelCur = new Uint16Array(CHUNK);
    this.lineChunks.push(this.lineCur);
    this.lineCur = new Uint32Array(CHUNK);
    this.scoreChunks.push(this.scoreCur);
    this.scoreCur = new Float64Array(CHUNK * this.width);
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

  result(newlines: number): MultiPart {
    const n = this.n;
    const cut = <T extends Uint16Array | Uint32Array | Float64Array>(chunks: T[], cur: T, per = 1): T[] => storedChunks(chunks, cur, n, per);
    return {
      ...this.tally.rows(newlines),
      labels: [...this.labels.labels],
      labelOverflow: this.labels.overflow,
      labelIds: cut(this.labelChunks, this.labelCur),
      lines: cut(this.lineChunks, this.lineCur),
      scores: cut(this.scoreChunks, this.scoreCur, this.width),
      weights: this.weighted ? cut(this.weightChunks, this.weightCur) : [],
      groupLabels: this.groups ? [...this.groups.labels] : [],
      groupOverflow: this.groups?.overflow ?? false,
      groupIds: this.groups ? cut(this.groupChunks, this.groupCur) : [],
      outside: Array.from(this.outside),
      sumDev: Array.from(this.sumDev),
    };
  }
}
