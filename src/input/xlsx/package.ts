/**
 * Where a workbook's parts are: the package relationships name the workbook part, the workbook
 * names its sheets, its relationships name each sheet's part, the shared strings and styles.
 * Targets are resolved as the OPC standard says: relative to the part that names them, or
 * absolute from the package root (openpyxl writes `/xl/worksheets/sheet1.xml`).
 */
import { posix } from 'node:path';
import { RunError } from '../../model/errors.js';
import type { WorkbookZip } from './zip.js';
import { parseWholePart, prefixedAttribute } from './xml.js';

export interface SheetPart {
  /** The tab's name as written. */
  name: string;
  /** The part holding its XML, e.g. `xl/worksheets/sheet1.xml`; undefined for a chart sheet. */
  part?: string;
  /** Hidden (Format › Hide) or very hidden (only the VBA editor shows it); undefined when visible. */
  hidden?: 'hidden' | 'veryHidden';
}

export interface WorkbookParts {
  sheets: SheetPart[];
  sharedStrings?: string;
  styles?: string;
  /** Dates count from 1904-01-01 (old Mac Excel) instead of 1900-01-00. */
  date1904: boolean;
}

export interface Relationship {
  id: string;
  type: string;
  target: string;
}

const limitsFor = (file: string, what: string) => ({ file, what, maxTextChars: 1_000_000 });

/** `_rels/.rels` for the root, `xl/_rels/workbook.xml.rels` for `xl/workbook.xml`. */
function relsPartOf(part: string): string {
  const dir = posix.dirname(part);
  return posix.join(dir === '.' ? '' : dir, '_rels', `${posix.basename(part)}.rels`);
}

/** A relationship's target as a part name (no leading slash). */
export function resolveTarget(source: string, target: string): string {
  const clean = target.replace(/\\/g, '/');
  if (clean.startsWith('/')) return posix.normalize(clean).replace(/^\/+/, '');
  const base = posix.dirname(source);
  return posix.normalize(posix.join(base === '.' ? '' : base, clean)).replace(/^\/+/, '');
}

export async function readRelationships(
  zip: WorkbookZip,
  file: string,
  part: string,
): Promise<Relationship[]> {
  const rels = relsPartOf(part);
  if (!zip.has(rels)) return [];
  const found: Relationship[] = [];
  await parseWholePart(
    await zip.open(rels),
    {
      open(name, attributes) {
        if (name !== 'Relationship' || attributes.TargetMode === 'External') return;
        if (attributes.Id && attributes.Target)
          found.push({
            id: attributes.Id,
            type: attributes.Type ?? '',
            target: resolveTarget(part, attributes.Target),
          });
      },
      close() {},
      text() {},
    },
    limitsFor(file, rels),
  );
  return found;
}

export const endsWith = (type: string, word: string) => type.toLowerCase().endsWith(`/${word.toLowerCase()}`);

/** The workbook's sheets in tab order and the parts they need. */
export async function readWorkbookParts(zip: WorkbookZip, file: string): Promise<WorkbookParts> {
  const root = await readRelationships(zip, file, '');
  const workbook =
    root.find((r) => endsWith(r.type, 'officeDocument'))?.target ??
    ['xl/workbook.xml'].find((p) => zip.has(p));
  if (!workbook || !zip.has(workbook))
    throw new RunError(
      'unreadable-input',
      `${file}: not a readable .xlsx workbook (it holds no workbook part)`,
      {
        hint: 'Open it in Excel and save it as an .xlsx workbook again.',
      },
    );
  const rels = await readRelationships(zip, file, workbook);
  const byId = new Map(rels.map((r) => [r.id, r]));
  const sheets: SheetPart[] = [];
  let date1904 = false;
  await parseWholePart(
    await zip.open(workbook),
    {
      open(name, attributes) {
        if (name === 'workbookPr') date1904 = attributes.date1904 === '1' || attributes.date1904 === 'true';
        if (name !== 'sheet') return;
        const rel = byId.get(prefixedAttribute(attributes, 'id') ?? '');
        const part = rel && endsWith(rel.type, 'worksheet') ? rel.target : undefined;
        const state = attributes.state;
        const hidden = state === 'hidden' || state === 'veryHidden' ? state : undefined;
        sheets.push({
          name: attributes.name ?? '',
          ...(part ? { part } : {}),
          ...(hidden ? { hidden } : {}),
        });
      },
      close() {},
      text() {},
    },
    limitsFor(file, workbook),
  );
  const sharedStrings = rels.find((r) => endsWith(r.type, 'sharedStrings'))?.target;
  const styles = rels.find((r) => endsWith(r.type, 'styles'))?.target;
  return {
    sheets,
    ...(sharedStrings && zip.has(sharedStrings) ? { sharedStrings } : {}),
    ...(styles && zip.has(styles) ? { styles } : {}),
    date1904,
  };
}
