/**
 * `--resume [runId]` as the run takes it. The value is a run id: a workbook named after `--resume`
 * (`apply --resume customers.xlsx`) is refused with the command that was meant, never looked up as a run.
 */
import { existsSync, statSync } from 'node:fs';
import { RunError } from '../model/errors.js';
import { textOf } from '../model/text.js';
import { shellQuote } from '../run/index.js';

const INPUT_FILE = /\.(xlsx|xlsm|csv|txt)$/i;

/** `true`: the latest unfinished run; a string: that run id; undefined: not resuming. */
export function resumeOption(value: unknown, program: string): string | true | undefined {
  if (value === undefined || value === false) return undefined;
  if (value === true || value === '') return true;
  const given = textOf(value);
  if (INPUT_FILE.test(given) || isFile(given))
    throw new RunError(
      'invalid-options',
      `--resume takes a run id, and "${given}" is ${isFile(given) ? 'a file' : 'a file name'}; nothing was sent.`,
      {
        hint: `Did you mean \`${program} apply ${shellQuote(given)} --resume\`? (\`${program} history\` lists the run ids.)`,
      },
    );
  return given;
}

function isFile(path: string): boolean {
  try {
    return existsSync(path) && statSync(path).isFile();
  } catch {
    return false;
  }
}
