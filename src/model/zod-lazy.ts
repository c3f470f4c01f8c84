/**
 * zod, loaded on first use. Its ESM build is ~95 modules (~50 ms of CPU), a quarter of what `apply`
 * loads, while an ordinary run reads its settings and the platform's usual answers by hand and needs it
 * only to word what is wrong. Every module reaches zod through here (CommonJS, one instance), so its
 * classes (ZodError) are the same for all of them.
 */
import { createRequire } from 'node:module';
import type * as Zod from 'zod';

export type ZodModule = typeof Zod;

const load = createRequire(import.meta.url);

/** The zod module; Node's require cache makes every call after the first a lookup. */
export function zod(): ZodModule {
  return load('zod') as ZodModule;
}

/** A value built from zod on first call and kept: a schema costs nothing until something needs it. */
export function lazy<T>(build: (z: ZodModule['z']) => T): () => T {
  let built: { value: T } | undefined;
  return () => (built ??= { value: build(zod().z) }).value;
}
