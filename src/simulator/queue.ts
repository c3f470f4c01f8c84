/** Requests waiting for a place, at most: half the capacity, rounded up (src/simulator/capacity.ts). */
export const queueLength = (capacity: number): number => Math.ceil(capacity / 2);
