// Shared helpers of the Loss Inspector scenarios (test/e2e/scenarios/NN-*.mjs): open a
// workspace with the packaged extension installed, run Compute Loss from the Explorer, find
// the report webview of a file and read what it shows, run the CLI for the expected numbers.
//
// Not a scenario itself: it lives outside scenarios/ so that run.mjs does not run it.

import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import * as h from './harness.mjs';

export const REPO = h.paths.repoRoot;
export const FIXTURES = path.join(REPO, 'test', 'fixtures');
export const CLI = path.join(REPO, 'dist', 'cli.js');
export const HOSTILE = '<img src=x onerror=alert(1)>';

/**
 * The rows of table.summary, in order: [label, key of the CLI's `metrics`], read from METRICS in
 * src/core/tasks/regression/losses.ts (what the webview renders), so that a metric added there is checked too.
 */
export const METRIC_ROWS = metricRowsOf('src/core/tasks/regression/losses.ts', 'METRICS', 12);
/** The predicted spread's rows (#16 item 2), after METRICS when some model of the CLI's report has them. */
export const SPREAD_ROWS = metricRowsOf('src/core/tasks/regression/variance.ts', 'VARIANCE_METRICS', 2);

/**
 * [label, key] of every entry of the metric list `name` in a source file (regression's METRICS,
 * a classifier's CLASS_METRICS or MULTI_CLASS_METRICS): the rows the report's summary renders.
 */
export function metricRowsOf(file, name, min) {
  const src = fs.readFileSync(path.join(REPO, file), 'utf8');
  const block = new RegExp(`export const ${name}[^=]*=\\s*\\[([\\s\\S]*?)\\n\\];`).exec(src)?.[1] ?? '';
  const rows = [...block.matchAll(/\{\s*key:\s*'(\w+)',\s*label:\s*'((?:[^'\\]|\\.)*)'/g)].map((m) => [m[2].replace(/\\(.)/g, '$1'), m[1]]);
  if (rows.length < min) throw new Error(`could not read ${name} from ${file} (found ${rows.length} rows)`);
  return rows;
}

/**
 * A classifier's table.summary against the CLI's --json: the rows `rows` ([label, key]), each
 * value to the digits shown and exactly in the cell's title; a null value shown "—", its title
 * `nullTitle(key)` when given. Returns the mismatches.
 */
export function compareClassSummary(summary, cli, rows, nullTitle) {
  const bad = [];
  for (const [label, key] of rows) {
    const row = summary.rows.find((r) => r.label === label);
    if (!row) {
      bad.push(`no row “${label}”`);
      continue;
    }
    cli.models.forEach((m, i) => {
      const v = m.metrics[key];
      const err = checkShown(row.cells[i].shown, v);
      if (err) bad.push(`${label} of ${m.prediction}: ${err}`);
      const want = v === null ? nullTitle?.(key) : String(v);
      if (want !== undefined && row.cells[i].title !== want) bad.push(`${label} of ${m.prediction}: title ${row.cells[i].title} ≠ ${want}`);
    });
  }
  return bad;
}

/** After a click on a row of `name`: the data file is the active editor, the cursor and view at `line` (its text `lineText`). */
export function waitForLineOpened(page, name, line, lineText) {
  return eventually(
    async () => {
      assertEqual(await activeTabTitle(page), name, 'the data file is the active editor');
      const m = /Ln (\d+)/.exec((await statusBarSelection(page)) || '');
      assert(m && Number(m[1]) === line, `cursor on line ${line}: ${m?.[0]}`);
      const shown = (await page.locator('.editor-group-container.active .monaco-editor .view-lines').first().innerText()).replace(/\u00a0/g, ' ');
      assert(shown.includes(lineText.trim().slice(0, 60)), `line ${line} is visible`);
    },
    { what: `the file opened at line ${line}`, timeout: 15_000 },
  );
}

export function fixture(name) {
  return fs.readFileSync(path.join(FIXTURES, name));
}

export function assert(cond, msg) {
  if (!cond) throw new Error(`assertion failed: ${typeof msg === 'function' ? msg() : msg}`);
}

