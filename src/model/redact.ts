/**
 * The one redaction used everywhere: logs, errors, reports, plan files and snapshots.
 * Secrets are recognised by key (anywhere in a nested value) and, for free text, by
 * pattern (`Bearer …`, `client_secret=…`) and by the literal values a run knows are secret.
 */

export const MASK = '***';

const SECRET_KEY_NAMES = new Set(
  [
    'CarrierUserPassword',
    'carrierPasswordDPI',
    'applicationPassword',
    'teamsQosApplicationPassword',
    'client_secret',
    'clientSecret',
    'authorization',
    'access_token',
    'accessToken',
    'refresh_token',
    'token',
    'bearer',
    'password',
    'secret',
  ].map(normaliseKey),
);

function normaliseKey(key: string): string {
  return key.replace(/[\s_.:-]/g, '').toLowerCase();
}

/** True for a field name that holds a secret, whatever its casing or spelling (`Carrier Password`, `var:password`). */
export function isSecretKey(key: string): boolean {
  const k = normaliseKey(key);
  if (SECRET_KEY_NAMES.has(k)) return true;
  return k.endsWith('password') || k.endsWith('secret') || k.endsWith('token');
}

/**
 * A column header whose values are secret: any secret key, or a header that names a password,
 * secret or token anywhere (`Carrier Password DPI`, `Carrier Pwd`, `Teams QoS Application Secret`).
 */
export function isSecretColumn(header: string): boolean {
  return (
    isSecretKey(header) || /password|passwd|passwort|pwd|secret|token/i.test(header.replace(/[\s_.:-]/g, ''))
  );
}

