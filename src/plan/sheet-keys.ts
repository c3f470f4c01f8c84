import type { Origin } from '../model/types.js';
import type { PlannedAction } from './types.js';

/**
 * The keys the sheet has taken, to find a key given twice: per customer short name, its first
 * customer row's action and the SIP connections named so far with the row that named them. Keyed
 * by the names the rows already hold (no "customer/site" text built and hashed per row), with the
 * same answers as one map of action ids, because a short name cannot contain "/".
 */
export type SheetKeys = Map<string, CustomerKeys>;

export interface CustomerKeys {
  /** The action of the first Customers row with this short name. */
  first?: PlannedAction;
  /** Site names taken: pairs while few, a Map once many. */
  sites: Array<[string, Origin]> | Map<string, Origin>;
}

/** Pairs up to this many are read in order; beyond, a Map. */
const LIST_SITES = 8;

/** The keys of a short name, made empty when no row took one yet. */
export function keysOf(taken: SheetKeys, shortName: string): CustomerKeys {
  let keys = taken.get(shortName);
  if (!keys) {
    keys = { sites: [] };
    taken.set(shortName, keys);
  }
  return keys;
}

/** The row that took this site, if one did. */
export function siteTakenBy(keys: CustomerKeys, siteName: string): Origin | undefined {
  const { sites } = keys;
  if (!Array.isArray(sites)) return sites.get(siteName);
  for (const [name, origin] of sites) if (name === siteName) return origin;
  return undefined;
}

/** Records `origin` as the row of this site, replacing an earlier one. */
export function takeSite(keys: CustomerKeys, siteName: string, origin: Origin): void {
  const { sites } = keys;
  if (!Array.isArray(sites)) {
    sites.set(siteName, origin);
    return;
  }
  for (const pair of sites)
    if (pair[0] === siteName) {
      pair[1] = origin;
      return;
    }
  sites.push([siteName, origin]);
  if (sites.length > LIST_SITES) keys.sites = new Map(sites);
}
