/**
 * A hand scanner for the plain XML that spreadsheet writers produce: elements, attributes in
 * quotes, text with the five predefined and numeric entity references. It hands the same events
 * as saxes (raw names, one text event a text node, whitespace outside the root included) for
 * what it accepts, and says `false` at the first thing it does not handle (a DOCTYPE, CDATA, a
 * comment or PI, another entity, a carriage return, tab or newline in an attribute, an
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
const BRACKET = 0x5d;
const CR = 0x0d;
const NL = 0x0a;

/** Space, tab, newline (between attributes; a carriage return there is left to saxes). */
const isSpace = (c: number) => c === 0x20 || c === NL || c === 0x09;

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

/** The one-letter names of a sheet's XML as constants: a slice a tag and attribute was most of the garbage. */
const LETTERS = Array.from({ length: 128 }, (_, code) => String.fromCharCode(code));

function nameOf(s: string, from: number, to: number): string {
  if (to - from === 1) return LETTERS[s.charCodeAt(from)]!;
  if (
    to - from === 3 &&
    s.charCodeAt(from) === 0x72 &&
    s.charCodeAt(from + 1) === 0x6f &&
    s.charCodeAt(from + 2) === 0x77
  )
    return 'row';
  if (to - from === 2 && s.charCodeAt(from) === 0x73 && s.charCodeAt(from + 1) === 0x69) return 'si';
  return s.slice(from, to);
}

export interface XmlScanner {
  /** Scans a chunk; false when it met something it leaves to saxes (events so far were handed on). */
  write(text: string): boolean;
  /** The end of the part: false when it does not end as a well-formed document. */
  close(): boolean;
}

/** Where the scanner stands in one part. */
interface ScanState {
  readonly handlers: XmlHandlers;
  /** What the last chunk left unread: an open tag, a text node or a reference not yet ended. */
  carried: string;
  /** Past the document's start: its first whitespace, and its declaration when it has one. */
  started: boolean;
  /** The document starts with whitespace: a declaration after it is saxes' to refuse. */
  spaced: boolean;
  where: number;
  readonly open: string[];
  /** This chunk holds no reference, `]]>`, carriage return, control character or surrogate: text is as written. */
  plain: boolean;
}

/** The attributes of every tag without any (`<v>`, `<si>`, `<t>`), one object: no handler keeps or changes them. */
const NONE: Record<string, string> = Object.freeze({});

/** What a tag's scan says when it cannot end it: wait for the next chunk, or leave the part to saxes. */
const MORE = -1;
const SAXES = -2;

/** What the per-character checks must see (most chunks hold none: their text is taken as written). */
const UNUSUAL = /[^\t\n\x20-\x25\x27-\uD7FF\uE000-\uFFFD]|\]\]>/;

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
      if (i >= from + 2 && s.charCodeAt(i - 1) === BRACKET && s.charCodeAt(i - 2) === BRACKET)
        return undefined;
    } else if (c === CR) {
      // A line end is one newline, as XML reads `\r\n` and a lone `\r`.
      out += `${s.slice(start, i)}\n`;
      if (i + 1 < to && s.charCodeAt(i + 1) === NL) i++;
      start = i + 1;
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

function skipSpaces(s: string, j: number): number {
  while (j < s.length && isSpace(s.charCodeAt(j))) j++;
  return j;
}

/**
 * The attributes of an open tag from `s[j]` (just after its name) into `attributes`: the index
 * of its `>` or `/`, MORE or SAXES.
 */
function attributesOf(state: ScanState, s: string, j: number, attributes: Record<string, string>): number {
  const length = s.length;
  const plain = state.plain;
  for (;;) {
    const before = j;
    j = skipSpaces(s, j);
    if (j === length) return MORE;
    const c = s.charCodeAt(j);
    if (c === GT || c === SLASH) return j;
    if (j === before || !isNameStart(c)) return SAXES;
    const nameStart = j;
    while (j < length && isNameChar(s.charCodeAt(j))) j++;
    const attribute = nameOf(s, nameStart, j);
    j = skipSpaces(s, j);
    if (j === length) return MORE;
    if (s.charCodeAt(j) !== EQ) return SAXES;
    j = skipSpaces(s, j + 1);
    if (j === length) return MORE;
    const quote = s.charCodeAt(j);
    if (quote !== DQ && quote !== SQ) return SAXES;
    const valueStart = ++j;
    for (; j < length; j++) {
      const v = s.charCodeAt(j);
      if (v === quote) break;
      // No reference, no `<`, no tab or line end (saxes turns those into spaces) in a value.
      if (v === LT || v < 0x20 || (!plain && (v === AMP || !plainTextChar(v)))) return SAXES;
    }
    if (j === length) return MORE;
    // Twice the same attribute, or one named as the prototype's (`constructor`): saxes' to judge.
    if (attributes[attribute] !== undefined) return SAXES;
    attributes[attribute] = s.slice(valueStart, j);
    j++;
  }
}

/** An open tag at `s[i]` (`<` and a name start): the index after it, MORE or SAXES. */
function openTag(state: ScanState, s: string, i: number): number {
  const length = s.length;
  let j = i + 1;
  while (j < length && isNameChar(s.charCodeAt(j))) j++;
  if (j === length) return MORE;
  const name = nameOf(s, i + 1, j);
  let attributes = NONE;
  if (isSpace(s.charCodeAt(j))) {
    // A plain object (saxes makes one without a prototype): a name the prototype has is left to saxes.
    attributes = {};
    j = attributesOf(state, s, j, attributes);
    if (j < 0) return j;
  } else if (s.charCodeAt(j) !== GT && s.charCodeAt(j) !== SLASH) return SAXES;
  const selfClosing = s.charCodeAt(j) === SLASH;
  if (selfClosing) {
    if (j + 1 === length) return MORE;
    if (s.charCodeAt(j + 1) !== GT) return SAXES;
    j++;
  }
  // A second root is saxes' to refuse.
  if (state.where === AFTER_ROOT) return SAXES;
  state.where = IN_ROOT;
  state.handlers.open(name, attributes);
  if (selfClosing) {
    state.handlers.close(name);
    if (state.open.length === 0) state.where = AFTER_ROOT;
  } else state.open.push(name);
  return j + 1;
}

/** A close tag at `s[i]` (`</`): as openTag. */
function closeTag(state: ScanState, s: string, i: number): number {
  const open = state.open;
  // The usual close, `</name>` of the open element: no name to read and compare.
  const top = open.length === 0 ? '' : open[open.length - 1]!;
  if (top !== '' && s.charCodeAt(i + 2 + top.length) === GT && s.startsWith(top, i + 2)) {
    open.pop();
    state.handlers.close(top);
    if (open.length === 0) state.where = AFTER_ROOT;
    return i + 3 + top.length;
  }
  let j = i + 2;
  while (j < s.length && isNameChar(s.charCodeAt(j))) j++;
  const nameEnd = j;
  j = skipSpaces(s, j);
  if (j === s.length) return MORE;
  if (s.charCodeAt(j) !== GT) return SAXES;
  const name = nameOf(s, i + 2, nameEnd);
  if (open.length === 0 || open[open.length - 1] !== name) return SAXES;
  open.pop();
  state.handlers.close(name);
  if (open.length === 0) state.where = AFTER_ROOT;
  return j + 1;
}

/** Text outside the root: whitespace only, handed on as saxes does. */
function outsideText(state: ScanState, s: string, from: number, to: number): boolean {
  let cr = false;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c === CR) cr = true;
    else if (!isSpace(c)) return false;
  }
  // Excel writes `\r\n` after the declaration: XML reads it as one newline.
  if (to > from) state.handlers.text(cr ? s.slice(from, to).replace(/\r\n?/g, '\n') : s.slice(from, to));
  return true;
}

