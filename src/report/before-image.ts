/**
 * The before-image of a run: the services and SIP connections its modifies touch, as read back before the
 * change, in the template's format (`<report>.before.xlsx` beside the results workbook). Applying it is the
 * backout: every field the platform returns is put back; secrets and the fields it never returns are blank,
 * so they are kept as they are. Kept in the state store as gzip of its JSON (no secret), one per session of
 * the run; the first session's view of a target wins, as it is the one from before any change.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { sha256Hex } from '../model/hashing.js';
import { exportSheets } from './export-sheets.js';
import { writeExportWorkbook } from './export-workbook.js';
import type { TenantRows } from './tenant-facts.js';

export interface BeforeImage {
  version: 1;
  runId: string;
  rows: TenantRows;
}

/** `reports/x.results.xlsx` → `reports/x.results.before.xlsx`. */
export function beforeImagePath(reportPath: string): string {
  return reportPath.replace(/\.xlsx$/i, '') + '.before.xlsx';
}

/** The stored form: gzip of its JSON, and the SHA-256 of that JSON (what the audit chain vouches for). */
export function encodeBeforeImage(image: BeforeImage): { gzip: Buffer; sha256: string } {
  const json = Buffer.from(JSON.stringify(image), 'utf8');
  return { gzip: gzipSync(json, { level: 6 }), sha256: sha256Hex(json) };
}

export function decodeBeforeImage(gzip: Buffer): BeforeImage {
  return JSON.parse(gunzipSync(gzip).toString('utf8')) as BeforeImage;
}

/** The sessions' images as one, oldest first: a target already seen keeps its earlier (truer) read. */
export function mergeBeforeImages(images: readonly BeforeImage[]): TenantRows {
  const rows: TenantRows = { customers: [], sites: [] };
  const seen = new Set<string>();
  const first = (key: string): boolean => !seen.has(key) && seen.add(key) !== undefined;
  for (const image of images) {
    for (const c of image.rows.customers) if (first(`c\u0000${c.service.shortName}`)) rows.customers.push(c);
    for (const s of image.rows.sites)
      if (first(`s\u0000${s.customerShortName}\u0000${s.site.siteName}`)) rows.sites.push(s);
  }
  return rows;
}

/** What the before-image's Instructions sheet says first. */
export function beforeImageInstructions(runId: string): string[] {
  return [
    `The before-image of run ${runId}: the services and SIP connections it modifies, as the Live Platform returned them before the change.`,
    'To back the change out, apply this workbook (lpsync plan, then lpsync apply): every field the platform returns is put back.',
    'Blank cells keep what the platform has: passwords, secrets and the fields the platform never returns (phones, dial plan, flags it does not report) are not put back; neither is a field that was empty before the change.',
  ];
}

/** Writes the before-image workbook at `path`. */
export async function writeBeforeImage(
  path: string,
  image: { runId: string; rows: TenantRows },
  created: Date,
): Promise<void> {
  await writeExportWorkbook(path, exportSheets(image.rows), {
    more: beforeImageInstructions(image.runId),
    created,
  });
}
