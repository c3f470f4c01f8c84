import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import ExcelJS from 'exceljs';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadWorkbook } from '../../src/input/index.js';
import { openStateStore } from '../../src/state/index.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { readResults, reportPathOf, runCli, SAMPLE, startCli, writeCount, xlsxText } from './cli-helpers.js';
import { differences } from './sheet-state.js';

let work: string;
let sim: RunningSimulator | undefined;
const sample = await loadWorkbook({ kind: 'xlsx', path: SAMPLE });
const totalRows = sample.sheets.reduce((n, s) => n + s.rows.length, 0);

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'lpsync-e2e-'));
}, 120_000);
afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

/** A fresh folder (reports, state) per test. */
function folder(name: string): string {
  const dir = join(work, name);
  return mkdtempSync(dir);
}

describe('lpsync apply through the real CLI', () => {
  it('applies the sample workbook: the platform equals the sheet; a second apply is all unchanged and sends no write', async () => {
    sim = await startSimulator({ port: 0, seed: 1, taskDurationMs: 100 });
    const cwd = folder('converge');
    const first = await runCli(['apply', SAMPLE], { cwd, baseUrl: sim.url });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/Apply: \d+ created, \d+ added, 0 modified, 0 failed/);
    expect(differences(sample.rows, sim.snapshot())).toEqual([]);

    const report = reportPathOf(first.stdout, cwd);
    const sheets = await readResults(report);
    for (const raw of sample.sheets) {
      expect(sheets.get(raw.sheet)?.rows).toBe(raw.rows.length);
      expect(sheets.get(raw.sheet)?.statuses.every((s) => s === 'succeeded')).toBe(true);
    }
    const xml = await xlsxText(report);
    expect(sample.secrets.length).toBeGreaterThan(0);
    for (const secret of sample.secrets) expect(xml).not.toContain(secret);
    expect(existsSync(report.replace(/\.xlsx$/, '.summary.json'))).toBe(true);
    const summary = JSON.parse(readFileSync(report.replace(/\.xlsx$/, '.summary.json'), 'utf8'));
    expect(summary.rows).toBe(totalRows);
    for (const secret of sample.secrets) expect(first.stdout + first.stderr).not.toContain(secret);

    const writesBefore = writeCount(sim.snapshot().counters.requests);
    const second = await runCli(['apply', SAMPLE], { cwd, baseUrl: sim.url });
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain(
      `Apply: 0 created, 0 added, 0 modified, 0 failed, ${totalRows} unchanged`,
    );
    expect(writeCount(sim.snapshot().counters.requests)).toBe(writesBefore);
    const again = await readResults(reportPathOf(second.stdout, cwd));
    expect([...again.values()].flatMap((s) => s.statuses).every((s) => s === 'unchanged')).toBe(true);
  });

  it('one changed cell sends exactly one PATCH', async () => {
    sim = await startSimulator({ port: 0, seed: 2, taskDurationMs: 100 });
    const cwd = folder('one-cell');
    expect((await runCli(['apply', SAMPLE], { cwd, baseUrl: sim.url })).code).toBe(0);

    const changed = join(cwd, 'changed.xlsx');
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(SAMPLE);
    const ws = book.getWorksheet('SipConnections')!;
    const col = (ws.getRow(1).values as unknown[]).indexOf('CAC Profile');
    ws.getRow(2).getCell(col).value = 'ChangedCacProfile';
    await book.xlsx.writeFile(changed);

    const before = sim.snapshot().counters;
    const run = await runCli(['apply', changed], { cwd, baseUrl: sim.url });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/0 created, 0 added, 1 modified, 0 failed/);
    const after = sim.snapshot().counters;
    expect(writeCount(after.requests) - writeCount(before.requests)).toBe(1);
    const patches = (c: typeof after) =>
      Object.entries(c.requests)
        .filter(([r]) => r.startsWith('PATCH /api/'))
        .reduce((n, [, v]) => n + v, 0);
    expect(patches(after) - patches(before)).toBe(1);
  });

  it('converges through 10% 503s and 429 bursts', async () => {
    sim = await startSimulator({
      port: 0,
      seed: 3,
      taskDurationMs: 100,
      unavailableRate: 0.1,
      throttle: { burstRate: 0.08, burstLength: 3, retryAfterSeconds: 1 },
    });
    const cwd = folder('faults');
    const run = await runCli(['apply', SAMPLE, '--retries', '8'], { cwd, baseUrl: sim.url });
    expect(run.code, run.stderr).toBe(0);
    const counters = sim.snapshot().counters;
    expect(counters.faults['503']).toBeGreaterThan(0);
    expect(counters.faults['429']).toBeGreaterThan(0);
    expect(differences(sample.rows, sim.snapshot())).toEqual([]);
    expect(Object.values(counters.creates).every((n) => n === 1)).toBe(true);
    const again = await runCli(['apply', SAMPLE, '--retries', '8'], { cwd, baseUrl: sim.url });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain(`${totalRows} unchanged`);
  }, 90_000);

  type Entry = { status: string; kind: string; task_id: string | null };
  const workDoneAndInFlight = (rows: Entry[]) =>
    rows.some((r) => r.status === 'succeeded') && rows.some((r) => r.status === 'in-flight');
  const waitingOnOcTask = (rows: Entry[]) =>
    rows.some((r) => r.kind === 'create-oc-service' && r.status === 'in-flight' && r.task_id !== null);
  it.each([
    ['apply --resume', ['apply', SAMPLE, '--resume'], workDoneAndInFlight],
    ['a plain nightly reconcile', ['reconcile', SAMPLE], workDoneAndInFlight],
    ['apply --resume (killed while an OC task runs)', ['apply', SAMPLE, '--resume'], waitingOnOcTask],
  ])(
    'after SIGKILL mid-run, %s creates nothing twice and accounts for every row',
    async (_name, next, killWhen) => {
      sim = await startSimulator({ port: 0, seed: 4, taskDurationMs: 300, latencyMs: 250 });
      const cwd = folder('kill');
      const state = join(cwd, 'state.db');
      const run = startCli(['apply', SAMPLE, '--state', state, '--concurrency', '2'], {
        cwd,
        baseUrl: sim.url,
      });

      // Kill once the journal shows the moment this case is about.
      const entries = (): Entry[] => {
        if (!existsSync(state)) return [];
        try {
          const db = new Database(state, { readonly: true, fileMustExist: true });
          try {
            return db.prepare('SELECT status, kind, task_id FROM journal').all() as Entry[];
          } finally {
            db.close();
          }
        } catch {
          return [];
        }
      };
      const statuses = (): string[] => entries().map((r) => r.status);
      let seen: Entry[] = [];
      await vi
        .waitUntil(() => killWhen((seen = entries())), { timeout: 8_000, interval: 20 })
        .catch(() => undefined);
      expect(killWhen(seen), JSON.stringify(seen)).toBe(true);
      run.child.kill('SIGKILL');
      const killed = await run.done;
      expect(killed.signal).toBe('SIGKILL');
      const unfinished = statuses().filter((s) => s !== 'succeeded' && s !== 'skipped').length;
      expect(unfinished).toBeGreaterThan(0);

      sim.setFaults({ latencyMs: 0 });
      const resumed = await runCli([...next, '--state', state], { cwd, baseUrl: sim.url });
      expect(resumed.code, resumed.stderr + resumed.stdout).toBe(0);
      const counters = sim.snapshot().counters;
      expect(
        Object.values(counters.createAttempts).every((n) => n === 1),
        JSON.stringify(counters.createAttempts),
      ).toBe(true);
      expect(Object.values(counters.creates).every((n) => n === 1)).toBe(true);
      expect(
        Object.values(counters.siteAdds).every((n) => n === 1),
        JSON.stringify(counters.siteAdds),
      ).toBe(true);
      expect(differences(sample.rows, sim.snapshot())).toEqual([]);

      const results = await readResults(reportPathOf(resumed.stdout, cwd));
      for (const raw of sample.sheets) {
        const sheet = results.get(raw.sheet)!;
        expect(sheet.rows).toBe(raw.rows.length);
        expect(
          sheet.statuses.every((s) => s === 'succeeded' || s === 'unchanged'),
          sheet.statuses.join(),
        ).toBe(true);
      }
      const store = openStateStore(state);
      try {
        expect(store.latestRun()?.status).toBe('finished');
      } finally {
        store.close();
      }
    },
    90_000,
  );

  it('reconcile exits 4 with a clear message while another run holds the lock; nothing is sent', async () => {
    sim = await startSimulator({ port: 0, seed: 5 });
    const cwd = folder('lock');
    const state = join(cwd, 'state.db');
    const store = openStateStore(state);
    const held = store.acquireLock({ pid: process.pid, runId: 'held-by-test', host: hostname() });
    try {
      expect(held.ok).toBe(true);
      const run = await runCli(['reconcile', SAMPLE, '--state', state], { cwd, baseUrl: sim.url });
      expect(run.code).toBe(4);
      expect(run.stderr).toMatch(
        /Another lpsync run \(run held-by-test, process \d+ on .+, since .+\) is writing/,
      );
      expect(writeCount(sim.snapshot().counters.requests)).toBe(0);
    } finally {
      if (held.ok) held.lock.release();
      store.close();
    }
  });

  it('invalid input: prints the issues, exits 2 and sends nothing; --dry-run sends nothing', async () => {
    sim = await startSimulator({ port: 0, seed: 6 });
    const cwd = folder('invalid');
    const invalid = join(cwd, 'invalid.xlsx');
    copyFileSync(join(SAMPLE, '..', 'invalid.xlsx'), invalid);
    const run = await runCli(['apply', invalid], { cwd, baseUrl: sim.url });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/error/);
    expect(sim.snapshot().counters.requests).toEqual({});

    const dry = await runCli(['apply', SAMPLE, '--dry-run'], { cwd, baseUrl: sim.url });
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/Plan: /);
    expect(dry.stdout).toContain('Dry run: nothing was sent.');
    expect(writeCount(sim.snapshot().counters.requests)).toBe(0);
  });

  it('--skip-invalid applies the valid rows and reports every row, the invalid ones with their errors', async () => {
    sim = await startSimulator({ port: 0, seed: 7, taskDurationMs: 100 });
    const cwd = folder('skip-invalid');
    const invalidPath = join(SAMPLE, '..', 'invalid.xlsx');
    const invalid = await loadWorkbook({ kind: 'xlsx', path: invalidPath });
    const run = await runCli(['apply', invalidPath, '--skip-invalid'], { cwd, baseUrl: sim.url });
    expect(run.code, run.stderr).toBe(1);
    const results = await readResults(reportPathOf(run.stdout, cwd));
    let invalidCount = 0;
    for (const raw of invalid.sheets) {
      const sheet = results.get(raw.sheet)!;
      expect(sheet.rows).toBe(raw.rows.length);
      invalidCount += sheet.statuses.filter((s) => s === 'invalid').length;
    }
    expect(invalidCount).toBe(invalid.invalidRows.length);
    // A SipConnections row whose customer is in neither the sheet nor the platform is a conflict, never sent.
    const known = new Set(invalid.rows.customers.map((c) => c.shortName));
    const sendable = {
      customers: invalid.rows.customers,
      sites: invalid.rows.sites.filter((r) => known.has(r.customerShortName)),
    };
    expect(sendable.customers.length + sendable.sites.length).toBeGreaterThan(0);
    expect(differences(sendable, sim.snapshot())).toEqual([]);
  });

  it('Ctrl-C stops dispatching, finishes what is in flight, writes the report and exits 130; --resume finishes', async () => {
    sim = await startSimulator({ port: 0, seed: 8, taskDurationMs: 100, latencyMs: 300 });
    const cwd = folder('sigint');
    const state = join(cwd, 'state.db');
    const run = startCli(['apply', SAMPLE, '--state', state, '--concurrency', '1'], {
      cwd,
      baseUrl: sim.url,
    });
    await vi.waitUntil(() => Object.keys(sim!.snapshot().counters.createAttempts).length > 0, {
      timeout: 8_000,
      interval: 20,
    });
    run.child.kill('SIGINT');
    const stopped = await run.done;
    expect(stopped.code, stopped.stderr).toBe(130);
    expect(stopped.stdout).toMatch(/Interrupted/);
    expect(stopped.stdout).toContain(`To finish this run: lpsync apply ${SAMPLE} --resume run-`);
    const partial = await readResults(reportPathOf(stopped.stdout, cwd));
    const statuses = [...partial.values()].flatMap((s) => s.statuses);
    expect(statuses).toHaveLength(totalRows);
    expect(statuses).toContain('not-run');
    expect(statuses.filter((s) => s === 'succeeded').length).toBeGreaterThan(0);

    sim.setFaults({ latencyMs: 0 });
    // Without the file: the interrupted run's input is read again.
    const resumed = await runCli(['apply', '--state', state, '--resume'], { cwd, baseUrl: sim.url });
    expect(resumed.code, resumed.stderr).toBe(0);
    // The report is still named after the workbook the run read.
    expect(resumed.stdout).toMatch(/Report: .*customers-\d{8}-\d{6}(-\d+)?\.results\.xlsx/);
    expect(Object.values(sim.snapshot().counters.createAttempts).every((n) => n === 1)).toBe(true);
    expect(differences(sample.rows, sim.snapshot())).toEqual([]);
  });

  it('apply --resume FILE is refused (exit 2) with the command that was meant, and sends nothing', async () => {
    sim = await startSimulator({ port: 0, seed: 8 });
    const cwd = folder('resume-file');
    copyFileSync(SAMPLE, join(cwd, 'customers.xlsx'));
    const run = await runCli(['apply', '--resume', 'customers.xlsx', '--state', join(cwd, 'state.db')], {
      cwd,
      baseUrl: sim.url,
    });
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain(
      '--resume takes a run id, and \\"customers.xlsx\\" is a file; nothing was sent.',
    );
    expect(run.stderr).toContain('Did you mean `lpsync apply customers.xlsx --resume`?');
    expect(sim.snapshot().counters.requests).toEqual({});
  });

  it('SIGTERM (a service manager stopping lpsync) stops like Ctrl-C but exits 143, in the summary too', async () => {
    sim = await startSimulator({ port: 0, seed: 8, taskDurationMs: 100, latencyMs: 300 });
    const cwd = folder('sigterm');
    const run = startCli(['apply', SAMPLE, '--state', join(cwd, 'state.db'), '--concurrency', '1'], {
      cwd,
      baseUrl: sim.url,
    });
    await vi.waitUntil(() => Object.keys(sim!.snapshot().counters.createAttempts).length > 0, {
      timeout: 8_000,
      interval: 20,
    });
    run.child.kill('SIGTERM');
    const stopped = await run.done;
    expect(stopped.code, stopped.stderr).toBe(143);
    expect(stopped.stdout).toMatch(/Interrupted/);
    expect(stopped.stdout).toContain(`To finish this run: lpsync apply ${SAMPLE} --resume run-`);
    const summary = JSON.parse(
      readFileSync(reportPathOf(stopped.stdout, cwd).replace(/\.xlsx$/, '.summary.json'), 'utf8'),
    ) as { exitCode: number; stoppedBy: string };
    expect(summary).toMatchObject({ exitCode: 143, stoppedBy: 'interrupted' });
  });

  it('an unfinished run that a later run superseded is not resumed, and not read back again', async () => {
    sim = await startSimulator({ port: 0, seed: 10 });
    const cwd = folder('superseded');
    const state = join(cwd, 'state.db');
    const store = openStateStore(state);
    try {
      store.createRun({
        runId: 'run-old',
        command: 'apply',
        inputFile: SAMPLE,
        inputDigest: 'x',
        baseUrl: sim.url,
        startedAt: '2026-01-01T00:00:00.000Z',
      });
    } finally {
      store.close();
    }
    const first = await runCli(['apply', SAMPLE, '--state', state], { cwd, baseUrl: sim.url });
    expect(first.code, first.stderr).toBe(0);
    const resume = await runCli(['apply', '--resume', '--state', state], { cwd, baseUrl: sim.url });
    expect(resume.code).toBe(2);
    expect(resume.stderr).toMatch(/finished; there is nothing to resume/);
    // Named, a finished run is not run again either.
    const finishedId = /Run: (run-\S+)/.exec(first.stdout)![1]!;
    const again = await runCli(['apply', '--resume', finishedId, '--state', state], {
      cwd,
      baseUrl: sim.url,
    });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain(`Run ${finishedId} finished; there is nothing to resume`);
  });

  it('a report that cannot be written is a warning: the run is applied, finished and summed up', async () => {
    sim = await startSimulator({ port: 0, seed: 13, taskDurationMs: 50 });
    const cwd = folder('no-report');
    const state = join(cwd, 'state.db');
    // A plain file where the report's folder should be.
    writeFileSync(join(cwd, 'blocked'), 'not a folder');
    const run = await runCli(
      ['apply', SAMPLE, '--state', state, '--report', join(cwd, 'blocked', 'r.xlsx')],
      {
        cwd,
        baseUrl: sim.url,
      },
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/The report could not be written to .*blocked/);
    expect(run.stdout).toMatch(/Apply: 8 created, 9 added/);
    expect(run.stdout).not.toMatch(/Report:/);
    const store = openStateStore(state);
    try {
      expect(store.latestRun()?.status).toBe('finished');
    } finally {
      store.close();
    }
  });

  it('a refused token or an unreachable platform exits 3 with a clear message and sends nothing', async () => {
    sim = await startSimulator({ port: 0, seed: 9 });
    const cwd = folder('fatal');
    const refused = await runCli(['apply', SAMPLE], {
      cwd,
      baseUrl: sim.url,
      env: { LPSYNC_TOKEN: 'not-a-valid-token' },
    });
    expect(refused.code).toBe(3);
    expect(refused.stderr).not.toContain('not-a-valid-token');
    expect(writeCount(sim.snapshot().counters.requests)).toBe(0);
    await sim.close();
    const baseUrl = sim.url;
    sim = undefined;
    const unreachable = await runCli(['apply', SAMPLE, '--retries', '1'], { cwd, baseUrl });
    expect(unreachable.code).toBe(3);
    expect(unreachable.stderr).toMatch(/stopped|unreachable|ECONNREFUSED|connect/i);
  });

  it('the demo (what npm start runs) applies the samples twice; the second run is all unchanged', async () => {
    const cwd = folder('demo');
    const run = await runCli(['demo'], { cwd, baseUrl: 'http://127.0.0.1:9' });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`all ${totalRows} rows unchanged`);
    const report = reportPathOf(run.stdout, cwd);
    expect(existsSync(report)).toBe(true);
  });
});
