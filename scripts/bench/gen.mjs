// Deterministic benchmark data for `npm run bench` (see bench.mjs).
//
//   node scripts/bench/gen.mjs KIND ROWS OUT     KIND = csv | pycsv | json | jsonl | bin17 | binshort | bintext | multi10
// pycsv (#20): `id,y_true,y_pred,note` as Python and pandas write floats: repr everywhere (the
// shortest round-trip digits, mostly 16–17 significant; e-notation below 1e-4), an integer id and
// a short text column.
//
// Also importable: `ensureData({ kind, rows, file })` generates FILE unless it is
// already there with the size its stamp (FILE.stamp.json) records for the same
// generator version, kind, rows and seed.
//
// Every row: id (1…ROWS), target, prediction = target + noise, note (short text).
// The bytes depend only on (kind, rows, SEED, GEN_VERSION): a seeded xoshiro128**
// PRNG, and only +, −, ×, ÷ and table look-ups on doubles (no Math.exp/log/sin,
// whose last bits could differ between engines), then String(x), which is the
// shortest round-trip form and the same in every ECMAScript engine.
//
// Numbers: ~45 % full doubles (String(x): up to 17 significant digits, in
// magnitudes 1e-4…1e7, with exponent notation where JS uses it, e.g. 3.2e-7 for
// some tiny predictions), the rest rounded to 0–4 decimals (e.g. 1234.5, 17, 0.25),
// a few negative. Noise is Irwin–Hall (≈ normal) scaled to the target's magnitude,
// plus 1 % outliers, so |d| spans both sides of the smooth L1 / Huber threshold 1.
// Notes: short words; ~10 % quoted CSV fields with a comma inside ("a, b"), ~2 % with
// an escaped quote ("say ""hi"""). The JSON variants carry the same records.
//
// Binary classification (CSV, as pandas' to_csv writes a DataFrame of an int label and a float
// probability): `label,probability` (bin17, binshort) or `label,probability,note` (bintext).
// About 40 % positives; the probability is sqrt(u) for a positive and u*u for a negative (u
// uniform; sqrt is correctly rounded, so still exact everywhere), 5 % of labels flipped
// (confidently wrong rows), 0.1 % exact 0 or 1 (log loss clipping). bin17 and bintext write each
// probability as Python's repr does: the shortest round-trip digits (mostly 16–17 significant),
// `0.0`/`1.0`, exponent form below 1e-4 (`5.5e-05`); binshort rounds it to 3 decimals first
// (`0.731`: many ties for the AUC). bintext's note is like the regression files' note column.
// All three consume the generator identically: the same labels and (unrounded) scores.
//
// Multiclass (multi10, #13): `label,proba_0,…,proba_9` as pandas' to_csv writes an int label and
// ten float columns (Python's repr: mostly 16–17 significant digits). Each row's weights are
// cubes of uniforms, the true class's raised by a uniform in [0.1, 0.7), 0.1% of them exactly 0,
// then divided by their sum; 5% of labels redrawn (confidently wrong rows).

import fs from 'node:fs';
import path from 'node:path';

export const GEN_VERSION = 1;
export const SEED = 20240611;

/** xoshiro128** — 32-bit state words, fast in JS, fully deterministic. */
function makeRng(seed) {
  // splitmix32 to spread the seed over 4 words
  let s = seed >>> 0;
  const next32 = () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = next32(), b = next32(), c = next32(), d = next32();
  const u32 = () => {
    const r = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0;
    const t = b << 9;
    c ^= a; d ^= b; b ^= c; a ^= d;
    c ^= t;
    d = rotl(d, 11);
    return r;
  };
  return {
    u32,
    /** uniform double in [0, 1) with 53 random bits */
    float() { return ((u32() >>> 5) * 67108864 + (u32() >>> 6)) / 9007199254740992; },
    /** integer in [0, n) */
    int(n) { return Math.floor(((u32() >>> 0) / 4294967296) * n); },
  };
}
function rotl(x, k) { return ((x << k) | (x >>> (32 - k))) >>> 0; }

const POW10 = [1e-4, 1e-3, 1e-2, 1e-1, 1, 10, 100, 1e3, 1e4, 1e5, 1e6];
// Magnitude weights: most targets between 0.1 and 1e4, a tail on both sides.
const MAG_WEIGHTS = [1, 2, 4, 8, 14, 18, 18, 14, 10, 7, 4];
const MAG_TABLE = MAG_WEIGHTS.flatMap((w, i) => Array(w).fill(i));
const WORDS = ['ok', 'a', 'b', 'hi', 'low', 'high', 'train', 'test', 'val', 'q1', 'q2', 'north', 'south', 'x7', 'batch', 'late', 'new', 'old'];

