import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { bundle } from '../helpers/bundle';
import { repoRoot } from '../helpers/paths';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'li-pack-'));
process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));

test('npm pack gives a tarball that npm install -g turns into a working loss-inspector command (#18 item 6)', () => {
  // The package as `npm pack` sees it, with the CLI's bundles built here rather than by prepack
  // (which would rebuild the checkout's dist/).
  const pkgDir = path.join(dir, 'pkg');
  fs.mkdirSync(path.join(pkgDir, 'dist'), { recursive: true });
  for (const f of ['package.json', '.npmignore', 'README.md', 'LICENSE', 'CHANGELOG.md']) fs.copyFileSync(path.join(repoRoot, f), path.join(pkgDir, f));
  bundle('cli', path.join(pkgDir, 'dist'));
  bundle('worker', path.join(pkgDir, 'dist'));
  fs.writeFileSync(path.join(pkgDir, 'dist', 'extension.js'), '// not part of the CLI package\n');
  const listing = JSON.parse(execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: pkgDir, encoding: 'utf8' })) as { filename: string; files: { path: string }[] }[];
  const files = listing[0].files.map((f) => f.path).sort();
  assert.deepEqual(files, ['CHANGELOG.md', 'LICENSE', 'README.md', 'dist/cli.js', 'dist/worker.js', 'package.json'], 'the CLI bundles and the docs only');
  const prefix = path.join(dir, 'global');
  execFileSync('npm', ['install', '-g', '--prefix', prefix, '--no-audit', '--no-fund', '--offline', path.join(dir, listing[0].filename)], { encoding: 'utf8', stdio: 'pipe' });
  const bin = path.join(prefix, 'bin', 'loss-inspector');
  const sample = path.join(repoRoot, 'samples', 'predictions.csv');
  const run = spawnSync(bin, [sample, '--json'], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(run.status, 0, run.stderr);
  const report = JSON.parse(run.stdout) as { models: { prediction: string }[]; rows: { used: number } };
  assert.deepEqual(report.models.map((m) => m.prediction), ['pred_gbm', 'pred_linear']);
  assert.equal(report.rows.used, 477);
  const gate = spawnSync(bin, [sample, '--fail-if', 'mae>1.5'], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(gate.status, 3, 'a CI gate fails the build');
});
