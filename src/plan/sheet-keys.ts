import type { Origin } from '../model/types.js';
import type { PlannedAction } from './types.js';

/**
 * The keys the sheet has taken, to find a key given twice: per customer short name, its first
 * customer row's action and the SIP connections named so far with the row that named them. With
 * the same answers as one map of "customer/site" ids (a short name cannot contain "/"), without
 * building and hashing such text per row: a short name that is exactly a listed service's is kept
 * by the service's place in the listing (the planner found it already), any other by name.
 */
export class SheetKeys {
  private readonly byPlace: Array<CustomerKeys | undefined> = [];
  private readonly byName = new Map<string, CustomerKeys>();

  /** The keys of a short name (`place`: its service's place in the listing, when found), if a row took one. */
  get(shortName: string, place: number | undefined): CustomerKeys | undefined {
    return place === undefined ? this.byName.get(shortName) : this.byPlace[place];
  }

  /** The same, made empty when no row took one yet. */
  of(shortName: string, place: number | undefined): CustomerKeys {
    let keys = this.get(shortName, place);
    if (!keys) {
      keys = { sites: [] };
      if (place === undefined) this.byName.set(shortName, keys);
      else this.byPlace[place] = keys;
    }
    return keys;
  }
}

export interface CustomerKeys {
  /** The action of the first Customers row with this short name. */
  first?: PlannedAction;
  /** Site names taken: pairs while few, a Map once many. */
  sites: Array<[string, Origin]> | Map<string, Origin>;
}

/** Pairs up to this many are read in order; beyond, a Map. */
const LIST_SITES = 8;

/** The row that took this site, if one did. */
export function siteTakenBy(keys: CustomerKeys, siteName: string): Origin | undefined {
  const { sites } = keys;
  if (!Array.isArray(sites)) return sites.get(siteName);
  for (const pair of sites) if (pair[0] === siteName) return pair[1];
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
