import { GroupKeys } from '../core/groups';
import type { FileInfo } from '../core/fileInfo';
import type { SkipReason } from '../core/scanTypes';
import { isColumnar, scanColumnar } from './columnar';
import { pump } from './pump';
import { makeScanner } from './scan';
import { ByteSource } from './source';

/** Thrown by the sampling sink once it has its rows: not an error, the end of the sample. */
class SampleFull extends Error {}

/**
 * The distinct values (as text) of `column` in the file's first `maxRows` records that have one:
 * what decides whether a target is a class label (analyze.ts, detectTask). Read with the same
 * readers as the scan, from the first data byte; stops as soon as it has the rows (an object of
 * arrays is read whole: its arrays come one after the other).
 */
export function sampleLabels(src: ByteSource, info: FileInfo, column: string, maxRows: number): Set<string> {
  const keys = new GroupKeys();
  let rows = 0;
  const sink = {
    row(): void {
      if (++rows >= maxRows) throw new SampleFull();
    },
    skip(_line: number, _reason: SkipReason): void {},
  };
  const spec = { numbers: [column], categorical: 0 };
  try {
    if (isColumnar(info.format)) scanColumnar(src, info, spec, { labels: keys }, sink, info.dataStart, Infinity);
    else {
      const { scanner, columnar } = makeScanner(src, info, spec, { labels: keys }, sink, info.dataStart, Infinity);
      pump(src, scanner, info.dataStart, 1 << 16);
      if (columnar) columnar.emit([column], sink);
    }
  } catch (e) {
    if (!(e instanceof SampleFull)) throw e;
  }
  return new Set(keys.labels.map((l) => l.trim()));
}
