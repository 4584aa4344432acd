#!/usr/bin/env node
// The long fuzz run: test/unit/fuzz.test.ts and columnarFuzz.test.ts (Parquet, Arrow) with every run count multiplied (default × 20).
// `npm test` runs the same file × 1.
//
//   npm run fuzz                 × 20
//   npm run fuzz -- 100          × 100
//   npm run fuzz -- 5 --no-shrink --grep mutation
//
// --no-shrink reports the first failing input as found (shrinking slow inputs can take minutes);
// --grep PATTERN runs only the tests whose names match. Seeds are fixed, so a failure reproduces
// with the same multiplier; fast-check prints the seed and path of the counterexample.
import { spawn, spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
let runs = process.env.FUZZ_RUNS || '20';
let grep;
const env = { ...process.env, FUZZ_VERBOSE: '1' };
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === '--no-shrink') env.FUZZ_NO_SHRINK = '1';
  else if (a === '--grep') grep = args[++i];
  else if (/^\d+$/.test(a)) runs = a;
  else {
    console.error(`usage: npm run fuzz -- [MULTIPLIER] [--no-shrink] [--grep PATTERN] (unknown argument ${JSON.stringify(a)})`);
    process.exit(2);
  }
}
env.FUZZ_RUNS = runs;
// The same bundle as npm test (out/unit/, see scripts/build.mjs --unit): plain JavaScript runs the
// readers' byte loops faster than the sources under tsx.
const built = spawnSync(process.execPath, ['scripts/build.mjs', '--unit'], { cwd: root, stdio: 'inherit' });
if (built.status !== 0) process.exit(built.status ?? 1);
const nodeArgs = ['--enable-source-maps', '--test', '--test-reporter=spec'];
if (grep) nodeArgs.push('--test-name-pattern', grep);
nodeArgs.push('out/unit/fuzz.test.js', 'out/unit/columnarFuzz.test.js');
console.log(`fuzz: FUZZ_RUNS=${runs}${env.FUZZ_NO_SHRINK ? ', no shrinking' : ''}${grep ? `, tests matching ${JSON.stringify(grep)}` : ''}`);
const t0 = Date.now();
const child = spawn(process.execPath, nodeArgs, { cwd: root, env, stdio: 'inherit' });
child.on('exit', (code, signal) => {
  console.log(`fuzz: finished in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  process.exit(code ?? (signal ? 1 : 0));
});
