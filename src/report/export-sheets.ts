/**
 * Tenant rows as the template's two sheets: the catalogue's columns in template order, then one column per
 * script variable, each cell typed as the template expects it (whole numbers as numbers; ids, names and
 * anything with a leading 0 or + as text; yes/no and the dropdowns as their words). A column the Live
 * Platform never returns (or a secret) stays blank, and its header note says why: blank keeps what the
 * platform has.
 */
import { fieldsOf, SBC_CONFIGURATION_CHOICES, type FieldSpec, type SheetName } from '../model/catalogue.js';
import {
  dropdownValidation,
  isTextColumn,
  templateColumnWidth,
  templateNote,
  type DropdownValidation,
} from '../model/template-layout.js';
import type { ServiceFacts, SiteFacts, TenantRows } from './tenant-facts.js';

export type ExportCell = string | number | null;

export interface ExportColumn {
  header: string;
  note: string;
  width: number;
  /** Formatted as Text (`@`), as the template formats it. */
  text: boolean;
  validation?: DropdownValidation;
}

export interface ExportSheet {
  sheet: SheetName;
  columns: ExportColumn[];
  rows: ExportCell[][];
}

/** Why a column is blank in every row of an export, said in its header note. */
export const NOT_RETURNED_NOTE =
  'Blank in an export: the Live Platform does not return this field. Blank keeps what the platform has.';
export const SECRET_NOTE =
  'Blank in an export: lpsync never writes a secret to a file. Blank keeps what the platform has.';

/** What a row's cell of one field is made from. */
interface RowFacts {
  service: ServiceFacts | null;
  customerShortName: string;
  siteName: string | null;
  site: SiteFacts | null;
}

type Getter = (r: RowFacts) => ExportCell;

const LICENSE_NAMES: Record<number, string> = { 2: 'Essentials', 3: 'OC Essentials' };

const text = (v: string | null | undefined): ExportCell =>
  v === null || v === undefined || v === '' ? null : v;
const num = (v: number | null | undefined): ExportCell => (v === null || v === undefined ? null : v);
const yesNo = (v: boolean | null | undefined): ExportCell =>
  v === null || v === undefined ? null : v ? 'TRUE' : 'FALSE';
const configurationType = (v: number | null | undefined): ExportCell =>
  v === null || v === undefined ? null : (SBC_CONFIGURATION_CHOICES[v] ?? String(v));

/** The site columns both sheets have, by model path: what Get SIP Connection returns for each. */
const SITE_GETTERS: Record<string, Getter> = {
  siteName: (r) => text(r.siteName),
  'site.sbcId': (r) => num(r.site?.sbcId),
  'site.sbcOnboardingScript': (r) => num(r.site?.onboardingScript),
  'site.sbcCleanupScript': (r) => num(r.site?.cleanupScript),
  'site.sbcConfigurationType': (r) => configurationType(r.site?.sbcConfigurationType),
  'site.cacProfile': (r) => text(r.site?.cacProfile),
  'site.proxySet': (r) => text(r.site?.carrierId),
  'site.onlinePstnGateway': (r) => text(r.site?.onlinePstnGateway),
  'site.carrierUserName': (r) => text(r.site?.carrierUserName),
  'site.carrierMainLine': (r) => text(r.site?.carrierMainLine),
  'site.carrierHostName': (r) => text(r.site?.carrierHostName),
};

/**
 * Every field the API returns, per sheet (the mapping of api-docs/README.md read backwards); a field
 * not here is one it never returns. Licensed users only for OC Essentials (the column is OC only) and
 * above 0 (the listing answers 0 for a service without).
 */
