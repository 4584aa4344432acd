import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Disposable, MutableDisposable, timeout, toDisposable } from '../../src/extension/dispose';

class Owner extends Disposable {
  add<T extends { dispose(): void }>(x: T): T {
    return this._register(x);
  }
  get disposed(): boolean {
    return this.isDisposed;
  }
}

test('Disposable disposes what it registered, newest first, once', () => {
  const order: string[] = [];
  const o = new Owner();
  o.add(toDisposable(() => order.push('a')));
  o.add(toDisposable(() => order.push('b')));
  o.dispose();
  o.dispose();
  assert.deepEqual(order, ['b', 'a']);
  assert.equal(o.disposed, true);
  o.add(toDisposable(() => order.push('late')));
  assert.deepEqual(order, ['b', 'a', 'late'], 'registered after dispose: disposed at once');
});

test('one child that throws does not keep the others alive', () => {
  const order: string[] = [];
  const o = new Owner();
  o.add(toDisposable(() => order.push('a')));
  o.add(
    toDisposable(() => {
      throw new Error('boom');
    }),
  );
  o.add(toDisposable(() => order.push('c')));
  assert.throws(() => o.dispose(), /boom/);
  assert.deepEqual(order, ['c', 'a']);
});

test('MutableDisposable disposes the value it replaces, and a value set after dispose', () => {
  const log: string[] = [];
  const m = new MutableDisposable();
  m.value = toDisposable(() => log.push('1'));
  m.value = toDisposable(() => log.push('2'));
  assert.deepEqual(log, ['1']);
  m.clear();
  assert.deepEqual(log, ['1', '2']);
  m.value = toDisposable(() => log.push('3'));
  m.dispose();
  m.value = toDisposable(() => log.push('4'));
  assert.deepEqual(log, ['1', '2', '3', '4']);
  assert.equal(m.value, undefined);
});

test('timeout(): disposing it stops the timer', async () => {
  let fired = 0;
  timeout(5, () => fired++);
  timeout(5, () => fired++).dispose();
  await new Promise((r) => setTimeout(r, 30));
  assert.equal(fired, 1);
});
