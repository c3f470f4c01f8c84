/** Any value as text a person can read: scalars as themselves, objects and arrays as JSON (never "[object Object]"). */
export function textOf(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'boolean':
    case 'bigint':
      return String(value);
    case 'undefined':
      return 'undefined';
    case 'object':
      return value === null ? 'null' : (JSON.stringify(value) ?? '');
    default:
      return typeof value;
  }
}
