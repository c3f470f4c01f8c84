/**
 * `lpsync demo` (what `npm start` runs): each of its two runs reports its own requests, as the
 * simulator counted them during that run, on screen and in that run's `.summary.json`.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runDemo } from '../../src/cli/commands/demo.js';
import { createRunLogger } from '../../src/cli/logging.js';
import { createRedactor } from '../../src/model/redact.js';
import { summaryJsonPath } from '../../src/report/summary.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';

const dir = mkdtempSync(join(tmpdir(), 'lpsync-demo-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Every request the simulator received so far (API and token endpoint; its own /_sim routes are not counted). */
function received(sim: RunningSimulator): number {
  return Object.values(sim.snapshot().counters.requests).reduce((n, v) => n + v, 0);
}

describe('lpsync demo', () => {
  it("prints each run's own request count, as the simulator received them, and the same in its summary", async () => {
    const sim = await startSimulator({ port: 0, seed: 42, taskDurationMs: 0, tenantuiOnly: true });
    const lines: string[] = [];
    const afterRun: number[] = [];
    const logger = createRunLogger({ verbose: false, human: false, redactor: createRedactor() });
    logger.level = 'warn';
    try {
      const code = await runDemo(
        { state: join(dir, 'state.db'), 'reports-dir': join(dir, 'reports'), once: false, verbose: false },
        {
          simulator: sim,
          logger,
          print: (l) => lines.push(l),
          printError: (l) => lines.push(l),
          afterRun: () => afterRun.push(received(sim)),
        },
      );
      expect(code).toBe(0);
    } finally {
      logger.end();
      await sim.close();
    }
    const text = lines.join('\n');
    const requests = [...text.matchAll(/^Requests: .* throttled of ([\d,]+) requests/gm)].map((m) =>
      Number(m[1]!.replace(/,/g, '')),
    );
    const byRun = [afterRun[0]!, afterRun[1]! - afterRun[0]!];
    expect(requests).toEqual(byRun);
    // Run 2 sends no write: only the listing and one read-back per SIP connection the sheet names.
    expect(byRun[1]).toBeLessThan(byRun[0]!);
    expect(text).toContain('The second run found nothing to do: all 17 rows unchanged.');

    const reports = [...text.matchAll(/^Report: (.+)$/gm)].map((m) => m[1]!.trim());
    expect(reports).toHaveLength(2);
    reports.forEach((report, i) => {
      const summary = JSON.parse(readFileSync(summaryJsonPath(report), 'utf8'));
      expect(summary.concurrency.requests).toBe(byRun[i]);
      // A rate only over a second or more: when the summary has none, the screen shows none.
      const line = text.split('\n').filter((l) => l.startsWith('Requests: '))[i]!;
      if (summary.concurrency.perSecond === null) expect(line).not.toContain('requests/s');
      else expect(line).toContain(`${summary.concurrency.perSecond.toFixed(1)} requests/s`);
    });
  });
});
