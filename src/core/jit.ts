/**
 * Stores another value into a field and puts the original back. V8 treats a field that has held
 * one value as a constant in optimized code, and the first store of a different value (a full
 * residual chunk's `cur`, the first trim's `sampleMax`) deoptimized the scan's row() in every
 * thread. Done in the constructor, that change happens before anything is optimized.
 */
export function mutable<T, K extends keyof T>(o: T, key: K, other: T[K]): void {
  const v = o[key];
  o[key] = other;
  o[key] = v;
}
