/** LPSYNC_LOCK_LEASE: the writer lock's lease in seconds; nonsense is refused before anything runs. */
import { describe, expect, it } from 'vitest';
import { lockLeaseMs } from '../../src/cli/lock-lease.js';
import { RunError } from '../../src/model/errors.js';

describe('LPSYNC_LOCK_LEASE', () => {
  it('is the default (120 s) when unset or blank, else seconds, fractions too', () => {
    expect(lockLeaseMs({})).toBeUndefined();
    expect(lockLeaseMs({ LPSYNC_LOCK_LEASE: ' ' })).toBeUndefined();
    expect(lockLeaseMs({ LPSYNC_LOCK_LEASE: '1.5' })).toBe(1_500);
    expect(lockLeaseMs({ LPSYNC_LOCK_LEASE: '600' })).toBe(600_000);
  });

  it.each(['0', '0.5', '-3', '2m', '7200'])('refuses %s with exit 2, naming the range', (value) => {
    expect(() => lockLeaseMs({ LPSYNC_LOCK_LEASE: value })).toThrow(RunError);
    expect(() => lockLeaseMs({ LPSYNC_LOCK_LEASE: value })).toThrow(
      `Invalid LPSYNC_LOCK_LEASE: expected seconds from 1 to 3600, got "${value}"`,
    );
  });
});
