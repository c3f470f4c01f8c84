/**
 * What a plan saw of each action's target, hashed field by field: the service's readable fields, the
 * SIP connection as Get SIP Connection answered, and the digest lpsync last applied for the fields that
 * cannot be read back. `apply --plan` compares them with what it reads back before sending anything.
 */
import type { ServiceSummary, SiteDetails } from '../api/types.js';
import { isSecretKey } from '../model/redact.js';
import { fieldHash } from './digest.js';
import {
  appliedSiteKey,
  type AppliedState,
  type ObservedState,
  type Plan,
  type PlannedAction,
} from './types.js';

/** Field → salted hash; `absent` when the platform did not have it. */
export type Seen = 'absent' | Record<string, string>;

export interface TargetFingerprint {
  service: Seen;
  /** Only for actions about a SIP connection. */
  site?: Seen;
  /** The digest of what lpsync last applied to the target (state store); null when nothing was. */
  applied: string | null;
}

/** Fields that change without anyone changing the SIP connection: not part of what was seen. */
const VOLATILE = new Set(['sbcDeploymentState', 'm365DeploymentState', 'pendingTasks']);

/** A nested object as `a.b.c` → value, so a change can be named by its field. */
function flatten(value: unknown, prefix = '', out: Record<string, unknown> = {}): Record<string, unknown> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else out[prefix] = value;
  return out;
}

/**
 * Secrets (the carrier password the read-back holds in clear) are left out: a plan file is handed
 * around for review, and even a salted hash of a password is more than it should carry.
 */
function hashed(key: string, values: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [field, value] of Object.entries(values)) {
    const last = field.slice(field.lastIndexOf('.') + 1);
    if (VOLATILE.has(field.split('.')[0]!) || isSecretKey(last)) continue;
    out[field] = fieldHash(key, field, value ?? null);
  }
  return out;
}

function seenService(service: ServiceSummary | undefined, key: string): Seen {
  if (!service) return 'absent';
  const { customerGuid, shortName, fullName, licenseType, msTenantId } = service;
  return hashed(key, { customerGuid, shortName, fullName, licenseType, msTenantId });
}

function seenSite(site: SiteDetails | undefined, key: string): Seen {
  return site ? hashed(key, flatten(site)) : 'absent';
}

/** The fingerprint of every action's target, as the plan saw it. */
export function fingerprints(
  plan: Plan,
  observed: ObservedState,
  applied: AppliedState,
): Map<string, TargetFingerprint> {
  const byName = new Map(observed.services.map((s) => [s.shortName.trim(), s]));
  const out = new Map<string, TargetFingerprint>();
  for (const action of plan.actions) out.set(action.id, fingerprintOf(action, byName, observed, applied));
  return out;
}

function fingerprintOf(
  action: PlannedAction,
  services: Map<string, ServiceSummary>,
  observed: ObservedState,
  applied: AppliedState,
): TargetFingerprint {
  const key = action.id;
  const service = services.get(action.customerShortName);
  const appliedCustomer = applied.customers.get(action.customerShortName)?.digest ?? null;
  if (action.siteName === undefined) return { service: seenService(service, key), applied: appliedCustomer };
  const site = action.siteGuid === undefined ? undefined : observed.sites.get(action.siteGuid);
  const appliedSite =
    applied.sites.get(appliedSiteKey(action.customerShortName, action.siteName))?.digest ?? null;
  return {
    service: seenService(service, key),
    site: seenSite(site, key),
    applied: [appliedCustomer, appliedSite].filter(Boolean).join('+') || null,
  };
}

/** What changed between two fingerprints of one target, one sentence each; empty when nothing did. */
export function changedSince(
  saved: TargetFingerprint,
  now: TargetFingerprint,
  names: { service: string; site: string | null },
): string[] {
  const out: string[] = [];
  const compare = (what: string, a: Seen | undefined, b: Seen | undefined): void => {
    if ((a === undefined || a === 'absent') && (b === undefined || b === 'absent')) return;
    if (a === undefined || a === 'absent')
      return void out.push(`${what} exists now, and did not when the plan was made`);
    if (b === undefined || b === 'absent') return void out.push(`${what} is gone since the plan`);
    const fields = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((f) => a[f] !== b[f]).sort();
    if (fields.length > 0) out.push(`${what} changed since the plan (${fields.join(', ')})`);
  };
  compare(`service ${names.service}`, saved.service, now.service);
  if (names.site !== null) compare(`SIP connection ${names.site}`, saved.site, now.site);
  if (saved.applied !== now.applied)
    out.push(
      `what lpsync last applied to ${names.site ?? names.service} changed since the plan (another run applied it)`,
    );
  return out;
}
