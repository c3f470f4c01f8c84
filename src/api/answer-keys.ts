/** How the platform's answers are read whatever their casing and wrapping: shared by the zod schemas and the hand readers. */
import { SBC_CONFIGURATION_TYPES } from '../model/types.js';

export const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Lower-cases one object's keys; when two spellings collide the first non-null value wins. */
export function lowerKeys(value: unknown): unknown {
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const k = key.toLowerCase();
    if (out[k] === undefined || out[k] === null) out[k] = v;
  }
  return out;
}

/** The integer (0–3) for a configuration type given as an integer or a name (`"SipTrunk"`, `"SIP Trunk"`). */
export function sbcConfigurationTypeCode(value: unknown): number | null {
  const known = (n: number) =>
    Number.isInteger(n) && n >= 0 && n < SBC_CONFIGURATION_TYPES.length ? n : null;
  if (typeof value === 'number') return known(value);
  if (typeof value !== 'string') return null;
  const name = value.replace(/[\s_-]/g, '').toLowerCase();
  if (/^\d+$/.test(name)) return known(Number(name));
  const index = SBC_CONFIGURATION_TYPES.findIndex((n) => n.toLowerCase() === name);
  return index >= 0 ? index : null;
}

/** The list inside an answer: a bare array, or the common wrappers (`value`, `items`, …) some deployments add. */
export function unwrapList(v: unknown): unknown {
  // An empty answer (204, or `null`) from a tenant with no services is an empty list.
  if (v === null || v === undefined) return [];
  const o = lowerKeys(v);
  if (!isRecord(o)) return v;
  for (const key of ['value', 'items', 'data', 'services', 'customers'])
    if (Array.isArray(o[key])) return o[key];
  return v;
}
