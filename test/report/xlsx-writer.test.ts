/**
 * The results workbook's own writer (src/report/xlsx/): the ZIP it makes is whole (every entry's CRC and
 * sizes right, read by yauzl, which checks both), and the workbook reads back equal in exceljs's full
 * reader and in lpsync's own reader, hostile text included.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as zlib from 'node:zlib';
import ExcelJS from 'exceljs';
import yauzl from 'yauzl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readXlsx } from '../../src/input/xlsx-reader.js';
import { textOf } from '../../src/model/text.js';
import { MAX_CELL_TEXT, writeResultsWorkbook } from '../../src/report/workbook.js';
import { crc32, tableCrc32 } from '../../src/report/xlsx/crc32.js';
import { escapeXml } from '../../src/report/xlsx/xml-text.js';
import { FORMULA_LIKE, HOSTILE_READ, hostileInput, LONG, SECRET } from '../support/results-input.js';

const dir = mkdtempSync(join(tmpdir(), 'lpsync-xlsx-writer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** 3,000 plain rows besides the hostile ones: the first sheet is deflated in several pieces. */
const PLAIN = 3000;
const path = join(dir, 'hostile.results.xlsx');
beforeAll(async () => {
  await writeResultsWorkbook(path, hostileInput(PLAIN));
});

interface ZipEntry {
  name: string;
  crc: number;
  size: number;
  compressed: number;
  offset: number;
  data: Buffer;
}

/** Every entry of a ZIP read whole by yauzl (which fails on a wrong CRC or size). */
function readZip(file: string): Promise<ZipEntry[]> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true, validateEntrySizes: true }, (error, zip) => {
      if (error) return reject(error);
      const entries: ZipEntry[] = [];
      zip.on('error', reject);
      zip.on('end', () => resolve(entries));
      zip.on('entry', (entry: yauzl.Entry) =>
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError) return reject(streamError);
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('error', reject);
          stream.on('end', () => {
            entries.push({
              name: entry.fileName,
              crc: entry.crc32,
              size: entry.uncompressedSize,
              compressed: entry.compressedSize,
              offset: entry.relativeOffsetOfLocalHeader,
              data: Buffer.concat(chunks),
            });
            zip.readEntry();
          });
        }),
      );
      zip.readEntry();
    });
  });
}

describe('the ZIP of a results workbook', () => {
  it('holds every part, each with the CRC and sizes of its content, the same in its local header', async () => {
    const entries = await readZip(path);
    expect(entries.map((e) => e.name).sort()).toEqual([
      '[Content_Types].xml',
      '_rels/.rels',
      'docProps/app.xml',
      'docProps/core.xml',
      'xl/_rels/workbook.xml.rels',
      'xl/styles.xml',
      'xl/workbook.xml',
      'xl/worksheets/sheet1.xml',
      'xl/worksheets/sheet2.xml',
      'xl/worksheets/sheet3.xml',
      'xl/worksheets/sheet4.xml',
    ]);
    const file = readFileSync(path);
    for (const e of entries) {
      expect(e.data.length).toBe(e.size);
      expect(crc32(e.data)).toBe(e.crc);
      // The local header holds the same CRC and sizes (no data descriptor to look for).
      expect(file.readUInt32LE(e.offset)).toBe(0x04034b50);
      expect(file.readUInt16LE(e.offset + 6) & 0x0008).toBe(0);
      expect([
        file.readUInt32LE(e.offset + 14),
        file.readUInt32LE(e.offset + 18),
        file.readUInt32LE(e.offset + 22),
      ]).toEqual([e.crc, e.compressed, e.size]);
    }
    // The first sheet is well past one 256 KiB piece: the pieces joined inflate as one stream.
    expect(entries.find((e) => e.name === 'xl/worksheets/sheet1.xml')!.size).toBeGreaterThan(512 * 1024);
  });

  it('computes the same CRC-32 without zlib as with it', () => {
    const table = tableCrc32();
    expect(table(Buffer.from('123456789'))).toBe(0xcbf43926);
    const data = randomBytes(100_000);
    expect(table(data)).toBe(zlib.crc32(data));
    expect(table(data.subarray(40_000), table(data.subarray(0, 40_000)))).toBe(zlib.crc32(data));
  });
});

describe('text in the results workbook', () => {
  it('escapes markup, leaves out what XML 1.0 forbids and keeps a carriage return', () => {
    expect(escapeXml('plain text')).toBe('plain text');
    expect(escapeXml(`<a & "b" 'c'>]]>`)).toBe('&lt;a &amp; &quot;b&quot; &apos;c&apos;&gt;]]&gt;');
    expect(escapeXml('a\u0000b\u001bc\u007fd\ufffee\uffff')).toBe('abcde');
    expect(escapeXml('x\ud800y\udc00z 😀')).toBe('x\ufffdy\ufffdz 😀');
    expect(escapeXml('one\r\ntwo\tthree')).toBe('one&#13;\ntwo\tthree');
  });
});

