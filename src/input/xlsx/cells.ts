/**
 * One cell of a sheet's XML → the text a person typed. Shared strings, inline strings (every
 * rich-text run, phonetic runs left out) and formula string results are text, decoded once;
 * numbers carry both the text their format shows and the number itself; dates
 * (`t="d"`, or a number with a date format) and formula errors are flagged, because no field
 * takes them.
 */
import { RunError } from '../../model/errors.js';
import { numberText, type CellText } from '../cell-text.js';
import { columnLetter } from '../headers.js';
import { showNumber } from './number-format.js';
import { unescapeExcelText } from './text-escapes.js';

/** A cell as the sheet's XML holds it. */
export interface RawCell {
  /** 0-based column. */
  column: number;
  /** The `t` attribute: s, str, inlineStr, b, e, d, n (or absent: a number). */
  type: string;
  /** The `<v>` text, or an inline string's text. */
  value: string;
  /** A `<v>` (or inline `<is>`) was there: a formula without one has no saved result. */
  hasValue: boolean;
  formula: boolean;
  /** The `s` attribute: index of its cell style. */
  style: number;
}

export interface BookContext {
  file: string;
  sheet: string;
  sharedStrings: readonly string[];
  /** Number format code per style index. */
  formats: ReadonlyArray<string | undefined>;
  date1904: boolean;
}

/** Excel keeps 15 significant digits: a longer whole number typed as a number has lost digits. */
const EXACT_DIGITS_LIMIT = 1e15;

// Date number formats: d, m, y, h or s outside quotes and brackets, or a [$-…] locale date.
const DATE_FORMAT = /(^|[^"\\])([dmyhs]{1,4})|\[\$-/i;

export function isDateFormat(numFmt: string | undefined): boolean {
  if (!numFmt || numFmt === 'General' || numFmt === '@') return false;
  const bare = numFmt.replace(/"[^"]*"/g, '').replace(/\[(?:[a-z]+\d*|[<>=][^\]]*)\]/gi, '');
  return DATE_FORMAT.test(bare);
}

const DAY_MS = 86_400_000;
const pad = (n: number) => String(n).padStart(2, '0');

/**
 * The date and time an Excel serial number shows. In the 1900 system Excel counts the day
 * 1900-02-29 that never was (a Lotus 1-2-3 bug it keeps): serial 60 is that day, and serials
 * below it are one day later than a plain count from 1899-12-30 gives.
 */
export function serialDateText(serial: number, date1904: boolean): string {
  const totalSeconds = Math.round(serial * 86_400);
  let days = Math.floor(totalSeconds / 86_400);
  const seconds = totalSeconds - days * 86_400;
  let date: string;
  if (!date1904 && days === 60) date = '1900-02-29';
  else {
    if (!date1904 && days < 60) days += 1;
    const epoch = date1904 ? Date.UTC(1904, 0, 1) : Date.UTC(1899, 11, 30);
    date = new Date(epoch + days * DAY_MS).toISOString().slice(0, 10);
  }
  if (seconds === 0) return date;
  const time = `${pad(Math.floor(seconds / 3600))}:${pad(Math.floor(seconds / 60) % 60)}${seconds % 60 ? `:${pad(seconds % 60)}` : ''}`;
  // A time of day alone (serial below 1): the date part is Excel's day 0.
  return serial < 1 ? time : `${date} ${time}`;
}

/** An ISO date cell (`t="d"`) as it shows: the date, and the time when it has one. */
export function isoDateText(iso: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2})(?::(\d{2}))?)?/.exec(iso.trim());
  if (!match) return iso.trim();
  const [, date, time, seconds] = match;
  if (!time || (time === '00:00' && (!seconds || seconds === '00'))) return date!;
  return `${date} ${time}${seconds && seconds !== '00' ? `:${seconds}` : ''}`;
}

function sharedString(index: string, cell: RawCell, row: number, book: BookContext): string {
  const n = Number(index);
  const text = Number.isInteger(n) && n >= 0 ? book.sharedStrings[n] : undefined;
  if (text === undefined)
    throw new RunError(
      'unreadable-input',
      `${book.file}: sheet "${book.sheet}" cell ${columnLetter(cell.column)}${row} points at shared text ${index}, but the workbook holds only ${book.sharedStrings.length}: the file is damaged`,
      { hint: 'Open it in Excel or LibreOffice, check that cell, and save the workbook again.' },
    );
  return text;
}

/** The cell's text, or undefined for an empty cell. */
export function xlsxCellText(cell: RawCell, row: number, book: BookContext): CellText | undefined {
  const { type, value } = cell;
  if (cell.formula && !cell.hasValue)
    // No saved result: the file was written by a program that does not calculate.
    return { text: '', fault: 'formula-error' };
  switch (type) {
    case 's':
      return cell.hasValue ? { text: sharedString(value, cell, row, book) } : undefined;
    case 'str':
    case 'inlineStr':
      return { text: unescapeExcelText(value) };
    case 'b':
      return { text: value.trim() === '1' || value.trim().toLowerCase() === 'true' ? 'TRUE' : 'FALSE' };
    case 'e':
      return { text: value.trim(), fault: 'formula-error' };
    case 'd':
      return value.trim() === '' ? undefined : { text: isoDateText(value), fault: 'date' };
  }
  if (value.trim() === '') return undefined;
  const number = Number(value);
  if (!Number.isFinite(number)) return { text: value };
  const format = book.formats[cell.style];
  const typed = cell.formula ? {} : { typedAsNumber: true as const };
  if (isDateFormat(format)) return { text: serialDateText(number, book.date1904), fault: 'date' };
  const exact = numberText(number);
  if (Number.isInteger(number) && Math.abs(number) >= EXACT_DIGITS_LIMIT)
    return { text: exact, fault: 'long-number', ...typed };
  // What the cell shows (1,234, 50%, 0123456) and the number itself: the field decides which it takes.
  const shown = showNumber(number, format);
  // Padding and alignment spaces (`_)`, `?`) place the digits; they are not part of the value.
  const text = shown.text.replace(/^ +| +$/g, '');
  return { text, number: exact, ...typed, ...(shown.exact ? {} : { inexact: true as const }) };
}
