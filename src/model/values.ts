/**
 * zod schemas that turn one cell's text (trimmed, never empty) into its typed value.
 * Every failure is a custom issue whose `params.rule` names the rule broken.
 */
import { z } from 'zod';
import type { FieldKind } from './catalogue.js';
import { LICENSES, OVOC_CUSTOMER_TYPES, type DialPlanPrefix, type License } from './types.js';
import type { IssueRule } from './issue-rules.js';
import { characterName, isInvisible } from './visible-text.js';

type Ctx = z.core.$RefinementCtx<string>;

function fail(ctx: Ctx, rule: IssueRule, message: string): typeof z.NEVER {
  ctx.addIssue({ code: 'custom', message, params: { rule } });
  return z.NEVER;
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
const DIAL_PREFIX = /^\+?[0-9*#xX[\]-]+$/;
// Wide characters are anything outside printable ASCII.
const NOT_PRINTABLE_ASCII = /[^\x20-\x7e]/;

/** Applies the short-name rules of the vendor pages. */
function shortName(text: string, ctx: Ctx): string {
  if (text.length < 3 || text.length > 15)
    return fail(ctx, 'short-name-length', `a short name has 3–15 characters; this one has ${text.length}`);
  const bad = SHORT_NAME_FORBIDDEN.exec(text);
  if (bad)
    return fail(
      ctx,
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

function integer(raw: string, ctx: Ctx, positive: boolean): number {
  const rule = positive ? 'positive-integer' : 'integer';
  const dotGroup = ONE_DOT_GROUP.exec(raw);
  if (dotGroup)
    return fail(
      ctx,
      'ambiguous-number',
      `"${raw}" is ${dotGroup[1]}${dotGroup[2]} with a dot between thousands (as a German Excel shows it), or ${/^0+$/.test(dotGroup[2]!) ? dotGroup[1] : 'a fraction'} with a decimal point; type the whole number without separators`,
    );
  // "5.0" is how some tools export a whole number (pandas, for a column with blanks).
  const text = raw.replace(/^([+-]?\d+)\.0+$/, '$1');
  if (!/^[+-]?\d+$/.test(text))
    return fail(
      ctx,
      rule,
      `expected a whole number, got "${text}"${GROUPED_NUMBER.test(text) ? GROUPED_HINT : ''}`,
    );
  const value = Number(text);
  if (!Number.isSafeInteger(value)) return fail(ctx, rule, `${text} is too large`);
  if (positive && value <= 0)
    return fail(ctx, 'positive-integer', `expected a whole number above 0, got ${text}`);
  if (!positive && value < 0)
    return fail(ctx, 'integer', `expected a whole number of 0 or more, got ${text}`);
  return value;
}

function phones(text: string, ctx: Ctx): string[] {
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
        ctx,
        'phone-e164',
        `"${entry}" is not an E.164 number (+ then 2–15 digits, not starting with 0)${hint}`,
      );
    }
    out.push(number);
  }
  if (out.length === 0) return fail(ctx, 'phone-e164', 'no phone number found');
  return out;
}

function dialPlan(text: string, ctx: Ctx): DialPlanPrefix[] {
  const entries = text
    .split(/[;\n\r]+/)
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  const out: DialPlanPrefix[] = [];
  const seen = new Set<number>();
  for (const [position, entry] of entries.entries()) {
    const [prefix = '', indexText, activeText, ...rest] = entry.split(':').map((part) => part.trim());
    if (!DIAL_PREFIX.test(prefix) || rest.length > 0)
      return fail(ctx, 'dial-plan-prefix', `"${entry}" is not prefix[:index[:active]] with a digit prefix`);
    let index = position + 1;
    if (indexText !== undefined && indexText !== '') {
      if (!/^\d+$/.test(indexText) || Number(indexText) < 1)
        return fail(ctx, 'dial-plan-index', `the index in "${entry}" must be a whole number of 1 or more`);
      index = Number(indexText);
    }
    let active = true;
    if (activeText !== undefined && activeText !== '') {
      const parsed = parseBooleanWord(activeText);
      if (parsed === undefined)
        return fail(
          ctx,
          'dial-plan-active',
          `the active flag in "${entry}" must be TRUE/FALSE, yes/no, y/n or 1/0`,
        );
      active = parsed;
    }
    if (seen.has(index)) return fail(ctx, 'dial-plan-duplicate-index', `index ${index} is used twice`);
    seen.add(index);
    out.push({ prefix, index, active });
  }
  if (out.length === 0) return fail(ctx, 'dial-plan-prefix', 'no prefix found');
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
function idText(v: string, ctx: Ctx): string {
  return NUMBER_WITH_SEPARATORS.test(v)
    ? fail(
        ctx,
        'grouped-number',
        `"${v}" is not an id: it is a number as a spreadsheet shows one, with thousands separators or decimals; type the id's digits only, as text`,
      )
    : v;
}

/** One of the OVOC customer types, in any letter case. */
function ovocCustomerType(v: string, ctx: Ctx): string {
  return (
    OVOC_CUSTOMER_TYPES.find((t) => t.toLowerCase() === v.toLowerCase()) ??
    fail(ctx, 'ovoc-customer-type', `expected ${OVOC_CUSTOMER_TYPES.join(' or ')}, got "${v}"${ovocHint(v)}`)
  );
}

/** 0–3, or the type's name (Unknown, SIP Trunk, IPPBX, BYOC). */
function sbcConfigurationType(v: string, ctx: Ctx): number {
  if (/^[0-3]$/.test(v)) return Number(v);
  return (
    SBC_CONFIGURATION_WORDS[v.replace(/[\s_-]/g, '').toLowerCase()] ??
    fail(ctx, 'sbc-configuration-type', `expected 0–3 or Unknown, SIP Trunk, IPPBX, BYOC; got "${v}"`)
  );
}

function email(raw: string, ctx: Ctx): string {
  // Pasted from a link: the address is what was meant.
  const v = raw.replace(/^mailto:/i, '');
  return EMAIL.test(v) ? v : fail(ctx, 'email', `"${raw}" is not an e-mail address`);
}

/** Up to 50 printable ASCII characters, kept byte for byte. */
function carrierPassword(v: string, ctx: Ctx): string {
  if (v.length > 50)
    return fail(ctx, 'carrier-password-length', `up to 50 characters; this one has ${v.length}`);
  const wide = NOT_PRINTABLE_ASCII.exec(v)?.[0];
  if (wide !== undefined)
    return fail(
      ctx,
      'carrier-password-characters',
      `wide (non-ASCII) characters are not allowed${unseenHint(wide)}`,
    );
  return v;
}

/** The schema of a cell of the given kind: trimmed non-empty text in, typed value out. */
export function cellSchema(kind: FieldKind): z.ZodType<unknown, string> {
  const text = z.string();
  switch (kind) {
    case 'text':
    case 'site-name':
      return text;
    case 'id-text':
      return text.transform(idText);
    case 'short-name':
      return text.transform(shortName);
    case 'integer':
      return text.transform((v, ctx) => integer(v, ctx, false));
    case 'positive-integer':
      return text.transform((v, ctx) => integer(v, ctx, true));
    case 'boolean':
      return text.transform((v, ctx) => {
        const parsed = parseBooleanWord(v);
        return parsed ?? fail(ctx, 'boolean', `expected TRUE/FALSE, yes/no, y/n or 1/0, got "${v}"`);
      });
    case 'license':
      return text.transform(
        (v, ctx) =>
          LICENSE_WORDS[v.replace(/[\s_-]/g, '').toLowerCase()] ??
          fail(ctx, 'license', `expected ${LICENSES.join(' or ')}, got "${v}"`),
      );
    case 'ovoc-customer-type':
      return text.transform(ovocCustomerType);
    case 'sbc-configuration-type':
      return text.transform(sbcConfigurationType);
    case 'e164-list':
      return text.transform(phones);
    case 'dial-plan':
      return text.transform(dialPlan);
    case 'email':
      return text.transform(email);
    case 'uuid':
      return text.transform((v, ctx) =>
        UUID.test(v) ? v : fail(ctx, 'uuid', `expected a GUID like fcc608c4-095b-4d1a-90e3-2106fc7024de`),
      );
    case 'carrier-user-name':
      return text.transform((v, ctx) =>
        v.length <= 60
          ? v
          : fail(ctx, 'carrier-user-name-length', `up to 60 characters; this one has ${v.length}`),
      );
    case 'carrier-password':
      return text.transform(carrierPassword);
  }
}
