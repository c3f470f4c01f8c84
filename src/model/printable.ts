/**
 * Characters that must never reach a terminal raw: C0/C1 controls (ESC starts terminal
 * escape sequences, NUL cuts strings) and the bidi embeddings, overrides and isolates that
 * make text display in another order than it is stored ("Trojan Source"). Tab and line
 * breaks are ordinary text.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
const UNSAFE_ALL = new RegExp(UNSAFE.source, 'g');

/** True for a code unit UNSAFE matches (tab and line breaks are ordinary text). */
function isUnsafe(code: number): boolean {
  if (code < 0x20) return code !== 0x09 && code !== 0x0a && code !== 0x0d;
  if (code < 0x7f) return false;
  return code <= 0x9f || (code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069);
}

/** The first unsafe character of a text, or undefined (a scan, not a regex: it runs for every cell). */
export function unsafeCharacter(text: string): string | undefined {
  for (let i = 0; i < text.length; i++) if (isUnsafe(text.charCodeAt(i))) return text[i];
  return undefined;
}

/** `U+001B` — how a message names a character it cannot show. */
export function codePoint(ch: string): string {
  return `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** The text with each unsafe character shown as <U+XXXX>, so it can be printed. */
export function printable(text: string): string {
  return UNSAFE.test(text) ? text.replace(UNSAFE_ALL, (ch) => `<${codePoint(ch)}>`) : text;
}

/** JSON with unsafe characters as \uXXXX escapes (JSON.stringify leaves bidi overrides raw). */
export function safeJson(value: unknown, space?: number): string {
  return JSON.stringify(value, null, space).replace(
    UNSAFE_ALL,
    (ch) => `\\u${ch.codePointAt(0)!.toString(16).padStart(4, '0')}`,
  );
}
