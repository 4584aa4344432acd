// Real-VS-Code end-to-end harness: code-server (VS Code in the browser) driven by
// headless Chromium through playwright-core. Both are installed into
// .cache/e2e/ by scripts/e2e/setup.mjs.
//
// Typical use in a scenario (test/e2e/scenarios/*.mjs):
//
//   import * as h from '../harness.mjs';
//   await h.scenario('name', async ({ vsix }) => {
//     const folder = h.makeWorkspace({ 'preds.csv': 'y,yhat\n1,2\n' });
//     const server = await h.startCodeServer({ folder, vsix });
//     const { page } = await h.launchBrowser();
//     await h.openWorkbench(page, server);
//     await h.rightClickExplorerItem(page, 'preds.csv', { waitForItem: 'Inspect Losses' });
//     await h.clickContextMenuItem(page, 'Inspect Losses', { explorerItem: 'preds.csv' });
//     const frame = await h.findWebviewFrame(page, '#report');
//     ...
//   });
//
// Everything started through this module (servers, browsers, temp dirs) is
// cleaned up when the scenario ends, also on errors and on SIGTERM/SIGINT.

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import util from 'node:util';
import { createRequire } from 'node:module';
import { paths, isolatedEnv, node24Env } from '../../scripts/e2e/setup.mjs';

export { paths };
export const RESULTS_DIR = path.join(paths.repoRoot, 'test-results', 'e2e');
const RUNS_DIR = path.join(paths.cacheDir, 'runs');

export const THEMES = { light: 'Default Light Modern', dark: 'Default Dark Modern' };

/** Settings written into every fresh user-data-dir (theme added by startCodeServer). */
export const DEFAULT_SETTINGS = {
  'workbench.startupEditor': 'none',
  'security.workspace.trust.enabled': false,
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'telemetry.telemetryLevel': 'off',
  'workbench.enableExperiments': false,
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'chat.disableAIFeatures': true,
  'git.enabled': false,
  'files.hotExit': 'off',
  'window.restoreWindows': 'none',
  'workbench.editor.restoreViewState': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  // Settings/keybindings editors would open as a floating modal, not as a tab.
  'workbench.editor.useModal': 'off',
  // Otherwise the browser's prefers-color-scheme picks the theme, not workbench.colorTheme.
  'window.autoDetectColorScheme': false,
};

// ---------------------------------------------------------------- utilities

export function log(...args) {
  const t = new Date().toISOString().slice(11, 23);
  console.error(`[e2e ${t}]`, ...args);
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const cleanups = []; // LIFO stack of async cleanup functions
function onCleanup(fn) {
  cleanups.push(fn);
  return () => {
    const i = cleanups.indexOf(fn);
    if (i >= 0) cleanups.splice(i, 1);
  };
}
/** Stop everything this module started (servers, browsers, temp dirs). Safe to call twice. */
export async function cleanupAll() {
  while (cleanups.length) {
    const fn = cleanups.pop();
    try {
      await fn();
    } catch (e) {
      log('cleanup error:', e?.message || e);
    }
  }
}

// Last resort: synchronously kill server process groups if the process exits abruptly.
const liveGroups = new Set();
process.on('exit', () => {
  for (const pgid of liveGroups) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {}
  }
});
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.once(sig, async () => {
    log(`received ${sig}, cleaning up`);
    await Promise.race([screenshotOpenPages(`${currentScenario || 'e2e'}-killed`), sleep(3000)]);
    await Promise.race([cleanupAll(), sleep(8000)]);
    process.exit(sig === 'SIGINT' ? 130 : 143);
  });
}

function mkTemp(prefix) {
  const base = path.join(paths.cacheDir, 'tmp');
  fs.mkdirSync(base, { recursive: true });
  return fs.mkdtempSync(path.join(base, prefix));
}

/**
 * Create a temporary workspace folder holding `files` ({ relativePath: string|Buffer }).
 * Removed at cleanup unless E2E_KEEP=1.
 */
