/**
 * Choosing what to read: the files an input source names, each checked before it is opened, and
 * the reader that fits its extension.
 */
import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { editDistance } from '../model/edit-distance.js';
import { RunError } from '../model/errors.js';
import { readCsv, type CsvLayout } from './csv-reader.js';
import type { SheetEvent } from './events.js';
import type { InputSource } from './index.js';
import type { ReadLimits } from './limits.js';
import { refuseOwnerFile } from './owner-file.js';
import { readXlsx } from './xlsx-reader.js';

const XLSX_EXTENSIONS = new Set(['.xlsx', '.xlsm']);

/** A missing, empty, non-file or Excel owner (~$) file ends the run before any reader opens it. */
export async function checkFile(file: string): Promise<void> {
  const owner = refuseOwnerFile(file);
  if (owner) throw owner;
  let size: number;
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new RunError('unreadable-input', `${file}: is not a file`);
    size = info.size;
  } catch (error) {
    if (error instanceof RunError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new RunError(
      'unreadable-input',
      `${file}: ${code === 'ENOENT' ? 'file not found' : 'cannot be read'}`,
      {
        cause: error,
        ...(code === 'ENOENT' ? { hint: await notFoundHint(file) } : {}),
      },
    );
  }
  if (size === 0) throw new RunError('unreadable-input', `${file}: is empty (0 bytes)`);
}

const INPUT_FILE = /\.(xlsx|xlsm|csv|tsv)$/i;

/** Workbooks and CSV files in a folder, sorted; null when it cannot be listed. */
async function inputFilesIn(folder: string): Promise<string[] | null> {
  try {
    return (await readdir(folder)).filter((n) => INPUT_FILE.test(n)).sort();
  } catch {
    return null;
  }
}

/** The name in `names` closest to `wanted` (a typo away), if any. */
function closestName(names: readonly string[], wanted: string): string | undefined {
  const w = wanted.toLowerCase();
  return names
    .map((n) => ({ n, d: editDistance(w, n.toLowerCase()) }))
    .filter((c) => c.d <= Math.max(2, Math.floor(w.length / 4)))
    .sort((a, b) => a.d - b.d)[0]?.n;
}

/**
 * A typo in a file name: the closest workbook or CSV in that folder, else of that name (or close) in
 * ./samples or the current folder (the README's `customers.xlsx` is `samples/customers.xlsx` in the
 * checkout), else what the folder holds.
 */
async function notFoundHint(file: string): Promise<string> {
  const folder = dirname(file);
  const names = await inputFilesIn(folder);
  const wanted = basename(file);
  const near = names && closestName(names, wanted);
  if (near) return `Did you mean ${join(folder, near)}?`;
  for (const elsewhere of ['samples', '.']) {
    if (resolve(elsewhere) === resolve(folder)) continue;
    const there = closestName((await inputFilesIn(elsewhere)) ?? [], wanted);
    if (there) return `Did you mean ${join(elsewhere, there)}?`;
  }
  if (names === null) return `The folder ${resolve(folder)} does not exist either.`;
  if (!names.length) return `${resolve(folder)} holds no .xlsx or .csv file.`;
  const shown = names.slice(0, 5).join(', ') + (names.length > 5 ? ', …' : '');
  return `Workbooks and CSV files in ${resolve(folder)}: ${shown}`;
}

function xlsxEvents(file: string, limits: Partial<ReadLimits>): AsyncGenerator<SheetEvent[]> {
  const ext = extname(file).toLowerCase();
  if (!XLSX_EXTENSIONS.has(ext))
    throw new RunError(
      'unreadable-input',
      `${file}: lpsync reads .xlsx workbooks and .csv files, not "${ext || 'no extension'}"`,
      {
        hint:
          ext === '.xls' || ext === '.ods'
            ? 'Open it in Excel or LibreOffice and save it as .xlsx.'
            : 'Give the file a .xlsx or .csv name that matches its content.',
      },
    );
  return readXlsx(file, limits);
}

/** One file to read and its reader's events (in batches, as the reader has them), opened only when asked for. */
export interface SourceFile {
  file: string;
  events: () => AsyncGenerator<SheetEvent[]>;
}

/** The files a source names, in the order they are read: a workbook, or the CSV files given. */
export function sourceFiles(source: InputSource, limits: Partial<ReadLimits>): SourceFile[] {
  if (source.kind === 'xlsx') return [{ file: source.path, events: () => xlsxEvents(source.path, limits) }];
  const csv = (file: string, layout: CsvLayout) => ({ file, events: () => readCsv(file, layout, limits) });
  return [
    ...(source.combined ? [csv(source.combined, 'combined')] : []),
    ...(source.customers ? [csv(source.customers, 'Customers')] : []),
    ...(source.sites ? [csv(source.sites, 'SipConnections')] : []),
  ];
}
