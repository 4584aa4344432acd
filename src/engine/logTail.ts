/**
 * Follows training logs while their runs write them (issue #17, live): each `poll()` reads only
 * the bytes appended since the last one (from the end of the last complete record) into the
 * file's LogReader. A file that shrank, was replaced (a new inode) or changed before the read
 * position — Lightning rewrites metrics.csv when a new metric appears, the Trainer rewrites
 * trainer_state.json at each save — is read again from the start. Memory stays bounded: the
 * readers decimate their series.
 */
import * as fs from 'node:fs';
import type { FileKind } from '../core/trainingLog/plan';
import type { LogOptions, LogReader } from '../core/trainingLog/reader';
import type { AnyLogReport, TrainingLogReport } from '../core/trainingLog/report';
import { compressionOf } from './compressed';
import { inspectFile } from './inspect';
import { openFileSource } from './source';
import { disambiguate, logPlanOf, readLog } from './trainingLog';

/** Bytes compared at the start of the file to notice a rewrite (the header line, mostly). */
const HEAD_CHECK = 4096;
/** Largest read per poll (a run that wrote a lot at once is caught up over several polls). */
const MAX_READ = 16 << 20;

interface Followed {
  path: string;
  name: string;
  reader: LogReader;
  ino: number;
  head: Buffer;
  /** Whether the file is appended to (CSV, JSON Lines); a JSON document is rewritten whole. */
  appends: boolean;
  /** Modification time when last looked at (a rewrite of the same size changes it). */
  mtimeMs: number;
}

/** How many bytes each poll read, for tests (reading only appended bytes is the point). */
export interface TailStats {
  bytesRead: number;
  rereads: number;
}

export class LogTail {
  private readonly files: Followed[] = [];
  readonly stats: TailStats = { bytesRead: 0, rereads: 0 };

  constructor(
    paths: readonly { path: string; name: string }[],
    private readonly opts: LogOptions & { kind?: FileKind },
  ) {
    for (const p of paths) this.files.push(this.open(p.path, p.name));
  }

  private open(path: string, name: string): Followed {
    // Looked at before reading: whatever is written after shows in the next poll.
    const st = fs.statSync(path);
    const src = openFileSource(path, name);
    try {
      const info = inspectFile(src);
      // A file followed as a log stays one (kind log), even if a rewrite made it look otherwise.
      const plan = logPlanOf(src, info, this.opts.kind === 'log' ? 'log' : 'auto') ?? logPlanOf(src, info, 'log');
      if (!plan) throw new Error('unreachable: a log plan for kind log');
      // A compressed file cannot be entered in the middle; a JSON document is rewritten whole.
      const appends = info.format !== 'json' && compressionOf(name) === undefined;
      const reader = readLog(src, info, plan, this.opts, !appends);
      this.stats.bytesRead += reader.offset;
      return { path, name, reader, ino: st.ino, head: readAt(path, 0, Math.min(HEAD_CHECK, reader.offset)), appends, mtimeMs: st.mtimeMs };
    } finally {
      src.close();
    }
  }

  /** Reads what was appended to each file; true when any file changed. */
  poll(): boolean {
    let changed = false;
    this.files.forEach((f, i) => {
      let st: fs.Stats;
      try {
        st = fs.statSync(f.path);
      } catch {
        return; // gone for now (a rename in progress): the next poll looks again
      }
      if (st.size === f.reader.offset && st.mtimeMs === f.mtimeMs && st.ino === f.ino) return;
      const rewritten = st.ino !== f.ino || st.size < f.reader.offset || !f.appends || !readAt(f.path, 0, f.head.length).equals(f.head);
      if (rewritten) {
        this.stats.rereads++;
        this.files[i] = this.open(f.path, f.name);
        changed = true;
        return;
      }
      const from = f.reader.offset;
      const n = Math.min(st.size - from, MAX_READ);
      if (n > 0) {
        const bytes = readAt(f.path, from, n);
        this.stats.bytesRead += bytes.length;
        f.reader.push(bytes);
        changed = true;
      }
      f.mtimeMs = st.mtimeMs;
    });
    return changed;
  }

  report(): AnyLogReport {
    const runs: TrainingLogReport[] = this.files.map((f) => f.reader.report());
    if (runs.length === 1) return runs[0];
    disambiguate(runs);
    return { version: 1, kind: 'trainingLogRuns', runs };
  }
}

function readAt(path: string, position: number, length: number): Buffer {
  const fd = fs.openSync(path, 'r');
  try {
    const buf = Buffer.alloc(length);
    let n = 0;
    while (n < length) {
      const r = fs.readSync(fd, buf, n, length - n, position + n);
      if (r === 0) break;
      n += r;
    }
    return buf.subarray(0, n);
  } finally {
    fs.closeSync(fd);
  }
}
