/**
 * Splits decoded CSV text into records exactly as csv-parse does with the reader's options, for
 * the text people write: bare fields (a quote inside one kept as typed) and wholly quoted ones
 * (`""` for a quote, delimiters and line breaks inside). Anything else (a closing quote followed by
 * more text, a quote never closed, a record past the size limit) is left to csv-parse, which alone
 * says what it makes of it: a split over csv-parse's own byte-by-byte pass costs a third of its CPU.
 */

/** The split's answer when the text holds something only csv-parse may read. */
export const TO_CSV_PARSE = -1;

const QUOTE = 0x22;
const CR = 0x0d;
const LF = 0x0a;
/** A field or record the text ends inside: it waits for the next chunk. */
const MORE = -2;

/** Where the split stands: the field just read and the offset after it. */
interface Cursor {
  text: string;
  delimiter: number;
  final: boolean;
  pos: number;
  value: string;
}

/** True for a delimiter the split reads as csv-parse does: one ASCII character, not a quote or line break. */
export function splitsAt(delimiter: string): boolean {
  if (delimiter.length !== 1) return false;
  const code = delimiter.charCodeAt(0);
  return (code === 0x09 || (code >= 0x20 && code <= 0x7e)) && code !== QUOTE;
}

/** A quoted field from its opening quote at `c.pos`: 0 with `c.value` and `c.pos` after its closing quote, or MORE / TO_CSV_PARSE. */
function quotedField(c: Cursor): number {
  const { text } = c;
  let from = c.pos + 1;
  let value = '';
  for (;;) {
    const q = text.indexOf('"', from);
    if (q < 0) return c.final ? TO_CSV_PARSE : MORE;
    if (q + 1 >= text.length && !c.final) return MORE;
    const next = q + 1 < text.length ? text.charCodeAt(q + 1) : -1;
    if (next === QUOTE) {
      value += text.slice(from, q + 1);
      from = q + 2;
      continue;
    }
    // csv-parse closes a quote only before a delimiter, a line break or the end of the file.
    if (next !== -1 && next !== c.delimiter && next !== CR && next !== LF) return TO_CSV_PARSE;
    c.value = value + text.slice(from, q);
    c.pos = q + 1;
    return 0;
  }
}

/** A bare field from `c.pos` to the next delimiter or line break (or the end of the text). */
function bareField(c: Cursor): void {
  const { text, delimiter } = c;
  const start = c.pos;
  let q = start;
  for (; q < text.length; q++) {
    const ch = text.charCodeAt(q);
    if (ch === delimiter || ch === CR || ch === LF) break;
  }
  c.value = text.slice(start, q);
  c.pos = q;
}

/**
 * One record from `c.pos`: pushed to `out` with 0 returned and `c.pos` after its line break, or
 * MORE (the text ends inside it) or TO_CSV_PARSE.
 */
function record(c: Cursor, out: string[][]): number {
  const { text } = c;
  const fields: string[] = [];
  for (;;) {
    if (c.pos < text.length && text.charCodeAt(c.pos) === QUOTE) {
      const got = quotedField(c);
      if (got !== 0) return got;
    } else bareField(c);
    fields.push(c.value);
    const p = c.pos;
    if (p >= text.length) {
      if (!c.final) return MORE;
      out.push(fields);
      return 0;
    }
    const ch = text.charCodeAt(p);
    if (ch === c.delimiter) {
      c.pos = p + 1;
      continue;
    }
    // A CR at the end of the text may be the first half of a CRLF.
    if (ch === CR && p + 1 >= text.length && !c.final) return MORE;
    c.pos = ch === CR && text.charCodeAt(p + 1) === LF ? p + 2 : p + 1;
    out.push(fields);
    return 0;
  }
}

/**
 * The records of `text` pushed to `out`, and the offset of the first one it does not finish (the
 * rest waits for the next chunk; with `final`, the text is the end of the file), or TO_CSV_PARSE.
 * A record of more than `maxBytes / 3` characters also goes to csv-parse, which counts its bytes.
 */
export function splitRecords(
  text: string,
  delimiter: number,
  final: boolean,
  maxBytes: number,
  out: string[][],
): number {
  const c: Cursor = { text, delimiter, final, pos: 0, value: '' };
  let start = 0;
  while (start < text.length) {
    const got = record(c, out);
    if (got === TO_CSV_PARSE) return TO_CSV_PARSE;
    const end = got === MORE ? text.length : c.pos;
    if ((end - start) * 3 > maxBytes) {
      if (got === 0) out.pop();
      return TO_CSV_PARSE;
    }
    if (got === MORE) return start;
    start = c.pos;
  }
  return start;
}
