/**
 * Decimal number parsing straight from bytes, bit-identical to JavaScript's `Number()`.
 *
 * `parseDecimalInto` is the hot path: no strings, no allocation (the value is written into a
 * Float64Array, so V8 never boxes a returned double), no BigInt. It either stores the exact value
 * `Number(text)` would give and returns true, or returns false to DECLINE; the caller then decodes the field and
 * uses `classifyField` (the slow path), which is always right. Declining is therefore always safe,
 * returning a wrong value never is.
 *
 * Fast-path coverage (value x = M * 10^e, M = the significant digits as an integer):
 *
 *  (a) Clinger: M exactly representable (≤ 15 digits, or 16..19 digits that happen to be exact)
 *      and |e| ≤ 22. 10^0..10^22 are exact doubles, so `M * 10^e` / `M / 10^-e` is a single
 *      correctly rounded IEEE operation, i.e. exactly what `Number()` returns. Also `e` in
 *      23..37 when `M * 10^(e-22)` is still an exact integer below 2^53.
 *  (b) 16..19 significant digits (and (c) any ≤ 19 digits with -280 ≤ e, x < 10^290): M is built
 *      exactly as a double-double (H, L), multiplied by 10^e held as a double-double (PH, PL) that
 *      is within 2^-106 relative of the exact power (for 0 ≤ e ≤ 22, PL = 0 and it is exact), and
 *      the result (R, Rl) is accepted only if a rigorous error bound proves that R is the correctly
 *      rounded value of x (see `mulAndRound` for the error analysis). Within ~2^-96 relative of
 *      a rounding midpoint (≈ 1 in 2^43 random inputs, plus inputs that are exactly a midpoint,
 *      e.g. 4503599627370496.5 or 65099321683425108.0) the function declines. (With e = 0 the
 *      result is H = RN(M) directly, so even 9007199254740993 is decided.)
 *  (d) More than 19 significant digits: the first 19 digits M' bracket the value between
 *      M' * 10^e and (M' + 1) * 10^e; accepted when both ends provably round to the same double
 *      (declines ≈ 10^-19 / 2^-53 ≈ 0.1% of random long inputs, more near midpoints).
 *
 * Declines: values below 1e-280 or at/above 1e290 (including subnormals and overflow), the
 * near-midpoint cases above, surrounding whitespace, `\r`, and anything that is not plain decimal
 * syntax (hex, Infinity, NaN, underscores, thousands separators, ...).
 */

// ---------------------------------------------------------------------------------------------
// Tables
// ---------------------------------------------------------------------------------------------

/** 10^0 .. 10^22, all exact doubles. */
const POW10 = new Float64Array(23);
for (let k = 0, p = 1; k <= 22; k++, p *= 10) POW10[k] = p; // every intermediate is exact

/** Range of decimal exponents handled by the double-double path. */
const E_MIN = -280;
const E_MAX = 289;
/** Decimal magnitude limit: the double-double path only accepts x < 10^X_LIMIT. */
const X_LIMIT = 290;
const TABLE_SIZE = E_MAX - E_MIN + 1;

/** 10^e ≈ PH + PL, PH = RN(10^e), PL = RN(10^e - PH); PHH + PHL = PH is PH's Veltkamp split. */
const PH = new Float64Array(TABLE_SIZE);
const PL = new Float64Array(TABLE_SIZE);
const PHH = new Float64Array(TABLE_SIZE);
const PHL = new Float64Array(TABLE_SIZE);
/** 1 where the entry is built. */
const READY = new Uint8Array(TABLE_SIZE);

/** 2^27 + 1, Veltkamp's splitting constant for binary64 (26 + 26 bit halves). */
const SPLITTER = 134217729;
const TWO_53 = 9007199254740992;
/** Tolerance factor for the rounding test, see `mulAndRound`. */
const TOL = 2 ** -97;

/**
 * Builds entry e of the double-double power-of-ten table with exact BigInt arithmetic, the first
 * time a number needs it. Building the whole table cost every scan thread time and garbage
 * (docs/performance.md), and a file uses a handful of exponents.
 */
