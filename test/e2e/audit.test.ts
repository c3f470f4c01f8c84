/**
 * The audit trail through the real CLI against the simulator: an interrupted and resumed run and a later
 * change; every request an entry with its action; `report --run` rebuilds each workbook cell for cell;
 * `audit verify` names a row edited, deleted or swapped with plain SQL; the export verifies with the
 * README's procedure (bash, sha256sum, jq) as written; `history`; pruning keeps verify green.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { textOf } from '../../src/model/text.js';
import { openStateStore } from '../../src/state/index.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { reportPathOf, ROOT, runCli, SAMPLE, startCli } from './cli-helpers.js';

let work: string;
let sim: RunningSimulator;
let state: string;
const run = (args: string[]) => runCli([...args, '--state', state], { cwd: work, baseUrl: sim.url });

/** Every cell of every sheet, as exceljs reads it back: `sheet!row:col → value`. */
async function cells(path: string): Promise<Map<string, string>> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(path);
  const out = new Map<string, string>();
  for (const ws of book.worksheets)
    ws.eachRow({ includeEmpty: true }, (row, r) =>
      row.eachCell({ includeEmpty: true }, (cell, c) => {
        out.set(`${ws.name}!${r}:${c}`, JSON.stringify({ v: cell.value, fill: cell.fill ?? null }));
      }),
    );
  out.set('(sheets)', book.worksheets.map((ws) => ws.name).join(','));
  return out;
}

/** `label → value` of the Summary sheet (the last one when a label repeats, all of them joined with |). */
async function summaryOf(path: string): Promise<Map<string, string>> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(path);
  const out = new Map<string, string>();
  book.getWorksheet('Summary')!.eachRow((row, n) => {
    if (n === 1) return;
    const label = textOf(row.getCell(1).value);
    const value = `${textOf(row.getCell(2).value ?? '')}${row.getCell(3).value === null ? '' : `=${textOf(row.getCell(3).value)}`}`;
    out.set(label, out.has(label) ? `${out.get(label)}|${value}` : value);
  });
  return out;
}

const runIdOf = (stdout: string): string => /Run: (run-\S+)/.exec(stdout)![1]!;

const reports: Array<{ runId: string; path: string }> = [];

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'lpsync-e2e-audit-'));
  state = join(work, 'state', 'state.db');
  sim = await startSimulator({ port: 0, seed: 12, taskDurationMs: 100, latencyMs: 120 });

  // An apply interrupted (Ctrl-C) once creates are under way, then resumed.
  const first = startCli(['apply', SAMPLE, '--state', state, '--concurrency', '1'], {
    cwd: work,
    baseUrl: sim.url,
  });
  await vi.waitUntil(() => Object.keys(sim.snapshot().counters.createAttempts).length >= 2, {
    timeout: 60_000,
    interval: 20,
  });
  first.child.kill('SIGINT');
  const stopped = await first.done;
  expect(stopped.code, stopped.stderr).toBe(130);

  // The resume, with 429 bursts (Retry-After: 0) so that requests are retried, four at a time.
  sim.setFaults({ latencyMs: 20, throttle: { burstRate: 0.15, burstLength: 2, retryAfterSeconds: 0 } });
  const resumed = await run(['apply', SAMPLE, '--resume', '--retries', '8', '--concurrency', '4']);
  expect(resumed.code, resumed.stderr).toBe(0);
  reports.push({ runId: runIdOf(resumed.stdout), path: reportPathOf(resumed.stdout, work) });

  // A later change: one cell of one SIP connection, so one Modify with before → after.
  sim.setFaults({ throttle: { burstRate: 0, burstLength: 1, retryAfterSeconds: 0 } });
  const changed = join(work, 'changed.xlsx');
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(SAMPLE);
  const ws = book.getWorksheet('SipConnections')!;
  const header = ws.getRow(1).values as unknown[];
  ws.getRow(2).getCell(header.indexOf('CAC Profile')).value = 'Audited Profile';
  await book.xlsx.writeFile(changed);
  const modified = await run(['apply', changed]);
  expect(modified.code, modified.stderr).toBe(0);
  expect(modified.stdout).toContain('1 modified');
  reports.push({ runId: runIdOf(modified.stdout), path: reportPathOf(modified.stdout, work) });
}, 180_000);