export function assertEqual(actual, expected, what) {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new Error(`assertion failed: ${what}: expected ${e}, got ${a}`);
}

/** Retry `fn` until it returns without throwing (or `timeout`); returns its value. */
export async function eventually(fn, { timeout = 20_000, interval = 250, what = 'condition' } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      return await fn();
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`${what} not met within ${timeout} ms: ${last?.message || last}`);
    await h.sleep(interval);
  }
}

// ---------------------------------------------------------------- CLI

/** The CLI's `--json` report for `file` (extra args such as ['--beta', '0.25']). */
export function cliJson(file, args = []) {
  // A time limit, so that a hung CLI fails here with its command line instead of the scenario's 300 s.
  const out = execFileSync(process.execPath, [CLI, file, '--json', ...args], { encoding: 'utf8', maxBuffer: 64 << 20, timeout: 60_000, stdio: ['ignore', 'pipe', 'pipe'] });
  return JSON.parse(out);
}

/** The CLI's failure for `file`: { code, message } with the "loss-inspector: " prefix removed. */
export function cliError(file, args = [], { cwd } = {}) {
  const r = spawnSync(process.execPath, [CLI, file, ...args], { encoding: 'utf8', cwd, timeout: 60_000, stdio: ['ignore', 'pipe', 'pipe'] });
  return { code: r.status, message: (r.stderr || '').trim().replace(/^loss-inspector:\s*/, '') };
}

// ---------------------------------------------------------------- workbench

/**
 * A workspace holding `files`, code-server with the packaged extension (the .vsix) installed,
 * a browser with the workbench open on it. `workspaceTrust`: see h.startCodeServer.
 */
export async function openLossWorkbench({ files, theme = 'light', settings = {}, expectFile, vsix, workspaceTrust = false } = {}) {
  vsix = vsix || h.requireVsix();
  const folder = h.makeWorkspace(files);
  const server = await h.startCodeServer({ folder, vsix, theme, settings, workspaceTrust });
  const browser = await h.launchBrowser({ colorScheme: theme === 'dark' ? 'dark' : 'light' });
  const { page } = browser;
  await h.openWorkbench(page, server, { expectFile: expectFile ?? Object.keys(files)[0] });
  return { folder, server, browser, page };
}

/** Right-click `name` in the Explorer and choose Compute Loss (retrying until the item is contributed). */
export async function computeLossFromExplorer(page, name) {
  await h.rightClickExplorerItem(page, name, { waitForItem: 'Compute Loss', timeout: 45_000 });
  await h.clickContextMenuItem(page, 'Compute Loss', { explorerItem: name, timeout: 45_000 });
}

// ---------------------------------------------------------------- the report webview

/**
 * Runs in the report frame: what the report shows, as plain data.
 * status: waiting | running | done | error | cancelled.
 */
function readReportInFrame() {
  const text = (el) => (el ? el.textContent.replace(/\s+/g, ' ').trim() : null);
  const file = text(document.querySelector('h1 .file-name'));
  const h2s = [...document.querySelectorAll('section.callout h2')].map(text);
  let status = 'waiting';
  if (document.querySelector('.callout.running')) status = 'running';
  else if (document.querySelector('.callout.error')) status = 'error';
  else if (h2s.includes('Cancelled')) status = 'cancelled';
  else if (document.querySelector('.report:not(.stale) table.summary')) status = 'done';
  else if (file) status = 'unknown';
  const summary = document.querySelector('.report:not(.stale) table.summary') || document.querySelector('table.summary');
  let table = null;
  if (summary) {
    const headers = [...summary.querySelectorAll('thead th')].map(text);
    const rows = [...summary.querySelectorAll('tbody tr')].map((tr) => ({
      label: text(tr.querySelector('th')),
      cells: [...tr.querySelectorAll('td')].map((td) => ({
        // The visible number only (the sr-only " (best)" is not part of it).
        shown: [...td.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent).join('').trim(),
        title: td.getAttribute('title'),
        best: td.classList.contains('best'),
      })),
    }));
    const foot = [...summary.querySelectorAll('tfoot td')].map(text);
    table = { headers, rows, foot, stale: !!summary.closest('.report.stale') };
  }
  return {
    file,
    status,
    meta: text(document.querySelector('.meta')),
    callouts: [...document.querySelectorAll('.callout')].map((c) => ({ cls: c.className, text: text(c) })),
    errorMessage: text(document.querySelector('.callout.error .error-message')),
    progress: document.querySelector('.progress')
      ? { text: text(document.querySelector('.progress-text')), now: document.querySelector('.progress').getAttribute('aria-valuenow') }
      : null,
    stale: !!document.querySelector('.report.stale'),
    summary: table,
    skipped: document.querySelector('.skipped') ? document.querySelector('.skipped').innerText.replace(/\s+/g, ' ').trim() : null,
    betaOut: text(document.querySelector('.beta-panel output')),
    canvases: document.querySelectorAll('canvas').length,
    // markReport() tags the shown report; every new rendering replaces it (untagged).
    marked: !!document.querySelector('.report[data-e2e-mark]'),
  };
}

