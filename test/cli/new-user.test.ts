/**
 * The mistakes a person new to lpsync makes first, and what lpsync answers: each answer names
 * what to do, and each `--help` example works as pasted from the repository root.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maxErrorsOption } from '../../src/cli/apply-run.js';
import { buildCli } from '../../src/cli/cli.js';
import { startSimulator } from '../../src/simulator/index.js';
import { runPlan, type PlanArgs } from '../../src/cli/commands/plan.js';
import { runValidate } from '../../src/cli/commands/validate.js';
import { resolveConnection } from '../../src/cli/connection.js';
import { stateOption } from '../../src/run/resume-command.js';
import { buildSummary } from '../../src/report/summary.js';
import { inputSourceFrom } from '../../src/input/index.js';
import { RunError } from '../../src/model/errors.js';
import { ROOT } from '../e2e/cli-helpers.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'lpsync-new-user-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function planArgs(partial: Partial<PlanArgs>): PlanArgs {
  return {
    strict: false,
    adopt: false,
    all: false,
    verbose: false,
    state: join(dir, 'state.db'),
    ...partial,
  };
}

/** A loopback port nothing listens on: one the OS handed out, then closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as { port: number };
  await new Promise<void>((ok) => server.close(() => ok()));
  return port;
}

/** A command's --help text, captured instead of printed. */
function helpOf(command: string): Promise<string> {
  return new Promise((done) => {
    // Run as `lpsync` on PATH (an empty environment): the examples name the samples from the checkout's root.
    void buildCli([], {})
      .exitProcess(false)
      .parse([command, '--help'], {}, (_error, _argv, output) => done(output));
  });
}

function runError(fn: () => unknown): RunError {
  try {
    fn();
  } catch (error) {
    if (error instanceof RunError) return error;
    throw error;
  }
  throw new Error('expected a RunError');
}

