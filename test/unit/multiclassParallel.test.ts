/**
 * A multiclass report is identical to the last bit whatever the threads, ranges and read buffer
 * (the family.ts contract; test/unit/parallel.test.ts's pattern): what VS Code now shows of a
 * large multiclass file, whose worker scans it on several threads (#13).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AnalyzeOptions, analyzeFile, ScanStats, splitPoints } from '../../src/engine/analyze';
import { inspectFile } from '../../src/engine/inspect';
import { openFileSource } from '../../src/engine/source';
import type { MulticlassReport } from '../../src/core/tasks/multiclass/report';
import { workerBundle } from '../helpers/bundle';
import { opts, rng } from '../helpers/run';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'li-mcpar-'));
process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));

test('a 5 MB multiclass CSV (string labels, probabilities and logits, weights, groups, skipped rows) gives bit-identical reports on 1, 2 and 4 threads and with tiny read buffers', async () => {
  const worker = workerBundle();
  const next = rng(13);
  const classes = ['ant', 'bee', 'cat', 'dog'];
  const lines = ['label,p_ant,p_bee,p_cat,p_dog,logit_ant,logit_bee,logit_cat,logit_dog,w,g'];
  for (let i = 0; i < 50_000; i++) {
    const y = Math.floor(next() * 4);
    const z = classes.map((_, c) => (next() - 0.5) * 4 + (c === y ? 1.5 : 0));
    const mx = Math.max(...z);
    const e = z.map((v) => Math.exp(v - mx));
    const se = e.reduce((a, b) => a + b, 0);
    // 17 significant digits, as pandas writes them; a missing score now and then.
    const p = e.map((v, c) => (i % 991 === 5 && c === 2 ? '' : (v / se).toPrecision(17)));
    lines.push(`${classes[y]},${p.join(',')},${z.map((v) => v.toFixed(3)).join(',')},${(next() * 2).toFixed(3)},g${i % 5}`);
  }
  const file = path.join(dir, 'multi.csv');
  fs.writeFileSync(file, lines.join('\n') + '\n');
  const size = fs.statSync(file).size;
  assert.ok(size > 4 << 20, `big enough for 4 ranges (${size} bytes)`);
  const src0 = openFileSource(file);
  const starts = splitPoints(src0, inspectFile(src0), 4);
  src0.close();
  assert.equal(starts.length, 4, 'the file really is split in 4');

  const run = async (o: Partial<AnalyzeOptions>): Promise<{ report: MulticlassReport; stats: ScanStats }> => {
    const stats = {} as ScanStats;
    const src = openFileSource(file);
    try {
      const report = await analyzeFile(src, opts({ columns: { weight: 'w', groupBy: 'g' }, topK: 25, parallelThreshold: 0, ...worker, stats, ...o }));
      assert.ok('task' in report && report.task === 'multiclass', 'detected as multiclass');
      return { report, stats };
    } finally {
      src.close();
    }
  };
  const one = (await run({ threads: 1 })).report;
  assert.equal(one.rows.skipped, Math.ceil((50_000 - 5) / 991));
  assert.deepEqual(one.models.map((m) => [m.prediction, m.scores]), [['p', 'probabilities'], ['logit', 'logits']]);
  assert.equal(one.models[0].worst.length, 25);
  assert.equal(one.groups?.groups.length, 5);
  assert.ok(one.models.every((m) => m.reliability.length > 5), 'reliability bins');
  for (const o of [{ threads: 2 }, { threads: 4 }, { threads: 4, chunkSize: 4096 }, { threads: 1, chunkSize: 777 }, { threads: 2, rangesPerThread: 3 }, { threads: 4, rangesPerThread: 2, callerScans: false }] satisfies Partial<AnalyzeOptions>[]) {
    const what = JSON.stringify(o);
    const { report, stats } = await run(o);
    assert.deepEqual(report, one, what);
    if (o.threads > 1) assert.equal(stats.fellBack, false, `${what}: no fallback to one thread`);
    if ('callerScans' in o) assert.equal(stats.rangesOnWorkers, stats.ranges, `${what}: workers scanned every range`);
  }
});
