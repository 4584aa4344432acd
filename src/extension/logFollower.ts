/**
 * A report session's training logs (issue #17): one worker that reads the files, and, while
 * autoRefresh is on, keeps following them (reading only what the run appends) and hands each
 * new report to the session. Stopped when the session recomputes or closes.
 */
import * as vscode from 'vscode';
import { Worker } from 'node:worker_threads';
import { fromSerialized, LossInspectorError } from '../core/errors';
import { FILE_KINDS } from '../core/trainingLog/plan';
import { DEFAULT_SPIKE_K } from '../core/trainingLog/reader';
import type { AnyLogReport } from '../core/trainingLog/report';
import { DEFAULT_SMOOTHING } from '../core/trainingLog/smoothing';
import type { FollowLogRequest, FromLogWorker, LogSettings } from '../shared/logProtocol';
import { num, oneOf, SECTION } from './config';
import { Disposable, toDisposable } from './dispose';
import { takeWorker } from './workerSpares';

/** lossInspector.kind and lossInspector.trainingLog.*, out-of-range values as their defaults. */
export function readLogSettings(scope?: vscode.Uri): LogSettings {
  const c = vscode.workspace.getConfiguration(SECTION, scope);
  return {
    kind: oneOf(c.get('kind'), FILE_KINDS, 'auto'),
    smoothing: num(c.get('trainingLog.smoothing'), DEFAULT_SMOOTHING, (x) => x >= 0 && x <= 0.999),
    spikeK: num(c.get('trainingLog.spikeK'), DEFAULT_SPIKE_K, (x) => x > 1),
  };
}

export class LogFollower extends Disposable {
  private worker: Worker | undefined;
  private settingsUsed = '';

  constructor(private readonly workerScript: string) {
    super();
    this._register(toDisposable(() => this.stop()));
  }

  /** Whether a log is being followed live (the session's file watcher then leaves it alone). */
  get following(): boolean {
    return this.worker !== undefined;
  }

  /** Whether these settings differ from the ones the followed log was read with. */
  changed(settings: LogSettings): boolean {
    return this.worker !== undefined && JSON.stringify(settings) !== this.settingsUsed;
  }

  /**
   * Reads `files` as training logs: resolves false when the first is not one (the session then
   * computes it as predictions), true once the first report was handed to `onReport`; with
   * `live`, later reports follow as the files grow, and `onError` receives a failure.
   */
  follow(files: vscode.Uri[], settings: LogSettings, live: boolean, onReport: (r: AnyLogReport) => void, onError: (e: Error) => void, token: vscode.CancellationToken): Promise<boolean> {
    this.stop();
    const worker = takeWorker(this.workerScript);
    this.worker = worker;
    this.settingsUsed = JSON.stringify(settings);
    return new Promise<boolean>((resolve, reject) => {
      let first = true;
      const cancel = token.onCancellationRequested(() => {
        this.stop(worker);
        if (first) reject(new LossInspectorError('cancelled', 'The computation was cancelled.'));
      });
      const fail = (e: Error) => {
        cancel.dispose();
        this.stop(worker);
        if (first) reject(e);
        else onError(e);
      };
      worker.on('message', (m: FromLogWorker) => {
        if (m.type === 'notLog') {
          cancel.dispose();
          this.stop(worker);
          resolve(false);
        } else if (m.type === 'logReport') {
          if (this.worker !== worker) return; // stopped: a report of a run replaced by a newer one
          onReport(m.report);
          if (first) {
            first = false;
            cancel.dispose();
            if (!live) this.stop(worker);
            resolve(true);
          }
        } else fail(fromSerialized(m.error));
      });
      worker.on('error', (e) => fail(new LossInspectorError('internal', `The Loss Inspector worker failed: ${e.message}.`)));
      const request: FollowLogRequest = { type: 'followLog', files: files.map((u) => ({ path: u.fsPath, name: vscode.workspace.asRelativePath(u, false) })), settings, live };
      worker.postMessage(request);
    });
  }

  /** Stops following (the given worker only, when it is still the current one). */
  stop(worker = this.worker): void {
    if (!worker) return;
    if (this.worker === worker) this.worker = undefined;
    void worker.terminate();
  }
}
