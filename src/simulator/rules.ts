import { fieldKey, isObject, path, pick, type JsonObject } from './body.js';
import type { Checker } from './checker.js';
import { OVOC_CUSTOMER_TYPES, type DialPlanPrefix } from '../model/types.js';

/** The documented rules of the vendor pages, one function each; messages name the rule. */

const FORBIDDEN = /[\\/:*?"<>|]/;

/** `shortName` / `CustomerShortName`: 3–15 characters, none of `\ / : * ? " < > |`, no dot, no blank space. */
export function checkShortName(check: Checker, at: string, value: string): void {
  const length = [...value].length;
  if (length < 3 || length > 15) check.fail(at, 'must be 3-15 characters long');
  if (FORBIDDEN.test(value)) check.fail(at, 'must not contain any of \\ / : * ? " < > |');
  if (value.includes('.')) check.fail(at, 'must not contain a dot (.)');
  if (/\s/.test(value)) check.fail(at, 'must not contain blank spaces');
}

export function readOvocCustomerType(check: Checker, obj: JsonObject, parent?: string): string | undefined {
  const f = check.string(obj, parent, ['ovocCustomerType']);
  if (!f || f.value === null) return undefined;
  if (!(OVOC_CUSTOMER_TYPES as readonly string[]).includes(f.value)) {
    check.fail(f.at, 'must be IPGROUP_TYPE or TENANT_TYPE');
    return undefined;
  }
  return f.value;
}

/** `SbcConfigurationType`: 0 Unknown, 1 SIP Trunk, 2 IPPBX, 3 BYOC. */
export function readSbcConfigurationType(
  check: Checker,
  obj: JsonObject,
  parent?: string,
): number | undefined {
  return check.integer(obj, parent, ['sbcConfigurationType'], {
    min: 0,
    max: 3,
    message: 'must be 0 (Unknown), 1 (SIP Trunk), 2 (IPPBX) or 3 (BYOC)',
  })?.value;
}

/** `CarrierUserName` ≤ 60; `CarrierUserPassword` ≤ 50 and no wide characters. Other keys: no rule. */
export function checkCarrierField(check: Checker, at: string, key: string, value: string): void {
  const k = fieldKey(key);
  if (k === 'carrierusername' && [...value].length > 60) check.fail(at, 'must be at most 60 characters');
  if (k === 'carrieruserpassword') {
    if ([...value].length > 50) check.fail(at, 'must be at most 50 characters');
    // "Wide characters" on the page: anything outside ASCII (multi-byte in the SBC's encoding).
    if (/[^\x20-\x7e]/.test(value)) check.fail(at, 'must not contain wide (non-ASCII) characters');
  }
}

export function checkEmail(check: Checker, at: string, value: string): void {
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value)) check.fail(at, 'must be an e-mail address');
}

/** The script parameters that land in their own Get SIP Connection field; the rest go to customerVariables. */
const MAPPED_PARAMETERS: Record<string, MappedField> = {
  cacprofile: 'cacProfile',
  proxyset: 'carrierId',
  carrierhostname: 'carrierHostName',
  carrierusername: 'carrierUserName',
  carriermainline: 'carrierMainLine',
  onlinepstngateway: 'onlinePstnGateway',
};

export type MappedField =
  | 'cacProfile'
  | 'carrierId'
  | 'carrierHostName'
  | 'carrierUserName'
  | 'carrierMainLine'
  | 'onlinePstnGateway';

/** What a write changes in a site; undefined = not sent (PATCH keeps the stored value). */
export interface SiteChange {
  name?: string;
  ovocCustomerType?: string;
  sbcId?: number;
  onboardingScript?: number;
  cleanupScript?: number;
  ocUploadNumberScript?: number;
  ocReleaseNumberScript?: number;
  sbcConfigurationType?: number;
  flagConfigureSbc?: boolean;
  enableCAC?: boolean;
  flagCarrierRegistration?: boolean;
  mapped?: Partial<Record<MappedField, string | null>>;
  /** Merged key by key (as sent); null removes the key. */
  customerVariables?: Record<string, string | null>;
  carrierPasswordDPI?: string | null;
  phones?: string[];
  dialPlanName?: string | null;
  dialPlanPrefixes?: DialPlanPrefix[];
  m365?: {
    flagConfigureM365Routing?: boolean;
    onboardingScript?: number;
    cleanupScript?: number;
    customerVariables?: Record<string, string | null>;
  };
}

