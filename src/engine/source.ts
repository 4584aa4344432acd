import * as fs from 'node:fs';
import { LossInspectorError, toUserError } from '../core/errors';

/** Where the bytes come from: a file on disk (streamed) or bytes handed over (virtual files). */
export interface ByteSource {
  readonly name: string;
  readonly size: number;
  /** Reads up to `length` bytes at absolute `position` into `buf[offset…]`; returns the count. */
  read(buf: Uint8Array, offset: number, length: number, position: number): number;
  close(): void;
  /** The path, when the source is a local file (parallel workers reopen it). */
  readonly path?: string;
  /** Throws when the file changed (size or modification time) since it was opened. */
  verifyUnchanged?(): void;
}

export function openFileSource(path: string, displayName = path): ByteSource {
  let st: fs.Stats;
  try {
    st = fs.statSync(path);
  } catch (e) {
    throw toUserError(e, displayName);
  }
  if (st.isDirectory()) {
    throw new LossInspectorError('isDirectory', `The path '${displayName}' is a directory, not a data file.`, { file: displayName });
  }
  if (!st.isFile()) {
    // FIFOs, sockets and devices would block or never end: refuse them before opening.
    throw new LossInspectorError('notAFile', `'${displayName}' is not a regular file (it is a pipe, socket or device), so it cannot be read as data.`, {
      file: displayName,
    });
  }
  let fd: number;
  try {
    fd = fs.openSync(path, 'r');
  } catch (e) {
    throw toUserError(e, displayName);
  }
  const size = st.size;
  return {
    name: displayName,
    size,
    path,
    verifyUnchanged() {
      let now: fs.Stats;
      try {
        now = fs.fstatSync(fd);
      } catch (e) {
        throw toUserError(e, displayName);
      }
      if (now.size !== st.size || now.mtimeMs !== st.mtimeMs) {
        throw new LossInspectorError(
          'fileChanged',
          `'${displayName}' changed while it was being read (it is now ${now.size} bytes, was ${st.size}); run Compute Loss again once it is complete.`,
          { file: displayName },
        );
      }
    },
    read(buf, offset, length, position) {
      try {
        return fs.readSync(fd, buf, offset, length, position);
      } catch (e) {
        throw toUserError(e, displayName);
      }
    },
    close() {
      try {
        fs.closeSync(fd);
      } catch {
        // already closed
      }
    },
  };
}

export function memorySource(bytes: Uint8Array, name: string): ByteSource {
  return {
    name,
    size: bytes.length,
    read(buf, offset, length, position) {
      const n = Math.max(0, Math.min(length, bytes.length - position));
      buf.set(bytes.subarray(position, position + n), offset);
      return n;
    },
    close() {},
  };
}
