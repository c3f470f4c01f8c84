/** The live view of a run, from its events alone: counts, progress, failures (masked), how it ended. */
import { describe, expect, it } from 'vitest';
import { createRedactor } from '../../src/model/redact.js';
import type { RunEvent } from '../../src/run/index.js';
import { createLiveRun } from '../../src/web/live-run.js';

type Record_ = Extract<RunEvent, { type: 'action-end' }>['record'];

function ended(status: Record_['status'], over: Partial<Record_> = {}): RunEvent {
  const record = {
    runId: 'run-20261206T220000-0123abcd',
    actionId: `customer:${over.customerShortName ?? 'Acme'}`,
    kind: 'create-customer',
    rows: [{ file: 'x.xlsx', sheet: 'Customers', row: 2 }],
    customerShortName: 'Acme',
    siteName: null,
    status,
    error: null,
    messages: [],
    ...over,
  } as Record_;
  return { type: 'action-end', action: {} as never, record };
}

describe('the live view of a run', () => {
  it('counts each ended action, lists failures with their message masked, and ends interrupted when stopped', () => {
    const redactor = createRedactor(['Sekret-Pw-42']);
    const live = createLiveRun(
      { id: 'page1', sessionId: 's', owner: null, planSha: 'a'.repeat(64), uploadId: 'u', now: new Date(0) },
      (t) => redactor.text(t),
    );
    let changes = 0;
    live.onChange(() => changes++);
    live.take({ type: 'start', total: 3, toSend: 3 });
    live.take(ended('succeeded'));
    live.take(
      ended('failed', {
        customerShortName: 'Bravo',
        siteName: 'Main',
        error: 'platform said 400: password Sekret-Pw-42 too weak',
      }),
    );
    expect(live.view).toMatchObject({
      total: 3,
      ended: 2,
      done: 2,
      failureCount: 1,
      runId: 'run-20261206T220000-0123abcd',
    });
    expect(live.view.byStatus).toEqual({ succeeded: 1, failed: 1 });
    expect(live.view.failures).toEqual([
      {
        target: 'Bravo / Main',
        rows: 'Customers row 2',
        status: 'failed',
        message: 'platform said 400: password *** too weak',
      },
    ]);
    live.controller.abort('SIGINT');
    live.take(ended('not-run', { customerShortName: 'Charlie' }));
    expect(live.view.done).toBe(2);
    live.finish({ kind: 'failed', error: new Error('x'), exitCode: 130, events: [] });
    expect(live.view.state).toBe('interrupted');
    expect(changes).toBe(5);
  });
});
