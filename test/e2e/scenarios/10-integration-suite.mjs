// The integration tests (test/integration/*.ts → out/integration/, `npm run build:tests`) pass
// inside code-server through the extensionTestsPath route, with the repository as the
// extension under development (its dist/ bundles, from `npm run package` or `npm run build`).
// e2e-timeout: 300
import fs from 'node:fs';
import path from 'node:path';
import * as h from '../harness.mjs';
import * as L from '../loss.mjs';

await h.scenario('10-integration-suite', async () => {
  const entry = path.join(L.REPO, 'out', 'integration', 'index.js');
  L.assert(fs.existsSync(entry), `${entry} is missing: run \`npm run build:tests\``);
  L.assert(fs.existsSync(path.join(L.REPO, 'dist', 'extension.js')), 'dist/extension.js is missing: run `npm run package` (or `npm run build`)');
  const tests = fs.readdirSync(path.dirname(entry)).filter((f) => f.endsWith('.test.js'));
  L.assert(tests.length > 0, 'out/integration holds *.test.js files');

  const res = await h.runExtensionTests({
    extensionDevelopmentPath: L.REPO,
    extensionTestsPath: entry,
    folder: path.join(L.REPO, 'test', 'fixtures'),
    timeout: 240_000,
    echo: true,
    screenshotName: '10-integration-suite',
  });
  const out = res.output.join('\n');
  fs.mkdirSync(h.RESULTS_DIR, { recursive: true });
  fs.writeFileSync(path.join(h.RESULTS_DIR, '10-integration-suite.log'), out + '\n');
  const passing = /(\d+) passing/.exec(out);
  const failing = /(\d+) failing/.exec(out);
  h.log(`mocha: ${passing ? passing[0] : 'no "passing" line'}${failing ? ', ' + failing[0] : ''}; exit code ${res.code}`);
  if (res.code !== 0 && /\d+\) shows two prediction columns as two models/.test(out)) {
    // Seen in about 1 run of 3: the test sets lossInspector.columns.predictions and runs the
    // command at once; the controller's 300 ms debounced onDidChangeConfiguration then
    // recomputes every open panel, including the one whose interactive run just started with
    // those settings, which cancels that run ("the latest wins"), so executeCommand resolves
    // while the panel is still "running" and reportFor() is undefined.
    h.log('known race (src/extension/controller.ts): the debounced settings recompute superseded the command\'s own run');
  }
  L.assertEqual(res.code, 0, 'exit code of the integration tests');
  L.assert(passing && Number(passing[1]) > 0, 'mocha reports passing tests');
  L.assert(!failing, `no failing tests: ${failing?.[0]}`);
  // Every `it(...)` of the sources ran (mocha's spec reporter lists each passed test with ✔).
  const declared = fs
    .readdirSync(path.join(L.REPO, 'test', 'integration'))
    .filter((f) => f.endsWith('.test.ts'))
    .flatMap((f) => [...fs.readFileSync(path.join(L.REPO, 'test', 'integration', f), 'utf8').matchAll(/\bit\(\s*'([^']+)'/g)].map((m) => m[1]));
  L.assertEqual(Number(passing[1]), declared.length, `passing count vs the ${declared.length} tests declared in test/integration/*.test.ts`);
  for (const name of declared) L.assert(out.includes(name), `test "${name}" ran`);
});