const TEXT_PATTERNS: Array<[RegExp, string]> = [
  // The password of a URL's user info (https://user:password@host).
  [/\b([a-z][a-z0-9+.-]*:\/\/[^\s/?#@:]*:)[^\s/?#@]+@/gi, `$1${MASK}@`],
  [/(Bearer\s+)[A-Za-z0-9\-._~+/]+=*/gi, `$1${MASK}`],
  [/((?:client_secret|access_token|refresh_token|password|token)=)[^&\s"']+/gi, `$1${MASK}`],
  [
    /("(?:[A-Za-z]*Password|carrierPasswordDPI|client_secret|clientSecret|access_token|accessToken|authorization)"\s*:\s*)"(?:[^"\\]|\\.)*"/gi,
    `$1"${MASK}"`,
  ],
];

// Every text pattern needs one of these ("@" of user info, "bearer", "=" of a pair, '"' of a JSON field):
// most texts (names, ids, messages) have none and are scanned once instead of once per pattern.
const MAY_MATCH_A_PATTERN = /[@="]|bearer/i;

const MIN_SECRET_LENGTH = 4;

/** A number from the 4 characters at `i` (the caller makes sure there are 4): equal prefixes, equal numbers. */
function prefixKey(text: string, i: number): number {
  return (
    (((text.charCodeAt(i) * 31 + text.charCodeAt(i + 1)) * 31 + text.charCodeAt(i + 2)) * 31 +
      text.charCodeAt(i + 3)) |
    0
  );
}

/** How many numbers `pairKey` makes. */
const PAIRS = 1 << 16;

/** A number below PAIRS from the 2 characters at `i`: equal pairs, equal numbers. */
function pairKey(text: string, i: number): number {
  return (text.charCodeAt(i) * 31 + text.charCodeAt(i + 1)) & (PAIRS - 1);
}

export interface Redactor {
  /** Masks secret keys in a nested value and known secret values inside its strings. Returns a copy. */
  value<T>(input: T): T;
  /** Masks secrets inside free text: bearer tokens, `secret=` pairs, JSON secret fields, known values. */
  text(input: string): string;
  /** Adds literal values to mask from now on (e.g. the passwords read from a sheet). */
  addSecrets(values: Iterable<string | undefined>): void;
}

/** Creates a redactor that also masks the given literal secret values wherever they appear in text. */
export function createRedactor(secrets: Iterable<string | undefined> = []): Redactor {
  // Known secrets, and for each 4-character prefix the lengths of the secrets that start with it,
  // so that masking one text is one pass over it however many secrets a sheet holds
  // (100 000 passwords must not mean 100 000 scans per log line). The prefix is looked up by a
  // number computed from its characters: no substring is made per character of the text.
  const known = new Set<string>();
  const lengthsByPrefix = new Map<number, number[]>();
  // Which first two characters some secret starts with (by a 16-bit number of the pair): most places
  // in a text start none, and are passed over without making the prefix's number or looking it up.
  const startsSome = new Uint8Array(PAIRS);

  const addSecrets = (values: Iterable<string | undefined>): void => {
    for (const v of values) {
      // Very short values would mask ordinary words; they are still masked by key.
      if (typeof v !== 'string' || v.length < MIN_SECRET_LENGTH || known.has(v)) continue;
      known.add(v);
      startsSome[pairKey(v, 0)] = 1;
      const key = prefixKey(v, 0);
      const lengths = lengthsByPrefix.get(key);
      if (!lengths) lengthsByPrefix.set(key, [v.length]);
      else if (!lengths.includes(v.length)) {
        lengths.push(v.length);
        // Longest first so that a secret containing another is masked whole.
        lengths.sort((a, b) => b - a);
      }
    }
  };

  const secretAt = (input: string, i: number): number => {
    // Two prefixes may share a number: the candidate is checked whole against the known secrets.
    const lengths = lengthsByPrefix.get(prefixKey(input, i));
    if (!lengths) return 0;
    for (const length of lengths) {
      if (i + length <= input.length && known.has(input.slice(i, i + length))) return length;
    }
    return 0;
  };

  const maskKnown = (input: string): string => {
    if (known.size === 0 || input.length < MIN_SECRET_LENGTH) return input;
    let out = '';
    let last = 0;
    let i = 0;
    const end = input.length - MIN_SECRET_LENGTH;
    while (i <= end) {
      if (startsSome[pairKey(input, i)] === 0) {
        i++;
        continue;
      }
      const length = secretAt(input, i);
      if (length > 0) {
        out += input.slice(last, i) + MASK;
        i += length;
        last = i;
      } else i++;
    }
    return last === 0 ? input : out + input.slice(last);
  };

  const text = (input: string): string => {
    let out = input;
    if (MAY_MATCH_A_PATTERN.test(out))
      for (const [pattern, replacement] of TEXT_PATTERNS) out = out.replace(pattern, replacement);
    return maskKnown(out);
  };

  const value = <T>(input: T): T => maskNested(input, text, new WeakMap()) as T;

  addSecrets(secrets);
  return { value, text, addSecrets };
}

function maskNested(input: unknown, text: (s: string) => string, seen: WeakMap<object, unknown>): unknown {
  if (typeof input === 'string') return text(input);
  if (input === null || typeof input !== 'object') return input;
  if (seen.has(input)) return seen.get(input);
  if (input instanceof Error) {
    const copy = new Error(text(input.message));
    copy.name = input.name;
    if (input.stack) copy.stack = text(input.stack);
    return copy;
  }
  if (input instanceof Date) return input;
  if (input instanceof Map) {
    const out = new Map();
    seen.set(input, out);
    for (const [k, v] of input)
      out.set(k, typeof k === 'string' && isSecretKey(k) ? MASK : maskNested(v, text, seen));
    return out;
  }
  if (Array.isArray(input)) {
    const out: unknown[] = [];
    seen.set(input, out);
    for (const item of input) out.push(maskNested(item, text, seen));
    return out;
  }
  const out: Record<string, unknown> = {};
  seen.set(input, out);
  for (const [k, v] of Object.entries(input)) {
    out[k] = isSecretKey(k) && v !== null && v !== undefined && v !== '' ? MASK : maskNested(v, text, seen);
  }
  return out;
}

const stateless = createRedactor();

/** Key- and pattern-based redaction of a nested value, for places that have no run context. */
export const redactValue = <T>(input: T): T => stateless.value(input);

/** Pattern-based redaction of free text, for places that have no run context. */
export const redactText = (input: string): string => stateless.text(input);
