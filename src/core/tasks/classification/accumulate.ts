/**
 * The classification family's accumulator for one byte range. The readers hand over, per record,
 * [label id, score of each model, weight?] and the group id: the label is a categorical column,
 * interned by the range's GroupKeys. The rows are stored (2 bytes of label, 8 per model's score,
 * and how many rows each of the file's blocks holds) for what needs all of them: the ranking
 * metrics, the worst rows, the groups, the comparisons.
 *
 * The per-row sums (rowPass.ts) need the label set (which class is positive) and the score kind
 * (probabilities or logits), which are certain only once every range is scanned. The plan's
 * guess from the file's first rows (`BinarySpec`) lets the scan threads run the pass as they read;
 * the report builder uses it only when the whole file proves the guess right, and otherwise runs
 * the same pass over the stored rows, in the same blocks: the numbers are the same either way.
 * What does not wait either: the score ranges and, per label, the rows that can be the most
 * confidently wrong (the lowest and highest scores).
 */
import { BLOCK_BYTES, type RangeSink } from '../../family';
import type { GroupKeys } from '../../groups';
import type { SkipReason } from '../../scanTypes';
import { RowTally, storedChunks } from '../../rows';
import type { ClassPart } from './parts';
import { TopRows } from './topRows';
import { BinaryParams, LOG_LOSS_EPS } from './losses';
import { orderClasses, type ClassOrder } from './classes';
import { BinaryPass } from './rowPass';
import type { ScoreKind } from './report';

/** The plan's guess of the classes and score kinds, from the file's first rows (see above). */
export interface BinarySpec {
  /** The sampled classes (any order) and the positive one's index in orderClasses(classes). */
  classes: string[];
  positive: number;
  decimalComma: boolean;
  kinds: ScoreKind[];
  params: BinaryParams;
}

const CHUNK = 1 << 16;

export class ClassRangeAccumulator implements RangeSink<ClassPart> {
  private readonly tally = new RowTally();
  /**
   * Label ids take a byte a row (10 MB less at 1e7 rows: binary files intern two or three label
   * texts), two from the first id above 254 on (the current chunk copied; earlier chunks stay
   * bytes, whose ids are all below 255). 0xffff, the interner's overflow, is such an id.
   */
  private labelChunks: (Uint8Array | Uint16Array)[] = [];
  private labelCur: Uint8Array | Uint16Array = new Uint8Array(CHUNK);
  private wideLabels = false;
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
  /** Used rows per block of the file (BLOCK_BYTES), in order; the last is `blockCount`. */
  private readonly blockRows: number[] = [];
  private blockCount = 0;
  private blockEnd = -Infinity;
  /** The guessed pass per model, null once the range proves the guess wrong for it. */
  private readonly passes: (BinaryPass | null)[] | null;
  private readonly order: ClassOrder | null;
  /** Per model: 1 when the guess reads its scores as probabilities (a score outside [0, 1] then drops the guess). */
  private readonly inUnit: Uint8Array;
  /** Per label id of this range: 1 positive, 0 negative, −1 not a class of the guess; −2 unknown yet. */
  private yOf = new Int8Array(16).fill(-2);
  private readonly lossChunks: Uint8Array[][];
  private readonly lossCur: Uint8Array[];

  constructor(
    private readonly nModels: number,
    private readonly weighted: boolean,
    private readonly labels: GroupKeys,
    private readonly groups: GroupKeys | undefined,
    private readonly topK: number,
    private readonly spec?: BinarySpec,
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
    this.passes = spec ? spec.kinds.map((k) => new BinaryPass(k === 'logits', spec.params, weighted, true)) : null;
    this.order = spec ? orderClasses(spec.classes, spec.decimalComma) : null;
    this.inUnit = Uint8Array.from(spec?.kinds ?? [], (k) => (k === 'probabilities' ? 1 : 0));
    this.lossCur = Array.from({ length: spec ? nModels : 0 }, () => new Uint8Array(CHUNK));
    this.lossChunks = Array.from({ length: spec ? nModels : 0 }, () => []);
  }

  /** Whether a label id is the positive class of the guess (1), a negative (0), or neither (−1). */
  private yOfLabel(label: number): number {
    if (label === 0xffff || this.order === null || this.spec === undefined) return -1;
    if (label >= this.yOf.length) {
      const more = new Int8Array(Math.max(2 * this.yOf.length, label + 1)).fill(-2);
      more.set(this.yOf);
      this.yOf = more;
    }
    let y = this.yOf[label];
    if (y === -2) {
      const c = this.order.indexOf(this.labels.labels[label] ?? '');
      y = this.yOf[label] = c < 0 ? -1 : c === this.spec.positive ? 1 : 0;
    }
    return y;
  }

  /** A row of a new block of the file: the block's count starts, and the guessed passes end their block. */
  private newBlock(offset: number): void {
    if (this.blockEnd !== -Infinity) this.blockRows.push(this.blockCount);
    this.blockCount = 0;
    this.blockEnd = (Math.floor(offset / BLOCK_BYTES) + 1) * BLOCK_BYTES;
    if (this.passes) for (const p of this.passes) p?.endBlock();
  }

  skip(line: number, reason: SkipReason): void {
    this.tally.skip(line, reason);
  }

  row(line: number, offset: number, values: Float64Array, group: number): void {
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
    if (offset >= this.blockEnd) this.newBlock(offset);
    this.blockCount++;
    if (this.n === CHUNK) this.nextChunk();
    const i = this.n++;
    if (label > 0xfe && !this.wideLabels) this.widenLabels();
    this.labelCur[i] = label;
    const passes = this.passes;
    if (passes) {
      const y = this.yOfLabel(label);
      for (let k = 0; k < m; k++) {
        const p = passes[k];
        if (p === null) continue;
        const s = values[k + 1];
        // A label outside the guessed classes, or a probability outside [0, 1]: the guess is wrong
        // for this model, and the builder runs the pass over the stored rows instead.
        if (y < 0 || (this.inUnit[k] === 1 && !(s >= 0 && s <= 1))) passes[k] = null;
        else this.lossCur[k][i] = p.add(y, s, w);
      }
    }
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

  private widenLabels(): void {
    const wide = new Uint16Array(CHUNK);
    wide.set(this.labelCur);
    this.labelCur = wide;
    this.wideLabels = true;
  }

  private nextChunk(): void {
    this.labelChunks.push(this.labelCur);
    this.labelCur = this.wideLabels ? new Uint16Array(CHUNK) : new Uint8Array(CHUNK);
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
    for (let k = 0; k < this.lossCur.length; k++) {
      this.lossChunks[k].push(this.lossCur[k]);
      this.lossCur[k] = new Uint8Array(CHUNK);
    }
    this.n = 0;
  }

  result(newlines: number): ClassPart {
    const n = this.n;
    const cut = <T extends Uint8Array | Uint16Array | Uint32Array | Float64Array>(chunks: T[], cur: T, per = 1): T[] => storedChunks(chunks, cur, n, per);
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
      blockRows: this.blockEnd === -Infinity ? [] : [...this.blockRows, this.blockCount],
      passes: this.passes ? this.passes.map((p) => p?.state() ?? null) : null,
      lossBuckets: this.passes ? this.passes.map((p, k) => (p ? cut(this.lossChunks[k], this.lossCur[k]) : [])) : [],
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
