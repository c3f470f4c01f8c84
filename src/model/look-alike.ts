/**
 * Names a person cannot tell apart: the same letters in another Unicode form (NFC/NFD), fullwidth
 * or other compatibility forms (NFKC), Cyrillic and Greek letters that look like Latin ones, letter
 * case, and invisible characters. Two short names with the same key are one customer to a reader.
 */
import { characterName, isInvisible } from './visible-text.js';

// Lower-case Cyrillic and Greek letters whose capital or small form looks like a Latin letter
// (keys are compared without case, so a capital look-alike counts through its small form).
const LATIN_LOOK_ALIKES: Record<string, string> = {
  // Cyrillic
  а: 'a',
  в: 'b',
  е: 'e',
  ё: 'ë',
  һ: 'h',
  і: 'i',
  ї: 'ï',
  ј: 'j',
  к: 'k',
  ӏ: 'l',
  м: 'm',
  н: 'h',
  о: 'o',
  р: 'p',
  ԛ: 'q',
  ѕ: 's',
  с: 'c',
  т: 't',
  у: 'y',
  ү: 'y',
  ԝ: 'w',
  х: 'x',
  ԁ: 'd',
  // Greek
  α: 'a',
  β: 'b',
  ε: 'e',
  ζ: 'z',
  η: 'h',
  ι: 'i',
  κ: 'k',
  μ: 'm',
  ν: 'n',
  ο: 'o',
  ρ: 'p',
  τ: 't',
  υ: 'y',
  χ: 'x',
  ϲ: 'c',
  ϳ: 'j',
};

/** Only printable ASCII (a scan, not a regex: it runs for every name of every row). */
function printableAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code > 0x7e) return false;
  }
  return true;
}

/** The key two names share when they look the same: NFKC, no case, look-alikes as Latin, no invisible characters. */
export function lookAlikeKey(text: string): string {
  // Printable ASCII has no other form and no look-alike in the map: its key is its small letters.
  if (printableAscii(text)) return text.toLowerCase();
  let key = '';
  for (const ch of text.normalize('NFKC').toLowerCase()) {
    if (isInvisible(ch)) continue;
    key += LATIN_LOOK_ALIKES[ch] ?? ch;
  }
  return key.normalize('NFC');
}

const CYRILLIC = /\p{Script=Cyrillic}/u;
const GREEK = /\p{Script=Greek}/u;
const FULLWIDTH = /[\uff01-\uff5e]/u;

/** What makes one character of a name look like another one: `Cyrillic а`, `fullwidth Ａ`… */
function unusual(ch: string): string | undefined {
  if (isInvisible(ch)) return `an invisible ${characterName(ch)}`;
  if (CYRILLIC.test(ch)) return `Cyrillic ${ch}`;
  if (GREEK.test(ch)) return `Greek ${ch}`;
  if (FULLWIDTH.test(ch)) return `fullwidth ${ch}`;
  if (ch.normalize('NFKC') !== ch) return `the compatibility character ${ch} (${characterName(ch)})`;
  return undefined;
}

/**
 * Why `text` looks the same as `other` (their keys are equal): '' when they differ in letter case
 * only; else what differs, e.g. `Cyrillic а`, or `fullwidth Ｂ in that name` when `other` has it.
 */
export function lookAlikeReason(text: string, other: string): string {
  if (text.toLowerCase() === other.toLowerCase()) return '';
  if (text.normalize('NFC').toLowerCase() === other.normalize('NFC').toLowerCase())
    return 'the same letters, one with an accent typed as a separate character (Unicode NFD)';
  for (const ch of text.normalize('NFC')) {
    const why = unusual(ch);
    if (why) return why;
  }
  for (const ch of other.normalize('NFC')) {
    const why = unusual(ch);
    if (why) return `${why} in that name`;
  }
  return 'characters that look alike';
}
