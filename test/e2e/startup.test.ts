/**
 * Startup: `--help`, `--version` and `validate` of CSV files load only what they use — never exceljs
 * (the results workbook's writer), nor csv-parse for an ordinary CSV (lpsync splits it; csv-parse reads
 * odd quotes) — so they start in a fraction of a second. winston is not lpsync's logger any more.
 * Timings belong in `npm run bench`; this test checks what is loaded.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MAIN, ROOT } from './cli-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'lpsync-startup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The packages a command loads, by the module URLs node resolved for it. */
function packagesLoaded(args: string[]): Set<string> {
  const file = join(dir, `${args.join('_').replace(/[^\w-]/g, '')}.txt`);
  const run = spawnSync(
    process.execPath,
    ['--import', join(ROOT, 'test', 'support', 'trace-imports.mjs'), MAIN, ...args],
    { cwd: ROOT, env: { PATH: process.env.PATH, LPSYNC_TRACE_IMPORTS: file }, encoding: 'utf8' },
  );
  expect(run.status, run.stderr).toBe(0);
  const urls = readFileSync(file, 'utf8').split('\n');
  expect(urls.some((u) => u.endsWith('/dist/src/cli/main.js'))).toBe(true);
  return new Set(
    urls.map((u) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(u)?.[1]).filter((p): p is string => !!p),
  );
}

describe('startup', () => {
  it('--help and --version load yargs, not exceljs, winston, zod or the state store', () => {
    for (const args of [['--help'], ['--version'], ['apply', '--help']]) {
      const loaded = packagesLoaded(args);
      expect(loaded.has('yargs'), args.join(' ')).toBe(true);
      for (const heavy of ['exceljs', 'winston', 'zod', 'better-sqlite3'])
        expect(loaded.has(heavy), `${args.join(' ')} loads ${heavy}`).toBe(false);
    }
  });

  it('validate of CSV files loads neither exceljs, winston nor csv-parse (read only for odd quotes)', () => {
    const loaded = packagesLoaded([
      'validate',
      '--customers',
      'samples/customers.csv',
      '--sites',
      'samples/sip-connections.csv',
    ]);
    expect(loaded.has('csv-parse')).toBe(false);
    expect(loaded.has('exceljs')).toBe(false);
    expect(loaded.has('winston')).toBe(false);
  });
});
