/**
 * Compare Loss from the Command Palette (#15): the files are asked for one at a time — the
 * baseline first (its rows decide the join), then each file compared with it — until the user
 * picks Done (offered from the third question on, first in the list), dismisses the question,
 * or no file is left. Pure
 * (generic over the file handle, a vscode.Uri in the extension), so that the order of the choices
 * and the questions' words are unit-tested in Node.
 */
import { compareTitle } from './plan';

export interface PaletteFile<T> {
  file: T;
  /** Tells files apart (a URI's text). */
  key: string;
  /** Shown: the base name, and the workspace-relative path (the choices' order). */
  name: string;
  path: string;
}

/** One question: its title, and the files to choose from, in order. */
export interface PaletteStep<T> {
  title: string;
  placeHolder: string;
  /** From the third question on: the item that ends the choosing (shown first). */
  done: string | null;
  choices: PaletteFile<T>[];
}

/**
 * The next question, given the files chosen so far (in order), or null when there is nothing
 * left to choose (every found file chosen, with two or more of them). The files not chosen yet,
 * by path; at the first question `preferred` (the key of the active editor's file) comes first.
 */
export function paletteStep<T>(found: readonly PaletteFile<T>[], chosen: readonly PaletteFile<T>[], preferred: string | undefined): PaletteStep<T> | null {
  const taken = new Set(chosen.map((c) => c.key));
  const seen = new Set<string>();
  const choices = found.filter((f) => {
    if (taken.has(f.key) || seen.has(f.key)) return false;
    seen.add(f.key);
    return true;
  });
  const first = chosen.length === 0 ? preferred : undefined;
  choices.sort((x, y) => Number(y.key === first) - Number(x.key === first) || x.path.localeCompare(y.path));
  const step = chosen.length + 1;
  if (step >= 3 && choices.length === 0) return null;
  const baseline = chosen[0]?.name ?? '';
  if (step === 1) {
    return { title: 'Loss Inspector: Compare Loss (1): the baseline file', placeHolder: 'The first file decides the rows and holds the baseline model; the files compared with it come next.', done: null, choices };
  }
  if (step === 2) {
    return { title: `Loss Inspector: Compare Loss (2): a file compared with ${baseline}`, placeHolder: 'More files can be added after this one.', done: null, choices };
  }
  return {
    title: `Loss Inspector: Compare Loss (${step}): one more file compared with ${baseline}, or Done`,
    placeHolder: `Done (or Escape) compares the ${chosen.length} files chosen.`,
    done: `Done: compare ${compareTitle(chosen.map((c) => c.name))}`,
    choices,
  };
}
