/**
 * What a workbook names, row by row, whether or not the row is valid: each Customers row its service and
 * primary SIP connection (named after the short name when Site Name is blank), each SipConnections row a
 * SIP connection of a service. What `export --not-in` leaves out.
 */
import { headerMeaning } from '../model/catalogue.js';
import type { RawSheet } from './index.js';

export interface NamedKey {
  customerShortName: string;
  siteName?: string;
}

/** The header (as written) of each of the paths, found by what the catalogue says it means. */
function headersOf(sheet: RawSheet, paths: readonly string[]): Map<string, string> {
  const found = new Map<string, string>();
  for (const header of sheet.headers) {
    const meaning = headerMeaning(sheet.sheet, header);
    if (meaning.kind === 'field' && paths.includes(meaning.field.path) && !found.has(meaning.field.path))
      found.set(meaning.field.path, header);
  }
  return found;
}

export function namedKeys(sheets: readonly RawSheet[]): NamedKey[] {
  const keys: NamedKey[] = [];
  for (const sheet of sheets) {
    const customers = sheet.sheet === 'Customers';
    const columns = headersOf(
      sheet,
      customers ? ['shortName', 'siteName'] : ['customerShortName', 'siteName'],
    );
    const nameColumn = columns.get(customers ? 'shortName' : 'customerShortName');
    if (nameColumn === undefined) continue;
    const siteColumn = columns.get('siteName');
    for (const row of sheet.rows) {
      const customerShortName = (row.values[nameColumn] ?? '').trim();
      if (customerShortName === '') continue;
      const site = siteColumn === undefined ? '' : (row.values[siteColumn] ?? '').trim();
      const siteName = site !== '' ? site : customers ? customerShortName : undefined;
      keys.push(siteName === undefined ? { customerShortName } : { customerShortName, siteName });
    }
  }
  return keys;
}