function buildEntry(e: number): void {
  // 10^e = num / den exactly.
  const num = e >= 0 ? 10n ** BigInt(e) : 1n;
  const den = e >= 0 ? 1n : 10n ** BigInt(-e);
  const hi = ratioToDouble(num, den);
  // PH = mant * 2^exp exactly.
  const { mant, exp } = decompose(hi);
  // diff = num/den - mant*2^exp = dn / dd
  let dn: bigint;
  let dd: bigint;
  if (exp >= 0) {
    dn = num - ((mant << BigInt(exp)) * den);
    dd = den;
  } else {
    dn = (num << BigInt(-exp)) - mant * den;
    dd = den << BigInt(-exp);
  }
  const lo = dn === 0n ? 0 : dn > 0n ? ratioToDouble(dn, dd) : -ratioToDouble(-dn, dd);
  const i = e - E_MIN;
  PH[i] = hi;
  PL[i] = lo;
  const c = SPLITTER * hi;
  const hh = c - (c - hi);
  PHH[i] = hh;
  PHL[i] = hi - hh;
  READY[i] = 1;
}

function bitLength(b: bigint): number {
  return b === 0n ? 0 : b.toString(2).length;
}

/** Correctly rounded (to nearest, ties to even) num/den for positive num, den; normal range only. */
function ratioToDouble(num: bigint, den: bigint): number {
  const s = 66 - (bitLength(num) - bitLength(den)); // quotient gets 65..67 bits
  const n = s >= 0 ? num << BigInt(s) : num;
  const d = s >= 0 ? den : den << BigInt(-s);
  const q = n / d;
  const sticky = n % d !== 0n;
  const sh = bitLength(q) - 53;
  let mant = q >> BigInt(sh);
  const rest = q & ((1n << BigInt(sh)) - 1n);
  const half = 1n << BigInt(sh - 1);
  if (rest > half || (rest === half && (sticky || (mant & 1n) === 1n))) mant += 1n;
  return ldexp(Number(mant), sh - s);
}

/** x * 2^k, exact as long as the result is a normal double (steps keep intermediates normal). */
function ldexp(x: number, k: number): number {
  while (k > 500) {
    x *= 2 ** 500;
    k -= 500;
  }
  while (k < -500) {
    x *= 2 ** -500;
    k += 500;
  }
  return x * 2 ** k;
}

/** A positive normal double as mant * 2^exp with an integer mant < 2^53. */
function decompose(x: number): { mant: bigint; exp: number } {
  let exp = 0;
  while (x >= TWO_53) {
    x /= 2;
    exp++;
  }
  while (!Number.isInteger(x)) {
    x *= 2;
    exp--;
  }
  return { mant: BigInt(x), exp };
}

// ---------------------------------------------------------------------------------------------
// Fast path
// ---------------------------------------------------------------------------------------------

/**
 * Parses a plain decimal (`[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?`, or with `decimalComma` the
 * same with `,` instead of `.`) starting at buf[start], ending at `end` or, with `delim` ≥ 0, at
 * the first byte that cannot continue the number. Writes exactly `Number(text)` (with `,` read as
 * `.`) into out[slot] and returns the offset just past the number, or −1 to decline (the caller
 * then takes the slow path). Never allocates. With `decimalComma` a `.` is declined: it is a
 * thousands separator or no number at all, which `classifyField` decides.
 */
