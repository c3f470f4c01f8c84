import type { ServiceSummary, SiteDetails } from '../api/types.js';
import { isSecretKey } from '../model/redact.js';
import {
  LICENSE_TYPE_CODES,
  SBC_CONFIGURATION_TYPES,
  type CustomerRow,
  type SiteSettings,
} from '../model/types.js';
import { digestOf, fieldHash, recordDigest, recordKey } from './digest.js';
import type { AppliedRecord, Reason } from './types.js';
import { textOf } from '../model/text.js';

/**
 * The diff: each field the row sets, compared with what the Live Platform reads back
 * (the vendor's notes on the read endpoints), or, for fields it never returns, with what lpsync last applied.
 */

/** Shown instead of a secret value, in both directions. */
export const SECRET_DIFFERS = 'differs';
const NOT_SET = '(not set)';

/** A field that Get SIP Connection returns: how to get the sheet value and its read-back. */
interface ReadableField {
  field: string;
  secret?: boolean;
  desired(site: SiteSettings): unknown;
  readBack(details: SiteDetails): unknown;
}

const READABLE_FIELDS: readonly ReadableField[] = [
  { field: 'sbcId', desired: (s) => s.sbcId, readBack: (d) => d.sbcId },
  {
    field: 'sbcOnboardingScript',
    desired: (s) => s.sbcOnboardingScript,
    readBack: (d) => d.onboardingScript,
  },
  { field: 'sbcCleanupScript', desired: (s) => s.sbcCleanupScript, readBack: (d) => d.cleanupScript },
  {
    field: 'sbcConfigurationType',
    desired: (s) => s.sbcConfigurationType,
    readBack: (d) => d.sbcConfigurationType,
  },
  { field: 'cacProfile', desired: (s) => s.cacProfile, readBack: (d) => d.cacProfile },
  { field: 'proxySet', desired: (s) => s.proxySet, readBack: (d) => d.carrierId },
  { field: 'onlinePstnGateway', desired: (s) => s.onlinePstnGateway, readBack: (d) => d.onlinePstnGateway },
  { field: 'carrierUserName', desired: (s) => s.carrierUserName, readBack: (d) => d.carrierUserName },
  { field: 'carrierMainLine', desired: (s) => s.carrierMainLine, readBack: (d) => d.carrierMainLine },
  { field: 'carrierHostName', desired: (s) => s.carrierHostName, readBack: (d) => d.carrierHostName },
  {
    field: 'carrierUserPassword',
    secret: true,
    desired: (s) => s.carrierUserPassword,
    readBack: (d) => variable(d.customerVariables, 'CarrierUserPassword'),
  },
  { field: 'flagConfigureSbc', desired: (s) => s.flagConfigureSbc, readBack: (d) => d.flagConfigureSbc },
  {
    field: 'm365.flagConfigureM365Routing',
    desired: (s) => s.m365?.flagConfigureM365Routing,
    readBack: (d) => d.m365.flagConfigureM365Routing,
  },
  {
    field: 'm365.onboardingScript',
    desired: (s) => s.m365?.onboardingScript,
    readBack: (d) => d.m365.onboardingScript,
  },
  {
    field: 'm365.cleanupScript',
    desired: (s) => s.m365?.cleanupScript,
    readBack: (d) => d.m365.cleanupScript,
  },
];

/** A read-back script variable: the key as sent, else the same key in another letter case. */
function variable(vars: Record<string, string>, key: string): string | undefined {
  if (Object.hasOwn(vars, key)) return vars[key];
  const folded = key.toLowerCase();
  for (const [k, v] of Object.entries(vars)) if (k.toLowerCase() === folded) return v;
  return undefined;
}

/** The display form of a value for a reason; secrets never get here. */
export function display(field: string, value: unknown): string {
  if (value === undefined || value === null || value === '') return NOT_SET;
  if (field === 'sbcConfigurationType' && typeof value === 'number') {
    const name = SBC_CONFIGURATION_TYPES[value];
    return name ? `${value} (${name})` : String(value);
  }
  if (field === 'dialPlanPrefixes' && Array.isArray(value)) {
    return value
      .map((p: { prefix: string; index: number; active: boolean }) => `${p.prefix}:${p.index}:${p.active}`)
      .join('; ');
  }
  if (Array.isArray(value)) return value.join(', ');
  return textOf(value);
}

function same(desired: unknown, actual: unknown): boolean {
  if (actual === undefined || actual === null) return false;
  if (typeof desired === 'number') return Number(actual) === desired;
  if (typeof desired === 'boolean')
    return actual === desired || textOf(actual).toLowerCase() === String(desired);
  return textOf(actual) === textOf(desired);
}

