/**
 * The prefixes of compared files' models (`FILE:COLUMN`), distinct and readable when names
 * collide: a/preds.csv and b/preds.csv are told apart by the shortest trailing part of their
 * paths that differs (`a/preds.csv`, `b/preds.csv`), not by an opaque number; the same path
 * given twice gets (1), (2). Pure: the CLI passes its arguments, VS Code the workspace-relative paths.
 */

function tail(parts: string[], n: number): string {
  return parts.slice(Math.max(0, parts.length - n)).join('/');
}

export function modelPrefixes(paths: readonly string[]): string[] {
  const parts = paths.map((p) => p.replace(/\\/g, '/').split('/').filter((s) => s !== '' && s !== '.'));
  const depth = parts.map(() => 1);
  // Lengthen each colliding name by one folder at a time until it is unique or its path is used up.
  for (;;) {
    const names = parts.map((p, i) => tail(p, depth[i]));
    let grew = false;
    names.forEach((n, i) => {
      if (names.some((m, j) => j !== i && m === n) && depth[i] < parts[i].length) {
        depth[i]++;
        grew = true;
      }
    });
    if (!grew) break;
  }
  const names = parts.map((p, i) => tail(p, depth[i]) || paths[i]);
  // Still equal (one file given twice): numbered in the order given.
  return names.map((n, i) => {
    if (names.filter((m) => m === n).length === 1) return n;
    return `${n} (${names.slice(0, i + 1).filter((m) => m === n).length})`;
  });
}