/** Tag the report element now shown; a later rendering (new state) shows an untagged one. */
export function markReport(frame) {
  return frame.evaluate(() => document.querySelector('.report')?.setAttribute('data-e2e-mark', '1'));
}

/**
 * Wait for the report webview of data file `name` and return { frame, report } once
 * `until(report)` holds (default: status "done"). The frame is looked up again on every poll:
 * VS Code recreates a webview's frames when its panel is hidden and shown again.
 */
export async function waitForReport(page, name, { until = (r) => r.status === 'done', timeout = 60_000, what } = {}) {
  const deadline = Date.now() + timeout;
  let seen = [];
  for (;;) {
    seen = [];
    for (const frame of h.webviewFrames(page)) {
      let r;
      try {
        r = await frame.evaluate(readReportInFrame);
      } catch {
        continue; // detached or navigating
      }
      if (r.file !== name) {
        if (r.file) seen.push(`${r.file}:${r.status}`);
        continue;
      }
      seen.push(`${r.file}:${r.status}`);
      if (until(r)) return { frame, report: r };
    }
    if (Date.now() > deadline) {
      throw new Error(`the report of ${name} did not reach ${what || until.toString()} within ${timeout} ms; reports seen: ${JSON.stringify(seen)}`);
    }
    await page.waitForTimeout(200);
  }
}

/** The report's state again (from a frame found by waitForReport). */
export function readReport(frame) {
  return frame.evaluate(readReportInFrame);
}

/** Screenshot of the report's webview (the iframe in the workbench that shows `frame`). */
export async function screenshotReport(page, frame, name) {
  // The content frame sits in an outer webview iframe; screenshot that element.
  let el = null;
  try {
    const outer = frame.parentFrame();
    el = outer ? await outer.frameElement() : await frame.frameElement();
  } catch {}
  if (el) {
    await h.screenshot(page, name, { target: { screenshot: (o) => el.screenshot(o) } });
  } else {
    await h.screenshot(page, name);
  }
}

// ---------------------------------------------------------------- numbers

/** Significant digits written in a displayed number ("0.0012" → 2, "1.5e-7" → 2, "12345" → 5). */
export function significantDigits(shown) {
  const mant = shown.replace(/^[-+−]/, '').replace(/e.*$/i, '');
  const digits = mant.replace('.', '').replace(/^0+/, '');
  return Math.max(1, digits.length);
}

/**
 * Checks that `shown` (the report's text) is `value` rounded to the significant digits shown.
 * Returns an error string, or null when it matches.
 */
export function checkShown(shown, value) {
  if (value === null || value === undefined) return shown === '—' ? null : `shown "${shown}" for a null value (expected "—")`;
  const parsed = Number(shown.replace('−', '-'));
  if (!Number.isFinite(parsed)) return `shown "${shown}" is not a number (expected ≈ ${value})`;
  const k = significantDigits(shown);
  const rounded = Number(value.toPrecision(Math.min(100, k)));
  if (parsed !== rounded) return `shown "${shown}" ≠ ${value} rounded to ${k} significant digits (${rounded})`;
  return null;
}