function differs(field: string, secret: boolean, before: unknown, after: unknown, message: string): Reason {
  return secret
    ? { field, before: SECRET_DIFFERS, after: SECRET_DIFFERS, message }
    : { field, before: display(field, before), after: display(field, after), message };
}

/** Reasons why a site's read-back differs from the row; empty when every readable field the row sets matches. */
export function diffReadable(site: SiteSettings, details: SiteDetails): Reason[] {
  const reasons: Reason[] = [];
  for (const f of READABLE_FIELDS) {
    const want = f.desired(site);
    if (want === undefined) continue;
    const have = f.readBack(details);
    if (!same(want, have)) {
      reasons.push(
        differs(f.field, f.secret === true, have, want, `${f.field} differs from the Live Platform`),
      );
    }
  }
  const vars = site.customVariables ?? {};
  for (const key of Object.keys(vars)) {
    const want = vars[key];
    const have = variable(details.customerVariables, key);
    if (!same(want, have)) {
      const field = `customVariables.${key}`;
      reasons.push(differs(field, isSecretKey(key), have, want, `${field} differs from the Live Platform`));
    }
  }
  return reasons;
}

// ---------------------------------------------------------------- fields that cannot be read back

/** A site's fields that Get SIP Connection does not return, as the row wants them (keys in this order). */
export function unreadableSiteValues(
  site: SiteSettings,
  options: { includeOvocCustomerType: boolean },
): Record<string, unknown> {
  // Built key by key, not filtered from a literal: this runs for every row of the sheet.
  const out: Record<string, unknown> = {};
  if (site.enableCAC !== undefined) out.enableCAC = site.enableCAC;
  if (site.flagCarrierRegistration !== undefined) out.flagCarrierRegistration = site.flagCarrierRegistration;
  if (site.carrierPasswordDPI !== undefined) out.carrierPasswordDPI = site.carrierPasswordDPI;
  // A set of numbers: the order they are listed in is not a change.
  if (site.phones) out.phones = sorted(site.phones);
  if (site.dialPlanName !== undefined) out.dialPlanName = site.dialPlanName;
  if (site.dialPlanPrefixes !== undefined) out.dialPlanPrefixes = site.dialPlanPrefixes;
  if (options.includeOvocCustomerType && site.ovocCustomerType !== undefined)
    out.ovocCustomerType = site.ovocCustomerType;
  return out;
}

/** The list in `Array.prototype.sort` order: itself when already so (it is only read), else a sorted copy. */
function sorted(list: readonly string[]): readonly string[] {
  let i = 1;
  while (i < list.length && !(list[i - 1]! > list[i]!)) i++;
  if (i >= list.length) return list;
  // A few numbers by insertion (sort() allocates a work area per call).
  if (list.length > 16) return [...list].sort();
  const out = list.slice();
  for (; i < out.length; i++) {
    const item = out[i]!;
    let j = i - 1;
    for (; j >= 0 && out[j]! > item; j--) out[j + 1] = out[j]!;
    out[j + 1] = item;
  }
  return out;
}

/** A customer's fields that no endpoint returns and no endpoint can modify, as the row wants them (keys in this order). */
export function unreadableCustomerValues(row: CustomerRow): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const put = (key: string, value: unknown) => {
    if (value !== undefined) out[key] = value;
  };
  put('lcCustomerId', row.lcCustomerId);
  put('channelId', row.channelId);
  put('ovocCustomerType', row.site.ovocCustomerType);
  const oc = row.oc;
  if (oc) {
    put('configurationName', oc.configurationName);
    put('leadId', oc.leadId);
    put('invitationEmail', oc.invitationEmail);
    put('licensedUsersCount', oc.licensedUsersCount);
    put('teamsQosApplicationId', oc.teamsQosApplicationId);
    put('teamsQosApplicationPassword', oc.teamsQosApplicationPassword);
    put('callingProfileTemplateId', oc.callingProfileTemplateId);
    put('sbcOcUploadNumberScript', oc.sbcOcUploadNumberScript);
    put('sbcOcReleaseNumberScript', oc.sbcOcReleaseNumberScript);
  }
  return out;
}

function isSecretField(field: string): boolean {
  return isSecretKey(field);
}

/** What comparing with the last applied record found, and what was hashed on the way (for the record to store). */
export interface UnreadableDiff {
  reasons: Reason[];
  neverApplied: boolean;
  /** Per-field hashes, when they were computed (a record digest that matched needs none). */
  hashes?: Record<string, string>;
  recordDigest?: string;
}

/**
 * Fields that cannot be read back, against the last applied record. `never-applied` when lpsync
 * has no record of this key at all (the caller decides between modify and adopt). The record
 * digest is compared first: one hash says "unchanged" for most rows; only when it differs (or the
 * record predates it) is each field hashed, to name the ones that differ.
 */
