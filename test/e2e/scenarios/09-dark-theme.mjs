// Dark theme (Default Dark Modern from the start): the report is readable. Every kind of text
// in it has a WCAG contrast ratio against what is behind it of at least 4.5 (3 for large text:
// h1/h2 headings, ≥ 24 px, or ≥ 18.66 px bold), colours composited as the browser paints them
// (alpha included); the charts draw their text in the theme's light colours, not in black. Then the
// theme changes to light while the report is open: the report follows (body class, charts).
import fs from 'node:fs';
import path from 'node:path';
import * as h from '../harness.mjs';
import * as L from '../loss.mjs';

/** Runs in the report frame: the colours of each kind of text and of what is behind it, composited. */
function textColours() {
  const probe = document.createElement('span');
  document.body.append(probe);
  const rgba = (css) => {
    probe.style.color = '';
    probe.style.color = css;
    const computed = getComputedStyle(probe).color;
    const m = /rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)(?:\s*[,/]\s*([\d.]+))?\s*\)/.exec(computed);
    if (m) return [Number(m[1]), Number(m[2]), Number(m[3]), m[4] === undefined ? 1 : Number(m[4])];
    // Relative colour syntax (rgb(from … r g b)) computes to color(srgb r g b [/ a]) with 0…1 channels.
    const c = /color\(srgb\s+([\d.e-]+)\s+([\d.e-]+)\s+([\d.e-]+)(?:\s*\/\s*([\d.]+))?\s*\)/.exec(computed);
    return c ? [Number(c[1]) * 255, Number(c[2]) * 255, Number(c[3]) * 255, c[4] === undefined ? 1 : Number(c[4])] : null;
  };
  const over = (top, under) => [0, 1, 2].map((i) => top[i] * top[3] + under[i] * (1 - top[3])).concat(1);
  const base = rgba(getComputedStyle(document.documentElement).getPropertyValue('--vscode-editor-background').trim() || 'white');
  const background = (el) => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const c = rgba(getComputedStyle(e).backgroundColor);
      if (c && c[3] > 0) layers.push(c);
      if (c && c[3] >= 1) break;
    }
    return layers.reverse().reduce((acc, c) => over(c, acc), base);
  };
  const kinds = {
    'body text': 'body',
    'file name (h1)': 'h1 .file-name',
    'header line': '.meta',
    'section heading (h2)': 'h2#summary-title',
    'summary metric name': 'table.summary tbody th',
    'summary value': 'table.summary td.num:not(.best)',
    'summary best value': 'table.summary td.best',
    'summary caption': 'table.summary caption',
    'summary foot': 'table.summary tfoot td',
    'skipped rows heading': '.skipped h2',
    'skipped rows text': '.skipped li',
    'line link': '.skipped button.link',
    'β readout (large)': '.beta-panel output.big',
    'β panel value': '.beta-panel dd .num',
    'muted text': 'p.muted',
    'chart caption': 'figcaption:not([hidden])',
    'worst rows cell': 'table.worst td',
    'primary button': 'button.primary',
    'secondary button': 'button.secondary',
  };
  const out = [];
  for (const [kind, sel] of Object.entries(kinds)) {
    const el = document.querySelector(sel);
    if (!el) {
      out.push({ kind, sel, missing: true });
      continue;
    }
    const cs = getComputedStyle(el);
    const bg = background(el);
    const fg = over(rgba(cs.color), bg);
    const size = parseFloat(cs.fontSize);
    const weight = Number(cs.fontWeight) || 400;
    // WCAG "large": ≥ 24 px, or ≥ 18.66 px bold.
    const large = size >= 24 || (size >= 18.66 && weight >= 700) || /^h[12]$/i.test(el.tagName);
    out.push({ kind, sel, css: cs.color, fg, bg, large, size, weight });
  }
  probe.remove();
  return { bodyClass: document.body.className, items: out };
}

/** Runs in the report frame: per canvas, pixels in the theme's text colours and near-black ones. */
function chartInk() {
  const probe = document.createElement('span');
  document.body.append(probe);
  const rgb = (css) => {
    probe.style.color = css;
    return (/rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)/.exec(getComputedStyle(probe).color) || []).slice(1, 4).map(Number);
  };
  const root = getComputedStyle(document.documentElement);
  const fg = rgb(root.getPropertyValue('--vscode-editor-foreground').trim() || getComputedStyle(document.body).color);
  const muted = rgb(root.getPropertyValue('--vscode-descriptionForeground').trim() || getComputedStyle(document.body).color);
  const bg = rgb(root.getPropertyValue('--vscode-editor-background').trim() || getComputedStyle(document.body).backgroundColor);
  probe.remove();
  const near = (p, c) => Math.abs(p[0] - c[0]) + Math.abs(p[1] - c[1]) + Math.abs(p[2] - c[2]) <= 36;
  return [...document.querySelectorAll('canvas')].map((c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let text = 0;
    let black = 0;
    let drawn = 0;
    for (let i = 0; i < d.length; i += 4) {
      if (d[i + 3] < 160) continue;
      drawn++;
      const p = [d[i], d[i + 1], d[i + 2]];
      if (near(p, fg) || near(p, muted)) text++;
      // Near-black ink that is not the theme's own background (label backdrops paint that).
      if (p[0] < 48 && p[1] < 48 && p[2] < 48 && !near(p, bg)) black++;
    }
    return { label: (c.getAttribute('aria-label') || '').slice(0, 50), drawn, text, black };
  });
}

