// `npm run test:integration`: the integration tests inside a downloaded VS Code, through
// @vscode/test-electron. Needs internet access to download VS Code; on machines without it
// (like our CI), the same tests run inside code-server through `npm run test:vscode`.
import { runTests } from '@vscode/test-electron';
import * as path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
try {
  await runTests({
    extensionDevelopmentPath: root,
    extensionTestsPath: path.join(root, 'out/integration/index.js'),
    launchArgs: [path.join(root, 'test/fixtures'), '--disable-extensions', '--disable-workspace-trust'],
  });
} catch (e) {
  console.error(`Integration tests failed: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
}
