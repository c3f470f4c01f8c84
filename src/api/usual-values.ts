/**
 * The field readers of the answers' schemas (schemas.ts), written by hand for the usual case: each gives what
 * its zod counterpart gives, or NOT when the value is unusual and zod must read it (for its message).
 */
import { textOf } from '../model/text.js';
import { isRecord, lowerKeys, sbcConfigurationTypeCode } from './answer-keys.js';
import type { ExecutionMessage } from './types.js';

/** A value zod must read (a class, not a symbol: a symbol's type widens in an object literal). */
export class NotUsual {
  private readonly brand = 'not usual';
}
export const NOT = new NotUsual();
export type Read<T> = T | typeof NOT;

const absent = (v: unknown): v is null | undefined => v === null || v === undefined;
const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Fields read, none of them NOT. */
export type Got<T> = { [K in keyof T]: Exclude<T[K], typeof NOT> };

/** The fields read, or undefined when any of them is NOT. */
export function got<T extends Record<string, unknown>>(fields: T): Got<T> | undefined {
  return Object.values(fields).includes(NOT) ? undefined : (fields as Got<T>);
}

/** True when none of the values read is NOT. */
export const allRead = (values: Record<string, unknown>): boolean => !Object.values(values).includes(NOT);

/** An object's keys lower-cased (as `ci` reads it); NOT for anything but an ordinary object. */
export function lowered(v: unknown): Read<Record<string, unknown>> {
  if (!isRecord(v) || Object.hasOwn(v, '__proto__')) return NOT;
  return lowerKeys(v) as Record<string, unknown>;
}

/** `text`: null when absent, a string or number as text. */
export const text = (v: unknown): Read<string | null> =>
  absent(v) ? null : typeof v === 'string' || finite(v) ? String(v) : NOT;

/** `integer`: a whole number, or digits as text. */
export function integer(v: unknown): Read<number | null> {
  if (absent(v)) return null;
  if (Number.isSafeInteger(v)) return v as number;
  return typeof v === 'string' && /^\s*-?\d+\s*$/.test(v) ? Number(v) : NOT;
}

const FLAG_WORDS = new Set(['true', 'false', 'True', 'False']);
/** `flag`: a boolean, or true/false as text. */
export function flag(v: unknown): Read<boolean | null> {
  if (absent(v)) return null;
  if (typeof v === 'boolean') return v;
  return typeof v === 'string' && FLAG_WORDS.has(v) ? v.toLowerCase() === 'true' : NOT;
}

/** `state`: a string or number as it came. */
export const state = (v: unknown): Read<string | number | null> =>
  absent(v) ? null : typeof v === 'string' || finite(v) ? v : NOT;

/** `configurationType`: the integer of a configuration type given by number or name. */
export const configurationType = (v: unknown): Read<number | null> =>
  absent(v) ? null : typeof v === 'string' || finite(v) ? sbcConfigurationTypeCode(v) : NOT;

/** `strings`: each item as text (JSON for anything not a string). */
export const strings = (v: unknown): Read<string[]> =>
  absent(v)
    ? []
    : Array.isArray(v)
      ? Array.from(v as unknown[], (item) => (typeof item === 'string' ? item : JSON.stringify(item)))
      : NOT;

/** An object zod's record copies as it is: an ordinary object of string keys. */
export function plainRecord(v: unknown): Read<Record<string, unknown>> {
  if (!isRecord(v)) return NOT;
  const proto: unknown = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) return NOT;
  if (Object.getOwnPropertySymbols(v).length || Object.hasOwn(v, '__proto__')) return NOT;
  if (Object.getOwnPropertyNames(v).length !== Object.keys(v).length) return NOT;
  return { ...v };
}

/** `variables`: a map of names to values as text, without the empty ones. */
export function variables(v: unknown): Read<Record<string, string>> {
  if (absent(v)) return {};
  const map = plainRecord(v);
  if (map instanceof NotUsual) return NOT;
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(map)) if (!absent(value)) out[key] = textOf(value);
  return out;
}

/** `messages`: each with its level (Information by default) and text. */
export function messages(v: unknown): Read<ExecutionMessage[]> {
  if (absent(v)) return [];
  if (!Array.isArray(v)) return NOT;
  const out: ExecutionMessage[] = [];
  for (const item of Array.from(v as unknown[])) {
    const m = lowered(item);
    if (m instanceof NotUsual) return NOT;
    const level = text(m.level);
    const message = text(m.message);
    if (level instanceof NotUsual || message instanceof NotUsual) return NOT;
    out.push({ level: level ?? 'Information', message: message ?? '' });
  }
  return out;
}

/** `z.array(item).nullish()`: absent as it came, else every item read. */
export function listOf<T>(v: unknown, item: (x: unknown) => Read<T>): Read<T[] | null | undefined> {
  if (absent(v)) return v;
  if (!Array.isArray(v)) return NOT;
  const out: T[] = [];
  for (const x of Array.from(v as unknown[])) {
    const read = item(x);
    if (read instanceof NotUsual) return NOT;
    out.push(read);
  }
  return out;
}
