import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/api/errors.js';
import { UsageError } from '../../src/cli/usage.js';
import { readLimits } from '../../src/input/limits.js';
import { EXIT, exitCodeFor, LpsyncError, RunError, type ErrorCode } from '../../src/model/errors.js';
import { normaliseOptions, SimulatorOptionsError } from '../../src/simulator/options.js';

/** The first error `fn` throws. */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('one error type', () => {
  it('every lpsync fault is an LpsyncError whose code says what it is and which exit code it means', () => {
    const faults: Array<[LpsyncError, ErrorCode, number]> = [
      [new RunError('lock-held', 'held'), 'lock-held', EXIT.lockHeld],
      [new RunError('plan-refused', 'stale'), 'plan-refused', EXIT.invalid],
      [
        new ApiError('GET /x answered 500', { code: 'http', method: 'GET', path: '/x', status: 500 }),
        'http',
        EXIT.fatal,
      ],
      [new UsageError('Unknown argument: --concurency'), 'usage', EXIT.invalid],
      [thrown(() => normaliseOptions({ port: -1 })) as LpsyncError, 'simulator-options', EXIT.invalid],
      [thrown(() => readLimits({ maxRows: 0 })) as LpsyncError, 'invalid-options', EXIT.invalid],
    ];
    for (const [error, code, exit] of faults) {
      expect(error).toBeInstanceOf(LpsyncError);
      expect(error.code).toBe(code);
      expect(exitCodeFor(error.code)).toBe(exit);
    }
    expect(faults[4]![0]).toBeInstanceOf(SimulatorOptionsError);
  });

  it('keeps the hint and the cause', () => {
    const cause = new Error('ECONNRESET');
    const run = new RunError('invalid-input', 'bad row', { hint: 'fix row 7', cause });
    expect([run.hint, run.cause]).toEqual(['fix row 7', cause]);
    const api = new ApiError('refused', {
      code: 'auth-refused',
      method: 'POST',
      path: '/oauth2/token',
      hint: 'check LPSYNC_CLIENT_SECRET',
    });
    expect(api.hint).toBe('check LPSYNC_CLIENT_SECRET');
    expect(api.rephrased('refused again').hint).toBe('check LPSYNC_CLIENT_SECRET');
  });
});
