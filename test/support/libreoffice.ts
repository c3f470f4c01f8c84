/**
 * Converts a file with LibreOffice (`soffice --headless --convert-to`), with a profile of its own in
 * `profileDir`: another LibreOffice running on the machine does not block this one.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export async function libreOfficeConvert(
  file: string,
  to: string,
  outDir: string,
  profileDir: string,
): Promise<void> {
  await run(
    'soffice',
    [
      `-env:UserInstallation=file://${profileDir}`,
      '--headless',
      '--norestore',
      '--convert-to',
      to,
      '--outdir',
      outDir,
      file,
    ],
    { timeout: 120_000 },
  );
}
