// Multiclass classification (#13) in real VS Code: right-click a multiclass file (a string label
// cat/dog/bird, `p_*` probabilities and `logit_*` logits, three rows with a missing score),
// Compute Loss, and read the report: the task, classes and score kinds the engine inferred; every
// metric of both models against the CLI's --json, and the log loss, accuracy, macro F1 and
// confusion matrices against scikit-learn's (test/fixtures/multiclass/expected.json, written by
// scripts/dev/multiclass-e2e-fixture.py); the reason beside a "—"; the shaded confusion matrices,
// the most confused pairs, the per-class table, the skipped rows; the reliability chart drawn; a
// confidently wrong row opens its line; Copy summary as Markdown. Then the Scores control reads
// the file's scores as logits (the CLI's --scores logits numbers), and back; and the Task control
// as regression (a column pick, dismissed: the banner keeps the control) and back.
import path from 'node:path';
import * as h from '../harness.mjs';
import * as L from '../loss.mjs';

/** MULTI_CLASS_METRICS of src/core/tasks/multiclass/view.ts: [label, key], the summary's rows. */
const MULTI_ROWS = L.metricRowsOf('src/core/tasks/multiclass/view.ts', 'MULTI_CLASS_METRICS', 14);

/** Runs in the report frame: the multiclass sections as shown. */
function readMultiReport() {
  const text = (el) => (el ? el.textContent.replace(/\s+/g, ' ').trim() : null);
  const num = (s) => Number(String(s).replace('−', '-'));
  const live = document.querySelector('.report:not(.stale)') ?? document;
  return {
    taskLine: text(live.querySelector('.task-line')),
    task: live.querySelector('#task-select')?.value ?? null,
    taskOptions: [...(live.querySelector('#task-select')?.options ?? [])].map((o) => o.value),
    scores: live.querySelector('#scores-select')?.value ?? null,
    h2: [...live.querySelectorAll('h2')].map(text),
    nullNotes: [...live.querySelectorAll('.null-reasons li')].map(text),
    confusion: [...live.querySelectorAll('table.confusion')].map((t) => ({
      heat: t.classList.contains('heat'),
      head: [...t.querySelectorAll('thead th')].slice(1).map(text),
      counts: [...t.querySelectorAll('tbody tr')].map((tr) => [...tr.querySelectorAll('td')].map((td) => num(td.getAttribute('title').split(' ')[0]))),
      // The shading: each cell's computed background (a tint for a cell with rows, none for 0).
      backgrounds: [...t.querySelectorAll('tbody tr')].map((tr) => [...tr.querySelectorAll('td')].map((td) => getComputedStyle(td).backgroundColor)),
    })),
    pairs: [...live.querySelectorAll('ol.confused-pairs')].map((ol) => [...ol.querySelectorAll('li')].map(text)),
    perClass: [...live.querySelectorAll('table.per-class')].map((t) => [...t.querySelectorAll('tbody tr')].map((tr) => [text(tr.querySelector('th')), num(tr.querySelector('td').getAttribute('title'))])),
    worst: [...live.querySelectorAll('table.class-worst')].map((t) =>
      [...t.querySelectorAll('tbody tr')].map((tr) => {
        const td = tr.querySelectorAll('td');
        return { line: num(text(td[0])), label: text(td[1]), predicted: text(td[2]), p: td[3].getAttribute('title'), loss: td[4].getAttribute('title') };
      }),
    ),
    robustness: [...live.querySelectorAll('.class-robust')].map((c) => text(c.querySelector('.w1'))),
  };
}

const pct = (x) => (x === null ? '—' : `${(x * 100).toFixed(x > 0 && (x < 0.01 || x > 0.995) ? 1 : 0)}%`);
/** The colour of a computed background (rgb() or color(srgb …), as color-mix computes), null when transparent. */
const tint = (bg) => {
  const rgb = /^rgba?\(([^)]+)\)$/.exec(bg);
  const srgb = /^color\(srgb ([^)]+)\)$/.exec(bg);
  const parts = (rgb ?? srgb)?.[1].split(/[ ,/]+/).filter(Boolean).map(Number);
  if (!parts) return null;
  const [r, g, b, a = 1] = parts;
  const k = srgb ? 255 : 1;
  return a === 0 ? null : { r: r * k, g: g * k, b: b * k, a };
};

