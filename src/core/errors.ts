/**
 * The one error type users see. Its message is a complete sentence that says what is wrong and
 * where (file, line, column when known). Nothing else should reach a user: no stack traces.
 */
export type ErrorCode =
  | 'notFound'
  | 'isDirectory'
  | 'notAFile'
  | 'permission'
  | 'readFailed'
  | 'emptyFile'
  | 'headerOnly'
  | 'binary'
  | 'corrupt'
  | 'unsupported'
  | 'utf16'
  | 'unterminatedQuote'
  | 'jsonSyntax'
  | 'jsonShape'
  | 'lengthMismatch'
  | 'unknownColumn'
  | 'duplicateColumn'
  | 'noTarget'
  | 'noPrediction'
  | 'noUsableRows'
  | 'badParameter'
  | 'recordTooLong'
  | 'fileChanged'
  /** Files compared (`compare`) do not hold the same rows: targets differ, keys repeat, counts differ. */
  | 'filesDiffer'
  | 'cancelled'
  | 'internal';

export interface ErrorLocation {
  file?: string;
  line?: number;
  column?: number;
}

export class LossInspectorError extends Error {
  readonly code: ErrorCode;
  readonly location: ErrorLocation;

  constructor(code: ErrorCode, message: string, location: ErrorLocation = {}) {
    super(message);
    this.name = 'LossInspectorError';
    this.code = code;
    this.location = location;
  }

  toJSON(): SerializedError {
    return { code: this.code, message: this.message, location: this.location };
  }
}

export interface SerializedError {
  code: ErrorCode;
  message: string;
  location: ErrorLocation;
}

/** Longest name quoted in full in a message; longer ones are cut (a header can hold anything). */
export const QUOTE_MAX = 80;

/**
 * A column, key or array name as quoted in messages: JSON-escaped (control characters and quotes
 * stay visible), and cut to its first QUOTE_MAX characters, with its length, when longer.
 */
export function quoteName(name: string): string {
  if (name.length <= QUOTE_MAX) return JSON.stringify(name);
  const head = JSON.stringify(name.slice(0, QUOTE_MAX - 20)).slice(0, -1);
  return `${head}…" (a name of ${name.length} characters)`;
}

/** The first 30 names of a list, quoted (quoteName), then how many there are ('none' for none). */
export function quoteNames(names: readonly string[], what = ''): string {
  if (names.length === 0) return 'none';
  const shown = names.slice(0, 30).map(quoteName);
  return shown.join(', ') + (names.length > 30 ? `, … (${names.length}${what ? ` ${what}` : ''} in all)` : '');
}

export function isLossInspectorError(e: unknown): e is LossInspectorError {
  return e instanceof LossInspectorError;
}

/** Turns anything thrown into a user-facing error without leaking a stack trace. */
export function toUserError(e: unknown, file?: string): LossInspectorError {
  if (e instanceof LossInspectorError) return e;
  const err = e as { code?: unknown; message?: string } | undefined;
  const where = file ? ` '${file}'` : '';
  switch (err?.code) {
    case 'ENOENT':
      return new LossInspectorError('notFound', `The file${where} does not exist.`, { file });
    case 'EISDIR':
      return new LossInspectorError('isDirectory', `The path${where} is a directory, not a data file.`, { file });
    case 'EACCES':
    case 'EPERM':
      return new LossInspectorError('permission', `Permission denied when reading${where}.`, { file });
    case 'ELOOP':
      return new LossInspectorError('readFailed', `The path${where} is a symbolic link loop.`, { file });
    case 'ENOMEM':
    case 'ERR_OUT_OF_MEMORY':
      return new LossInspectorError('internal', `Ran out of memory while reading${where}.`, { file });
  }
  if (err && typeof err.code === 'string' && err.code.startsWith('E')) {
    return new LossInspectorError('readFailed', `Could not read${where}: ${err.message}.`, { file });
  }
  const msg = e instanceof Error ? e.message : String(e);
  return new LossInspectorError('internal', `Loss Inspector hit an internal error${file ? ` while reading '${file}'` : ''}: ${msg}`, { file });
}

export function fromSerialized(s: SerializedError): LossInspectorError {
  return new LossInspectorError(s.code, s.message, s.location);
}
