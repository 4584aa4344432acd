/**
 * Integration tests: run inside a real VS Code (code-server here, through the end-to-end
 * harness; `npm run test:integration` with @vscode/test-electron where VS Code can be
 * downloaded). They drive the real command and read what the panel was given.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { execFileSync } from 'node:child_process';
import type { Report } from '../../src/core/tasks/regression/report';
import type { LossInspectorApi } from '../../src/extension/extension';

const fixtures = path.resolve(__dirname, '../../test/fixtures');
const fixture = (name: string) => vscode.Uri.file(path.join(fixtures, name));

async function api(): Promise<LossInspectorApi> {
  const ext = vscode.extensions.all.find((e) => e.packageJSON?.name === 'loss-inspector');
  assert.ok(ext, 'the Loss Inspector extension is installed');
  return (await ext.activate()) as LossInspectorApi;
}

async function waitFor<T>(what: string, f: () => T | undefined, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = f();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}.`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The regression report shown for a file (the tests below open regression files, but one). */
function regressionReport(li: LossInspectorApi, uri: vscode.Uri): Report | undefined {
  const r = li.reportFor(uri);
  if (r && 'task' in r) throw new Error(`${uri.fsPath} got a ${r.task} classification report, not a regression one`);
  return r;
}

/** The CLI's --json report of a file (dist/cli.js, run by this process's Node). */
function cliJson(file: string): Report {
  const cli = path.resolve(__dirname, '../../dist/cli.js');
  const out = execFileSync(process.execPath, [cli, file, '--json'], { encoding: 'utf8', env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, timeout: 60_000 });
  return JSON.parse(out) as Report;
}

/** Threads of this process (the extension host), by name; undefined where /proc is not there. */
function threads(): string[] | undefined {
  try {
    return fs.readdirSync('/proc/self/task').map((t) => {
      try {
        return fs.readFileSync(`/proc/self/task/${t}/comm`, 'utf8').trim();
      } catch {
        return '?';
      }
    });
  } catch {
    return undefined;
  }
}

const close = (a: number | null | undefined, b: number, rel = 1e-12) =>
  assert.ok(typeof a === 'number' && Math.abs(a - b) <= rel * Math.max(1, Math.abs(b)), `${a} is not ≈ ${b}`);

