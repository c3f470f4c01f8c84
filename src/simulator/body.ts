/**
 * Case-insensitive reading of request bodies: the vendor's own pages spell the same field
 * `OvocCustomerType`/`ovocCustomerType`, `sbcid`/`sbcId`, `Cac Profile`/`CacProfile`.
 */

export type JsonObject = Record<string, unknown>;

/** A field found in a body: the key exactly as sent (for error messages) and its value. */
export interface Field {
  key: string;
  value: unknown;
}

/** Lower case without blanks, dots excepted: `Cac Profile` ≡ `CACProfile`, but `CustomVar.Variable1` stays distinct. */
export function fieldKey(name: string): string {
  return name.replace(/\s+/g, '').toLowerCase();
}

export function isObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The first key of `body` matching any of `names` case-insensitively; undefined when none is present. */
export function pick(body: JsonObject, ...names: string[]): Field | undefined {
  const wanted = new Set(names.map(fieldKey));
  for (const [key, value] of Object.entries(body)) {
    if (wanted.has(fieldKey(key)) && value !== undefined) return { key, value };
  }
  return undefined;
}

/** `parent.key` for error messages, or the key alone at top level. */
export function path(parent: string | undefined, key: string): string {
  return parent ? `${parent}.${key}` : key;
}
