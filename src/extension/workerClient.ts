import { Worker } from 'node:worker_threads';
import { fromSerialized, LossInspectorError } from '../core/errors';
import type { FamilyReport } from '../shared/webviewProtocol';
import type { ColumnRequest } from '../core/tasks/regression/columns';
import type { FileInfo } from '../engine/inspect';
import type { TaskSetting } from '../shared/webviewProtocol';
import type { AnyCompareReport } from '../core/compare/report';
import type { AnalyzeSettings, CompareSettings, FromWorker, InspectedMessage, SourceSpec, ToWorker } from '../shared/workerProtocol';
import type { IDisposable } from './dispose';
import { takeWorker } from './workerSpares';

/** The part of `vscode.CancellationToken` a job listens to (structural: no `vscode` import here). */
export interface CancellationSignal {
  readonly isCancellationRequested: boolean;
  onCancellationRequested(listener: () => void): IDisposable;
}

/**
 * One job in its own worker thread. The extension host never reads or scans data itself.
 * `cancel()`, or the token's cancellation, terminates the worker at once; the pending promise
 * rejects with code 'cancelled'.
 */
export class WorkerJob<T> {
  private readonly worker: Worker;
  private settled = false;
  private readonly onCancel: IDisposable | undefined;
  readonly result: Promise<T>;
  /** Settles when the worker thread has ended (after a result, an error or cancel()). */
  readonly exited: Promise<void>;
  private rejectFn: (e: Error) => void = () => undefined;

  constructor(workerScript: string, request: ToWorker, onProgress?: (done: number, total: number) => void, token?: CancellationSignal) {
    this.worker = takeWorker(workerScript);
    this.exited = new Promise((resolve) => this.worker.once('exit', () => resolve()));
    this.result = new Promise<T>((resolve, reject) => {
      this.rejectFn = reject;
      this.worker.on('message', (m: FromWorker) => {
        switch (m.type) {
          case 'progress':
            onProgress?.(m.done, m.total);
            return;
          case 'report':
            this.finish(() => resolve(m.report as T));
            return;
          case 'compareReport':
            this.finish(() => resolve(m.report as T));
            return;
          case 'inspected':
            this.finish(() => resolve({ info: m.info, task: m.task, labels: m.labels } as T));
            return;
          case 'error':
            this.finish(() => reject(fromSerialized(m.error)));
            return;
        }
      });
      this.worker.on('error', (e) =>
        this.finish(() => reject(new LossInspectorError('internal', `The Loss Inspector worker failed: ${e.message}. Try again; if it keeps failing, please report it.`))),
      );
      this.worker.on('exit', (code) =>
        this.finish(() => reject(new LossInspectorError('internal', `The Loss Inspector worker stopped unexpectedly (exit code ${code}). Try again.`))),
      );
    });
    this.result.catch(() => undefined);
    this.worker.postMessage(request);
    this.onCancel = token?.onCancellationRequested(() => this.cancel());
    if (token?.isCancellationRequested) this.cancel();
  }

  private finish(f: () => void): void {
    if (this.settled) return;
    this.settled = true;
    this.onCancel?.dispose();
    f();
    void this.worker.terminate();
  }

  cancel(): void {
    this.finish(() => this.rejectFn(new LossInspectorError('cancelled', 'The computation was cancelled.')));
  }
}

/** What inspecting a file tells: its columns, and (when a task was given) the family it gets. */
export interface Inspected {
  info: FileInfo;
  task?: InspectedMessage['task'];
  labels?: string[];
}

export function inspectInWorker(script: string, source: SourceSpec, token?: CancellationSignal, task?: { choice: TaskSetting; columns: ColumnRequest }): WorkerJob<Inspected> {
  return new WorkerJob<Inspected>(script, { type: 'inspect', source, task }, undefined, token);
}

export function analyzeInWorker(
  script: string,
  source: SourceSpec,
  settings: AnalyzeSettings,
  onProgress: (done: number, total: number) => void,
  token?: CancellationSignal,
): WorkerJob<FamilyReport> {
  return new WorkerJob<FamilyReport>(script, { type: 'analyze', source, settings }, onProgress, token);
}

/** Compare Loss: two or more files joined and computed in one worker (engine/compare.ts), the first deciding the rows. */
export function compareInWorker(
  script: string,
  sources: SourceSpec[],
  settings: CompareSettings,
  onProgress: (done: number, total: number) => void,
  token?: CancellationSignal,
): WorkerJob<AnyCompareReport> {
  return new WorkerJob<AnyCompareReport>(script, { type: 'compare', sources, settings }, onProgress, token);
}
