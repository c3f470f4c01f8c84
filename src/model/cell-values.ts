/**
 * The rules that turn one cell's text (trimmed, never empty) into its typed value: one plain function
 * per kind, chosen once per column. A failure is a `CellRuleFailure` naming the rule broken and why.
 * (They were zod transforms, parsed per cell: a zod parse per cell of every row showed in the read
 * bench's profile; values.ts keeps the zod form for callers that compose schemas.)
 */
import type { FieldKind } from './catalogue.js';
import { LICENSES, OVOC_CUSTOMER_TYPES, type DialPlanPrefix, type License } from './types.js';
import type { IssueRule } from './issue-rules.js';
import { characterName, isInvisible } from './visible-text.js';

/** A cell's text that its column's rule refuses: the rule and the message a person reads. */
export class CellRuleFailure {
  constructor(
    readonly rule: IssueRule,
    readonly message: string,
  ) {}
}

/** A column's rule: the typed value, or why the text is refused. */
export type CellValueReader = (text: string) => unknown;

function fail(rule: IssueRule, message: string): CellRuleFailure {
  return new CellRuleFailure(rule, message);
}

// Also the words a localised Excel writes for its booleans when it saves CSV (German, French,
// Dutch, Spanish/Portuguese, Italian), so a semicolon CSV from a European Excel reads as meant.
const TRUE_WORDS = new Set([
  'true',
  'yes',
  'y',
  '1',
  'wahr',
  'vrai',
  'waar',
  'verdadero',
  'verdadeiro',
  'vero',
]);
const FALSE_WORDS = new Set(['false', 'no', 'n', '0', 'falsch', 'faux', 'onwaar', 'falso']);

/** TRUE/FALSE, yes/no, y/n, 1/0 in any case; undefined for anything else. */
export function parseBooleanWord(text: string): boolean | undefined {
  const word = text.trim().toLowerCase();
  if (TRUE_WORDS.has(word)) return true;
  if (FALSE_WORDS.has(word)) return false;
  return undefined;
}

const LICENSE_WORDS: Record<string, License> = {
  essentials: 'Essentials',
  hostedessentials: 'Essentials',
  '2': 'Essentials',
  ocessentials: 'OC Essentials',
  operatorconnectessentials: 'OC Essentials',
  oc: 'OC Essentials',
  '3': 'OC Essentials',
  // Singular and reordered spellings people type.
  essential: 'Essentials',
  hostedessential: 'Essentials',
  essentialshosted: 'Essentials',
  ocessential: 'OC Essentials',
  operatorconnectessential: 'OC Essentials',
  operatorconnect: 'OC Essentials',
};

const SBC_CONFIGURATION_WORDS: Record<string, number> = { unknown: 0, siptrunk: 1, ippbx: 2, byoc: 3 };

