/** Who holds the state store's writer lock now: the console shows it and offers no Apply meanwhile. */
import { existsSync } from 'node:fs';
import { openStateStore, type LockHolder } from '../state/index.js';

/** The holder that may still write (alive, its lease current), or null; a state store not made yet has none. */
export function writerLock(options: { statePath: string }): LockHolder | null {
  if (!existsSync(options.statePath)) return null;
  const store = openStateStore(options.statePath);
  try {
    return store.liveLockHolder();
  } finally {
    store.close();
  }
}
