/**
 * Text into XML 1.0 as a results cell holds it. `< > & " '` are escaped; the control characters XML 1.0
 * forbids (all below U+0020 but tab, line feed and carriage return) and DEL are left out, as exceljs
 * left them out; U+FFFE and U+FFFF (also forbidden, written raw by exceljs) are left out too; a lone
 * surrogate half becomes U+FFFD, the character UTF-8 gives it; a carriage return is kept as &#13;. So no text can make a reader refuse or "repair" the file.
 */

/** Anything that needs more than copying: markup, forbidden characters, surrogate halves. */
// eslint-disable-next-line no-control-regex -- finding the control characters is its purpose
const NEEDS_WORK = /[<>&"'\u0000-\u0008\u000b-\u001f\u007f\ud800-\udfff\ufffe\uffff]/;

/** A carriage return as a reference: written raw, every XML reader reads it as a line feed. */
const ENTITY: Record<number, string> = {
  13: '&#13;',
  34: '&quot;',
  38: '&amp;',
  39: '&apos;',
  60: '&lt;',
  62: '&gt;',
};

/** True for a code unit XML 1.0 does not allow (surrogates aside). */
function forbidden(code: number): boolean {
  return (code < 0x20 && code !== 9 && code !== 10 && code !== 13) || code === 0x7f || code >= 0xfffe;
}

/** `text` safe as XML character data or an attribute value. */
export function escapeXml(text: string): string {
  if (!NEEDS_WORK.test(text)) return text;
  let out = '';
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    let replacement: string | undefined = ENTITY[code];
    if (replacement === undefined) {
      if (code >= 0xd800 && code <= 0xdfff) {
        const next = text.charCodeAt(i + 1);
        if (code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
          i++;
          continue;
        }
        replacement = '\ufffd';
      } else if (forbidden(code)) replacement = '';
      else continue;
    }
    out += text.slice(from, i) + replacement;
    from = i + 1;
  }
  return out + text.slice(from);
}

/** A `<t>` whose leading or trailing white space a reader must keep. */
export function textElement(text: string): string {
  const first = text.charCodeAt(0);
  const last = text.charCodeAt(text.length - 1);
  const keep = first <= 32 || last <= 32;
  return keep && text.length > 0
    ? `<t xml:space="preserve">${escapeXml(text)}</t>`
    : `<t>${escapeXml(text)}</t>`;
}
