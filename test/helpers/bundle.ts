/**
 * The worker and the CLI bundled as scripts/build.mjs bundles them (esbuild, node, cjs), built
 * from the sources by each test process that needs them, into a temporary folder removed at exit.
 *
 * Why not run the sources under tsx: a worker thread inherits the test's `--import tsx` and
 * transpiles the engine again, so each worker start cost ~250 ms instead of ~30 ms, and the
 * parallel tests start dozens. A per-process build (~30–70 ms) needs no `npm run build` first,
 * works on a clean clone, is never stale and never races with another test file's build.
 * Also why the CLI bundle: it is self-contained, so the permission test can run it as `nobody`
 * from a folder that user can read, whatever folder the checkout is in.
 */
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot as root } from './paths';

const entries = { worker: 'src/worker/worker.ts', cli: 'src/cli/main.ts' } as const;
const built = new Set<string>();
let tmp: string | undefined;

/**
 * Builds `<dir>/<name>.js` (once per process and folder) and returns its path. `dir` defaults to
 * a private temporary folder of this process.
 */
export function bundle(name: keyof typeof entries, dir?: string): string {
  if (!dir) {
    if (!tmp) {
      tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'li-bundle-'));
      const t = tmp;
      process.on('exit', () => fs.rmSync(t, { recursive: true, force: true }));
    }
    dir = tmp;
  }
  const outfile = path.join(dir, `${name}.js`);
  if (built.has(outfile)) return outfile;
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
  esbuild.buildSync({
    absWorkingDir: root,
    entryPoints: [entries[name]],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    define: { __VERSION__: JSON.stringify(pkg.version) },
    ...(name === 'cli' ? { banner: { js: '#!/usr/bin/env node' } } : {}), // as scripts/build.mjs: it is the package's bin
    logLevel: 'warning',
  });
  built.add(outfile);
  return outfile;
}

/** The worker bundle, and the options that start it without the test's TypeScript loader. */
export function workerBundle(): { workerScript: string; workerExecArgv: string[] } {
  return { workerScript: bundle('worker'), workerExecArgv: [] };
}
