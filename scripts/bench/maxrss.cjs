// Preloaded with `node --require` by bench.mjs when GNU time (/usr/bin/time) is not
// installed: on exit of the main thread, writes the process's peak RSS in KiB
// (getrusage ru_maxrss, all threads) to $BENCH_MAXRSS_FILE.
'use strict';
const out = process.env.BENCH_MAXRSS_FILE;
if (out && require('node:worker_threads').isMainThread) {
  process.on('exit', () => {
    try {
      require('node:fs').writeFileSync(out, String(process.resourceUsage().maxRSS) + '\n');
    } catch {
      /* nothing to report to */
    }
  });
}
