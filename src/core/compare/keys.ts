/**
 * The key column's values of two compared files, interned to dense ids shared by both (the same
 * value in A and in B has one id). A GroupKeys for the readers (they intern a group-by value
 * through it, from the record's bytes), but unbounded: a key has one value per row, where a
 * group-by column stops at MAX_GROUPS. Memory: one string and one Map entry per distinct value.
 */
import { GroupKeys } from '../groups';

const decoder = new TextDecoder('utf-8');

export class KeyIds extends GroupKeys {
  private readonly ids = new Map<string, number>();

  override id(buf: Uint8Array, start: number, end: number): number {
    return this.idOfLabel(decoder.decode(buf.subarray(start, end)));
  }

  override idOfLabel(label: string): number {
    let id = this.ids.get(label);
    if (id === undefined) {
      id = this.labels.length;
      this.ids.set(label, id);
      this.labels.push(label);
    }
    return id;
  }

  override emptyId(): number {
    return this.idOfLabel('');
  }

  /** The id of a value already seen, or −1. */
  find(label: string): number {
    return this.ids.get(label) ?? -1;
  }
}