describe('a new user', () => {
  it('forgetting the file: the hint names the command that was run, not validate', () => {
    const error = runError(() => inputSourceFrom({}, 'apply'));
    expect(error.code).toBe('invalid-options');
    expect(error.hint).toContain('lpsync apply samples/customers.xlsx');
    expect(error.hint).toContain(
      'lpsync apply --customers samples/customers.csv --sites samples/sip-connections.csv',
    );
    expect(error.hint).not.toContain('validate');
    expect(runError(() => inputSourceFrom({ customers: 'book.xlsx' }, 'plan')).hint).toContain(
      'lpsync plan book.xlsx',
    );
  });

  it('a typo in the file name: "did you mean" the workbook next to it', async () => {
    const outcome = await runValidate({ file: 'samples/customer.xlsx', format: 'table' });
    expect(outcome.exitCode).toBe(2);
    expect(outcome.stderr).toContain('samples/customer.xlsx: file not found');
    expect(outcome.stderr).toContain('Did you mean samples/customers.xlsx?');
    const far = await runValidate({ file: 'samples/book-of-customers-2026.xlsx', format: 'table' });
    expect(far.stderr).toMatch(/Workbooks and CSV files in .*samples: .*customers\.xlsx/);
    const noFolder = await runValidate({ file: join(dir, 'nowhere', 'c.xlsx'), format: 'table' });
    expect(noFolder.stderr).toContain('does not exist either');
  });

  it("the README's `customers.xlsx` typed in the checkout: did you mean samples/customers.xlsx", async () => {
    expect(process.cwd()).toBe(ROOT);
    const outcome = await runValidate({ file: 'customers.xlsx', format: 'table' });
    expect(outcome.exitCode).toBe(2);
    expect(outcome.stderr).toContain('customers.xlsx: file not found');
    expect(outcome.stderr).toContain('Did you mean samples/customers.xlsx?');
    const typo = await runValidate({ file: 'invalid-book.xlsx', format: 'table' });
    expect(typo.stderr).not.toContain('Did you mean');
    const near = await runValidate({ file: 'invaild.xlsx', format: 'table' });
    expect(near.stderr).toContain('Did you mean samples/invalid.xlsx?');
  });

  it('a base URL without its scheme: the message quotes it and shows the form it takes', () => {
    const error = runError(() =>
      resolveConnection({ baseUrl: 'lp.example.com/tenantui' }, { LPSYNC_TOKEN: 'demo-token' }),
    );
    expect(error.code).toBe('invalid-options');
    expect(error.message).toContain('"lp.example.com/tenantui"');
    expect(error.hint).toContain('https://lp.example.com/tenantui');
  });

  it('plan against a Live Platform that does not answer: says unreachable and what to check (exit 3)', async () => {
    const port = await closedPort();
    const outcome = await runPlan(planArgs({ file: 'samples/customers.xlsx', retries: 0 }), {
      LPSYNC_BASE_URL: `http://127.0.0.1:${port}/tenantui`,
      LPSYNC_TOKEN: 'demo-token',
    });
    expect(outcome.exitCode).toBe(3);
    expect(outcome.stderr.toLowerCase()).toContain(
      `the live platform at http://127.0.0.1:${port}/tenantui is unreachable`,
    );
    expect(outcome.stderr).toContain('Check --base-url / LPSYNC_BASE_URL');
  });

  it('a base URL without /tenantui on a web server that answers HTML 404: short advice, no HTML (exit 3)', async () => {
    const server = createHttpServer((_req, res) => {
      res.writeHead(404, { 'Content-Type': 'text/html' });
      res.end('<!DOCTYPE HTML><html><body><h1>Error response</h1><p>Error code: 404</p></body></html>');
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    const { port } = server.address() as { port: number };
    try {
      const outcome = await runPlan(planArgs({ file: 'samples/customers.xlsx' }), {
        LPSYNC_BASE_URL: `http://127.0.0.1:${port}`,
        LPSYNC_TOKEN: 'demo-token',
      });
      expect(outcome.exitCode).toBe(3);
      expect(outcome.stderr).toContain('GET /api/v3/customer?allDetails=true answered 404');
      expect(outcome.stderr).toContain(`Check --base-url (http://127.0.0.1:${port})`);
      expect(outcome.stderr).toContain('followed by /tenantui');
      expect(outcome.stderr).not.toContain('<');
    } finally {
      await new Promise<void>((ok) => server.close(() => ok()));
    }
  });

  it('every validate example in --help works as pasted from the repository root', async () => {
    const help = await helpOf('validate');
    const examples = [...help.matchAll(/^\s+lpsync (validate [^\n]*?)\s{2,}\S/gm)].map((m) => m[1]!.trim());
    expect(examples.length).toBeGreaterThanOrEqual(2);
    for (const example of examples) {
      const words = example.split(/\s+/).slice(1);
      const args: Record<string, string> = {};
      let file: string | undefined;
      for (let i = 0; i < words.length; i++) {
        const w = words[i]!;
        if (w.startsWith('--')) args[w.slice(2)] = words[++i]!;
        else file = w;
      }
      const outcome = await runValidate({
        ...(file ? { file } : {}),
        ...(args.customers ? { customers: args.customers } : {}),
        ...(args.sites ? { sites: args.sites } : {}),
        format: args.format === 'json' ? 'json' : 'table',
      });
      // invalid.xlsx is meant to list issues (exit 2); no example may fail to read its input.
      expect(outcome.stderr, example).toBe('');
      expect(outcome.stdout, example).not.toBe('');
    }
  });

  it('the help of plan, apply and reconcile says where the URL and token go, and lists exit codes', async () => {
    for (const command of ['plan', 'apply', 'reconcile']) {
      const help = await helpOf(command);
      expect(help, command).toContain('LPSYNC_BASE_URL');
      expect(help, command).toContain('LPSYNC_TOKEN');
      expect(help, command).toContain('Exit codes:');
      expect(help, command).not.toMatch(/\bbook\.xlsx\b/);
    }
  });
});

describe('demo --help', () => {
  it('has examples, each naming files that exist, and says nothing leaves the machine', async () => {
    const help = await helpOf('demo');
    expect(help).toContain('Examples:');
    const examples = help.split('\n').filter((l) => /^\s+lpsync demo/.test(l));
    expect(examples.length).toBeGreaterThanOrEqual(3);
    for (const line of examples)
      for (const file of line.match(/samples\/\S+/g) ?? [])
        expect(existsSync(join(ROOT, file)), file).toBe(true);
    expect(help).toContain('Nothing leaves this machine');
  });
});

describe('the printed resume command', () => {
  it('an invalid --max-errors exits 2 before anything is read or sent (in-process)', async () => {
    const sim = await startSimulator({ port: 0, seed: 12 });
    const saved = { ...process.env };
    try {
      process.env.LPSYNC_BASE_URL = sim.url;
      process.env.LPSYNC_TOKEN = 'demo-token';
      for (const value of ['0', 'abc', '1.5']) {
        expect(() => maxErrorsOption(value === 'abc' ? value : Number(value))).toThrow(
          /--max-errors: expected a whole number of 1 or more/,
        );
        process.exitCode = undefined;
        const state = join(dir, `max-errors-${value}`, 'state.db');
        await buildCli(
          ['apply', 'samples/customers.xlsx', '--max-errors', value, '--state', state],
          {},
        ).parseAsync();
        expect(process.exitCode).toBe(2);
        expect(existsSync(state)).toBe(false);
      }
      expect(sim.snapshot().counters.requests).toEqual({});
    } finally {
      process.exitCode = undefined;
      process.env = saved;
      await sim.close();
    }
  });

  it('names --state when the run used another state store, since the run is only there', () => {
    expect(stateOption('./.lpsync/state.db')).toBe('');
    expect(stateOption('/srv/lpsync/state.db')).toBe('--state /srv/lpsync/state.db');
    expect(stateOption('my state.db')).toBe("--state 'my state.db'");
    const summary = buildSummary({
      runId: 'run-x',
      command: 'reconcile',
      startedAt: 's',
      endedAt: 'e',
      lpsyncVersion: '1',
      baseUrl: 'http://127.0.0.1',
      inputFiles: [],
      rows: new Map(),
      apply: {
        records: [
          {
            actionId: 'site:A/B',
            kind: 'add-site',
            rows: [],
            customerShortName: 'A',
            siteName: 'B',
            status: 'not-run',
            customerGuid: null,
            siteGuid: null,
            deploymentState: null,
            taskId: null,
            sentTwice: false,
            startedAt: null,
            endedAt: null,
            runId: 'run-x',
            messages: [],
            error: null,
            attempts: 0,
            durationMs: 0,
          },
        ],
        stoppedBy: 'interrupted',
      },
      drift: 0,
      reportPath: null,
      inputArgs: 'book.xlsx',
      resumeOptions: stateOption('/srv/lpsync/state.db'),
    });
    expect(summary.resumeCommand).toBe('lpsync apply book.xlsx --resume run-x --state /srv/lpsync/state.db');
  });
});
