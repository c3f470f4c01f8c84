/** `--resume` takes a run id: a workbook after it is refused with the command that was meant. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resumeOption } from '../../src/cli/resume-option.js';
import { RunError, exitCodeFor } from '../../src/model/errors.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function refusal(value: unknown): RunError {
  try {
    resumeOption(value, 'npx lpsync');
  } catch (error) {
    if (error instanceof RunError) return error;
    throw error;
  }
  throw new Error(`--resume ${String(value)} was taken`);
}

describe('--resume', () => {
  it('takes a run id, or nothing for the latest unfinished run', () => {
    expect(resumeOption(undefined, 'lpsync')).toBeUndefined();
    expect(resumeOption(false, 'lpsync')).toBeUndefined();
    expect(resumeOption(true, 'lpsync')).toBe(true);
    expect(resumeOption('', 'lpsync')).toBe(true);
    expect(resumeOption('run-20261126T234501-3f21cba7', 'lpsync')).toBe('run-20261126T234501-3f21cba7');
  });

  it('refuses a workbook that exists, with exit 2 and the command that was meant', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lpsync-resume-'));
    dirs.push(dir);
    const book = join(dir, 'my book.data');
    writeFileSync(book, 'x');
    const error = refusal(book);
    expect(exitCodeFor(error.code)).toBe(2);
    expect(error.message).toBe(`--resume takes a run id, and "${book}" is a file; nothing was sent.`);
    expect(error.hint).toContain(`Did you mean \`npx lpsync apply '${book}' --resume\`?`);
  });

  it('refuses a workbook name even where no such file is', () => {
    const error = refusal('customers.xlsx');
    expect(error.message).toBe(
      '--resume takes a run id, and "customers.xlsx" is a file name; nothing was sent.',
    );
    expect(error.hint).toContain('Did you mean `npx lpsync apply customers.xlsx --resume`?');
  });
});
