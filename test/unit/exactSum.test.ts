import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ExactSum, fsum } from '../../src/core/exactSum';

/** Exact rational sum of doubles via BigInt (scaled by 2^1074), rounded to the nearest double by Number(). */
function exactReference(xs: number[]): number {
  let acc = 0n;
  for (const x of xs) acc += toScaled(x);
  return fromScaled(acc);
}
function toScaled(x: number): bigint {
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, x);
  const hi = buf.getUint32(0);
  const lo = buf.getUint32(4);
  const sign = hi >>> 31 ? -1n : 1n;
  const exp = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  if (exp === 0) return sign * mant; // subnormal: mant · 2^-1074
  mant |= 1n << 52n;
  return sign * (mant << BigInt(exp - 1));
}
function fromScaled(v: bigint): number {
  // Correct rounding: format v / 2^1074 as an exact decimal string and let Number() round it.
  if (v === 0n) return 0;
  const neg = v < 0n;
  let a = neg ? -v : v;
  const five = 5n ** 1074n;
  const digits = (a * five).toString().padStart(1075, '0');
  const s = digits.slice(0, digits.length - 1074) + '.' + digits.slice(digits.length - 1074);
  a = 0n;
  return Number((neg ? '-' : '') + s);
}

test('the textbook case that defeats naive summation: 1e100 + 1 - 1e100 = 1', () => {
  assert.equal([1e100, 1, -1e100].reduce((a, b) => a + b, 0), 0, 'naive summation loses the 1');
  assert.equal(fsum([1e100, 1, -1e100]), 1);
});

test('0.1 added ten times is exactly the double nearest to the exact sum', () => {
  const xs = new Array(10).fill(0.1);
  assert.notEqual(xs.reduce((a, b) => a + b, 0), 1.0000000000000000555, 'sanity');
  assert.equal(fsum(xs), exactReference(xs));
  assert.equal(fsum(xs), 1);
});

test('half-way rounding cases match math.fsum', () => {
  // Known fsum test vectors (CPython's test_math).
  assert.equal(fsum([1, 1e-16, 1e-16]), 1.0000000000000002);
  assert.equal(fsum([2 ** 53, -0.5, -(2 ** -54)]), 2 ** 53 - 1);
  assert.equal(fsum([2 ** 53, 1, 2 ** -100]), 2 ** 53 + 2);
  assert.equal(fsum([1.7976931348623157e308, -1.7976931348623157e308 / 2, 1]), 1.7976931348623157e308 / 2 + 1);
});

test('random sums equal the exact BigInt reference, whatever the order and split', () => {
  fc.assert(
    fc.property(
      fc.array(fc.double({ min: -1e300, max: 1e300, noNaN: true, noDefaultInfinity: true }), { maxLength: 60 }),
      fc.nat(),
      (xs, cut) => {
        const ref = exactReference(xs);
        assert.ok(Object.is(fsum(xs) + 0, ref + 0));
        const k = xs.length ? cut % xs.length : 0;
        const a = new ExactSum();
        const b = new ExactSum();
        xs.slice(0, k).forEach((x) => a.add(x));
        xs.slice(k).reverse().forEach((x) => b.add(x));
        a.merge(b.serialize());
        assert.ok(Object.is(a.value() + 0, ref + 0));
      },
    ),
    { seed: 7, numRuns: 2000 },
  );
});

test('non-finite terms are kept apart and reported', () => {
  const s = new ExactSum();
  s.add(1);
  s.add(Infinity);
  assert.equal(s.isFinite(), false);
  assert.equal(s.value(), Infinity);
});
