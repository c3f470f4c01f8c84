/**
 * The one escaping helper of the console: every page is built with `html`, which escapes each value it
 * is given unless the value is itself `html` (a fragment built the same way). There is no other way to
 * put text into a page, so nothing a workbook holds can become markup.
 */

/** Markup made by `html`: safe to put into a page as it is. */
export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text as HTML text or an attribute value (quoted): `& < > " '` become entities. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/** A value of a template: markup as is, a list joined, nothing for null/undefined/false, anything else escaped. */
export type Part = Html | string | number | boolean | null | undefined | readonly Part[];

function render(part: Part): string {
  if (part instanceof Html) return part.text;
  if (Array.isArray(part)) return (part as readonly Part[]).map(render).join('');
  if (part === null || part === undefined || part === false) return '';
  return escapeHtml(String(part));
}

/** The tagged template every page is written with: `html\`<td>${value}</td>\`` escapes `value`. */
export function html(strings: TemplateStringsArray, ...parts: Part[]): Html {
  let out = strings[0]!;
  parts.forEach((part, i) => (out += render(part) + strings[i + 1]!));
  return new Html(out);
}

/** A list of fragments as one. */
export function join(parts: readonly Part[], separator: Part = ''): Html {
  return new Html(parts.map(render).join(render(separator)));
}
