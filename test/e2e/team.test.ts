/**
 * A team's accounts and a second person's approval through the real CLI against the simulator: `users add`
 * reads the password from standard input (or a terminal, without echo, asked twice) and never from an
 * argument; the users file is 0600; a plan's author cannot approve it; `apply --plan --require-approval`
 * refuses (exit 2, nothing sent) until another user approved it, then applies it and the Summary names who
 * planned, approved and applied; an approval row edited in SQLite is named by `audit verify`.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textOf } from '../../src/model/text.js';
import { verifyLogin } from '../../src/run/users.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { MAIN, reportPathOf, runCli, SAMPLE, startCli } from './cli-helpers.js';

const execFileAsync = promisify(execFile);
const PTY = join(import.meta.dirname, 'pty-answer.py');

let sim: RunningSimulator;
let work: string;
beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 24, taskDurationMs: 20 });
  work = mkdtempSync(join(tmpdir(), 'lpsync-team-'));
});
afterAll(async () => {
  await sim?.close();
  rmSync(work, { recursive: true, force: true });
});

function folder(name: string) {
  const cwd = mkdtempSync(join(work, name));
  const cli = (args: string[], input?: string) =>
    runCli(args, { cwd, baseUrl: sim.url, ...(input === undefined ? {} : { input }) });
  return { cwd, cli };
}

/** The Summary sheet's rows as [item, value]. */
async function summaryRows(path: string): Promise<Array<[string, string]>> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(path);
  const rows: Array<[string, string]> = [];
  book
    .getWorksheet('Summary')!
    .eachRow((row) => rows.push([textOf(row.getCell(1).value), textOf(row.getCell(2).value)]));
  return rows;
}

