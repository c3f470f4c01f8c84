/**
 * Characters that must never reach a terminal raw: C0/C1 controls (ESC starts terminal
 * escape sequences, NUL cuts strings) and the bidi embeddings, overrides and isolates that
 * make text display in another order than it is stored ("Trojan Source"). Tab and line
 * breaks are ordinary text.
 */
/** The unsafe code units, as ranges: the one list both the scan and the replacing regex are made from. */
const UNSAFE_RANGES: ReadonlyArray<readonly [number, number]> = [
  [0x00, 0x08],
  [0x0b, 0x0c],
  [0x0e, 0x1f],
  [0x7f, 0x9f],
  [0x202a, 0x202e],
  [0x2066, 0x2069],
];

const escaped = (code: number) => `\\u${code.toString(16).padStart(4, '0')}`;
const UNSAFE_ALL = new RegExp(
  `[${UNSAFE_RANGES.map(([a, b]) => `${escaped(a)}-${escaped(b)}`).join('')}]`,
  'g',
);

/** True for an unsafe code unit; printable ASCII (most of every text) answers at once. */
function isUnsafe(code: number): boolean {
  if (code >= 0x20 && code < 0x7f) return false;
  for (const [from, to] of UNSAFE_RANGES) if (code >= from && code <= to) return true;
  return false;
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
  return unsafeCharacter(text) === undefined ? text : text.replace(UNSAFE_ALL, (ch) => `<${codePoint(ch)}>`);
}

/** JSON with unsafe characters as \uXXXX escapes (JSON.stringify leaves bidi overrides raw). */
export function safeJson(value: unknown, space?: number): string {
  return JSON.stringify(value, null, space).replace(
    UNSAFE_ALL,
    (ch) => `\\u${ch.codePointAt(0)!.toString(16).padStart(4, '0')}`,
  );
}
