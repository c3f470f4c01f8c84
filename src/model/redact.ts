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

const TEXT_PATTERNS: Array<[RegExp, string]> = [
  [/(Bearer\s+)[A-Za-z0-9\-._~+/]+=*/gi, `$1${MASK}`],
  [/((?:client_secret|access_token|refresh_token|password|token)=)[^&\s"']+/gi, `$1${MASK}`],
  [
    /("(?:[A-Za-z]*Password|carrierPasswordDPI|client_secret|clientSecret|access_token|accessToken|authorization)"\s*:\s*)"(?:[^"\\]|\\.)*"/gi,
    `$1"${MASK}"`,
  ],
];

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
  const known = new Set<string>();
  let ordered: string[] = [];

  const addSecrets = (values: Iterable<string | undefined>): void => {
    for (const v of values) {
      // Very short values would mask ordinary words; they are still masked by key.
      if (typeof v === 'string' && v.length >= 4) known.add(v);
    }
    // Longest first so that a secret containing another is masked whole.
    ordered = [...known].sort((a, b) => b.length - a.length);
  };

  const text = (input: string): string => {
    let out = input;
    for (const [pattern, replacement] of TEXT_PATTERNS) out = out.replace(pattern, replacement);
    for (const secret of ordered) if (out.includes(secret)) out = out.split(secret).join(MASK);
    return out;
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
export const redactValue: <T>(input: T) => T = stateless.value;

/** Pattern-based redaction of free text, for places that have no run context. */
export const redactText: (input: string) => string = stateless.text;
