/**
 * Merged cells: Excel keeps a merged range's value in its top-left cell only, so a range merged
 * down several data rows leaves the rows below it empty in that column. exceljs's streaming
 * reader ignores `<mergeCell>`; this watches the sheet's XML as it streams past to find them
 * (they come after the rows, so they are reported at the end of the sheet).
 */

export interface MergedRange {
  /** As Excel writes it, e.g. `B3:B6`. */
  ref: string;
  firstColumn: number;
  firstRow: number;
  lastRow: number;
}

const MERGE_CELL = /<(?:\w+:)?mergeCell\b[^>]*\bref="([A-Z]+)(\d+):([A-Z]+)(\d+)"/g;

function columnNumber(letters: string): number {
  let n = 0;
  for (const ch of letters) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n;
}

/** Passes a sheet's XML chunks through unchanged, collecting the merged ranges that span rows. */
export async function* watchMerges(
  chunks: AsyncIterable<Buffer | string>,
  found: MergedRange[],
): AsyncGenerator<Buffer | string> {
  let carry = '';
  for await (const chunk of chunks) {
    const text = carry + (typeof chunk === 'string' ? chunk : chunk.toString('latin1'));
    let last = 0;
    for (const match of text.matchAll(MERGE_CELL)) {
      const [, fromCol = 'A', fromRow = '0', , toRow = '0'] = match;
      last = match.index + match[0].length;
      if (Number(toRow) > Number(fromRow))
        found.push({
          ref: `${fromCol}${fromRow}:${match[3]}${toRow}`,
          firstColumn: columnNumber(fromCol),
          firstRow: Number(fromRow),
          lastRow: Number(toRow),
        });
    }
    // Keep a tail so a tag cut between two chunks is still seen (matched ones are not seen twice).
    carry = text.slice(Math.max(last, text.length - 256));
    yield chunk;
  }
}