/**
 * Compares table.summary (as read by readReportInFrame) with a CLI report: the model columns,
 * every metric of every model to the precision shown (and the exact value in the cell's title).
 * Returns the list of mismatches (empty when all agree).
 */
export function compareSummary(summary, cli) {
  const bad = [];
  const wantHeaders = ['metric', ...cli.models.map((m) => m.prediction)];
  if (JSON.stringify(summary.headers) !== JSON.stringify(wantHeaders)) {
    bad.push(`headers ${JSON.stringify(summary.headers)} ≠ ${JSON.stringify(wantHeaders)}`);
  }
  const labels = summary.rows.map((r) => r.label);
  const rows = [...METRIC_ROWS, ...SPREAD_ROWS.filter(([, k]) => cli.models.some((m) => k in m.metrics))];
  const wantLabels = rows.map(([l]) => l);
  if (JSON.stringify(labels) !== JSON.stringify(wantLabels)) bad.push(`metric rows ${JSON.stringify(labels)} ≠ ${JSON.stringify(wantLabels)}`);
  const shownKeys = new Set(rows.map(([, k]) => k));
  const notShown = [...new Set(cli.models.flatMap((m) => Object.keys(m.metrics)))].filter((k) => !shownKeys.has(k));
  if (notShown.length) bad.push(`metrics of the CLI not in the summary: ${notShown.join(', ')}`);
  for (const [label, key] of rows) {
    const row = summary.rows.find((r) => r.label === label);
    if (!row) continue;
    if (row.cells.length !== cli.models.length) bad.push(`${label}: ${row.cells.length} value cells for ${cli.models.length} models`);
    cli.models.forEach((m, i) => {
      const cell = row.cells[i];
      if (!cell) return;
      const v = m.metrics[key];
      const err = checkShown(cell.shown, v);
      if (err) bad.push(`${label} of ${m.prediction}: ${err}`);
      // A null value's title says why: the report's warning about it (#16's domains), or the generic words.
      if (v === undefined) {
        // A spread metric of a model without a spread column (another model has one).
        if (!/has no predicted variance or standard-deviation column/.test(cell.title)) bad.push(`${label} of ${m.prediction}: title "${cell.title}" does not say the model has no spread column`);
      } else if (v === null) {
        if (cell.title !== 'not defined for this data' && !(cli.warnings ?? []).includes(cell.title)) bad.push(`${label} of ${m.prediction}: title "${cell.title}" is neither a warning of the CLI nor "not defined for this data"`);
      } else if (cell.title !== String(v) && !(Math.abs(Number(cell.title) - v) <= 1e-14 * Math.abs(v))) {
        // The extension host here is Node 24, the CLI Node 20: their Math.pow differ in the last
        // bit (Tweedie powers), so a title may differ from the CLI's by an ulp or two, never more.
        bad.push(`${label} of ${m.prediction}: title "${cell.title}" ≠ exact value "${String(v)}"`);
      }
    });
  }
  return bad;
}

/** Throws with every mismatch between the report's summary and the CLI. */
export function assertSummaryMatchesCli(summary, cli, what = 'summary') {
  assert(summary, `${what}: no table.summary in the report`);
  const bad = compareSummary(summary, cli);
  if (bad.length) throw new Error(`${what} differs from the CLI's --json:\n  ${bad.join('\n  ')}`);
}

// ---------------------------------------------------------------- canvases & colours

/**
 * Runs in the report frame: for every canvas, its size and how many of its pixels are not
 * transparent (sampled on a grid), plus a short fingerprint of its pixels and its aria-label.
 */
function canvasStatsInFrame() {
  return [...document.querySelectorAll('canvas')].map((c, index) => {
    const r = c.getBoundingClientRect();
    const out = { index, width: c.width, height: c.height, cssWidth: Math.round(r.width), cssHeight: Math.round(r.height), label: c.getAttribute('aria-label') || '' };
    if (!c.width || !c.height) return { ...out, opaque: 0, sampled: 0, hash: 0, dataUrlLength: 0 };
    const ctx = c.getContext('2d');
    const img = ctx.getImageData(0, 0, c.width, c.height).data;
    let opaque = 0;
    let sampled = 0;
    let hash = 0;
    for (let i = 0; i < img.length; i += 4) {
      if (img[i + 3] > 0) {
        opaque++;
        hash = (hash * 31 + img[i] * 7 + img[i + 1] * 13 + img[i + 2] * 17 + ((i / 4) % 9973)) >>> 0;
      }
      sampled++;
    }
    return { ...out, opaque, sampled, hash, dataUrlLength: c.toDataURL().length };
  });
}

