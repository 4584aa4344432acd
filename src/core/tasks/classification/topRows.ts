/**
 * The K rows with the largest key, ties to the earlier line, in O(log K) per row kept: a binary
 * heap whose root is the row that would leave first (smallest key, latest line). For the most
 * confidently wrong rows: per true label, the K lowest scores (a positive scored low) and the K
 * highest (a negative scored high), in both of which the loss grows with the key.
 */
export class TopRows {
  /** line, key, value triples; `n` of them. */
  private readonly h: Float64Array;
  n = 0;

  constructor(private readonly k: number) {
    this.h = new Float64Array(3 * Math.max(0, k));
  }

  /** Whether (key, line) would be kept: any row while there is room, else one worse than the root. */
  wants(key: number, line: number): boolean {
    if (this.n < this.k) return true;
    return this.k > 0 && after(this.h[1], this.h[0], key, line);
  }

  /** Keeps the row if wanted; `value` (default: the key) is what rows() returns with its line. */
  push(key: number, line: number, value = key): void {
    const h = this.h;
    if (this.n < this.k) {
      let i = this.n++;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (!after(key, line, h[3 * p + 1], h[3 * p])) break;
        h.copyWithin(3 * i, 3 * p, 3 * p + 3);
        i = p;
      }
      h[3 * i] = line;
      h[3 * i + 1] = key;
      h[3 * i + 2] = value;
      return;
    }
    if (!this.wants(key, line)) return;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= this.k) break;
      const r = l + 1;
      let c = l;
      if (r < this.k && after(h[3 * r + 1], h[3 * r], h[3 * l + 1], h[3 * l])) c = r;
      if (!after(h[3 * c + 1], h[3 * c], key, line)) break;
      h.copyWithin(3 * i, 3 * c, 3 * c + 3);
      i = c;
    }
    h[3 * i] = line;
    h[3 * i + 1] = key;
    h[3 * i + 2] = value;
  }

  /** The rows kept, [line, value] pairs, worst first (largest key, then earliest line). */
  rows(): [number, number][] {
    const out: [number, number, number][] = [];
    for (let i = 0; i < this.n; i++) out.push([this.h[3 * i], this.h[3 * i + 1], this.h[3 * i + 2]]);
    return out.sort((a, b) => b[1] - a[1] || a[0] - b[0]).map(([line, , value]) => [line, value]);
  }
}

/** Whether row (key1, line1) leaves before row (key2, line2): a smaller key, or equal and later. */
function after(key1: number, line1: number, key2: number, line2: number): boolean {
  return key1 < key2 || (key1 === key2 && line1 > line2);
}