function parseCore(buf: Uint8Array, start: number, end: number, decimalComma: boolean, out: Float64Array, slot: number, delim: number): number {
  if (end > buf.length) end = buf.length;
  if (!(start >= 0) || start >= end) return -1;
  let i = start;
  let c = buf[i];
  let neg = false;
  if (c === 45 /* - */ || c === 43 /* + */) {
    neg = c === 45;
    if (++i >= end) return -1;
  }

  // Significant digits: the first 15 go to `hi` (exact, < 10^15), the next 4 to `lo` (< 10^4),
  // later ones are dropped (only noting whether any is non-zero). nd = significant digits kept
  // (leading zeros excluded); e10 = decimal exponent of the last kept digit, so that the value is
  // M * 10^e10 with M = hi * 10^(nd-15) + lo (or just hi when nd ≤ 15), exactly unless truncated.
  // Separate loops per stage keep the per-digit work to one compare and one multiply-add.
  let hi = 0;
  let lo = 0;
  let nd = 0;
  let e10 = 0;
  let truncated = false; // a non-zero digit after the 19th significant digit was dropped
  const i0 = i;

  // Integer part: leading zeros, then significant digits.
  while (i < end && buf[i] === 48) i++;
  for (; nd < 15 && i < end; i++, nd++) {
    const d = buf[i] - 48;
    if (d >>> 0 >= 10) break;
    hi = hi * 10 + d;
  }
  if (nd >= 15) {
    for (; nd < 19 && i < end; i++, nd++) {
      const d = buf[i] - 48;
      if (d >>> 0 >= 10) break;
      lo = lo * 10 + d;
    }
    for (; i < end; i++, e10++) {
      const d = buf[i] - 48;
      if (d >>> 0 >= 10) break;
      if (d !== 0) truncated = true;
    }
  }
  let sawDigit = i > i0;

  // Fraction.
  if (i < end) {
    c = buf[i];
    if (c === (decimalComma ? 44 /* , */ : 46) /* . */) {
      const f0 = ++i;
      if (nd === 0) while (i < end && buf[i] === 48) i++;
      for (; nd < 15 && i < end; i++, nd++) {
        const d = buf[i] - 48;
        if (d >>> 0 >= 10) break;
        hi = hi * 10 + d;
      }
      if (nd >= 15) {
        for (; nd < 19 && i < end; i++, nd++) {
          const d = buf[i] - 48;
          if (d >>> 0 >= 10) break;
          lo = lo * 10 + d;
        }
        for (; i < end; i++, e10++) {
          const d = buf[i] - 48;
          if (d >>> 0 >= 10) break;
          if (d !== 0) truncated = true;
        }
      }
      e10 -= i - f0;
      if (i > f0) sawDigit = true;
    }
  }
  if (!sawDigit) return -1;

  // Exponent (or, with a delimiter, the end of the field).
  if (i < end && !(delim >= 0 && ((c = buf[i]) === delim || c === 10 || c === 13))) {
    if ((buf[i] | 32) !== 101 /* e or E */) return -1;
    if (++i >= end) return -1;
    c = buf[i];
    let eneg = false;
    if (c === 45 || c === 43) {
      eneg = c === 45;
      if (++i >= end) return -1;
    }
    let ev = 0;
    const e0 = i;
    while (i < end) {
      const d = buf[i] - 48;
      if (!(d >= 0 && d <= 9)) {
        if (delim >= 0 && ((c = buf[i]) === delim || c === 10 || c === 13)) break;
        return -1;
      }
      i++;
      if (ev < 1e9) ev = ev * 10 + d; // saturate; anything this big is declined below unless M = 0
    }
    if (i === e0) return -1; // no exponent digits
    if (ev >= 1e9) {
      if (nd !== 0) return -1;
      out[slot] = neg ? -0 : 0;
      return i;
    }
    e10 = eneg ? e10 - ev : e10 + ev;
  }

  if (nd === 0) {
    out[slot] = neg ? -0 : 0;
    return i;
  }

  let v: number;
  if (nd <= 15) {
    // (a) Clinger: hi < 10^15 < 2^53 is exact.
    if (e10 >= 0) {
      if (e10 <= 22) {
        v = hi * POW10[e10];
        if (v !== v) return -1;
    out[slot] = neg ? -v : v;
    return i;
      }
      if (e10 <= 37) {
        // hi * 10^(e10-22) is an exact integer product iff it is below 2^53 (if the exact product
        // were ≥ 2^53, its rounding would be ≥ 2^53 too, so the strict test is safe).
        const m = hi * POW10[e10 - 22];
        if (m < TWO_53) {
          v = m * 1e22;
          if (v !== v) return -1;
    out[slot] = neg ? -v : v;
    return i;
        }
      }
    } else if (e10 >= -22) {
      v = hi / POW10[-e10];
      if (v !== v) return -1;
    out[slot] = neg ? -v : v;
    return i;
    }
    MR[1] = hi;
    MR[2] = 0;
    v = mulAndRound(nd, e10) ? MR[0] : NaN;
    if (v !== v) return -1;
    out[slot] = neg ? -v : v;
    return i;
  }

  // (b) 16..19 digits: M = hi * 10^r + lo exactly as a double-double H + L, |L| ≤ ulp(H)/2.
  // hi has exactly 15 digits (≥ 10^14 > 2^27), hi < 2^50. Veltkamp-split hi into ah (≤ 26
  // significant bits) + al (|al| ≤ 2^24); with s = 10^r < 2^14, ah*s (≤ 40 bits) and al*s + lo
  // (< 2^39) are exact, and |t1| > |t2|, so Fast2Sum gives H = RN(M), L = M - H exactly.
  const s = POW10[nd - 15];
  const cs = SPLITTER * hi;
  const ah = cs - (cs - hi);
  const al = hi - ah;
  const t1 = ah * s;
  const t2 = al * s + lo;
  const H = t1 + t2;
  const L = t2 - (H - t1);
  if (truncated) {
    // More than 19 significant digits (nd = 19): with M' = the first 19 digits, the exact value
    // lies strictly between M' * 10^e10 and (M' + 1) * 10^e10. If both ends provably round to the
    // same double, then so does everything in between (round-to-nearest is monotonic).
    // M' + 1 = hi * 10^4 + (lo + 1) is built like M (lo + 1 ≤ 10^4 keeps t2 exact); it has 20
    // digits only for M' = 10^19 - 1, which the X_LIMIT check with nd + 1 covers.
    const t2b = t2 + 1;
    const Hb = t1 + t2b;
    const Lb = t2b - (Hb - t1);
    MR[1] = H;
    MR[2] = L;
    v = mulAndRound(nd, e10) ? MR[0] : NaN;
    MR[1] = Hb;
    MR[2] = Lb;
    if (v !== (mulAndRound(nd + 1, e10) ? MR[0] : NaN)) return -1; // also if either declined (NaN)
    if (v !== v) return -1;
    out[slot] = neg ? -v : v;
    return i;
  }
  if (e10 === 0) {
    out[slot] = neg ? -H : H; // H = RN(M) already
    return i;
  }
  if (L === 0 && e10 >= -22 && e10 <= 22) {
    // M is an exact double: Clinger applies.
    v = e10 > 0 ? H * POW10[e10] : H / POW10[-e10];
    if (v !== v) return -1;
    out[slot] = neg ? -v : v;
    return i;
  }
  MR[1] = H;
  MR[2] = L;
  v = mulAndRound(nd, e10) ? MR[0] : NaN;
  if (v !== v) return -1;
    out[slot] = neg ? -v : v;
    return i;
}

