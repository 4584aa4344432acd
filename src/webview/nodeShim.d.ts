/**
 * src/core/errors.ts (reached through the types of src/core/report.ts) names NodeJS.ErrnoException
 * in a type position. The webview compiles without Node's types, so this is the one name it needs.
 * Types only: nothing from errors.ts is bundled into the webview.
 */
declare namespace NodeJS {
  interface ErrnoException extends Error {
    code?: string;
  }
}