export function diffUnreadable(
  shortName: string,
  siteName: string | undefined,
  desired: Record<string, unknown>,
  record: AppliedRecord | undefined,
  what: string,
): UnreadableDiff {
  const fields = Object.keys(desired);
  if (!fields.length) return { reasons: [], neverApplied: false };
  if (!record) {
    const reasons = fields.map((field) =>
      differs(
        field,
        isSecretField(field),
        undefined,
        desired[field],
        `not applied by lpsync before; ${field} cannot be read back from the Live Platform`,
      ),
    );
    return { reasons, neverApplied: true };
  }
  const key = recordKey(shortName, siteName);
  let recordDigestNow: string | undefined;
  if (record.recordDigest !== null) {
    recordDigestNow = recordDigest(key, desired);
    if (recordDigestNow === record.recordDigest)
      return { reasons: [], neverApplied: false, recordDigest: recordDigestNow };
  }
  if (!record.fields) {
    // A record without per-field hashes can only say that something differs.
    const now = digestOf(shortName, siteName, desired).digest;
    return now === record.digest
      ? { reasons: [], neverApplied: false }
      : {
          reasons: [
            { message: `${what} fields that cannot be read back differ from what lpsync last applied` },
          ],
          neverApplied: false,
        };
  }
  const { reasons, hashes } = diffFields(key, desired, record.fields);
  return {
    reasons,
    neverApplied: false,
    hashes,
    ...(recordDigestNow ? { recordDigest: recordDigestNow } : {}),
  };
}

/** Field by field against the per-field hashes of the last applied record: a reason for each that differs. */
function diffFields(
  key: string,
  desired: Record<string, unknown>,
  stored: Record<string, string>,
): { reasons: Reason[]; hashes: Record<string, string> } {
  const reasons: Reason[] = [];
  // Kept for the record to store when something differs: each field hashed once.
  const hashes: Record<string, string> = {};
  for (const field of Object.keys(desired)) {
    const before = stored[field];
    const hash = fieldHash(key, field, desired[field]);
    hashes[field] = hash;
    if (before === hash) continue;
    const secret = isSecretField(field);
    reasons.push({
      field,
      before: secret ? SECRET_DIFFERS : before === undefined ? NOT_SET : '(as last applied)',
      after: secret ? SECRET_DIFFERS : display(field, desired[field]),
      message:
        before === undefined
          ? `${field} was not applied by lpsync before and cannot be read back`
          : `${field} differs from what lpsync last applied (${field} cannot be read back)`,
    });
  }
  return { reasons, hashes };
}

// ---------------------------------------------------------------- customer-level conflicts

/**
 * Customer-level fields the API cannot modify: a difference is a conflict naming the field.
 * License kind, full name and MS tenant id against the listing; the rest against the state store.
 */
export function customerConflicts(
  row: CustomerRow,
  service: ServiceSummary,
  record: AppliedRecord | undefined,
): Reason[] {
  const reasons: Reason[] = [];
  const wantLicense = LICENSE_TYPE_CODES[row.license];
  if (service.licenseType !== null && service.licenseType !== wantLicense) {
    reasons.push({
      field: 'license',
      before: `LicenseType ${service.licenseType}`,
      after: `${row.license} (LicenseType ${wantLicense})`,
      message: `the service exists with another license kind (LicenseType ${service.licenseType}, the sheet wants ${row.license}); the API cannot change it`,
    });
  }
  if (row.fullName !== undefined && (service.fullName ?? '') !== row.fullName) {
    reasons.push({
      field: 'fullName',
      before: display('fullName', service.fullName),
      after: row.fullName,
      message: 'full name differs from the Live Platform; the API cannot modify it',
    });
  }
  if (
    row.msTenantId !== undefined &&
    service.msTenantId !== row.msTenantId &&
    (service.msTenantId ?? '').trim().toLowerCase() !== row.msTenantId.trim().toLowerCase()
  ) {
    reasons.push({
      field: 'msTenantId',
      before: display('msTenantId', service.msTenantId),
      after: row.msTenantId,
      message: 'MS tenant id differs from the Live Platform; the API cannot modify it',
    });
  }
  if (record) {
    const desired = unreadableCustomerValues(row);
    const { reasons: changed } = diffUnreadable(row.shortName.trim(), undefined, desired, record, 'customer');
    for (const r of changed) {
      // A field missing from the record was not sent at creation; it cannot be sent now either.
      reasons.push({
        ...r,
        message: r.field
          ? `${r.field} differs from what lpsync applied when it created the service; the API cannot modify it`
          : `${r.message}; the API cannot modify them`,
      });
    }
  }
  return reasons;
}
