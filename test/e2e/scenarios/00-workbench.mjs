// Canary: the harness itself works (code-server + Chromium + Explorer context menu,
// Command Palette, live settings), independent of our extension.
import * as h from '../harness.mjs';

await h.scenario('00-workbench', async () => {
  const folder = h.makeWorkspace({ 'hello.csv': 'y_true,y_pred\n1,1.5\n2,1.75\n3,3.25\n' });
  const server = await h.startCodeServer({ folder, theme: 'light' });
  const { page } = await h.launchBrowser();
  await h.openWorkbench(page, server, { expectFile: 'hello.csv' });

  // Explorer context menu with built-in items.
  const labels = await h.rightClickExplorerItem(page, 'hello.csv', { waitForItem: /^(Copy Path|Open to the Side)$/ });
  h.log('context menu:', labels.join(' | '));
  for (const want of ['Open to the Side', 'Copy Path']) {
    if (!labels.includes(want)) throw new Error(`built-in item "${want}" missing from the context menu: ${JSON.stringify(labels)}`);
  }
  await h.screenshot(page, '00-workbench-context-menu');

  // Open the file to the side; its text reaches an editor.
  await h.clickContextMenuItem(page, 'Open to the Side');
  await page.locator('.editor-instance .view-lines', { hasText: 'y_true,y_pred' }).first().waitFor({ timeout: 20_000 });

  // Command Palette.
  await h.runCommandFromPalette(page, 'View: Close All Editors');
  await page.locator('.editor-instance .view-lines').first().waitFor({ state: 'detached', timeout: 10_000 });

  // Live user-setting change through the workbench: switch to the dark theme.
  if (!(await page.locator('.monaco-workbench.vs').count())) throw new Error('workbench did not start with the light theme');
  await h.setUserSetting(page, server, 'workbench.colorTheme', h.THEMES.dark);
  await page.locator('.monaco-workbench.vs-dark').waitFor({ state: 'attached', timeout: 15_000 });
  await h.screenshot(page, '00-workbench-dark');
});
