// The first-run walkthrough (#18 item 5): it is listed by "Welcome: Open Walkthrough…", its three
// steps show, "Open the Sample" opens the sample shipped in the .vsix, "Compute Loss on the
// Sample" opens its report (the CLI's numbers for the same file), and both steps are ticked.
import path from 'node:path';
import * as h from '../harness.mjs';
import * as L from '../loss.mjs';

const TITLE = 'Get Started with Loss Inspector';
const STEPS = ['Open the sample predictions', 'Compute Loss', 'Try β'];

await h.scenario('27-walkthrough', async () => {
  const { page } = await L.openLossWorkbench({ files: { 'README.md': '# a workspace\n' } });

  const container = await openWalkthrough(page);
  const titles = await L.eventually(
    async () => {
      const t = (await container.locator('.getting-started-step .step-title').allTextContents()).map((s) => s.trim());
      for (const s of STEPS) L.assert(t.includes(s), `step "${s}" shown: ${JSON.stringify(t)}`);
      return t;
    },
    { what: 'the walkthrough steps' },
  );
  h.log(`steps: ${JSON.stringify(titles)}`);
  await h.screenshot(page, '27-walkthrough');

  // Step 1: the sample opens in an editor.
  await container.locator('.getting-started-step', { hasText: STEPS[0] }).first().click();
  await clickStepButton(page, container, 'Open the Sample');
  await L.eventually(
    async () => {
      const tabs = (await page.locator('.tabs-container .tab .label-name').allTextContents()).map((s) => s.trim());
      L.assert(tabs.includes('predictions.csv') || tabs.includes('predictions'), `the sample is open in a tab: ${JSON.stringify(tabs)}`);
    },
    { what: 'the sample opened' },
  );

  // Step 2: its report, with the CLI's numbers for the same file.
  await openWalkthrough(page);
  await container.locator('.getting-started-step', { hasText: STEPS[1] }).first().click();
  await clickStepButton(page, container, 'Compute Loss on the Sample');
  const { report } = await L.waitForReport(page, 'predictions.csv');
  const cli = L.cliJson(path.join(L.REPO, 'samples', 'predictions.csv'));
  L.assertSummaryMatchesCli(report.summary, cli, 'the sample report');
  L.assert(report.meta.includes(`${cli.rows.used} of ${cli.rows.total} rows used`), `meta has the CLI's row counts: ${report.meta}`);

  // Both steps are ticked (their completion events fired).
  await openWalkthrough(page);
  await L.eventually(
    async () => {
      const done = (await container.locator('.getting-started-step[aria-checked="true"] .step-title').allTextContents()).map((s) => s.trim());
      L.assert(done.includes(STEPS[0]) && done.includes(STEPS[1]), `steps 1 and 2 complete: ${JSON.stringify(done)}`);
    },
    { what: 'steps ticked' },
  );
  await h.screenshot(page, '27-walkthrough-done');
});

/** Clicks a step's command button (the step is expanded first); logs what the workbench says. */
async function clickStepButton(page, container, label) {
  const button = container.locator('.getting-started-step.expanded .button-container a.monaco-button', { hasText: label }).first();
  await button.waitFor({ state: 'visible', timeout: 10_000 });
  await button.click();
  await page.waitForTimeout(500);
  h.log(`clicked "${label}"; notifications: ${JSON.stringify(await h.readNotifications(page))}`);
}

/** Opens the walkthrough as a user does, from the Command Palette ("Welcome: Open Walkthrough…"). */
async function openWalkthrough(page) {
  await h.runCommandFromPalette(page, 'Welcome: Open Walkthrough...');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(TITLE);
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: TITLE }).first();
  await row.waitFor({ state: 'visible', timeout: 20_000 });
  await row.click();
  const container = page.locator('.gettingStartedContainer');
  await container.locator('.getting-started-step').first().waitFor({ state: 'visible', timeout: 20_000 });
  return container;
}
