/** What the compare tests share: in-memory files, the options every test starts from, an error's code and sentence. */
import assert from 'node:assert/strict';
import type { CompareOptions } from '../../src/engine/compare';
import { isLossInspectorError } from '../../src/core/errors';
import { memorySource } from '../../src/engine/source';

const enc = new TextEncoder();

/** A file of `text`, named `name`. */
export const src = (name: string, text: string) => memorySource(enc.encode(text), name);

export const OPTS: CompareOptions = { params: { beta: 1, delta: 1, quantile: 0.5 }, topK: 3, bins: 10, intervals: { confidence: 0.95 } };

/** `f` throws the engine's error with this code and a sentence matching `re`. */
export function fails(f: () => unknown, re: RegExp, code = 'filesDiffer'): void {
  assert.throws(f, (e: unknown) => {
    assert.ok(isLossInspectorError(e), String(e));
    assert.equal(e.code, code);
    assert.match(e.message, re);
    return true;
  });
}
