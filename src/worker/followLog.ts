/** The worker's side of following training logs (src/shared/logProtocol.ts). */
import { toUserError } from '../core/errors';
import { LogTail } from '../engine/logTail';
import { inspectFile } from '../engine/inspect';
import { openFileSource } from '../engine/source';
import { logPlanOf } from '../engine/trainingLog';
import type { FollowLogRequest, FromLogWorker } from '../shared/logProtocol';

/** How often the files are looked at: new points show within about a second. */
export const POLL_MS = 250;

export function followLog(msg: FollowLogRequest, post: (m: FromLogWorker) => void): void {
  const first = msg.files[0];
  const src = openFileSource(first.path, first.name);
  let isLog: boolean;
  try {
    isLog = logPlanOf(src, inspectFile(src), msg.settings.kind) !== undefined;
  } finally {
    src.close();
  }
  if (!isLog) {
    post({ type: 'notLog' });
    return;
  }
  const tail = new LogTail(msg.files, msg.settings);
  post({ type: 'logReport', report: tail.report() });
  if (!msg.live) return;
  const timer = setInterval(() => {
    try {
      if (tail.poll()) post({ type: 'logReport', report: tail.report() });
    } catch (e) {
      clearInterval(timer);
      post({ type: 'error', error: toUserError(e, first.name).toJSON() });
    }
  }, POLL_MS);
}
