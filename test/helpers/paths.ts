import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The checkout's root, found from this module's folder: the tests run from the sources (under
 * tsx, test/helpers/) or from their bundles (npm test: out/unit/), at different depths.
 */
export const repoRoot = ((): string => {
  for (let d = __dirname; ; d = path.dirname(d)) {
    if (fs.existsSync(path.join(d, 'package.json')) && fs.existsSync(path.join(d, 'src/worker/worker.ts'))) return d;
    if (path.dirname(d) === d) throw new Error(`no checkout above ${__dirname}`);
  }
})();
