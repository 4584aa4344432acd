// One build script, one entry per runtime (see ../shared/STYLE.md):
//   dist/cli.js        the command-line tool (node, cjs)
//   dist/worker.js     the worker thread: analysis and parallel range scans (node, cjs)
//   dist/extension.js  the VS Code extension host (node, cjs, `vscode` external)
//   dist/webview.js    the report UI (browser, iife, chart.js bundled)
// Flags: --production (minify, no source maps), --watch; --tests: the integration tests
// (out/integration/); --unit: the unit tests (out/unit/, run by npm test).
import * as esbuild from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';

const production = process.argv.includes('--production');
const tests = process.argv.includes('--tests');
const watch = process.argv.includes('--watch');
const unit = process.argv.includes('--unit');
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

const common = {
  bundle: true,
  minify: production,
  sourcemap: production ? false : 'linked',
  sourcesContent: false,
  logLevel: 'warning',
  define: { __VERSION__: JSON.stringify(pkg.version) },
  legalComments: 'none',
};
const node = { ...common, platform: 'node', format: 'cjs', target: 'node20' };

const builds = [
  { ...node, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  { ...node, entryPoints: ['src/worker/worker.ts'], outfile: 'dist/worker.js' },
  { ...node, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  { ...common, platform: 'browser', format: 'iife', target: 'es2022', entryPoints: ['src/webview/main.ts'], outfile: 'dist/webview.js' },
];

if (unit) {
  // Unit tests (npm test): each test file bundled with the sources it imports, as dist/ is, so
  // that Node runs plain JavaScript. Run from the sources under tsx, every imported constant the
  // readers' byte loops use (QUOTE, LF, …) is a getter call (ES exports turned into CommonJS):
  // seconds of npm test went into them. Packages (fast-check, esbuild) stay external.
  rmSync('out/unit', { recursive: true, force: true });
  const t = Date.now();
  await esbuild.build({ ...node, sourcemap: 'inline', packages: 'external', entryPoints: ['test/unit/*.test.ts'], outdir: 'out/unit' });
  console.log(`built out/unit in ${Date.now() - t} ms`);
  process.exit(0);
}

if (tests) {
  // Integration tests (run inside VS Code): transpiled one file each; mocha and vscode are
  // resolved at run time.
  rmSync('out/integration', { recursive: true, force: true });
  const t = Date.now();
  await esbuild.build({ ...node, bundle: false, sourcemap: 'inline', entryPoints: ['test/integration/*.ts'], outdir: 'out/integration' });
  console.log(`built out/integration in ${Date.now() - t} ms`);
  process.exit(0);
}

rmSync('dist', { recursive: true, force: true });
if (watch) {
  // The lines .vscode/tasks.json's problem matcher waits for: one "started" when a change starts
  // rebuilding any bundle, one "finished" when every bundle rebuilt (esbuild prints the errors).
  let active = 0;
  let errors = 0;
  const announce = {
    name: 'announce',
    setup(build) {
      build.onStart(() => {
        if (active++ === 0) {
          errors = 0;
          console.log('[watch] build started');
        }
      });
      build.onEnd((result) => {
        errors += result.errors.length;
        if (--active === 0) console.log(`[watch] build finished${errors ? ` with ${errors} error${errors > 1 ? 's' : ''}` : ''}`);
      });
    },
  };
  for (const b of builds) await (await esbuild.context({ ...b, plugins: [announce] })).watch();
} else {
  const t = Date.now();
  await Promise.all(builds.map((b) => esbuild.build(b)));
  console.log(`built ${builds.map((b) => b.outfile).join(', ')} in ${Date.now() - t} ms${production ? ' (production)' : ''}`);
}
