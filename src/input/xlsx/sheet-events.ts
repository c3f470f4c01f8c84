/**
 * One known sheet's rows → reader events: its header row, its data rows (with the cells the file
 * holds twice), rows of nothing but formula errors, then what only the sheet's end tells: merged
 * ranges, and which of the rows read are hidden in Excel or filtered out by an AutoFilter. Rows come
 * in batches (one a chunk of XML) and leave as batches of events: a promise a row, through every
 * stage, cost more than most stages' own work.
 */
import type { SheetName } from '../../model/catalogue.js';
import { isBlank, onlyFormulaErrors, type RowEvent, type SheetEvent } from '../events.js';
import { headerSearch } from '../header-row.js';
import type { SheetTable } from './tables.js';
import type { SheetNotes, SheetRow } from './worksheet.js';

/** A hidden row is filtered out when an AutoFilter (the sheet's or a table's) covers it below its header. */
function filteredBy(notes: SheetNotes, tables: readonly SheetTable[]): (row: number) => boolean {
  const ranges = [...(notes.autoFilter ? [notes.autoFilter] : []), ...tables];
  return (row) => ranges.some((r) => row > r.firstRow && row <= r.lastRow);
}

/** What the rows of a sheet told so far: events not yet handed on, and what the sheet's end reports. */
interface SheetSoFar {
  out: SheetEvent[];
  headerRow?: number;
  errorOnly: { firstRow: number; lastRow: number; count: number };
  hidden: number[];
}

function rowEvent(file: string, sheet: SheetName, located: SheetRow): RowEvent {
  const event: RowEvent = { type: 'row', file, sheet, row: located.row, cells: located.cells };
  if (located.duplicates) event.duplicates = located.duplicates;
  if (located.repeated) event.repeated = true;
  return event;
}

/** The events of what only the sheet's end tells: error-only rows, a missing header, merges, hidden rows. */
function closingEvents(
  file: string,
  sheet: SheetName,
  seen: SheetSoFar,
  notes: SheetNotes,
  tables: readonly SheetTable[],
): SheetEvent[] {
  const { errorOnly, hidden, headerRow } = seen;
  const out: SheetEvent[] = [];
  if (errorOnly.count > 0) out.push({ type: 'error-only-rows', file, sheet, ...errorOnly });
  if (headerRow === undefined) out.push({ type: 'header', file, sheets: [sheet], row: 1, headers: [] });
  for (const merge of notes.merges)
    if (headerRow !== undefined && merge.lastRow > headerRow)
      out.push({
        type: 'merged',
        file,
        sheet,
        ref: merge.ref,
        column: merge.firstColumn - 1,
        firstRow: merge.firstRow,
        lastRow: merge.lastRow,
      });
  if (hidden.length > 0) {
    const filtered = filteredBy(notes, tables);
    out.push({
      type: 'hidden-rows',
      file,
      sheet,
      rows: hidden.map((row) => ({ row, filtered: filtered(row) })),
    });
  }
  return out;
}

export async function* sheetEvents(
  file: string,
  sheet: SheetName,
  batches: AsyncIterable<SheetRow[]>,
  notes: SheetNotes,
  tables: readonly SheetTable[],
): AsyncGenerator<SheetEvent[]> {
  const seen: SheetSoFar = { out: [], errorOnly: { firstRow: 0, lastRow: 0, count: 0 }, hidden: [] };
  const search = headerSearch<SheetRow>([sheet], {
    header(located, guessed) {
      seen.headerRow = located.row;
      const headers = Array.from(located.cells, (c) => c?.text ?? '');
      seen.out.push({
        type: 'header',
        file,
        sheets: [sheet],
        row: located.row,
        headers,
        ...(guessed ? { guessed: true } : {}),
      });
    },
    row(located) {
      if (onlyFormulaErrors(located.cells) && !located.duplicates && !located.repeated) {
        // Nothing typed on the row: a formula filled down past the data (#N/A from a lookup).
        seen.errorOnly.firstRow ||= located.row;
        seen.errorOnly.lastRow = located.row;
        seen.errorOnly.count++;
        return;
      }
      if (located.hidden) seen.hidden.push(located.row);
      seen.out.push(rowEvent(file, sheet, located));
    },
  });
  for await (const rows of batches) {
    for (const row of rows) if (!isBlank(row.cells) || row.duplicates || row.repeated) search.take(row);
    if (seen.out.length > 0) {
      yield seen.out;
      seen.out = [];
    }
  }
  search.end();
  const out = [...seen.out, ...closingEvents(file, sheet, seen, notes, tables)];
  if (out.length > 0) yield out;
}
