/**
 * Group-by support: the values of a categorical column, interned from the scanners' bytes without
 * a string per row, and the per-group partial results that cross thread boundaries.
 *
 * A group's key is the UTF-8 encoding of its label (the field's text, unquoted; a JSON string's
 * decoded text; a JSON number or literal as written), so one label always has one key and the
 * per-block sums of a group do not depend on how the file was split between threads.
 */

/** More distinct values than this and the column is not treated as categorical (no groups). */
export const MAX_GROUPS = 1000;

const TABLE_BITS = 12; // 4096 slots for ≤ 1000 keys: load ≤ 0.25
const TABLE_MASK = (1 << TABLE_BITS) - 1;
const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8');
const EMPTY = new Uint8Array(0);

/** Interns group labels by their bytes; ids are dense, in order of first appearance. */
export class GroupKeys {
  readonly labels: string[] = [];
  /** Set once a value beyond MAX_GROUPS was seen; `id` then returns −1 for new values. */
  overflow = false;
  private readonly keys: Uint8Array[] = [];
  private readonly slots = new Int32Array(TABLE_MASK + 1).fill(-1);
  private readonly hashes = new Int32Array(TABLE_MASK + 1);

  /** The id of the label whose UTF-8 bytes are buf[start, end); −1 after overflow. */
  id(buf: Uint8Array, start: number, end: number): number {
    let h = 0x811c9dc5 | 0;
    for (let i = start; i < end; i++) h = Math.imul(h ^ buf[i], 0x01000193);
    let s = h & TABLE_MASK;
    const len = end - start;
    for (;;) {
      const id = this.slots[s];
      if (id < 0) break;
      if (this.hashes[s] === h) {
        const k = this.keys[id];
        if (k.length === len) {
          let j = 0;
          while (j < len && k[j] === buf[start + j]) j++;
          if (j === len) return id;
        }
      }
      s = (s + 1) & TABLE_MASK;
    }
    if (this.labels.length >= MAX_GROUPS) {
      this.overflow = true;
      return -1;
    }
    const key = buf.slice(start, end);
    const id = this.labels.length;
    this.keys.push(key);
    this.labels.push(decoder.decode(key));
    this.slots[s] = id;
    this.hashes[s] = h;
    return id;
  }

  /** The id of the empty label (a missing or empty group-by value). */
  emptyId(): number {
    return this.id(EMPTY, 0, 0);
  }

  /** The id of a label given as text (the rare paths: escaped or doubled quotes). */
  idOfLabel(label: string): number {
    const b = encoder.encode(label);
    return this.id(b, 0, b.length);
  }
}

/**
 * A map from group labels to values that does not rely on V8's string hash: V8 hashes a string
 * longer than 16,383 characters by its length alone, so a Map keyed by 1000 such labels of one
 * length (IDs padded to a width, long paths) compares every new label with all the others, each
 * comparison as long as the label. Labels are keyed here by FNV-1a over all their characters.
 */
export class LabelMap<V> {
  private readonly buckets = new Map<number, { label: string; value: V }[]>();
  /** Every entry, in order of first insertion (as a Map iterates). */
  private readonly order: { label: string; value: V }[] = [];

  get size(): number {
    return this.order.length;
  }

  /** The hash used as the key (exported for tests: distinct labels should rarely share one). */
  static hash(label: string): number {
    let h = 0x811c9dc5 | 0;
    for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 0x01000193);
    return h;
  }

  get(label: string): V | undefined {
    const b = this.buckets.get(LabelMap.hash(label));
    if (b) for (const e of b) if (e.label === label) return e.value;
    return undefined;
  }

  set(label: string, value: V): void {
    const h = LabelMap.hash(label);
    let b = this.buckets.get(h);
    if (!b) this.buckets.set(h, (b = []));
    for (const e of b) {
      if (e.label === label) {
        e.value = value;
        return;
      }
    }
    const e = { label, value };
    b.push(e);
    this.order.push(e);
  }

  /** The entries in order of first insertion. */
  *entries(): IterableIterator<[string, V]> {
    for (const e of this.order) yield [e.label, e.value];
  }
}