await h.scenario('23-multiclass', async () => {
  const csv = L.fixture(path.join('multiclass', 'animals.csv'));
  const expected = JSON.parse(L.fixture(path.join('multiclass', 'expected.json')).toString('utf8'));
  const fileLines = csv.toString('utf8').split('\n');
  const { folder, server, page } = await L.openLossWorkbench({ files: { 'animals.csv': csv } });
  const file = path.join(folder, 'animals.csv');
  const cli = L.cliJson(file);
  L.assertEqual(cli.task, 'multiclass', 'the CLI reads the file as multiclass classification');
  L.assertEqual(cli.models.map((m) => [m.prediction, m.scores]), [['p', 'probabilities'], ['logit', 'logits']], 'the CLI models');
  // The engine's numbers against scikit-learn's (computed from the same file by pandas).
  for (const m of cli.models) {
    for (const key of ['logLoss', 'accuracy', 'f1']) {
      const want = expected.models[m.prediction][key];
      L.assert(Math.abs(m.metrics[key] - want) <= 1e-14 * Math.abs(want), `${m.prediction} ${key}: CLI ${m.metrics[key]} vs scikit-learn ${want}`);
    }
  }

  await L.computeLossFromExplorer(page, 'animals.csv');
  const { frame, report } = await L.waitForReport(page, 'animals.csv', { timeout: 90_000 });
  h.log(`meta: ${report.meta}`);
  L.assert(report.meta.includes('multiclass label “label”, 3 classes'), `header meta: ${report.meta}`);
  L.assert(report.meta.includes('597 of 600 rows used'), `header meta: ${report.meta}`);

  // 1. The summary: every metric of both models, to the digits shown and exactly in the title;
  // a null value shows "—" with its reason.
  const s = report.summary;
  L.assertEqual(s.headers, ['metric', 'p', 'logit'], 'summary columns: the two models');
  L.assertEqual(s.rows.map((r) => r.label), MULTI_ROWS.map(([l]) => l), 'summary rows: every multiclass metric');
  const bad = L.compareClassSummary(s, cli, MULTI_ROWS);
  L.assert(bad.length === 0, () => `summary differs from the CLI:\n  ${bad.join('\n  ')}`);
  const shown = (label) => s.rows.find((r) => r.label === label).cells.map((c) => c.shown);
  for (const [label, key] of [['log loss', 'logLoss'], ['accuracy', 'accuracy']]) {
    cli.models.forEach((m, i) => {
      const sk = expected.models[m.prediction][key];
      L.assert(L.checkShown(shown(label)[i], sk) === null, `${label} of ${m.prediction} shown ${shown(label)[i]}, scikit-learn ${sk}`);
    });
  }
  h.log(`log loss shown: ${shown('log loss').join(', ')} (scikit-learn ${cli.models.map((m) => expected.models[m.prediction].logLoss).join(', ')}); accuracy ${shown('accuracy').join(', ')}`);
  const hinge = s.rows.find((r) => r.label === 'hinge (Crammer–Singer)').cells[0];
  L.assertEqual([hinge.shown, hinge.title], ['—', 'the hinge loss needs logits (decision values); these scores are read as probabilities'], 'hinge of the probability model: — and why');

  // 2. What the engine inferred, and the controls to change it.
  const c = await frame.evaluate(readMultiReport);
  h.log(`task line: ${c.taskLine}`);
  L.assert(c.taskLine.startsWith('Multiclass classification of the label “label”: 3 classes (“bird”, “cat”, “dog”); the predicted class is the highest score.'), `task line: ${c.taskLine}`);
  L.assert(c.taskLine.includes('“p” read as probabilities, “logit” as logits.'), `scores: ${c.taskLine}`);
  L.assertEqual([c.task, c.scores], ['auto', 'auto'], 'Task and Scores controls show the settings');
  L.assertEqual(c.taskOptions, ['auto', 'regression', 'binary', 'multiclass'], 'the Task control offers multiclass');
  L.assertEqual(c.nullNotes, ['hinge (Crammer–Singer) of “p”: — because the hinge loss needs logits (decision values); these scores are read as probabilities.'], 'the reason under the table');
  for (const title of ['Confusion matrix (predicted: the highest score)', 'Calibration: reliability diagram (top-class confidence)', 'Per class', 'Most confidently wrong rows', 'How much do the worst rows weigh?']) {
    L.assert(c.h2.includes(title), `section “${title}” in ${JSON.stringify(c.h2)}`);
  }
  L.assert(report.skipped?.includes('3 × empty value') && report.skipped.includes('19, 232, 413'), `skipped rows: ${report.skipped}`);

  // 3. The confusion matrices: the CLI's and scikit-learn's counts, shaded by the row share.
  L.assertEqual(c.confusion.map((t) => t.counts), cli.models.map((m) => m.confusion.counts), 'confusion matrices = the CLI’s');
  L.assertEqual(c.confusion.map((t) => t.counts), cli.models.map((m) => expected.models[m.prediction].confusion), 'confusion matrices = scikit-learn’s confusion_matrix');
  L.assertEqual(c.confusion.map((t) => [t.heat, t.head]), cli.models.map(() => [true, ['bird', 'cat', 'dog']]), 'shaded matrices over the classes');
  for (const t of c.confusion) {
    const diag = t.backgrounds.map((row, i) => tint(row[i]));
    const off = t.backgrounds.flatMap((row, i) => row.filter((_, j) => j !== i)).map(tint);
    L.assert(diag.every((x) => x && x.g > x.r), `diagonal cells tinted green: ${JSON.stringify(t.backgrounds)}`);
    L.assert(off.every((x) => x && x.r > x.g), `off-diagonal cells tinted red: ${JSON.stringify(t.backgrounds)}`);
  }
  // p's largest confusion in the fixture: cat (row 1) taken for bird (column 0).
  const pc0 = expected.models.p.confusion[1][0];
  L.assertEqual(c.pairs[0][0], `“cat” taken for “bird”: ${pc0} rows (${((100 * pc0) / expected.models.p.support[1]).toFixed(1).replace(/\.0$/, '')}% of “cat”)`, 'the most confused pair of p');
  L.assertEqual(c.perClass, cli.models.map((m) => m.perClass.map((x) => [x.label, x.support])), 'per-class support');
  L.assertEqual(c.robustness, cli.models.map((m) => pct(m.robustness.worst1.share)), 'worst 1% share of the log loss');
  L.assertEqual(
    c.worst,
    cli.models.map((m) => m.worst.map((w) => ({ line: w.line, label: w.label, predicted: w.predicted, p: String(w.probability), loss: String(w.loss) }))),
    'most confidently wrong rows = the CLI’s',
  );

  // 4. The reliability chart is drawn.
  const charts = await L.eventually(async () => {
    const stats = await L.canvasStats(frame);
    const rel = stats.filter((x) => x.label.startsWith('Reliability diagram: share of rows whose top class is right'));
    L.assert(rel.length === 1, `a reliability chart: ${stats.map((x) => x.label.slice(0, 50)).join(' | ')}`);
    L.assertCanvasesDrawn(rel, { min: 1 });
    return stats;
  });
  h.log(`charts: ${charts.map((x) => `${x.label.slice(0, 40)}… ${x.opaque}px`).join('; ')}`);
  await L.screenshotReport(page, frame, '23-multiclass');

  // 5. Copy summary as Markdown: the multiclass table, the CLI's numbers.
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
  await page.evaluate(() => navigator.clipboard.writeText(''));
  await frame.getByRole('button', { name: 'Copy summary as Markdown' }).click();
  const md = await L.eventually(async () => {
    const t = await page.evaluate(() => navigator.clipboard.readText());
    if (!t.startsWith('| metric | p | logit |')) throw new Error(`the clipboard holds ${JSON.stringify(t.slice(0, 60))}`);
    return t;
  }, { what: 'the Markdown summary on the clipboard' });
  L.assert(md.includes('\n| hinge (Crammer–Singer) | — | ') && md.includes('\nMulticlass classification: 597 rows used of 600 in animals.csv; label label, 3 classes (bird, cat, dog);'), `Markdown: ${md}`);
  const mdLogLoss = /\n\| log loss \| ([^|]+) \| ([^|]+) \|/.exec(md);
  L.assertEqual([mdLogLoss?.[1], mdLogLoss?.[2]].map((c) => Number(String(c).trim().split(' ')[0])), cli.models.map((m) => Number(m.metrics.logLoss.toPrecision(6))), 'Markdown log loss = the CLI’s to 6 digits');
  h.log(`Markdown: ${md.split('\n')[2]}`);

  // 6. A confidently wrong row opens its line.
  const w0 = cli.models[0].worst[2];
  await frame.locator('table.class-worst').first().locator('tbody tr').nth(2).locator('td').nth(3).click();
  await L.waitForLineOpened(page, 'animals.csv', w0.line, fileLines[w0.line - 1]);
  h.log(`row click → animals.csv at line ${w0.line}`);

  // 7. The Scores control: the same file with every score read as a logit (the CLI's --scores logits).
  const asLogits = L.cliJson(file, ['--scores', 'logits']);
  await frame.selectOption('#scores-select', 'logits');
  const lg = await L.eventually(
    async () => {
      for (const f of h.webviewFrames(page)) {
        const x = await f.evaluate(readMultiReport).catch(() => null);
        if (x?.scores === 'logits' && x.taskLine?.includes('“p” read as logits')) return { f, x };
      }
      throw new Error('no report with the scores read as logits yet');
    },
    { what: 'the report recomputed with the scores read as logits', timeout: 45_000 },
  );
  const rl = await L.readReport(lg.f);
  const ll = rl.summary.rows.find((r) => r.label === 'log loss');
  L.assertEqual(ll.cells.map((x) => x.title), asLogits.models.map((m) => String(m.metrics.logLoss)), 'log loss with the scores read as logits = the CLI’s --scores logits');
  L.assert(rl.summary.rows.find((r) => r.label === 'hinge (Crammer–Singer)').cells[0].shown !== '—', 'a hinge loss once p is read as logits');
  h.log(`scores as logits: log loss ${ll.cells.map((x) => x.shown).join(', ')}`);
  await lg.f.selectOption('#scores-select', 'auto');
  await L.eventually(
    async () => {
      for (const f of h.webviewFrames(page)) {
        const x = await f.evaluate(readMultiReport).catch(() => null);
        if (x?.scores === 'auto' && x.taskLine?.includes('“p” read as probabilities')) return x;
      }
      throw new Error('not back to the detected score kinds yet');
    },
    { what: 'the report back to the detected score kinds', timeout: 45_000 },
  );

  // 8. The Task control: as regression the file has no prediction column, so VS Code asks for
  // the columns; dismissing that leaves a cancelled run whose banner offers the Task control
  // again (the report below is inert), and auto brings the multiclass report back.
  const back = await L.eventually(async () => {
    for (const f of h.webviewFrames(page)) {
      const x = await f.evaluate(readMultiReport).catch(() => null);
      if (x?.scores === 'auto' && x.task === 'auto') return f;
    }
    throw new Error('no multiclass report frame');
  });
  await back.selectOption('#task-select', 'regression');
  const widget = page.locator('.quick-input-widget');
  await L.eventually(async () => {
    L.assert(await widget.isVisible(), 'the column QuickPick is shown');
    const title = (await widget.locator('.quick-input-title').textContent()) ?? '';
    L.assert(title.includes('target column of animals.csv'), `QuickPick title: ${title}`);
  }, { what: 'the column QuickPick', timeout: 30_000 });
  await page.keyboard.press('Escape');
  const cancelled = await L.eventually(
    async () => {
      for (const f of h.webviewFrames(page)) {
        const r = await L.readReport(f).catch(() => null);
        const task = await f.evaluate(() => document.querySelector('.callout #task-select-retry')?.value ?? null).catch(() => null);
        if (r?.file === 'animals.csv' && r.status === 'cancelled' && task === 'regression') return f;
      }
      throw new Error('no cancelled run with the Task control yet');
    },
    { what: 'the cancelled run offering the Task control', timeout: 30_000 },
  );
  h.log('Task regression → column QuickPick dismissed → cancelled, with the Task control in the banner');
  await cancelled.selectOption('.callout #task-select-retry', 'auto');
  await L.eventually(
    async () => {
      for (const f of h.webviewFrames(page)) {
        const x = await f.evaluate(readMultiReport).catch(() => null);
        if (x?.task === 'auto' && x.taskLine?.startsWith('Multiclass classification') && x.h2.includes('Per class')) return x;
      }
      throw new Error('not back to the multiclass report yet');
    },
    { what: 'the multiclass report again', timeout: 45_000 },
  );
});
