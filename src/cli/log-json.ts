/**
 * A log entry as one JSON line, as winston's JSON format (safe-stable-stringify) wrote it: object keys
 * sorted, `toJSON` honoured (a Date is its ISO text), a value met again inside itself written
 * "[Circular]", a bigint as its decimal text, undefined members and functions left out.
 */
export function logJson(value: unknown): string {
  // JSON.stringify with each object's keys put in order: native speed, for all but the odd entry.
  const native = nativeSorted(value);
  return native ?? stringify(value, []) ?? 'null';
}

class NotNative extends Error {}

/** JSON.stringify writes an object's array-index keys ("9", "10") first, in numeric order. */
const INDEX_LIKE = /^(?:0|[1-9]\d*)$/;

/** The line by JSON.stringify, or undefined for a value it would write otherwise (a loop, index-like keys). */
function nativeSorted(value: unknown): string | undefined {
  try {
    return JSON.stringify(value, (_key, member: unknown) => {
      if (typeof member === 'bigint') return member.toString();
      if (member === null || typeof member !== 'object' || Array.isArray(member)) return member;
      const keys = Object.keys(member);
      let ordered = true;
      for (let i = 0; i < keys.length; i++) {
        if (INDEX_LIKE.test(keys[i]!)) throw new NotNative();
        if (i > 0 && keys[i - 1]! > keys[i]!) ordered = false;
      }
      if (ordered) return member;
      const sorted: Record<string, unknown> = {};
      for (const key of keys.sort()) sorted[key] = (member as Record<string, unknown>)[key];
      return sorted;
    });
  } catch (error) {
    // A loop (JSON.stringify's TypeError) or index-like keys: written member by member below.
    if (error instanceof NotNative || error instanceof TypeError) return undefined;
    throw error;
  }
}

function stringify(value: unknown, open: object[]): string | undefined {
  if (typeof value === 'bigint') return JSON.stringify(value.toString());
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  const withToJson = value as { toJSON?: () => unknown };
  if (typeof withToJson.toJSON === 'function') return stringify(withToJson.toJSON(), open);
  if (open.includes(value)) return '"[Circular]"';
  open.push(value);
  let out: string;
  if (Array.isArray(value)) {
    out = `[${value.map((item) => stringify(item, open) ?? 'null').join(',')}]`;
  } else {
    const record = value as Record<string, unknown>;
    const members: string[] = [];
    for (const key of Object.keys(record).sort()) {
      const member = stringify(record[key], open);
      if (member !== undefined) members.push(`${JSON.stringify(key)}:${member}`);
    }
    out = `{${members.join(',')}}`;
  }
  open.pop();
  return out;
}
