#!/usr/bin/env node
// Entry point of `npm run test:vscode`: real VS Code (code-server) + headless Chromium.
//
//   node test/e2e/run.mjs [filter ...] [--skip-setup] [--list]
//
// 1. Runs scripts/e2e/setup.mjs (idempotent; installs code-server, Node 24, playwright-core
//    into .cache/e2e/ and Debian's chromium when missing).
// 2. Picks the extension package: $E2E_VSIX, else the newest *.vsix in the repo root (made
//    by `npm run package`; this script builds nothing). Scenarios get it as $E2E_VSIX.
// 3. Runs test/e2e/scenarios/*.mjs in name order (only those whose file name contains one
//    of the filters, when given), each in its own process group with a timeout
//    ($E2E_SCENARIO_TIMEOUT seconds, default 300; a file may say `// e2e-timeout: 600`).
// 4. Prints `ok N - name` / `not ok N - name` per scenario and a last line
//    `N passed, N failed`; exits 1 if any failed (or none ran).
//
// Screenshots and failure screenshots: test-results/e2e/. Other environment knobs:
// E2E_KEEP=1 keeps temp workspaces/profiles (in .cache/e2e/tmp) for inspection.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureSetup, paths } from '../../scripts/e2e/setup.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const SCENARIOS_DIR = path.join(here, 'scenarios');
const RESULTS_DIR = path.join(paths.repoRoot, 'test-results', 'e2e');
const RUNS_DIR = path.join(paths.cacheDir, 'runs');
const DEFAULT_TIMEOUT_S = Number(process.env.E2E_SCENARIO_TIMEOUT || 300);

const argv = process.argv.slice(2);
const skipSetup = argv.includes('--skip-setup');
const listOnly = argv.includes('--list');
const filters = argv.filter((a) => !a.startsWith('--'));

function summary(passed, failed) {
  console.log(`${passed} passed, ${failed} failed`);
}

const scenarios = fs
  .readdirSync(SCENARIOS_DIR)
  .filter((f) => f.endsWith('.mjs'))
  .filter((f) => !filters.length || filters.some((x) => f.includes(x)))
  .sort();

if (listOnly) {
  for (const s of scenarios) console.log(s);
  process.exit(0);
}
if (!scenarios.length) {
  console.log(`not ok 1 - no scenario matched ${filters.length ? JSON.stringify(filters) : 'in ' + SCENARIOS_DIR}`);
  summary(0, 1);
  process.exit(1);
}

const tStart = Date.now();
if (!skipSetup) {
  try {
    await ensureSetup();
  } catch (e) {
    console.error(e.message || e);
    console.log('not ok 1 - e2e setup (scripts/e2e/setup.mjs)');
    summary(0, 1);
    process.exit(1);
  }
}

const vsixEnv = {};
try {
  const vsix = findVsix();
  if (vsix) {
    vsixEnv.E2E_VSIX = vsix;
    console.error(`[e2e] extension package: ${path.relative(paths.repoRoot, vsix) || vsix} (${new Date(fs.statSync(vsix).mtimeMs).toISOString()})`);
  } else {
    console.error('[e2e] no .vsix found (run `npm run package` or set E2E_VSIX); scenarios that need the extension will fail');
  }
} catch (e) {
  console.error(`[e2e] ${e.message}`);
  console.log('not ok 1 - extension package');
  summary(0, 1);
  process.exit(1);
}

purgeStaleTemp();
fs.rmSync(RESULTS_DIR, { recursive: true, force: true });
fs.mkdirSync(RESULTS_DIR, { recursive: true });
fs.mkdirSync(RUNS_DIR, { recursive: true });

let passed = 0;
let failed = 0;
let current = null;
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.once(sig, async () => {
    if (current) await current.kill();
    process.exit(130);
  });
}

