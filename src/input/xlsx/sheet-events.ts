/**
 * One known sheet's rows → reader events: its header row, its data rows (with the cells the file
 * holds twice), rows of nothing but formula errors, then what only the sheet's end tells: merged
 * ranges, and which of the rows read are hidden in Excel or filtered out by an AutoFilter.
 */
import type { SheetName } from '../../model/catalogue.js';
import { isBlank, onlyFormulaErrors, type SheetEvent } from '../events.js';
import { locateHeader } from '../header-row.js';
import type { SheetTable } from './tables.js';
import type { SheetNotes, SheetRow } from './worksheet.js';

async function* nonBlank(rows: AsyncIterable<SheetRow>): AsyncGenerator<SheetRow> {
  for await (const row of rows) if (!isBlank(row.cells) || row.duplicates || row.repeated) yield row;
}

/** A hidden row is filtered out when an AutoFilter (the sheet's or a table's) covers it below its header. */
function filteredBy(notes: SheetNotes, tables: readonly SheetTable[]): (row: number) => boolean {
  const ranges = [...(notes.autoFilter ? [notes.autoFilter] : []), ...tables];
  return (row) => ranges.some((r) => row > r.firstRow && row <= r.lastRow);
}

export async function* sheetEvents(
  file: string,
  sheet: SheetName,
  rows: AsyncIterable<SheetRow>,
  notes: SheetNotes,
  tables: readonly SheetTable[],
): AsyncGenerator<SheetEvent> {
  let headerSeen = false;
  let headerRow = 0;
  const errorOnly = { firstRow: 0, lastRow: 0, count: 0 };
  const hidden: number[] = [];
  for await (const located of locateHeader(nonBlank(rows), [sheet])) {
    const { row, cells, duplicates, repeated } = located.row;
    if (located.kind === 'header') {
      headerSeen = true;
      headerRow = row;
      const headers = Array.from(cells, (c) => c?.text ?? '');
      yield {
        type: 'header',
        file,
        sheets: [sheet],
        row,
        headers,
        ...(located.guessed ? { guessed: true } : {}),
      };
    } else if (onlyFormulaErrors(cells) && !duplicates && !repeated) {
      // Nothing typed on the row: a formula filled down past the data (#N/A from a lookup).
      errorOnly.firstRow ||= row;
      errorOnly.lastRow = row;
      errorOnly.count++;
    } else {
      if (located.row.hidden) hidden.push(row);
      yield {
        type: 'row',
        file,
        sheet,
        row,
        cells,
        ...(duplicates ? { duplicates } : {}),
        ...(repeated ? { repeated } : {}),
      };
    }
  }
  if (errorOnly.count > 0) yield { type: 'error-only-rows', file, sheet, ...errorOnly };
  if (!headerSeen) yield { type: 'header', file, sheets: [sheet], row: 1, headers: [] };
  for (const merge of notes.merges)
    if (headerSeen && merge.lastRow > headerRow)
      yield {
        type: 'merged',
        file,
        sheet,
        ref: merge.ref,
        column: merge.firstColumn - 1,
        firstRow: merge.firstRow,
        lastRow: merge.lastRow,
      };
  if (hidden.length > 0) {
    const filtered = filteredBy(notes, tables);
    yield { type: 'hidden-rows', file, sheet, rows: hidden.map((row) => ({ row, filtered: filtered(row) })) };
  }
}
