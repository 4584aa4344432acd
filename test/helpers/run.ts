/** Test helpers: run the engine on in-memory text as a user would on a file. */
import { analyze, AnalyzeOptions } from '../../src/engine/analyze';
import { memorySource } from '../../src/engine/source';
import { Report } from '../../src/core/tasks/regression/report';

export function opts(over: Partial<AnalyzeOptions> = {}): AnalyzeOptions {
  return { params: { beta: 1, delta: 1 }, topK: 10, bins: 20, ...over };
}

export function analyzeText(name: string, text: string | Uint8Array, over: Partial<AnalyzeOptions> = {}): Promise<Report> {
  const bytes = typeof text === 'string' ? new TextEncoder().encode(text) : text;
  return analyze(memorySource(bytes, name), opts(over));
}

export function csvOf(header: string[], rows: (string | number)[][], eol = '\n'): string {
  return [header.join(','), ...rows.map((r) => r.join(','))].join(eol) + eol;
}

/** A deterministic PRNG (mulberry32) for reproducible random data. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
