/**
 * A spare worker thread, started before the job that will need it. Starting a worker (a V8
 * isolate, then loading and compiling dist/worker.js) takes 40–150 ms on a 2-core machine, and a
 * report's first run needs up to three in a row (the training-log check, the columns, the
 * analysis): with spares on, each job takes the spare and the next spare starts at once, in the
 * background. A worker never serves a second job (each job still terminates its worker), so no
 * job's heap outlives it and a spare is always fresh; while spare it is unref'd, so it never keeps
 * a process alive. Off unless the extension turns it on (tests see one new worker per job).
 */
import { Worker } from 'node:worker_threads';

let enabled = false;
const spares = new Map<string, Worker>();

/** A worker for one job: the spare of `script` if there is one (then the next spare starts), else a new one. */
export function takeWorker(script: string): Worker {
  const spare = spares.get(script);
  spares.delete(script);
  if (enabled) startSpare(script);
  if (!spare) return new Worker(script);
  spare.ref();
  spare.removeAllListeners();
  return spare;
}

/** Turns spares on (the extension, at activation) and starts the first; `false` terminates them. */
export function keepSpareWorkers(script: string, on: boolean): void {
  enabled = on;
  if (on) startSpare(script);
  else {
    for (const w of spares.values()) void w.terminate();
    spares.clear();
  }
}

function startSpare(script: string): void {
  if (spares.has(script)) return;
  const w = new Worker(script);
  w.unref();
  // A spare that fails to start is dropped; the next job then starts its own (and sees the error).
  const drop = () => {
    if (spares.get(script) === w) spares.delete(script);
  };
  w.once('error', drop);
  w.once('exit', drop);
  spares.set(script, w);
}