/** Round to `k` decimals through integers (exactly reproducible). */
function roundTo(x, k) {
  const f = [1, 10, 100, 1000, 10000][k];
  return Math.round(x * f) / f;
}

/** One row's values; `rng` advances identically for every output kind. */
function makeRow(rng) {
  const mag = POW10[MAG_TABLE[rng.int(MAG_TABLE.length)]];
  let target = (0.1 + rng.float() * 9.9) * mag;
  if (rng.int(20) === 0) target = -target;
  // Irwin–Hall with 4 uniforms: mean 0, sd 1/sqrt(3) ≈ 0.577
  const z = rng.float() + rng.float() + rng.float() + rng.float() - 2;
  let scale = rng.int(4) === 0 ? 0.5 : 0.02 * Math.abs(target) + 0.05;
  if (rng.int(100) === 0) scale *= 40; // outliers
  let prediction = target + z * scale;
  const style = rng.int(20);
  let t, p;
  if (style < 9) { // full doubles, up to 17 significant digits
    t = String(target); p = String(prediction);
  } else if (style < 11) { // integer target, full prediction
    t = String(Math.round(target)); p = String(prediction);
  } else { // shorter numbers: 0–4 decimals
    const k = rng.int(5);
    t = String(roundTo(target, k)); p = String(roundTo(prediction, k));
  }
  const nk = rng.int(100);
  let note;
  if (nk < 10) note = { csv: `"${WORDS[rng.int(WORDS.length)]}, ${WORDS[rng.int(WORDS.length)]}"`, text: null };
  else if (nk < 12) note = { csv: `"say ""${WORDS[rng.int(WORDS.length)]}"""`, text: null };
  else if (nk < 14) note = { csv: '', text: '' };
  else note = { csv: null, text: WORDS[rng.int(WORDS.length)] + (rng.int(2) ? '-' + rng.int(1000) : '') };
  return { t, p, note };
}

/** Any finite float as Python's repr writes it: JavaScript's shortest digits in Python's notation. */
function pyRepr(x) {
  if (Number.isInteger(x) && Math.abs(x) < 1e16) return x.toFixed(1);
  const a = Math.abs(x);
  if ((a < 1e-4 && a !== 0) || a >= 1e16) return x.toExponential().replace(/e([+-])(\d)$/, 'e$10$2');
  return String(x);
}

/** A float as Python's repr (and so pandas' to_csv) writes it, for x in [0, 1]. */
function pyFloat(x) {
  if (Number.isInteger(x)) return x.toFixed(1);
  if (x < 1e-4) return x.toExponential().replace(/e-(\d)$/, 'e-0$1');
  return String(x);
}

/** One binary row: label (0/1), probability of 1, note; `rng` advances identically for every shape. */
function makeBinaryRow(rng) {
  let y = rng.int(10) < 4 ? 1 : 0;
  const u = rng.float();
  let p = y ? Math.sqrt(u) : u * u;
  if (rng.int(20) === 0) y = 1 - y;
  const e = rng.int(2000);
  if (e === 0) p = 0;
  else if (e === 1) p = 1;
  const nk = rng.int(100);
  let note;
  if (nk < 10) note = `"${WORDS[rng.int(WORDS.length)]}, ${WORDS[rng.int(WORDS.length)]}"`;
  else if (nk < 12) note = '';
  else note = WORDS[rng.int(WORDS.length)] + (rng.int(2) ? '-' + rng.int(1000) : '');
  return { y, p, note };
}

export const BINARY_KINDS = ['bin17', 'binshort', 'bintext'];

const MULTI_K = 10;

/** One multi10 row: the label and the k probabilities as Python writes them, comma-separated. */
function makeMultiRow(rng) {
  let y = rng.int(MULTI_K);
  const w = new Array(MULTI_K);
  let sum = 0;
  for (let c = 0; c < MULTI_K; c++) {
    const u = rng.float();
    w[c] = rng.int(1000) === 0 ? 0 : u * u * u;
    if (c === y) w[c] += 0.1 + 0.6 * rng.float();
    sum += w[c];
  }
  if (rng.int(20) === 0) y = rng.int(MULTI_K);
  let s = String(y);
  for (let c = 0; c < MULTI_K; c++) s += ',' + pyFloat(w[c] / sum);
  return s;
}

