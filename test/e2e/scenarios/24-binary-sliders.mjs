// The binary report's sliders (#13) in real VS Code, on the classifier fixture (a probability
// column and a logit column): the threshold slider, moved to several thresholds (and by the
// keyboard), shows the confusion matrices and the metrics the threshold sets exactly as the CLI's
// --threshold T gives them; "Use T as the setting" saves lossInspector.classification.threshold
// and the report recomputes at it. The focal γ slider, released, has the extension recompute
// every model's focal loss at γ (the CLI's --gamma G) without touching the setting; "Use γ as the
// setting" then saves lossInspector.focal.gamma. The loss and gradient charts against the margin
// are drawn.
import path from 'node:path';
import * as h from '../harness.mjs';
import * as L from '../loss.mjs';

/** Runs in the report frame: the threshold panel, the confusion matrices and the γ panel as shown. */
function readSliders() {
  const text = (el) => (el ? el.textContent.replace(/\s+/g, ' ').trim() : null);
  const report = document.querySelector('.report:not(.stale)');
  if (!report) return null;
  const tp = report.querySelector('.threshold-panel');
  const gp = report.querySelector('.gamma-panel');
  const metrics = {};
  for (const tr of tp?.querySelectorAll('table.threshold-metrics tbody tr') ?? []) {
    metrics[tr.className.replace('metric-', '')] = [...tr.querySelectorAll('td')].map((td) => td.getAttribute('title'));
  }
  return {
    title: text(report.querySelector('#confusion-title')),
    tOut: text(tp?.querySelector('output')),
    tSlider: tp?.querySelector('#threshold-slider')?.value ?? null,
    metrics,
    moves: [...(tp?.querySelectorAll('p.threshold-move') ?? [])].map(text),
    confusion: [...report.querySelectorAll('table.confusion')].map((t) =>
      [...t.querySelectorAll('tbody tr')].map((tr) => [...tr.querySelectorAll('td')].map((td) => Number(td.getAttribute('title').split(' ')[0]))),
    ),
    gOut: text(gp?.querySelector('output')),
    gText: text(gp?.querySelector('.slider-readout')),
    focal: [...(gp?.querySelectorAll('dd .num') ?? [])].map((el) => el.getAttribute('title')),
    buttons: [...report.querySelectorAll('.slider-panel button')].map((b) => ({ text: text(b), enabled: !b.disabled, hidden: b.hidden })),
  };
}

/** Moves a slider of the report to position `index` as a drag does: input events, then change on release. */
function moveSlider(frame, id, index, release = true) {
  return frame.evaluate(
    ([id, index, release]) => {
      const s = document.getElementById(id);
      s.value = String(index);
      s.dispatchEvent(new Event('input', { bubbles: true }));
      if (release) s.dispatchEvent(new Event('change', { bubbles: true }));
    },
    [id, index, release],
  );
}

const KEYS = ['accuracy', 'balancedAccuracy', 'precision', 'recall', 'f1', 'mcc'];

/** The panel at T against the CLI's --threshold T: the confusion counts and every metric, to the bit. */
function assertAtThreshold(shown, cli, T) {
  L.assertEqual(shown.title, `Confusion matrix at threshold ${T}`, 'the section title follows the slider');
  L.assertEqual(shown.tOut, `T = ${T}`, 'the slider’s readout');
  L.assertEqual(shown.confusion, cli.models.map((m) => m.confusion.counts), `confusion at ${T} = the CLI’s --threshold ${T}`);
  for (const key of KEYS) L.assertEqual(shown.metrics[key], cli.models.map((m) => String(m.metrics[key])), `${key} at ${T} = the CLI’s`);
}

