#!/usr/bin/env node
// Alternating A/B timing of shell commands, for comparing two builds or settings on this noisy
// shared machine: each round runs every command once, in turn, as a fresh process; prints the
// median, mean and minimum wall time of each and, where GNU time is installed, the median CPU
// time (user + system) of the child, which other processes' load disturbs less than the wall
// time. A measuring aid, not a test.
//
//   node scripts/bench/ab.mjs 12 'node /tmp/old-dist/cli.js FILE --json' 'node dist/cli.js FILE --json'
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const [runsArg, ...cmds] = process.argv.slice(2);
const runs = Number(runsArg);
if (!(runs > 0) || cmds.length === 0) {
  console.error("usage: node scripts/bench/ab.mjs RUNS 'command A' ['command B' …]");
  process.exit(2);
}
const TIME = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
const cpuFile = path.join(os.tmpdir(), `ab-cpu-${process.pid}`);
const times = cmds.map(() => []);
const cpus = cmds.map(() => []);
for (let r = 0; r < runs; r++) {
  cmds.forEach((c, i) => {
    const argv = TIME ? [TIME, ['-q', '-f', '%U %S', '-o', cpuFile, 'bash', '-c', c]] : ['bash', ['-c', c]];
    const t = performance.now();
    const p = spawnSync(argv[0], argv[1], { stdio: ['ignore', 'ignore', 'inherit'] });
    times[i].push(performance.now() - t);
    if (p.status) console.error(`exit ${p.status}: ${c}`);
    if (TIME) {
      const [u, s] = fs.readFileSync(cpuFile, 'utf8').trim().split(/\s+/).slice(-2).map(Number);
      cpus[i].push((u + s) * 1000);
    }
  });
}
if (TIME) fs.rmSync(cpuFile, { force: true });
const median = (x) => x.slice().sort((a, b) => a - b)[x.length >> 1];
cmds.forEach((c, i) => {
  const a = times[i].slice().sort((x, y) => x - y);
  const mean = a.reduce((x, y) => x + y, 0) / a.length;
  const cpu = TIME ? `  cpu ${median(cpus[i]).toFixed(0)}` : '';
  console.log(`median ${median(a).toFixed(1)} ms  mean ${mean.toFixed(1)}  min ${a[0].toFixed(1)}${cpu}  ${c}`);
});