const SHORT_NAME_FORBIDDEN = /[\\/:*?"<>|.\s]/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EMAIL = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;
const E164 = /^\+[1-9]\d{1,14}$/;
// A separator other than a semicolon (the general reading splits at these too).
const OTHER_SEPARATOR = /[,|\n\r]/;
const DIAL_PREFIX = /^\+?[0-9*#xX[\]-]+$/;
// Wide characters are anything outside printable ASCII.
const NOT_PRINTABLE_ASCII = /[^\x20-\x7e]/;

/** Applies the short-name rules of the vendor pages. */
function shortName(text: string): string | CellRuleFailure {
  if (text.length < 3 || text.length > 15)
    return fail('short-name-length', `a short name has 3–15 characters; this one has ${text.length}`);
  const bad = SHORT_NAME_FORBIDDEN.exec(text);
  if (bad)
    return fail(
      'short-name-characters',
      `a short name cannot contain ${bad[0].trim() === '' ? 'spaces' : `"${bad[0]}"`} (no dot, no spaces, none of \\ / : * ? " < > |)`,
    );
  return text;
}

// A number as Excel shows it with thousands separators (and saves it so in CSV): 1,317,027 or 1.317.027.
const GROUPED_NUMBER = /^\d{1,3}(?:([,.\u00a0\u202f ']))\d{3}(?:\1\d{3})*$/;
const GROUPED_HINT = '; it looks like a number with thousands separators: type the digits only';
// One dot and three digits: 1.000 is one thousand to a German reader and 1 to an English one.
const ONE_DOT_GROUP = /^[+-]?(\d{1,3})\.(\d{3})$/;
// Digits with a dot, comma, apostrophe or space between them: a number as Excel shows it, not an id.
const NUMBER_WITH_SEPARATORS = /^[+-]?\d+(?:[.,'\u00a0\u202f ]\d+)+$/;

/** Up to 15 digits: a safe integer as it stands (the usual cell), read without a regex. */
function plainDigits(text: string): boolean {
  if (text.length === 0 || text.length > 15) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}

function integer(raw: string, positive: boolean): number | CellRuleFailure {
  if (plainDigits(raw)) {
    const value = Number(raw);
    if (!positive || value > 0) return value;
  }
  const rule = positive ? 'positive-integer' : 'integer';
  const dotGroup = ONE_DOT_GROUP.exec(raw);
  if (dotGroup)
    return fail(
      'ambiguous-number',
      `"${raw}" is ${dotGroup[1]}${dotGroup[2]} with a dot between thousands (as a German Excel shows it), or ${/^0+$/.test(dotGroup[2]!) ? dotGroup[1] : 'a fraction'} with a decimal point; type the whole number without separators`,
    );
  // "5.0" is how some tools export a whole number (pandas, for a column with blanks).
  const text = raw.replace(/^([+-]?\d+)\.0+$/, '$1');
  if (!/^[+-]?\d+$/.test(text))
    return fail(
      rule,
      `expected a whole number, got "${text}"${GROUPED_NUMBER.test(text) ? GROUPED_HINT : ''}`,
    );
  const value = Number(text);
  if (!Number.isSafeInteger(value)) return fail(rule, `${text} is too large`);
  if (positive && value <= 0) return fail('positive-integer', `expected a whole number above 0, got ${text}`);
  if (!positive && value < 0) return fail('integer', `expected a whole number of 0 or more, got ${text}`);
  return value;
}

/**
 * Numbers as they must be sent, separated by semicolons (spaces around them allowed): the numbers,
 * as the general reading below finds them; undefined for any other text.
 */
function plainPhones(text: string): string[] | undefined {
  const out: string[] = [];
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf(';', start);
    if (end < 0) end = text.length;
    const entry = text.slice(start, end).trim();
    if (entry !== '') {
      if (!E164.test(entry)) return undefined;
      out.push(entry);
    }
    start = end + 1;
  }
  return out.length > 0 ? out : undefined;
}

function phones(text: string): string[] | CellRuleFailure {
  // One number as it must be sent (the usual cell): nothing to split or strip.
  if (E164.test(text)) return [text];
  // Several, separated by semicolons only: no separator or punctuation to read otherwise.
  const plain = OTHER_SEPARATOR.test(text) ? undefined : plainPhones(text);
  if (plain) return plain;
  const entries = text
    .split(/[;,|\n\r]+/)
    // Numbers separated by spaces only: a new number starts at each +.
    .flatMap((entry) => entry.split(/\s+(?=\+)/))
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  const out: string[] = [];
  for (const entry of entries) {
    const number = entry.replace(/[\s\-.()/]/g, '');
    if (!E164.test(number)) {
      const international = /^00[1-9]\d{1,14}$/.test(number) ? `+${number.slice(2)}` : undefined;
      const hint = international
        ? `; write it as ${international}`
        : /^[1-9]\d{1,14}$/.test(number)
          ? '; it has no leading + (write the country code after a +, e.g. +3222001000)'
          : '';
      return fail(
        'phone-e164',
        `"${entry}" is not an E.164 number (+ then 2–15 digits, not starting with 0)${hint}`,
      );
    }
    out.push(number);
  }
  if (out.length === 0) return fail('phone-e164', 'no phone number found');
  return out;
}

function dialPlan(text: string): DialPlanPrefix[] | CellRuleFailure {
  const entries = text
    .split(/[;\n\r]+/)
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  const out: DialPlanPrefix[] = [];
  // Indexes already used: only a list of several prefixes can repeat one.
  const seen = entries.length > 1 ? new Set<number>() : undefined;
  for (let position = 0; position < entries.length; position++) {
    const entry = entries[position]!;
    const [prefix = '', indexText, activeText, ...rest] = entry.split(':').map((part) => part.trim());
    if (!DIAL_PREFIX.test(prefix) || rest.length > 0)
      return fail('dial-plan-prefix', `"${entry}" is not prefix[:index[:active]] with a digit prefix`);
    let index = position + 1;
    if (indexText !== undefined && indexText !== '') {
      if (!/^\d+$/.test(indexText) || Number(indexText) < 1)
        return fail('dial-plan-index', `the index in "${entry}" must be a whole number of 1 or more`);
      index = Number(indexText);
    }
    let active = true;
    if (activeText !== undefined && activeText !== '') {
      const parsed = parseBooleanWord(activeText);
      if (parsed === undefined)
        return fail(
          'dial-plan-active',
          `the active flag in "${entry}" must be TRUE/FALSE, yes/no, y/n or 1/0`,
        );
      active = parsed;
    }
    if (seen?.has(index)) return fail('dial-plan-duplicate-index', `index ${index} is used twice`);
    seen?.add(index);
    out.push({ prefix, index, active });
  }
  if (out.length === 0) return fail('dial-plan-prefix', 'no prefix found');
  return out;
}

/** Names a wide character a person cannot see (a no-break space, a zero-width joiner); a visible one stays unnamed, as it is part of a secret. */
function unseenHint(ch: string): string {
  return /\p{White_Space}/u.test(ch) || isInvisible(ch)
    ? `; it holds ${characterName(ch)}, which does not show`
    : '';
}

/** "did you mean" for the OVOC type's usual shortenings (IP Group, Tenant): the API takes the exact value only. */
function ovocHint(text: string): string {
  const compact = text.replace(/[\s_-]/g, '').toLowerCase();
  if (compact.startsWith('ipgroup')) return '; did you mean IPGROUP_TYPE?';
  if (compact.startsWith('tenant')) return '; did you mean TENANT_TYPE?';
  return '';
}

/** An id typed as text; a number as a spreadsheet shows one (1,317,027 or 12.5) is not an id. */
function idText(v: string): string | CellRuleFailure {
  return NUMBER_WITH_SEPARATORS.test(v)
    ? fail(
        'grouped-number',
        `"${v}" is not an id: it is a number as a spreadsheet shows one, with thousands separators or decimals; type the id's digits only, as text`,
      )
    : v;
}

/** One of the OVOC customer types, in any letter case. */
function ovocCustomerType(v: string): string | CellRuleFailure {
  return (
    OVOC_CUSTOMER_TYPES.find((t) => t.toLowerCase() === v.toLowerCase()) ??
    fail('ovoc-customer-type', `expected ${OVOC_CUSTOMER_TYPES.join(' or ')}, got "${v}"${ovocHint(v)}`)
  );
}

/** 0–3, or the type's name (Unknown, SIP Trunk, IPPBX, BYOC). */
function sbcConfigurationType(v: string): number | CellRuleFailure {
  if (/^[0-3]$/.test(v)) return Number(v);
  return (
    SBC_CONFIGURATION_WORDS[v.replace(/[\s_-]/g, '').toLowerCase()] ??
    fail('sbc-configuration-type', `expected 0–3 or Unknown, SIP Trunk, IPPBX, BYOC; got "${v}"`)
  );
}

function email(raw: string): string | CellRuleFailure {
  // Pasted from a link: the address is what was meant.
  const v = raw.replace(/^mailto:/i, '');
  return EMAIL.test(v) ? v : fail('email', `"${raw}" is not an e-mail address`);
}

/** Up to 50 printable ASCII characters, kept byte for byte. */
function carrierPassword(v: string): string | CellRuleFailure {
  if (v.length > 50) return fail('carrier-password-length', `up to 50 characters; this one has ${v.length}`);
  const wide = NOT_PRINTABLE_ASCII.exec(v)?.[0];
  if (wide !== undefined)
    return fail(
      'carrier-password-characters',
      `wide (non-ASCII) characters are not allowed${unseenHint(wide)}`,
    );
  return v;
}

const license = (v: string): License | CellRuleFailure =>
  LICENSE_WORDS[v.replace(/[\s_-]/g, '').toLowerCase()] ??
  fail('license', `expected ${LICENSES.join(' or ')}, got "${v}"`);

const READERS: Record<Exclude<FieldKind, 'text' | 'site-name'>, CellValueReader> = {
  'id-text': idText,
  'short-name': shortName,
  integer: (v) => integer(v, false),
  'positive-integer': (v) => integer(v, true),
  boolean: (v) =>
    parseBooleanWord(v) ?? fail('boolean', `expected TRUE/FALSE, yes/no, y/n or 1/0, got "${v}"`),
  license,
  'ovoc-customer-type': ovocCustomerType,
  'sbc-configuration-type': sbcConfigurationType,
  'e164-list': phones,
  'dial-plan': dialPlan,
  email,
  uuid: (v) => (UUID.test(v) ? v : fail('uuid', `expected a GUID like fcc608c4-095b-4d1a-90e3-2106fc7024de`)),
  'carrier-user-name': (v) =>
    v.length <= 60 ? v : fail('carrier-user-name-length', `up to 60 characters; this one has ${v.length}`),
  'carrier-password': carrierPassword,
};

/** The rule of a column of the given kind: trimmed non-empty text in; undefined for plain text, taken as it is. */
export function cellValueReader(kind: FieldKind): CellValueReader | undefined {
  return kind === 'text' || kind === 'site-name' ? undefined : READERS[kind];
}
