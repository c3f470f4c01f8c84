import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { queueLength } from '../../src/simulator/capacity.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { reportPathOf, runCli } from './cli-helpers.js';

const work = mkdtempSync(join(tmpdir(), 'lpsync-pace-'));
let sim: RunningSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** `n` Essentials customers, one request each (no field that needs a follow-up Modify). */
function customersCsv(n: number): string {
  const lines = ['License,Short Name,Full Name,SBC Id,SBC Onboarding Script,SBC Cleanup Script'];
  for (let i = 0; i < n; i++)
    lines.push(`Essentials,Pace${String(i).padStart(4, '0')},Pace ${i} Ltd,5,7,700`);
  const file = join(work, `customers-${n}.csv`);
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

describe('--concurrency auto through the real CLI', () => {
  it('converges near the platform’s capacity: grows to it, is hardly throttled, and says so in the log, the summary and the workbook', async () => {
    const capacity = 6;
    sim = await startSimulator({ port: 0, seed: 5, latencyMs: 80, capacity });
    const cwd = mkdtempSync(join(work, 'run-'));
    const log = join(cwd, 'run.jsonl');
    const n = 300;
    const run = await runCli(
      ['apply', '--customers', customersCsv(n), '--concurrency', 'auto', '--log-file', log],
      { cwd, baseUrl: sim.url },
    );
    expect(run.code, run.stderr).toBe(0);
    expect(Object.values(sim.snapshot().counters.creates)).toEqual(Array(n).fill(1));

    const report = reportPathOf(run.stdout, cwd);
    const summary = JSON.parse(readFileSync(report.replace(/\.xlsx$/, '.summary.json'), 'utf8'));
    const c = summary.concurrency;
    expect(c).toMatchObject({ mode: 'auto', start: 4, max: 32 });
    // It found the capacity (and the queue behind it), and stayed near it: neither stuck low nor run away.
    expect(c.highest).toBeGreaterThanOrEqual(capacity);
    expect(c.highest).toBeLessThanOrEqual(capacity + queueLength(capacity) + 1);
    expect(c.final).toBeGreaterThanOrEqual(capacity - 2);
    expect(c.final).toBeLessThanOrEqual(capacity + queueLength(capacity));
    expect(c.requests).toBeGreaterThanOrEqual(n);
    expect(c.throttled / c.requests).toBeLessThan(0.05);
    expect(sim.snapshot().counters.faults.capacity).toBe(c.throttled);

    // The same words in the console summary, the JSON log and the Summary sheet.
    const line =
      /concurrency: auto: started at 4, ended at \d+ \(lowest \d+, highest \d+\), \d+ throttled of [\d,]+ requests, [\d.]+ requests\/s/;
    expect(run.stdout).toMatch(new RegExp(`Requests: ${line.source}`));
    const entries = readFileSync(log, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { message: string; concurrency?: { requests?: number } });
    const logged = entries.find((e) => line.test(e.message));
    expect(logged?.concurrency?.requests).toBe(c.requests);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(report);
    const rows: unknown[][] = [];
    book.getWorksheet('Summary')!.eachRow((row) => rows.push(row.values as unknown[]));
    const requests = rows.find((r) => r[1] === 'Requests');
    expect(String(requests?.[2])).toMatch(line);
    expect(requests?.[3]).toBe(c.requests);
  }, 60_000);
});
