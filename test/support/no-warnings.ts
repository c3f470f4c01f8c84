/**
 * Every test file's setup: a process warning (MaxListenersExceededWarning, a deprecation, an unhandled
 * rejection turned warning…) fails the test during which it was emitted. Node prints warnings and goes on;
 * cron mails them to people, so a test run must not.
 */
import { afterAll, afterEach } from 'vitest';

const seen: Error[] = [];
const listener = (warning: Error): void => {
  seen.push(warning);
};
process.on('warning', listener);

afterEach(async () => {
  // A warning is emitted on the next tick after its cause: let it arrive before judging the test.
  await new Promise((resolve) => setImmediate(resolve));
  const warnings = seen.splice(0);
  if (warnings.length > 0)
    throw new Error(
      `The test made Node warn:\n${warnings.map((w) => `${w.name}: ${w.message}\n${w.stack ?? ''}`).join('\n')}`,
    );
});

// Unit test files share one worker (isolate: false): each file's setup takes its listener away again.
afterAll(() => {
  process.off('warning', listener);
});