describe('a results workbook read back', () => {
  const fullName = (i: number) => {
    if (i === 0) return HOSTILE_READ;
    if (i <= FORMULA_LIKE.length) return FORMULA_LIKE[i - 1]!;
    if (i === FORMULA_LIKE.length + 1) return `${LONG.slice(0, MAX_CELL_TEXT - 13)}… (truncated)`;
    return `Plain customer ${i - FORMULA_LIKE.length - 2} `.repeat(3);
  };
  const rows = 1 + FORMULA_LIKE.length + 1 + PLAIN;

  it('in exceljs: the same sheets, every value as written, text never a formula, secrets masked', async () => {
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(path);
    expect(book.worksheets.map((w) => w.name)).toEqual(['Customers', 'Summary', 'Drift', 'Issues']);
    expect(book.creator).toBe('lpsync');
    const ws = book.getWorksheet('Customers')!;
    const header = (ws.getRow(1).values as unknown[]).slice(1);
    const cell = (r: number, name: string) => ws.getRow(r).getCell(header.indexOf(name) + 1);
    expect(ws.actualRowCount).toBe(1 + rows);
    for (let i = 0; i < rows; i++) {
      expect(cell(i + 2, 'Full Name').value).toBe(fullName(i));
      expect(cell(i + 2, 'Full Name').type).toBe(ExcelJS.ValueType.String);
      expect(cell(i + 2, 'SBC Id').value).toBe(i);
      expect(cell(i + 2, 'Carrier Password').value).toBe('***');
    }
    const failed = cell(FORMULA_LIKE.length + 3, 'Error');
    expect(textOf(failed.value)).toHaveLength(MAX_CELL_TEXT);
    expect(textOf(failed.value)).toContain('400: carrier password *** rejected');
    expect(failed.alignment).toMatchObject({ wrapText: true, vertical: 'top' });
    expect((cell(FORMULA_LIKE.length + 3, 'Status').fill as ExcelJS.FillPattern).fgColor?.argb).toBe(
      'FFFFC7CE',
    );
    expect(Number(ws.getRow(FORMULA_LIKE.length + 3).height)).toBe(409);
    expect(ws.getRow(1).getCell(1).font).toMatchObject({ bold: true, name: 'Calibri' });
    expect(ws.views[0]).toMatchObject({ state: 'frozen', xSplit: 1, ySplit: 1 });
    expect(ws.pageSetup).toMatchObject({
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
    });
    expect(ws.headerFooter.oddFooter).toBe('&L&A&RPage &P of &N');
    const issues = book.getWorksheet('Issues')!;
    expect(issues.getRow(2).getCell(5).value).toBe(HOSTILE_READ);
    const drift = book.getWorksheet('Drift')!;
    expect(drift.getRow(1).getCell(1).font).toMatchObject({ italic: true });
    for (const part of [readFileSync(path).toString('latin1')]) expect(part).not.toContain(SECRET);
  });

  it("in lpsync's own reader: the Customers sheet's header and cells as written", async () => {
    const read: string[][] = [];
    let header: string[] = [];
    for await (const events of readXlsx(path))
      for (const event of events) {
        if (event.type === 'header') header = event.headers;
        if (event.type === 'row') read.push(event.cells.map((c) => c?.text ?? ''));
      }
    expect(header.slice(0, 4)).toEqual(['Short Name', 'Action', 'Status', 'Error']);
    expect(read).toHaveLength(rows);
    const at = header.indexOf('Full Name');
    read.forEach((cells, i) => {
      expect(cells[at]).toBe(fullName(i));
      expect(cells[header.indexOf('SBC Id')]).toBe(String(i));
    });
  });
});

describe('sheet names in the workbook part', () => {
  it("escapes a sheet's name and quotes it in its print titles, an apostrophe doubled", async () => {
    const input = hostileInput();
    input.sheets = [{ ...input.sheets[0]!, sheet: "'Bob's & <Co>'" }];
    const file = join(dir, 'names.results.xlsx');
    await writeResultsWorkbook(file, input);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(file);
    // Excel refuses a name that starts or ends with an apostrophe: they are left out.
    expect(book.worksheets.map((w) => w.name)[0]).toBe("Bob's & <Co>");
    const workbookXml = (await readZip(file)).find((e) => e.name === 'xl/workbook.xml')!.data.toString();
    expect(workbookXml).toContain('<sheet name="Bob&apos;s &amp; &lt;Co&gt;" sheetId="1" r:id="rId1"/>');
    expect(workbookXml).toContain(
      '<definedName name="_xlnm.Print_Titles" localSheetId="0">&apos;Bob&apos;&apos;s &amp; &lt;Co&gt;&apos;!$1:$1</definedName>',
    );
  });
});
