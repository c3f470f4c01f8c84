/**
 * Waits, one turn of the event loop at a time, until `condition` holds: for real I/O while fake timers
 * hold the clock (vi.waitFor would move fake time itself). Fails naming `what` after `ms` of real time.
 */
export async function until(condition: () => boolean, what: string, ms = 5_000): Promise<void> {
  // process.hrtime: the one clock fake timers here leave alone.
  const deadline = process.hrtime.bigint() + BigInt(ms) * 1_000_000n;
  while (!condition()) {
    if (process.hrtime.bigint() > deadline) throw new Error(`still waiting until ${what} after ${ms} ms`);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}