/** A variable's value: a string (carrier rules apply by key) or null (removes it); undefined when refused. */
function variableValue(check: Checker, at: string, key: string, value: unknown): string | null | undefined {
  if (value !== null && typeof value !== 'string') {
    check.fail(at, 'must be a string');
    return undefined;
  }
  if (value !== null) checkCarrierField(check, at, key, value);
  return value;
}

/**
 * One script parameter (from `scriptParameters` or, on Modify, the flat top-level fields):
 * mapped fields go to their own field, everything else to customerVariables exactly as sent.
 */
function readScriptParameter(check: Checker, change: SiteChange, at: string, key: string, raw: unknown) {
  const value = variableValue(check, at, key, raw);
  if (value === undefined) return;
  const mapped = MAPPED_PARAMETERS[fieldKey(key)];
  if (mapped) (change.mapped ??= {})[mapped] = value;
  else (change.customerVariables ??= {})[key] = value;
}

export function readScriptParameters(check: Checker, obj: JsonObject, change: SiteChange): void {
  const params = check.object(obj, undefined, ['scriptParameters']);
  if (!params) return;
  for (const [key, value] of Object.entries(params.value)) {
    readScriptParameter(check, change, path(params.at, key), key, value);
  }
}

/** Free variables (`sbcScripts.customerVariables`, `m365Scripts.customerVariables`), kept as sent. */
function readVariables(
  check: Checker,
  obj: JsonObject,
  parent: string,
): Record<string, string | null> | undefined {
  const vars = check.object(obj, parent, ['customerVariables']);
  if (!vars) return undefined;
  const out: Record<string, string | null> = {};
  for (const [key, raw] of Object.entries(vars.value)) {
    const value = variableValue(check, path(vars.at, key), key, raw);
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/** Fields shared by site writes: OVOC type, SBC id, scripts, and (Modify only, unless lenient) configuration type. */
export function readSiteBasics(
  check: Checker,
  obj: JsonObject,
  parent: string | undefined,
  options: { configurationType: boolean },
): SiteChange {
  const change: SiteChange = {};
  const ovoc = readOvocCustomerType(check, obj, parent);
  if (ovoc !== undefined) change.ovocCustomerType = ovoc;
  const sbcId = check.integer(obj, parent, ['sbcId'])?.value;
  if (sbcId !== undefined) change.sbcId = sbcId;
  const onboarding = check.integer(obj, parent, ['sbcOnboardingScript'])?.value;
  if (onboarding !== undefined) change.onboardingScript = onboarding;
  const cleanup = check.integer(obj, parent, ['sbcCleanupScript'])?.value;
  if (cleanup !== undefined) change.cleanupScript = cleanup;
  if (!options.configurationType) return change;
  const configurationType = readSbcConfigurationType(check, obj, parent);
  if (configurationType !== undefined) change.sbcConfigurationType = configurationType;
  return change;
}

/** The flat script fields the Modify page's parameter table lists at top level. */
const FLAT_SCRIPT_FIELDS = new Set([
  'cacprofile',
  'proxyset',
  'onlinepstngateway',
  'carrierusername',
  'carrieruserpassword',
  'carriermainline',
  'carrierhostname',
]);

/** The Modify SIP Connection body in both shapes the page shows (example body and parameter table). */
export function readModifyFields(check: Checker, body: JsonObject): SiteChange {
  const change = readSiteBasics(check, body, undefined, { configurationType: true });
  const name = check.string(body, undefined, ['sbcSiteName', 'siteLocationName'], { nonBlank: true });
  if (name?.value) change.name = name.value;
  readScriptParameters(check, body, change);
  for (const [key, value] of Object.entries(body)) {
    if (FLAT_SCRIPT_FIELDS.has(fieldKey(key))) readScriptParameter(check, change, key, key, value);
  }
  for (const flag of ['enableCAC', 'flagConfigureSbc', 'flagCarrierRegistration'] as const) {
    const value = check.boolean(body, undefined, [flag]);
    if (value !== undefined) change[flag] = value;
  }
  const dpi = check.string(body, undefined, ['carrierPasswordDPI']);
  if (dpi) change.carrierPasswordDPI = dpi.value;
  const dialPlanName = check.string(body, undefined, ['dialPlanName']);
  if (dialPlanName) change.dialPlanName = dialPlanName.value;
  readPhones(check, body, change);
  readDialPlanPrefixes(check, body, change);

  const sbcScripts = check.object(body, undefined, ['sbcScripts']);
  if (sbcScripts) {
    const onboarding = check.integer(sbcScripts.value, sbcScripts.at, [
      'sbcOnboardingScript',
      'onboardingScript',
    ]);
    if (onboarding) change.onboardingScript = onboarding.value;
    const cleanup = check.integer(sbcScripts.value, sbcScripts.at, ['sbcCleanupScript', 'cleanupScript']);
    if (cleanup) change.cleanupScript = cleanup.value;
    const vars = readVariables(check, sbcScripts.value, sbcScripts.at);
    if (vars) change.customerVariables = { ...change.customerVariables, ...vars };
  }
  const m365 = check.object(body, undefined, ['m365Scripts']);
  if (m365) {
    const m: NonNullable<SiteChange['m365']> = {};
    const flag = check.boolean(m365.value, m365.at, ['flagConfigureM365Routing']);
    if (flag !== undefined) m.flagConfigureM365Routing = flag;
    const onboarding = check.integer(m365.value, m365.at, ['OnboardingScript']);
    if (onboarding) m.onboardingScript = onboarding.value;
    const cleanup = check.integer(m365.value, m365.at, ['CleanupScript']);
    if (cleanup) m.cleanupScript = cleanup.value;
    const vars = readVariables(check, m365.value, m365.at);
    if (vars) m.customerVariables = vars;
    change.m365 = m;
  }
  return change;
}

/** `phones`: the page types it as a string; a comma/semicolon separated string or an array of strings. */
function readPhones(check: Checker, body: JsonObject, change: SiteChange): void {
  const f = pick(body, 'phones');
  if (!f || f.value === null) return;
  const parts = typeof f.value === 'string' ? f.value.split(/[,;]/) : Array.isArray(f.value) ? f.value : null;
  if (parts === null || parts.some((p) => typeof p !== 'string')) {
    check.fail(f.key, 'must be a string of numbers separated by commas, or an array of strings');
    return;
  }
  change.phones = (parts as string[]).map((p) => p.trim()).filter((p) => p !== '');
}

function readDialPlanPrefixes(check: Checker, body: JsonObject, change: SiteChange): void {
  const f = pick(body, 'dialPlanPrefixes');
  if (!f || f.value === null) return;
  if (!Array.isArray(f.value)) {
    check.fail(f.key, 'must be an array of { prefix, index, active }');
    return;
  }
  const out: DialPlanPrefix[] = [];
  f.value.forEach((item: unknown, i) => {
    const at = `${f.key}[${i}]`;
    if (!isObject(item)) {
      check.fail(at, 'must be an object { prefix, index, active }');
      return;
    }
    // The page lists dialPlanName, index and active under dialPlanPrefixes: an item may name its prefix so.
    const prefix = check.string(item, at, ['prefix', 'dialPlanPrefix', 'dialPlanName'], { required: true });
    const index = check.integer(item, at, ['index'], { min: 0 });
    const active = check.boolean(item, at, ['active']);
    if (prefix?.value) out.push({ prefix: prefix.value, index: index?.value ?? i, active: active ?? true });
  });
  change.dialPlanPrefixes = out;
}
