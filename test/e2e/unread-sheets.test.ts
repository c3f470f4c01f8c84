/**
 * A sheet with the headers of SipConnections under another name ("SIP Trunks"): validate
 * warns, but apply and reconcile stop with exit 2 and send nothing, unless --ignore-unread-sheets.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { ESSENTIALS_HEADERS, essentialsRow, writeXlsx } from '../input/helpers.js';
import { runCli, writeCount } from './cli-helpers.js';

let work: string;
let sim: RunningSimulator;
let book: string;
beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'lpsync-unread-'));
  sim = await startSimulator({ port: 0, seed: 3 });
  book = await writeXlsx(join(work, 'trunks.xlsx'), [
    { name: 'Customers', rows: [ESSENTIALS_HEADERS, essentialsRow('Trunk1')] },
    {
      name: 'SIP Trunks',
      rows: [
        ['Customer Short Name', 'Site Name', 'SBC Id'],
        ['Trunk1', 'Branch', 5],
      ],
    },
  ]);
});
afterAll(async () => {
  await sim.close();
  rmSync(work, { recursive: true, force: true });
});

describe('a sheet not read because of its name', () => {
  it('stops apply and reconcile with exit 2, naming the sheet and the option; nothing is sent', async () => {
    for (const command of ['apply', 'reconcile']) {
      const cwd = mkdtempSync(join(work, command));
      const run = await runCli([command, book], { cwd, baseUrl: sim.url });
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toContain('The sheet \\"SIP Trunks\\"');
      expect(run.stderr).toContain('--ignore-unread-sheets');
      expect(writeCount(sim.snapshot().counters.requests)).toBe(0);
    }
  });

  it('--ignore-unread-sheets applies the rows lpsync reads', async () => {
    const cwd = mkdtempSync(join(work, 'ignore'));
    const run = await runCli(['apply', book, '--ignore-unread-sheets'], { cwd, baseUrl: sim.url });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('Apply: 1 created');
    expect(writeCount(sim.snapshot().counters.requests)).toBe(1);
  });
});