/** The document's start: the index after its whitespace and declaration, MORE or SAXES. */
function documentStart(state: ScanState, s: string): number {
  let i = 0;
  // saxes passes over whitespace at the document's start without a text event.
  while (i < s.length && (isSpace(s.charCodeAt(i)) || s.charCodeAt(i) === CR)) i++;
  if (i > 0) state.spaced = true;
  if (i === s.length) return MORE;
  if (!state.spaced && s.startsWith('<?xml')) {
    const declaration = DECLARATION.exec(s);
    // Not yet whole: wait for the next chunk; whole and unusual: saxes'.
    if (!declaration) return s.indexOf('?>') < 0 ? MORE : SAXES;
    i = declaration[0].length;
  } else if (!state.spaced && s.length < 5 && '<?xml'.startsWith(s)) return MORE;
  state.started = true;
  return i;
}

/** One chunk (with what the last one left): false when the part is saxes'. */
function scan(state: ScanState, s: string): boolean {
  state.plain = !UNUSUAL.test(s);
  let i = 0;
  if (!state.started) {
    i = documentStart(state, s);
    if (i === SAXES) return false;
    if (i === MORE) {
      // Whitespace alone is passed over; a declaration not yet whole waits.
      state.carried = state.spaced ? '' : s;
      return true;
    }
  }
  const length = s.length;
  while (i < length) {
    const lt = s.indexOf('<', i);
    if (lt < 0) break;
    if (lt > i) {
      if (state.where === IN_ROOT) {
        const text = state.plain ? s.slice(i, lt) : textOf(s, i, lt);
        if (text === undefined) return false;
        state.handlers.text(text);
      } else if (!outsideText(state, s, i, lt)) return false;
    }
    const next = lt + 1 === length ? -1 : s.charCodeAt(lt + 1);
    const after =
      next < 0
        ? MORE
        : next === SLASH
          ? closeTag(state, s, lt)
          : isNameStart(next)
            ? openTag(state, s, lt)
            : SAXES;
    if (after === SAXES) return false;
    i = lt;
    if (after === MORE) break;
    i = after;
  }
  state.carried = s.slice(i);
  return true;
}

export function xmlScanner(handlers: XmlHandlers): XmlScanner {
  const state: ScanState = {
    handlers,
    carried: '',
    started: false,
    spaced: false,
    where: BEFORE_ROOT,
    open: [],
    plain: false,
  };
  return {
    write(text) {
      const s = state.carried.length === 0 ? text : state.carried + text;
      state.carried = '';
      return scan(state, s);
    },
    close() {
      if (!state.started || state.where !== AFTER_ROOT) return false;
      return state.carried.length === 0 || outsideText(state, state.carried, 0, state.carried.length);
    },
  };
}
