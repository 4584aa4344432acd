/**
 * Regression tests for the readers' items of issue #19 (2: rows with more fields than the header,
 * R's row-names layout; 3: JSON columns keep only the needed arrays; 8: the line of an unclosed
 * quote past the first MiB; 9: `.` in files with decimal commas; 12: CR-only line endings, files
 * of only blank lines).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../helpers/run';
import { LossInspectorError } from '../../src/core/errors';

async function rejects(name: string, text: string | Uint8Array, code: string, pattern: RegExp, over = {}) {
  await assert.rejects(analyzeText(name, text, over), (e: unknown) => {
    assert.ok(e instanceof LossInspectorError, `not a LossInspectorError: ${String(e)}`);
    assert.equal(e.code, code, e.message);
    assert.match(e.message, pattern);
    return true;
  });
}

test('#19.8: an unclosed quote past the first MiB names the line where it opened', async () => {
  let text = 'y_true,y_pred\n';
  let line = 2;
  while (text.length < 1.2 * 2 ** 20) {
    text += '1,2\n';
    line++;
  }
  text += '3,"4\n5,6\n7,8\n';
  for (const chunkSize of [undefined, 4096, 7]) {
    await rejects('q.csv', text, 'unterminatedQuote', new RegExp(`opened on line ${line} that`), { chunkSize });
  }
  // The same after a quoted newline in an earlier record, and in a short file (read by the head).
  await rejects('q.csv', 'y_true,y_pred,n\n1,2,"a\nb"\n3,"4\n5,6\n', 'unterminatedQuote', /opened on line 4 that/);
  await rejects('q.csv', 'y_true,y_pred\n' + '1,2\n'.repeat(300_000) + '1,2,"a\nb"\n3,"4\n5,6\n', 'unterminatedQuote', /opened on line 300004 that/);
});
