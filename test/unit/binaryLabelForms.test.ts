/**
 * A binary label column written in many forms of its two values ("1", "01", "1.0", "001.00" …):
 * the scan stores label ids a byte a row until an id above 254 appears, then two bytes
 * (classification/accumulate.ts). Past 255 forms the report must be the canonical file's.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ClassificationReport } from '../../src/core/tasks/classification/report';
import { analyzeFile } from '../../src/engine/analyze';
import { memorySource } from '../../src/engine/source';
import { csvOf, opts, rng } from '../helpers/run';

const binary = async (name: string, text: string) =>
  (await analyzeFile(memorySource(new TextEncoder().encode(text), name), opts({ task: 'binary' }))) as ClassificationReport;

function forms(v: 0 | 1, n: number): string[] {
  const out: string[] = [];
  for (let zeros = 0; out.length < n; zeros++) for (const frac of ['', '.0', '.00', '.000', '.0000', '.00000']) out.push('0'.repeat(zeros) + v + frac);
  return out.slice(0, n);
}

test('a binary label in 400 written forms gives the report of the file with 0 and 1', async () => {
  const next = rng(5);
  const many = [forms(0, 200), forms(1, 200)];
  const plain: (string | number)[][] = [];
  const varied: (string | number)[][] = [];
  for (let i = 0; i < 6000; i++) {
    const y = next() < 0.4 ? 1 : 0;
    const p = Math.round(1000 / (1 + Math.exp(-((next() - 0.5) * 6 + (y ? 1 : -1))))) / 1000;
    plain.push([y, p]);
    // The first rows are the plain forms, so the wide ids come in the middle of a chunk.
    varied.push([i < 3000 ? y : many[y][i % 200], p]);
  }
  const a = await binary('plain.csv', csvOf(['label', 'score'], plain));
  const b = await binary('varied.csv', csvOf(['label', 'score'], varied));
  assert.equal(b.task, 'binary');
  assert.deepEqual(b.classes, a.classes);
  assert.equal(b.models[0].metrics.logLoss, a.models[0].metrics.logLoss);
  assert.deepEqual(b.models[0].metrics, a.models[0].metrics);
  assert.deepEqual(b.models[0].confusion, a.models[0].confusion);
});
