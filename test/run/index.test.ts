/**
 * src/run's public face: a command takes one options object and returns its result with the events it
 * emitted, the same ones, in order, that its `onEvent` saw; a face needs nothing else to show a run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RunError } from '../../src/model/errors.js';
import { silentLog } from '../../src/model/log.js';
import { createRedactor } from '../../src/model/redact.js';
import * as run from '../../src/run/index.js';

const dir = mkdtempSync(join(tmpdir(), 'lpsync-run-face-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('src/run/index.ts', () => {
  it('validate returns the events its onEvent saw, and adds the secrets read to the redactor', async () => {
    const seen: run.RunEvent[] = [];
    const redactor = createRedactor();
    const result = await run.validate({
      source: run.inputSourceFrom({ file: 'samples/customers.xlsx' }),
      redactor,
      onEvent: (event) => seen.push(event),
    });
    expect(result.document.ok).toBe(true);
    expect(result.events).toEqual(seen);
    expect(result.events[0]).toMatchObject({ type: 'stage', stage: 'load' });
    expect(result.loaded.secrets.length).toBeGreaterThan(0);
    for (const secret of result.loaded.secrets) expect(redactor.text(`x ${secret} y`)).not.toContain(secret);
  });

  it('plan of an invalid workbook stops before the connection is needed: its problem is not raised', async () => {
    const result = await run.plan({
      source: run.inputSourceFrom({ file: 'samples/invalid.xlsx' }),
      connection: { problem: new RunError('invalid-options', 'No Live Platform URL') },
      statePath: join(dir, 'state.db'),
      shape: run.planShape({ only: [] }),
      adopt: false,
      outputs: [],
      log: silentLog,
      redactor: createRedactor(),
      lpsyncVersion: 'test',
      now: () => new Date('2026-11-27T02:15:00Z'),
    });
    expect(result.kind).toBe('invalid');
    expect(result.events.map((e) => e.type)).toEqual(['stage']);
  });

  it('plan of a valid workbook raises the connection problem the face handed over', async () => {
    const problem = new RunError('invalid-options', 'No Live Platform URL');
    await expect(
      run.plan({
        source: run.inputSourceFrom({ file: 'samples/customers.xlsx' }),
        connection: { problem },
        statePath: join(dir, 'state.db'),
        shape: run.planShape({ only: [] }),
        adopt: false,
        outputs: [],
        log: silentLog,
        redactor: createRedactor(),
        lpsyncVersion: 'test',
        now: () => new Date('2026-11-27T02:15:00Z'),
      }),
    ).rejects.toBe(problem);
  });

  it('apply does not throw for a run that cannot start: failed, its exit code, its end announced', async () => {
    const problem = new RunError('invalid-options', 'No credentials');
    const metricsFile = join(dir, 'metrics.prom');
    const result = await run.apply({
      command: 'reconcile',
      request: { problem },
      runEnd: { notify: [], notifyFormat: 'json', notifyOn: 'failure', metricsFile },
      log: silentLog,
      redactor: createRedactor(),
      pid: 1,
      host: 'test-host',
      invocation: { user: 'u', host: 'test-host', pid: 1, commandLine: ['lpsync', 'reconcile'] },
      lpsyncVersion: 'test',
      program: 'lpsync',
      paper: 'A4',
      now: () => new Date('2026-11-27T02:15:00Z'),
    });
    expect(result.kind).toBe('failed');
    expect(result.exitCode).toBe(2);
    expect(result.events).toContainEqual({
      type: 'message',
      level: 'debug',
      message: `Metrics written to ${metricsFile}`,
    });
  });
});
