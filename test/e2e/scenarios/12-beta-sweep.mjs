// The β sweep: the chart of smooth L1 against β is drawn with the β in force marked (a dashed
// vertical line); the slider (keyboard) tries another β, whose readout is the CLI's sweep value
// and whose solid marker appears left of the one in force; "Use β = … as the setting" saves
// lossInspector.smoothL1.beta (in the workspace's .vscode/settings.json: a folder is open) and the
// report recomputes to the CLI's numbers with --beta, its marker now where the tried one was.
import fs from 'node:fs';
import path from 'node:path';
import * as h from '../harness.mjs';
import * as L from '../loss.mjs';

const STEPS_LEFT = 6; // from β = 1 on the sweep grid (10 points per decade): β = 0.251

await h.scenario('12-beta-sweep', async () => {
  const csv = fs.readFileSync(path.join(L.REPO, 'samples', 'predictions.csv'));
  const { folder, server, page } = await L.openLossWorkbench({ files: { 'predictions.csv': csv } });
  const file = path.join(folder, 'predictions.csv');
  const cli1 = L.cliJson(file);
  const sweep = cli1.models[0].sweep;
  const i1 = sweep.values.indexOf(1);
  L.assert(i1 > STEPS_LEFT, `β = 1 is on the CLI's sweep grid: ${i1}`);
  const newBeta = sweep.values[i1 - STEPS_LEFT];
  const cli2 = L.cliJson(file, ['--beta', String(newBeta)]);
  h.log(`trying β = ${newBeta} (sweep smooth L1 ${sweep.smoothL1[i1 - STEPS_LEFT]}, CLI --beta ${cli2.models[0].metrics.smoothL1})`);

  await L.computeLossFromExplorer(page, 'predictions.csv');
  const { frame } = await L.waitForReport(page, 'predictions.csv');
  const SWEEP = 'smooth L1 of ';
  const orange = await L.chartColour(frame, '--vscode-charts-orange');
  L.assert(orange, 'the theme has --vscode-charts-orange');

  // The chart is drawn, with one orange vertical line: the β in force.
  const before = await L.eventually(async () => {
    const c = (await L.canvasStats(frame)).find((s) => s.label.startsWith(SWEEP));
    L.assert(c, `a canvas labelled "${SWEEP}…"`);
    L.assertCanvasesDrawn([c]);
    const v = await L.verticalLines(frame, SWEEP, orange);
    L.assertEqual(v.lines.length, 1, `one orange vertical line (the β in force) on the sweep chart: ${JSON.stringify(v)}`);
    return { canvas: c, x: v.lines[0], width: v.cssWidth };
  }, { what: 'the sweep chart drawn with the β in force marked' });
  h.log(`sweep chart ${before.canvas.cssWidth}×${before.canvas.cssHeight}: β in force marked at x = ${before.x}`);
  await frame.locator('#curves-title').scrollIntoViewIfNeeded();

  // Try a smaller β with the slider's keyboard: the readout is the CLI's sweep value.
  const slider = frame.locator('#beta-slider');
  await slider.focus();
  for (let i = 0; i < STEPS_LEFT; i++) await slider.press('ArrowLeft');
  const panel = frame.locator('.beta-panel');
  await L.eventually(async () => L.assertEqual((await panel.locator('output').textContent()).trim(), `β = ${newBeta}`, 'β readout after the slider'));
  const readout = (await panel.locator('dd .num').first().textContent()).trim();
  L.assert(!L.checkShown(readout, sweep.smoothL1[i1 - STEPS_LEFT]), `smooth L1 readout ${readout} vs the CLI's sweep ${sweep.smoothL1[i1 - STEPS_LEFT]}: ${L.checkShown(readout, sweep.smoothL1[i1 - STEPS_LEFT])}`);
  const tried = await L.eventually(async () => {
    const v = await L.verticalLines(frame, SWEEP, orange);
    L.assertEqual(v.lines.length, 2, `two orange vertical lines (in force, tried): ${JSON.stringify(v)}`);
    L.assert(Math.abs(v.lines[1] - before.x) <= 2, `the β in force stays at x = ${before.x}: ${v.lines}`);
    L.assert(before.x - v.lines[0] > 0.05 * v.cssWidth, `the tried β is marked well left of β = 1: ${v.lines}`);
    return v.lines[0];
  }, { what: 'the tried β marked' });
  h.log(`tried β = ${newBeta} marked at x = ${tried}`);
  await L.screenshotReport(page, frame, '12-beta-sweep-tried');

  // "Use β = 0.251 as the setting".
  const use = panel.getByRole('button', { name: `Use β = ${newBeta} as the setting` });
  L.assert(await use.isEnabled(), 'the Use button is enabled for a tried β');
  await use.click();
  await h.waitForNotification(page, `smooth L1 β set to ${newBeta}`);
  const wsSettings = path.join(folder, '.vscode', 'settings.json');
  await L.eventually(() => L.assertEqual(h.readJsonc(wsSettings)['lossInspector.smoothL1.beta'], newBeta, `lossInspector.smoothL1.beta in ${path.relative(folder, wsSettings)}`), {
    what: 'the setting saved on disk',
    timeout: 10_000,
  });
  L.assert(!('lossInspector.smoothL1.beta' in h.readJsonc(server.settingsPath)), 'the user settings are left alone (the workspace setting is the one written)');

  // The report recomputes with it: the CLI's numbers at --beta, the marker where the tried one was.
  const { frame: f2, report } = await L.waitForReport(page, 'predictions.csv', {
    until: (r) => r.status === 'done' && r.meta?.includes(`β = ${newBeta} `),
    what: `done with β = ${newBeta}`,
    timeout: 30_000,
  });
  L.assertSummaryMatchesCli(report.summary, cli2, `report at β = ${newBeta}`);
  L.assertEqual(report.betaOut, `β = ${newBeta}`, 'β readout after recomputing');
  L.assert(!report.callouts.some((c) => /settings now say/.test(c.text)), 'no "settings now say" note');
  L.assert(!(await f2.locator('.beta-panel button.primary').isEnabled()), 'the Use button is disabled: the tried β is in force');
  const after = await L.eventually(async () => {
    const v = await L.verticalLines(f2, SWEEP, orange);
    L.assertEqual(v.lines.length, 1, `one orange vertical line again: ${JSON.stringify(v)}`);
    L.assert(Math.abs(v.lines[0] - tried) <= 2, `the β in force is marked where β = ${newBeta} was tried (x = ${tried}): ${v.lines}`);
    return v.lines[0];
  }, { what: `β = ${newBeta} marked as in force` });
  h.log(`β in force marked at x = ${after} (was ${before.x})`);
  await f2.locator('#curves-title').scrollIntoViewIfNeeded();
  await L.screenshotReport(page, f2, '12-beta-sweep-used');
});
