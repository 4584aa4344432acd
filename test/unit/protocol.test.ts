import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFromWebview } from '../../src/shared/webviewProtocol';

test('messages from the webview are validated before use', () => {
  assert.deepEqual(parseFromWebview({ type: 'ready' }), { type: 'ready' });
  assert.deepEqual(parseFromWebview({ type: 'openLine', line: 12 }), { type: 'openLine', line: 12 });
  assert.deepEqual(parseFromWebview({ type: 'setBeta', beta: 0.25 }), { type: 'setBeta', beta: 0.25 });
  assert.deepEqual(parseFromWebview({ type: 'setGroupBy', column: 'region' }), { type: 'setGroupBy', column: 'region' });
  assert.deepEqual(parseFromWebview({ type: 'setGroupBy', column: null }), { type: 'setGroupBy', column: null });
  // Forged or malformed messages are dropped: no path can be smuggled in, no odd numbers.
  for (const m of [
    null,
    'openLine',
    { type: 'openLine', line: 0 },
    { type: 'openLine', line: 1.5 },
    { type: 'openLine', line: '3' },
    { type: 'openFile', path: '/etc/passwd' },
    { type: 'setBeta', beta: -1 },
    { type: 'setBeta', beta: NaN },
    { type: 'setBeta', beta: '1' },
    { type: '__proto__' },
    { type: 'setGroupBy' },
    { type: 'setGroupBy', column: 3 },
    { type: 'setGroupBy', column: 'x'.repeat(100_001) },
  ]) {
    assert.equal(parseFromWebview(m), undefined, JSON.stringify(m));
  }
  // Extra fields are not passed through.
  assert.deepEqual(parseFromWebview({ type: 'openLine', line: 3, path: '/etc/passwd' }), { type: 'openLine', line: 3 });
});
