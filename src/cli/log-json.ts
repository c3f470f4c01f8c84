/**
 * A log entry as one JSON line, as winston's JSON format (safe-stable-stringify) wrote it: object keys
 * sorted, `toJSON` honoured (a Date is its ISO text), a value met again inside itself written
 * "[Circular]", a bigint as its decimal text, undefined members and functions left out.
 */
export function logJson(value: unknown): string {
  return stringify(value, []) ?? 'null';
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