await h.scenario('24-binary-sliders', async () => {
  const csv = L.fixture(path.join('classification', 'binary.csv'));
  const { folder, server, page } = await L.openLossWorkbench({ files: { 'binary.csv': csv } });
  const file = path.join(folder, 'binary.csv');
  const wsSettings = path.join(folder, '.vscode', 'settings.json');

  await L.computeLossFromExplorer(page, 'binary.csv');
  const { frame } = await L.waitForReport(page, 'binary.csv', { timeout: 90_000 });
  const first = await frame.evaluate(readSliders);
  L.assertEqual(first.tOut, 'T = 0.5', 'the threshold in force');
  L.assertEqual(first.gOut, 'γ = 2', 'the γ in force');
  L.assert(first.gText.includes('Every focal number of this report is at γ = 2, the setting.'), `γ panel: ${first.gText}`);

  // The loss and gradient charts against the margin are drawn.
  await L.eventually(async () => {
    const stats = await L.canvasStats(frame);
    const charts = ['Loss of one row against its margin', 'Pull of one row'].map((start) => stats.find((s) => s.label.startsWith(start)));
    L.assert(charts.every(Boolean), `margin charts: ${stats.map((s) => s.label.slice(0, 40)).join(' | ')}`);
    L.assertCanvasesDrawn(charts);
  }, { what: 'the margin charts drawn' });

  // 1. The threshold slider at several thresholds: the CLI's numbers at --threshold T.
  await frame.locator('#confusion-title').scrollIntoViewIfNeeded();
  for (const T of [0.3, 0.731, 0.05, 0.5]) {
    const cli = L.cliJson(file, ['--threshold', String(T)]);
    await moveSlider(frame, 'threshold-slider', Math.round(T * 1000) - 1);
    const shown = await L.eventually(async () => {
      const s = await frame.evaluate(readSliders);
      L.assertEqual(s.tOut, `T = ${T}`, 'readout');
      return s;
    }, { what: `the threshold panel at ${T}` });
    assertAtThreshold(shown, cli, T);
    h.log(`T = ${T}: confusion ${JSON.stringify(shown.confusion[0])}, F1 ${shown.metrics.f1.join(', ')} (= the CLI's)`);
    if (T !== 0.5) L.assert(shown.moves[0].startsWith(`prob at ${T} instead of 0.5:`), `what moving changes: ${shown.moves[0]}`);
  }

  // 2. By the keyboard: 0.5 → 0.3 in steps of 0.001 is long; from 0.3, three steps right.
  await moveSlider(frame, 'threshold-slider', 299);
  const slider = frame.locator('#threshold-slider');
  await slider.focus();
  for (let i = 0; i < 3; i++) await slider.press('ArrowRight');
  const T = 0.303;
  const cliT = L.cliJson(file, ['--threshold', String(T)]);
  const byKeys = await L.eventually(async () => {
    const s = await frame.evaluate(readSliders);
    L.assertEqual(s.tOut, `T = ${T}`, 'readout after three ArrowRight');
    return s;
  }, { what: 'the slider moved by the keyboard' });
  assertAtThreshold(byKeys, cliT, T);
  await L.screenshotReport(page, frame, '24-threshold-tried');

  // 3. "Use T = 0.303 as the setting": the workspace setting, and the report recomputed at it.
  const useT = frame.locator('.threshold-panel').getByRole('button', { name: `Use T = ${T} as the setting` });
  L.assert(await useT.isEnabled(), 'Use is enabled for a tried threshold');
  await useT.click();
  await h.waitForNotification(page, `classification threshold set to ${T}`);
  await L.eventually(() => L.assertEqual(h.readJsonc(wsSettings)['lossInspector.classification.threshold'], T, 'the threshold setting on disk'), { what: 'the setting saved', timeout: 10_000 });
  const atT = await L.waitForReport(page, 'binary.csv', { until: (r) => r.status === 'done' && r.meta?.includes(`threshold ${T} `), what: `done at threshold ${T}`, timeout: 45_000 });
  const accuracy = atT.report.summary.rows.find((r) => r.label === 'accuracy');
  L.assertEqual(accuracy.cells.map((c) => c.title), cliT.models.map((m) => String(m.metrics.accuracy)), `summary accuracy at ${T}`);
  const after = await atT.frame.evaluate(readSliders);
  assertAtThreshold(after, cliT, T);
  L.assert(after.buttons.some((b) => b.text === `Use T = ${T} as the setting` && !b.enabled), 'Use is disabled: the threshold is in force');
  L.assert(!atT.report.callouts.some((c) => /settings now say/.test(c.text)), 'no "settings now say" note');
  h.log(`threshold ${T} saved; summary accuracy ${accuracy.cells.map((c) => c.shown).join(', ')}`);

  // 4. The γ slider, released at 1: every focal number recomputed (the CLI's --gamma 1), the setting untouched.
  const cliG = L.cliJson(file, ['--threshold', String(T), '--gamma', '1']);
  await atT.frame.locator('#trueclass-title').scrollIntoViewIfNeeded();
  await moveSlider(atT.frame, 'gamma-slider', 10);
  const atG = await L.waitForReport(page, 'binary.csv', { until: (r) => r.status === 'done' && r.meta?.includes('γ = 1 '), what: 'done at γ = 1', timeout: 45_000 });
  const focal = atG.report.summary.rows.find((r) => r.label === 'focal (γ, α)');
  L.assertEqual(focal.cells.map((c) => c.title), cliG.models.map((m) => String(m.metrics.focal)), 'focal at γ = 1 = the CLI’s --gamma 1');
  const g1 = await atG.frame.evaluate(readSliders);
  L.assertEqual(g1.gOut, 'γ = 1', 'γ readout');
  L.assertEqual(g1.focal, cliG.models.map((m) => String(m.metrics.focal)), 'the γ panel’s focal numbers');
  L.assert(g1.gText.includes('tried here; the setting lossInspector.focal.gamma is 2'), `γ panel: ${g1.gText}`);
  L.assert(!atG.report.callouts.some((c) => /settings now say/.test(c.text)), 'a tried γ is not a stale setting');
  L.assert(!('lossInspector.focal.gamma' in h.readJsonc(wsSettings)), 'the γ setting is untouched');
  h.log(`γ = 1: focal ${focal.cells.map((c) => c.shown).join(', ')} (CLI ${cliG.models.map((m) => m.metrics.focal).join(', ')})`);
  await L.screenshotReport(page, atG.frame, '24-gamma-tried');

  // 5. "Use γ = 1 as the setting".
  await atG.frame.locator('.gamma-panel').getByRole('button', { name: 'Use γ = 1 as the setting' }).click();
  await h.waitForNotification(page, 'focal γ set to 1');
  await L.eventually(() => L.assertEqual(h.readJsonc(wsSettings)['lossInspector.focal.gamma'], 1, 'the γ setting on disk'), { what: 'γ saved', timeout: 10_000 });
  await L.eventually(async () => {
    for (const f of h.webviewFrames(page)) {
      const s = await f.evaluate(readSliders).catch(() => null);
      if (s?.gText?.includes('Every focal number of this report is at γ = 1, the setting.')) return s;
    }
    throw new Error('the γ panel does not say γ = 1 is the setting yet');
  }, { what: 'γ = 1 in force as the setting', timeout: 45_000 });
  L.assert(!('lossInspector.focal.gamma' in h.readJsonc(server.settingsPath)), 'the user settings are left alone (the workspace setting is the one written)');
});
