/**
 * A second person's approval through src/run, as the console calls it (who acts is an option, never the
 * process's user), against the simulator over HTTP: alice plans, her own approval is refused, apply with
 * --require-approval is refused (nothing sent) until bob approved that plan's SHA-256, then carol applies
 * it and the Summary names all three; a plan file changed after its approval is refused.
 */
import { appendFileSync, copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConnection } from '../../src/cli/connection.js';
import { silentLog } from '../../src/model/log.js';
import { createRedactor } from '../../src/model/redact.js';
import * as run from '../../src/run/index.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { openAuditReader } from '../../src/state/audit-read.js';

let sim: RunningSimulator;
let dir: string;
beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 24, taskDurationMs: 20 });
  dir = mkdtempSync(join(tmpdir(), 'lpsync-approval-'));
});
afterAll(async () => {
  await sim?.close();
  rmSync(dir, { recursive: true, force: true });
});

const who = (user: string, role?: 'operator' | 'approver'): run.RunInvocation => ({
  user,
  ...(role ? { role, osUser: 'lpsync' } : {}),
  host: 'console-01',
  pid: 7,
  commandLine: ['lpsync', 'serve'],
});

function setUp(name: string) {
  const cwd = mkdtempSync(join(dir, name));
  const book = join(cwd, 'customers.xlsx');
  copyFileSync('samples/customers.xlsx', book);
  const statePath = join(cwd, 'state.db');
  const planFile = join(cwd, 'change.plan.json');
  const connection = resolveConnection({}, { LPSYNC_BASE_URL: sim.url, LPSYNC_TOKEN: 'demo-token' });
  const source = run.inputSourceFrom({ file: book });
  const plan = (by: run.RunInvocation) =>
    run.plan({
      source,
      connection,
      statePath,
      // One customer: the flow, not the volume (the plan carries its wave to apply).
      shape: run.planShape({ only: ['customer:BradSB1E1'] }),
      adopt: false,
      outputs: [{ path: planFile, what: 'plan file' }],
      log: silentLog,
      redactor: createRedactor(),
      lpsyncVersion: 'test',
      now: () => new Date(),
      by,
    });
  const approve = (by: run.RunInvocation) => run.approve({ statePath, planFile, by, now: () => new Date() });
  const apply = (by: run.RunInvocation) =>
    run.apply({
      command: 'apply',
      request: {
        connection,
        source,
        statePath,
        reportsDir: join(cwd, 'reports'),
        dryRun: false,
        adopt: false,
        skipInvalid: false,
        ignoreUnreadSheets: false,
        shape: run.planShape({ only: [] }),
        planFile,
        requireApproval: true,
      },
      runEnd: {
        notify: [],
        notifyFormat: 'json',
        notifyOn: 'failure',
        proxy: run.resolveProxyRules({ env: {} }),
      },
      log: silentLog,
      redactor: createRedactor(),
      pid: 7,
      host: 'console-01',
      invocation: by,
      lpsyncVersion: 'test',
      program: 'lpsync',
      paper: 'A4',
      now: () => new Date(),
    });
  return { statePath, planFile, plan, approve, apply };
}

describe('approval through src/run', () => {
  it('alice plans; her approval is refused; apply waits for bob; carol applies; the Summary names all three', async () => {
    const t = setUp('flow');
    const planned = await t.plan(who('alice', 'operator'));
    expect(planned.kind).toBe('planned');
    if (planned.kind !== 'planned') return;
    expect(planned.author).toMatchObject({ by: 'alice', role: 'operator', sha256: planned.change.sha256 });

    await expect(t.approve(who('alice', 'operator'))).rejects.toMatchObject({
      code: 'not-permitted',
      message: expect.stringContaining('a plan is approved by a user other than its author'),
    });
    const refused = await t.apply(who('carol', 'operator'));
    expect(refused).toMatchObject({ kind: 'failed', exitCode: 2 });
    expect(refused.kind === 'failed' && String(refused.error)).toMatch(
      /was planned by alice on \S+, and no one else approved it: --require-approval applies a plan only once a user other than its author approved it\. Nothing was sent\./,
    );
    expect(sim.writesReceived()).toEqual([]);

    // An account whose role may not approve is refused (an auditor or an operator), the author first.
    await expect(t.approve(who('erin', 'operator'))).rejects.toThrow(
      'erin is an account of role operator, which may not approve.',
    );
    const approved = await t.approve(who('bob', 'approver'));
    expect(approved).toMatchObject({ recorded: true, sha256: planned.change.sha256, plan: { by: 'alice' } });
    expect(await run.planApprovals({ statePath: t.statePath, sha256: planned.change.sha256 })).toMatchObject({
      approvedByAnother: true,
      approvals: [{ by: 'bob', role: 'approver' }],
      appliedBy: null,
    });

    const applied = await t.apply(who('carol', 'operator'));
    expect(applied).toMatchObject({ kind: 'applied', exitCode: 0 });
    if (applied.kind !== 'applied') return;
    expect(applied.summary.plan).toMatchObject({
      sha256: planned.change.sha256,
      planned: { by: 'alice', role: 'operator', host: 'console-01' },
      approvals: [{ by: 'bob', role: 'approver', host: 'console-01' }],
    });
    expect(applied.summary.audit?.ranBy).toBe('carol@console-01 (operator)');
    expect(run.summaryText(applied.summary)).toContain(
      `Planned by alice@console-01 (operator) at ${approved.plan.at}; approved by bob@console-01 (approver) at ${approved.approval.at}.`,
    );
    // The run's start records that it was gated, and by whom it ran.
    const reader = openAuditReader(t.statePath);
    try {
      expect(
        reader
          .entries(['run-start'])
          .map((e) => [
            e.data.user,
            e.data.role,
            (e.data.options as { requireApproval?: boolean }).requireApproval,
          ]),
      ).toEqual([['carol', 'operator', true]]);
    } finally {
      reader.close();
    }
    // Applied: nothing is left to approve.
    await expect(t.approve(who('dave', 'approver'))).rejects.toThrow(/was already applied by run run-/);
  });

  it('a plan file changed after its approval is another plan: refused, nothing sent', async () => {
    const t = setUp('changed');
    expect((await t.plan(who('alice'))).kind).toBe('planned');
    await t.approve(who('bob'));
    const before = sim.writesReceived().length;
    appendFileSync(t.planFile, ' ');
    const refused = await t.apply(who('alice'));
    expect(refused).toMatchObject({ kind: 'failed', exitCode: 2 });
    expect(refused.kind === 'failed' && String(refused.error)).toMatch(
      /is not a plan this state store recorded .*: who made it is not known, so no approval of it can count/,
    );
    await expect(t.approve(who('bob'))).rejects.toThrow(/is not a plan this state store recorded/);
    expect(sim.writesReceived()).toHaveLength(before);
    expect(readFileSync(t.planFile, 'utf8').endsWith(' ')).toBe(true);
  });
});
