/**
 * One-at-a-time turns per key (writes to one customer never overlap), first come first served;
 * different keys run freely.
 */
export function createKeyedSerialiser(): <T>(key: string, fn: () => Promise<T>) => Promise<T> {
  const tails = new Map<string, Promise<void>>();
  return async <T>(key: string, fn: () => Promise<T>): Promise<T> => {
    const previous = tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => mine);
    tails.set(key, tail);
    await previous;
    try {
      return await fn();
    } finally {
      release();
      // Forget the key once nobody queues behind us, so the map does not grow with the sheet.
      if (tails.get(key) === tail) tails.delete(key);
    }
  };
}
