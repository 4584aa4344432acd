// Runs src/worker/worker.ts in a worker thread under tsx, so unit tests exercise the parallel
// engine from the sources without a build.
require('tsx/cjs/api').register();
require('../../src/worker/worker.ts');