const GETTERS: Record<SheetName, Record<string, Getter>> = {
  Customers: {
    license: (r) => LICENSE_NAMES[r.service?.licenseType ?? -1] ?? null,
    shortName: (r) => text(r.service?.shortName),
    fullName: (r) => text(r.service?.fullName),
    msTenantId: (r) => text(r.service?.msTenantId),
    ...SITE_GETTERS,
    'oc.licensedUsersCount': (r) =>
      r.service?.licenseType === 3 && (r.service.licensedUsersCount ?? 0) > 0
        ? r.service.licensedUsersCount
        : null,
  },
  SipConnections: {
    customerShortName: (r) => text(r.customerShortName),
    ...SITE_GETTERS,
    'site.flagConfigureSbc': (r) => yesNo(r.site?.flagConfigureSbc),
    'site.m365.flagConfigureM365Routing': (r) => yesNo(r.site?.m365.flagConfigureM365Routing),
    'site.m365.onboardingScript': (r) => num(r.site?.m365.onboardingScript),
    'site.m365.cleanupScript': (r) => num(r.site?.m365.cleanupScript),
  },
};

/** True for a field an export fills in from what the Live Platform answers. */
export function isExported(sheet: SheetName, field: FieldSpec): boolean {
  return !field.secret && Object.hasOwn(GETTERS[sheet], field.path);
}

function fieldColumn(sheet: SheetName, field: FieldSpec): ExportColumn {
  const why = field.secret ? SECRET_NOTE : isExported(sheet, field) ? '' : NOT_RETURNED_NOTE;
  const validation = dropdownValidation(field);
  return {
    header: field.header,
    note: why ? `${templateNote(field)}\n${why}` : templateNote(field),
    width: templateColumnWidth(field),
    text: isTextColumn(field),
    ...(validation ? { validation } : {}),
  };
}

const CUSTOM_VAR = /^CustomVar\.Variable(\d+)$/;
const ADDITIONAL_PROP = /^additionalProp(\d+)$/;

/** The header that reads back as exactly this script variable's key. */
export function variableHeader(key: string): string {
  return CUSTOM_VAR.test(key) || ADDITIONAL_PROP.test(key) ? key : `Var:${key}`;
}

/** CustomVar.Variable<N> by N, then additionalProp<N> by N, then the other names alphabetically. */
function variableOrder(a: string, b: string): number {
  const rank = (k: string): [number, number] => {
    const custom = CUSTOM_VAR.exec(k);
    if (custom) return [0, Number(custom[1])];
    const prop = ADDITIONAL_PROP.exec(k);
    return prop ? [1, Number(prop[1])] : [2, 0];
  };
  const [ra, na] = rank(a);
  const [rb, nb] = rank(b);
  return ra - rb || na - nb || (a < b ? -1 : a > b ? 1 : 0);
}

function variableColumn(key: string, secret: boolean): ExportColumn {
  const note = `Script variable ${key}, sent in scriptParameters as written.`;
  return {
    header: variableHeader(key),
    note: secret ? `${note}\n${SECRET_NOTE}` : note,
    width: Math.min(40, Math.max(12, variableHeader(key).length + 4)),
    text: true,
  };
}

function sheetOf(sheet: SheetName, facts: RowFacts[]): ExportSheet {
  const fields = fieldsOf(sheet);
  const getters = GETTERS[sheet];
  const keys = new Set<string>();
  const secret = new Set<string>();
  for (const r of facts) {
    for (const key of Object.keys(r.site?.customerVariables ?? {})) keys.add(key);
    for (const key of r.site?.secretVariables ?? []) secret.add(key);
  }
  const variables = [...new Set([...keys, ...secret])].sort(variableOrder);
  const columns = [
    ...fields.map((f) => fieldColumn(sheet, f)),
    ...variables.map((k) => variableColumn(k, secret.has(k))),
  ];
  const rows = facts.map((r) => [
    ...fields.map((f) => (f.secret ? null : (getters[f.path]?.(r) ?? null))),
    ...variables.map((k) => text(r.site?.customerVariables[k])),
  ]);
  return { sheet, columns, rows };
}

/** The Customers and SipConnections sheets of these rows. */
export function exportSheets(rows: TenantRows): ExportSheet[] {
  return [
    sheetOf(
      'Customers',
      rows.customers.map((c) => ({
        service: c.service,
        customerShortName: c.service.shortName,
        siteName: c.site?.siteName ?? null,
        site: c.site,
      })),
    ),
    sheetOf(
      'SipConnections',
      rows.sites.map((s) => ({
        service: null,
        customerShortName: s.customerShortName,
        siteName: s.site.siteName,
        site: s.site,
      })),
    ),
  ];
}
