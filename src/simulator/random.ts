/**
 * Seeded randomness. Two independent streams come from one seed so that the fault sequence
 * does not shift when a request happens to create more or fewer GUIDs.
 */

/** A mulberry32 stream whose whole state is one unsigned 32-bit integer, so it can be persisted. */
export interface RandomStream {
  /** Uniform in [0, 1). */
  next(): number;
  /** The current state, to persist and resume from. */
  state(): number;
}

export function createStream(state: number): RandomStream {
  let s = state >>> 0;
  return {
    next() {
      s = (s + 0x6d2b79f5) >>> 0;
      let t = s;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    },
    state: () => s,
  };
}

/** Derives the start state of a named stream from the seed (so `faults` and `ids` differ). */
export function streamSeed(seed: number, name: string): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  for (const ch of name) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return h;
}

/** A version-4-shaped UUID drawn from the stream. */
export function randomUuid(stream: RandomStream): string {
  const hex = (n: number) => randomHex(stream, n);
  const variant = (8 + Math.floor(stream.next() * 4)).toString(16);
  return `${hex(8)}-${hex(4)}-4${hex(3)}-${variant}${hex(3)}-${hex(12)}`;
}

/** Lower-case hex of the given length. */
export function randomHex(stream: RandomStream, length: number): string {
  return Array.from({ length }, () => Math.floor(stream.next() * 16).toString(16)).join('');
}
