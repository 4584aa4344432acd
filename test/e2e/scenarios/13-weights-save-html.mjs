// Sample weights and "Save as HTML":
// - setting lossInspector.columns.weight while the report is open recomputes it to the CLI's
//   --weight numbers (the header says "weighted by “w”");
// - "Save as HTML" in the panel asks where to save (code-server's simple file dialog, with
//   <file>.loss.html next to the data proposed) and writes one self-contained file: a CSP, no
//   http(s) src/href, the report data with the CLI's weighted MAE; opened from disk in the
//   browser it renders the same MAE and loads nothing else.
import fs from 'node:fs';
import path from 'node:path';
import * as h from '../harness.mjs';
import * as L from '../loss.mjs';

/** 60 rows; rows 3, 13, … have a large error and a small weight (0.1), the others weights 1–4. */
function weightedCsv() {
  const rows = ['y_true,y_pred,w'];
  for (let i = 0; i < 60; i++) {
    const y = (i % 12) / 2;
    const d = (((i * 5) % 9) - 4) / 4 + (i % 10 === 3 ? 8 : 0);
    rows.push(`${y},${y + d},${i % 10 === 3 ? 0.1 : 1 + (i % 4)}`);
  }
  return rows.join('\n') + '\n';
}

/** Runs in the saved page: the summary's MAE cell as shown and the header line. */
function savedPageView() {
  const row = [...document.querySelectorAll('table.summary tbody tr')].find((tr) => tr.querySelector('th')?.textContent.trim() === 'MAE');
  const td = row?.querySelector('td');
  return {
    mae: td ? [...td.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent).join('').trim() : null,
    maeTitle: td?.getAttribute('title') ?? null,
    meta: document.querySelector('.meta')?.textContent ?? null,
    buttons: [...document.querySelectorAll('.actions button')].map((b) => b.textContent),
    canvases: document.querySelectorAll('canvas').length,
  };
}