for (const [i, file] of scenarios.entries()) {
  const name = file.replace(/\.mjs$/, '');
  const full = path.join(SCENARIOS_DIR, file);
  const timeoutS = fileTimeout(full) ?? DEFAULT_TIMEOUT_S;
  console.error(`\n[e2e] ── ${name} (timeout ${timeoutS}s)`);
  const t0 = Date.now();
  const res = await runScenario(full, timeoutS * 1000);
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  if (res.code === 0) {
    passed++;
    console.log(`ok ${i + 1} - ${name} (${secs}s)`);
  } else {
    failed++;
    const why = res.timedOut ? `timed out after ${timeoutS}s` : res.signal ? `killed by ${res.signal}` : `exit code ${res.code}`;
    console.log(`not ok ${i + 1} - ${name} (${why}, ${secs}s)`);
  }
}
console.error(`[e2e] total ${((Date.now() - tStart) / 1000).toFixed(1)}s; screenshots in ${path.relative(paths.repoRoot, RESULTS_DIR)}/`);
summary(passed, failed);
process.exit(failed ? 1 : 0);

// ----------------------------------------------------------------------------

function findVsix() {
  if (process.env.E2E_VSIX) {
    const p = path.resolve(process.env.E2E_VSIX);
    if (!fs.existsSync(p)) throw new Error(`E2E_VSIX=${p} does not exist`);
    return p;
  }
  return (
    fs
      .readdirSync(paths.repoRoot)
      .filter((f) => f.endsWith('.vsix'))
      .map((f) => path.join(paths.repoRoot, f))
      .sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs)[0] || null
  );
}

/** Remove what earlier (killed or E2E_KEEP) runs left in .cache/e2e/tmp, if older than 2 hours. */
function purgeStaleTemp() {
  const dir = path.join(paths.cacheDir, 'tmp');
  const cutoff = Date.now() - 2 * 3600_000;
  let entries = [];
  try {
    entries = fs.readdirSync(dir);
  } catch {
    return;
  }
  for (const e of entries) {
    if (!/^(ws-|profile-|chromium-|vscode-ipc-)/.test(e)) continue;
    const p = path.join(dir, e);
    try {
      if (fs.lstatSync(p).mtimeMs < cutoff) fs.rmSync(p, { recursive: true, force: true });
    } catch {}
  }
}

function fileTimeout(file) {
  const head = fs.readFileSync(file, 'utf8').slice(0, 2000);
  const m = head.match(/e2e-timeout:\s*(\d+)/);
  return m ? Number(m[1]) : null;
}

function pidFiles() {
  try {
    return new Set(fs.readdirSync(RUNS_DIR).filter((f) => f.endsWith('.pid')));
  } catch {
    return new Set();
  }
}

function killGroup(pgid, sig) {
  try {
    process.kill(-pgid, sig);
    return true;
  } catch {
    return false;
  }
}

/** Kill code-server groups a scenario left behind (it registers them as .cache/e2e/runs/*.pid). */
function killLeftoverServers(before) {
  for (const f of pidFiles()) {
    if (before.has(f)) continue;
    const pgid = Number(fs.readFileSync(path.join(RUNS_DIR, f), 'utf8'));
    if (pgid > 1 && killGroup(pgid, 'SIGKILL')) console.error(`[e2e] killed leftover code-server group ${pgid}`);
    fs.rmSync(path.join(RUNS_DIR, f), { force: true });
  }
}

function runScenario(file, timeoutMs) {
  const before = pidFiles();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [file], {
      cwd: paths.repoRoot,
      stdio: ['ignore', 'inherit', 'inherit'],
      detached: true, // own process group: Chromium and helpers die with it
      env: { ...process.env, ...vsixEnv },
    });
    let timedOut = false;
    let done = false;
    const kill = async () => {
      killGroup(child.pid, 'SIGTERM'); // the harness cleans up on SIGTERM
      for (let i = 0; i < 50 && !done; i++) await new Promise((r) => setTimeout(r, 200));
      killGroup(child.pid, 'SIGKILL');
      killLeftoverServers(before);
    };
    current = { kill };
    const timer = setTimeout(() => {
      timedOut = true;
      console.error(`[e2e] ${path.basename(file)} timed out after ${timeoutMs / 1000}s, stopping it`);
      kill();
    }, timeoutMs);
    child.on('exit', (code, signal) => {
      done = true;
      clearTimeout(timer);
      killGroup(child.pid, 'SIGKILL'); // stray Chromium helpers, if any
      killLeftoverServers(before);
      current = null;
      resolve({ code: timedOut ? 1 : code ?? 1, signal, timedOut });
    });
  });
}