export function makeWorkspace(files = {}, { prefix = 'ws-' } = {}) {
  const dir = mkTemp(prefix);
  for (const [rel, content] of Object.entries(files)) {
    const p = path.join(dir, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, content);
  }
  if (!process.env.E2E_KEEP) onCleanup(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export function getFreePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** The .vsix to test: $E2E_VSIX, else the newest *.vsix in the repo root; null if none. */
export function findVsix() {
  if (process.env.E2E_VSIX) {
    const p = path.resolve(process.env.E2E_VSIX);
    if (!fs.existsSync(p)) throw new Error(`E2E_VSIX=${p} does not exist`);
    return p;
  }
  const files = fs
    .readdirSync(paths.repoRoot)
    .filter((f) => f.endsWith('.vsix'))
    .map((f) => path.join(paths.repoRoot, f))
    .sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs);
  return files[0] || null;
}

/** Like findVsix() but throws a clear error when there is none. */
export function requireVsix() {
  const v = findVsix();
  if (!v) throw new Error('no .vsix found: run `npm run package` first (or set E2E_VSIX=/path/to/file.vsix)');
  return v;
}

// ---------------------------------------------------------------- profiles & code-server

/**
 * A code-server profile: user-data-dir + extensions-dir. Fresh (temp) unless `dir` is given.
 * @returns {{ dir: string, userDataDir: string, extensionsDir: string, settingsPath: string }}
 */
export function createProfile({ dir } = {}) {
  const root = dir ? path.resolve(dir) : mkTemp('profile-');
  const p = {
    dir: root,
    userDataDir: path.join(root, 'user-data'),
    extensionsDir: path.join(root, 'extensions'),
    settingsPath: path.join(root, 'user-data', 'User', 'settings.json'),
  };
  fs.mkdirSync(path.dirname(p.settingsPath), { recursive: true });
  fs.mkdirSync(p.extensionsDir, { recursive: true });
  if (!dir && !process.env.E2E_KEEP) onCleanup(() => fs.rmSync(root, { recursive: true, force: true }));
  return p;
}

function codeServerEnv(profile) {
  const env = node24Env(isolatedEnv());
  if (profile) {
    // VS Code leaves vscode-ipc-*.sock files in TMPDIR: keep them inside the profile.
    env.TMPDIR = path.join(profile.dir, 'tmp');
    fs.mkdirSync(env.TMPDIR, { recursive: true });
  }
  // Keep the user's shell/VS Code environment from leaking into the server.
  for (const k of Object.keys(env)) if (k.startsWith('VSCODE_') || k === 'ELECTRON_RUN_AS_NODE') delete env[k];
  return env;
}

/**
 * Install a .vsix into a profile with `code-server --install-extension`.
 * Install before startCodeServer() (or pass `vsix` to it); a running server does not
 * see extensions installed behind its back until the window reloads.
 */
export async function installVsix(vsixPath, profile) {
  if (!profile) throw new Error('installVsix(vsixPath, profile): profile is required (createProfile() or server.profile)');
  const abs = path.resolve(vsixPath);
  if (!fs.existsSync(abs)) throw new Error(`vsix not found: ${abs}`);
  const t0 = Date.now();
  const r = spawnSync(
    paths.node,
    [
      paths.codeServerEntry,
      '--user-data-dir', profile.userDataDir,
      '--extensions-dir', profile.extensionsDir,
      '--install-extension', abs,
      '--force',
    ],
    { encoding: 'utf8', env: codeServerEnv(profile), timeout: 120_000 },
  );
  const out = `${r.stdout || ''}${r.stderr || ''}`;
  if (r.status !== 0 || !/successfully installed|already installed/i.test(out)) {
    throw new Error(`installing ${abs} failed (exit ${r.status}${r.error ? ', ' + r.error.message : ''}):\n${out}`);
  }
  log(`installed ${path.basename(abs)} in ${Date.now() - t0} ms`);
  return out.trim();
}

/** A settings.json-like file (comments and trailing commas tolerated); {} when it does not exist. */
export function readJsonc(file) {
  if (!fs.existsSync(file)) return {};
  const text = fs.readFileSync(file, 'utf8');
  try {
    return JSON.parse(text);
  } catch {
    // Tolerate comments / trailing commas written by hand.
    const stripped = text.replace(/\/\*[\s\S]*?\*\/|(^|[^:"'])\/\/.*$/gm, '$1').replace(/,(\s*[}\]])/g, '$1');
    return JSON.parse(stripped || '{}');
  }
}

/**
 * Merge `settings` into a profile's user settings.json on disk (`undefined` removes a key).
 * Use it before startCodeServer(). While the server runs, VS Code does NOT reliably
 * notice such writes (code-server's remote file watcher misses them) — use
 * setUserSetting(page, server, …), which edits the file through the workbench.
 */
export function writeUserSettings(profileOrServer, settings) {
  const file = profileOrServer.settingsPath || profileOrServer.profile?.settingsPath;
  const merged = { ...readJsonc(file), ...settings };
  for (const [k, v] of Object.entries(settings)) if (v === undefined) delete merged[k];
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(merged, null, 2) + '\n');
  return merged;
}

/**
 * Start code-server in its own process group.
 * @param {object} o
 * @param {string} [o.folder]      workspace folder opened by default (openWorkbench)
 * @param {'light'|'dark'|string} [o.theme='light']  'light' | 'dark' | a full theme name
 * @param {boolean} [o.smokeTestDriver=false]  pass --vscode-option enable-smoke-test-driver (needed for runExtensionTests)
 * @param {object} [o.settings]    extra user settings
 * @param {string|string[]} [o.vsix]  .vsix file(s) to install before starting
 * @param {object} [o.profile]     from createProfile(); fresh one if omitted
 * @param {number} [o.port]        fixed port; a free one if omitted
 * @param {string[]} [o.extraArgs] more code-server arguments
 * @param {boolean} [o.workspaceTrust=false]  keep workspace trust on (no --disable-workspace-trust);
 *   with the setting security.workspace.trust.enabled: true the folder opens in Restricted Mode
 * @returns {Promise<{url, port, folder, profile, settingsPath, logPath, pid, stop, log}>}
 */
export async function startCodeServer({
  folder,
  theme = 'light',
  smokeTestDriver = false,
  settings = {},
  vsix,
  profile,
  port,
  extraArgs = [],
  workspaceTrust = false,
  readyTimeoutMs = 60_000,
} = {}) {
  if (!fs.existsSync(paths.codeServerEntry)) throw new Error('code-server is not installed: run `node scripts/e2e/setup.mjs`');
  profile = profile || createProfile();
  writeUserSettings(profile, { ...DEFAULT_SETTINGS, 'workbench.colorTheme': THEMES[theme] || theme, ...settings });
  for (const v of [vsix].flat().filter(Boolean)) await installVsix(v, profile);

  port = port || (await getFreePort());
  fs.mkdirSync(RUNS_DIR, { recursive: true });
  const logPath = path.join(profile.dir, 'code-server.log');
  const logFd = fs.openSync(logPath, 'a');
  const args = [
    paths.codeServerEntry,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    ...(workspaceTrust ? [] : ['--disable-workspace-trust']),
    '--disable-getting-started-override',
    '--user-data-dir', profile.userDataDir,
    '--extensions-dir', profile.extensionsDir,
    ...(smokeTestDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
    ...extraArgs,
    ...(folder ? [path.resolve(folder)] : []),
  ];
  const t0 = Date.now();
  const child = spawn(paths.node, args, { detached: true, stdio: ['ignore', logFd, logFd], env: codeServerEnv(profile) });
  fs.closeSync(logFd);
  const pgid = child.pid;
  liveGroups.add(pgid);
  // A pid file lets test/e2e/run.mjs kill leftovers if this scenario process is killed hard.
  const pidFile = path.join(RUNS_DIR, `code-server-${pgid}.pid`);
  fs.writeFileSync(pidFile, String(pgid));
  let exited = null;
  const exitPromise = new Promise((r) => child.once('exit', (code, signal) => r((exited = { code, signal }))));

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    try {
      process.kill(-pgid, 'SIGTERM');
    } catch {}
    await Promise.race([exitPromise, sleep(5000)]);
    // Extension hosts and other children can outlive the main process: kill the whole group.
    for (let i = 0; i < 20 && groupAlive(pgid); i++) {
      try {
        process.kill(-pgid, i < 10 ? 'SIGTERM' : 'SIGKILL');
      } catch {}
      await sleep(200);
    }
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {}
    liveGroups.delete(pgid);
    fs.rmSync(pidFile, { force: true });
  };
  const unregister = onCleanup(stop);

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + readyTimeoutMs;
  for (;;) {
    if (exited) {
      await stop();
      unregister();
      throw new Error(`code-server exited early (${JSON.stringify(exited)}); log:\n${tail(logPath)}`);
    }
    try {
      const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) });
      if (res.ok) break;
    } catch {}
    if (Date.now() > deadline) {
      await stop();
      unregister();
      throw new Error(`code-server did not answer on ${url} within ${readyTimeoutMs} ms; log:\n${tail(logPath)}`);
    }
    await sleep(250);
  }
  log(`code-server ${url} ready in ${Date.now() - t0} ms (pgid ${pgid}, log ${logPath})`);
  return {
    url,
    port,
    folder: folder ? path.resolve(folder) : undefined,
    profile,
    settingsPath: profile.settingsPath,
    logPath,
    pid: pgid,
    stop: async () => {
      unregister();
      await stop();
    },
    log: () => fs.readFileSync(logPath, 'utf8'),
  };
}

