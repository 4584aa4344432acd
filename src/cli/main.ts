/**
 * The command-line tool's entry (dist/cli.js): V8 tuning for a batch process, then main().
 * Apart from cli.ts so that importing the CLI (tests) runs nothing.
 */
import * as v8 from 'node:v8';
import { toUserError } from '../core/errors';
import { forTerminal } from '../core/format';
import { main } from './cli';

/**
 * V8 tuning for a process that is one batch job (the CLI's own process; never the extension host,
 * whose V8 is shared). With concurrent recompilation, TurboFan compiles on background threads; on
 * a machine with few cores those compete with the scanning threads, and the hot loops run
 * unoptimized code until their compile gets a core. Compiling on the thread that needs the code
 * measured faster (docs/performance.md, Threads). The flag
 * is read when an isolate starts, so it reaches only the scan workers started after this, which is
 * why analyze() is asked to scan on workers only (`callerScans: false`): with this thread scanning
 * too (its isolate keeps concurrent compiles) there was no gain.
 */
function batchTuning(): void {
  // Node keeps V8's flags writable (it starts V8 with --no-freeze-flags-after-init); with frozen
  // flags, setFlagsFromString would not throw but abort the process, so leave them alone then.
  if (process.execArgv.some((a) => a === '--freeze-flags-after-init' || a === '--freeze_flags_after_init')) return;
  v8.setFlagsFromString('--no-concurrent-recompilation');
}

batchTuning();
main(process.argv.slice(2)).then(
  (code) => {
    // Exit once stdout is flushed, whatever handle might still be open: a CLI must end.
    process.stdout.write('', () => process.exit(code));
  },
  (e: unknown) => {
    process.stderr.write(`loss-inspector: ${forTerminal(toUserError(e).message)}\n`);
    process.exitCode = 1;
  },
);