describe('Loss Inspector in VS Code', () => {
  let li: LossInspectorApi;
  before(async () => {
    li = await api();
    // seed.csv's target holds 0 and 1 only, which the auto rule (#13) reads as a binary label:
    // these are regression tests, so they ask for regression (the last test detects the task).
    await vscode.workspace.getConfiguration('lossInspector').update('task', 'regression', vscode.ConfigurationTarget.Global);
  });
  after(async () => {
    await vscode.workspace.getConfiguration('lossInspector').update('smoothL1.beta', undefined, vscode.ConfigurationTarget.Global);
    await vscode.workspace.getConfiguration('lossInspector').update('task', undefined, vscode.ConfigurationTarget.Global);
  });

  it('computes the seed example from a CSV (L1 = 3.1, L2 = 2.15)', async () => {
    const uri = fixture('seed.csv');
    await vscode.commands.executeCommand('lossInspector.computeLoss', uri);
    const r = regressionReport(li, uri);
    assert.ok(r, 'a report is shown');
    close(r.models[0].metrics.l1, 3.1, 1e-15);
    close(r.models[0].metrics.l2, 2.15, 1e-15);
    assert.equal(li.panelState(uri)?.status, 'done');
  });

  it('reads JSON and JSON Lines', async () => {
    for (const name of ['seed.json', 'seed.jsonl']) {
      const uri = fixture(name);
      await vscode.commands.executeCommand('lossInspector.computeLoss', uri);
      const r = regressionReport(li, uri);
      assert.ok(r, `a report for ${name}`);
      close(r.models[0].metrics.l1, 3.1, 1e-15);
    }
  });

  it('shows two prediction columns as two models, with the skipped row', async () => {
    await vscode.workspace.getConfiguration('lossInspector').update('columns.predictions', ['pred_a', 'pred_b'], vscode.ConfigurationTarget.Global);
    try {
      const uri = fixture('two-models.csv');
      await vscode.commands.executeCommand('lossInspector.computeLoss', uri);
      const r = regressionReport(li, uri);
      assert.ok(r);
      assert.deepEqual(r.models.map((m) => m.prediction), ['pred_a', 'pred_b']);
      assert.equal(r.rows.skipped, 1);
      assert.deepEqual(r.rows.firstSkippedLines, { na: [4] });
    } finally {
      await vscode.workspace.getConfiguration('lossInspector').update('columns.predictions', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('recomputes an open report when β changes in the settings', async () => {
    const uri = fixture('seed.csv');
    await vscode.commands.executeCommand('lossInspector.computeLoss', uri);
    await vscode.workspace.getConfiguration('lossInspector').update('smoothL1.beta', 0.5, vscode.ConfigurationTarget.Global);
    const r = await waitFor('the report to use β = 0.5', () => {
      const rep = regressionReport(li, uri);
      return rep && rep.params.beta === 0.5 ? rep : undefined;
    });
    // d = [-0.9,-0.8,0.3,-0.6,-0.5], β = 0.5: [0.65, 0.55, 0.09, 0.35, 0.25] → mean 0.378
    close(r.models[0].metrics.smoothL1, (0.65 + 0.55 + 0.09 + 0.35 + 0.25) / 5, 1e-14);
  });

  it('shows the engine sentence for a broken file', async () => {
    const uri = fixture('broken-quote.csv');
    await vscode.commands.executeCommand('lossInspector.computeLoss', uri);
    const st = li.panelState(uri);
    assert.equal(st?.status, 'error');
    assert.match(st?.status === 'error' ? st.message : '', /quote opened on line 3 that is never closed/);
    assert.equal(regressionReport(li, uri), undefined);
  });

  it('cancelling a large file leaves no report that claims to be complete', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'li-'));
    const file = path.join(dir, 'large.csv');
    const fd = fs.openSync(file, 'w');
    fs.writeSync(fd, 'y_true,y_pred\n');
    const block = Array.from({ length: 100_000 }, (_, i) => `${i % 97}.25,${(i % 89) + 0.5}\n`).join('');
    for (let i = 0; i < 40; i++) fs.writeSync(fd, block);
    fs.closeSync(fd);
    const uri = vscode.Uri.file(file);
    const done = vscode.commands.executeCommand('lossInspector.computeLoss', uri);
    await waitFor('the run to start', () => li.panelState(uri)?.status === 'running');
    li.cancel(uri);
    await done;
    assert.equal(li.panelState(uri)?.status, 'cancelled');
    assert.equal(regressionReport(li, uri), undefined);
    // The next run works.
    await vscode.commands.executeCommand('lossInspector.computeLoss', vscode.Uri.file(path.join(fixtures, 'seed.csv')));
    assert.ok(regressionReport(li, fixture('seed.csv')));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('the same file run twice at once: the latest run wins, nothing is mixed', async () => {
    const uri = fixture('seed.csv');
    const config = vscode.workspace.getConfiguration('lossInspector');
    const first = vscode.commands.executeCommand('lossInspector.computeLoss', uri);
    await config.update('smoothL1.beta', 0.5, vscode.ConfigurationTarget.Global);
    const second = vscode.commands.executeCommand('lossInspector.computeLoss', uri);
    await Promise.all([first, second]);
    const r = await waitFor('the report with β = 0.5', () => {
      const rep = regressionReport(li, uri);
      return rep && rep.params.beta === 0.5 ? rep : undefined;
    });
    close(r.models[0].metrics.smoothL1, (0.65 + 0.55 + 0.09 + 0.35 + 0.25) / 5, 1e-14);
    await config.update('smoothL1.beta', undefined, vscode.ConfigurationTarget.Global);
  });

  it('a file deleted while its report is open: the report says so', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'li-del-'));
    const file = path.join(dir, 'gone.csv');
    fs.copyFileSync(path.join(fixtures, 'seed.csv'), file);
    const uri = vscode.Uri.file(file);
    await vscode.commands.executeCommand('lossInspector.computeLoss', uri);
    assert.ok(regressionReport(li, uri));
    // At once: the file watcher may not be live yet (it starts asynchronously; in code-server the
    // removal was missed about 1 run in 4); the check of the file's version after each run covers it.
    fs.rmSync(file);
    const st = await waitFor('the report to notice', () => {
      const s = li.panelState(uri);
      return s?.status === 'error' ? s : undefined;
    });
    assert.match(st.status === 'error' ? st.message : '', /does not exist/);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('eight reports at once: each gets the numbers of its own file, no worker thread is left, the next run works', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'li-many-'));
    // Eight files of different sizes and residuals (CSV, TSV, JSON Lines), big enough to overlap.
    const uris = Array.from({ length: 8 }, (_, k) => {
      const n = 20_000 + 7_919 * k;
      const ext = ['csv', 'tsv', 'jsonl'][k % 3];
      const lines: string[] = ext === 'jsonl' ? [] : [ext === 'tsv' ? 'y_true\ty_pred' : 'y_true,y_pred'];
      for (let i = 0; i < n; i++) {
        const y = (i % 101) / 4;
        const p = y + (((i * (k + 3)) % 17) - 8) / (k + 2);
        lines.push(ext === 'jsonl' ? JSON.stringify({ y_true: y, y_pred: p }) : ext === 'tsv' ? `${y}\t${p}` : `${y},${p}`);
      }
      const file = path.join(dir, `many-${k}.${ext}`);
      fs.writeFileSync(file, lines.join('\n') + '\n');
      return vscode.Uri.file(file);
    });
    const expected = uris.map((u) => cliJson(u.fsPath));
    assert.equal(new Set(expected.map((r) => r.models[0].metrics.mse)).size, 8, 'eight different MSEs');

    const before = threads();
    let peak = before?.length ?? 0;
    const sampler = setInterval(() => (peak = Math.max(peak, threads()?.length ?? 0)), 5);
    try {
      // Run the command on every file without waiting for the previous one.
      await Promise.all(uris.map((u) => vscode.commands.executeCommand('lossInspector.computeLoss', u)));
    } finally {
      clearInterval(sampler);
    }
    uris.forEach((u, k) => {
      assert.equal(li.panelState(u)?.status, 'done', `report ${k} is done`);
      const r = regressionReport(li, u);
      assert.ok(r, `report ${k}`);
      assert.equal(r.rows.used, expected[k].rows.used, `rows of report ${k}`);
      assert.deepEqual(r.models[0].metrics, expected[k].models[0].metrics, `metrics of report ${k} = the CLI's for ${path.basename(u.fsPath)}`);
    });
    if (before) {
      // The workers ran as threads of this process: more threads while they ran, as many as before once done.
      assert.ok(peak > before.length, `worker threads were seen while the reports ran (${before.length} threads before, ${peak} at most)`);
      const after = await waitFor(
        'the worker threads to end',
        () => {
          const t = threads();
          return t && t.length <= before.length ? t : undefined;
        },
        10_000,
      ).catch(() => {
        throw new Error(`threads left after the runs: before [${before.join(', ')}], now [${threads()?.join(', ')}]`);
      });
      console.log(`      threads: ${before.length} before, ${peak} at most, ${after.length} after`);
    }

    // The extension still works.
    const seed = fixture('seed.csv');
    await vscode.commands.executeCommand('lossInspector.computeLoss', seed);
    close(regressionReport(li, seed)?.models[0].metrics.l1, 3.1, 1e-15);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('computes a binary classifier file as classification, with the CLI numbers', async () => {
    // The one test with the task detected: the fixtures above have 0/1 targets (seed.csv).
    await vscode.workspace.getConfiguration('lossInspector').update('task', undefined, vscode.ConfigurationTarget.Global);
    const uri = fixture('classification/binary.csv');
    await vscode.commands.executeCommand('lossInspector.computeLoss', uri);
    const r = li.reportFor(uri);
    assert.ok(r && 'task' in r, 'a classification report is shown');
    const cli = JSON.parse(
      execFileSync(process.execPath, [path.resolve(__dirname, '../../dist/cli.js'), uri.fsPath, '--json'], { encoding: 'utf8', env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, timeout: 60_000 }),
    ) as { models: { prediction: string; metrics: unknown }[] };
    assert.deepEqual(r.models.map((m) => m.prediction), cli.models.map((m) => m.prediction));
    assert.deepEqual(r.models.map((m) => m.metrics), cli.models.map((m) => m.metrics));
  });
});
