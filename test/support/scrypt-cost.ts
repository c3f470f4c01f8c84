/** A scrypt cost cheap enough for a unit test; the cost is recorded with each hash, so the code path is the same. */
import type { ScryptCost } from '../../src/state/passwords.js';

export const TEST_COST: ScryptCost = { N: 1024, r: 8, p: 1, keyLength: 32 };
