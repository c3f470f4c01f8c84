/**
 * A sheet's Excel tables (Insert › Table; parts such as xl/tables/table1.xml, named by the sheet's
 * relationships): the rows each covers, and its totals row, which holds SUBTOTAL formulas and
 * labels, not a row of data.
 */
import type { XmlSource } from './xml.js';
import { parseWholePart } from './xml.js';
import { endsWith, readRelationships } from './package.js';
import { parseCellRef } from './worksheet.js';
import type { WorkbookZip } from './zip.js';

export interface SheetTable {
  /** The table's rows, its header row first and its totals rows last. */
  firstRow: number;
  lastRow: number;
  /** How many rows at its end are totals (`totalsRowCount`; 0 when it shows none). */
  totalsRows: number;
}

/** The tables of one sheet part; none when it has no table parts. */
export async function readSheetTables(
  zip: WorkbookZip,
  file: string,
  sheetPart: string,
): Promise<SheetTable[]> {
  const rels = await readRelationships(zip, file, sheetPart);
  const tables: SheetTable[] = [];
  for (const rel of rels) {
    if (!endsWith(rel.type, 'table') || !zip.has(rel.target)) continue;
    const source: XmlSource = { file, what: `the table part ${rel.target}`, maxTextChars: 1_000_000 };
    await parseWholePart(
      await zip.open(rel.target),
      {
        open(name, attributes) {
          if (name !== 'table') return;
          const [from, to] = (attributes.ref ?? '').split(':');
          const first = from ? parseCellRef(from) : undefined;
          const last = to ? parseCellRef(to) : undefined;
          const totals = Number(attributes.totalsRowCount ?? 0);
          if (first && last && first.row > 0 && last.row >= first.row)
            tables.push({
              firstRow: first.row,
              lastRow: last.row,
              // Excel shows one totals row at most; a larger count is not a table Excel wrote.
              totalsRows:
                Number.isInteger(totals) && totals > 0 ? Math.min(totals, 1, last.row - first.row) : 0,
            });
        },
        close() {},
        text() {},
      },
      source,
    );
  }
  return tables;
}

/** The row numbers of the tables' totals rows. */
export function totalsRowsOf(tables: readonly SheetTable[]): Set<number> {
  const rows = new Set<number>();
  for (const table of tables)
    for (let row = table.lastRow - table.totalsRows + 1; row <= table.lastRow; row++) rows.add(row);
  return rows;
}
