/**
 * A workbook written as it is made, one sheet after another, straight into a ZIP file: what the results
 * workbook needs and no more (inline strings, numbers, a few cell formats, print setup), without loading
 * exceljs and its streams. `commit` adds the styles, workbook and package parts and ends the file.
 */
import { ZipFile } from './zip-file.js';
import { SheetWriter, type SheetSetup } from './sheet-part.js';
import { StyleTable } from './styles.js';
import {
  appProperties,
  contentTypes,
  coreProperties,
  packageRelationships,
  sheetPart,
  workbookPart,
  workbookRelationships,
} from './package-parts.js';

export class XlsxFile {
  private readonly sheets: SheetWriter[] = [];
  private readonly styles = new StyleTable();
  private open: SheetWriter | null = null;

  private constructor(
    private readonly zip: ZipFile,
    private readonly creator: string,
  ) {}

  /** A new workbook file at `path` (its folder must exist), `creator` in its properties. */
  static async create(path: string, creator: string): Promise<XlsxFile> {
    return new XlsxFile(await ZipFile.create(path), creator);
  }

  /** The next sheet; the one before it is ended. */
  async addSheet(name: string, setup: SheetSetup): Promise<SheetWriter> {
    await this.endSheet();
    await this.zip.beginEntry(sheetPart(this.sheets.length + 1));
    const sheet = new SheetWriter(this.zip, this.styles, name, setup);
    this.sheets.push(sheet);
    this.open = sheet;
    await sheet.begin();
    return sheet;
  }

  /** Ends the last sheet and writes the rest of the package. */
  async commit(): Promise<void> {
    await this.endSheet();
    const count = this.sheets.length;
    await this.zip.addEntry('xl/styles.xml', this.styles.xml());
    await this.zip.addEntry('xl/workbook.xml', workbookPart(this.sheets));
    await this.zip.addEntry('xl/_rels/workbook.xml.rels', workbookRelationships(count));
    await this.zip.addEntry('docProps/core.xml', coreProperties(this.creator, new Date()));
    await this.zip.addEntry('docProps/app.xml', appProperties(this.creator, this.sheets));
    await this.zip.addEntry('_rels/.rels', packageRelationships());
    await this.zip.addEntry('[Content_Types].xml', contentTypes(count));
    await this.zip.close();
  }

  /** Closes the file after a failure, leaving its removal to the caller. */
  async abandon(): Promise<void> {
    await this.zip.abandon();
  }

  private async endSheet(): Promise<void> {
    const sheet = this.open;
    this.open = null;
    if (sheet) await sheet.end();
  }
}
