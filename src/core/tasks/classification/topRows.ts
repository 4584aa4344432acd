/**
 * The K rows with the largest key, ties to the earlier line, in O(log K) per row kept: a binary
 * heap whose root is the row that would leave first (smallest key, latest line). For the most
 * confidently wrong rows: per true label, the K lowest scores (a positive scored low) and the K
 * highest (a negative scored high), in both of which the loss grows with the key.
 */
export class TopRows {
  /** line, key, pairs; `n` of them. */
  private readonly h: Float64Array;
  n = 0;

  constructor(private readonly k: number) {
    this.h = new Float64Array(2 * Math.max(0, k));
  }

  /** Whether (key, line) would be kept: any row while there is room, else one worse than the root. */
  wants(key: number, line: number): boolean {
    if (this.n < this.k) return true;
    return this.k > 0 && after(this.h[1], this.h[0], key, line);
  }

  push(key: number, line: number): void {
    const h = this.h;
    if (this.n < this.k) {
      let i = this.n++;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (!after(key, line, h[2 * p + 1], h[2 * p])) break;
        h[2 * i] = h[2 * p];
        h[2 * i + 1] = h[2 * p + 1];
        i = p;
      }
      h[2 * i] = line;
      h[2 * i + 1] = key;
      return;
    }
    if (!this.wants(key, line)) return;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= this.k) break;
      const r = l + 1;
      let c = l;
      if (r < this.k && after(h[2 * r + 1], h[2 * r], h[2 * l + 1], h[2 * l])) c = r;
      if (!after(h[2 * c + 1], h[2 * c], key, line)) break;
      h[2 * i] = h[2 * c];
      h[2 * i + 1] = h[2 * c + 1];
      i = c;
    }
    h[2 * i] = line;
    h[2 * i + 1] = key;
  }

  /** The rows kept, [line, key] pairs, worst first (largest key, then earliest line). */
  rows(): [number, number][] {
    const out: [number, number][] = [];
    for (let i = 0; i < this.n; i++) out.push([this.h[2 * i], this.h[2 * i + 1]]);
    return out.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  }
}

/** Whether row (key1, line1) leaves before row (key2, line2): a smaller key, or equal and later. */
function after(key1: number, line1: number, key2: number, line2: number): boolean {
  return key1 < key2 || (key1 === key2 && line1 > line2);
}
