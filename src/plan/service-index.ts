import type { ServiceSummary, SiteSummary } from '../api/types.js';

/**
 * Maps over the listing so that matching is linear in rows + services: exact (after trim)
 * and lower-cased keys, the latter only to tell a letter-case mismatch from a missing name.
 */
export interface NameIndex<T> {
  exact: Map<string, T>;
  folded: Map<string, T>;
}

/** A lookup's outcome: found, found under another spelling (letter case only), or missing. */
export type Lookup<T> =
  { kind: 'found'; value: T } | { kind: 'case-only'; value: T; spelling: string } | { kind: 'missing' };

export function buildNameIndex<T>(items: Iterable<T>, nameOf: (item: T) => string): NameIndex<T> {
  const exact = new Map<string, T>();
  const folded = new Map<string, T>();
  for (const item of items) {
    const name = nameOf(item).trim();
    // The first of two equal names wins; the listing should not hold duplicates.
    if (!exact.has(name)) exact.set(name, item);
    const key = name.toLowerCase();
    if (!folded.has(key)) folded.set(key, item);
  }
  return { exact, folded };
}

export function lookup<T>(index: NameIndex<T>, name: string, nameOf: (item: T) => string): Lookup<T> {
  const key = name.trim();
  const hit = index.exact.get(key);
  if (hit !== undefined) return { kind: 'found', value: hit };
  const near = index.folded.get(key.toLowerCase());
  if (near !== undefined) return { kind: 'case-only', value: near, spelling: nameOf(near).trim() };
  return { kind: 'missing' };
}

/** A match in the listing with its place: a service's index in the listing, a site's slot among all listed sites. */
export type Match<T> =
  | { kind: 'found'; value: T; at: number }
  | { kind: 'case-only'; value: T; spelling: string; at: number }
  | { kind: 'missing' };

const MISSING: Match<never> = Object.freeze({ kind: 'missing' });

/**
 * A service's sites up to this many are matched by reading them in order (no Maps to build for the
 * one or two sites most services have); more than this, by a NameIndex built on first use.
 */
const SCAN_SITES = 8;

/**
 * The listing indexed by short name, and each service's sites by name. Services and sites are
 * also numbered (a service by its place in the listing, a site by a slot), so that a planner can
 * mark what the sheet names in arrays instead of sets of GUIDs.
 */
export class ServiceIndex {
  readonly services: readonly ServiceSummary[];
  /** How many sites the listing holds: site slots are 0 … siteCount - 1. */
  readonly siteCount: number;
  private readonly byName: NameIndex<number>;
  /** Slot of each service's first site; a site's slot is that plus its place in `service.sites`. */
  private readonly firstSite: Int32Array;
  private readonly sitesByService = new Map<number, NameIndex<number>>();

  constructor(services: readonly ServiceSummary[]) {
    this.services = services;
    this.byName = buildNameIndex(services.keys(), (at) => services[at]!.shortName);
    this.firstSite = new Int32Array(services.length);
    let slots = 0;
    for (let at = 0; at < services.length; at++) {
      this.firstSite[at] = slots;
      slots += services[at]!.sites.length;
    }
    this.siteCount = slots;
  }

  service(shortName: string): Match<ServiceSummary> {
    const key = shortName.trim();
    const at = this.byName.exact.get(key);
    if (at !== undefined) return { kind: 'found', value: this.services[at]!, at };
    const near = this.byName.folded.get(key.toLowerCase());
    if (near === undefined) return MISSING;
    const value = this.services[near]!;
    return { kind: 'case-only', value, spelling: value.shortName.trim(), at: near };
  }

  /** The slot of the `k`th site of the service at `serviceAt`. */
  siteSlot(serviceAt: number, k: number): number {
    return this.firstSite[serviceAt]! + k;
  }

  /** A site of the service at `serviceAt` (its place in the listing), by name. */
  site(serviceAt: number, siteName: string): Match<SiteSummary> {
    const sites = this.services[serviceAt]!.sites;
    const first = this.firstSite[serviceAt]!;
    const key = siteName.trim();
    if (sites.length <= SCAN_SITES) {
      // The same answer as a NameIndex: the first exact name, else the first in another letter case.
      for (let k = 0; k < sites.length; k++)
        if (sites[k]!.name.trim() === key) return { kind: 'found', value: sites[k]!, at: first + k };
      const folded = key.toLowerCase();
      for (let k = 0; k < sites.length; k++) {
        const name = sites[k]!.name.trim();
        if (name.toLowerCase() === folded)
          return { kind: 'case-only', value: sites[k]!, spelling: name, at: first + k };
      }
      return MISSING;
    }
    let index = this.sitesByService.get(serviceAt);
    if (!index) {
      index = buildNameIndex(sites.keys(), (k) => sites[k]!.name);
      this.sitesByService.set(serviceAt, index);
    }
    const k = index.exact.get(key);
    if (k !== undefined) return { kind: 'found', value: sites[k]!, at: first + k };
    const near = index.folded.get(key.toLowerCase());
    if (near === undefined) return MISSING;
    return { kind: 'case-only', value: sites[near]!, spelling: sites[near]!.name.trim(), at: first + near };
  }
}
