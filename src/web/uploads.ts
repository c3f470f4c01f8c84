/**
 * Uploaded workbooks: streamed into the session's private folder (0700), each file 0600, at most the
 * cap; deleted with the session. What was uploaded is read by the same loader as the CLI's files.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, rmSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { FastifyRequest } from 'fastify';
import { CSRF_FIELD, CSRF_HEADER } from './security.js';
import { sameSecret, type Session } from './sessions.js';

/** Which input a file is: a workbook (or one CSV with a Type column), or one of the two CSV files. */
export type UploadRole = 'workbook' | 'customers' | 'sites';
const ROLES: readonly string[] = ['workbook', 'customers', 'sites'];
const EXTENSIONS: Record<UploadRole, readonly string[]> = {
  workbook: ['.xlsx', '.csv', '.tsv'],
  customers: ['.csv', '.tsv'],
  sites: ['.csv', '.tsv'],
};

export interface UploadedFile {
  role: UploadRole;
  /** The name the person's file had (no folders). */
  name: string;
  path: string;
}

export interface Upload {
  id: string;
  sessionId: string;
  folder: string;
  files: UploadedFile[];
  at: Date;
}

/** Why an upload was not taken: the status and the sentence the page shows. */
export class UploadRefused extends Error {
  constructor(
    readonly status: 400 | 403 | 413,
    message: string,
  ) {
    super(message);
  }
}

/** The file's own name, without folders or characters a file system would refuse; kept short. */
export function safeName(name: string): string {
  const base = [...basename(name.replace(/\\/g, '/'))]
    .map((c) => (c.charCodeAt(0) < 32 || c.charCodeAt(0) === 127 || '/:*?"<>|'.includes(c) ? '_' : c))
    .join('')
    .slice(-120);
  return base === '' || base === '.' || base === '..' ? 'upload' : base;
}

export function newUploadId(): string {
  return randomBytes(12).toString('base64url');
}

/** The input the CLI would be given for these files: a workbook (or combined CSV), or --customers/--sites. */
export function inputArgsOf(upload: Pick<Upload, 'files'>): {
  file?: string;
  customers?: string;
  sites?: string;
} {
  const out: { file?: string; customers?: string; sites?: string } = {};
  for (const f of upload.files) out[f.role === 'workbook' ? 'file' : f.role] = f.path;
  return out;
}

/**
 * Reads a multipart upload into `folder`: the CSRF token must come first (the hidden field before the file
 * inputs, or the x-csrf-token header), then up to three files by role. Throws UploadRefused.
 */
export async function receiveUpload(
  request: FastifyRequest,
  session: Session,
  folder: string,
): Promise<Upload> {
  const header = request.headers[CSRF_HEADER];
  const trusted = sameSecret(typeof header === 'string' ? header : undefined, session.csrfToken);
  const id = newUploadId();
  const dir = join(folder, id);
  mkdirSync(dir, { mode: 0o700 });
  try {
    const files = await receiveParts(request, session, dir, trusted);
    checkCombination(files);
    return { id, sessionId: session.id, folder: dir, files, at: new Date() };
  } catch (error) {
    // A refused or cut-off upload leaves nothing behind: not even the part of a file written so far.
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

async function receiveParts(
  request: FastifyRequest,
  session: Session,
  dir: string,
  trustedByHeader: boolean,
): Promise<UploadedFile[]> {
  let trusted = trustedByHeader;
  const files: UploadedFile[] = [];
  for await (const part of request.parts()) {
    if (part.type === 'field') {
      if (part.fieldname === CSRF_FIELD && typeof part.value === 'string')
        trusted ||= sameSecret(part.value, session.csrfToken);
      continue;
    }
    if (!trusted)
      throw new UploadRefused(
        403,
        'This form is out of date or did not come from this console (its CSRF token is missing or wrong). Reload the page and try again.',
      );
    if (!ROLES.includes(part.fieldname) || part.filename === '') {
      part.file.resume();
      continue;
    }
    const role = part.fieldname as UploadRole;
    const name = safeName(part.filename);
    if (!EXTENSIONS[role].includes(extname(name).toLowerCase())) {
      part.file.resume();
      throw new UploadRefused(400, unexpectedType(role, name));
    }
    const path = join(dir, `${role}-${name}`);
    await pipeline(part.file, createWriteStream(path, { mode: 0o600, flags: 'wx' }));
    files.push({ role, name, path });
  }
  if (!trusted)
    throw new UploadRefused(403, 'This form did not carry its CSRF token. Reload the page and try again.');
  return files;
}

function unexpectedType(role: UploadRole, name: string): string {
  return role === 'workbook'
    ? `${name} is not a workbook lpsync reads: give an .xlsx file, or one .csv file with a Type column.`
    : `${name} is not a CSV file: the ${role === 'customers' ? 'customers' : 'SIP connections'} file must end in .csv.`;
}

function checkCombination(files: readonly UploadedFile[]): void {
  const has = (role: UploadRole) => files.some((f) => f.role === role);
  if (files.length === 0)
    throw new UploadRefused(
      400,
      'No file was chosen: pick a workbook, or the customers and SIP connections CSV files.',
    );
  if (has('workbook') && (has('customers') || has('sites')))
    throw new UploadRefused(400, 'Give either a workbook or the two CSV files, not both.');
}
