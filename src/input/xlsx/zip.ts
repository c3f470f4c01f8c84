/**
 * The parts of an .xlsx (a zip) by name, through yauzl: the central directory is read first, so
 * parts are found whatever their order in the file, and each part's declared size is checked
 * before a byte of it is inflated (yauzl then holds the part to that size while it inflates).
 */
import yauzl from 'yauzl';
import type { Readable } from 'node:stream';
import { RunError } from '../../model/errors.js';
import type { ReadLimits } from '../limits.js';

export interface WorkbookZip {
  /** True when the package holds this part (names as in relationships, without a leading /). */
  has(part: string): boolean;
  /** The part's bytes as they inflate; refused before reading when it inflates past the limits. */
  open(part: string): Promise<Readable>;
  close(): void;
}

/** Part names are compared without case and without a leading slash, as the OPC standard says. */
export function partKey(name: string): string {
  return name.replace(/^\/+/, '').replace(/\\/g, '/').toLowerCase();
}

function mb(bytes: number): string {
  return `${Math.round(bytes / 1024 / 1024).toLocaleString('en-US')} MB`;
}

/** Opens the zip and reads its directory; a file that is not a zip (or a damaged one) is a RunError. */
export async function openWorkbookZip(file: string, limits: ReadLimits): Promise<WorkbookZip> {
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.openPromise(file, { autoClose: false, strictFileNames: false });
  } catch (error) {
    throw new RunError(
      'unreadable-input',
      `${file}: not a readable .xlsx workbook (${(error as Error).message})`,
      { hint: 'Open it in Excel and save it as an .xlsx workbook again.', cause: error },
    );
  }
  const entries = new Map<string, yauzl.Entry>();
  try {
    let count = 0;
    for await (const entry of zip.eachEntry()) {
      if (++count > limits.maxZipEntries)
        throw new RunError(
          'unreadable-input',
          `${file}: holds more than ${limits.maxZipEntries.toLocaleString('en-US')} parts, far more than a workbook has`,
          { hint: 'Open it in Excel and save it as an .xlsx workbook again.' },
        );
      if (!entry.fileName.endsWith('/')) entries.set(partKey(entry.fileName), entry);
    }
  } catch (error) {
    zip.close();
    if (error instanceof RunError) throw error;
    throw new RunError(
      'unreadable-input',
      `${file}: not a readable .xlsx workbook (${(error as Error).message})`,
      { hint: 'Open it in Excel and save it as an .xlsx workbook again.', cause: error },
    );
  }
  return {
    has: (part) => entries.has(partKey(part)),
    async open(part) {
      const entry = entries.get(partKey(part));
      if (!entry)
        throw new RunError('unreadable-input', `${file}: the part ${part} is missing: the file is damaged`, {
          hint: 'Open it in Excel and save it as an .xlsx workbook again.',
        });
      const size = entry.uncompressedSize;
      const ratio = size / Math.max(1, entry.compressedSize);
      // A zip bomb: refused on the sizes the zip declares, before anything is inflated.
      if (size > limits.maxPartBytes || (size > limits.ratioFloorBytes && ratio > limits.maxRatio))
        throw new RunError(
          'unreadable-input',
          `${file}: the part ${entry.fileName} would inflate to ${mb(size)} (${Math.round(ratio).toLocaleString('en-US')} times its ${mb(entry.compressedSize)} in the zip); lpsync reads parts of at most ${mb(limits.maxPartBytes)}, inflating at most ${limits.maxRatio} times`,
          {
            hint: 'This is not a workbook as Excel writes it (a zip bomb?). If it is yours, open it in Excel, delete empty rows and columns below and right of the data, and save it again.',
          },
        );
      try {
        return await zip.openReadStreamPromise(entry);
      } catch (error) {
        throw new RunError(
          'unreadable-input',
          `${file}: the part ${entry.fileName} cannot be read (${(error as Error).message})`,
          { hint: 'Open it in Excel and save it as an .xlsx workbook again.', cause: error },
        );
      }
    },
    close: () => zip.close(),
  };
}