/**
 * Parses the number at buf[start, end) and stores it in out[slot]; returns false to DECLINE (the
 * caller falls back to `classifyField`). The whole range must be the number.
 */
export function parseDecimalInto(buf: Uint8Array, start: number, end: number, decimalComma: boolean, out: Float64Array, slot: number): boolean {
  return parseCore(buf, start, end, decimalComma, out, slot, -1) >= 0;
}

/**
 * Parses a number that starts at buf[start] and ends at the first `delim`, `\n` or `\r` (or at
 * `limit`), storing it in out[slot]: a CSV field is parsed in one pass, without first searching
 * for its end. Returns the offset where the number stopped, or −1 to DECLINE (not a plain decimal
 * up to a terminator). The caller checks what the byte at the returned offset is.
 */
export function parseFieldInto(buf: Uint8Array, start: number, limit: number, delim: number, decimalComma: boolean, out: Float64Array, slot: number): number {
  return parseCore(buf, start, limit, decimalComma, out, slot, delim);
}

/** `parseDecimalInto` returning the number, or NaN to decline (for callers off the hot path). */
export function parseDecimalBytes(buf: Uint8Array, start: number, end: number, decimalComma: boolean): number {
  return parseDecimalInto(buf, start, end, decimalComma, SCRATCH, 0) ? SCRATCH[0] : NaN;
}
const SCRATCH = new Float64Array(1);