export function canvasStats(frame) {
  return frame.evaluate(canvasStatsInFrame);
}

/** Every canvas has a size and is drawn on (enough non-transparent pixels). */
export function assertCanvasesDrawn(stats, { min = 1, minOpaque = 500 } = {}) {
  assert(stats.length >= min, `expected at least ${min} canvases, found ${stats.length}`);
  for (const s of stats) {
    assert(s.width > 0 && s.height > 0 && s.cssWidth > 0 && s.cssHeight > 0, `canvas ${s.index} (${s.label.slice(0, 60)}) has no size: ${JSON.stringify(s)}`);
    assert(s.opaque >= minOpaque, `canvas ${s.index} (${s.label.slice(0, 60)}) is blank: ${s.opaque} non-transparent pixels of ${s.sampled}`);
  }
}

/** WCAG contrast ratio of two CSS colours "rgb(r, g, b)" / "rgba(…)". */
export function contrastRatio(c1, c2) {
  const lum = (c) => {
    const m = /rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)/.exec(c);
    if (!m) throw new Error(`cannot parse colour ${c}`);
    const [r, g, b] = [m[1], m[2], m[3]].map((x) => {
      const v = Number(x) / 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const [a, b] = [lum(c1), lum(c2)].sort((x, y) => y - x);
  return (a + 0.05) / (b + 0.05);
}

// ---------------------------------------------------------------- workbench bits

/** Text of the status bar's cursor position item ("Ln 12, Col 1 (5 selected)"), or null. */
export async function statusBarSelection(page) {
  const el = page.locator('[id="status.editor.selection"], .editor-status-selection').first();
  if (!(await el.count())) return null;
  return ((await el.textContent()) || '').trim();
}

/**
 * Title of the active tab of the active editor group ("predictions.csv": the tab shows the
 * name and the extension in separate elements, hence textContent, not innerText).
 */
export async function activeTabTitle(page) {
  const tab = page.locator('.editor-group-container.active .tabs-container .tab.active').first();
  if (!(await tab.count())) return null;
  const label = tab.locator('.monaco-icon-label-container').first();
  return ((await label.count()) ? await label.textContent() : (await tab.getAttribute('aria-label')) || '').trim();
}

// ---------------------------------------------------------------- insight sections

/** ROW_LOSS_MEAN of src/core/tasks/regression/view/common.ts: the metric each per-row loss averages to (l2 → mse, …). */
export const ROW_LOSS_MEAN = (() => {
  const src = fs.readFileSync(path.join(REPO, 'src', 'core', 'tasks', 'regression', 'view', 'common.ts'), 'utf8');
  const block = /export const ROW_LOSS_MEAN[^=]*=\s*\{([^}]*)\}/.exec(src)?.[1] ?? '';
  const map = Object.fromEntries([...block.matchAll(/(\w+):\s*'(\w+)'/g)].map((m) => [m[1], m[2]]));
  if (Object.keys(map).length < 5) throw new Error(`could not read ROW_LOSS_MEAN from src/core/tasks/regression/view/common.ts: ${block}`);
  return map;
})();

/**
 * Runs in the report frame: the robustness section (lead sentence, one table per model) and the
 * gradient section (lead sentence, table) as shown, plus the "show the rows" links.
 */
function readInsightsInFrame() {
  const text = (el) => (el ? el.textContent.replace(/\s+/g, ' ').trim() : null);
  const section = (id) => document.getElementById(id)?.closest('section') ?? null;
  // Text as seen on screen: without the screen-reader-only parts (" (large)").
  const seen = (el) => {
    if (!el) return null;
    const c = el.cloneNode(true);
    c.querySelectorAll('.sr-only').forEach((x) => x.remove());
    return text(c);
  };
  const rob = section('robust-title');
  const grads = section('grads-title');
  const lossRows = (table) =>
    Object.fromEntries(
      [...(table?.querySelectorAll('tbody tr') ?? [])].map((tr) => [
        (/\bloss-(\w+)/.exec(tr.className) || [])[1],
        { label: text(tr.querySelector('th')), cells: [...tr.querySelectorAll('td')].map(seen), big: !!tr.querySelector('.ratio-big') },
      ]),
    );
  return {
    robustness: rob && {
      lead: text(rob.querySelector('p.lead')),
      tables: [...rob.querySelectorAll('table.robust')].map((t) => ({
        caption: text(t.querySelector('caption')),
        shareTitle: t.querySelectorAll('thead th abbr')[0]?.getAttribute('title') ?? null,
        rows: Object.fromEntries(
          [...t.querySelectorAll('tbody tr')].map((tr) => {
            const tds = tr.querySelectorAll('td');
            return [
              (/\bloss-(\w+)/.exec(tr.className) || [])[1],
              {
                label: text(tr.querySelector('th')),
                worst1: text(tds[1]?.querySelector('strong')),
                worst10: text(tds[1]?.querySelector('span.muted'))?.replace(/^·\s*/, ''),
                mean: tds[2] ? [...tds[2].childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent.trim()) : [],
                bars: [...(tds[0]?.querySelectorAll('.share-bar > div') ?? [])].map((d) => ({ cls: d.className, width: d.style.width })),
              },
            ];
          }),
        ),
      })),
      notes: [...rob.querySelectorAll('.robust-card p.muted')].map(text),
      links: [...rob.querySelectorAll('button.link')].map(text),
    },
    gradients: grads && {
      lead: text(grads.querySelector('p.lead')),
      headers: [...grads.querySelectorAll('table.grads thead th')].map(text),
      rows: lossRows(grads.querySelector('table.grads')),
    },
  };
}

/** The robustness and gradient sections as shown (see readInsightsInFrame). */
export function readInsights(frame) {
  return frame.evaluate(readInsightsInFrame);
}

/** How the report writes a share: "37%" (0 decimals), "—" for null. */
export const shownPercent = (share) => (share === null || share === undefined || !Number.isFinite(share) ? '—' : `${(share * 100).toFixed(0)}%`);

/**
 * Compares a robustness table (readInsights().robustness.tables[i]) with the CLI's model: the
 * worst 1% and 10% shares (10% never drawn below 1%), and "mean → without worst 1%".
 * Returns the mismatches.
 */
export function compareRobustness(table, model) {
  const bad = [];
  const { worst1, worst10 } = model.robustness;
  const keys = Object.keys(worst1.share);
  const shownKeys = Object.keys(table.rows);
  if (JSON.stringify(shownKeys) !== JSON.stringify(keys)) bad.push(`rows ${JSON.stringify(shownKeys)} ≠ the CLI's losses ${JSON.stringify(keys)}`);
  for (const key of keys) {
    const row = table.rows[key];
    if (!row) continue;
    const w1 = worst1.share[key];
    const w10 = w1 === null || worst10.share[key] === null ? worst10.share[key] : Math.max(w1, worst10.share[key]);
    if (row.worst1 !== shownPercent(w1)) bad.push(`${key} worst 1%: shown ${row.worst1}, CLI ${w1} (${shownPercent(w1)})`);
    if (row.worst10 !== shownPercent(w10)) bad.push(`${key} worst 10%: shown ${row.worst10}, CLI ${worst10.share[key]} (${shownPercent(w10)})`);
    const [mean, without] = row.mean;
    const errMean = checkShown(mean ?? '', model.metrics[ROW_LOSS_MEAN[key]]);
    if (errMean) bad.push(`${key} mean (${ROW_LOSS_MEAN[key]}): ${errMean}`);
    const errWithout = checkShown(without ?? '', worst1.without[key]);
    if (errWithout) bad.push(`${key} without worst 1%: ${errWithout}`);
  }
  return bad;
}

/**
 * Compares the gradient table (readInsights().gradients.rows) with the CLI's `gradients` of a
 * model (at the β/δ in force): median, p99, max and the ratio max ÷ median ("120×").
 */
export function compareGradients(rows, model) {
  const bad = [];
  for (const [key, g] of Object.entries(model.gradients)) {
    const row = rows[key];
    if (!row) {
      bad.push(`no row for ${key}`);
      continue;
    }
    const [median, p99, max, ratio] = row.cells;
    for (const [what, shown, v] of [['median', median, g.median], ['p99', p99, g.p99], ['max', max, g.max]]) {
      const err = checkShown(shown ?? '', v);
      if (err) bad.push(`${key} ${what}: ${err}`);
    }
    const err = checkShown((ratio ?? '').replace(/×$/, ''), g.ratio);
    if (err) bad.push(`${key} max ÷ median: ${err}`);
  }
  return bad;
}

/**
 * Runs in the report frame: the x positions (CSS px from the canvas's left edge) of vertical lines
 * drawn in colour `rgb` ([r, g, b]) on the canvas whose aria-label starts with `labelStart`: columns
 * where that colour covers at least `minCover` of the canvas height, adjacent columns merged.
 */
function verticalLinesInFrame([labelStart, rgb, minCover, tolerance]) {
  const c = [...document.querySelectorAll('canvas')].find((x) => (x.getAttribute('aria-label') || '').startsWith(labelStart));
  if (!c || !c.width || !c.height) return null;
  const img = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  const cols = new Array(c.width).fill(0);
  for (let y = 0; y < c.height; y++) {
    for (let x = 0; x < c.width; x++) {
      const i = (y * c.width + x) * 4;
      if (img[i + 3] < 128) continue;
      if (Math.abs(img[i] - rgb[0]) + Math.abs(img[i + 1] - rgb[1]) + Math.abs(img[i + 2] - rgb[2]) <= tolerance) cols[x]++;
    }
  }
  const scale = c.width / c.getBoundingClientRect().width;
  const lines = [];
  let start = -1;
  for (let x = 0; x <= c.width; x++) {
    const on = x < c.width && cols[x] >= minCover * c.height;
    if (on && start < 0) start = x;
    if (!on && start >= 0) {
      lines.push(Math.round(((start + x - 1) / 2 / scale) * 10) / 10);
      start = -1;
    }
  }
  const best = cols.reduce((b, n, x) => (n > cols[b] ? x : b), 0);
  return { lines, cssWidth: c.width / scale, best: { x: Math.round(best / scale), cover: Math.round((100 * cols[best]) / c.height) / 100 } };
}

/** Vertical lines in colour `rgb` on the canvas labelled `labelStart…` (see verticalLinesInFrame). */
export function verticalLines(frame, labelStart, rgb, { minCover = 0.1, tolerance = 60 } = {}) {
  return frame.evaluate(verticalLinesInFrame, [labelStart, rgb, minCover, tolerance]);
}

/** Runs in the report frame: a --vscode-charts-* colour as the charts draw it (alpha dropped), [r, g, b]. */
export function chartColour(frame, cssVar) {
  return frame.evaluate((name) => {
    const v = getComputedStyle(document.body).getPropertyValue(name).trim();
    const ctx = document.createElement('canvas').getContext('2d');
    ctx.fillStyle = '#000000';
    ctx.fillStyle = v;
    const s = String(ctx.fillStyle);
    let m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(s);
    if (m) return [1, 2, 3].map((i) => parseInt(m[i], 16));
    m = /^rgba?\(\s*([\d.]+)\s*,\s*([\d.]+)\s*,\s*([\d.]+)/.exec(s);
    return m ? [1, 2, 3].map((i) => Number(m[i])) : null;
  }, cssVar);
}

/** Whether a locator's element (in a report frame) is at least partly inside the frame's viewport. */
export function inViewport(locator) {
  return locator.evaluate((el) => {
    const r = el.getBoundingClientRect();
    return r.bottom > 0 && r.top < window.innerHeight && r.height > 0;
  });
}
