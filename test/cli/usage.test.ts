/** A mistyped command or option: exit 2 (1 means rows failed), a "did you mean", a short pointer to --help. */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { usageProblem } from '../../src/cli/usage.js';
import { MAIN, nodeWarnings, ROOT } from '../e2e/cli-helpers.js';

function lpsync(...args: string[]) {
  const run = spawnSync(process.execPath, [MAIN, ...args], { cwd: ROOT, encoding: 'utf8', env: cleanEnv() });
  expect(nodeWarnings(run.stderr)).toEqual([]);
  return { code: run.status, out: `${run.stdout}${run.stderr}` };
}

/** This environment without what npm sets: the CLI as run from PATH. */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('npm_')));
}

/** What npm sets for `npx lpsync …` in the checkout (recorded from a real npx run). */
const NPX = { npm_command: 'exec', npm_lifecycle_event: 'npx', npm_package_name: 'lpsync' };

describe('unknown commands and options', () => {
  it('a mistyped command: exit 2, did you mean, no help screen', () => {
    const run = lpsync('valdate', 'samples/customers.xlsx');
    expect(run.code).toBe(2);
    expect(run.out).toBe(
      'lpsync: unknown command "valdate". Did you mean validate?\nCommands: lpsync --help; options of a command: lpsync <command> --help\n',
    );
  });

  it('run with npx, the answer names the commands as npx lpsync', () => {
    const run = spawnSync(process.execPath, [MAIN, 'valdate'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...cleanEnv(), ...NPX },
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(
      'npx lpsync: unknown command "valdate". Did you mean validate?\nCommands: npx lpsync --help; options of a command: npx lpsync <command> --help\n',
    );
  });

  it('a mistyped option: exit 2, did you mean, where the options are', () => {
    const run = lpsync('apply', '--dryrun', 'samples/customers.xlsx');
    expect(run.code).toBe(2);
    expect(run.out).toBe(
      'lpsync apply: unknown option --dryrun. Did you mean --dry-run?\nOptions of lpsync apply: lpsync apply --help\n',
    );
    const bad = lpsync('validate', 'samples/customers.xlsx', '--format', 'xml');
    expect(bad.code).toBe(2);
    expect(bad.out).toContain('Choices: "table", "json"');
    expect(bad.out.split('\n').length).toBeLessThan(6);
  });

  it('the message for each kind of complaint', () => {
    const context = { options: ['width', 'format', 'customers', 'sites'], commands: ['validate', 'plan'] };
    expect(usageProblem('Unknown argument: widht', { ...context, command: 'validate' })).toBe(
      'lpsync validate: unknown option --widht. Did you mean --width?\nOptions of lpsync validate: lpsync validate --help',
    );
    expect(usageProblem('Unknown arguments: x, zzzzzz', { ...context, command: 'validate' })).toContain(
      'unknown option -x\nlpsync validate: unknown option --zzzzzz\n',
    );
    expect(usageProblem('Unknown arguments: pln, book.xlsx', context)).toBe(
      'lpsync: unknown command "pln". Did you mean plan?\nCommands: lpsync --help; options of a command: lpsync <command> --help',
    );
  });
});
