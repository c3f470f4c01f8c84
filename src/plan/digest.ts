import { createHash } from 'node:crypto';
import type { AppliedDigest } from './types.js';

/** JSON with object keys sorted at every level, so equal values always give equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const v = (value as Record<string, unknown>)[key];
    if (v !== undefined) out[key] = sortKeys(v);
  }
  return out;
}

export function sha256Hex(text: string | Uint8Array): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * Hash of one field's desired value. Salted with the record's key and the field name so that
 * equal secrets in two sites do not hash alike and a table of common passwords does not apply.
 */
export function fieldHash(recordKey: string, field: string, value: unknown): string {
  return sha256Hex(`${recordKey}\u0000${field}\u0000${canonicalJson(value)}`);
}

/** Key of a record, as used to salt its field hashes. */
export function recordKey(shortName: string, siteName?: string): string {
  return siteName === undefined ? shortName : `${shortName}/${siteName}`;
}

/**
 * What to store for the desired values of fields that cannot be read back: the digest of their
 * canonical JSON plus one hash per field. Values never leave this function in clear.
 */
export function digestOf(
  shortName: string,
  siteName: string | undefined,
  values: Record<string, unknown>,
): AppliedDigest {
  const key = recordKey(shortName, siteName);
  const fields: Record<string, string> = {};
  for (const [field, value] of Object.entries(values)) {
    if (value !== undefined) fields[field] = fieldHash(key, field, value);
  }
  // The digest covers the per-field hashes, not the values: the same information, never reversible.
  const digest = sha256Hex(canonicalJson(fields));
  return { shortName, ...(siteName === undefined ? {} : { siteName }), digest, fields };
}
