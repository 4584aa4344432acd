import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { once } from 'node:events';
import { keepSpareWorkers, takeWorker } from '../../src/extension/workerSpares';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'li-spares-'));
process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
const script = path.join(dir, 'echo.js');
// Answers each message with its thread id and how many messages it has seen: a reused worker would count past 1.
fs.writeFileSync(script, "const { parentPort, threadId } = require('node:worker_threads'); let n = 0; parentPort.on('message', () => parentPort.postMessage({ threadId, n: ++n }));");

async function ask(w: import('node:worker_threads').Worker): Promise<{ threadId: number; n: number }> {
  w.postMessage('hi');
  const [m] = (await once(w, 'message')) as [{ threadId: number; n: number }];
  return m;
}

test('spare workers: each job takes a fresh, already started worker and the next spare starts; off, jobs start their own', async () => {
  // Off (as in the CLI and these tests by default): a new worker per job.
  const plain = takeWorker(script);
  assert.equal((await ask(plain)).n, 1);
  await plain.terminate();

  keepSpareWorkers(script, true);
  const seen = new Set<number>();
  for (let i = 0; i < 3; i++) {
    const w = takeWorker(script);
    const m = await ask(w);
    assert.equal(m.n, 1, 'a spare has served no job before');
    assert.ok(!seen.has(m.threadId), 'every job gets another thread');
    seen.add(m.threadId);
    await w.terminate();
  }
  keepSpareWorkers(script, false);
  // Off again: the spare is gone, a job starts its own.
  const after = takeWorker(script);
  assert.equal((await ask(after)).n, 1);
  await after.terminate();
});
