/** Byte values the CSV and JSON readers look for (ASCII). */
export const TAB = 9;
export const LF = 10;
export const CR = 13;
export const SP = 32;
export const QUOTE = 34;
export const PLUS = 43;
export const COMMA = 44;
export const MINUS = 45;
export const DOT = 46;
export const D0 = 48;
export const D9 = 57;
export const COLON = 58;
export const SEMICOLON = 59;
export const LBRACKET = 91;
export const BACKSLASH = 92;
export const RBRACKET = 93;
export const LOWER_U = 117;
export const LBRACE = 123;
export const PIPE = 124;
export const RBRACE = 125;

/** The one UTF-8 decoder of the readers (decoding is stateless here: whole fields, whole keys). */
export const decoder = new TextDecoder('utf-8');

export function isDigit(c: number): boolean {
  return c >= D0 && c <= D9;
}
