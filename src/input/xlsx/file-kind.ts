/**
 * What a file named .xlsx really is when it is not an Office Open XML workbook, said by name with
 * how to save it as .xlsx, instead of a fault found deep inside it ("xl/workbook.bin is not
 * well-formed XML"): its first bytes for files that are not zips (legacy .xls and other OLE2
 * files, SpreadsheetML 2003, HTML, CSV), its parts for zips (.xlsb, .ods, Apple Numbers, Word).
 */
import { open, type FileHandle } from 'node:fs/promises';
import { RunError } from '../../model/errors.js';
import type { WorkbookZip } from './zip.js';

const IN_EXCEL = 'in Excel: File › Save As › Excel Workbook (.xlsx)';
const IN_CALC =
  'in LibreOffice Calc: File › Save As › file type "Excel 2007-365 (.xlsx)" › Use Excel 2007-365!';

function notWorkbook(file: string, what: string, hint: string): RunError {
  return new RunError('unreadable-input', `${file}: not a readable .xlsx workbook: it is ${what}`, { hint });
}

const HEAD_BYTES = 64 * 1024;

async function readAt(handle: FileHandle, length: number, position: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await handle.read(buffer, 0, length, position);
  return buffer.subarray(0, bytesRead);
}

const FREE_OR_END = 0xfffffffa;

/**
 * The names of an OLE2 (Compound File) container's streams: its directory, followed through the
 * FAT sectors the header lists. Enough to tell an .xls (Workbook) from an encrypted .xlsx
 * (EncryptedPackage) or a Word .doc (WordDocument).
 */
async function oleStreamNames(handle: FileHandle): Promise<Set<string>> {
  const names = new Set<string>();
  const header = await readAt(handle, 512, 0);
  if (header.length < 512) return names;
  const size = 1 << header.readUInt16LE(0x1e);
  if (size !== 512 && size !== 4096) return names;
  const sector = (id: number) => readAt(handle, size, (id + 1) * size);
  const perFat = size / 4;
  let id = header.readUInt32LE(0x30);
  // A directory longer than this is not one Excel writes; what was read is enough to tell.
  for (let hops = 0; hops < 256 && id < FREE_OR_END; hops++) {
    const directory = await sector(id);
    for (let at = 0; at + 128 <= directory.length; at += 128) {
      const length = Math.min(64, directory.readUInt16LE(at + 0x40));
      if (length >= 2) names.add(directory.toString('utf16le', at, at + length - 2));
    }
    const fatIndex = Math.floor(id / perFat);
    if (fatIndex >= 109) break;
    const fatSector = header.readUInt32LE(0x4c + fatIndex * 4);
    if (fatSector >= FREE_OR_END) break;
    const fat = await sector(fatSector);
    if (fat.length < size) break;
    id = fat.readUInt32LE((id % perFat) * 4);
  }
  return names;
}

async function oleKind(file: string, handle: FileHandle): Promise<RunError> {
  const names = await oleStreamNames(handle);
  if (names.has('EncryptedPackage') || names.has('EncryptionInfo'))
    return notWorkbook(
      file,
      'a password-protected (encrypted) workbook',
      'Open it in Excel, remove the password (File › Info › Protect Workbook › Encrypt with Password: clear it) and save it again as .xlsx.',
    );
  if (names.has('WordDocument'))
    return notWorkbook(file, 'a Word 97-2003 document (.doc)', 'Give lpsync the workbook, saved as .xlsx.');
  if (names.has('Workbook') || names.has('Book'))
    return notWorkbook(
      file,
      'an Excel 97-2003 workbook (.xls) named .xlsx',
      `Save it as .xlsx: ${IN_EXCEL}; or ${IN_CALC}.`,
    );
  return notWorkbook(
    file,
    'an Excel 97-2003 (.xls) workbook or a password-protected one',
    `Open it in Excel, remove the password if it has one (File › Info › Protect Workbook) and save it as .xlsx: ${IN_EXCEL}.`,
  );
}