/**
 * mulAndRound's result in [0] and its input H + L in [1], [2]: doubles passed to or returned from
 * a call that is not inlined are boxed, one allocation each per number (garbage the sampling
 * heap profiler found; docs/performance.md).
 */
const MR = new Float64Array(3);

/**
 * Computes RN((H + L) * 10^e) into MR[0] and returns true, for the exact integer M = H + L > 0
 * (H = MR[1], L = MR[2]) with nd significant digits, H = RN(M); returns false when that cannot be
 * proven.
 *
 * Error analysis (A = H*PH > 0; u = 2^-53; all operations round to nearest):
 *   10^e = PH + PL + δ with |PL| ≤ u*PH and |δ| ≤ u*|PL| ≤ u²*PH (PL = RN(10^e - PH); PL is
 *   normal for e ≥ -280, and for 0 ≤ e ≤ 22, PL = δ = 0). |L| ≤ u*H.
 *   x = M*10^e = H*PH + H*PL + L*PH + L*PL + (H+L)*δ.
 *   - p + pe = H*PH exactly (Dekker TwoProduct; no overflow as x < 10^290, splits < 2^1000;
 *     no underflow as H ≥ 1 and PH ≥ 10^-280, so every partial product is a multiple of
 *     2^-1074 at least and representable).
 *   - t = fl(fl(H*PL) + fl(L*PH)): each product ≤ u*A, rounding ≤ u²*A each; the sum ≤ 2u*A(1+u),
 *     rounding ≤ 2u²*A(1+u). |t - (H*PL + L*PH)| ≤ 4u²*A(1+u).
 *   - low = fl(pe + t): |pe| ≤ u*A, |t| ≤ 2u*A(1+2u); rounding ≤ 3u²*A(1+2u).
 *   - Dropped: |L*PL| ≤ u²*A and |(H+L)*δ| ≤ u²*A(1+u).
 *   - R + Rl = p + low exactly (Fast2Sum; |low| ≤ 4u*A < |p|), and R = RN(R + Rl).
 *   So |x - (R + Rl)| ≤ 9.01u²*A < 2^-102.8 * A, and A ≤ R*(1 + 2^-49) (R = RN(p + low),
 *   |low| ≤ 2^-51 A), giving |x - (R + Rl)| < 2^-102 * R.
 *
 * Rounding test: tol = R*2^-97 (exact, or with negligible absolute error if subnormal). Since
 * |Rl| ≤ u*R, fl(Rl + tol) ≥ Rl + tol - u*(u + 2^-97)*R > Rl + 2^-98*R > Rl + |error|, and
 * likewise fl(Rl - tol) < Rl - |error|. Hence x lies in [R + fl(Rl - tol), R + fl(Rl + tol)].
 * If both ends round to R (fl(R + y) === R computes RN(R + y)), then by monotonicity of
 * round-to-nearest every point of the interval, x included, rounds to R, i.e. RN(x) = R. This
 * holds at binade boundaries too (no ulp computation is needed) and also when an end is exactly
 * a midpoint that ties to R. Otherwise x is within ~2^-96 relative of a midpoint: decline.
 */
function mulAndRound(nd: number, e: number): boolean {
  const H = MR[1];
  const L = MR[2];
  if (e < E_MIN || e + nd > X_LIMIT) return false;
  const k = e - E_MIN;
  if (READY[k] === 0) buildEntry(e);
  const ph = PH[k];
  const pl = PL[k];
  // TwoProduct(H, ph) with ph's split precomputed.
  const c = SPLITTER * H;
  const ah = c - (c - H);
  const al = H - ah;
  const bh = PHH[k];
  const bl = PHL[k];
  const p = H * ph;
  const pe = ah * bh - p + ah * bl + al * bh + al * bl;
  const t = H * pl + L * ph;
  const low = pe + t;
  const R = p + low;
  const Rl = low - (R - p);
  const tol = R * TOL;
  if (R + (Rl + tol) !== R || R + (Rl - tol) !== R) return false;
  MR[0] = R;
  return true;
}