function groupAlive(pgid) {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

function tail(file, n = 40) {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-n).join('\n');
  } catch {
    return '(no log)';
  }
}

// ---------------------------------------------------------------- browser

const openPages = new Set();
let _pw;
function playwright() {
  if (!_pw) {
    const req = createRequire(path.join(paths.cacheDir, 'package.json'));
    try {
      _pw = req('playwright-core');
    } catch (e) {
      throw new Error(`playwright-core is not installed in ${paths.cacheDir}: run \`node scripts/e2e/setup.mjs\` (${e.message})`, { cause: e });
    }
  }
  return _pw;
}

/**
 * Launch headless system Chromium with a throwaway profile.
 * @returns {Promise<{context, page, consoleMessages: string[], close()}>}
 */
export async function launchBrowser({ headless = true, viewport = { width: 1400, height: 900 }, colorScheme = 'light' } = {}) {
  const profileDir = mkTemp('chromium-');
  const context = await playwright().chromium.launchPersistentContext(profileDir, {
    executablePath: paths.chromium,
    headless,
    viewport,
    colorScheme,
    // Our own SIGTERM/SIGINT handler closes the browser (and the rest) in order.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
  const page = context.pages()[0] || (await context.newPage());
  openPages.add(page);
  const consoleMessages = [];
  page.on('console', (m) => consoleMessages.push(`[${m.type()}] ${m.text()}`));
  page.on('pageerror', (e) => consoleMessages.push(`[pageerror] ${e.message}`));
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    openPages.delete(page);
    await Promise.race([context.close().catch(() => {}), sleep(10_000)]);
    fs.rmSync(profileDir, { recursive: true, force: true });
  };
  const unregister = onCleanup(close);
  return {
    context,
    page,
    consoleMessages,
    close: async () => {
      unregister();
      await close();
    },
  };
}

/** URL of the workbench for `folder`, with optional smoke-test payload ([[key, value], ...]). */
export function workbenchUrl(server, { folder = server.folder, payload } = {}) {
  const q = [];
  if (folder) q.push(`folder=${encodeURIComponent(path.resolve(folder))}`);
  if (payload) q.push(`payload=${encodeURIComponent(JSON.stringify(payload))}`);
  return `${server.url}/${q.length ? '?' + q.join('&') : ''}`;
}

/**
 * Open the workbench on `folder` (default: the server's folder) and wait until the
 * Explorer shows its rows. `expectFile` additionally waits for that Explorer row.
 */
export async function openWorkbench(page, server, { folder = server.folder, expectFile, timeout = 60_000 } = {}) {
  const t0 = Date.now();
  await page.goto(workbenchUrl(server, { folder }), { waitUntil: 'domcontentloaded', timeout });
  await page.locator('.monaco-workbench').first().waitFor({ state: 'visible', timeout });
  if (folder) {
    await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ state: 'visible', timeout });
  }
  if (expectFile) await explorerRow(page, expectFile).waitFor({ state: 'visible', timeout });
  // The configured color theme is applied ~1-3 s after the Explorer renders (until then the
  // workbench shows a generic light theme): screenshots taken earlier show the wrong colors.
  await page.locator('.monaco-workbench[class*="vscode-theme-"]').first().waitFor({ state: 'attached', timeout });
  log(`workbench open in ${Date.now() - t0} ms`);
}

