/**
 * Lifetimes, after vscode-hexeditor's `Disposable`: an object registers what it owns with
 * `this._register(x)` and disposing it disposes those, newest first. No `vscode` import (the
 * interface is structural), so it is unit-tested in plain Node.
 */
export interface IDisposable {
  dispose(): void;
}

export function toDisposable(f: () => void): IDisposable {
  return { dispose: f };
}

/** Disposes every item, newest first; one that throws does not keep the others alive. */
export function disposeAll(items: IDisposable[]): void {
  const errors: unknown[] = [];
  while (items.length) {
    try {
      items.pop()?.dispose();
    } catch (e) {
      errors.push(e);
    }
  }
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new AggregateError(errors, 'Several disposables failed to dispose.');
}

export abstract class Disposable implements IDisposable {
  private _isDisposed = false;
  private readonly _disposables: IDisposable[] = [];

  dispose(): void {
    if (this._isDisposed) return;
    this._isDisposed = true;
    disposeAll(this._disposables);
  }

  /** Owns `value` from now on; something registered after dispose() is disposed at once. */
  protected _register<T extends IDisposable>(value: T): T {
    if (this._isDisposed) value.dispose();
    else this._disposables.push(value);
    return value;
  }

  protected get isDisposed(): boolean {
    return this._isDisposed;
  }
}

/** Holds at most one disposable: setting a new value disposes the previous one. */
export class MutableDisposable<T extends IDisposable> implements IDisposable {
  private _value: T | undefined;
  private _isDisposed = false;

  get value(): T | undefined {
    return this._value;
  }

  set value(value: T | undefined) {
    if (value === this._value) return;
    this._value?.dispose();
    if (this._isDisposed) {
      value?.dispose();
      this._value = undefined;
    } else {
      this._value = value;
    }
  }

  clear(): void {
    this.value = undefined;
  }

  dispose(): void {
    this.clear();
    this._isDisposed = true;
  }
}

/** A one-shot timer as a disposable (disposing it clears the timer). */
export function timeout(ms: number, f: () => void): IDisposable {
  const t = setTimeout(f, ms);
  return toDisposable(() => clearTimeout(t));
}