// ---------------------------------------------------------------------------------------------
// Slow path
// ---------------------------------------------------------------------------------------------

export type FieldClass =
  | { kind: 'number'; value: number }
  | { kind: 'empty' }
  | { kind: 'na' }
  | { kind: 'infinite' }
  | { kind: 'nonNumeric' };

export const EMPTY_FIELD: FieldClass = Object.freeze({ kind: 'empty' as const });
const NA: FieldClass = Object.freeze({ kind: 'na' as const });
const INFINITE: FieldClass = Object.freeze({ kind: 'infinite' as const });
const NON_NUMERIC: FieldClass = Object.freeze({ kind: 'nonNumeric' as const });

const NA_WORDS = new Set(['na', 'n/a', 'nan', '-nan', 'null', 'none', '#n/a']);
const INF_WORDS = new Set(['inf', '+inf', '-inf', 'infinity', '+infinity', '-infinity']);

// Unambiguous on purpose: `\d+\.?\d*` backtracks quadratically on a long run of digits followed by
// junk (70 000 digits took seconds); `\d+(?:\.\d*)?` matches the same strings in linear time.
export const PLAIN_DOT = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
export const PLAIN_COMMA = /^[+-]?(?:\d+(?:,\d*)?|,\d+)(?:[eE][+-]?\d+)?$/;
/**
 * With decimal commas, `.` is a thousands separator only between groups of exactly three digits,
 * after a first group of 1–3 digits that does not start with 0 (`1.234`, `12.345.678,5`). Any
 * other `.` (`2.5`, `0.123`, `1234.567`, `1.23`) makes the field text that is not a number.
 */
export const THOUSANDS_DOT = /^[+-]?[1-9]\d{0,2}(?:\.\d{3})+(?:,\d*)?(?:[eE][+-]?\d+)?$/;

function isAsciiSpace(c: number): boolean {
  // space, \t, \n, \v, \f, \r
  return c === 32 || (c >= 9 && c <= 13);
}

/**
 * Classifies one field's text (the slow path). Trims ASCII whitespace; recognises empty, NA-like
 * markers, infinities, and plain decimals (value = `Number()` of the text; with `decimalComma`,
 * `,` is the decimal separator and `.` only a thousands separator, see THOUSANDS_DOT); a plain
 * decimal that overflows to ±Infinity (e.g. `1e999`) is `infinite`. Anything else (hex, `1_000`,
 * `12abc`, `1.2.3`, `1,5` without decimalComma, `2.5` with it, ...) is `nonNumeric`.
 */
export function classifyField(text: string, decimalComma: boolean): FieldClass {
  let a = 0;
  let b = text.length;
  while (a < b && isAsciiSpace(text.charCodeAt(a))) a++;
  while (b > a && isAsciiSpace(text.charCodeAt(b - 1))) b--;
  if (a === b) return EMPTY_FIELD;
  const t = a === 0 && b === text.length ? text : text.slice(a, b);
  if (decimalComma ? PLAIN_COMMA.test(t) : PLAIN_DOT.test(t)) {
    const value = Number(decimalComma ? t.replace(',', '.') : t);
    if (value === Infinity || value === -Infinity) return INFINITE;
    return { kind: 'number', value };
  }
  if (decimalComma && THOUSANDS_DOT.test(t)) {
    const value = Number(t.replace(/\./g, '').replace(',', '.'));
    if (value === Infinity || value === -Infinity) return INFINITE;
    return { kind: 'number', value };
  }
  if (t.length <= 9) {
    const lower = t.toLowerCase();
    if (NA_WORDS.has(lower)) return NA;
    if (INF_WORDS.has(lower)) return INFINITE;
  }
  return NON_NUMERIC;
}

/**
 * Convenience: the finite value of a plain decimal field, or NaN for anything else (empty, NA
 * markers, infinities including overflowing decimals such as `1e999`, non-numeric text).
 */
export function parseDecimalString(text: string, decimalComma: boolean): number {
  const k = classifyField(text, decimalComma);
  return k.kind === 'number' ? k.value : NaN;
}
