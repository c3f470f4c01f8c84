import { isObject, path, pick, type JsonObject } from './body.js';

/** Field as sent → messages of the rules it broke; the `errors` of a 400 problem. */
export type FieldErrors = Record<string, string[]>;

/**
 * Reads typed fields out of a body case-insensitively and collects every rule broken,
 * so one 400 names all bad fields at once (not the first only).
 */
export class Checker {
  readonly errors: FieldErrors = {};

  get ok(): boolean {
    return Object.keys(this.errors).length === 0;
  }

  fail(field: string, message: string): void {
    (this.errors[field] ??= []).push(message);
  }

  private found(obj: JsonObject, parent: string | undefined, names: string[], required: boolean) {
    const field = pick(obj, ...names);
    if ((field === undefined || field.value === null) && required) {
      this.fail(path(parent, names[0] ?? '?'), 'is required');
      return undefined;
    }
    return field ? { ...field, at: path(parent, field.key) } : undefined;
  }

  /** A string, null (cleared) or undefined (not sent). */
  string(
    obj: JsonObject,
    parent: string | undefined,
    names: string[],
    opts: { required?: boolean; nonBlank?: boolean } = {},
  ): { at: string; value: string | null } | undefined {
    const f = this.found(obj, parent, names, opts.required ?? false);
    if (!f) return undefined;
    if (f.value === null) return { at: f.at, value: null };
    if (typeof f.value !== 'string') {
      this.fail(f.at, 'must be a string');
      return undefined;
    }
    if ((opts.required || opts.nonBlank) && f.value.trim() === '') {
      this.fail(f.at, 'must not be empty');
      return undefined;
    }
    return { at: f.at, value: f.value };
  }

  /** An id the pages type as string but show as a number too (`lcCustomerId: 1317027`): kept as text. */
  text(obj: JsonObject, parent: string | undefined, names: string[]): string | undefined {
    const f = this.found(obj, parent, names, false);
    if (!f || f.value === null) return undefined;
    if (typeof f.value === 'number' && Number.isFinite(f.value)) return String(f.value);
    if (typeof f.value !== 'string') {
      this.fail(f.at, 'must be a string');
      return undefined;
    }
    return f.value;
  }

  // The pages type these as integer: a JSON number is required, a numeric string is refused,
  // so a client that forgets to convert a spreadsheet cell is caught here rather than in production.
  integer(
    obj: JsonObject,
    parent: string | undefined,
    names: string[],
    opts: { required?: boolean; min?: number; max?: number; message?: string } = {},
  ): { at: string; value: number } | undefined {
    const f = this.found(obj, parent, names, opts.required ?? false);
    if (!f || f.value === null) return undefined;
    if (typeof f.value !== 'number' || !Number.isInteger(f.value)) {
      this.fail(f.at, opts.message ?? 'must be an integer');
      return undefined;
    }
    if ((opts.min !== undefined && f.value < opts.min) || (opts.max !== undefined && f.value > opts.max)) {
      this.fail(f.at, opts.message ?? `must be between ${opts.min} and ${opts.max}`);
      return undefined;
    }
    return { at: f.at, value: f.value };
  }

  boolean(obj: JsonObject, parent: string | undefined, names: string[]): boolean | undefined {
    const f = this.found(obj, parent, names, false);
    if (!f || f.value === null) return undefined;
    if (typeof f.value !== 'boolean') {
      this.fail(f.at, 'must be true or false');
      return undefined;
    }
    return f.value;
  }

  object(
    obj: JsonObject,
    parent: string | undefined,
    names: string[],
    opts: { required?: boolean } = {},
  ): { at: string; value: JsonObject } | undefined {
    const f = this.found(obj, parent, names, opts.required ?? false);
    if (!f || f.value === null) return undefined;
    if (!isObject(f.value)) {
      this.fail(f.at, 'must be an object');
      return undefined;
    }
    return { at: f.at, value: f.value };
  }
}
