/**
 * A binary classifier's changed rows (#15 item 3): per model compared with the baseline, the
 * joined rows whose log loss changed most. Found once the report is built, not while the rows are
 * joined: a row's log loss needs the positive class and each model's score kind (probabilities or
 * logits), which the whole file decides (the scan only guesses them from the first rows). The rows
 * are the classification family's stored ones (label ids and scores, in the order joined: a copy,
 * since the report's builder consumes them); what the family does not store, each row's line in
 * every file and its key id, is kept here while the rows are joined (JoinedLines: 8 bytes per file
 * and 4 for the key per joined row).
 */
import { labelNumber } from '../tasks/classification/classes';
import { DEFAULT_BINARY_PARAMS, LOG_LOSS_EPS, logitTerms, probabilityTerms, T_LOG } from '../tasks/classification/losses';
import type { ScoreKind } from '../tasks/classification/report';
import { fileOfModel, TopChanged } from './joinN';
import type { ChangedClassRow, ChangedModels } from './report';

/** Per joined row (in the order the rows were handed to the family), its line in each file and its key id (−1: none). */
export class JoinedLines {
  private lines = new Float64Array(1024);
  private keys = new Int32Array(1024);
  count = 0;
  constructor(readonly files: number) {
    this.lines = new Float64Array(1024 * files);
  }

  push(lines: Float64Array, keyId: number): void {
    if (this.count === this.keys.length) {
      const l = new Float64Array(this.lines.length * 2);
      l.set(this.lines);
      this.lines = l;
      const k = new Int32Array(this.keys.length * 2);
      k.set(this.keys);
      this.keys = k;
    }
    for (let f = 0; f < this.files; f++) this.lines[this.count * this.files + f] = lines[f];
    this.keys[this.count++] = keyId;
  }

  line(row: number, file: number): number {
    return this.lines[row * this.files + file];
  }

  key(row: number): number {
    return this.keys[row];
  }
}

/** The family's stored rows: per row its label id, and per model its score, in aligned chunks. */
export interface StoredClassRows {
  labelIds: readonly (Uint8Array | Uint16Array)[];
  scores: readonly (readonly Float64Array[])[];
}

export interface ChangedClassSetup {
  /** The report's model names (`PREFIX:COLUMN`), file by file, and how many each file has. */
  names: readonly string[];
  models: readonly number[];
  /** The baseline model's index among all models. */
  baseline: number;
  top: number;
  /** Each model's score kind, as the report reads it. */
  kinds: readonly ScoreKind[];
  /** 1 when a label id is the report's positive class, else 0. */
  positive(labelId: number): number;
  labelText(labelId: number): string;
  /** The key's value of a key id (key join), or null (row order). */
  keyText: ((keyId: number) => string) | null;
}

type Kept = ChangedClassRow & { order: number };

/**
 * The row's log loss as the report computes it (losses.ts, scikit-learn's log_loss: clipped
 * probabilities, or the log-sigmoid of a logit).
 */
function rowLogLoss(score: number, y: number, kind: ScoreKind, out: Float64Array): number {
  if (kind === 'logits') logitTerms(score, y, DEFAULT_BINARY_PARAMS, out);
  else probabilityTerms(score, y, DEFAULT_BINARY_PARAMS, out);
  return out[T_LOG];
}

/**
 * Per model other than the baseline, the `top` rows with the largest |change| of log loss
 * (change = the model's − the baseline's; ties: the earlier joined row), largest first.
 */
export function changedClassRows(rows: StoredClassRows, lines: JoinedLines, s: ChangedClassSetup): ChangedModels<ChangedClassRow>[] {
  const nModels = s.names.length;
  const top = Array.from({ length: nModels }, () => new TopChanged<Kept>(s.top));
  const fileA = fileOfModel(s.models, s.baseline);
  const fileOf = Array.from({ length: nModels }, (_, m) => fileOfModel(s.models, m));
  const out = new Float64Array(5);
  let i = 0;
  rows.labelIds.forEach((ids, c) => {
    for (let j = 0; j < ids.length; j++, i++) {
      const y = s.positive(ids[j]);
      const a = rows.scores[s.baseline][c][j];
      const lossA = rowLogLoss(a, y, s.kinds[s.baseline], out);
      for (let m = 0; m < nModels; m++) {
        if (m === s.baseline) continue;
        const b = rows.scores[m][c][j];
        const lossB = rowLogLoss(b, y, s.kinds[m], out);
        const change = lossB - lossA;
        if (!top[m].takes(change)) continue;
        const keyId = lines.key(i);
        top[m].push({
          lineA: lines.line(i, fileA),
          lineB: lines.line(i, fileOf[m]),
          key: s.keyText && keyId >= 0 ? s.keyText(keyId) : null,
          label: s.labelText(ids[j]),
          a,
          b,
          lossA,
          lossB,
          change,
          order: i,
        });
      }
    }
  });
  return finishChanged(top, s.names, s.baseline, fileA, fileOf);
}

