/** What the plan's digests and the audit chain share: object keys in a stable order, and SHA-256 as hex. */
import * as crypto from 'node:crypto';

/** Object.keys in `Array.prototype.sort` order; a few keys by insertion (sort() allocates a work area per call). */
export function sortedKeys(value: object): string[] {
  const keys = Object.keys(value);
  if (keys.length > 16) return keys.sort();
  for (let i = 1; i < keys.length; i++) {
    const key = keys[i]!;
    let j = i - 1;
    for (; j >= 0 && keys[j]! > key; j--) keys[j + 1] = keys[j]!;
    keys[j + 1] = key;
  }
  return keys;
}

// The one-shot `crypto.hash` (Node 20.12+) is about 5× faster than a Hash object on short text.
const oneShot = typeof crypto.hash === 'function' ? crypto.hash : undefined;

export function sha256Hex(data: string | Uint8Array): string {
  return oneShot ? oneShot('sha256', data, 'hex') : crypto.createHash('sha256').update(data).digest('hex');
}
