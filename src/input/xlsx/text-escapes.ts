/**
 * Excel's `_xHHHH_` escapes in cell text: characters XML cannot hold (a carriage return is
 * `_x000D_`), and `_x005F_` before a literal `_xHHHH_` typed by a person.
 */
const ESCAPE = /_x([0-9A-Fa-f]{4})_/g;

export function unescapeExcelText(text: string): string {
  if (!text.includes('_x')) return text;
  return text.replace(ESCAPE, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}