await h.scenario('09-dark-theme', async () => {
  const csv = fs.readFileSync(path.join(L.REPO, 'samples', 'predictions.csv'));
  const { folder, server, page } = await L.openLossWorkbench({ files: { 'predictions.csv': csv }, theme: 'dark' });
  L.assert((await page.locator('.monaco-workbench.vs-dark').count()) > 0, 'the workbench uses the dark theme');
  await L.computeLossFromExplorer(page, 'predictions.csv');
  const { frame, report } = await L.waitForReport(page, 'predictions.csv');
  L.assertSummaryMatchesCli(report.summary, L.cliJson(path.join(folder, 'predictions.csv')));
  await L.eventually(async () => L.assertCanvasesDrawn(await L.canvasStats(frame), { min: 7 }), { what: 'charts drawn' });

  // Text contrast.
  const { bodyClass, items } = await frame.evaluate(textColours);
  L.assert(/\bvscode-dark\b/.test(bodyClass), `the webview body has the dark theme class: ${bodyClass}`);
  const bad = [];
  for (const it of items) {
    if (it.missing) {
      bad.push(`${it.kind}: no element ${it.sel}`);
      continue;
    }
    const ratio = L.contrastRatio(`rgb(${it.fg.slice(0, 3).join(',')})`, `rgb(${it.bg.slice(0, 3).join(',')})`);
    const need = it.large ? 3 : 4.5;
    h.log(`${ratio >= need ? 'ok ' : 'LOW'} ${ratio.toFixed(2).padStart(5)} (≥ ${need}) ${it.kind}: ${it.css} on rgb(${it.bg.slice(0, 3).map(Math.round).join(',')})`);
    if (ratio < need) bad.push(`${it.kind} (${it.sel}): ${ratio.toFixed(2)} < ${need} — ${it.css} on rgb(${it.bg.slice(0, 3).map(Math.round).join(',')})`);
  }
  const main = items.find((i) => i.kind === 'body text');
  h.log(`body text ${main.css} on rgb(${main.bg.slice(0, 3).join(',')})`);

  // Charts: their text in the theme's light colours, nothing drawn in black.
  const ink = await frame.evaluate(chartInk);
  for (const c of ink) {
    h.log(`chart "${c.label}…": ${c.drawn} drawn px, ${c.text} in the theme's text colours, ${c.black} near-black`);
    if (c.text < 100) bad.push(`chart "${c.label}…" has only ${c.text} pixels in the theme's text colours`);
    if (c.black > c.drawn * 0.02) bad.push(`chart "${c.label}…" draws ${c.black} near-black pixels on the dark background`);
  }
  await L.screenshotReport(page, frame, '09-dark-theme');
  await frame.evaluate(() => document.getElementById('curves-title')?.scrollIntoView());
  await L.screenshotReport(page, frame, '09-dark-theme-charts');
  await h.screenshot(page, '09-dark-theme-workbench');

  // Live switch to the light theme: the open report follows.
  await h.runCommandFromPalette(page, 'View: Focus First Editor Group');
  await h.setUserSetting(page, server, 'workbench.colorTheme', h.THEMES.light);
  await page.locator('.monaco-workbench.vs').first().waitFor({ state: 'attached', timeout: 15_000 });
  const { frame: lf } = await L.waitForReport(page, 'predictions.csv');
  await L.eventually(async () => {
    const cls = await lf.evaluate(() => document.body.className);
    L.assert(/\bvscode-light\b/.test(cls), `webview body class after the switch: ${cls}`);
    const lightInk = await lf.evaluate(chartInk);
    for (const c of lightInk) L.assert(c.text >= 100, `chart "${c.label}…" redrawn in the light theme's text colours (${c.text} px)`);
  }, { what: 'the report in the light theme', timeout: 15_000 });
  await L.screenshotReport(page, lf, '09-dark-theme-switched-light');

  // Known failure: media/report.css colours output.big (the β readout) with
  // var(--vscode-charts-orange), which the Default Dark/Light Modern themes define as
  // rgba(234, 92, 0, 0.33), i.e. a faint brown on dark (contrast ≈ 1.6).
  if (bad.length) throw new Error(`the report is not readable everywhere in the dark theme:\n  ${bad.join('\n  ')}`);
});
