// Restricted Mode (an untrusted workspace: workspace trust on, the folder never trusted):
// package.json declares untrustedWorkspaces supported with no restricted settings, since the
// extension only reads the data files. Compute Loss is offered and works; the workspace's own
// .vscode/settings.json (β, weight column) is applied, as for a trusted folder, and "Use β"
// can still save β there.
import path from 'node:path';
import * as h from '../harness.mjs';
import * as L from '../loss.mjs';

function dataCsv() {
  const rows = ['y_true,y_pred,w'];
  for (let i = 0; i < 50; i++) {
    const y = i / 5;
    const d = ((((i * 11) % 13) - 6) / 4) * (i % 7 === 0 ? 6 : 1);
    rows.push(`${y},${+(y + d).toFixed(3)},${1 + (i % 3)}`);
  }
  return rows.join('\n') + '\n';
}

const WS_SETTINGS = { 'lossInspector.smoothL1.beta': 0.25, 'lossInspector.columns.weight': 'w' };

await h.scenario('14-untrusted-workspace', async () => {
  const { folder, page } = await L.openLossWorkbench({
    files: { 'data.csv': dataCsv(), '.vscode/settings.json': JSON.stringify(WS_SETTINGS, null, 2) + '\n' },
    expectFile: 'data.csv',
    workspaceTrust: true,
    settings: { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never' },
  });
  const file = path.join(folder, 'data.csv');

  // The window is in Restricted Mode.
  await L.eventually(
    async () => {
      const banner = (await page.locator('.monaco-workbench .banner').first().textContent().catch(() => '')) || '';
      const status = (await page.locator('.statusbar').first().textContent().catch(() => '')) || '';
      L.assert(/Restricted Mode/i.test(banner + status), `Restricted Mode shown in the banner or status bar: banner "${banner.trim()}", status bar "${status.trim().slice(0, 200)}"`);
    },
    { what: 'Restricted Mode', timeout: 20_000 },
  );
  await h.screenshot(page, '14-untrusted-workbench');

  // Compute Loss is offered in the Explorer and gives the CLI's numbers with the workspace's settings.
  const cli = L.cliJson(file, ['--beta', '0.25', '--weight', 'w']);
  await L.computeLossFromExplorer(page, 'data.csv');
  const { frame, report } = await L.waitForReport(page, 'data.csv');
  h.log(`restricted mode report: ${report.meta}`);
  L.assert(/weighted by “w”/.test(report.meta) && report.meta.includes('β = 0.25 '), `the workspace settings apply: ${report.meta}`);
  L.assertSummaryMatchesCli(report.summary, cli, 'report in Restricted Mode');
  await L.screenshotReport(page, frame, '14-untrusted-report');

  // "Use β" writes the workspace setting in Restricted Mode too; the report follows.
  const sweep = cli.models[0].sweep.values;
  const i = sweep.indexOf(0.25); // the grid holds the β in force
  L.assert(i > 0, 'β = 0.25 is on the sweep grid');
  const newBeta = sweep[i + 4];
  const slider = frame.locator('#beta-slider');
  await slider.focus();
  for (let k = 0; k < 4; k++) await slider.press('ArrowRight');
  await frame.getByRole('button', { name: `Use β = ${newBeta} as the setting` }).click();
  await h.waitForNotification(page, `smooth L1 β set to ${newBeta}`);
  const wsFile = path.join(folder, '.vscode', 'settings.json');
  await L.eventually(() => L.assertEqual(h.readJsonc(wsFile), { ...WS_SETTINGS, 'lossInspector.smoothL1.beta': newBeta }, `${wsFile} after Use β`), {
    what: 'the workspace setting saved',
    timeout: 10_000,
  });
  const { report: r2 } = await L.waitForReport(page, 'data.csv', {
    until: (r) => r.status === 'done' && r.meta?.includes(`β = ${newBeta} `),
    what: `done with β = ${newBeta}`,
    timeout: 30_000,
  });
  L.assertSummaryMatchesCli(r2.summary, L.cliJson(file, ['--beta', String(newBeta), '--weight', 'w']), `report at β = ${newBeta} in Restricted Mode`);
});
