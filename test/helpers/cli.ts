/** Test helpers: what `loss-inspector FILE FLAGS… --json` computes, in-process (the CLI's own argument parsing). */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { CliArgs, main, optionsOf, parseArgs } from '../../src/cli/cli';
import { AnalyzeOptions, analyzeFile } from '../../src/engine/analyze';
import { openFileSource } from '../../src/engine/source';
import type { FamilyReport } from '../../src/core/families';
import type { ClassificationReport } from '../../src/core/tasks/classification/report';
import type { Report } from '../../src/core/tasks/regression/report';

/** What `loss-inspector FILE FLAGS… --json` computes, in-process; `over` adds scan options. */
export async function analyzeArgs(file: string, flags: string[] = [], over: Partial<AnalyzeOptions> = {}): Promise<FamilyReport> {
  const args = parseArgs([file, ...flags]) as CliArgs;
  assert.equal(typeof args, 'object');
  const src = openFileSource(file);
  try {
    return await analyzeFile(src, { ...optionsOf(args), ...over });
  } finally {
    src.close();
  }
}

export function isClass(r: FamilyReport): r is Exclude<FamilyReport, Report> {
  return 'task' in r;
}

/** A binary classification report, or a failure saying what came instead. */
export async function classify(file: string, flags: string[] = [], over: Partial<AnalyzeOptions> = {}): Promise<ClassificationReport> {
  const r = await analyzeArgs(file, flags, over);
  assert.ok(isClass(r), `${path.basename(file)} ${flags.join(' ')}: a classification report, not regression`);
  assert.equal(r.task, 'binary', `${path.basename(file)} ${flags.join(' ')}: binary`);
  return r as ClassificationReport;
}

/**
 * Runs the CLI's main() in this process and collects what it writes to stdout and stderr; with
 * `cwd`, from that folder (so that files are named as typed).
 */
export async function runMain(argv: string[], cwd?: string): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const ow = process.stdout.write;
  const ew = process.stderr.write;
  const grab = (to: string[]) =>
    ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      to.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      const cb = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
      cb?.();
      return true;
    }) as typeof process.stdout.write;
  const was = process.cwd();
  if (cwd !== undefined) process.chdir(cwd);
  process.stdout.write = grab(out);
  process.stderr.write = grab(err);
  let code: number;
  try {
    code = await main(argv);
  } finally {
    process.stdout.write = ow;
    process.stderr.write = ew;
    process.chdir(was);
  }
  return { code, out: out.join(''), err: err.join('') };
}
