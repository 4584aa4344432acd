/** The tables of rows of each model, so that a link elsewhere can scroll to them and mark rows. */
import type { RowMarks } from './section';

export function rowMarks(): RowMarks {
  const tables: HTMLTableElement[] = [];
  const rowEls: HTMLTableRowElement[][] = [];
  const reveals: ((() => void) | undefined)[] = [];
  return {
    register(i, table, rows, reveal) {
      tables[i] = table;
      rowEls[i] = rows;
      reveals[i] = reveal;
    },
    show(i, k) {
      const table = tables[i];
      if (!table) return;
      reveals[i]?.();
      for (const rows of rowEls) for (const tr of rows ?? []) tr.classList.remove('marked', 'flash');
      for (const tr of (rowEls[i] ?? []).slice(0, k)) {
        tr.classList.add('marked');
        void tr.offsetWidth; // restart the flash animation
        tr.classList.add('flash');
      }
      const reduce = window.matchMedia?.('(prefers-reduced-motion: reduce)').matches;
      table.scrollIntoView({ behavior: reduce ? 'auto' : 'smooth', block: 'center' });
      table.focus({ preventScroll: true });
    },
  };
}
