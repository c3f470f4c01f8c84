/**
 * The field readers of the answers' schemas (schemas.ts): text, whole numbers, flags, states and the maps
 * and lists the platform answers with, each read as leniently as the platform writes them.
 * usual-values.ts reads the usual values the same way by hand.
 */
import type { z } from 'zod';
import type { ZodModule } from '../model/zod-lazy.js';
import { textOf } from '../model/text.js';
import { lowerKeys, sbcConfigurationTypeCode } from './answer-keys.js';
import type { ExecutionMessage } from './types.js';

/** The field readers the answers' schemas share. */
export function fieldSchemas(z: ZodModule['z']) {
  /** An object schema whose (lower-case) keys match the input's keys in any casing. */
  const ci = <T extends z.ZodRawShape>(shape: T) => z.preprocess(lowerKeys, z.object(shape));

  const text = z
    .union([z.string(), z.number()])
    .nullish()
    .transform((v) => (v === null || v === undefined ? null : String(v)));
  const integer = z
    .union([z.number().int(), z.string().regex(/^\s*-?\d+\s*$/)])
    .nullish()
    .transform((v) => (v === null || v === undefined ? null : Number(v)));
  const flag = z
    .union([z.boolean(), z.enum(['true', 'false', 'True', 'False'])])
    .nullish()
    .transform((v) =>
      v === null || v === undefined ? null : v === true || String(v).toLowerCase() === 'true',
    );
  const state = z
    .union([z.string(), z.number()])
    .nullish()
    .transform((v) => v ?? null);
  const strings = z
    .array(z.unknown())
    .nullish()
    .transform((v) => (v ?? []).map((item) => (typeof item === 'string' ? item : JSON.stringify(item))));
  const variables = z
    .record(z.string(), z.unknown())
    .nullish()
    .transform((v) => {
      const out: Record<string, string> = {};
      for (const [key, value] of Object.entries(v ?? {})) {
        if (value !== null && value !== undefined) out[key] = textOf(value);
      }
      return out;
    });
  const messages = z
    .array(ci({ level: text, message: text }))
    .nullish()
    .transform((v): ExecutionMessage[] =>
      (v ?? []).map((m) => ({ level: m.level ?? 'Information', message: m.message ?? '' })),
    );

  const configurationType = z
    .union([z.string(), z.number()])
    .nullish()
    .transform((v) => sbcConfigurationTypeCode(v));
  return { ci, text, integer, flag, state, strings, variables, messages, configurationType };
}
