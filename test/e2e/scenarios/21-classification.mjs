// Binary classification (#13) in real VS Code: right-click a classifier's file (label y_true,
// a probability column and a logit column), Compute Loss, and read the report: the task, the
// positive class and the score kinds the engine inferred; every metric of both models, the
// confusion matrices, the worst-rows shares and the most confidently wrong rows against the
// CLI's --json; the ROC, precision–recall, reliability and loss-curve charts drawn; a wrong row
// opens its line. Then lossInspector.classification.threshold recomputes the open report
// (confusion at 0.3 = the CLI's --threshold 0.3), and the Task control shows the file as
// regression (the CLI's --task regression numbers).
import path from 'node:path';
import * as h from '../harness.mjs';
import * as L from '../loss.mjs';

/** CLASS_METRICS of src/core/tasks/classification/view.ts: [label, key], the summary's rows. */
const CLASS_ROWS = L.metricRowsOf('src/core/tasks/classification/view.ts', 'CLASS_METRICS', 14);

/** Runs in the report frame: the classification sections as shown. */
function readClassReport() {
  const text = (el) => (el ? el.textContent.replace(/\s+/g, ' ').trim() : null);
  const num = (s) => Number(String(s).replace('−', '-'));
  return {
    taskLine: text(document.querySelector('.task-line')),
    task: document.querySelector('#task-select')?.value ?? null,
    scores: document.querySelector('#scores-select')?.value ?? null,
    h2: [...document.querySelectorAll('.report:not(.stale) h2')].map(text),
    confusion: [...document.querySelectorAll('table.confusion')].map((t) =>
      [...t.querySelectorAll('tbody tr')].map((tr) => [...tr.querySelectorAll('td')].map((td) => num(td.getAttribute('title').split(' ')[0]))),
    ),
    robustness: [...document.querySelectorAll('.class-robust')].map((c) => ({ w1: text(c.querySelector('.w1')), lead: text(c.querySelector('p.lead')) })),
    worst: [...document.querySelectorAll('table.class-worst')].map((t) =>
      [...t.querySelectorAll('tbody tr')].map((tr) => {
        const td = tr.querySelectorAll('td');
        return { line: num(text(td[0])), label: text(td[1]), predicted: text(td[2]), p: td[3].getAttribute('title'), loss: td[4].getAttribute('title') };
      }),
    ),
    perClass: [...document.querySelectorAll('table.per-class')].map((t) => [...t.querySelectorAll('tbody tr')].map((tr) => num(tr.querySelector('td').getAttribute('title')))),
  };
}

const pct = (x) => (x === null ? '—' : `${(x * 100).toFixed(x > 0 && (x < 0.01 || x > 0.995) ? 1 : 0)}%`);