const exact = (s) => new RegExp(`^\\s*${s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);

/** Locator for an Explorer row by file/folder name (exact). */
export function explorerRow(page, name) {
  return page.locator('.explorer-folders-view .monaco-list-row').filter({
    has: page.locator('.label-name', { hasText: exact(name) }),
  });
}

const MENU_ITEM = '.context-view .monaco-menu .action-item:not(.disabled) .action-label';

/** Labels of the open context menu (empty array when none is open). */
export async function contextMenuItems(page) {
  const labels = await page.locator(MENU_ITEM).allTextContents().catch(() => []);
  return labels.map((s) => s.trim()).filter(Boolean);
}

async function closeMenus(page) {
  // One Escape, then wait for the menu to go: a second Escape that lands after it closed reaches
  // the Explorer, whose Escape clears the selection (a multi-selection lost on a busy machine).
  const menu = page.locator('.context-view .monaco-menu');
  for (let i = 0; i < 3 && (await menu.count()) > 0; i++) {
    await page.keyboard.press('Escape');
    for (let t = 0; t < 20 && (await menu.count()) > 0; t++) await page.waitForTimeout(100);
  }
}

/**
 * Right-click an Explorer row and wait for the context menu. With `waitForItem`
 * (string or RegExp), retry (Escape, wait, right-click) until the menu holds that
 * item: extension contributions arrive seconds after the Explorer renders and an
 * open menu does not update.
 * @returns {Promise<string[]>} the menu's labels
 */
export async function rightClickExplorerItem(page, name, { waitForItem, timeout = 30_000, retryDelayMs = 1000 } = {}) {
  const deadline = Date.now() + timeout;
  const row = explorerRow(page, name);
  await row.first().waitFor({ state: 'visible', timeout });
  let labels = [];
  for (let attempt = 1; ; attempt++) {
    await closeMenus(page);
    await row.first().click({ button: 'right' });
    try {
      await page.locator(MENU_ITEM).first().waitFor({ state: 'visible', timeout: 5000 });
    } catch {}
    labels = await contextMenuItems(page);
    if (labels.length && (!waitForItem || labels.some((l) => matches(l, waitForItem)))) return labels;
    if (Date.now() + retryDelayMs > deadline) break;
    await closeMenus(page);
    await page.waitForTimeout(retryDelayMs * Math.min(attempt, 3));
  }
  throw new Error(
    `context menu of "${name}" ${waitForItem ? `has no item ${waitForItem}` : 'did not open'} after ${timeout} ms; items: ${JSON.stringify(labels)}`,
  );
}

function matches(label, want) {
  return want instanceof RegExp ? want.test(label) : label.trim() === want;
}

/**
 * Click an item of the open context menu. With `explorerItem`, (re)open that row's
 * menu as needed, retrying until the item appears.
 */
export async function clickContextMenuItem(page, label, { explorerItem, timeout = 30_000 } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const item = page.locator(MENU_ITEM).filter({ hasText: label instanceof RegExp ? label : exact(label) });
    if ((await item.count()) > 0) {
      // VS Code's menu items listen for mouseup only 100 ms after they render (a
      // RunOnceScheduler, so that the right-click's own mouseup cannot pick an item): a click
      // sooner than that is ignored and the menu stays open. Wait that long, and click again
      // if the menu is still open (an item that ran closes the menu, so it cannot run twice).
      await page.waitForTimeout(150);
      await item.first().click();
      const closed = await page
        .locator('.context-view .monaco-menu')
        .first()
        .waitFor({ state: 'detached', timeout: 1500 })
        .then(() => true, () => false);
      if (closed) return;
      if (Date.now() > deadline) throw new Error(`clicking context menu item ${label} did not close the menu`);
      log(`context menu item ${label}: the click was ignored (menu still open), clicking again`);
      continue;
    }
    if (!explorerItem || Date.now() > deadline) {
      throw new Error(`context menu item ${label} not found; items: ${JSON.stringify(await contextMenuItems(page))}`);
    }
    await rightClickExplorerItem(page, explorerItem, { waitForItem: label, timeout: Math.max(1000, deadline - Date.now()) });
  }
}

/**
 * Find the webview content frame whose DOM contains `selector`, or for which
 * `predicate(frame)` resolves truthy. Polls until `timeout`. A webview is an iframe
 * (…/webview/browser/pre/index.html) holding another iframe (…/pre/fake.html) with the
 * extension's HTML; by default only those inner content frames are considered (the
 * workbench also has e.g. a web-worker extension-host iframe). `anyFrame: true` looks
 * at every frame but the main one.
 */
export async function findWebviewFrame(page, selectorOrPredicate, { timeout = 30_000, interval = 250, anyFrame = false } = {}) {
  const deadline = Date.now() + timeout;
  const test =
    typeof selectorOrPredicate === 'function'
      ? selectorOrPredicate
      : async (f) => (await f.$(selectorOrPredicate)) !== null;
  for (;;) {
    for (const f of page.frames()) {
      if (f === page.mainFrame() || f.isDetached()) continue;
      if (!anyFrame && !isWebviewContentFrame(f)) continue;
      try {
        if (await test(f)) return f;
      } catch {
        /* frame navigated or detached meanwhile */
      }
    }
    if (Date.now() > deadline) {
      throw new Error(
        `no frame matching ${selectorOrPredicate} within ${timeout} ms (frames: ${page
          .frames()
          .map((f) => f.url().replace(/\?.*/, ''))
          .join(', ')})`,
      );
    }
    await page.waitForTimeout(interval);
  }
}

function isWebviewContentFrame(f) {
  const url = f.url().replace(/[?#].*/, '');
  return /\/webview\/browser\/pre\/(?!index\.html$)/.test(url) || (url === 'about:blank' && /\/webview\//.test(f.parentFrame()?.url() || ''));
}

/** All webview content frames currently on the page (see findWebviewFrame). */
export function webviewFrames(page) {
  return page.frames().filter((f) => !f.isDetached() && isWebviewContentFrame(f));
}

/** Locator for the visible webview iframe(s) of the workbench (use `.screenshot()` on it). */
export function webviewElement(page) {
  return page.locator('iframe.webview.ready, iframe.webview').first();
}

/**
 * Save a PNG into test-results/e2e/<name>.png of the page, or of `target` (a Locator, e.g.
 * webviewElement(page)). Notification toasts are hidden when `target` is given (`hideToasts`).
 * @returns {Promise<string>} the file path
 */
export async function screenshot(page, name, { target, fullPage = false, hideToasts = !!target } = {}) {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, name.endsWith('.png') ? name : `${name}.png`);
  // Notification toasts float over the editor area, so they land in a webview's screenshot.
  const style = hideToasts ? '.notifications-toasts { visibility: hidden !important; }' : undefined;
  if (target) await target.screenshot({ path: file, style });
  else await page.screenshot({ path: file, fullPage, style });
  log(`screenshot ${path.relative(paths.repoRoot, file)}`);
  return file;
}

/**
 * Run a command by its title through the Command Palette (F1, type, pick the row whose
 * label equals `title`, or the first row when `exact: false`).
 */
export async function runCommandFromPalette(page, title, { exact: exactMatch = true, timeout = 15_000 } = {}) {
  await closeMenus(page);
  const input = page.locator('.quick-input-widget input');
  const deadline = Date.now() + timeout;
  for (;;) {
    await page.keyboard.press('F1');
    try {
      await input.waitFor({ state: 'visible', timeout: 3000 });
      break;
    } catch {
      await page.keyboard.press('Escape');
      await page.locator('.monaco-workbench').click({ position: { x: 5, y: 5 } }).catch(() => {});
      await page.keyboard.press('Control+Shift+P');
      if (await input.isVisible()) break;
      if (Date.now() > deadline) throw new Error('Command Palette did not open');
    }
  }
  await input.fill(`>${title}`);
  const rows = page.locator('.quick-input-list .monaco-list-row');
  for (;;) {
    const labels = (await rows.locator('.label-name').allTextContents().catch(() => [])).map((s) => s.trim());
    const idx = exactMatch ? labels.findIndex((l) => l === title || l.endsWith(`: ${title}`)) : labels.length ? 0 : -1;
    if (idx >= 0) {
      await rows.nth(idx).click();
      await input.waitFor({ state: 'hidden', timeout: 5000 }).catch(() => {});
      return;
    }
    if (Date.now() > deadline) {
      await page.keyboard.press('Escape');
      throw new Error(`command "${title}" not found in the Command Palette; rows: ${JSON.stringify(labels)}`);
    }
    await page.waitForTimeout(300);
  }
}

/** Texts of the notification toasts currently shown (also those collapsed in the center when open). */
export async function readNotifications(page) {
  const texts = await page
    .locator('.notifications-toasts .notification-list-item-message, .notifications-center .notification-list-item-message')
    .allTextContents()
    .catch(() => []);
  return texts.map((s) => s.trim()).filter(Boolean);
}

/** Wait until a notification whose text matches `want` (substring or RegExp) is shown; returns its text. */
export async function waitForNotification(page, want, { timeout = 15_000 } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const texts = await readNotifications(page);
    const hit = texts.find((t) => (want instanceof RegExp ? want.test(t) : t.includes(want)));
    if (hit) return hit;
    if (Date.now() > deadline) throw new Error(`no notification matching ${want} within ${timeout} ms; shown: ${JSON.stringify(texts)}`);
    await page.waitForTimeout(250);
  }
}

/** Close all notification toasts. */
export async function clearNotifications(page) {
  await runCommandFromPalette(page, 'Notifications: Clear All Notifications').catch(() => {});
}

/**
 * Change user settings in the running workbench, live: opens "Preferences: Open User
 * Settings (JSON)", replaces its text (through the clipboard, so that auto-indent and
 * auto-closing brackets do not mangle it), saves, waits until the file on disk holds the
 * new values and closes the editor. Extensions get onDidChangeConfiguration right away.
 * `key` may be an object of several settings; a value of `undefined` removes the key.
 */
export async function setUserSetting(page, server, key, value, { timeout = 20_000 } = {}) {
  const settings = typeof key === 'object' ? key : { [key]: value };
  const merged = { ...readJsonc(server.settingsPath), ...settings };
  for (const [k, v] of Object.entries(settings)) if (v === undefined) delete merged[k];
  const text = JSON.stringify(merged, null, 2) + '\n';
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
  await runCommandFromPalette(page, 'Preferences: Open User Settings (JSON)');
  const editor = page.locator('.editor-group-container.active .editor-instance .monaco-editor').first();
  await editor.waitFor({ state: 'visible', timeout });
  await editor.locator('.view-lines').click();
  await page.keyboard.press('Control+A');
  await page.evaluate((t) => navigator.clipboard.writeText(t), text);
  await page.keyboard.press('Control+V');
  await page.keyboard.press('Control+S');
  const deadline = Date.now() + timeout;
  const want = JSON.stringify(merged);
  for (;;) {
    let now;
    try {
      now = JSON.stringify(readJsonc(server.settingsPath));
    } catch {}
    if (now === want) break;
    if (Date.now() > deadline) throw new Error(`settings.json was not saved with ${JSON.stringify(settings)} within ${timeout} ms`);
    await page.waitForTimeout(100);
  }
  // Close the settings.json tab (only it: "Close Editor" on anything else would close the wrong editor).
  const tab = page.locator('.editor-group-container.active .tabs-container .tab.active', { hasText: 'settings.json' });
  if ((await tab.count()) > 0) await runCommandFromPalette(page, 'View: Close Editor');
  else await page.keyboard.press('Escape');
}

// ---------------------------------------------------------------- extension (integration) tests

// Workbench chatter that is not test output (offline gallery, connection setup, ...).
const CONSOLE_NOISE = [
  /Resolving connection token|Resolved connection token|Creating a socket|reconnection-grace-time/,
  /Failed to load resource|ERR_NAME_NOT_RESOLVED|ENOTFOUND|queryRawGalleryExtensions|open-vsx|marketplace/i,
  /web worker extension host|allow-scripts and allow-same-origin|\[Service Worker\]/,
  /Updating additional builtin extensions cache|\[AgentHost|\[AccountPolicyGate\]|GitHub|github/,
];
/**
 * Text of a console message as the extension host meant it: VS Code forwards
 * console.log(fmt, ...args) from the extension host as ('%c INFO', 'color: #33f', fmt, ...args).
 */
async function formatConsole(m) {
  let args;
  try {
    args = await Promise.all(m.args().map((a) => a.jsonValue()));
  } catch {
    return m.text();
  }
  if (!args.length) return m.text();
  if (typeof args[0] === 'string' && args[0].startsWith('%c')) args = args.slice(2);
  return util.format(...args);
}

/**
 * Run VS Code extension integration tests inside code-server, the way
 * @vscode/test-web does: code-server started with the smoke-test driver, the workbench
 * opened with a `payload` naming extensionDevelopmentPath and extensionTestsPath.
 * `screenshotName`: save a screenshot of the workbench when the tests have finished.
 * `extensionTestsPath` is a CommonJS module exporting `run(): Promise<void>`; a rejected
 * promise makes the code non-zero. The code comes from the workbench's
 * `codeAutomationExit` callback — the server log says "exiting with code 0" even when
 * tests fail, so do not trust that. With `echo` (default) the test output that the
 * extension host forwards to the browser console is printed to stderr as "[vscode] …".
 * @returns {Promise<{ code: number, output: string[], consoleMessages: string[], serverLog: string }>}
 *   `output`: the extension host's console output (workbench noise filtered out).
 */
export async function runExtensionTests({
  extensionDevelopmentPath,
  extensionTestsPath,
  folder,
  vsix,
  settings = {},
  theme = 'light',
  timeout = 120_000,
  echo = true,
  screenshotName,
} = {}) {
  if (!extensionDevelopmentPath || !extensionTestsPath) throw new Error('extensionDevelopmentPath and extensionTestsPath are required');
  folder = folder || makeWorkspace({}, { prefix: 'ws-exttest-' });
  const server = await startCodeServer({ folder, theme, settings, vsix, smokeTestDriver: true });
  const browser = await launchBrowser();
  try {
    const { page } = browser;
    const output = [];
    const formatting = new Set(); // console messages still being formatted (async)
    page.on('console', (m) => {
      const p = formatConsole(m)
        .then((text) => {
          if (CONSOLE_NOISE.some((re) => re.test(text))) return;
          output.push(text);
          if (echo) process.stderr.write(text.replace(/^/gm, '[vscode] ') + '\n');
        })
        .catch(() => {});
      formatting.add(p);
      p.finally(() => formatting.delete(p));
    });
    let resolveExit;
    const exited = new Promise((r) => (resolveExit = r));
    await page.exposeFunction('codeAutomationExit', (code) => {
      resolveExit(Number(code));
    });
    const remote = (p) => `vscode-remote://127.0.0.1:${server.port}${path.resolve(p)}`;
    const payload = [
      ['extensionDevelopmentPath', remote(extensionDevelopmentPath)],
      ['extensionTestsPath', remote(extensionTestsPath)],
    ];
    const t0 = Date.now();
    await page.goto(workbenchUrl(server, { folder, payload }), { waitUntil: 'domcontentloaded' });
    const code = await Promise.race([
      exited,
      sleep(timeout).then(() => {
        throw new Error(`extension tests did not finish within ${timeout} ms; last console lines:\n${browser.consoleMessages.slice(-30).join('\n')}`);
      }),
    ]);
    log(`extension tests finished with code ${code} in ${Date.now() - t0} ms`);
    // Let the last console messages (mocha's summary) be formatted before the page closes.
    await page.waitForTimeout(200);
    await Promise.race([Promise.allSettled([...formatting]), sleep(5000)]);
    if (screenshotName) await screenshot(page, screenshotName).catch((e) => log(`screenshot failed: ${e.message}`));
    return { code, output, consoleMessages: browser.consoleMessages, serverLog: server.log() };
  } finally {
    await browser.close();
    await server.stop();
  }
}

// ---------------------------------------------------------------- scenario wrapper

/**
 * Run one scenario: calls `fn(ctx)`, always cleans up, then exits the process
 * (0 pass, 1 fail). ctx = { name, vsix (path or null), requireVsix(), screenshot dir }.
 * On failure, screenshots of every open page go to test-results/e2e/<name>-failure.png.
 */
let currentScenario = null;
async function screenshotOpenPages(base) {
  let i = 0;
  for (const page of openPages) {
    await screenshot(page, `${base}${i++ ? '-' + i : ''}`).catch(() => {});
  }
}

export async function scenario(name, fn) {
  currentScenario = name;
  const t0 = Date.now();
  const ctx = { name, vsix: findVsix(), requireVsix, resultsDir: RESULTS_DIR };
  let ok = false;
  try {
    await fn(ctx);
    ok = true;
  } catch (e) {
    console.error(`scenario ${name} failed: ${e?.stack || e}`);
    await screenshotOpenPages(`${name}-failure`);
  } finally {
    await cleanupAll();
  }
  log(`scenario ${name} ${ok ? 'passed' : 'FAILED'} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  // Exit now: idle keep-alive sockets would otherwise hold the process for seconds.
  process.exit(ok ? 0 : 1);
}
