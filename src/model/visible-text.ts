/**
 * What a person sees of a cell's text. Unicode whitespace at the ends of a value is not seen and
 * is trimmed (never from a secret); invisible format characters (zero-width space, joiners, soft
 * hyphen, bidi marks) are part of the text wherever they are: 👨‍👩‍👧 and می‌خواهم need their joiners.
 */

// Unicode White_Space: space, tab, line breaks, NBSP, narrow NBSP, ideographic space… (not U+FEFF).
const EDGE_SPACE = /^\p{White_Space}+|\p{White_Space}+$/gu;
const SPACE = /\p{White_Space}/u;

// Default-ignorable characters that show nothing; variation selectors and tag characters are left
// out, because they shape the character before them (❤️, flag emoji) and end text legitimately.
const INVISIBLE_SET =
  '\\u00ad\\u034f\\u061c\\u115f\\u1160\\u17b4\\u17b5\\u180e\\u200b-\\u200f\\u202a-\\u202e\\u2060-\\u206f\\u3164\\ufeff\\uffa0';
// eslint-disable-next-line no-misleading-character-class -- each joiner is matched on its own, on purpose
const INVISIBLE = new RegExp(`[${INVISIBLE_SET}]`, 'u');
// eslint-disable-next-line no-misleading-character-class -- as above
const NOTHING_SHOWN = new RegExp(`^[\\p{White_Space}${INVISIBLE_SET}]*$`, 'u');

/**
 * A printable ASCII character other than the space: neither whitespace nor invisible. Most cells start
 * and end with one, so the checks below answer from their two ends, without a Unicode regex: these run
 * for every cell of every row.
 */
function shows(code: number): boolean {
  return code > 0x20 && code < 0x7f;
}

/** Both ends of the text are characters that show (false for '', whose ends are not characters). */
function showsAtBothEnds(text: string): boolean {
  return text.length > 0 && shows(text.charCodeAt(0)) && shows(text.charCodeAt(text.length - 1));
}

/** The text without Unicode whitespace at its ends; inside, everything stays. */
export function trimSpace(text: string): string {
  return showsAtBothEnds(text) ? text : text.replace(EDGE_SPACE, '');
}

/** True when the text shows nothing on a screen: only whitespace and invisible characters. */
export function showsNothing(text: string): boolean {
  return text.length > 0 && shows(text.charCodeAt(0)) ? false : NOTHING_SHOWN.test(text);
}

export function isInvisible(ch: string): boolean {
  return INVISIBLE.test(ch);
}

/** The first invisible character of a text, or undefined. */
export function invisibleCharacter(text: string): string | undefined {
  return INVISIBLE.exec(text)?.[0];
}

/** A space or invisible character at the start or end of a text: the one a person cannot see. */
export interface EdgeCharacter {
  at: 'start' | 'end';
  ch: string;
  kind: 'space' | 'invisible';
}

const UNSEEN = `[\\p{White_Space}${INVISIBLE_SET}]`;
// eslint-disable-next-line no-misleading-character-class -- as above
const UNSEEN_AT_AN_END = new RegExp(`^${UNSEEN}|${UNSEEN}$`, 'u');

/** The unseen character at the start of the text, else at its end; undefined when both ends show. */
export function unseenEdge(text: string): EdgeCharacter | undefined {
  // No allocation for the usual value, whose ends both show.
  if (showsAtBothEnds(text) || !UNSEEN_AT_AN_END.test(text)) return undefined;
  const first = String.fromCodePoint(text.codePointAt(0) ?? 0x41);
  const lastCode = text.codePointAt(text.length - 1) ?? 0x41;
  // A lone low surrogate at the end is half of an astral character: read the pair.
  const last =
    lastCode >= 0xdc00 && lastCode <= 0xdfff && text.length > 1
      ? String.fromCodePoint(text.codePointAt(text.length - 2)!)
      : String.fromCodePoint(lastCode);
  for (const [at, ch] of [
    ['start', first],
    ['end', last],
  ] as const) {
    if (SPACE.test(ch)) return { at, ch, kind: 'space' };
    if (INVISIBLE.test(ch)) return { at, ch, kind: 'invisible' };
  }
  return undefined;
}

const NAMES: Record<number, string> = {
  0x09: 'tab',
  0x0a: 'line break',
  0x0d: 'carriage return',
  0x20: 'space',
  0xa0: 'no-break space',
  0xad: 'soft hyphen',
  0x61c: 'Arabic letter mark',
  0x2007: 'figure space',
  0x2009: 'thin space',
  0x200b: 'zero-width space',
  0x200c: 'zero-width non-joiner',
  0x200d: 'zero-width joiner',
  0x200e: 'left-to-right mark',
  0x200f: 'right-to-left mark',
  0x2028: 'line separator',
  0x202f: 'narrow no-break space',
  0x2060: 'word joiner',
  0x3000: 'ideographic space',
  0xfeff: 'zero-width no-break space (byte order mark)',
};

/** `U+00A0 (no-break space)`: a character a message cannot show, by code and name. */
export function characterName(ch: string): string {
  const code = ch.codePointAt(0)!;
  const hex = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  const name = NAMES[code];
  return name ? `${hex} (${name})` : hex;
}

/** `a space (U+0020)` / `an invisible U+200B (zero-width space)`: how a message names an unseen character. */
export function describeEdge(edge: EdgeCharacter): string {
  if (edge.ch === ' ') return 'a space';
  return edge.kind === 'space' ? `a ${characterName(edge.ch)}` : `an invisible ${characterName(edge.ch)}`;
}
