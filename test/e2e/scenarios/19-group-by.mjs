// Groups (#7): the report's "Group by" control recomputes the report grouped by a column of the
// file; the table and the bar chart show every group worst first with the CLI's numbers
// (`--group-by`), the metric control switches both, and a hostile group value is only text.
// Then the lossInspector.columns.groupBy setting groups a file by default.
import * as h from '../harness.mjs';
import * as L from '../loss.mjs';
import path from 'node:path';

/** A deterministic file: the "east" rows are much worse; one region name is HTML. */
function groupsCsv() {
  const regions = ['north', 'south', 'east', 'west', L.HOSTILE];
  const lines = ['id,region,y_true,y_pred'];
  let a = 7;
  for (let i = 0; i < 600; i++) {
    a = (a * 16807) % 2147483647;
    const g = regions[a % regions.length];
    const t = (a % 1000) / 10;
    const err = (((a >> 8) % 100) - 50) / 10;
    lines.push(`${i},"${g}",${t},${(t + err * (g === 'east' ? 4 : 1)).toFixed(3)}`);
  }
  return lines.join('\n') + '\n';
}

/** What the groups section shows, read in the report frame. */
function readGroups() {
  const text = (el) => (el ? el.textContent.replace(/\s+/g, ' ').trim() : null);
  const sec = document.querySelector('#groups');
  if (!sec) return null;
  const table = sec.querySelector('table.groups');
  const select = sec.querySelector('#group-select');
  return {
    title: text(sec.querySelector('h2')),
    options: select ? [...select.options].map((o) => o.textContent) : null,
    selected: select ? select.options[select.selectedIndex]?.textContent : null,
    lead: text(sec.querySelector('p.lead')),
    hint: text(sec.querySelector('p.muted')),
    header: table ? [...table.querySelectorAll('thead th')].map(text) : null,
    rows: table
      ? [...table.querySelectorAll('tbody tr')].map((tr) => ({
          value: tr.querySelector('th').textContent,
          rows: Number(tr.querySelector('td').textContent),
          title: tr.querySelectorAll('td')[1]?.getAttribute('title'),
        }))
      : null,
    injected: sec.querySelectorAll('img').length,
    canvas: !!sec.querySelector('canvas'),
  };
}

await h.scenario('19-group-by', async () => {
  const files = { 'stores.csv': groupsCsv(), 'other.csv': groupsCsv() };
  const { folder, server, page } = await L.openLossWorkbench({ files });
  const file = path.join(folder, 'stores.csv');
  const cli = L.cliJson(file, ['--group-by', 'region']);
  const byMae = [...cli.groups.groups].sort((a, b) => b.metrics[0].mae - a.metrics[0].mae);
  h.log(`CLI groups by MAE: ${byMae.map((g) => `${g.value}=${g.metrics[0].mae.toFixed(3)} (${g.rows})`).join(', ')}`);
  L.assertEqual(byMae[0].value, 'east', 'the CLI finds east worst');

  await L.computeLossFromExplorer(page, 'stores.csv');
  const { frame } = await L.waitForReport(page, 'stores.csv');
  const before = await frame.evaluate(readGroups);
  h.log(`before: ${JSON.stringify(before)}`);
  L.assert(before && before.rows === null, 'not grouped until asked');
  L.assertEqual(before.options, ['(none)', 'id', 'region'], 'the control offers the columns that are not target or prediction');
  L.assert(/Pick a categorical column/.test(before.hint), 'a hint says what grouping is for');

  // 1. Group by region from the report.
  await frame.selectOption('#group-select', { label: 'region' });
  const grouped = await L.eventually(
    async () => {
      for (const f of h.webviewFrames(page)) {
        const g = await f.evaluate(readGroups).catch(() => null);
        if (g?.rows?.length) return { f, g };
      }
      throw new Error('no grouped report yet');
    },
    { what: 'the report grouped by region', timeout: 30_000 },
  );
  const g = grouped.g;
  h.log(`grouped: ${JSON.stringify(g)}`);
  L.assertEqual(g.title, 'Where is the model bad? Losses by “region”', 'section title');
  L.assertEqual(g.selected, 'region', 'the control shows the column');
  L.assertEqual(
    g.rows.map((r) => [r.value, r.rows, Number(r.title)]),
    byMae.map((x) => [x.value, x.rows, x.metrics[0].mae]),
    'table rows worst first, with the CLI --group-by counts and MAE (to the last bit)',
  );
  L.assert(g.lead.startsWith('Of the 5 values of “region”, east has the largest MAE'), `lead sentence: ${g.lead}`);
  L.assertEqual(g.injected, 0, 'the HTML region name is shown as text, not markup');
  L.assert(g.rows.some((r) => r.value === L.HOSTILE), 'the hostile value is listed as text');
  const chart = await L.eventually(async () => {
    const c = (await L.canvasStats(grouped.f)).find((s) => s.label.startsWith('MAE per value of region'));
    L.assert(c && c.opaque > 500, 'groups bar chart drawn');
    return c;
  });
  await grouped.f.evaluate(() => document.getElementById('groups')?.scrollIntoView());
  await L.screenshotReport(page, grouped.f, '19-group-by');

  // 2. Another metric: table and chart follow.
  await grouped.f.selectOption('#group-metric', 'rmse');
  const g2 = await L.eventually(async () => {
    const x = await grouped.f.evaluate(readGroups);
    L.assert(x.header.includes('RMSE'), `header names RMSE: ${x.header}`);
    return x;
  });
  const byRmse = [...cli.groups.groups].sort((a, b) => b.metrics[0].rmse - a.metrics[0].rmse);
  L.assertEqual(g2.rows.map((r) => [r.value, Number(r.title)]), byRmse.map((x) => [x.value, x.metrics[0].rmse]), 'RMSE per group, worst first');
  const chart2 = await L.eventually(async () => {
    const c = (await L.canvasStats(grouped.f)).find((s) => s.label.startsWith('RMSE per value of region'));
    L.assert(c && c.opaque > 500 && c.hash !== chart.hash, 'the chart was redrawn for RMSE');
    return c;
  });
  h.log(`chart ${chart.opaque} → ${chart2.opaque} drawn pixels`);

  // 3. The setting groups another file by default.
  await h.setUserSetting(page, server, 'lossInspector.columns.groupBy', 'region');
  await L.computeLossFromExplorer(page, 'other.csv');
  const other = await L.eventually(
    async () => {
      for (const f of h.webviewFrames(page)) {
        const r = await L.readReport(f).catch(() => null);
        if (r?.file !== 'other.csv' || r.status !== 'done') continue;
        const x = await f.evaluate(readGroups);
        if (x?.rows?.length) return x;
      }
      throw new Error('other.csv not grouped yet');
    },
    { what: 'other.csv grouped by the setting', timeout: 45_000 },
  );
  L.assertEqual(other.selected, 'region', 'grouped by the setting');
  L.assertEqual(other.rows.length, 5, 'five regions');
});
