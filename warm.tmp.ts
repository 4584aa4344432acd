import { analyze } from './src/engine/analyze';
import { openFileSource } from './src/engine/source';
(async () => {
  for (const f of process.argv.slice(2)) {
    for (let r = 0; r < 3; r++) {
      const t = performance.now();
      const src = openFileSource(f);
      await analyze(src, { params: { beta: 1, delta: 1 }, topK: 10, bins: 50, threads: 1 });
      src.close();
      console.log(f.split('/').pop(), r, (performance.now() - t).toFixed(0), 'ms');
    }
  }
})();
