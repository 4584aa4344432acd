import * as fs from 'node:fs';
import { LossInspectorError, toUserError } from '../core/errors';
import type { FileIdentity } from '../core/fileInfo';
import type { ByteSource } from './byteSource';
import { maybeDecompress } from './compressed';

export type { ByteSource, FileIdentity };

function identityOf(st: fs.Stats): FileIdentity {
  return { dev: st.dev, ino: st.ino, size: st.size, mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs, nlink: st.nlink };
}

function sameIdentity(a: FileIdentity, b: FileIdentity): boolean {
  return a.dev === b.dev && a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs;
}

function changed(displayName: string, now: FileIdentity, was: FileIdentity): LossInspectorError {
  const how =
    now.size !== was.size
      ? `it is now ${now.size} bytes, was ${was.size}`
      : now.ino !== was.ino || now.dev !== was.dev || now.nlink === 0
        ? 'another file was put in its place, or it was deleted'
        : 'it was rewritten';
  return new LossInspectorError(
    'fileChanged',
    `'${displayName}' changed while it was being read (${how}); run Compute Loss again once it is complete.`,
    { file: displayName },
  );
}

/**
 * Opening flags: read-only and non-blocking. A FIFO with no writer (or some devices) would make a
 * plain open() wait forever; non-blocking, open() returns at once and fstat tells what was opened.
 * On a regular file O_NONBLOCK changes nothing (reads of files never block). Windows has no
 * O_NONBLOCK (and no FIFOs in the file system), so it is 0 there.
 */
const OPEN_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0);

function notAFile(displayName: string): LossInspectorError {
  return new LossInspectorError('notAFile', `'${displayName}' is not a regular file (it is a pipe, socket or device), so it cannot be read as data.`, {
    file: displayName,
  });
}

/**
 * Opens a local file: its bytes, or its decompressed text when its name (`displayName`) ends in a
 * compression suffix (compressed.ts). With `expect` (a scan worker opening the file the analysis opened), the file
 * now at `path` must be that same file, unchanged: otherwise its ranges would mix two versions.
 */
export function openFileSource(path: string, displayName = path, expect?: FileIdentity): ByteSource {
  return maybeDecompress(openRawFile(path, displayName, expect));
}

/** The file's bytes as they are on disk. */
export function openRawFile(path: string, displayName = path, expect?: FileIdentity): ByteSource {
  // A first look by path: directories and devices are refused without opening them.
  let seen: fs.Stats;
  try {
    seen = fs.statSync(path);
  } catch (e) {
    throw toUserError(e, displayName);
  }
  if (seen.isDirectory()) {
    throw new LossInspectorError('isDirectory', `The path '${displayName}' is a directory, not a data file.`, { file: displayName });
  }
  if (!seen.isFile()) throw notAFile(displayName);
  // The path may name something else by the time it is opened (a file replaced by a FIFO, say):
  // open without blocking, then check what was opened, and read only that.
  let fd: number;
  try {
    fd = fs.openSync(path, OPEN_FLAGS);
  } catch (e) {
    throw toUserError(e, displayName);
  }
  let st: fs.Stats;
  try {
    st = fs.fstatSync(fd);
  } catch (e) {
    fs.closeSync(fd);
    throw toUserError(e, displayName);
  }
  if (!st.isFile()) {
    fs.closeSync(fd);
    if (st.isDirectory()) {
      throw new LossInspectorError('isDirectory', `The path '${displayName}' is a directory, not a data file.`, { file: displayName });
    }
    throw notAFile(displayName);
  }
  const identity = identityOf(st);
  if (expect && !sameIdentity(identity, expect)) {
    fs.closeSync(fd);
    throw changed(displayName, identity, expect);
  }
  return {
    name: displayName,
    size: identity.size,
    path,
    identity,
    verifyUnchanged() {
      let now: FileIdentity;
      try {
        now = identityOf(fs.fstatSync(fd));
      } catch (e) {
        throw toUserError(e, displayName);
      }
      if (!sameIdentity(now, identity)) throw changed(displayName, now, identity);
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

/** Bytes handed over (a virtual file), decompressed when `name` ends in a compression suffix. */
export function memorySource(bytes: Uint8Array, name: string): ByteSource {
  return maybeDecompress(rawMemorySource(bytes, name));
}

export function rawMemorySource(bytes: Uint8Array, name: string): ByteSource {
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