/** CSV field text → JSON string literal content (for the quoted CSV forms). */
function noteText(note) {
  if (note.text !== null) return note.text;
  return note.csv.slice(1, -1).replace(/""/g, '"');
}

const BATCH = 50000;

/** Writes FILE (via FILE.tmp + rename). Returns { bytes, ms }. */
export function generate({ kind, rows, file }) {
  const t0 = performance.now();
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = file + '.tmp';
  const fd = fs.openSync(tmp, 'w');
  const rng = makeRng(SEED);
  let bytes = 0;
  const write = (s) => { bytes += fs.writeSync(fd, s); };
  const binary = BINARY_KINDS.includes(kind);
  const multi = kind === 'multi10';
  if (kind === 'csv') write('id,target,prediction,note\n');
  else if (multi) write(['label', ...Array.from({ length: MULTI_K }, (_, c) => `proba_${c}`)].join(',') + '\n');
  else if (kind === 'pycsv') write('id,y_true,y_pred,note\n');
  else if (binary) write(kind === 'bintext' ? 'label,probability,note\n' : 'label,probability\n');
  else if (kind === 'json') write('[\n');
  else if (kind !== 'jsonl') throw new Error(`unknown kind ${kind}`);
  for (let start = 1; start <= rows; start += BATCH) {
    const end = Math.min(rows, start + BATCH - 1);
    let s = '';
    for (let id = start; id <= end && binary; id++) {
      const { y, p, note } = makeBinaryRow(rng);
      if (kind === 'binshort') s += `${y},${pyFloat(roundTo(p, 3))}\n`;
      else if (kind === 'bin17') s += `${y},${pyFloat(p)}\n`;
      else s += `${y},${pyFloat(p)},${note}\n`;
    }
    for (let id = start; id <= end && multi; id++) s += makeMultiRow(rng) + '\n';
    for (let id = start; id <= end && !binary && !multi; id++) {
      const { t, p, note } = makeRow(rng);
      if (kind === 'csv') {
        s += `${id},${t},${p},${note.csv !== null ? note.csv : note.text}\n`;
      } else if (kind === 'pycsv') {
        // The same rows at full precision, with a residual of every magnitude (1e-7 … 1e2).
        const tt = Number(t) + rng.float() / 7;
        const pp = tt + (rng.float() - 0.5) * 10 ** (rng.int(10) - 7);
        s += `${id},${pyRepr(tt)},${pyRepr(pp)},${WORDS[id % WORDS.length]}\n`;
      } else {
        const rec = `{"id":${id},"target":${t},"prediction":${p},"note":${JSON.stringify(noteText(note))}}`;
        s += kind === 'json' ? (id < rows ? rec + ',\n' : rec + '\n') : rec + '\n';
      }
    }
    write(s);
  }
  if (kind === 'json') write(']\n');
  fs.closeSync(fd);
  fs.renameSync(tmp, file);
  return { bytes, ms: performance.now() - t0 };
}

function stampOf(kind, rows) { return { genVersion: GEN_VERSION, seed: SEED, kind, rows }; }

/** Generates FILE unless present and matching its stamp. Returns { file, bytes, generated, ms }. */
export function ensureData({ kind, rows, file }) {
  const stampFile = file + '.stamp.json';
  const want = stampOf(kind, rows);
  try {
    const stamp = JSON.parse(fs.readFileSync(stampFile, 'utf8'));
    const size = fs.statSync(file).size;
    if (Object.entries(want).every(([k, v]) => stamp[k] === v) && stamp.bytes === size) {
      return { file, bytes: size, generated: false, ms: 0 };
    }
  } catch { /* missing or unreadable: regenerate */ }
  const { bytes, ms } = generate({ kind, rows, file });
  fs.writeFileSync(stampFile, JSON.stringify({ ...want, bytes }, null, 2) + '\n');
  return { file, bytes, generated: true, ms };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [kind, rowsArg, out] = process.argv.slice(2);
  if (!kind || !rowsArg || !out) {
    console.error(`usage: node scripts/bench/gen.mjs csv|pycsv|json|jsonl|${BINARY_KINDS.join('|')}|multi10 ROWS OUT`);
    process.exit(2);
  }
  const r = ensureData({ kind, rows: Number(rowsArg), file: out });
  console.log(`${r.generated ? 'generated' : 'reused'} ${out}: ${(r.bytes / 1e6).toFixed(1)} MB${r.generated ? ` in ${(r.ms / 1000).toFixed(1)} s` : ''}`);
}
