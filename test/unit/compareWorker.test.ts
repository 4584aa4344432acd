/**
 * Compare Loss's worker boundary (src/shared/workerProtocol.ts, 'compare'): the report a worker
 * posts is the engine's, bit for bit, for local files (paths) and for bytes read by the host
 * (virtual file systems); a failure arrives as the engine's sentence with its code, not a stack.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { compareInWorker } from '../../src/extension/workerClient';
import { compareFiles } from '../../src/engine/compare';
import { memorySource } from '../../src/engine/source';
import { isLossInspectorError } from '../../src/core/errors';
import type { CompareSettings } from '../../src/shared/workerProtocol';
import { bundle } from '../helpers/bundle';

const workerScript = bundle('worker');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'li-compare-worker-'));
process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
const enc = new TextEncoder();

const A = 'id,y,pred\n' + Array.from({ length: 30 }, (_, i) => `k${i},${i / 3},${i / 3 + ((i * 7) % 5) - 2}`).join('\n') + '\n';
const B = 'id,y,pred\n' + Array.from({ length: 30 }, (_, i) => 29 - i).map((i) => `k${i},${i / 3},${i / 3 + ((i * 3) % 4) - 1.5}`).join('\n') + '\n';
const settings: CompareSettings = { key: 'id', task: 'auto', classification: { scores: 'auto', threshold: 0.5, gamma: 2, alpha: 0.25 }, predictions: [], beta: 1, delta: 1, quantile: 0.5, topK: 5, bins: 10, confidence: 0.95 };

function inProcess(key?: string) {
  return compareFiles([memorySource(enc.encode(A), 'a.csv'), memorySource(enc.encode(B), 'b.csv')], {
    ...(key !== undefined ? { key } : {}),
    columns: { predictions: [] },
    params: { beta: 1, delta: 1, quantile: 0.5 },
    topK: 5,
    bins: 10,
    intervals: { confidence: 0.95 },
  });
}

test('the worker’s comparison is the engine’s, from paths and from bytes', async () => {
  fs.writeFileSync(path.join(dir, 'a.csv'), A);
  fs.writeFileSync(path.join(dir, 'b.csv'), B);
  const want = inProcess('id');
  const fromPaths = await compareInWorker(
    workerScript,
    [
      { kind: 'path', path: path.join(dir, 'a.csv'), name: 'a.csv' },
      { kind: 'path', path: path.join(dir, 'b.csv'), name: 'b.csv' },
    ],
    settings,
    () => undefined,
  ).result;
  assert.deepEqual(fromPaths, want);
  const fromBytes = await compareInWorker(
    workerScript,
    [
      { kind: 'bytes', bytes: enc.encode(A), name: 'a.csv' },
      { kind: 'bytes', bytes: enc.encode(B), name: 'b.csv' },
    ],
    settings,
    () => undefined,
  ).result;
  assert.deepEqual(fromBytes, want);
  assert.deepEqual(fromBytes.models.map((m) => m.prediction), ['a.csv:pred', 'b.csv:pred']);
  assert.ok(fromBytes.compare.changed[0].rows.length > 0);
});

test('a failed comparison crosses the boundary as the engine’s sentence and code', async () => {
  const { key: _key, ...byOrder } = settings;
  void _key;
  const job = compareInWorker(
    workerScript,
    [
      { kind: 'bytes', bytes: enc.encode(A), name: 'a.csv' },
      { kind: 'bytes', bytes: enc.encode(B), name: 'b.csv' },
    ],
    byOrder,
    () => undefined,
  );
  await assert.rejects(job.result, (e: unknown) => {
    assert.ok(isLossInspectorError(e), String(e));
    assert.equal(e.code, 'filesDiffer');
    assert.match(e.message, /^Row 1 differs: its target is 0 on line 2 of 'a\.csv' and 9\.666666666666666 on line 2 of 'b\.csv'\./);
    assert.doesNotMatch(e.message, /\n\s+at /);
    return true;
  });
});

test('the groupBy setting crosses the boundary: the first file’s column groups the report; a first file without it is not grouped (no error)', async () => {
  const grouped = 'id,fold,y,pred\n' + Array.from({ length: 30 }, (_, i) => `k${i},${i % 3 === 0 ? 'test' : 'train'},${i / 3},${i / 3 + ((i * 7) % 5) - 2}`).join('\n') + '\n';
  const files = (first: string) => [
    { kind: 'bytes' as const, bytes: enc.encode(first), name: 'a.csv' },
    { kind: 'bytes' as const, bytes: enc.encode(B), name: 'b.csv' },
  ];
  const r = await compareInWorker(workerScript, files(grouped), { ...settings, groupBy: 'fold' }, () => undefined).result;
  assert.deepEqual(r.groups?.groups.map((g) => [g.value, g.rows]), [['train', 20], ['test', 10]]);
  const want = compareFiles([memorySource(enc.encode(grouped), 'a.csv'), memorySource(enc.encode(B), 'b.csv')], { key: 'id', columns: { predictions: [], groupBy: 'fold' }, params: { beta: 1, delta: 1, quantile: 0.5 }, topK: 5, bins: 10, intervals: { confidence: 0.95 } });
  assert.deepEqual(r, want);
  const plain = await compareInWorker(workerScript, files(A), { ...settings, groupBy: 'fold' }, () => undefined).result;
  assert.equal(plain.groups, null);
});