afterAll(async () => {
  await sim?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the audit trail, through the CLI', () => {
  it("report --run rebuilds each run's results workbook from the store alone, cell for cell", async () => {
    for (const { runId, path } of reports) {
      const out = join(work, `${runId}.rebuilt.xlsx`);
      const rebuilt = await run(['report', '--run', runId, '--out', out]);
      expect(rebuilt.code, rebuilt.stderr).toBe(0);
      expect(rebuilt.stdout).toContain(`Report of run ${runId} rebuilt`);
      const original = await cells(path);
      const again = await cells(out);
      expect(original.size).toBeGreaterThan(300);
      expect([...again.entries()]).toEqual([...original.entries()]);
    }
    // `latest` is the newest run: the later of the two.
    const latest = await run(['report', '--run', 'latest', '--out', join(work, 'latest.xlsx')]);
    expect(latest.code, latest.stderr).toBe(0);
    expect(latest.stdout).toContain(`Report of run ${reports[1]!.runId} rebuilt`);
    const unknown = await run(['report', '--run', 'run-nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('There is no run run-nope');
  });

  it('the Summary says who ran it, how, each resume, every count with zeros, and the chain head', async () => {
    const summary = await summaryOf(reports[0]!.path);
    const me = `${userInfo().username}@${hostname()}`;
    expect(summary.get('Run by')).toBe(me);
    expect(summary.get('Command line')).toMatch(
      /^lpsync apply \S+customers\.xlsx --resume --retries 8 --concurrency 4 --state \S+state\.db$/,
    );
    expect(summary.get('Run started')).toMatch(
      new RegExp(`by ${me}: lpsync apply \\S+ --state \\S+ --concurrency 1$`),
    );
    expect(summary.get('Resumed')).toMatch(new RegExp(`by ${me}: lpsync apply \\S+ --resume`));
    expect(summary.get('Resumes')).toBe('=1');
    expect(summary.get('Concurrency')).toBe('4');
    // The later run left --concurrency at its default: recorded as auto, not as its ceiling (32).
    expect((await summaryOf(reports[1]!.path)).get('Concurrency')).toBe('auto');
    expect(summary.get('Skip invalid rows')).toBe('no');
    expect(summary.get('Rows by status')).toContain('failed=0');
    expect(summary.get('Rows by status')).toContain('invalid=0');
    expect(summary.get('Actions by kind')).toContain('modify-site=0');
    const head = /^([0-9a-f]{64}) \(entry (\d+)\)$/.exec(summary.get('Audit chain head') ?? '');
    expect(head).not.toBeNull();
    const verify = await run(['audit', 'verify', '--head', head![1]!]);
    expect(verify.code, verify.stdout).toBe(0);
    expect(verify.stdout).toContain(`The head you kept is entry ${head![2]}`);
    expect(verify.stdout).toContain('✓ Intact');
  });

  it('records every request sent, with the action it was sent for, its attempt, status and body SHA-256', () => {
    const db = new Database(state, { readonly: true });
    try {
      const requests = (
        db.prepare("SELECT run_id, action_id, content FROM audit WHERE kind = 'request'").all() as Array<{
          run_id: string;
          action_id: string | null;
          content: string;
        }>
      ).map((r) => ({ ...r, data: JSON.parse(r.content).data }));
      // As many as the simulator answered (no token request: a static token).
      const received = Object.entries(sim.snapshot().counters.requests)
        .filter(([route]) => / \/api\//.test(route))
        .reduce((n, [, count]) => n + count, 0);
      expect(requests.length).toBe(received);
      expect(requests.some((r) => r.data.status === 429)).toBe(true);
      expect(requests.some((r) => r.data.attempt > 1)).toBe(true);
      // Four at a time, each write request is attributed to its action: as many as the action's attempts.
      const journal = db.prepare('SELECT run_id, action_id, attempts FROM journal').all() as Array<{
        run_id: string;
        action_id: string;
        attempts: number;
      }>;
      for (const j of journal) {
        const writes = requests.filter(
          (r) => r.run_id === j.run_id && r.action_id === j.action_id && r.data.method !== 'GET',
        );
        expect(writes.length, `${j.run_id} ${j.action_id}`).toBe(j.attempts);
      }
      // The change run's one PATCH is its modify-site action's (a create's follow-up PATCH is the create's).
      const write = requests.find((r) => r.data.method === 'PATCH' && r.run_id === reports[1]!.runId)!;
      expect(write.action_id).toMatch(/^site:/);
      expect(write.data.bodySha256).toMatch(/^[0-9a-f]{64}$/);
      expect(write.data.messages.length).toBeGreaterThan(0);
      expect(
        requests.find((r) => r.data.method === 'GET' && r.action_id === null)?.data.bodySha256,
      ).toBeNull();
    } finally {
      db.close();
    }
  });

  it('history lists the runs newest first, with who, how, the input, the outcome and the resume', async () => {
    const listed = await run(['history', '--format', 'json']);
    expect(listed.code, listed.stderr).toBe(0);
    const runs = JSON.parse(listed.stdout) as Array<Record<string, unknown>>;
    expect(runs.map((r) => r.runId)).toEqual([reports[1]!.runId, reports[0]!.runId]);
    expect(runs[1]).toMatchObject({
      command: 'apply',
      status: 'finished',
      exitCode: 0,
      ranBy: `${userInfo().username}@${hostname()}`,
      options: { concurrency: 1, mode: 'upsert', skipInvalid: false },
      inputFiles: [{ sha256: createHash('sha256').update(readFileSync(SAMPLE)).digest('hex') }],
      resumes: [{ commandLine: expect.stringContaining('--resume') }],
    });
    const text = await run(['history']);
    expect(text.stdout).toContain('2 run(s), newest first');
    expect(text.stdout).toMatch(/resumed \S+ by \S+: lpsync apply .* --resume/);
    const none = await run(['history', '--since', '2999-01-01']);
    expect(none.stdout).toContain('No run is recorded');
    const bad = await run(['history', '--since', 'yesterday']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('Invalid option --since');
  });

  it('history --customer lists every change to one customer and its SIP connections, field by field', async () => {
    const db = new Database(state, { readonly: true });
    const modify = db
      .prepare(
        "SELECT customer_short_name AS name, site_name AS site FROM journal WHERE kind = 'modify-site'",
      )
      .get() as { name: string; site: string };
    db.close();
    const out = await run(['history', '--customer', modify.name.toLowerCase()]);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toMatch(new RegExp(`create-(customer|oc-service) ${modify.name}.*: succeeded`));
    expect(out.stdout).toMatch(new RegExp(`modify-site ${modify.name} / ${modify.site}: succeeded`));
    expect(out.stdout).toMatch(/cacProfile: .+ → Audited Profile/);
    expect(out.stdout).toContain(`${userInfo().username}@${hostname()}`);
    const json = JSON.parse((await run(['history', '--customer', modify.name, '--format', 'json'])).stdout);
    expect(json.changes.at(-1)).toMatchObject({
      kind: 'modify-site',
      status: 'succeeded',
      runId: reports[1]!.runId,
    });
  });

  it.each<[string, (db: Database.Database) => void, RegExp]>([
    [
      'a journal row edited',
      (db) => db.prepare("UPDATE journal SET status = 'failed' WHERE kind = 'modify-site'").run(),
      /journal row \(run run-\S+, action site:\S+\) was edited: .*status: "succeeded" in the chain, "failed" in the table/,
    ],
    [
      'an audit entry deleted',
      (db) => db.prepare('DELETE FROM audit WHERE seq = 20').run(),
      /entry 20 is missing: deleted from the chain/,
    ],
    [
      'two audit entries swapped',
      (db) => {
        db.prepare('UPDATE audit SET seq = -1 WHERE seq = 30').run();
        db.prepare('UPDATE audit SET seq = 30 WHERE seq = 31').run();
        db.prepare('UPDATE audit SET seq = 31 WHERE seq = -1').run();
      },
      /entry 30 holds the content of entry 31: entries were swapped or moved/,
    ],
  ])('audit verify exits 1 and names %s with plain SQL', async (what, edit, named) => {
    const copy = join(work, `tampered-${Math.random().toString(36).slice(2)}.db`);
    const db = new Database(state, { readonly: true });
    await db.backup(copy);
    db.close();
    // The store itself is intact (the Summary test checks it through the CLI).
    const edited = new Database(copy);
    edit(edited);
    edited.close();
    const broken = await runCli(['audit', 'verify', '--state', copy], { cwd: work, baseUrl: sim.url });
    expect(broken.code).toBe(1);
    expect(broken.stdout).toMatch(/✗ Broken: \d+ problem\(s\), the first broken place first:\n {2}(.*)/);
    expect(/the first broken place first:\n {2}(.*)/.exec(broken.stdout)![1]).toMatch(named);
    if (!what.startsWith('a journal row')) return;
    // A report is not rebuilt from a store that fails its check.
    const refused = await runCli(['report', '--run', reports[0]!.runId, '--state', copy], {
      cwd: work,
      baseUrl: sim.url,
    });
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain('fails its audit check');
  });

  it('the exported JSON lines verify with the README procedure, which names an entry altered in the file', async () => {
    const exported = await run(['audit', 'export', '--out', 'export/trail.jsonl']);
    expect(exported.code, exported.stdout).toBe(0);
    const head = /^Head: ([0-9a-f]{64})$/m.exec(exported.stdout)![1]!;
    const trail = join(work, 'export', 'trail.jsonl');
    const intact = procedure(readFileSync(trail, 'utf8'));
    expect(intact.code, intact.output).toBe(0);
    expect(intact.output).toContain(`head ${head}`);
    expect(intact.output).toMatch(/intact from entry 1 \(after 0{64}\)/);

    const lines = readFileSync(trail, 'utf8').trimEnd().split('\n');
    const edited = [...lines];
    edited[9] = edited[9]!.replace(/\\"at\\":\\"20/, '\\"at\\":\\"19');
    expect(edited[9]).not.toBe(lines[9]);
    const seq = (i: number) => JSON.parse(lines[i]!).seq as number;
    const afterEdit = procedure(edited.join('\n') + '\n');
    expect(afterEdit.code).toBe(1);
    expect(afterEdit.output.trim()).toBe(
      `entry ${seq(9)}: its content does not match its contentSha256 (edited)`,
    );
    const afterDelete = procedure([...lines.slice(0, 12), ...lines.slice(13)].join('\n') + '\n');
    expect(afterDelete.code).toBe(1);
    expect(afterDelete.output).toContain(`entry ${seq(13)}: its prev is not the hash of the line before it`);
  });

  it('history prune keeps verify green (and the exported procedure too); it waits for the lock', async () => {
    // While a run holds the lock, prune is refused like a second run.
    const store = openStateStore(state);
    const held = store.acquireLock({ pid: process.pid, runId: 'held-by-test', host: hostname() });
    try {
      const refused = await run(['history', 'prune', '--keep-days', '0']);
      expect(refused.code).toBe(4);
    } finally {
      if (held.ok) held.lock.release();
      store.close();
    }
    const pruned = await run(['history', 'prune', '--keep-days', '0']);
    expect(pruned.code, pruned.stderr).toBe(0);
    expect(pruned.stdout).toMatch(
      /Pruned .*: 2 run\(s\) that started more than 0 day\(s\) ago, with audit entries 1–\d+ \(\d+ entries\)/,
    );
    const verify = await run(['audit', 'verify']);
    expect(verify.code, verify.stdout).toBe(0);
    expect(verify.stdout).toContain('removed by history prune');
    expect((await run(['history'])).stdout).toContain('No run is recorded');

    // The next run carries on the pruned chain; the export still verifies, starting after the checkpoint's hash.
    const again = await run(['apply', SAMPLE]);
    expect(again.code, again.stderr).toBe(0);
    expect((await run(['audit', 'verify'])).code).toBe(0);
    expect((await run(['audit', 'export', '--out', 'export/after-prune.jsonl'])).code).toBe(0);
    const result = procedure(readFileSync(join(work, 'export', 'after-prune.jsonl'), 'utf8'));
    expect(result.code, result.output).toBe(0);
    expect(result.output).not.toMatch(/after 0{64}/);
  });
});

/** The README's verification procedure, run as written (bash, sha256sum, jq) in an empty folder beside the export. */
function procedure(trail: string): { code: number; output: string } {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const block = /<!-- audit-verify-procedure[^>]*-->\n```sh\n([\s\S]*?)\n```/.exec(readme);
  expect(block, 'the README holds the procedure').not.toBeNull();
  const dir = mkdtempSync(join(work, 'procedure-'));
  writeFileSync(join(dir, 'trail.jsonl'), trail);
  const check = join(dir, 'check');
  mkdirSync(check);
  if (!hasJq()) return procedureInNode(trail);
  const r = spawnSync('bash', ['-c', block![1]!], { cwd: check, encoding: 'utf8' });
  return { code: r.status ?? -1, output: `${r.stdout}${r.stderr}` };
}

function hasJq(): boolean {
  try {
    execFileSync('jq', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** The same steps where jq is not installed (CI machines may lack it): same checks, same messages. */
function procedureInNode(trail: string): { code: number; output: string } {
  const sha = (s: string) => createHash('sha256').update(s).digest('hex');
  const lines = trail
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, string | number>);
  const out: string[] = [];
  lines.forEach((e, i) => {
    if (sha(String(e.content)) !== e.contentSha256)
      out.push(`entry ${e.seq}: its content does not match its contentSha256 (edited)`);
    if (sha(String(e.prev) + String(e.contentSha256)) !== e.hash)
      out.push(`entry ${e.seq}: its hash is not SHA-256(prev + contentSha256)`);
    if (i > 0 && e.prev !== lines[i - 1]!.hash)
      out.push(`entry ${e.seq}: its prev is not the hash of the line before it (deleted, inserted or moved)`);
  });
  if (out.length) return { code: 1, output: out.join('\n') };
  const first = lines[0]!;
  const last = lines.at(-1)!;
  return {
    code: 0,
    output: `intact from entry ${first.seq} (after ${first.prev})\nto entry ${last.seq}, head ${last.hash}`,
  };
}
