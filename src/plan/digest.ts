import { sha256Hex, sortedKeys } from '../model/hashing.js';
import type { AppliedDigest } from './types.js';

/** JSON with object keys sorted at every level, so equal values always give equal text. */
export function canonicalJson(value: unknown): string {
  // Most values hashed are text, numbers, flags or lists of them: nothing to sort, no copy to make.
  return JSON.stringify(hasNoObjects(value) ? value : sortKeys(value));
}

function isPlain(value: unknown): boolean {
  return value === null || typeof value !== 'object';
}

function hasNoObjects(value: unknown): boolean {
  if (isPlain(value)) return true;
  if (!Array.isArray(value)) return false;
  for (const item of value as unknown[]) if (!isPlain(item)) return false;
  return true;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const key of sortedKeys(value)) {
    const v = (value as Record<string, unknown>)[key];
    if (v !== undefined) out[key] = sortKeys(v);
  }
  return out;
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
 * What to store for the desired values of fields that cannot be read back: the per-field hashes
 * (so a later plan can name the field that differs), the digest of those hashes, and the record
 * digest a later plan compares first (one hash for the whole record). Values never leave this
 * function in clear.
 */
export function digestOf(
  shortName: string,
  siteName: string | undefined,
  values: Record<string, unknown>,
  known: { hashes?: Record<string, string>; recordDigest?: string } = {},
): AppliedDigest {
  // What a comparison already hashed (of the same key and values) is not hashed again.
  const key = recordKey(shortName, siteName);
  return digestOfHashes(
    shortName,
    siteName,
    known.hashes ?? fieldHashes(key, values),
    known.recordDigest ?? recordDigest(key, values),
  );
}

/** One hash per field whose value is defined, in the order of `values`. */
export function fieldHashes(key: string, values: Record<string, unknown>): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const field of Object.keys(values)) {
    const value = values[field];
    if (value !== undefined) fields[field] = fieldHash(key, field, value);
  }
  return fields;
}

/**
 * One salted hash of a record's defined values, whatever their key order: equal exactly when every
 * field's hash is (field names hold no NUL and JSON writes none, so the text parses one way only).
 */
export function recordDigest(key: string, values: Record<string, unknown>): string {
  let text = `lpsync-record\u0000${key}`;
  for (const field of sortedKeys(values)) {
    const value = values[field];
    if (value !== undefined) text += `\u0000${field}\u0000${canonicalJson(value)}`;
  }
  return sha256Hex(text);
}

function digestOfHashes(
  shortName: string,
  siteName: string | undefined,
  fields: Record<string, string>,
  record: string,
): AppliedDigest {
  // The digest covers the per-field hashes, not the values: the same information, never reversible.
  const digest = sha256Hex(canonicalJson(fields));
  return {
    shortName,
    ...(siteName === undefined ? {} : { siteName }),
    digest,
    fields,
    recordDigest: record,
  };
}
