/**
 * The field catalogue: the single source of truth for each sheet's columns — header, API
 * aliases, kind, rules, template note and dropdown. Readers, validation and the template
 * generator all read it; nothing else lists columns. The columns are in customer-fields.ts and
 * sip-connection-fields.ts (the site columns both share in site-fields.ts), what a column is in
 * field-spec.ts; this module reads a sheet's headers against them.
 */
import { CUSTOMER_FIELDS } from './customer-fields.js';
import { editDistance } from './edit-distance.js';
import type { FieldSpec, SheetName } from './field-spec.js';
import { SIP_CONNECTION_FIELDS } from './sip-connection-fields.js';

export * from './field-spec.js';
export { CUSTOMER_FIELDS, SIP_CONNECTION_FIELDS };

/** A sheet's columns, in template order. */
export function fieldsOf(sheet: SheetName): readonly FieldSpec[] {
  return sheet === 'Customers' ? CUSTOMER_FIELDS : SIP_CONNECTION_FIELDS;
}

// Invisible characters that pasted text carries (zero-width spaces and joiners, word joiner, BOM).
const INVISIBLE = /[\u200b-\u200d\u2060\ufeff\u00ad]/g;

/**
 * A header as meant, without the decoration people add: invisible characters, line breaks,
 * a required-field star or a trailing colon ("Short Name *", "SBC Id:").
 */
export function headerCore(header: string): string {
  return header
    .replace(INVISIBLE, '')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^[*\s]+/, '')
    .replace(/[\s*:]+$/, '');
}

/** Headers are compared without case, spaces, underscores or hyphens ("E-mail", "ms_tenant_id"). */
export function normaliseHeader(header: string): string {
  return headerCore(header)
    .replace(/[\s_-]/g, '')
    .toLowerCase();
}

/** What a header names: a catalogue field, a custom variable (and its key), or nothing known. */
export type HeaderMeaning =
  { kind: 'field'; field: FieldSpec } | { kind: 'custom'; key: string } | { kind: 'unknown' };

const CUSTOM_VAR = /^customvar\.variable(\d+)$/i;
const ADDITIONAL_PROP = /^additionalprop(\d+)$/i;
const VAR_PREFIX = /^var\s*:\s*(.+)$/i;

// A trailing note in brackets: "SBC Id (number)", "Phones (E.164, ; separated)", "Lead Id [OC only]".
const BRACKETED_NOTE = /\s*[([][^()[\]]*[)\]]$/;

/**
 * Resolves one header of a sheet. Custom variable keys are returned as they are sent. A header
 * that is unknown as written is tried once more without a trailing note in brackets.
 */
export function headerMeaning(sheet: SheetName, header: string): HeaderMeaning {
  const meaning = exactHeaderMeaning(sheet, header);
  if (meaning.kind !== 'unknown') return meaning;
  const core = headerCore(header);
  const bare = core.replace(BRACKETED_NOTE, '');
  return bare !== core && bare !== '' ? exactHeaderMeaning(sheet, bare) : meaning;
}

function exactHeaderMeaning(sheet: SheetName, header: string): HeaderMeaning {
  const trimmed = headerCore(header);
  const compact = trimmed.replace(/\s+/g, '');
  const customVar = CUSTOM_VAR.exec(compact);
  if (customVar) return { kind: 'custom', key: `CustomVar.Variable${customVar[1]}` };
  const additional = ADDITIONAL_PROP.exec(compact);
  if (additional) return { kind: 'custom', key: `additionalProp${additional[1]}` };
  const named = VAR_PREFIX.exec(trimmed);
  if (named?.[1]) return { kind: 'custom', key: named[1].trim() };
  const wanted = normaliseHeader(trimmed);
  for (const field of fieldsOf(sheet)) {
    if (normaliseHeader(field.header) === wanted) return { kind: 'field', field };
    if (field.apiNames.some((name) => normaliseHeader(name) === wanted)) return { kind: 'field', field };
    if (field.aliases?.some((name) => normaliseHeader(name) === wanted)) return { kind: 'field', field };
  }
  return { kind: 'unknown' };
}

/** The known header closest to an unknown one (for "did you mean"), or undefined when none is close. */
export function closestHeader(sheet: SheetName, header: string): string | undefined {
  const wanted = normaliseHeader(header);
  let best: { name: string; distance: number } | undefined;
  // Suggest in the style the person wrote: API names for a header without spaces.
  const apiStyle = !/\s/.test(header.trim());
  for (const field of fieldsOf(sheet)) {
    for (const name of apiStyle ? [...field.apiNames, field.header] : [field.header, ...field.apiNames]) {
      const distance = editDistance(wanted, normaliseHeader(name));
      if (!best || distance < best.distance) best = { name, distance };
    }
  }
  return best && best.distance <= Math.max(2, Math.floor(wanted.length / 4)) ? best.name : undefined;
}
