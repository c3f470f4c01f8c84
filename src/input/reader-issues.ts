/**
 * Reader events that are not rows, told as issues a person can act on: a header not found or
 * split on the wrong delimiter, an untyped row, a sheet not read, rows of formula errors, merges.
 */
import { printable } from '../model/printable.js';
import type { InputIssue } from '../model/issues.js';
import type {
  ErrorOnlyRowsEvent,
  HeaderEvent,
  HiddenRowsEvent,
  HiddenSheetEvent,
  IgnoredSheetEvent,
  MergedEvent,
  RowEvent,
  UntypedRowEvent,
} from './events.js';
import { HEADER_SEARCH_ROWS } from './header-row.js';
import { rawKey } from './headers.js';
import { hiddenSheetMessage } from './xlsx/sheet-choice.js';
import { parseCellRef } from './xlsx/worksheet.js';

const OTHER_DELIMITERS = ['|', ';', '\t', ',', ':'] as const;

/** Header issues beyond unknown columns: a header not found where it was looked for, a CSV split on the wrong delimiter. */
export function headerHints(event: HeaderEvent): InputIssue[] {
  const out: InputIssue[] = [];
  const where = {
    file: event.file,
    ...(event.sheets.length === 1 ? { sheet: event.sheets[0] } : {}),
    row: event.row,
  };
  const filled = event.headers.filter((h) => h !== '');
  const joined = filled.length === 1 ? filled[0]! : undefined;
  const delimiter = joined && OTHER_DELIMITERS.find((d) => joined.split(d).length > 2);
  if (delimiter && /\.(csv|tsv)$/i.test(event.file)) {
    const name = delimiter === '\t' ? 'tab' : `"${delimiter}"`;
    out.push({
      severity: 'error',
      rule: 'csv-delimiter',
      message: `the header row reads as one column, "${printable(joined.slice(0, 60))}${joined.length > 60 ? '…' : ''}": its columns seem separated by ${name}, which lpsync did not take as the delimiter; lpsync reads CSV separated by commas, semicolons or tabs: save it again as "CSV UTF-8 (comma delimited)", or put sep=${delimiter === '\t' ? '<tab>' : delimiter} on a first line of its own`,
      ...where,
    });
  } else if (event.guessed)
    out.push({
      severity: 'error',
      rule: 'header-not-found',
      message: `no header row found: lpsync looks for the header (License, Short Name, … or Customer Short Name, Site Name, …) in the first ${HEADER_SEARCH_ROWS} non-blank rows of a sheet, and none of them had known headers, so row ${event.row} was taken as the header; put the header row within the first ${HEADER_SEARCH_ROWS} non-blank rows`,
      ...where,
    });
  return out;
}

/** The issue for an event that is neither a header, a row nor a merge, placed in `file`. */
export function eventIssue(
  event: UntypedRowEvent | IgnoredSheetEvent | ErrorOnlyRowsEvent | HiddenSheetEvent,
  file: string,
): InputIssue {
  switch (event.type) {
    case 'untyped-row':
      return {
        severity: 'error',
        rule: 'unknown-type',
        message: `Type must be Customer or SipConnection; got "${event.typeText}"`,
        file,
        row: event.row,
        column: event.typeColumn,
        value: event.typeText,
      };
    case 'ignored-sheet':
      return {
        severity: 'warning',
        rule: 'sheet-not-read',
        message: `sheet "${printable(event.name)}"${event.hidden ? ' (hidden in Excel)' : ''} has the headers of a ${event.looksLike} sheet on row ${event.row}, but lpsync reads only sheets named Customers and SipConnections; rename it to ${event.looksLike} if its rows are meant to be applied`,
        file,
        sheet: printable(event.name),
        row: event.row,
        looksLike: event.looksLike,
      };
    case 'hidden-sheet':
      return {
        severity: 'warning',
        rule: 'hidden-sheet',
        message: hiddenSheetMessage(event.name, event.hidden, event.sheet),
        file,
        sheet: event.sheet,
      };
    case 'error-only-rows': {
      const rows =
        event.count === 1
          ? `row ${event.firstRow}`
          : `${event.count} rows between ${event.firstRow} and ${event.lastRow}`;
      return {
        severity: 'warning',
        rule: 'formula-error-rows-skipped',
        message: `${rows} hold nothing but formulas ending in an error (#N/A…), so they were read as empty rows; if they were meant as data, fix the formulas`,
        file,
        sheet: event.sheet,
        row: event.firstRow,
      };
    }
  }
}

/** A range merged down several rows, its column named by the header in force. */
export function mergedIssue(event: MergedEvent, file: string, headers: string[]): InputIssue {
  return {
    severity: 'error',
    rule: 'merged-cells',
    message: `cells ${event.ref} are merged, so only row ${event.firstRow} holds the value and the rows below read as empty in this column; unmerge them and fill in every row`,
    file,
    sheet: event.sheet,
    row: event.firstRow,
    column: rawKey(headers, event.column),
    value: event.ref,
  };
}

/** One warning per hidden row read: it is applied though nobody sees it in Excel. */
export function hiddenRowIssues(event: HiddenRowsEvent, file: string): InputIssue[] {
  return event.rows.map(({ row, filtered }) => ({
    severity: 'warning',
    rule: 'hidden-row',
    message: `row ${row} is hidden in Excel${filtered ? ' (filtered out by the AutoFilter)' : ''}; lpsync reads it like any other row: ${filtered ? 'clear the filter (Data › Clear)' : 'unhide it (select the rows around it, right-click › Unhide)'} to check it, or delete it if it is not meant to be applied`,
    file,
    sheet: event.sheet,
    row,
  }));
}

/** A row the file holds twice (two `<row r="5">` with values): both are refused, as which is meant is unknown. */
export function repeatedRowIssue(event: RowEvent, file: string): InputIssue {
  return {
    severity: 'error',
    rule: 'duplicate-row',
    message: `the file holds row ${event.row} twice (two <row r="${event.row}"> in the sheet's XML), so which values are meant cannot be told: neither is applied; Excel never writes this, the program that made the file did: open the file in Excel or LibreOffice, check the row and save it again`,
    file,
    sheet: event.sheet,
    row: event.row,
  };
}

/** A cell the file holds twice in one row (two `<c r="C5">`): the row is refused, naming the cell. */
export function duplicateCellIssues(event: RowEvent, file: string, headers: string[]): InputIssue[] {
  return (event.duplicates ?? []).map((ref) => {
    const at = parseCellRef(ref);
    return {
      severity: 'error',
      rule: 'duplicate-cell',
      message: `the file holds cell ${ref} twice (two <c r="${ref}"> in the sheet's XML), so which value is meant cannot be told; Excel never writes this, the program that made the file did: open the file in Excel, check the row and save it again`,
      file,
      sheet: event.sheet,
      row: event.row,
      ...(at ? { column: rawKey(headers, at.column) } : {}),
      value: ref,
    };
  });
}
