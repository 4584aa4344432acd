/**
 * The keys of the records of Hugging Face's trainer_state.json `log_history`, in order of first
 * appearance: training records (loss, grad_norm, learning_rate), evaluation records (eval_loss,
 * eval_accuracy, …) and the closing one differ, and an evaluation may come after hundreds of
 * training records, so every record is looked at (the file is small: a record per logging step).
 */
import { COLON, COMMA, LBRACE, LBRACKET, QUOTE, RBRACE, RBRACKET } from '../readers/bytes';
import { JsonCursor } from '../readers/jsonCursor';
import { HF_LOG_KEY } from './plan';

class KeyWalker extends JsonCursor {
  /** The keys, or undefined when the bytes end first (or the object has no log_history array). */
  walk(buf: Uint8Array, end: number): string[] | undefined {
    let i = buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
    i = this.ws(buf, i, end);
    if (buf[i] !== LBRACE) return undefined;
    i = this.ws(buf, i + 1, end);
    while (i < end && buf[i] === QUOTE) {
      const k = this.skipString(buf, i, end);
      if (k < 0) return undefined;
      const name = this.decodeString(buf, i + 1, k - 1, this.strEsc);
      i = this.ws(buf, k, end);
      if (buf[i] !== COLON) return undefined;
      i = this.ws(buf, i + 1, end);
      if (name === HF_LOG_KEY && buf[i] === LBRACKET) return this.recordKeys(buf, i, end);
      i = this.skipValue(buf, i, end);
      if (i < 0) return undefined;
      i = this.ws(buf, i, end);
      if (buf[i] !== COMMA) return undefined;
      i = this.ws(buf, i + 1, end);
    }
    return undefined;
  }

  private recordKeys(buf: Uint8Array, i: number, end: number): string[] | undefined {
    const seen = new Set<string>();
    const keys: string[] = [];
    i = this.ws(buf, i + 1, end);
    while (i < end && buf[i] === LBRACE) {
      i = this.ws(buf, i + 1, end);
      while (i < end && buf[i] === QUOTE) {
        const k = this.skipString(buf, i, end);
        if (k < 0) return undefined;
        const name = this.decodeString(buf, i + 1, k - 1, this.strEsc);
        if (!seen.has(name)) {
          seen.add(name);
          keys.push(name);
        }
        i = this.ws(buf, k, end);
        if (buf[i] !== COLON) return undefined;
        i = this.skipValue(buf, this.ws(buf, i + 1, end), end);
        if (i < 0) return undefined;
        i = this.ws(buf, i, end);
        if (buf[i] === COMMA) i = this.ws(buf, i + 1, end);
      }
      if (buf[i] !== RBRACE) return undefined;
      i = this.ws(buf, i + 1, end);
      if (buf[i] === COMMA) i = this.ws(buf, i + 1, end);
    }
    return buf[i] === RBRACKET ? keys : undefined;
  }
}

/** The log_history records' keys of a trainer_state.json held in `buf[0, end)`, or undefined. */
export function hfRecordKeys(buf: Uint8Array, end: number, file: string): string[] | undefined {
  try {
    return new KeyWalker(file, false).walk(buf, end);
  } catch {
    return undefined; // a syntax error: the scan finds it and says where
  }
}
