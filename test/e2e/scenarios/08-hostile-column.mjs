// A column named `<img src=x onerror=alert(1)>` is shown as literal text: the report's header
// cell is that string, no <img> element appears in the webview's DOM, no dialog opens.
//
// test/fixtures/hostile.csv has the name on a text column (a, b), which the report does not
// show; so the scenario reports on it as it is (nothing of it may turn into markup), and then on
// a copy whose hostile column holds numbers, chosen as a second prediction column through the
// settings (lossInspector.columns.predictions), so the name is a header of table.summary, a
// caption of the worst rows, an option of the model picker and a label of the charts.
import path from 'node:path';
import * as h from '../harness.mjs';
import * as L from '../loss.mjs';

const HOSTILE = L.HOSTILE;

await h.scenario('08-hostile-column', async () => {
  const fixtureText = L.fixture('hostile.csv').toString('utf8');
  L.assert(fixtureText.split('\n')[0].includes(HOSTILE), 'the fixture has the hostile column name');
  const numeric = `y_true,y_pred,${HOSTILE}\n1,1.5,0.5\n2,2.5,2.25\n3,2.75,3.5\n`;
  const files = { 'hostile.csv': fixtureText, 'hostile-numeric.csv': numeric };
  const { folder, server, page, browser } = await L.openLossWorkbench({ files });

  // Three ways a parsed <img src=x onerror=alert(1)> would show: a dialog (page 'dialog' covers
  // every frame; VS Code's webview iframes are sandboxed without allow-modals, so there the
  // browser logs "Ignored call to 'alert()'" instead), the webview CSP refusing the inline
  // handler (logged), and a request for the image "x".
  const dialogs = [];
  page.on('dialog', (d) => {
    dialogs.push(`${d.type()}: ${d.message()}`);
    d.dismiss().catch(() => {});
  });
  const imageRequests = [];
  page.on('request', (r) => {
    if (/\/x([?#].*)?$/.test(r.url())) imageRequests.push(r.url());
  });
  const alerts = () => browser.consoleMessages.filter((m) => /call to 'alert\(\)'|inline event handler|onerror/i.test(m));

  /** Every webview frame: no <img>, no element with an on* attribute; the name only as text. */
  async function checkNoMarkup(frame, what) {
    const dom = await frame.evaluate(() => ({
      imgs: document.querySelectorAll('img').length,
      onAttrs: [...document.querySelectorAll('*')].flatMap((el) => [...el.attributes].filter((a) => /^on/i.test(a.name)).map((a) => `${el.tagName}[${a.name}]`)),
      html: document.body.innerHTML,
    }));
    L.assertEqual(dom.imgs, 0, `${what}: <img> elements in the webview`);
    L.assertEqual(dom.onAttrs, [], `${what}: elements with on* attributes`);
    L.assert(!dom.html.includes(HOSTILE), `${what}: the name never appears unescaped in the DOM's HTML`);
    return dom;
  }

  // 1. The fixture as it is.
  const cli1 = L.cliJson(path.join(folder, 'hostile.csv'));
  L.assertEqual(cli1.columns[2], HOSTILE, 'the CLI reads the hostile column name literally');
  await L.computeLossFromExplorer(page, 'hostile.csv');
  const { frame: f1, report: r1 } = await L.waitForReport(page, 'hostile.csv');
  L.assertSummaryMatchesCli(r1.summary, cli1, 'hostile.csv');
  await checkNoMarkup(f1, 'hostile.csv');
  await L.screenshotReport(page, f1, '08-hostile-fixture');

  // 2. The hostile name as a model.
  await h.runCommandFromPalette(page, 'View: Close All Editors');
  await h.setUserSetting(page, server, 'lossInspector.columns.predictions', ['y_pred', HOSTILE]);
  const cli2 = L.cliJson(path.join(folder, 'hostile-numeric.csv'), ['--prediction', `y_pred,${HOSTILE}`]);
  await L.computeLossFromExplorer(page, 'hostile-numeric.csv');
  const { frame, report } = await L.waitForReport(page, 'hostile-numeric.csv');
  h.log(`summary headers: ${JSON.stringify(report.summary.headers)}`);
  L.assertEqual(report.summary.headers, ['metric', 'y_pred', HOSTILE], 'the header cell is the literal column name');
  const headerText = await frame.locator('table.summary thead th').nth(2).textContent();
  L.assertEqual(headerText.trim(), HOSTILE, 'header cell textContent');
  L.assertSummaryMatchesCli(report.summary, cli2, 'hostile-numeric.csv');
  const shown = await frame.evaluate((name) => ({
    captions: [...document.querySelectorAll('table.worst caption')].map((c) => c.textContent.trim()),
    options: [...document.querySelectorAll('#model-select option')].map((o) => o.textContent),
    labelled: [...document.querySelectorAll('canvas')].filter((c) => (c.getAttribute('aria-label') || '').includes(name)).length,
  }), HOSTILE);
  L.assert(shown.captions.some((c) => c.startsWith(`${HOSTILE}:`)), `worst-rows caption: ${JSON.stringify(shown.captions)}`);
  L.assertEqual(shown.options, ['y_pred', HOSTILE], 'model picker options');
  // Its charts: pick the hostile model and let every chart draw with it.
  await frame.locator('#model-select').selectOption('1');
  const f2 = (await L.waitForReport(page, 'hostile-numeric.csv')).frame;
  await L.eventually(async () => {
    const s = await L.canvasStats(f2);
    L.assertCanvasesDrawn(s, { min: 7 });
    L.assert(s.some((c) => c.label.includes(HOSTILE)), 'a chart is labelled with the literal name');
  }, { what: 'charts of the hostile model' });
  await checkNoMarkup(f2, 'hostile-numeric.csv');
  // Hover the scatter so that chart.js draws a tooltip with the model's name.
  const canvases = f2.locator('canvas');
  const n = await canvases.count();
  const scatter = canvases.nth(n - 1);
  await scatter.scrollIntoViewIfNeeded();
  const box = await scatter.boundingBox();
  if (box) for (const fx of [0.3, 0.5, 0.7]) await page.mouse.move(box.x + box.width * fx, box.y + box.height * 0.5);
  await checkNoMarkup(f2, 'after hovering the charts');
  await f2.evaluate(() => window.scrollTo(0, 0));

  // No dialog in the whole page (alert in any frame would have shown up here).
  await page.waitForTimeout(500); // give a (wrongly) created <img> time to fail and fire onerror
  L.assertEqual(dialogs, [], 'dialogs opened');
  L.assertEqual(alerts(), [], 'console messages about a blocked alert() or inline handler');
  L.assertEqual(imageRequests, [], 'requests for the image "x"');
  await L.screenshotReport(page, f2, '08-hostile-column');
});
