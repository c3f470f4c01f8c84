/** What the catalogue says of one column: its sheet, kind, rules, note and dropdown. */
import { LICENSES, OVOC_CUSTOMER_TYPES } from './types.js';

export type SheetName = 'Customers' | 'SipConnections';
export const SHEET_NAMES: readonly SheetName[] = ['Customers', 'SipConnections'];

export type FieldKind =
  | 'text'
  | 'short-name'
  | 'site-name'
  | 'id-text'
  | 'integer'
  | 'positive-integer'
  | 'boolean'
  | 'license'
  | 'ovoc-customer-type'
  | 'sbc-configuration-type'
  | 'e164-list'
  | 'dial-plan'
  | 'email'
  | 'uuid'
  | 'carrier-user-name'
  | 'carrier-password';

/** Which license a Customers column applies to. */
export type FieldLicense = 'any' | 'OC Essentials';

export interface FieldSpec {
  /** Model path in the row, e.g. `site.carrierUserPassword`. */
  path: string;
  /** Friendly header, as the template writes it. */
  header: string;
  /** The API's field names as the vendor pages spell them (accepted as headers too). */
  apiNames: readonly string[];
  /** Other headers people write for this column (e.g. "Tenant Id", "Licence"). */
  aliases?: readonly string[];
  kind: FieldKind;
  secret?: boolean;
  /** Holds phone numbers or prefixes: a cell stored as a number has lost its leading + or 0. */
  phoneLike?: boolean;
  /** Customers sheet: the license the column applies to (an OC-only column on an Essentials row is an error). */
  license?: FieldLicense;
  /** Required on every row, or only on rows of one license. */
  required?: 'always' | 'Essentials';
  /** The header note in the template: what the field is and its rule. */
  note: string;
}

export const BOOLEAN_CHOICES = ['TRUE', 'FALSE'] as const;
export const LICENSE_CHOICES = LICENSES;
export const OVOC_CHOICES = OVOC_CUSTOMER_TYPES;
export const SBC_CONFIGURATION_CHOICES = ['Unknown', 'SIP Trunk', 'IPPBX', 'BYOC'] as const;

/** Dropdown values of a kind in the template, or none. */
export function dropdownFor(kind: FieldKind): readonly string[] | undefined {
  switch (kind) {
    case 'license':
      return LICENSE_CHOICES;
    case 'ovoc-customer-type':
      return OVOC_CHOICES;
    case 'sbc-configuration-type':
      return SBC_CONFIGURATION_CHOICES;
    case 'boolean':
      return BOOLEAN_CHOICES;
    default:
      return undefined;
  }
}