describe('lpsync users', () => {
  it('six users add at the same moment: every account is kept (each change is made under the file lock)', async () => {
    const { cwd } = folder('together');
    const names = ['ann', 'ben', 'cat', 'dan', 'eve', 'fay'];
    const runs = names.map((name) =>
      startCli(['users', 'add', name, '--role', 'operator'], {
        cwd,
        baseUrl: sim.url,
        input: `${name}-password-1\n`,
      }),
    );
    for (const run of runs) {
      const r = await run.done;
      expect(r.code, r.stderr).toBe(0);
    }
    const file = join(cwd, '.lpsync', 'users.json');
    const kept = (JSON.parse(readFileSync(file, 'utf8')) as { users: Array<{ name: string }> }).users;
    expect(kept.map((u) => u.name).sort()).toEqual(names);
    expect(existsSync(`${file}.lock`)).toBe(false);
  });

  it('add takes the password from standard input, never an argument; the file is 0600 and holds its hash only', async () => {
    const { cwd, cli } = folder('stdin');
    const password = 'Tr0ub4dor & 3 — with spaces ';
    const child = startCli(['users', 'add', 'alice', '--role', 'operator'], {
      cwd,
      baseUrl: sim.url,
      input: `${password}\n`,
    });
    // Not on its command line nor in its environment (what ps and /proc show).
    const shown = `${readFileSync(`/proc/${child.child.pid}/cmdline`, 'utf8')}${readFileSync(`/proc/${child.child.pid}/environ`, 'utf8')}`;
    const added = await child.done;
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toBe('Added alice (operator) to ./.lpsync/users.json.\n');
    expect(shown).not.toContain(password);
    const file = join(cwd, '.lpsync', 'users.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).not.toContain(password.trim());
    // Read as typed: the spaces are part of it, the line's end is not.
    expect((await verifyLogin({ usersFile: file, name: 'alice', password })).ok).toBe(true);
    expect((await verifyLogin({ usersFile: file, name: 'alice', password: password.trim() })).ok).toBe(false);

    const asArgument = await cli([
      'users',
      'add',
      'bob',
      '--role',
      'approver',
      '--password',
      'hunter2hunter2',
    ]);
    expect(asArgument.code).toBe(2);
    expect(asArgument.stderr).toContain('unknown option --password');
    expect(asArgument.stderr + asArgument.stdout).not.toContain('hunter2hunter2');
    const none = await cli(['users', 'add', 'bob', '--role', 'approver'], '');
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('No password was given');

    const list = await cli(['users', 'list', '--format', 'json']);
    expect(JSON.parse(list.stdout)).toMatchObject([
      { name: 'alice', role: 'operator', hash: { algorithm: 'scrypt', N: 131072, r: 8, p: 1 } },
    ]);
  }, 60_000);

  it('refuses a users file its group or others can read, as ssh refuses such a key', async () => {
    const { cwd, cli } = folder('mode');
    expect((await cli(['users', 'add', 'alice', '--role', 'auditor'], 'long enough password\n')).code).toBe(
      0,
    );
    await execFileAsync('chmod', ['640', join(cwd, '.lpsync', 'users.json')]);
    const listed = await cli(['users', 'list']);
    expect(listed.code).toBe(2);
    expect(listed.stderr).toContain('(permissions 0640)');
    expect(listed.stderr).toContain('chmod 600 ./.lpsync/users.json');
  }, 60_000);

  it('on a terminal: asked twice with echo off; two different answers change nothing', async () => {
    const { cwd } = folder('tty');
    const run = async (answers: string[]) => {
      const { stdout } = await execFileAsync(
        'python3',
        [PTY, process.execPath, MAIN, 'users', 'add', 'carol', '--role', 'approver'],
        {
          cwd,
          env: { PATH: process.env.PATH, HOME: process.env.HOME, PTY_ANSWERS: JSON.stringify(answers) },
        },
      );
      return JSON.parse(stdout) as { output: string; exit: number };
    };
    const differ = await run(['first password 1', 'second password 2']);
    expect(differ.exit).toBe(2);
    expect(differ.output).toContain('The two passwords typed differ: nothing was changed.');
    expect(existsSync(join(cwd, '.lpsync', 'users.json'))).toBe(false);

    const typed = await run(['terminal password', 'terminal password']);
    expect(typed.exit, typed.output).toBe(0);
    expect(typed.output).toContain('Password of carol: ');
    expect(typed.output).toContain('The same password again: ');
    expect(typed.output).toContain('Added carol (approver)');
    expect(typed.output).not.toContain('terminal password');
    const file = join(cwd, '.lpsync', 'users.json');
    expect((await verifyLogin({ usersFile: file, name: 'carol', password: 'terminal password' })).ok).toBe(
      true,
    );
  }, 60_000);
});

describe('a second person’s approval', () => {
  it('the author cannot approve; apply --require-approval waits for another user; the Summary names all three', async () => {
    const { cwd, cli } = folder('approval');
    const book = join(cwd, 'customers.xlsx');
    copyFileSync(SAMPLE, book);
    const me = userInfo().username;
    expect((await cli(['users', 'add', 'alice', '--role', 'operator'], 'alice password\n')).code).toBe(0);
    expect((await cli(['users', 'add', 'bob', '--role', 'approver'], 'bob password\n')).code).toBe(0);

    const planned = await cli(['plan', book, '--out', 'change.plan.json', '--only', 'customer:Brad*']);
    expect(planned.code, planned.stderr).toBe(0);
    const sha = /SHA-256: ([0-9a-f]{64})/.exec(planned.stdout)![1]!;
    expect(planned.stdout).toContain(`Made by ${me}: a user other than ${me} approves it`);

    const own = await cli(['approve', '--plan', 'change.plan.json']);
    expect(own.code).toBe(2);
    expect(own.stderr).toContain(`${me} made change.plan.json (SHA-256 ${sha.slice(0, 12)}…)`);
    expect(own.stderr).toContain('a plan is approved by a user other than its author');

    const waiting = await cli(['apply', '--plan', 'change.plan.json', book, '--require-approval']);
    expect(waiting.code).toBe(2);
    expect(waiting.stderr).toContain(`was planned by ${me} on `);
    expect(waiting.stderr).toContain('and no one else approved it');
    expect(waiting.stderr).toContain('Nothing was sent.');
    expect(sim.writesReceived()).toEqual([]);

    const operator = await cli(
      ['approve', '--plan', 'change.plan.json', '--as', 'alice'],
      'alice password\n',
    );
    expect(operator.code).toBe(2);
    expect(operator.stderr).toContain('alice is an account of role operator, which may not approve.');
    const wrong = await cli(['approve', '--plan', 'change.plan.json', '--as', 'bob'], 'not bob password\n');
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('The name or password is wrong.');

    const approved = await cli(['approve', '--plan', 'change.plan.json', '--as', 'bob'], 'bob password\n');
    expect(approved.code, approved.stderr).toBe(0);
    expect(approved.stdout).toContain(`Approved change.plan.json (SHA-256 ${sha}) as bob (approver)`);

    const applied = await cli(['apply', '--plan', 'change.plan.json', book, '--require-approval']);
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toMatch(
      new RegExp(`Planned by ${me}@\\S+ at \\S+; approved by bob@\\S+ \\(approver\\) at \\S+\\.`),
    );
    const report = reportPathOf(applied.stdout, cwd);
    const summary = JSON.parse(readFileSync(report.replace(/\.xlsx$/, '.summary.json'), 'utf8'));
    expect(summary.plan).toMatchObject({
      sha256: sha,
      planned: { by: me, role: null },
      approvals: [{ by: 'bob', role: 'approver' }],
    });
    const rows = new Map(await summaryRows(report));
    expect(rows.get('Planned by')).toMatch(new RegExp(`^${me}@\\S+ at `));
    expect(rows.get('Approved by')).toMatch(/^bob@\S+ \(approver\) at /);
    expect(rows.get('Applied by')).toMatch(new RegExp(`^${me}@\\S+ at `));

    // The workbook rebuilt from the store names them too.
    const rebuilt = await cli(['report', '--run', 'latest', '--out', 'rebuilt.xlsx']);
    expect(rebuilt.code, rebuilt.stderr).toBe(0);
    const again = new Map(await summaryRows(join(cwd, 'rebuilt.xlsx')));
    for (const item of ['Planned by', 'Approved by', 'Applied by'])
      expect(again.get(item)).toBe(rows.get(item));

    const intact = await cli(['audit', 'verify']);
    expect(intact.code, intact.stdout).toBe(0);
    const db = new Database(join(cwd, '.lpsync', 'state.db'));
    db.prepare("UPDATE approvals SET approved_by = 'mallory'").run();
    db.close();
    const edited = await cli(['audit', 'verify']);
    expect(edited.code).toBe(1);
    expect(edited.stdout).toContain(`approvals row 1 (plan ${sha}, approved by bob) was edited`);
    expect(edited.stdout).toContain('by: "bob" in the chain, "mallory" in the table');
  }, 120_000);
});
