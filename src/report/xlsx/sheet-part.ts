/**
 * One worksheet part, written as its rows come: the head (print fit, frozen panes, column widths), the
 * rows (text as inline strings, numbers as numbers, never a formula), the tail (auto-filter, margins,
 * page setup, footer). Rows are written into one 256 KiB buffer, deflated into the file each time it is
 * full, so a sheet of any length holds one piece in memory; and no text longer than a row is made (a
 * string of a piece's size would sit in V8's large-object space until a full collection: 67 MB of
 * such garbage at 100,000 rows).
 */
import type ExcelJS from 'exceljs';
import type { StyleTable, Style } from './styles.js';
import { escapeXml, textElement } from './xml-text.js';
import type { ZipFile } from './zip-file.js';

export type Cell = string | number | null;

export interface SheetSetup {
  /** Column widths, in characters, from column A on. */
  widths: readonly number[];
  /** Columns and rows kept in view when scrolling (none: nothing frozen). */
  frozen?: { columns: number; rows: number };
  /** An auto-filter over the first row (the header) and the rows below, this many columns wide. */
  filterColumns?: number;
  /** How it prints, as layout.ts gives it. */
  page: Partial<ExcelJS.PageSetup>;
  /** The footer of every printed page (Excel's codes: &A the sheet, &P the page). */
  footer: string;
}

export interface RowOptions {
  /** Points; none: the default height. */
  height?: number;
  /** The row's own format (what cells added to it later get). */
  style?: Style | undefined;
}

const PIECE = 256 * 1024;
const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const RELATIONSHIPS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

/** Column letters of a 1-based column number: 1 → A, 28 → AB. */
export function columnName(column: number): string {
  let name = '';
  for (let n = column; n > 0; n = Math.floor((n - 1) / 26))
    name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}

export class SheetWriter {
  /** Rows written so far. */
  rows = 0;
  private readonly piece = Buffer.allocUnsafe(PIECE);
  private used = 0;
  private readonly letters: string[] = [];

  constructor(
    private readonly zip: ZipFile,
    private readonly styles: StyleTable,
    readonly name: string,
    readonly setup: SheetSetup,
  ) {}

  /** Writes the head (the caller has begun the part's entry). */
  async begin(): Promise<void> {
    await this.put(sheetHead(this.setup));
  }

  /** The next row: `values` from column A on, `styles[i]` the format of cell i. */
  async addRow(values: readonly Cell[], styles: readonly (Style | undefined)[], options: RowOptions = {}) {
    const r = ++this.rows;
    let xml = `<row r="${r}"`;
    if (options.height !== undefined) xml += ` ht="${options.height}" customHeight="1"`;
    const rowStyle = this.styles.idOf(options.style);
    if (rowStyle !== 0) xml += ` s="${rowStyle}" customFormat="1"`;
    xml += '>';
    for (let i = 0; i < values.length; i++) xml += this.cell(`${this.letter(i)}${r}`, values[i]!, styles[i]);
    await this.put(`${xml}</row>`);
  }

  /** Writes the tail and ends the part. */
  async end(): Promise<void> {
    await this.put(sheetTail(this.setup, this.rows));
    await this.flush();
    await this.zip.endEntry();
  }

  private cell(ref: string, value: Cell, style: Style | undefined): string {
    const id = this.styles.idOf(style);
    const s = id === 0 ? '' : ` s="${id}"`;
    if (value === null) return id === 0 ? '' : `<c r="${ref}"${s}/>`;
    if (typeof value === 'number' && Number.isFinite(value)) return `<c r="${ref}"${s}><v>${value}</v></c>`;
    return `<c r="${ref}"${s} t="inlineStr"><is>${textElement(String(value))}</is></c>`;
  }

  private letter(index: number): string {
    return (this.letters[index] ??= columnName(index + 1));
  }

  /** Adds `xml` to the piece, deflating the piece first when it might not fit (UTF-8: at most 3 bytes a code unit). */
  private async put(xml: string): Promise<void> {
    if (this.used + xml.length * 3 > PIECE) await this.flush();
    if (xml.length * 3 > PIECE) await this.zip.write(Buffer.from(xml, 'utf8'));
    else this.used += this.piece.write(xml, this.used, 'utf8');
  }

  private async flush(): Promise<void> {
    const used = this.used;
    this.used = 0;
    if (used > 0) await this.zip.write(this.piece.subarray(0, used));
  }
}

function sheetHead(setup: SheetSetup): string {
  const fit = setup.page.fitToPage ? '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>' : '';
  const cols = setup.widths
    .map((w, i) => `<col min="${i + 1}" max="${i + 1}" width="${w}" customWidth="1"/>`)
    .join('');
  return (
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n` +
    `<worksheet xmlns="${MAIN}" xmlns:r="${RELATIONSHIPS}">${fit}` +
    `<sheetViews>${sheetView(setup.frozen)}</sheetViews>` +
    `<sheetFormatPr defaultRowHeight="15"/>` +
    (cols ? `<cols>${cols}</cols>` : '') +
    '<sheetData>'
  );
}

/** The view: frozen panes with the first cell below and right of them as the top-left of the scrolling part. */
function sheetView(frozen: SheetSetup['frozen']): string {
  if (!frozen || (frozen.columns === 0 && frozen.rows === 0)) return '<sheetView workbookViewId="0"/>';
  const { columns, rows } = frozen;
  const pane = columns > 0 && rows > 0 ? 'bottomRight' : rows > 0 ? 'bottomLeft' : 'topRight';
  const split = (columns > 0 ? ` xSplit="${columns}"` : '') + (rows > 0 ? ` ySplit="${rows}"` : '');
  const topLeft = `${columnName(columns + 1)}${rows + 1}`;
  return (
    `<sheetView workbookViewId="0"><pane${split} topLeftCell="${topLeft}" activePane="${pane}" state="frozen"/>` +
    `<selection pane="${pane}" activeCell="${topLeft}" sqref="${topLeft}"/></sheetView>`
  );
}

function sheetTail(setup: SheetSetup, rows: number): string {
  const { page } = setup;
  const m = page.margins;
  const filter = setup.filterColumns ? `<autoFilter ref="${filterRange(setup.filterColumns, rows)}"/>` : '';
  const margins = m
    ? `<pageMargins left="${m.left}" right="${m.right}" top="${m.top}" bottom="${m.bottom}" header="${m.header}" footer="${m.footer}"/>`
    : '';
  const setupAttributes =
    (page.paperSize !== undefined ? ` paperSize="${page.paperSize}"` : '') +
    (page.orientation ? ` orientation="${page.orientation}"` : '') +
    (page.fitToWidth !== undefined ? ` fitToWidth="${page.fitToWidth}"` : '') +
    (page.fitToHeight !== undefined ? ` fitToHeight="${page.fitToHeight}"` : '');
  return (
    `</sheetData>${filter}${margins}<pageSetup${setupAttributes}/>` +
    `<headerFooter><oddFooter>${escapeXml(setup.footer)}</oddFooter></headerFooter></worksheet>`
  );
}

/** The filtered range: the header and every row under it ("A1:M1001"); the header alone when no rows. */
export function filterRange(columns: number, rows: number): string {
  return `A1:${columnName(columns)}${Math.max(1, rows)}`;
}
