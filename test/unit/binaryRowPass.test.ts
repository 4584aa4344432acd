/**
 * The binary per-row pass runs in the scan threads on the plan's guess of the classes and score
 * kinds (classification/accumulate.ts), or, when the whole file proves the guess wrong, over the
 * stored rows on the builder's thread. A user cannot tell which ran: these tests feed the same
 * rows, in the same file blocks, to the family with and without the guess, split into ranges at
 * block boundaries in different ways, and check that the reports are identical to the last bit.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BLOCK_BYTES } from '../../src/core/family';
import type { FileInfo } from '../../src/core/fileInfo';
import { GroupKeys } from '../../src/core/groups';
import { classification, type ClassificationOptions } from '../../src/core/tasks/classification';
import type { ClassPart } from '../../src/core/tasks/classification/parts';
import type { ClassificationReport } from '../../src/core/tasks/classification/report';
import { rng } from '../helpers/run';

interface Row {
  label: string;
  scores: number[];
  w: number;
  offset: number;
}

/** Rows about 100 bytes apart (a text column beside them), so that ~10,000 fall in each 1 MiB block. */
function rows(n: number, labels: [string, string], weighted: boolean): Row[] {
  const next = rng(11);
  const out: Row[] = [];
  let offset = 0;
  for (let i = 0; i < n; i++) {
    const y = next() < 0.35 ? 1 : 0;
    const z = (next() - 0.5) * 6 + (y ? 0.8 : -0.8);
    // Probabilities with ties (3 decimals) and exact 0 and 1 now and then; logits with ties.
    const p = i % 503 === 0 ? y : Math.round(1000 / (1 + Math.exp(-z))) / 1000;
    out.push({ label: labels[y], scores: [p, Math.round(z * 50) / 50], w: weighted ? 0.25 + next() : 1, offset });
    offset += 90 + Math.floor(next() * 21);
  }
  return out;
}

const info = (preview: string[][]): FileInfo => ({ format: 'csv', columns: ['y', 'prob', 'logit', 'w'], dataStart: 0, dataStartLine: 2, preview, headerless: false });

/**
 * The report of `data` split into ranges that start at the given blocks, with or without the
 * plan's guess; `scanned` (with the guess): whether the scan's passes must have held for every model.
 */
function report(data: Row[], starts: number[], options: ClassificationOptions, guess: boolean, weighted: boolean, scanned?: boolean): ClassificationReport {
  const fi = info([[], data.slice(0, 20).map((r) => String(r.scores[0])), data.slice(0, 20).map((r) => String(r.scores[1])), []]);
  const job = classification.plan(fi, { ...options, columns: { target: 'y', predictions: ['prob', 'logit'], ...(weighted ? { weight: 'w' } : {}) } }, 'f.csv');
  if (!guess) delete job.spec;
  else assert.ok(job.spec, 'the plan makes a guess from two sampled classes');
  const parts: ClassPart[] = [];
  const bounds = [...starts.map((b) => b * BLOCK_BYTES), Infinity];
  for (let r = 0; r + 1 < bounds.length; r++) {
    const keys = new GroupKeys();
    const sink = classification.newRange(job, null, { labels: keys });
    const enc = new TextEncoder();
    const values = new Float64Array(4);
    let line = 0;
    let first = -1;
    data.forEach((row, i) => {
      if (row.offset < bounds[r] || row.offset >= bounds[r + 1]) return;
      if (first < 0) first = i;
      const b = enc.encode(row.label);
      values[0] = keys.id(b, 0, b.length);
      values[1] = row.scores[0];
      values[2] = row.scores[1];
      values[3] = row.w;
      sink.row(++line, row.offset, values, -1);
    });
    parts.push(sink.result(line));
  }
  if (scanned !== undefined) {
    const held = parts.every((p) => p.passes !== null && p.passes.every((x) => x !== null));
    assert.equal(held, scanned, `the scan's passes ${scanned ? 'held' : 'were dropped'}`);
  }
  return classification.buildReport(parts, null, job, { file: 'f.csv', info: fi });
}

const options: ClassificationOptions = { labels: ['0', '1'], topK: 10, intervals: { confidence: 0.95 } };

test('the scan threads’ pass and the builder’s pass give the same report, bit for bit, for any split', () => {
  for (const weighted of [false, true]) {
    const data = rows(50_000, ['0', '1'], weighted);
    const blocks = Math.ceil(data[data.length - 1].offset / BLOCK_BYTES);
    assert.ok(blocks >= 4, `the rows span ${blocks} blocks`);
    const ref = report(data, [0], options, false, weighted);
    assert.equal(ref.models[0].scores, 'probabilities');
    assert.equal(ref.models[1].scores, 'logits');
    for (const starts of [[0], [0, 2], [0, 1, 3, 4]]) {
      for (const guess of [true, false]) {
        assert.deepEqual(report(data, starts, options, guess, weighted, guess ? true : undefined), ref, `weighted ${weighted}, ranges at blocks ${starts.join(',')}, guess ${guess}`);
      }
    }
  }
});

test('a wrong guess falls back to the builder’s pass: a third class is refused, a score outside [0, 1] makes logits', () => {
  const data = rows(30_000, ['no', 'yes'], false);
  const yesNo = { ...options, labels: ['no', 'yes'] };
  const ref = report(data, [0], yesNo, false, false);
  assert.equal(ref.positive, 'yes');
  assert.deepEqual(report(data, [0], yesNo, true, false, true), ref, 'the guess holds');
  // The first rows' probabilities are in [0, 1], a later one is not: the scan guessed probabilities, the file is logits.
  const outside = data.map((r, i) => (i === 25_000 ? { ...r, scores: [1.5, r.scores[1]] } : r));
  const fallback = report(outside, [0], yesNo, true, false, false);
  assert.equal(fallback.models[0].scores, 'logits', 'auto reads a score outside [0, 1] as a logit');
  assert.deepEqual(fallback, report(outside, [0], yesNo, false, false), 'the same report as without the guess');
  // A class the first rows did not show: refused with the sentence, guess or not.
  const third = data.map((r, i) => (i === 20_000 ? { ...r, label: 'maybe' } : r));
  assert.throws(() => report(third, [0], yesNo, true, false), /has 3 distinct values/);
  // The sampled classes were 0/1 but the file says no/yes: the guess fails, the report is the file's.
  assert.deepEqual(report(data, [0], options, true, false, false), ref, 'a guess of other classes changes nothing');
});
