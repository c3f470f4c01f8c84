/**
 * Files lpsync writes for people and tools (reports, plan files, summaries, traces, exports) are whole
 * or absent: written under a temporary name beside the target, then renamed into place.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, writeFileSync, type WriteFileOptions } from 'node:fs';
import { dirname } from 'node:path';

/** Runs `write` on a temporary path beside `path` (its folder made), then renames it into place; on failure removes it. */
export function writeAtomicallyWith<T>(path: string, write: (tmp: string) => T): T {
  const tmp = tempBeside(path);
  try {
    const result = write(tmp);
    renameSync(tmp, path);
    return result;
  } catch (error) {
    rmSync(tmp, { force: true });
    throw error;
  }
}

/** The same for a writer that works asynchronously (a streaming workbook). */
export async function writeAtomicallyAsync(
  path: string,
  write: (tmp: string) => Promise<void>,
): Promise<void> {
  const tmp = tempBeside(path);
  try {
    await write(tmp);
    renameSync(tmp, path);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw error;
  }
}

/** `text` to `path`, whole or not at all. */
export function writeFileAtomically(path: string, text: string, options?: WriteFileOptions): void {
  writeAtomicallyWith(path, (tmp) => writeFileSync(tmp, text, options));
}

// A name that does not end like the target (a collector reading only *.prom files skips it).
function tempBeside(path: string): string {
  mkdirSync(dirname(path), { recursive: true });
  return `${path}.${randomBytes(4).toString('hex')}.tmp`;
}
