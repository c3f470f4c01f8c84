/**
 * Every command lpsync prints for a person to type names lpsync the way they ran it: `npx lpsync`
 * in the checkout (npx sets npm_lifecycle_event=npx and npm_package_name=lpsync, as recorded from a
 * real `npx lpsync` there), `lpsync` from PATH; samples by a path that exists from where they are.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildCli } from '../../src/cli/cli.js';
import { invocation, programName, samplePath } from '../../src/cli/invocation.js';
import { inputSourceFrom } from '../../src/input/index.js';
import { RunError } from '../../src/model/errors.js';
import { buildSummary } from '../../src/report/summary.js';
import { ROOT } from '../e2e/cli-helpers.js';

// A folder that is not an ancestor of the checkout wherever it is cloned (a clone under /tmp made /tmp one).
const ELSEWHERE = join(ROOT, 'src');

const NPX_ENV = { npm_lifecycle_event: 'npx', npm_package_name: 'lpsync', npm_command: 'exec' };

function helpOf(command: string, env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((done) => {
    void buildCli([], env)
      .exitProcess(false)
      .parse([command, '--help'], {}, (_error, _argv, output) => done(output));
  });
}

describe('how lpsync was run', () => {
  it('npx in the checkout → "npx lpsync"; from PATH (cron, npm install -g, npm link) → "lpsync"', () => {
    expect(programName(NPX_ENV)).toBe('npx lpsync');
    expect(programName({ npm_lifecycle_event: 'start', npm_package_name: 'lpsync' })).toBe('npx lpsync');
    expect(programName({})).toBe('lpsync');
    expect(programName({ PATH: '/usr/local/bin', npm_package_name: 'other-project' })).toBe('lpsync');
  });

  it('samples: relative from the checkout root, by full path elsewhere, quoted when a space is in it', () => {
    expect(samplePath('customers.xlsx', ROOT)).toBe('samples/customers.xlsx');
    expect(samplePath('customers.xlsx', ELSEWHERE, ROOT)).toBe(join(ROOT, 'samples', 'customers.xlsx'));
    expect(samplePath('customers.xlsx', '/tmp', '/home/Jane Doe/lpsync')).toBe(
      "'/home/Jane Doe/lpsync/samples/customers.xlsx'",
    );
  });

  it('--help usage, examples and the connection note use the same name', async () => {
    const npx = await helpOf('apply', NPX_ENV);
    expect(npx).toContain('npx lpsync apply samples/customers.xlsx --dry-run');
    expect(npx).toMatch(/^ {2}npx lpsync simulate --port 8080$/m);
    const path = await helpOf('apply', {});
    expect(path).toMatch(/^ {2}lpsync apply samples\/customers\.xlsx --dry-run/m);
    expect(path).toMatch(/^ {2}lpsync simulate --port 8080$/m);
    expect(await helpOf('doctor', NPX_ENV)).toContain('npx lpsync doctor --config lpsync.json');
  });

  it('the hint for a missing input names the command as run, with samples that exist from there', () => {
    const hint = (env: NodeJS.ProcessEnv, cwd: string) => {
      try {
        inputSourceFrom({}, 'apply', invocation(env, cwd));
      } catch (error) {
        return (error as RunError).hint ?? '';
      }
      return '';
    };
    expect(hint(NPX_ENV, ROOT)).toBe(
      'npx lpsync apply samples/customers.xlsx  or  npx lpsync apply --customers samples/customers.csv --sites samples/sip-connections.csv',
    );
    expect(hint({}, ELSEWHERE)).toContain(
      `lpsync apply ${join(ROOT, 'samples', 'customers.xlsx')}  or  lpsync apply --customers`,
    );
  });

  it('the resume command printed after an interrupted run', () => {
    const summary = buildSummary({
      runId: 'run-x',
      command: 'apply',
      startedAt: '2026-11-30T02:15:00.000Z',
      endedAt: '2026-11-30T02:15:01.000Z',
      lpsyncVersion: '0.1.0',
      baseUrl: 'https://lp.example.com/tenantui',
      inputFiles: [],
      rows: new Map(),
      apply: { records: [{ status: 'not-run', kind: 'create-customer' } as never], stoppedBy: 'interrupted' },
      drift: 0,
      reportPath: null,
      inputArgs: 'book.xlsx',
      program: 'npx lpsync',
    });
    expect(summary.resumeCommand).toBe('npx lpsync apply book.xlsx --resume run-x');
  });
});