await h.scenario('13-weights-save-html', async () => {
  const { folder, server, browser, page } = await L.openLossWorkbench({ files: { 'weighted.csv': weightedCsv() } });
  const file = path.join(folder, 'weighted.csv');
  const plain = L.cliJson(file);
  const weighted = L.cliJson(file, ['--weight', 'w']);
  L.assertEqual(weighted.weight, 'w', 'the CLI report is weighted by w');
  L.assert(Math.abs(plain.models[0].metrics.mae - weighted.models[0].metrics.mae) > 0.1, 'the weights change the MAE');

  await L.computeLossFromExplorer(page, 'weighted.csv');
  const { report: r1 } = await L.waitForReport(page, 'weighted.csv');
  L.assertSummaryMatchesCli(r1.summary, plain, 'unweighted report');
  L.assert(!/weighted by/.test(r1.meta), `no weight in the header yet: ${r1.meta}`);

  // ---- the weight setting, changed while the report is open
  await h.setUserSetting(page, server, 'lossInspector.columns.weight', 'w');
  const { frame, report: r2 } = await L.waitForReport(page, 'weighted.csv', {
    until: (r) => r.status === 'done' && /weighted by “w”/.test(r.meta || ''),
    what: 'done, weighted by w',
    timeout: 30_000,
  });
  h.log(`after the setting: ${r2.meta}`);
  L.assertSummaryMatchesCli(r2.summary, weighted, 'weighted report');
  const maeShown = r2.summary.rows.find((r) => r.label === 'MAE').cells[0].shown;
  // One row in the worst 1% here: the robustness sentence speaks of it in the singular.
  const robLead = (await L.readInsights(frame)).robustness.lead;
  L.assertEqual(weighted.models[0].robustness.worst1.rows, 1, 'one row in the worst 1%');
  L.assert(/^The worst row \([\d.]+% of 60\) of y_pred carries /.test(robLead), `robustness sentence for one row: ${robLead}`);
  // The β/δ sweep and the robustness shares are weighted like the summary: the β panel's smooth L1
  // at the β in force is the summary's, and the MSE without the worst row is below the MSE.
  const wm = weighted.models[0];
  const atOne = wm.sweep.smoothL1[wm.sweep.values.indexOf(1)];
  L.assert(Math.abs(atOne - wm.metrics.smoothL1) <= 1e-12 * wm.metrics.smoothL1, `weighted sweep at β = 1 (${atOne}) is the weighted smooth L1 (${wm.metrics.smoothL1})`);
  L.assert(wm.robustness.worst1.without.l2 < wm.metrics.mse, `MSE without the worst row ${wm.robustness.worst1.without.l2} < MSE ${wm.metrics.mse}`);
  h.log(`MAE ${r1.summary.rows.find((r) => r.label === 'MAE').cells[0].shown} → ${maeShown} (CLI --weight w: ${weighted.models[0].metrics.mae})`);

  // ---- Save as HTML
  const saved = path.join(folder, 'weighted.loss.html');
  L.assert(!fs.existsSync(saved), 'no HTML report yet');
  await frame.getByRole('button', { name: 'Save as HTML' }).click();
  // code-server asks through its simple file dialog (a quick input holding the proposed path).
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  const proposed = await L.eventually(async () => {
    const v = await input.inputValue();
    L.assert(v.endsWith('weighted.loss.html'), `the dialog proposes weighted.loss.html: "${v}"`);
    return v;
  }, { what: 'the save dialog filled in', timeout: 10_000 });
  h.log(`save dialog proposes ${proposed}`);
  await h.screenshot(page, '13-save-dialog');
  await input.press('Enter');
  await h.waitForNotification(page, 'Saved the loss report to weighted.loss.html');
  L.assert(fs.existsSync(saved), `${saved} was written`);
  const html = fs.readFileSync(saved, 'utf8');
  h.log(`saved ${path.basename(saved)}: ${html.length} bytes`);

  // Self-contained: a CSP that loads nothing from outside, no remote src/href, no linked files.
  const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1];
  L.assert(csp && /default-src 'none'/.test(csp), `a CSP with default-src 'none': ${csp}`);
  L.assert(!/\b(src|href)\s*=\s*["']?\s*(https?:)?\/\//i.test(html), 'no http(s) or protocol-relative src/href');
  L.assert(!/<script[^>]*\bsrc=|<link\b|@import|url\(\s*["']?https?:/i.test(html), 'no external script, stylesheet, @import or remote url()');
  const data = JSON.parse(/<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/.exec(html)?.[1] ?? 'null');
  L.assert(data?.report, 'the report data is embedded');
  L.assertEqual(data.report.weight, 'w', 'the saved report is the weighted one');
  L.assertEqual(data.report.models[0].metrics.mae, weighted.models[0].metrics.mae, "the saved MAE is the CLI's --weight w MAE");

  // Opened from disk in the browser (offline): renders the same MAE and requests nothing else.
  const view = await browser.context.newPage();
  const requests = [];
  view.on('request', (r) => requests.push(r.url()));
  const errors = [];
  view.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  view.on('pageerror', (e) => errors.push(e.message));
  await view.goto(`file://${saved}`);
  await view.locator('table.summary').waitFor({ timeout: 15_000 });
  const shown = await view.evaluate(savedPageView);
  h.log(`saved page: MAE ${shown.mae}; ${shown.meta}; ${shown.canvases} canvases; requests ${JSON.stringify(requests.map((u) => u.slice(0, 60)))}`);
  L.assertEqual(shown.mae, maeShown, 'MAE shown in the saved page = the panel’s');
  L.assertEqual(shown.maeTitle, String(weighted.models[0].metrics.mae), 'exact MAE in the saved page = the CLI’s');
  L.assert(!L.checkShown(shown.mae, weighted.models[0].metrics.mae), `saved page MAE ${shown.mae}: ${L.checkShown(shown.mae, weighted.models[0].metrics.mae)}`);
  L.assert(/weighted by “w”/.test(shown.meta), `the saved page says it is weighted: ${shown.meta}`);
  L.assertEqual(shown.buttons, [], 'no buttons that need VS Code in the saved page');
  L.assert(shown.canvases > 3, 'the saved page draws its charts');
  L.assertEqual(requests.filter((u) => !u.startsWith('file://') && !u.startsWith('data:')), [], 'the saved page requests nothing beyond itself');
  L.assertEqual(errors, [], 'no errors (CSP or script) in the saved page');
  await view.screenshot({ path: path.join(h.RESULTS_DIR, '13-saved-html.png') });
  await view.close();
});
