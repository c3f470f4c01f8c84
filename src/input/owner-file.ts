/**
 * Excel's owner file: while a workbook is open, Excel keeps `~$name.xlsx` beside it (a small
 * file with the user's name, not a workbook). Beside the input it means unsaved edits are not
 * in the file lpsync reads; given as the input, it is the wrong file.
 */
import { access } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { RunError } from '../model/errors.js';
import type { InputIssue } from '../model/issues.js';

const OWNER_PREFIX = '~$';

/** A RunError when `file` is an owner file itself. */
export function refuseOwnerFile(file: string): RunError | undefined {
  const name = basename(file);
  if (!name.startsWith(OWNER_PREFIX)) return undefined;
  const workbook = join(dirname(file), name.slice(OWNER_PREFIX.length));
  return new RunError(
    'unreadable-input',
    `${file}: is the owner file Excel keeps while a workbook is open (a few bytes with a user name), not a workbook`,
    { hint: `Give the workbook itself, e.g. ${workbook}, after saving it in Excel.` },
  );
}

/** A warning when Excel has the workbook open: its owner file is beside it (Excel shortens long names). */
export async function openInExcel(file: string): Promise<InputIssue | undefined> {
  const name = basename(file);
  if (name.startsWith(OWNER_PREFIX)) return undefined;
  for (const owner of new Set([`${OWNER_PREFIX}${name}`, `${OWNER_PREFIX}${name.slice(2)}`])) {
    try {
      await access(join(dirname(file), owner));
    } catch {
      continue;
    }
    return {
      severity: 'warning',
      rule: 'open-in-excel',
      message: `Excel has this workbook open (${owner} is beside it): edits not saved yet are not in the file and are not read; save it in Excel first`,
      file,
    };
  }
  return undefined;
}
