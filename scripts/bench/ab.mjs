#!/usr/bin/env node
// Alternating A/B timing of shell commands, for comparing two builds or settings on this noisy
// shared machine: each round runs every command once, in turn, as a fresh process; prints the
// median, mean and minimum wall time of each. A measuring aid, not a test.
//
//   node scripts/bench/ab.mjs 12 'node /tmp/old-dist/cli.js FILE --json' 'node dist/cli.js FILE --json'
import { spawnSync } from 'node:child_process';

const [runsArg, ...cmds] = process.argv.slice(2);
const runs = Number(runsArg);
if (!(runs > 0) || cmds.length === 0) {
  console.error("usage: node scripts/bench/ab.mjs RUNS 'command A' ['command B' …]");
  process.exit(2);
}
const times = cmds.map(() => []);
for (let r = 0; r < runs; r++) {
  cmds.forEach((c, i) => {
    const t = performance.now();
    const p = spawnSync('bash', ['-c', c], { stdio: ['ignore', 'ignore', 'inherit'] });
    times[i].push(performance.now() - t);
    if (p.status) console.error(`exit ${p.status}: ${c}`);
  });
}
cmds.forEach((c, i) => {
  const a = times[i].slice().sort((x, y) => x - y);
  const mean = a.reduce((x, y) => x + y, 0) / a.length;
  console.log(`median ${a[a.length >> 1].toFixed(1)} ms  mean ${mean.toFixed(1)}  min ${a[0].toFixed(1)}  ${c}`);
});
