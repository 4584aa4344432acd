/**
 * XXH64 (seed 0), streamed: what a zstd frame's optional content checksum holds (its low 32
 * bits). fzstd skips that checksum; compressed.ts checks it with this, so a damaged zstd file is
 * refused rather than read as other numbers. 64-bit words are (hi, lo) pairs of uint32, products
 * formed from 16-bit limbs (exact in doubles); results are left in RH/RL to avoid allocations.
 */
let RH = 0;
let RL = 0;

function mul(aH: number, aL: number, bH: number, bL: number): void {
  const a0 = aL & 0xffff, a1 = aL >>> 16, a2 = aH & 0xffff, a3 = aH >>> 16;
  const b0 = bL & 0xffff, b1 = bL >>> 16, b2 = bH & 0xffff, b3 = bH >>> 16;
  const c0 = a0 * b0;
  const c1 = a1 * b0 + a0 * b1 + (c0 >>> 16);
  const c2 = a2 * b0 + a1 * b1 + a0 * b2 + Math.floor(c1 / 65536);
  const c3 = a3 * b0 + a2 * b1 + a1 * b2 + a0 * b3 + Math.floor(c2 / 65536);
  RL = (((c1 & 0xffff) << 16) | (c0 & 0xffff)) >>> 0;
  RH = (((c3 & 0xffff) << 16) | (c2 & 0xffff)) >>> 0;
}

function add(aH: number, aL: number, bH: number, bL: number): void {
  const lo = aL + bL;
  RL = lo >>> 0;
  RH = (aH + bH + (lo > 0xffffffff ? 1 : 0)) >>> 0;
}

/** Rotate left by r (0 < r < 32). */
function rotl(h: number, l: number, r: number): void {
  RH = ((h << r) | (l >>> (32 - r))) >>> 0;
  RL = ((l << r) | (h >>> (32 - r))) >>> 0;
}

const P1H = 0x9e3779b1, P1L = 0x85ebca87;
const P2H = 0xc2b2ae3d, P2L = 0x27d4eb4f;
const P3H = 0x165667b1, P3L = 0x9e3779f9;
const P4H = 0x85ebca77, P4L = 0xc2b2ae63;
const P5H = 0x27d4eb2f, P5L = 0x165667c5;

const le32 = (b: Uint8Array, i: number) => (b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24)) >>> 0;

/** round(acc, lane) = rotl(acc + lane·P2, 31)·P1, into RH/RL. */
function round(accH: number, accL: number, laneH: number, laneL: number): void {
  mul(laneH, laneL, P2H, P2L);
  add(accH, accL, RH, RL);
  rotl(RH, RL, 31);
  mul(RH, RL, P1H, P1L);
}

export class Xxh64 {
  /** The four lanes' accumulators, (hi, lo) each: v1 = P1 + P2, v2 = P2, v3 = 0, v4 = −P1 (mod 2⁶⁴). */
  private v = new Uint32Array(8);
  private total = 0;
  private tail = new Uint8Array(32);
  private tailLen = 0;

  constructor() {
    add(P1H, P1L, P2H, P2L);
    this.v[0] = RH;
    this.v[1] = RL;
    this.v[2] = P2H;
    this.v[3] = P2L;
    // −P1 = ~P1 + 1
    add(~P1H >>> 0, ~P1L >>> 0, 0, 1);
    this.v[6] = RH;
    this.v[7] = RL;
  }

  update(data: Uint8Array): void {
    this.total += data.length;
    let i = 0;
    if (this.tailLen) {
      const n = Math.min(32 - this.tailLen, data.length);
      this.tail.set(data.subarray(0, n), this.tailLen);
      this.tailLen += n;
      i = n;
      if (this.tailLen < 32) return;
      this.stripe(this.tail, 0);
      this.tailLen = 0;
    }
    for (; i + 32 <= data.length; i += 32) this.stripe(data, i);
    if (i < data.length) {
      this.tail.set(data.subarray(i), 0);
      this.tailLen = data.length - i;
    }
  }

  private stripe(b: Uint8Array, at: number): void {
    const v = this.v;
    for (let k = 0; k < 4; k++) {
      const o = at + 8 * k;
      round(v[2 * k], v[2 * k + 1], le32(b, o + 4), le32(b, o));
      v[2 * k] = RH;
      v[2 * k + 1] = RL;
    }
  }

  /** The low 32 bits of the digest (what zstd stores). */
  digest32(): number {
    const v = this.v;
    let hH: number, hL: number;
    if (this.total >= 32) {
      rotl(v[0], v[1], 1);
      let sH = RH, sL = RL;
      rotl(v[2], v[3], 7);
      add(sH, sL, RH, RL);
      sH = RH;
      sL = RL;
      rotl(v[4], v[5], 12);
      add(sH, sL, RH, RL);
      sH = RH;
      sL = RL;
      rotl(v[6], v[7], 18);
      add(sH, sL, RH, RL);
      hH = RH;
      hL = RL;
      for (let k = 0; k < 4; k++) {
        round(0, 0, v[2 * k], v[2 * k + 1]);
        hH = (hH ^ RH) >>> 0;
        hL = (hL ^ RL) >>> 0;
        mul(hH, hL, P1H, P1L);
        add(RH, RL, P4H, P4L);
        hH = RH;
        hL = RL;
      }
    } else {
      hH = P5H;
      hL = P5L;
    }
    add(hH, hL, Math.floor(this.total / 4294967296) >>> 0, this.total >>> 0);
    hH = RH;
    hL = RL;
    const b = this.tail;
    const n = this.tailLen;
    let i = 0;
    for (; i + 8 <= n; i += 8) {
      round(0, 0, le32(b, i + 4), le32(b, i));
      hH = (hH ^ RH) >>> 0;
      hL = (hL ^ RL) >>> 0;
      rotl(hH, hL, 27);
      mul(RH, RL, P1H, P1L);
      add(RH, RL, P4H, P4L);
      hH = RH;
      hL = RL;
    }
    if (i + 4 <= n) {
      mul(0, le32(b, i), P1H, P1L);
      hH = (hH ^ RH) >>> 0;
      hL = (hL ^ RL) >>> 0;
      rotl(hH, hL, 23);
      mul(RH, RL, P2H, P2L);
      add(RH, RL, P3H, P3L);
      hH = RH;
      hL = RL;
      i += 4;
    }
    for (; i < n; i++) {
      mul(0, b[i], P5H, P5L);
      hH = (hH ^ RH) >>> 0;
      hL = (hL ^ RL) >>> 0;
      rotl(hH, hL, 11);
      mul(RH, RL, P1H, P1L);
      hH = RH;
      hL = RL;
    }
    // avalanche
    hL = (hL ^ (hH >>> 1)) >>> 0;
    mul(hH, hL, P2H, P2L);
    hH = RH;
    hL = RL;
    hL = (hL ^ ((hL >>> 29) | (hH << 3))) >>> 0;
    hH = (hH ^ (hH >>> 29)) >>> 0;
    mul(hH, hL, P3H, P3L);
    hH = RH;
    hL = RL;
    hL = (hL ^ hH) >>> 0;
    return hL;
  }
}
