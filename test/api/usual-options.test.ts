/**
 * The hand readers of the usual client options and connection settings against the zod schemas they stand
 * in for: for random options (right and wrong types, out of range, NaN, extra keys), a hand reader gives
 * either undefined (the schema then words what is wrong) or exactly what the schema gives.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clientOptionsSchema } from '../../src/api/options.js';
import { usualClientOptions } from '../../src/api/usual-options.js';
import { settingSchemas } from '../../src/cli/connection.js';
import { usualSettings } from '../../src/cli/usual-settings.js';

const odd = fc.anything();
const url = fc.constantFrom(
  'https://lp.example.com/tenantui',
  ' http://127.0.0.1:8080/tenantui// ',
  'https://user:pw@lp.example.com',
  'ftp://lp.example.com',
  'not a url',
  '',
);
const number = fc.oneof(
  fc.integer({ min: -5, max: 10_000 }),
  fc.double(),
  fc.constantFrom(0, -0, 0.5, 4096, 4097, Number.MAX_SAFE_INTEGER + 2),
);
const maybe = (a: fc.Arbitrary<unknown>) =>
  fc.oneof({ arbitrary: a, weight: 5 }, { arbitrary: odd, weight: 1 });

describe('usual client options', () => {
  it('are read by hand as the schema reads them, or left to it', () => {
    let byHand = 0;
    const options = fc.record(
      {
        baseUrl: maybe(url),
        timeoutMs: maybe(number),
        maxResponseBytes: maybe(number),
        retry: maybe(
          fc.record({ maxAttempts: number, baseDelayMs: number, maxDelayMs: number }, { requiredKeys: [] }),
        ),
        task: maybe(
          fc.record(
            { pollIntervalMs: number, maxPollIntervalMs: number, timeoutMs: number },
            { requiredKeys: [] },
          ),
        ),
        caFile: maybe(fc.constantFrom('', 'ca.pem', undefined)),
        insecure: maybe(fc.boolean()),
        rate: maybe(number),
      },
      { requiredKeys: ['baseUrl'] },
    );
    fc.assert(
      fc.property(options, (given) => {
        const read = usualClientOptions(given);
        if (read === undefined) return;
        byHand += 1;
        const parsed = clientOptionsSchema().safeParse(given);
        expect(parsed.success).toBe(true);
        expect(read).toStrictEqual(parsed.data);
      }),
      { numRuns: 1000 },
    );
    expect(byHand).toBeGreaterThan(0);
  });
});

describe('usual connection settings', () => {
  it('are read by hand as the schema reads them, or left to it', () => {
    let byHand = 0;
    const settings = fc.record(
      {
        baseUrl: maybe(url),
        caFile: maybe(fc.constantFrom('ca.pem', undefined)),
        insecure: maybe(fc.boolean()),
        timeout: maybe(number),
        retries: maybe(number),
        maxResponseMb: maybe(number),
        rate: maybe(number),
      },
      { requiredKeys: ['baseUrl', 'insecure', 'timeout', 'retries', 'maxResponseMb'] },
    );
    fc.assert(
      fc.property(settings, (given) => {
        const read = usualSettings(given);
        if (read === undefined) return;
        byHand += 1;
        const parsed = settingSchemas().settingsSchema.safeParse(given);
        expect(parsed.success).toBe(true);
        expect(read).toStrictEqual(parsed.data);
      }),
      { numRuns: 1000 },
    );
    expect(byHand).toBeGreaterThan(0);
  });
});