await h.scenario('21-classification', async () => {
  const csv = L.fixture(path.join('classification', 'binary.csv'));
  const fileLines = csv.toString('utf8').split('\n');
  const { folder, server, page } = await L.openLossWorkbench({ files: { 'binary.csv': csv } });
  const file = path.join(folder, 'binary.csv');
  const cli = L.cliJson(file);
  L.assertEqual(cli.task, 'binary', 'the CLI reads the file as binary classification');
  L.assertEqual(cli.models.map((m) => [m.prediction, m.scores]), [['prob', 'probabilities'], ['logit', 'logits']], 'the CLI models');

  await L.computeLossFromExplorer(page, 'binary.csv');
  const { frame, report } = await L.waitForReport(page, 'binary.csv', { timeout: 90_000 });
  h.log(`meta: ${report.meta}`);
  L.assert(report.meta.includes('binary label “y_true”, positive “1”'), `header meta: ${report.meta}`);

  // 1. The summary: every metric of both models, to the digits shown and exactly in the title.
  const s = report.summary;
  L.assertEqual(s.headers, ['metric', 'prob', 'logit'], 'summary columns: the two models');
  L.assertEqual(s.rows.map((r) => r.label), CLASS_ROWS.map(([l]) => l), 'summary rows: every classification metric');
  const bad = L.compareClassSummary(s, cli, CLASS_ROWS, () => 'not defined for this data');
  L.assert(bad.length === 0, () => `summary differs from the CLI:\n  ${bad.join('\n  ')}`);
  h.log(`log loss shown: ${s.rows[0].cells.map((c) => c.shown).join(', ')} (CLI ${cli.models.map((m) => m.metrics.logLoss).join(', ')})`);
  L.assertEqual(s.rows.find((r) => r.label === 'hinge').cells[0].shown, '—', 'no hinge loss on probabilities');

  // 2. What the engine inferred, and the controls to change it.
  const c = await frame.evaluate(readClassReport);
  h.log(`task line: ${c.taskLine}`);
  L.assert(c.taskLine.startsWith('Binary classification of the label “y_true”: classes “0” and “1”, positive class “1”.'), `task line: ${c.taskLine}`);
  L.assert(c.taskLine.includes('“prob” read as probabilities, “logit” as logits.'), `scores: ${c.taskLine}`);
  L.assertEqual([c.task, c.scores], ['auto', 'auto'], 'Task and Scores controls show the settings');
  for (const title of ['Confusion matrix at threshold 0.5', 'ROC and precision–recall', 'Calibration: reliability diagram', 'Per class', 'Most confidently wrong rows']) {
    L.assert(c.h2.includes(title), `section “${title}” in ${JSON.stringify(c.h2)}`);
  }
  L.assertEqual(c.confusion, cli.models.map((m) => m.confusion.counts), 'confusion matrices = the CLI’s');
  L.assertEqual(c.perClass, cli.models.map((m) => m.perClass.map((x) => x.support)), 'per-class support');
  L.assertEqual(c.robustness.map((r) => r.w1), cli.models.map((m) => pct(m.robustness.worst1.share)), 'worst 1% share of the log loss');
  L.assert(c.robustness[0].lead.startsWith(`The worst 1% of rows (${cli.models[0].robustness.worst1.rows} of ${cli.rows.used}) carry ${pct(cli.models[0].robustness.worst1.share)} of the log loss`), `robustness: ${c.robustness[0].lead}`);
  L.assertEqual(
    c.worst,
    cli.models.map((m) => m.worst.map((w) => ({ line: w.line, label: w.label, predicted: w.predicted, p: String(w.probability), loss: String(w.loss) }))),
    'most confidently wrong rows = the CLI’s',
  );

  // 3. The charts are drawn.
  const charts = await L.eventually(async () => {
    const stats = await L.canvasStats(frame);
    for (const start of ['Loss of one row against its margin', 'Pull of one row', 'ROC curve', 'Precision–recall curve', 'Reliability diagram']) {
      const st = stats.find((x) => x.label.startsWith(start));
      L.assert(st, `a chart labelled “${start}…”: ${stats.map((x) => x.label.slice(0, 40)).join(' | ')}`);
    }
    L.assertCanvasesDrawn(stats, { min: 5 });
    return stats;
  });
  h.log(`charts: ${charts.map((x) => `${x.label.slice(0, 30)}… ${x.opaque}px`).join('; ')}`);
  await L.screenshotReport(page, frame, '21-classification');

  // 4. A confidently wrong row opens its line.
  const w0 = cli.models[0].worst[3];
  await frame.locator('table.class-worst').first().locator('tbody tr').nth(3).locator('td').nth(3).click();
  await L.waitForLineOpened(page, 'binary.csv', w0.line, fileLines[w0.line - 1]);
  h.log(`row click → binary.csv at line ${w0.line}`);

  // 5. The threshold setting recomputes the open report.
  const cli03 = L.cliJson(file, ['--threshold', '0.3']);
  await h.setUserSetting(page, server, 'lossInspector.classification.threshold', 0.3);
  const at03 = await L.eventually(
    async () => {
      for (const f of h.webviewFrames(page)) {
        const x = await f.evaluate(readClassReport).catch(() => null);
        if (x?.h2.includes('Confusion matrix at threshold 0.3')) return { f, x };
      }
      throw new Error('no report at threshold 0.3 yet');
    },
    { what: 'the report recomputed at threshold 0.3', timeout: 45_000 },
  );
  L.assertEqual(at03.x.confusion, cli03.models.map((m) => m.confusion.counts), 'confusion at 0.3 = the CLI’s --threshold 0.3');
  const r03 = await L.readReport(at03.f);
  const acc = r03.summary.rows.find((r) => r.label === 'accuracy');
  L.assertEqual(acc.cells.map((x) => x.title), cli03.models.map((m) => String(m.metrics.accuracy)), 'accuracy at 0.3');
  h.log(`threshold 0.3: confusion ${JSON.stringify(at03.x.confusion[0])}, accuracy ${acc.cells.map((x) => x.shown).join(', ')}`);

  // 6. The Task control: the same file as regression (the remembered columns: y_true; prob, logit).
  const reg = L.cliJson(file, ['--task', 'regression', '--target', 'y_true', '--prediction', 'prob,logit']);
  await at03.f.selectOption('#task-select', 'regression');
  const asReg = await L.eventually(
    async () => {
      for (const f of h.webviewFrames(page)) {
        const r = await L.readReport(f).catch(() => null);
        if (r?.file === 'binary.csv' && r.status === 'done' && r.summary?.rows.some((x) => x.label === 'MAE')) return { f, r };
      }
      throw new Error('no regression report yet');
    },
    { what: 'the file shown as regression', timeout: 45_000 },
  );
  L.assertSummaryMatchesCli(asReg.r.summary, reg, 'regression summary of binary.csv');
  h.log(`as regression: MAE ${asReg.r.summary.rows.find((x) => x.label === 'MAE').cells.map((x) => x.shown).join(', ')}`);

  // …and back: the regression report of a file shown as regression by choice keeps the control.
  L.assertEqual(await asReg.f.evaluate(() => document.querySelector('#task-select')?.value ?? null), 'regression', 'the Task control shows regression');
  await asReg.f.selectOption('#task-select', 'auto');
  await L.eventually(
    async () => {
      for (const f of h.webviewFrames(page)) {
        const x = await f.evaluate(readClassReport).catch(() => null);
        if (x?.taskLine?.startsWith('Binary classification') && x.task === 'auto') return x;
      }
      throw new Error('not back to classification yet');
    },
    { what: 'the file shown as a classifier again', timeout: 45_000 },
  );
});
