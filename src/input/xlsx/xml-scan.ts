/**
 * A hand scanner for the plain XML that spreadsheet writers produce: elements, attributes in
 * quotes, text with the five predefined and numeric entity references. It hands the same events
 * as saxes (raw names, one text event a text node, whitespace outside the root included) for
 * what it accepts, and says `false` at the first thing it does not handle (a DOCTYPE, CDATA, a
 * comment or PI, another entity, a carriage return, a tab or newline in an attribute, an
 * unusual character in a name, anything malformed): the caller then lets saxes read the part,
 * so saxes stays the one that refuses a malformed file. Everything it accepts saxes accepts too.
 */
import type { XmlHandlers } from './xml.js';

const LT = 0x3c;
const GT = 0x3e;
const AMP = 0x26;
const SLASH = 0x2f;
const EQ = 0x3d;
const DQ = 0x22;
const SQ = 0x27;
const SEMI = 0x3b;
const BRACKET = 0x5d;

/** Space, tab, newline (a carriage return is left to saxes: it normalises line ends). */
const isSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x09;

/** An ASCII name character (a letter, digit, `_`, `:`, `.`, `-`); others are left to saxes. */
function isNameChar(c: number): boolean {
  return (
    (c >= 0x61 && c <= 0x7a) ||
    (c >= 0x41 && c <= 0x5a) ||
    (c >= 0x30 && c <= 0x3a) ||
    c === 0x5f ||
    c === 0x2e ||
    c === 0x2d
  );
}
const isNameStart = (c: number) => (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f;

/** A character XML 1.0 allows in text as it is (no carriage return, no surrogate halves: saxes' part). */
function plainTextChar(c: number): boolean {
  return c >= 0x20 ? c < 0xd800 || (c >= 0xe000 && c <= 0xfffd) : c === 0x0a || c === 0x09;
}

/** A code point a character reference may name (XML 1.0's Char). */
function isXmlChar(n: number): boolean {
  return (
    n === 0x09 ||
    n === 0x0a ||
    n === 0x0d ||
    (n >= 0x20 && n <= 0xd7ff) ||
    (n >= 0xe000 && n <= 0xfffd) ||
    (n >= 0x10000 && n <= 0x10ffff)
  );
}

const DECIMAL = /^#[0-9]{1,7}$/;
const HEX = /^#x[0-9a-fA-F]{1,6}$/;

/** An entity reference's text, or undefined when saxes should judge it. */
function entityText(entity: string): string | undefined {
  switch (entity) {
    case 'amp':
      return '&';
    case 'lt':
      return '<';
    case 'gt':
      return '>';
    case 'quot':
      return '"';
    case 'apos':
      return "'";
  }
  let n = NaN;
  if (DECIMAL.test(entity)) n = parseInt(entity.slice(1), 10);
  else if (HEX.test(entity)) n = parseInt(entity.slice(2), 16);
  return isXmlChar(n) ? String.fromCodePoint(n) : undefined;
}

/** The declaration Excel, LibreOffice, openpyxl and the others write, or none. */
const DECLARATION =
  /^<\?xml version=(?:"1\.0"|'1\.0')(?: encoding=(?:"[A-Za-z][A-Za-z0-9._-]*"|'[A-Za-z][A-Za-z0-9._-]*'))?(?: standalone=(?:"(?:yes|no)"|'(?:yes|no)'))?\?>/;

/** Where in the document the scanner stands. */
const BEFORE_ROOT = 0;
const IN_ROOT = 1;
const AFTER_ROOT = 2;

export interface XmlScanner {
  /** Scans a chunk; false when it met something it leaves to saxes (events so far were handed on). */
  write(text: string): boolean;
  /** The end of the part: false when it does not end as a well-formed document. */
  close(): boolean;
}

export function xmlScanner(handlers: XmlHandlers): XmlScanner {
  /** What the last chunk left unread: an open tag, a text node or a reference not yet ended. */
  let carried = '';
  let started = false;
  let where = BEFORE_ROOT;
  const open: string[] = [];

  /** The text node `s[from, to)`: its text, or undefined when saxes should read it. */
  function textOf(s: string, from: number, to: number): string | undefined {
    let out = '';
    let start = from;
    for (let i = from; i < to; i++) {
      const c = s.charCodeAt(i);
      if (c === AMP) {
        const semi = s.indexOf(';', i + 1);
        if (semi < 0 || semi >= to) return undefined;
        const decoded = entityText(s.slice(i + 1, semi));
        if (decoded === undefined) return undefined;
        out += s.slice(start, i) + decoded;
        start = semi + 1;
        i = semi;
      } else if (c === GT) {
        if (i >= from + 2 && s.charCodeAt(i - 1) === BRACKET && s.charCodeAt(i - 2) === BRACKET) return undefined;
      } else if (!plainTextChar(c)) {
        // A surrogate pair (an emoji) is one character; half of one is saxes' to refuse.
        if (c < 0xd800 || c > 0xdbff || i + 1 >= to) return undefined;
        const low = s.charCodeAt(i + 1);
        if (low < 0xdc00 || low > 0xdfff) return undefined;
        i++;
      }
    }
    return start === from ? s.slice(from, to) : out + s.slice(start, to);
  }

  /** An open tag at `s[i]` (`<` at i) ending before `end`: the index after it, -1 to carry, -2 to leave to saxes. */
  function openTag(s: string, i: number): number {
    const length = s.length;
    let j = i + 1;
    while (j < length && isNameChar(s.charCodeAt(j))) j++;
    if (j === length) return -1;
    const name = s.slice(i + 1, j);
    const attributes = Object.create(null) as Record<string, string>;
    for (;;) {
      const before = j;
      while (j < length && isSpace(s.charCodeAt(j))) j++;
      if (j === length) return -1;
      let c = s.charCodeAt(j);
      if (c === GT || c === SLASH) break;
      if (j === before || !isNameStart(c)) return -2;
      const nameStart = j;
      while (j < length && isNameChar(s.charCodeAt(j))) j++;
      const attribute = s.slice(nameStart, j);
      while (j < length && isSpace(s.charCodeAt(j))) j++;
      if (j === length) return -1;
      if (s.charCodeAt(j) !== EQ) return -2;
      j++;
      while (j < length && isSpace(s.charCodeAt(j))) j++;
      if (j === length) return -1;
      const quote = s.charCodeAt(j);
      if (quote !== DQ && quote !== SQ) return -2;
      const valueStart = ++j;
      for (; j < length; j++) {
        c = s.charCodeAt(j);
        if (c === quote) break;
        // No reference, no `<`, no tab or line end (saxes turns those into spaces) in a value.
        if (c === AMP || c === LT || c < 0x20 || !plainTextChar(c)) return -2;
      }
      if (j === length) return -1;
      if (attributes[attribute] !== undefined) return -2;
      attributes[attribute] = s.slice(valueStart, j);
      j++;
    }
    const selfClosing = s.charCodeAt(j) === SLASH;
    if (selfClosing) {
      if (j + 1 === length) return -1;
      if (s.charCodeAt(j + 1) !== GT) return -2;
      j++;
    }
    // A second root is saxes' to refuse.
    if (where === AFTER_ROOT) return -2;
    where = IN_ROOT;
    handlers.open(name, attributes);
    if (selfClosing) {
      handlers.close(name);
      if (open.length === 0) where = AFTER_ROOT;
    } else open.push(name);
    return j + 1;
  }

  /** A close tag at `s[i]` (`</` at i): as openTag. */
  function closeTag(s: string, i: number): number {
    const length = s.length;
    let j = i + 2;
    while (j < length && isNameChar(s.charCodeAt(j))) j++;
    const nameEnd = j;
    while (j < length && isSpace(s.charCodeAt(j))) j++;
    if (j === length) return -1;
    if (s.charCodeAt(j) !== GT) return -2;
    const name = s.slice(i + 2, nameEnd);
    if (open.length === 0 || open[open.length - 1] !== name) return -2;
    open.pop();
    handlers.close(name);
    if (open.length === 0) where = AFTER_ROOT;
    return j + 1;
  }

  /** Text outside the root: whitespace only, handed on as saxes does. */
  function outsideText(s: string, from: number, to: number): boolean {
    for (let i = from; i < to; i++) if (!isSpace(s.charCodeAt(i))) return false;
    if (to > from) handlers.text(s.slice(from, to));
    return true;
  }

  function scan(s: string): boolean {
    let i = 0;
    if (!started) {
      if (s.length < 6 && '<?xml '.startsWith(s)) {
        carried = s;
        return true;
      }
      started = true;
      if (s.startsWith('<?xml')) {
        const declaration = DECLARATION.exec(s);
        if (!declaration) return s.indexOf('?>') >= 0 ? false : ((started = false), (carried = s), true);
        i = declaration[0].length;
      }
    }
    const length = s.length;
    while (i < length) {
      const lt = s.indexOf('<', i);
      if (lt < 0) break;
      if (lt > i) {
        if (where === IN_ROOT) {
          const text = textOf(s, i, lt);
          if (text === undefined) return false;
          handlers.text(text);
        } else if (!outsideText(s, i, lt)) return false;
      }
      if (lt + 1 === length) {
        i = lt;
        break;
      }
      const next = s.charCodeAt(lt + 1);
      const after = next === SLASH ? closeTag(s, lt) : isNameStart(next) ? openTag(s, lt) : -2;
      if (after === -2) return false;
      if (after === -1) {
        i = lt;
        break;
      }
      i = after;
    }
    carried = s.slice(i);
    return true;
  }

  return {
    write(text) {
      const s = carried.length === 0 ? text : carried + text;
      carried = '';
      return scan(s);
    },
    close() {
      if (!started || where !== AFTER_ROOT) return false;
      if (carried.length > 0) return outsideText(carried, 0, carried.length);
      return true;
    },
  };
}