/**
 * Whether two label texts are one class: the same text, or (labels that are numbers) the same
 * number, each read as its own file writes numbers ("1" and "1.0"; "0,5" with a decimal comma).
 */
export function sameLabel(a: string, b: string, commaA: boolean, commaB: boolean): boolean {
  if (a === b) return true;
  const x = labelNumber(a, commaA);
  return Number.isFinite(x) && x === labelNumber(b, commaB);
}

/**
 * A row's multiclass log loss as the multiclass report computes it (multiclass/metrics.ts): the
 * log-softmax of logits, or scikit-learn's log_loss of probabilities (each clipped, the row
 * renormalised by their sum). `o`: the row's first score in `s`, `y` its class.
 */
export function multiRowLogLoss(s: Float64Array, o: number, k: number, y: number, logits: boolean): number {
  if (logits) {
    let mx = s[o];
    for (let c = 1; c < k; c++) if (s[o + c] > mx) mx = s[o + c];
    let se = 0;
    for (let c = 0; c < k; c++) se += Math.exp(s[o + c] - mx);
    return -(s[o + y] - mx - Math.log(se));
  }
  const clip = (v: number) => (v < LOG_LOSS_EPS ? LOG_LOSS_EPS : v > 1 - LOG_LOSS_EPS ? 1 - LOG_LOSS_EPS : v);
  let cs = 0;
  for (let c = 0; c < k; c++) cs += clip(s[o + c]);
  return -Math.log(clip(s[o + y]) / cs);
}

/** The multiclass family's stored rows: per row its label id, and nModels · k scores a row (row-major), in aligned chunks. */
export interface StoredMultiRows {
  labelIds: readonly Uint16Array[];
  scores: readonly Float64Array[];
}

export interface ChangedMultiSetup extends Omit<ChangedClassSetup, 'positive'> {
  /** Classes per model. */
  k: number;
  /** A label id's class index in the report's classes, or −1 (a row the report leaves out). */
  classOf(labelId: number): number;
}

/**
 * A multiclass comparison's changed rows: as changedClassRows, by the row's log loss; a row's `a`
 * and `b` are the probability each model gives to the row's label (e^−loss: the softmax of
 * logits, the renormalised probability).
 */
export function changedMultiRows(rows: StoredMultiRows, lines: JoinedLines, s: ChangedMultiSetup): ChangedModels<ChangedClassRow>[] {
  const nModels = s.names.length;
  const k = s.k;
  const top = Array.from({ length: nModels }, () => new TopChanged<Kept>(s.top));
  const fileA = fileOfModel(s.models, s.baseline);
  const fileOf = Array.from({ length: nModels }, (_, m) => fileOfModel(s.models, m));
  const logits = s.kinds.map((x) => x === 'logits');
  let i = 0;
  rows.labelIds.forEach((ids, c) => {
    const sc = rows.scores[c];
    for (let j = 0; j < ids.length; j++, i++) {
      const y = ids[j] === 0xffff ? -1 : s.classOf(ids[j]);
      if (y < 0) continue;
      const at = j * nModels * k;
      const lossA = multiRowLogLoss(sc, at + s.baseline * k, k, y, logits[s.baseline]);
      for (let m = 0; m < nModels; m++) {
        if (m === s.baseline) continue;
        const lossB = multiRowLogLoss(sc, at + m * k, k, y, logits[m]);
        const change = lossB - lossA;
        if (!top[m].takes(change)) continue;
        const keyId = lines.key(i);
        top[m].push({
          lineA: lines.line(i, fileA),
          lineB: lines.line(i, fileOf[m]),
          key: s.keyText && keyId >= 0 ? s.keyText(keyId) : null,
          label: s.labelText(ids[j]),
          a: Math.exp(-lossA),
          b: Math.exp(-lossB),
          lossA,
          lossB,
          change,
          order: i,
        });
      }
    }
  });
  return finishChanged(top, s.names, s.baseline, fileA, fileOf);
}

function finishChanged(top: TopChanged<Kept>[], names: readonly string[], baseline: number, fileA: number, fileOf: number[]): ChangedModels<ChangedClassRow>[] {
  const changed: ChangedModels<ChangedClassRow>[] = [];
  for (let m = 0; m < names.length; m++) {
    if (m === baseline) continue;
    changed.push({
      a: names[baseline],
      b: names[m],
      fileA,
      fileB: fileOf[m],
      rows: [...top[m].rows].sort((x, y) => Math.abs(y.change) - Math.abs(x.change) || x.order - y.order).map(({ order: _order, ...row }) => row),
    });
  }
  return changed;
}