/** A text file by its first characters: SpreadsheetML 2003, HTML, or anything else (a CSV?). */
function textKind(file: string, head: Buffer): RunError {
  const text = head.toString('utf8').replace(/^\ufeff/, '');
  const start = text.trimStart().slice(0, 512).toLowerCase();
  if (start.startsWith('<?xml') && text.includes('urn:schemas-microsoft-com:office:spreadsheet'))
    return notWorkbook(
      file,
      'an XML Spreadsheet 2003 (SpreadsheetML) file named .xlsx',
      `Open it in Excel or LibreOffice and save it as .xlsx: ${IN_EXCEL}; or ${IN_CALC}.`,
    );
  if (/^<(!doctype html|html|table|meta|head|body)\b/.test(start) || /^<\?xml[^>]*>\s*<html\b/.test(start))
    return notWorkbook(
      file,
      'a web page (HTML) named .xlsx (as a portal\'s "export to Excel" often writes)',
      `Open it in Excel and save it as .xlsx: ${IN_EXCEL}; or ${IN_CALC}.`,
    );
  if (start.startsWith('mime-version:'))
    return notWorkbook(
      file,
      'a single-file web page (MHTML) named .xlsx',
      `Open it in Excel and save it as .xlsx: ${IN_EXCEL}.`,
    );
  return new RunError(
    'unreadable-input',
    `${file}: not a readable .xlsx workbook: it is text (a CSV file?)`,
    {
      hint: 'Give a CSV file a .csv name: lpsync validate --customers file.csv',
    },
  );
}

const isTextByte = (b: number) =>
  b === 0x09 || b === 0x0a || b === 0x0d || (b >= 0x20 && b < 0x7f) || b >= 0x80;

/** What the first bytes say the file is when it is not a zip; undefined when it may be an .xlsx. */
export async function notXlsx(file: string): Promise<RunError | undefined> {
  const handle = await open(file, 'r');
  try {
    const head = await readAt(handle, HEAD_BYTES, 0);
    if (head[0] === 0x50 && head[1] === 0x4b) return undefined;
    if (head.length >= 8 && head.readUInt32BE(0) === 0xd0cf11e0 && head.readUInt32BE(4) === 0xa1b11ae1)
      return await oleKind(file, handle);
    if ([...head.subarray(0, 8)].every(isTextByte)) return textKind(file, head);
    return new RunError('unreadable-input', `${file}: not a readable .xlsx workbook (not a zip file)`, {
      hint: 'Open it in Excel and save it as an .xlsx workbook with Customers and SipConnections sheets.',
    });
  } finally {
    await handle.close();
  }
}

async function smallPart(zip: WorkbookZip, part: string): Promise<string> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of await zip.open(part)) {
    chunks.push(chunk as Buffer);
    length += (chunk as Buffer).length;
    if (length > 1024) break;
  }
  return Buffer.concat(chunks).toString('latin1', 0, 1024);
}

/** A zip that is another program's document, by its parts; undefined when it may be an .xlsx. */
export async function notOoxml(file: string, zip: WorkbookZip): Promise<RunError | undefined> {
  if (zip.has('xl/workbook.xml')) return undefined;
  if (zip.has('xl/workbook.bin'))
    return notWorkbook(
      file,
      'an Excel Binary Workbook (.xlsb) named .xlsx',
      `Save it as .xlsx: ${IN_EXCEL} (not "Excel Binary Workbook").`,
    );
  if (zip.has('mimetype')) {
    const mimetype = await smallPart(zip, 'mimetype');
    if (mimetype.includes('opendocument.spreadsheet'))
      return notWorkbook(
        file,
        'an OpenDocument spreadsheet (.ods) named .xlsx',
        `Save it as .xlsx: ${IN_CALC}.`,
      );
    if (mimetype.includes('opendocument'))
      return notWorkbook(
        file,
        `an OpenDocument file (${mimetype.trim()})`,
        'Give lpsync the workbook, saved as .xlsx.',
      );
  }
  if (['Index/Document.iwa', 'Index.zip', 'index.xml', 'index.xml.gz'].some((p) => zip.has(p)))
    return notWorkbook(
      file,
      'an Apple Numbers document named .xlsx',
      'Open it in Numbers and export it: File › Export To › Excel… (.xlsx).',
    );
  if (zip.has('word/document.xml'))
    return notWorkbook(file, 'a Word document (.docx)', 'Give lpsync the workbook, saved as .xlsx.');
  if (zip.has('ppt/presentation.xml'))
    return notWorkbook(
      file,
      'a PowerPoint presentation (.pptx)',
      'Give lpsync the workbook, saved as .xlsx.',
    );
  return undefined;
}
