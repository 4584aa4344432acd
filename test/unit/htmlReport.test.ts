import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { standaloneHtml } from '../../src/engine/htmlReport';
import { analyzeText } from '../helpers/run';

test('the HTML report is self-contained, allows only its own inlined script, and keeps file text inert', async () => {
  const r = await analyzeText('h.csv', 'y_true,y_pred,"</script><img src=x onerror=alert(1)>"\n1,2,a\n3,5,b\n', {
    columns: { target: 'y_true', predictions: ['y_pred'] },
  });
  const script = 'console.log("ui")';
  const html = standaloneHtml(r, { script, css: 'main{}' });
  const csp = /Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1] ?? '';
  assert.match(csp, /default-src 'none'/);
  assert.ok(csp.includes(`'sha256-${createHash('sha256').update(script).digest('base64')}'`), 'the inlined script is allowed by its hash');
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|https?:/);
  assert.doesNotMatch(html, /(src|href)="https?:/, 'no remote resources');
  // The hostile column name only appears escaped inside the JSON data block.
  assert.equal(html.split('</script>').length - 1, 2, 'only the two real script elements close');
  assert.ok(!html.includes('<img'), 'no markup from the file');
  const data = /<script type="application\/json" id="report-data">(.*?)<\/script>/s.exec(html)?.[1] ?? '';
  assert.equal(JSON.parse(data).report.columns[2], '</script><img src=x onerror=alert(1)>');
});
